"""The admin is one more caller of the services: its rules come from them, its pickers offer what a
focal point may use, computed actuals stay read-only, breakdowns add up, and budget columns follow
the year being looked at."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import IndicatorRule
from planning import services
from planning.models import (
    Activity,
    ActivityProgress,
    ActivityStatus,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Disaggregation,
    Indicator,
    IndicatorPeriod,
    Measure,
    Organisation,
    ProgressReport,
    Province,
    ReportStatus,
    ReviewStatus,
)
from planning.services import reporting
from tests.factories import (
    ActivityFactory,
    ActivityProgressFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    OrganisationFactory,
    ProvinceFactory,
    coordinator,
)
from tests.planning.test_admin import activity_of, add_activities, change_post_data, change_url, with_progress

pytestmark = pytest.mark.django_db


# Every write through the services ---------------------------------------------------------------


def test_activity_page_shows_the_services_relation_rule_beside_the_field(demo_data, client):
    activity = activity_of("mps")
    client.login(username="coordinator", password="demo-password")
    data = change_post_data(client, activity, partner_agencies=[activity.lead_agency_id], change_reason="x")

    response = client.post(change_url(activity), data)

    assert response.status_code == 200
    assert "partner_agencies" in response.context["adminform"].form.errors
    assert not activity.partner_agencies.filter(pk=activity.lead_agency_id).exists()


def test_activity_page_refuses_to_untick_a_year_whose_budget_lines_stay(demo_data, client):
    activity = Activity.objects.get(code="1.1.3")  # 2024–2025, with lines in both years
    year_2025 = DeliveryPlan.objects.get(plan=activity.plan, year=2025)
    assert activity.budget_lines.filter(delivery_plan=year_2025).exists()
    client.login(username="coordinator", password="demo-password")
    data = change_post_data(client, activity, change_reason="Only 2024")
    data["delivery_plans"] = [pk for pk in data["delivery_plans"] if pk != year_2025.pk]

    response = client.post(change_url(activity), data)

    assert response.status_code == 200
    assert year_2025 in activity.delivery_plans.all()


def test_activity_page_unticks_a_year_when_its_lines_are_deleted_on_the_same_page(demo_data, client):
    activity = Activity.objects.get(code="1.1.3")
    year_2025 = DeliveryPlan.objects.get(plan=activity.plan, year=2025)
    client.login(username="coordinator", password="demo-password")
    data = change_post_data(client, activity, change_reason="Only 2024")
    data["delivery_plans"] = [pk for pk in data["delivery_plans"] if pk != year_2025.pk]
    for index in range(int(data["budget_lines-TOTAL_FORMS"])):
        line = BudgetLine.objects.get(pk=data[f"budget_lines-{index}-id"])
        if line.delivery_plan_id == year_2025.pk:
            data[f"budget_lines-{index}-DELETE"] = "on"

    response = client.post(change_url(activity), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert year_2025 not in activity.delivery_plans.all()
    assert not activity.budget_lines.filter(delivery_plan=year_2025).exists()


def test_admin_deletion_goes_through_the_service_and_keeps_who(demo_data, client):
    line = BudgetLine.objects.filter(activity__lead_agency__code="mps", delivery_plan__status=ReviewStatus.SUBMITTED).first()
    client.login(username="focal.mps", password="demo-password")

    response = client.post(reverse("admin:planning_budgetline_delete", args=[line.pk]), {"post": "yes"})

    assert response.status_code == 302
    record = BudgetLine.history.filter(id=line.pk, history_type="-").get()
    assert record.history_user.username == "focal.mps"


def test_focal_point_is_offered_no_delete_on_an_approved_plans_rows_and_a_forced_one_is_refused(demo_data, client):
    line = BudgetLine.objects.filter(activity__lead_agency__code="mps", delivery_plan__status=ReviewStatus.PUBLISHED).first()
    client.login(username="focal.mps", password="demo-password")

    page = client.get(change_url(line)).content.decode()
    activity_page = client.get(change_url(line.activity)).content.decode()
    response = client.post(reverse("admin:planning_budgetline_delete", args=[line.pk]), {"post": "yes"})

    assert reverse("admin:planning_budgetline_delete", args=[line.pk]) not in page
    assert reverse("admin:planning_activity_delete", args=[line.activity.pk]) not in activity_page
    assert 'name="budget_lines-0-DELETE"' not in activity_page
    assert response.status_code == 403
    assert BudgetLine.objects.filter(pk=line.pk).exists()


def test_focal_point_changing_an_approved_plans_activity_gets_a_message_not_an_error_page(demo_data, client):
    activity = activity_of("mps")  # 2024 (published) and 2025
    client.login(username="focal.mps", password="demo-password")
    data = change_post_data(client, activity, title_vi="Đổi tên", change_reason="x")

    response = client.post(change_url(activity), data)

    assert response.status_code == 200
    assert str(DeliveryPlan.objects.get(plan=activity.plan, year=2024)) in " ".join(response.context["adminform"].form.non_field_errors())
    activity.refresh_from_db()
    assert activity.title_vi != "Đổi tên"


def test_coordinator_changes_an_approved_plans_activity(demo_data, client):
    activity = activity_of("mps")
    client.login(username="coordinator", password="demo-password")

    response = client.post(change_url(activity), change_post_data(client, activity, title_vi="Đổi tên", change_reason="Sửa theo quyết định"))

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title_vi == "Đổi tên"


def test_inline_budget_line_saved_from_the_activity_page_records_who_and_why(demo_data, client):
    activity = Activity.objects.get(code="1.2.2")  # MPS, 2025 only: a plan not approved yet
    year = activity.delivery_plans.order_by("year").first()
    client.login(username="focal.mps", password="demo-password")
    data = change_post_data(client, activity, change_reason="New line")
    index = int(data["budget_lines-TOTAL_FORMS"])
    data["budget_lines-TOTAL_FORMS"] = index + 1
    data.update(
        {
            f"budget_lines-{index}-{k}": v
            for k, v in {"delivery_plan": year.pk, "source": "central_budget", "amount_vnd": "7000000", "currency": "VND", "status": "estimated"}.items()
        }
    )

    assert client.post(change_url(activity), data).status_code == 302

    line = activity.budget_lines.get(amount_vnd=7000000)
    record = line.history.first()
    assert (record.history_user.username, record.history_change_reason) == ("focal.mps", "New line")


# A completed activity is at 100 % ----------------------------------------------------------------


def progress_form_errors(response, year):
    [inline] = [inline for inline in response.context["inline_admin_formsets"] if inline.formset.model is ActivityProgress]
    [form] = [form for form in inline.formset.forms if form.instance.delivery_plan_id and form.instance.delivery_plan.year == year]
    return form.errors


def test_completed_activity_below_100_percent_gets_a_message_beside_progress(demo_data, client):
    activity = activity_of("mps")
    client.login(username="focal.mps", password="demo-password")
    data = with_progress(change_post_data(client, activity, change_reason="Done"), 2025, status=ActivityStatus.COMPLETED, progress=60)

    response = client.post(change_url(activity), data)

    assert response.status_code == 200
    assert list(progress_form_errors(response, 2025)) == ["progress"]
    assert activity.yearly_progress.get(delivery_plan__year=2025).status != ActivityStatus.COMPLETED


def test_completed_activity_at_100_percent_is_saved(demo_data, client):
    activity = activity_of("mps")
    client.login(username="focal.mps", password="demo-password")
    data = with_progress(change_post_data(client, activity, change_reason="Done"), 2025, status=ActivityStatus.COMPLETED, progress=100)

    assert client.post(change_url(activity), data).status_code == 302
    progress = activity.yearly_progress.get(delivery_plan__year=2025)
    assert (progress.status, progress.progress) == (ActivityStatus.COMPLETED, 100)


def test_yearly_progress_is_refused_beside_the_row_while_the_agencys_report_is_submitted(demo_data, client):
    activity = activity_of("mps")
    report = ProgressReport.objects.get(agency__code="mps", period__year=2025, status=ReportStatus.DRAFT)
    reporting.report_submit(report=report, user=None)
    client.login(username="focal.mps", password="demo-password")
    data = with_progress(change_post_data(client, activity, change_reason="Late"), 2025, progress=95)

    response = client.post(change_url(activity), data)

    assert response.status_code == 200
    assert str(report.agency) in " ".join(progress_form_errors(response, 2025)["__all__"])  # its report is locked
    assert activity.yearly_progress.get(delivery_plan__year=2025).progress != 95


def test_the_activity_page_offers_an_empty_row_for_a_year_not_reported_yet(client):
    activity = ActivityFactory()
    activity.delivery_plans.set([DeliveryPlanFactory(plan=activity.plan, year=2025), DeliveryPlanFactory(plan=activity.plan, year=2026)])
    ActivityProgressFactory(activity=activity, delivery_plan=DeliveryPlan.objects.get(plan=activity.plan, year=2025), progress=40)
    client.force_login(coordinator())
    data = change_post_data(client, activity, change_reason="2026 started")
    data = with_progress(data, 2026, status=ActivityStatus.ON_TRACK, progress=10, actual_start="2026-02")

    response = client.post(change_url(activity), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert sorted(activity.yearly_progress.values_list("delivery_plan__year", "progress")) == [(2025, 40), (2026, 10)]
    assert ProgressReport.objects.filter(agency=activity.lead_agency, period__year=2026, status=ReportStatus.DRAFT).exists()


# Pickers ------------------------------------------------------------------------------------------


def autocomplete(client, model_name, field_name, term=""):
    response = client.get(reverse("admin:autocomplete"), {"app_label": "planning", "model_name": model_name, "field_name": field_name, "term": term})
    assert response.status_code == 200
    return response.json()["results"]


def test_focal_point_budget_line_pickers_offer_only_own_agencys_activities(demo_data, client):
    client.login(username="focal.mps", password="demo-password")

    form = client.get(reverse("admin:planning_budgetline_add")).context["adminform"].form
    offered = autocomplete(client, "budgetline", "activity")

    assert {activity.lead_agency.code for activity in form.fields["activity"].queryset} == {"mps"}
    ids = {int(row["id"]) for row in offered}
    assert ids and set(Activity.objects.filter(pk__in=ids).values_list("lead_agency__code", flat=True)) == {"mps"}


def test_focal_point_cannot_add_a_budget_line_to_another_agencys_activity_by_post(demo_data, client):
    other = activity_of("mod")
    year = other.delivery_plans.first()
    client.login(username="focal.mps", password="demo-password")
    before = BudgetLine.objects.count()

    response = client.post(
        reverse("admin:planning_budgetline_add"),
        {"activity": other.pk, "delivery_plan": year.pk, "source": "central_budget", "amount_vnd": "1000", "currency": "VND", "status": "estimated"},
    )

    assert response.status_code == 200
    assert "activity" in response.context["adminform"].form.errors
    assert BudgetLine.objects.count() == before


def test_focal_point_indicator_and_agency_autocompletes_offer_only_their_own(demo_data, client):
    client.login(username="focal.mps", password="demo-password")
    mps = Organisation.objects.get(code="mps")

    indicators = {int(row["id"]) for row in autocomplete(client, "indicatorperiod", "indicator")}
    agencies = {int(row["id"]) for row in autocomplete(client, "activity", "lead_agency")}
    activities = {int(row["id"]) for row in autocomplete(client, "indicator", "activity")}
    partners = {int(row["id"]) for row in autocomplete(client, "activity", "partner_agencies")}

    assert indicators and set(Indicator.objects.filter(pk__in=indicators).values_list("responsible_agency", flat=True)) == {mps.pk}
    assert agencies == {mps.pk}
    assert set(Activity.objects.filter(pk__in=activities).values_list("lead_agency", flat=True)) == {mps.pk}
    assert len(partners) > 1  # partners are anyone


def test_coordinator_autocomplete_offers_every_agencys_activities(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    offered = {int(row["id"]) for row in autocomplete(client, "budgetline", "activity")}

    assert len(set(Activity.objects.filter(pk__in=offered).values_list("lead_agency", flat=True))) > 1


def test_focal_point_cannot_set_an_indicator_period_of_another_agency_by_post(demo_data, client):
    other = Indicator.objects.exclude(responsible_agency__code="mps").first()
    client.login(username="focal.mps", password="demo-password")
    year = reporting.annual_period(plan=other.plan, year=2026)

    response = client.post(
        reverse("admin:planning_indicatorperiod_add"),
        {"indicator": other.pk, "period": year.pk, "target_value": "5",
         "disaggregated_values-TOTAL_FORMS": "0", "disaggregated_values-INITIAL_FORMS": "0"},
    )  # fmt: skip

    assert response.status_code == 200
    assert not IndicatorPeriod.objects.filter(indicator=other, period=year).exists()


# Provinces ----------------------------------------------------------------------------------------


def test_province_pickers_put_current_provinces_first_and_name_former_ones(reference_data, client):
    client.force_login(coordinator())

    rows = autocomplete(client, "activity", "provinces")
    client.get(reverse("admin:planning_activity_add"))
    page = client.get(reverse("admin:autocomplete"), {"app_label": "planning", "model_name": "activity", "field_name": "provinces", "page": 2}).json()
    rows += page["results"]
    pks = [int(row["id"]) for row in rows]
    provinces = {province.pk: province for province in Province.objects.filter(pk__in=pks)}
    former = [provinces[pk].valid_to is not None and provinces[pk].valid_to < datetime.date.today() for pk in pks]

    assert True in former and False in former
    assert former == sorted(former)  # every current one before every former one
    labels = [row["text"] for row, is_former in zip(rows, former, strict=True) if is_former]
    assert all("cũ" in label for label in labels)
    assert not any("until" in row["text"] for row in rows)


# Indicators counted from events ------------------------------------------------------------------


@pytest.fixture
def computed_period(db):
    indicator = IndicatorFactory(measure=Measure.NUMBER)
    IndicatorRule.objects.create(indicator=indicator)
    period = IndicatorPeriodFactory(indicator=indicator, actual_value=Decimal(12), proposed_value=Decimal(12))
    return period


def test_service_refuses_a_manual_actual_for_an_indicator_counted_from_events(computed_period):
    with pytest.raises(ValidationError) as error:
        services.indicator_period_set(indicator=computed_period.indicator, period=computed_period.period, actual_value=99)

    assert "actual_value" in error.value.message_dict
    computed_period.refresh_from_db()
    assert computed_period.actual_value == 12


def test_the_count_from_events_writes_the_proposed_figure_and_the_agency_confirms_it_as_the_actual(computed_period):
    services.indicator_period_set(indicator=computed_period.indicator, period=computed_period.period, proposed_value=13, computed=True)

    computed_period.refresh_from_db()
    assert (computed_period.proposed_value, computed_period.actual_value) == (13, 12)
    reporting.proposed_actual_confirm(period=computed_period, user=None)
    computed_period.refresh_from_db()
    assert computed_period.actual_value == 13


def test_the_count_from_events_cannot_write_the_actual(computed_period):
    with pytest.raises(ValidationError):
        services.indicator_period_set(indicator=computed_period.indicator, period=computed_period.period, actual_value=13, computed=True)

    computed_period.refresh_from_db()
    assert computed_period.actual_value == 12


def test_service_still_takes_a_target_for_an_indicator_counted_from_events(computed_period):
    services.indicator_period_set(indicator=computed_period.indicator, period=computed_period.period, target_value=20)

    computed_period.refresh_from_db()
    assert (computed_period.target_value, computed_period.actual_value) == (20, 12)


def test_service_refuses_a_manual_disaggregated_actual_for_an_indicator_counted_from_events(computed_period, reference_data):
    value = DisaggregatedValue(period=computed_period, kind="actual", disaggregation=Disaggregation.objects.get(code="sex"), category="female", value=5)

    with pytest.raises(ValidationError):
        services.disaggregated_value_save(value=value, user=None, reason="typed")

    assert not DisaggregatedValue.objects.filter(period=computed_period).exists()


def test_stand_alone_yearly_values_admin_shows_a_computed_actual_read_only(computed_period, client):
    client.force_login(coordinator())
    url = change_url(computed_period)

    page = client.get(url)
    form = page.context["adminform"].form
    data = change_post_data(client, computed_period, actual_value="99", target_value="30", change_reason="Typed by hand")
    response = client.post(url, data)

    assert "actual_value" not in form.fields
    assert "proposed_value" in page.context["adminform"].readonly_fields
    assert [inline.formset.model for inline in page.context["inline_admin_formsets"]] == [DisaggregatedValue]
    assert not page.context["inline_admin_formsets"][0].has_add_permission
    assert response.status_code == 302
    computed_period.refresh_from_db()
    assert (computed_period.actual_value, computed_period.target_value) == (12, 30)


def test_indicator_page_shows_a_computed_actual_read_only(computed_period, client):
    client.force_login(coordinator())

    page = client.get(change_url(computed_period.indicator))

    [periods] = page.context["inline_admin_formsets"]
    assert "actual_value" not in periods.formset.forms[0].fields
    assert "proposed_value" in periods.readonly_fields


# Breakdowns add up --------------------------------------------------------------------------------


@pytest.fixture
def sex(reference_data):
    return Disaggregation.objects.get(code="sex")


@pytest.fixture
def period(db):
    return IndicatorPeriodFactory(indicator=IndicatorFactory(measure=Measure.NUMBER), actual_value=Decimal(40))


def breakdown(period, sex, **values):
    return [
        DisaggregatedValue(period=period, kind="actual", disaggregation=sex, category=category.replace("_", "-"), value=value)
        for category, value in values.items()
    ]


def test_a_breakdown_covering_every_category_must_add_up_to_the_total(period, sex):
    with pytest.raises(ValidationError) as error:
        services.indicator_period_save(period=period, user=None, reason="x", disaggregated_values=breakdown(period, sex, female=25, male=14))

    assert "actual_value" in error.value.message_dict
    assert "39" in error.value.message_dict["actual_value"][0] and "40" in error.value.message_dict["actual_value"][0]
    assert not period.disaggregated_values.exists()


def test_the_difference_can_be_named_not_recorded(period, sex):
    services.indicator_period_save(period=period, user=None, reason="x", disaggregated_values=breakdown(period, sex, female=25, male=14, not_recorded=1))

    assert sorted(period.disaggregated_values.values_list("category", "value")) == [("female", 25), ("male", 14), ("not-recorded", 1)]


def test_a_partial_breakdown_may_fall_short_but_never_exceed_the_total(period, sex):
    services.indicator_period_save(period=period, user=None, reason="x", disaggregated_values=breakdown(period, sex, female=25))
    with pytest.raises(ValidationError):
        services.indicator_period_save(period=period, user=None, reason="x", disaggregated_values=breakdown(period, sex, male=16))


def test_changing_the_total_is_checked_against_the_stored_breakdown(period, sex):
    services.indicator_period_save(period=period, user=None, reason="x", disaggregated_values=breakdown(period, sex, female=25, male=15))

    with pytest.raises(ValidationError):
        services.indicator_period_set(indicator=period.indicator, period=period.period, actual_value=41)

    period.refresh_from_db()
    assert period.actual_value == 40


def inline_rows(rows):
    data = {"disaggregated_values-TOTAL_FORMS": len(rows), "disaggregated_values-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data.update({f"disaggregated_values-{index}-{key}": value for key, value in row.items()})
    return data


def test_yearly_values_page_says_when_the_breakdown_does_not_add_up(period, sex, client):
    client.force_login(coordinator())
    data = change_post_data(client, period, change_reason="Breakdown")
    rows = [
        {"kind": "actual", "disaggregation": sex.pk, "category": "female", "value": "25"},
        {"kind": "actual", "disaggregation": sex.pk, "category": "male", "value": "14"},
    ]

    response = client.post(change_url(period), {**data, **inline_rows(rows)})

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert "39" in " ".join(inline.formset.non_form_errors())
    assert not period.disaggregated_values.exists()
    fixed = client.post(
        change_url(period), {**data, **inline_rows([*rows, {"kind": "actual", "disaggregation": sex.pk, "category": "not-recorded", "value": "1"}])}
    )
    assert fixed.status_code == 302
    assert period.disaggregated_values.count() == 3


def test_categories_are_chosen_by_their_names_in_the_readers_language(period, sex, client):
    client.force_login(coordinator())

    page = client.get(change_url(period)).content.decode()

    assert '<option value="female">Nữ</option>' in page
    assert '<option value="male">Nam</option>' in page
    assert 'name="disaggregated_values-__prefix__-category"' in page
    assert 'type="text" name="disaggregated_values-__prefix__-category"' not in page


# Budget figures follow the year -----------------------------------------------------------------


@pytest.mark.parametrize("model", ["activity", "output", "objective"])
def test_budget_columns_add_up_the_year_the_list_is_filtered_to(demo_data, client, model):
    client.login(username="coordinator", password="demo-password")
    url = reverse(f"admin:planning_{model}_changelist")

    every_year = {row.pk: row.budget_estimated for row in client.get(url).context["cl"].result_list}
    page = client.get(url, {"year": 2025})
    rows = page.context["cl"].result_list

    path = {"activity": "activity", "output": "activity__output", "objective": "activity__output__objective"}[model]
    assert rows
    for row in rows:
        expected = sum(BudgetLine.objects.filter(**{path: row.pk, "delivery_plan__year": 2025}).values_list("amount_vnd", flat=True))
        assert row.budget_estimated == expected
    assert any(row.budget_estimated < every_year[row.pk] for row in rows)


def test_year_filter_of_outputs_lists_only_outputs_with_activities_that_year(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    rows = client.get(reverse("admin:planning_output_changelist"), {"year": 2024}).context["cl"].result_list

    assert rows
    assert all(row.activities.filter(delivery_plans__year=2024).exists() for row in rows)


@pytest.mark.parametrize("model", ["activity", "output", "objective", "budgetline"])
def test_year_filtered_changelist_query_count_does_not_grow_with_the_plan(demo_data, client, django_assert_max_num_queries, model):
    client.login(username="coordinator", password="demo-password")
    url = reverse(f"admin:planning_{model}_changelist")
    with django_assert_max_num_queries(30) as small:
        client.get(url, {"year": 2025})
    add_activities(20)
    for activity in Activity.objects.order_by("-pk")[:20]:
        year = DeliveryPlan.objects.get(plan=activity.plan, year=2025)
        activity.delivery_plans.add(year)
        BudgetLineFactory(activity=activity, delivery_plan=year)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url, {"year": 2025}).status_code == 200


def test_a_year_that_is_not_a_number_is_ignored(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    assert client.get(reverse("admin:planning_output_changelist"), {"year": "abc"}).status_code in (200, 302)


def test_focal_point_cannot_change_a_province(demo_data, client):
    province = ProvinceFactory(code="99", name_vi="Thử")
    client.login(username="focal.mps", password="demo-password")

    response = client.post(change_url(province), {"code": "99", "name_vi": "Đổi", "kind": province.kind, "change_reason": "x"})

    assert response.status_code == 403
    province.refresh_from_db()
    assert province.name_vi == "Thử"


def test_services_refuse_a_focal_point_writing_reference_data(demo_data):
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    focal = get_user_model().objects.get(username="focal.mps")
    with pytest.raises(PermissionDenied):
        services.record_save(obj=OrganisationFactory(code="x-org"), user=focal, reason="x")
