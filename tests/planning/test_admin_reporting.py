"""The admin of step 4: yearly progress and budget execution through the reporting services, the
periods an indicator reports in, the reporting calendar, and reports that the admin only shows."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from planning import services
from planning.models import (
    Activity,
    ActivityProgress,
    ActivityStatus,
    ApprovedValue,
    BudgetExecution,
    BudgetLine,
    DeliveryPlan,
    IndicatorPeriod,
    PeriodKind,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
)
from planning.services import reporting
from tests.factories import ActivityProgressFactory, BudgetLineFactory, IndicatorFactory, IndicatorPeriodFactory, coordinator
from tests.planning.test_admin import add_activities, change_post_data, change_url

pytestmark = pytest.mark.django_db


# The activity list: status and progress of a year ---------------------------------------------------


def listed(client, **params):
    return {row.code: row for row in client.get(reverse("admin:planning_activity_changelist"), params).context["cl"].result_list}


def test_activity_list_shows_the_status_and_progress_of_the_latest_year_by_default_and_of_the_chosen_year(demo_data, client):
    activity = Activity.objects.get(code="1.1.2")  # 2024 and 2025
    progress = {row.delivery_plan.year: row for row in activity.yearly_progress.select_related("delivery_plan")}
    client.login(username="coordinator", password="demo-password")

    latest, chosen = listed(client)["1.1.2"], listed(client, year=2024)["1.1.2"]
    page = client.get(reverse("admin:planning_activity_changelist")).content.decode()

    assert (latest.year_status, latest.year_progress) == (progress[2025].status, progress[2025].progress)
    assert (chosen.year_status, chosen.year_progress) == (progress[2024].status, progress[2024].progress)
    assert f'class="status-badge status-{progress[2025].status_colour}"' in page


def test_activity_list_filters_by_the_status_of_the_year(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    rows = listed(client, year=2025, year_status=ActivityStatus.OFF_TRACK)

    assert rows
    expected = set(ActivityProgress.objects.filter(delivery_plan__year=2025, status=ActivityStatus.OFF_TRACK).values_list("activity__code", flat=True))
    assert set(rows) == expected


def test_activity_list_with_yearly_status_costs_no_query_per_row(demo_data, client, django_assert_max_num_queries):
    client.login(username="coordinator", password="demo-password")
    url = reverse("admin:planning_activity_changelist")
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    add_activities(20)
    year = DeliveryPlan.objects.get(year=2025)
    for activity in Activity.objects.order_by("-pk")[:20]:
        ActivityProgressFactory(activity=activity, delivery_plan=year, status=ActivityStatus.ON_TRACK, progress=20)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# Budget execution on the budget line's page ---------------------------------------------------------


def test_budget_execution_is_saved_from_the_line_page_through_the_service_and_listed(client):
    line = BudgetLineFactory(amount_vnd=Decimal(100_000_000))
    client.force_login(coordinator())
    data = change_post_data(client, line, change_reason="Giải ngân quý II")
    data.update({"execution-0-committed_vnd": "80000000", "execution-0-committed_on": "2025-03-01",
                 "execution-0-disbursed_vnd": "50000000", "execution-0-disbursed_on": "2025-05-20"})  # fmt: skip

    response = client.post(change_url(line), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors if response.context else response
    execution = BudgetExecution.objects.get(line=line)
    assert (execution.committed_vnd, execution.disbursed_on) == (Decimal(80_000_000), datetime.date(2025, 5, 20))
    assert execution.history.first().history_change_reason == "Giải ngân quý II"
    assert ProgressReport.objects.filter(agency=line.activity.lead_agency, period__year=2025, status=ReportStatus.DRAFT).exists()
    listing = client.get(reverse("admin:planning_budgetline_changelist")).content.decode()
    assert "80.000.000" in listing and "50.000.000" in listing


def test_budget_execution_without_the_date_of_an_amount_is_shown_beside_the_date(client):
    line = BudgetLineFactory()
    client.force_login(coordinator())
    data = change_post_data(client, line, change_reason="Giải ngân")
    data["execution-0-spent_vnd"] = "1000000"

    response = client.post(change_url(line), data)

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert "spent_on" in inline.formset.forms[0].errors
    assert not BudgetExecution.objects.exists()


def test_budget_execution_is_refused_while_the_agencys_report_is_submitted(client):
    line = BudgetLineFactory()
    client.force_login(coordinator("writer"))
    reporting.budget_execution_save(execution=BudgetExecution(line=line, committed_vnd=Decimal(1), committed_on=datetime.date(2025, 2, 1)), user=None)
    reporting.report_submit(report=ProgressReport.objects.get(agency=line.activity.lead_agency), user=None)
    data = change_post_data(client, line, change_reason="Sửa")
    data["execution-0-committed_vnd"] = "2"

    response = client.post(change_url(line), data)

    assert response.status_code == 200
    [inline] = response.context["inline_admin_formsets"]
    assert inline.formset.forms[0].non_field_errors()
    assert BudgetExecution.objects.get(line=line).committed_vnd == Decimal(1)


def test_budget_line_list_costs_no_query_per_row(demo_data, client, django_assert_max_num_queries):
    client.login(username="coordinator", password="demo-password")
    url = reverse("admin:planning_budgetline_changelist")
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for line in BudgetLine.objects.filter(execution__isnull=True)[:20]:
        reporting.budget_execution_save(execution=BudgetExecution(line=line, committed_vnd=Decimal(5), committed_on=datetime.date(2025, 1, 2)), user=None)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# Periods of an indicator ------------------------------------------------------------------------


def test_indicator_period_picker_offers_every_period_of_the_indicators_plan(client):
    indicator = services.indicator_save(indicator=IndicatorFactory(frequency="quarterly"), user=None, reason="Tần suất hằng quý")
    period = IndicatorPeriodFactory(indicator=indicator)
    client.force_login(coordinator())
    periods_before = ReportingPeriod.objects.count()

    picker = client.get(change_url(period)).context["adminform"].form.fields["period"].queryset

    assert ReportingPeriod.objects.count() == periods_before  # opening a page writes nothing

    kinds = {(row.kind, row.year) for row in picker}
    assert {(PeriodKind.ANNUAL, 2030), (PeriodKind.QUARTER, 2026), (PeriodKind.MID_TERM, 2027), (PeriodKind.FINAL, 2030)} <= kinds
    assert {row.plan_id for row in picker} == {indicator.plan_id}


def test_a_2030_and_a_mid_term_target_are_stored_from_the_indicator_page_before_those_years_have_a_delivery_plan(client):
    indicator = IndicatorFactory()
    IndicatorPeriodFactory(indicator=indicator, target_value=Decimal(1))
    client.force_login(coordinator())
    data = change_post_data(client, indicator, change_reason="Chỉ tiêu dài hạn")
    mid_term = ReportingPeriod.objects.get(plan=indicator.plan, kind=PeriodKind.MID_TERM)
    final_year = reporting.annual_period(plan=indicator.plan, year=2030)
    data.update({"periods-TOTAL_FORMS": "3", "periods-1-period": final_year.pk, "periods-1-target_value": "30",
                 "periods-2-period": mid_term.pk, "periods-2-target_value": "15"})  # fmt: skip

    response = client.post(change_url(indicator), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors if response.context else response
    assert set(IndicatorPeriod.objects.filter(indicator=indicator).values_list("period__kind", "period__year", "target_value")) == {
        (PeriodKind.ANNUAL, 2025, Decimal(1)), (PeriodKind.ANNUAL, 2030, Decimal(30)), (PeriodKind.MID_TERM, mid_term.year, Decimal(15)),
    }  # fmt: skip
    assert not DeliveryPlan.objects.filter(plan=indicator.plan, year=2030).exists()


# The reporting calendar -------------------------------------------------------------------------


def test_coordinator_sets_a_periods_dates_and_due_date(demo_data, client):
    period = ReportingPeriod.objects.get(kind=PeriodKind.ANNUAL, year=2026)
    client.login(username="coordinator", password="demo-password")
    data = change_post_data(client, period, due_date="2027-01-31", change_reason="Lịch báo cáo")

    response = client.post(change_url(period), data)

    assert response.status_code == 302
    period.refresh_from_db()
    assert period.due_date == datetime.date(2027, 1, 31)
    assert period.history.first().history_change_reason == "Lịch báo cáo"


def test_focal_point_reads_the_calendar_but_cannot_change_it(demo_data, client):
    period = ReportingPeriod.objects.get(kind=PeriodKind.ANNUAL, year=2026)
    client.login(username="focal.mps", password="demo-password")

    page = client.get(change_url(period))
    response = client.post(change_url(period), {"start": "2026-01-01", "end": "2026-12-31", "due_date": "2026-02-01", "change_reason": "x"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    period.refresh_from_db()
    assert period.due_date != datetime.date(2026, 2, 1)


# Reports are read in the admin, never moved there -----------------------------------------------


def test_progress_report_page_offers_no_field_that_could_move_it(demo_data, client):
    report = ProgressReport.objects.filter(status=ReportStatus.PUBLISHED).first()
    client.login(username="coordinator", password="demo-password")

    page = client.get(change_url(report))
    post = client.post(change_url(report), {"status": ReportStatus.DRAFT, "narrative_vi": "Sửa"})

    assert page.status_code == 200
    assert page.context["adminform"].form.fields == {}
    assert 'name="_save"' not in page.content.decode()
    assert post.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED


def test_progress_report_list_filters_by_period_agency_and_status(demo_data, client, django_assert_max_num_queries):
    client.login(username="coordinator", password="demo-password")
    period = ReportingPeriod.objects.get(kind=PeriodKind.ANNUAL, year=2024)

    with django_assert_max_num_queries(30):
        rows = (
            client.get(reverse("admin:planning_progressreport_changelist"), {"period__id__exact": period.pk, "status__exact": "published"})
            .context["cl"]
            .result_list
        )

    assert rows and {(row.period_id, row.status) for row in rows} == {(period.pk, ReportStatus.PUBLISHED)}


def test_focal_point_sees_only_their_agencys_reports_in_the_admin(demo_data, client):
    client.login(username="focal.mps", password="demo-password")

    rows = client.get(reverse("admin:planning_progressreport_changelist")).context["cl"].result_list
    other = ProgressReport.objects.exclude(agency__code="mps").first()

    assert rows and {row.agency.code for row in rows} == {"mps"}
    assert client.get(change_url(other)).status_code in (302, 404)


def test_focal_point_never_reads_another_agencys_drafts_in_the_admin(demo_data, client):
    """Actuals, yearly progress and execution are drafts until approved: agency B's focal point sees
    none of agency A's, in lists, change pages, inlines or history."""
    period = IndicatorPeriod.objects.filter(period__year=2025).exclude(indicator__responsible_agency__code="mps").select_related("indicator").first()
    progress = ActivityProgress.objects.filter(delivery_plan__year=2025).exclude(activity__lead_agency__code="mps").select_related("activity").first()
    IndicatorPeriod.objects.filter(pk=period.pk).update(actual_value=Decimal("4242"))
    ActivityProgress.objects.filter(pk=progress.pk).update(narrative_vi="Bản nháp riêng của cơ quan khác")
    approved = ApprovedValue.objects.exclude(report__agency__code="mps").first()
    client.login(username="focal.mps", password="demo-password")

    periods = client.get(reverse("admin:planning_indicatorperiod_changelist")).context["cl"].result_list
    activity_page = client.get(change_url(progress.activity)).content.decode()
    indicator_page = client.get(change_url(period.indicator)).content.decode()
    approved_rows = client.get(reverse("admin:planning_approvedvalue_changelist")).context["cl"].result_list

    assert periods and {row.indicator.responsible_agency.code for row in periods} == {"mps"}
    assert client.get(change_url(period)).status_code in (302, 404)
    assert client.get(reverse("admin:planning_indicatorperiod_history", args=[period.pk])).status_code == 404
    assert "Bản nháp riêng của cơ quan khác" not in activity_page and "4242" not in indicator_page
    assert approved is not None and approved not in approved_rows
    listed_status = listed(client, year=2025)[progress.activity.code]
    assert listed_status.year_status is None


@pytest.mark.parametrize("model", [ApprovedValue, ReportTransition])
def test_nobody_adds_changes_or_deletes_approved_values_or_report_steps_in_the_admin(demo_data, client, model):
    row = model.objects.first()
    client.login(username="coordinator", password="demo-password")
    name = model._meta.model_name

    add = client.post(reverse(f"admin:planning_{name}_add"), {})
    change = client.post(change_url(row), {})
    delete = client.post(reverse(f"admin:planning_{name}_delete", args=[row.pk]), {"post": "yes"})

    assert client.get(change_url(row)).status_code == 200  # read, never written
    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert model.objects.filter(pk=row.pk).exists()


def test_focal_point_is_told_on_opening_an_approved_plans_activity_that_it_does_not_change(demo_data, client):
    activity = Activity.objects.get(code="1.1.2")  # MPS, 2024 (published) and 2025
    client.login(username="focal.mps", password="demo-password")

    page = client.get(change_url(activity))

    notices = [str(message) for message in page.context["messages"]]
    assert any(str(DeliveryPlan.objects.get(plan=activity.plan, year=2024)) in notice for notice in notices)
    assert 'name="_save"' in page.content.decode()  # its yearly progress is still reported here
