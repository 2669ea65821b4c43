"""The public activities list (filters in the URL, search without diacritics) and an activity's page:
published values only, in both languages, in a fixed number of queries."""

import datetime
import types
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from napwps.text import fold
from planning.models import Activity, DeliveryPlan, Evidence, FundingSource, FundingStatus, Province, ProvinceSuccession, ResultLevel, ReviewStatus
from planning.views.public.activities import PAGE_SIZE, timeline
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    EventFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OutputFactory,
    ParticipationFactory,
    PersonFactory,
    TaskGroupFactory,
    leak_strings,
    public_world,
)

pytestmark = pytest.mark.django_db

TRAINING = "Tập huấn về bình đẳng giới tại Đà Nẵng"


def list_url(language="vi", **params):
    with translation.override(language):
        url = reverse("public:activity-list")
    return url + ("?" + "&".join(f"{name}={value}" for name, value in params.items()) if params else "")


def detail_url(activity, language="vi"):
    with translation.override(language):
        return reverse("public:activity-detail", args=[activity.pk])


def codes(response) -> set[str]:
    return {activity.code for activity, _progress in response.context["rows"]}


def published_activity(world, **fields):
    """An activity of the published delivery plan, not reported on."""
    fields.setdefault("output", world.output)
    fields.setdefault("lead_agency", world.agency)
    activity = ActivityFactory(planned_start=datetime.date(world.year, 1, 1), planned_end=datetime.date(world.year, 12, 1), **fields)
    activity.delivery_plans.add(world.delivery_plan)
    return activity


def publish_year(world, year):
    delivery_plan = DeliveryPlan.objects.create(plan=world.plan, year=year)
    DeliveryPlan.objects.filter(pk=delivery_plan.pk).update(
        status=ReviewStatus.PUBLISHED, approval_number=f"{year}/KH-TEST", approval_date=datetime.date(year, 1, 15)
    )
    return delivery_plan


def province(code, name, *, valid_from=None, valid_to=None):
    found, _created = Province.objects.update_or_create(
        code=code, valid_from=valid_from, defaults={"name_vi": name, "name_en": fold(name).title(), "kind": "province", "valid_to": valid_to}
    )
    return found


def merged_provinces():
    """Today's Đà Nẵng (48), made of the old Đà Nẵng and Quảng Nam (49), and Hà Nội (01), unchanged."""
    reform = datetime.date(2025, 7, 1)
    new = province("48", "Đà Nẵng", valid_from=reform)
    old_da_nang = province("48", "Đà Nẵng", valid_to=reform - datetime.timedelta(days=1))
    quang_nam = province("49", "Quảng Nam", valid_to=reform - datetime.timedelta(days=1))
    for old in (old_da_nang, quang_nam):
        ProvinceSuccession.objects.get_or_create(predecessor=old, successor=new)
    ha_noi = province("01", "Hà Nội")
    return types.SimpleNamespace(new=new, old_da_nang=old_da_nang, quang_nam=quang_nam, ha_noi=ha_noi)


# Both languages, anonymously ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_list_and_activity_page_answer_anonymously_in_both_languages(client, language):
    world = public_world(activities=2, plant=False)
    response = client.get(list_url(language))
    assert response.status_code == 200
    assert codes(response) == {a.code for a in world.activities}
    page = client.get(detail_url(world.activities[0], language))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<title>{world.activities[0].code}." in html
    assert '<meta name="description"' in html
    assert html.count("<h1") == 1


def test_the_vietnamese_pages_show_no_english_interface_text(client):
    world = public_world(activities=1, plant=False)
    for url in (list_url(), detail_url(world.activities[0])):
        html = client.get(url).content.decode()
        for english in (
            "Estimated budget",
            "Funding gap",
            "Lead agency",
            "Timeline",
            "Status by year",
            "No activity matches",
            "Evidence",
            "Search",
            "Behind target",
        ):
            assert english not in html, (url, english)


# Nothing unpublished --------------------------------------------------------------------------------


def test_planted_values_never_show_on_the_list_or_any_activity_page(client):
    world = public_world(activities=3)
    pages = [list_url(), list_url("en"), list_url(year=world.year + 1), list_url(status="at_risk"), list_url(q="leak")]
    for activity in (*world.activities, world.returned_activity, world.unpublished_activity):
        pages += [detail_url(activity), detail_url(activity, "en")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for leak in leak_strings():
            assert leak not in html, (url, leak)


def test_an_activity_of_an_unpublished_delivery_plan_is_not_listed_and_its_page_is_404(client):
    world = public_world(activities=1)
    assert world.hidden_activity.code not in codes(client.get(list_url()))
    assert client.get(detail_url(world.hidden_activity)).status_code == 404
    assert client.get(detail_url(world.hidden_activity, "en")).status_code == 404


def test_the_returned_and_unpublished_reports_activities_show_as_not_reported(client):
    world = public_world(activities=1)
    response = client.get(list_url(status="not_reported"))
    assert codes(response) == {world.returned_activity.code, world.unpublished_activity.code}
    assert codes(client.get(list_url(status="at_risk"))) == set()  # their at-risk status was never published


def test_only_published_years_are_offered(client):
    world = public_world(activities=1)
    form = client.get(list_url()).context["form"]
    assert [value for value, _label in form.fields["year"].choices] == [world.year]


# Filters --------------------------------------------------------------------------------------------


def test_filters_by_objective_task_group_agency_and_status(client):
    world = public_world(activities=2, plant=False)
    other_objective = ObjectiveFactory(plan=world.plan)
    other_group = TaskGroupFactory(plan=world.plan)
    other_agency = OrganisationFactory()
    elsewhere = published_activity(world, output=OutputFactory(objective=other_objective), task_group=other_group, lead_agency=other_agency)
    everyone = {a.code for a in world.activities} | {elsewhere.code}
    assert codes(client.get(list_url())) == everyone
    assert codes(client.get(list_url(objective=other_objective.pk))) == {elsewhere.code}
    assert codes(client.get(list_url(objective=world.objective.pk))) == everyone - {elsewhere.code}
    assert codes(client.get(list_url(task_group=other_group.pk))) == {elsewhere.code}
    assert codes(client.get(list_url(agency=other_agency.pk))) == {elsewhere.code}
    assert codes(client.get(list_url(agency=world.agency.pk))) == everyone - {elsewhere.code}
    assert codes(client.get(list_url(status="on_track"))) == everyone - {elsewhere.code}
    assert codes(client.get(list_url(status="not_reported"))) == {elsewhere.code}
    assert codes(client.get(list_url(status="completed"))) == set()
    combined = client.get(list_url(objective=world.objective.pk, agency=other_agency.pk))
    assert codes(combined) == set()
    assert "no-activities" in combined.content.decode()


def test_a_province_of_today_also_finds_the_units_it_was_made_of(client):
    world = public_world(activities=1, plant=False)
    units = merged_provinces()
    in_quang_nam = published_activity(world)
    in_quang_nam.provinces.add(units.quang_nam)
    in_new_da_nang = published_activity(world)
    in_new_da_nang.provinces.add(units.new)
    in_ha_noi = published_activity(world)
    in_ha_noi.provinces.add(units.ha_noi)
    assert codes(client.get(list_url(province=units.new.pk))) == {in_quang_nam.code, in_new_da_nang.code}
    assert codes(client.get(list_url(province=units.ha_noi.pk))) == {in_ha_noi.code}
    offered = [value.value for value, _label in client.get(list_url()).context["form"].fields["province"].choices if value]
    assert units.new.pk in offered and units.ha_noi.pk in offered
    assert units.quang_nam.pk not in offered  # only the units of today


def test_the_year_filter_lists_that_years_activities_and_statuses(client):
    world = public_world(activities=1, plant=False)
    later = publish_year(world, world.year + 1)
    next_year_only = published_activity(world)
    next_year_only.delivery_plans.set([later])
    world.activities[0].delivery_plans.add(later)
    response = client.get(list_url())
    assert response.context["year"] == world.year + 1  # the latest published year by default
    assert codes(response) == {world.activities[0].code, next_year_only.code}
    assert codes(client.get(list_url(year=world.year))) == {world.activities[0].code}
    # The 2024 status was published; nothing yet for the next year.
    assert codes(client.get(list_url(year=world.year, status="on_track"))) == {world.activities[0].code}
    assert codes(client.get(list_url(year=world.year + 1, status="on_track"))) == set()


def test_search_matches_code_and_titles_with_or_without_diacritics(client):
    world = public_world(activities=1, plant=False)
    training = published_activity(world, code="9.9.1", title_vi=TRAINING, title_en="Gender equality training in Da Nang")
    for query in ("bình đẳng", "binh dang", "BÌNH ĐẲNG", "Đà Nẵng", "da nang", "DA NANG", "tap huan da", "gioi", "9.9.1", "equality training"):
        assert codes(client.get(list_url(q=query))) == {training.code}, query
    assert codes(client.get(list_url(q="ha noi"))) == set()
    assert codes(client.get(list_url(q="da nang hanoi"))) == set()  # every word must match
    assert codes(client.get(list_url(q="   "))) == {world.activities[0].code, training.code}


def test_search_text_follows_the_title(client):
    world = public_world(activities=1, plant=False)
    activity = Activity.objects.get(pk=world.activities[0].pk)
    activity.title_vi = "Báo cáo thường niên"
    activity.save()
    assert Activity.objects.get(pk=activity.pk).search_text.count("bao cao thuong nien") == 1
    assert codes(client.get(list_url(q="bao cao"))) == {activity.code}
    activity.title_vi = "Hội nghị"
    activity.save(update_fields=["title_vi"])
    assert "hoi nghi" in Activity.objects.get(pk=activity.pk).search_text


def test_fold_removes_diacritics_and_case():
    assert fold("  Tập huấn về BÌNH ĐẲNG\tgiới tại Đà Nẵng ") == "tap huan ve binh dang gioi tai da nang"
    assert fold("đĐ") == "dd"
    assert fold(None) == ""


@pytest.mark.parametrize(
    "params",
    [
        {"objective": "abc"},
        {"objective": "999999"},
        {"task_group": "-1"},
        {"agency": "1.5"},
        {"province": "999999"},
        {"status": "bogus"},
        {"year": "1999"},
        {"year": "x"},
        {"page": "zzz"},
        {"page": "999"},
        {"q": "x" * 300},
    ],
)
def test_invalid_filter_values_show_form_errors_not_a_500(client, params):
    world = public_world(activities=1, plant=False)
    response = client.get(list_url(**params))
    assert response.status_code == 200
    name = next(iter(params))
    if name != "page":
        assert response.context["form"].errors[name]
        assert f'id="id_{name}-errors"' in response.content.decode()
    assert codes(response) == {world.activities[0].code}  # the valid filters (none) still apply


def test_an_agency_without_a_public_activity_is_not_offered(client):
    world = public_world(activities=1)
    hidden_lead = OrganisationFactory(name_vi="Cơ quan chỉ có kế hoạch nháp")
    hidden = ActivityFactory(output=world.output, lead_agency=hidden_lead)
    hidden.delivery_plans.add(world.draft_plan)
    form = client.get(list_url()).context["form"]
    offered = {choice.value for choice, _label in form.fields["agency"].choices if choice}
    assert world.agency.pk in offered and hidden_lead.pk not in offered
    assert "Cơ quan chỉ có kế hoạch nháp" not in client.get(list_url()).content.decode()


def test_pagination_keeps_the_filters(client):
    world = public_world(activities=1, plant=False)
    lead = OrganisationFactory()
    many = [published_activity(world, lead_agency=lead, code=f"P.{index:02d}") for index in range(PAGE_SIZE + 2)]
    first = client.get(list_url(agency=lead.pk, q="hoat"))
    assert len(first.context["rows"]) == PAGE_SIZE
    html = first.content.decode()
    assert f"agency={lead.pk}&amp;q=hoat&amp;page=2" in html
    second = client.get(list_url(agency=lead.pk, q="hoat", page=2))
    assert codes(second) == {a.code for a in many[PAGE_SIZE:]}
    assert f"agency={lead.pk}&amp;q=hoat&amp;page=1" in second.content.decode()


def test_rows_are_in_the_plans_order(client):
    world = public_world(activities=1, plant=False)
    published_activity(world, code="Z.1", order=0)
    published_activity(world, code="B.1", order=5)
    rows = [activity.code for activity, _progress in client.get(list_url()).context["rows"]]
    assert rows.index("Z.1") < rows.index("B.1")


# Query counts ---------------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_at_two_sizes(client):
    world = public_world(activities=3)
    units = merged_provinces()
    world.activities[0].provinces.add(units.quang_nam)
    filtered = list_url(q="hoat dong", province=units.new.pk, status="on_track", agency=world.agency.pk, objective=world.objective.pk)
    small = [count_queries(client, url) for url in (list_url(), filtered)]
    world.add_published(25)
    for activity in world.activities[3:]:
        activity.provinces.add(units.quang_nam, units.ha_noi)
    assert [count_queries(client, url) for url in (list_url(), filtered)] == small


def enrich(world, activity, units, *, size: int, first: int):
    """`size` more provinces (old units that became today's Đà Nẵng, and units of today), partners,
    budget lines, indicators, events and evidence."""
    for index in range(first, first + size):
        old = province(f"{60 + index}", f"Tỉnh cũ {index}", valid_to=datetime.date(2025, 6, 30))
        ProvinceSuccession.objects.get_or_create(predecessor=old, successor=units.new)
        activity.provinces.add(old, province(f"{80 + index}", f"Tỉnh mới {index}"))
    activity.partner_agencies.add(*[OrganisationFactory() for _ in range(size)])
    activity.supporting_partners.add(*[OrganisationFactory() for _ in range(size)])
    for index in range(size):
        BudgetLineFactory(activity=activity, delivery_plan=world.delivery_plan, source=FundingSource.ODA_GRANT, amount_vnd=Decimal(5_000_000 + index))
        IndicatorFactory(level=ResultLevel.ACTIVITY, activity=activity, output=None, responsible_agency=world.agency)
        event = EventFactory(start_date=datetime.date(world.year, 3, 1 + index), end_date=datetime.date(world.year, 3, 1 + index))
        event.activities.add(activity)
        Evidence.objects.create(
            report=world.report, activity=activity, title_vi=f"Biên bản {index}", file=f"evidence/minutes-{index}.pdf",
            original_name=f"minutes-{index}.pdf", content_type="application/pdf", size=1000, is_public=True,
        )  # fmt: skip


def test_the_activity_page_costs_the_same_queries_at_two_sizes(client):
    world = public_world(activities=3)
    units = merged_provinces()
    activity = world.activities[0]
    enrich(world, activity, units, size=1, first=0)
    small = count_queries(client, detail_url(activity))
    enrich(world, activity, units, size=4, first=1)
    world.add_published(5)
    assert count_queries(client, detail_url(activity)) == small


def test_another_published_year_of_the_activity_costs_no_more_query(client):
    """What delivered the activity is asked once for all its years (`selectors.deliveries`)."""
    world = public_world(activities=1, plant=False)
    activity = world.activities[0]
    one_year = count_queries(client, detail_url(activity))
    activity.delivery_plans.add(publish_year(world, world.year + 1))
    BudgetLineFactory(activity=activity, delivery_plan=DeliveryPlan.objects.get(plan=world.plan, year=world.year + 1))
    assert count_queries(client, detail_url(activity)) == one_year


# The activity page ----------------------------------------------------------------------------------


def test_the_tile_map_highlights_the_units_of_today(client):
    world = public_world(activities=1, plant=False)
    units = merged_provinces()
    activity = world.activities[0]
    activity.provinces.add(units.quang_nam, units.ha_noi)
    response = client.get(detail_url(activity))
    chart = response.context["province_map"]
    assert [row[0] for row in chart.rows] == ["Hà Nội", "Đà Nẵng"]  # in map order; Quảng Nam counts as Đà Nẵng
    html = response.content.decode()
    assert "Quảng Nam" in html and "hiện thuộc" in html  # listed in text, with the unit it became
    assert "<svg" in html


def test_the_page_shows_lead_partners_budget_indicators_events_and_public_evidence(client):
    world = public_world(activities=1, plant=False)
    activity = world.activities[0]
    partner = OrganisationFactory(name_vi="Hội Liên hiệp Phụ nữ thử")
    activity.partner_agencies.add(partner)
    event = EventFactory(title_vi="Hội thảo tham vấn", start_date=datetime.date(world.year, 5, 6), end_date=datetime.date(world.year, 5, 7))
    event.activities.add(activity)
    ParticipationFactory(event=event, person=PersonFactory(full_name="Trần Thị Riêng Tư"))
    Evidence.objects.create(
        report=world.report, activity=activity, title_vi="Biên bản công khai", file="evidence/a.pdf",
        original_name="a.pdf", content_type="application/pdf", size=2048, is_public=True,
    )  # fmt: skip
    private = Evidence.objects.create(
        report=world.report, activity=activity, title_vi="Biên bản nội bộ", file="evidence/b.pdf",
        original_name="b.pdf", content_type="application/pdf", size=2048, is_public=False,
    )  # fmt: skip
    html = client.get(detail_url(activity)).content.decode()
    assert reverse("public:agency-detail", args=[world.agency.pk]) in html
    assert reverse("public:agency-detail", args=[partner.pk]) in html
    assert "100.000.000 ₫" in html and "90.000.000 ₫" in html  # the line and its published committed execution
    assert reverse("public:indicator-detail", args=[world.indicators[0].pk]) in html
    assert "Hội thảo tham vấn" in html and "06/05/2024" in html
    assert reverse("events:public-detail", args=[event.pk]) in html
    assert "Trần Thị Riêng Tư" not in html
    assert "Biên bản công khai" in html and "Biên bản nội bộ" not in html
    assert reverse("planning:evidence-download", args=[private.pk]) not in html


def test_the_budget_gap_is_estimated_minus_committed_lines(client):
    world = public_world(activities=1, plant=False)
    activity = world.activities[0]
    BudgetLineFactory(
        activity=activity, delivery_plan=world.delivery_plan, source=FundingSource.ODA_GRANT, amount_vnd=Decimal(40_000_000), status=FundingStatus.PLEDGED
    )
    context = client.get(detail_url(activity)).context
    (year,) = context["budget_years"]
    assert (year.estimated, year.committed, year.gap) == (Decimal(140_000_000), Decimal(100_000_000), Decimal(40_000_000))


def test_the_timeline_shades_planned_and_actual_months():
    activity = types.SimpleNamespace(planned_start=datetime.date(2024, 3, 1), planned_end=datetime.date(2024, 6, 1))
    history = [
        (types.SimpleNamespace(year=2024), types.SimpleNamespace(actual_start=datetime.date(2024, 5, 1), actual_end=None)),
        (types.SimpleNamespace(year=2025), None),
    ]
    shown = timeline(activity, history)
    assert shown.months[0] == datetime.date(2024, 3, 1) and shown.months[-1] == datetime.date(2024, 12, 1)
    planned, actual = shown.rows
    assert planned.cells == [True] * 4 + [False] * 6
    assert actual.cells == [False] * 2 + [True] * 8 and actual.end is None
    assert shown.years == [(2024, 10)]
