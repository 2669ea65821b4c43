"""Public event pages: aggregated figures only (`selectors.public_event_figures`), never a person."""

from django.http import Http404
from django.urls import path


def event_list(request):
    raise Http404  # TODO(step 5): the page


def event_detail(request, pk):
    raise Http404  # TODO(step 5): the page


urlpatterns = [
    path("public/", event_list, name="public-list"),
    path("public/<int:pk>/", event_detail, name="public-detail"),
]
