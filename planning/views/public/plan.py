"""Public pages: plan."""

from django.http import Http404
from django.urls import path


def plan_latest(request):
    raise Http404  # TODO(step 5): the page


def plan_page(request, year):
    raise Http404  # TODO(step 5): the page


urlpatterns = [
    path("plan/", plan_latest, name="plan-latest"),
    path("plan/<int:year>/", plan_page, name="plan"),
]
