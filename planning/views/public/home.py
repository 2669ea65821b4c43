"""Public pages: home."""

from django.http import Http404
from django.urls import path


def home(request):
    raise Http404  # TODO(step 5): the page


urlpatterns = [
    path("", home, name="home"),
]
