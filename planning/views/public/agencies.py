"""Public pages: agencies."""

from django.http import Http404
from django.urls import path


def objective_detail(request, pk):
    raise Http404  # TODO(step 5): the page


def taskgroup_detail(request, pk):
    raise Http404  # TODO(step 5): the page


def agency_list(request):
    raise Http404  # TODO(step 5): the page


def agency_detail(request, pk):
    raise Http404  # TODO(step 5): the page


urlpatterns = [
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("task-groups/<int:pk>/", taskgroup_detail, name="taskgroup-detail"),
    path("agencies/", agency_list, name="agency-list"),
    path("agencies/<int:pk>/", agency_detail, name="agency-detail"),
]
