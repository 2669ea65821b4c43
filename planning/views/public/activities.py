"""Public pages: activities."""

from django.http import Http404
from django.urls import path


def activity_list(request):
    raise Http404  # TODO(step 5): the page


def activity_detail(request, pk):
    raise Http404  # TODO(step 5): the page


urlpatterns = [
    path("activities/", activity_list, name="activity-list"),
    path("activities/<int:pk>/", activity_detail, name="activity-detail"),
]
