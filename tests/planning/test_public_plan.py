"""The plan on one page (`public:plan`): the logframe of a published year, its filters, and the staff
view with working values."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from planning.models import DeliveryPlan, Province, ProvinceSuccession, ReviewStatus
from tests.factories import ProvinceFactory, UserFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db

DRAFT_BADGE = "Not yet published"


def plan_url(year, language="en", query=""):
    with translation.override(language):
        url = reverse("public:plan", args=[year])
    return f"{url}?{query}" if query else url


def shown(response) -> list[int]:
    """The ids of the activities the page lists, in order."""
    return [node.activity.pk for objective in response.context["tree"] for output in objective.outputs for node in output.activities]


def assert_no_leak(html: str):
    for text in leak_strings():
        assert text not in html, text
    assert DRAFT_BADGE not in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_plan_page_answers_anonymously_in_both_languages(client, language):
    world = public_world(activities=3, plant=False)
    response = client.get(plan_url(world.year, language))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{world.year}</title>" in html
    assert '<meta name="description"' in html
    for activity in world.activities:
        assert reverse("public:activity-detail", args=[activity.pk]) in html
        assert reverse("public:agency-detail", args=[activity.lead_agency_id]) in html
    for indicator in world.indicators:
        assert reverse("public:indicator-detail", args=[indicator.pk]) in html
    assert "<details open" in html and "<script>" not in html and "style=" not in html
    assert response.context["matched"] == 3
    if language == "vi":
        assert "kế hoạch triển khai năm" in html and "3 hoạt động phù hợp" in html
        for english in ("activities match", "Funding gap", "Filter the activities", "General objective"):
            assert english not in html


def test_the_page_shows_published_progress_budget_and_approved_actuals(client):
    world = public_world(activities=2, plant=False)
    html = client.get(plan_url(world.year)).content.decode()
    assert "On track" in html and "50%" in html and "51%" in html
    assert "VND 100,000,000" in html  # each activity's estimate; committed, so no gap
    assert "Behind target" in html  # actual 7 against a target of 10


@pytest.mark.parametrize("query", ["", "drafts=1"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_planted_working_values_never_show_to_the_public(client, query, language):
    world = public_world(activities=3)
    response = client.get(plan_url(world.year, language, query))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_leak(html)
    assert reverse("public:activity-detail", args=[world.hidden_activity.pk]) not in html
    assert 'content="noindex"' not in html
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_signed_in_user_who_is_not_staff_gets_the_public_page(client):
    world = public_world(activities=2)
    client.force_login(UserFactory(username="reader", is_staff=False))
    assert_no_leak(client.get(plan_url(world.year, query="drafts=1")).content.decode())


def test_staff_without_asking_for_drafts_see_the_public_page_and_a_link_to_drafts(client):
    world = public_world(activities=2)
    client.force_login(world.coordinator)
    html = client.get(plan_url(world.year)).content.decode()
    assert_no_leak(html)
    assert "drafts=1" in html


def test_staff_with_drafts_see_working_values_marked_as_drafts(client):
    world = public_world(activities=3)
    client.force_login(world.coordinator)
    response = client.get(plan_url(world.year, query="drafts=1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="alert alert-warning plan-draft-banner"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    # The draft correction: off track, with its justification and the actual 424242, in draft rows.
    first = next(
        node for objective in response.context["tree"] for output in objective.outputs for node in output.activities if node.activity == world.activities[0]
    )
    assert first.progress.status == "on_track" and first.draft.status == "off_track"
    draft_row = html[html.index('<tr class="plan-draft-row">') :]
    draft_row = draft_row[: draft_row.index("</tr>")]
    assert DRAFT_BADGE in draft_row and "Off track" in draft_row and "LEAK-DRAFT-NARRATIVE" in draft_row
    assert "424,242" in html
    # The published values stay beside them.
    assert "On track" in html
    # The canonical URL leaves the staff view out; the year links keep it.
    assert f'<link rel="canonical" href="http://testserver{plan_url(world.year)}">' in html
    assert [year for year, _url in response.context["year_links"]] == [world.year, world.year + 1]
    assert all("drafts=1" in url for _year, url in response.context["year_links"])


def test_an_unpublished_year_is_404_for_the_public_and_shown_to_staff_with_drafts(client):
    world = public_world(activities=2)
    next_year = plan_url(world.year + 1)
    assert client.get(next_year).status_code == 404
    assert client.get(next_year + "?drafts=1").status_code == 404
    client.force_login(world.coordinator)
    assert client.get(next_year).status_code == 404
    response = client.get(next_year + "?drafts=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "LEAK-UNPUBLISHED-ACTIVITY" in html and "VND 777,777,777" in html
    assert shown(response) == [world.hidden_activity.pk]
    assert DRAFT_BADGE in html and "is not published" in html


def test_plan_latest_redirects_to_the_latest_published_year_with_the_query(client):
    world = public_world(activities=1)
    with translation.override("en"):
        latest = reverse("public:plan-latest")
    response = client.get(latest + "?agency=1")
    assert response.status_code == 302 and response["Location"] == plan_url(world.year, query="agency=1")
    DeliveryPlan.objects.filter(plan=world.plan).update(status=ReviewStatus.SUBMITTED)
    assert client.get(latest).status_code == 404
    assert client.get(plan_url(world.year)).status_code == 404


def test_task_group_and_agency_filters_narrow_the_activities(client):
    world = public_world(activities=3)
    first = world.activities[0]
    response = client.get(plan_url(world.year, query=f"task_group={first.task_group_id}"))
    assert shown(response) == [first.pk]
    assert "1 activity matches" in response.content.decode()
    response = client.get(plan_url(world.year, query=f"agency={world.agency.pk}"))
    assert set(shown(response)) == {a.pk for a in world.activities}
    assert response.context["matched"] == 3 and "Clear the filters" in response.content.decode()
    # Both at once, and the year links keep them.
    response = client.get(plan_url(world.year, query=f"task_group={first.task_group_id}&agency={world.returned_activity.lead_agency_id}"))
    assert shown(response) == [] and "0 activities match" in response.content.decode()
    assert f"task_group={first.task_group_id}" in response.context["year_links"][0][1]


def test_a_current_province_also_finds_activities_in_its_predecessors(client):
    world = public_world(activities=3, plant=False)
    old = ProvinceFactory(code="91", valid_to=datetime.date(2025, 6, 30))
    new = ProvinceFactory(code="92", valid_from=datetime.date(2025, 7, 1))
    other = ProvinceFactory(code="93")
    ProvinceSuccession.objects.create(predecessor=old, successor=new)
    world.activities[0].provinces.add(old)
    world.activities[1].provinces.add(new)
    world.activities[2].provinces.add(other)
    response = client.get(plan_url(world.year, query=f"province={new.pk}"))
    assert shown(response) == [world.activities[0].pk, world.activities[1].pk]
    assert shown(client.get(plan_url(world.year, query=f"province={other.pk}"))) == [world.activities[2].pk]
    # Only current provinces are offered; a former one is not a choice.
    offered = list(response.context["filters"].form.fields["province"].queryset)
    assert new in offered and other in offered and old not in offered
    response = client.get(plan_url(world.year, query=f"province={old.pk}"))
    assert len(shown(response)) == 3 and response.context["filters"].form.errors["province"]
    # The activities list reads the same filter the same way.
    listed = client.get(reverse("public:activity-list") + f"?year={world.year}&province={new.pk}")
    assert [activity.pk for activity, _progress in listed.context["rows"]] == [world.activities[0].pk, world.activities[1].pk]
    assert Province.objects.filter(pk=old.pk).exists()


@pytest.mark.parametrize("query", ["task_group=abc", "agency=999999", "province=-1", "task_group=&agency=", "task_group=1%00", "agency=1e9"])
def test_invalid_filters_are_ignored_never_an_error(client, query):
    world = public_world(activities=2, plant=False)
    response = client.get(plan_url(world.year, query=query))
    assert response.status_code in (200, 400)  # a NUL byte is the middleware's 400
    if response.status_code == 200:
        assert response.context["matched"] == 2


def test_only_public_options_are_offered(client):
    world = public_world(activities=2)
    fields = client.get(plan_url(world.year)).context["filters"].form.fields
    assert set(fields["agency"].queryset) == {world.agency, world.returned_activity.lead_agency, world.unpublished_activity.lead_agency}
    assert all(group.plan_id == world.plan.pk for group in fields["task_group"].queryset)


def test_the_public_page_costs_the_same_queries_at_two_sizes(client, django_assert_max_num_queries):
    world = public_world(activities=3, plant=False)
    url = plan_url(world.year)
    with django_assert_max_num_queries(60) as small:
        client.get(url)
    world.add_published(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["matched"] == 28


def test_the_staff_view_costs_the_same_queries_at_two_sizes(client, django_assert_max_num_queries):
    world = public_world(activities=3)
    client.force_login(world.coordinator)
    url = plan_url(world.year, query="drafts=1")
    client.get(url)  # the session's first touch
    with django_assert_max_num_queries(70) as small:
        client.get(url)
    world.add_published(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["matched"] == 30


def test_the_demo_plan_shows_its_fourteen_activities_of_2024(client, demo_data):
    response = client.get(plan_url(2024))
    assert response.status_code == 200
    assert response.context["matched"] == 14 and "14 activities match" in response.content.decode()
    assert client.get(plan_url(2025)).status_code == 404
    assert client.get(plan_url(2024, "vi")).status_code == 200
