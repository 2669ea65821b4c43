"""Public pages: indicators."""

from django.http import Http404
from django.urls import path


def indicator_list(request):
    raise Http404  # TODO(step 5): the page


def indicator_detail(request, pk):
    raise Http404  # TODO(step 5): the page


urlpatterns = [
    path("indicators/", indicator_list, name="indicator-list"),
    path("indicators/<int:pk>/", indicator_detail, name="indicator-detail"),
]
