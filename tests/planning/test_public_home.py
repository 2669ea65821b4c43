"""The public home page: the plan at a glance for a year, only published figures, constant queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Sex
from planning.models import DeliveryPlan, ReviewStatus
from tests.factories import AttendanceFactory, DeliveryPlanFactory, EventFactory, ParticipationFactory, PersonFactory, PlanFactory, leak_strings, public_world

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


def test_home_shows_the_published_status_counts_once_in_the_chart(client):
    public_world(activities=3)
    html = page(client, "en")
    # Three activities on track, published; the returned and the unpublished reports' two not reported yet
    # (and the draft correction of the first activity, off track, is not counted).
    legend = re.findall(r"<text [^>]*>([^<]*)</text>", html)
    assert legend.count("On track: 3") == 1
    assert legend.count("Off track: 0") == 1
    assert re.search(r"<desc [^>]*>Activities by status: [^<]*On track: 3; [^<]*Off track: 0", html)  # read out
    assert "home-status-counts" not in html  # no second list of the same counts
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


QUERIES = 20  # 18 today: the session, the plan and its years, objectives, activities, progress, indicators, budget, events


def trained(event, sex, count):
    for _index in range(count):
        AttendanceFactory(participation=ParticipationFactory(event=event, person=PersonFactory(sex=sex)))


def test_home_counts_the_events_held_and_draws_the_people_trained_by_sex(client):
    world = public_world(activities=1, plant=False)
    held = EventFactory(start_date=datetime.date(world.year, 5, 6), end_date=datetime.date(world.year, 5, 7))
    trained(held, Sex.FEMALE, 6)
    trained(held, Sex.MALE, 7)
    EventFactory(start_date=datetime.date(world.year + 1, 5, 6), end_date=datetime.date(world.year + 1, 5, 7))
    html = page(client, "en")
    assert '<dd class="fs-5">1</dd>' in html  # one event held in the year
    assert '<dd class="fs-5">13</dd>' in html
    assert "<svg" in html and "Female: 6" in html and "Male: 7" in html
    assert reverse("events:public-list").split("/", 2)[2] in html


def test_home_shows_suppressed_figures_in_a_table_with_a_legend(client):
    world = public_world(activities=1, plant=False)
    held = EventFactory(start_date=datetime.date(world.year, 5, 6), end_date=datetime.date(world.year, 5, 7))
    trained(held, Sex.FEMALE, 6)
    trained(held, Sex.MALE, 2)
    html = page(client, "en")
    assert "&lt; 5" in html and "fewer than five people" in html
    assert "Female: 6" not in html and '<td class="number">6</td>' not in html


def test_demo_home_shows_the_published_year(client, demo_data):
    html = page(client, "vi")
    assert '<option value="2024" selected>' in html
    assert '<option value="2025"' not in html
    assert "2024" in html
