"""The public home page: the plan at a glance for a year, only published figures, constant queries."""

import pytest
from django.urls import reverse
from django.utils import translation

from planning.models import DeliveryPlan, ReviewStatus
from tests.factories import DeliveryPlanFactory, PlanFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db


def home_url(language="vi", **params):
    with translation.override(language):
        url = reverse("public:home")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def page(client, language="vi", **params):
    response = client.get(home_url(language, **params))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_home_answers_anonymously_in_both_languages(client, language):
    world = public_world(activities=2)
    html = page(client, language)
    assert str(world.year) in html
    assert world.objective.code in html
    assert reverse("public:objective-detail", args=[world.objective.pk]).split("/", 2)[2] in html


def test_home_never_shows_a_planted_value(client):
    public_world(activities=3)
    for language in ("vi", "en"):
        html = page(client, language)
        for leak in leak_strings():
            assert leak not in html, leak


def test_home_shows_the_published_budget_in_the_reader_format(client):
    world = public_world(activities=3)
    html = page(client, "vi")
    # Five lines of 100.000.000 ₫ in the published delivery plan (two of them of unpublished reports).
    assert "500.000.000 ₫" in html
    assert "01/KH-TEST" in html
    assert "VND 500,000,000" in page(client, "en")
    assert f"{world.year}" in html


def test_home_shows_the_published_status_counts(client):
    public_world(activities=3)
    html = page(client, "en")
    # Three activities on track, published; the returned and the unpublished reports' two not reported yet
    # (and the draft correction of the first activity, off track, is not counted).
    assert "On track: 3" in html
    assert "Off track: 0" in html
    assert "2 not reported yet" in html


def test_home_counts_the_indicators_on_track(client):
    public_world(activities=3)
    html = page(client, "en")
    # Targets of 10 against actuals of 7, 8 and 9: none on track; the two others' actuals are unpublished.
    assert "0 of 5 indicators with a target on track" in html


def test_a_garbage_or_unpublished_year_falls_back_to_the_latest_published(client):
    world = public_world(activities=2)
    for requested in ("garbage", world.year + 1, world.year - 5):
        html = page(client, "en", year=requested)
        assert f'<option value="{world.year}" selected>' in html
        assert "LEAK-UNPUBLISHED" not in html


def test_without_a_published_delivery_plan_the_home_says_so(client):
    plan = PlanFactory()
    DeliveryPlanFactory(plan=plan, year=2024)
    html = page(client, "en")
    assert "No delivery plan has been published yet" in html
    assert DeliveryPlan.objects.filter(status=ReviewStatus.PUBLISHED).count() == 0


def test_the_home_queries_stay_constant_as_the_plan_grows(client, django_assert_max_num_queries):
    world = public_world(activities=3)
    with django_assert_max_num_queries(QUERIES):
        page(client, "vi")
    world.add_published(25)
    with django_assert_max_num_queries(QUERIES):
        html = page(client, "vi")
    assert "3.000.000.000 ₫" in html  # 3 + 2 + 25 published lines of 100.000.000 ₫


QUERIES = 30
