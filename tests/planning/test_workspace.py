"""The focal points' workspace: the home page, the report page, the item forms, who sees what, the
lock while submitted, the edit conflict, bounded queries and the Vietnamese pages."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from planning import roles, selectors, services
from planning.forms.workspace import ActivityProgressForm
from planning.models import (
    Activity,
    ActivityProgress,
    ActivityStatus,
    BudgetExecution,
    DeliveryPlan,
    DisaggregatedValue,
    Disaggregation,
    Indicator,
    IndicatorPeriod,
    Measure,
    Organisation,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ValueKind,
)
from planning.models.indicators import NOT_RECORDED
from planning.services import reporting
from planning.views.workspace import current_period
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    EventFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OutputFactory,
    PlanFactory,
    UserFactory,
    coordinator,
    focal_point,
)


@dataclass
class World:
    plan: object
    delivery_plan: DeliveryPlan
    period: ReportingPeriod
    agency: Organisation
    other: Organisation
    activity: Activity
    other_activity: Activity
    line: object
    other_line: object
    indicator: Indicator
    other_indicator: Indicator
    focal: object
    other_focal: object
    coordinator: object


@pytest.fixture
def world(reference_data):
    plan = PlanFactory()
    delivery_plan = DeliveryPlanFactory(plan=plan, year=2025)
    output = OutputFactory(objective=ObjectiveFactory(plan=plan))
    agency, other = OrganisationFactory(code="agency-a", name_vi="Bộ A"), OrganisationFactory(code="agency-b", name_vi="Bộ B")
    activity = ActivityFactory(output=output, lead_agency=agency, code="A.1", title_vi="Tập huấn A")
    other_activity = ActivityFactory(output=output, lead_agency=other, code="B.1", title_vi="Tập huấn B")
    activity.delivery_plans.add(delivery_plan)
    other_activity.delivery_plans.add(delivery_plan)
    line = BudgetLineFactory(activity=activity, delivery_plan=delivery_plan)
    other_line = BudgetLineFactory(activity=other_activity, delivery_plan=delivery_plan)
    indicator = IndicatorFactory(output=output, responsible_agency=agency, code="I.A", title_vi="Số người được tập huấn")
    indicator.disaggregations.add(Disaggregation.objects.get(code="sex"))
    other_indicator = IndicatorFactory(output=output, responsible_agency=other, code="I.B")
    period = reporting.annual_period(plan=plan, year=2025)
    period.due_date = timezone.localdate() + datetime.timedelta(days=10)
    period.save()
    return World(
        plan=plan, delivery_plan=delivery_plan, period=period, agency=agency, other=other, activity=activity, other_activity=other_activity,
        line=line, other_line=other_line, indicator=indicator, other_indicator=other_indicator,
        focal=focal_point(agency, "focal-a"), other_focal=focal_point(other, "focal-b"), coordinator=coordinator("coord-ws"),
    )  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def home_url(world, agency=None) -> str:
    return f"{reverse('planning:workspace')}?agency={(agency or world.agency).pk}&period={world.period.pk}"


def signed(version: int) -> str:
    return str(ActivityProgressForm.base_fields["version"].prepare_value(version))


def progress_data(version=0, **changes) -> dict:
    data = {
        "status": ActivityStatus.ON_TRACK, "progress": "40", "actual_start": "2025-03", "actual_end": "",
        "status_justification_vi": "", "status_justification_en": "", "narrative_vi": "Đã tổ chức hai lớp", "narrative_en": "",
        "version": signed(version),
    }  # fmt: skip
    data.update(changes)
    return data


def progress_url(world, activity=None) -> str:
    return reverse("planning:activity-progress-edit", args=[world.period.pk, (activity or world.activity).pk])


def indicator_url(world, indicator=None) -> str:
    return reverse("planning:indicator-actual-edit", args=[world.period.pk, (indicator or world.indicator).pk])


def execution_url(line) -> str:
    return reverse("planning:budget-execution-edit", args=[line.pk])


def sex_field(category: str) -> str:
    return f"{Disaggregation.objects.get(code='sex').pk}__{category}__value"


def report_of(world, agency=None) -> ProgressReport:
    return reporting.latest_report(agency_id=(agency or world.agency).pk, period=world.period)


def save_progress(world, user=None, **fields) -> ActivityProgress:
    progress = reporting.activity_progress_for(activity=world.activity, delivery_plan=world.delivery_plan)
    for name, value in {"status": ActivityStatus.ON_TRACK, "progress": 30, **fields}.items():
        setattr(progress, name, value)
    return reporting.activity_progress_save(progress=progress, user=user or world.focal)


# Who may come in -------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(world):
    response = Client().get(reverse("planning:workspace"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_user_without_a_reporting_role_is_refused(world):
    organiser = UserFactory(username="someone")
    assert client_for(organiser).get(reverse("planning:workspace")).status_code == 403
    assert client_for(organiser).get(progress_url(world)).status_code == 403


def test_focal_point_lands_on_the_workspace_and_sees_it_in_the_menu(world):
    assert roles.start_page(world.focal) == reverse("planning:workspace")
    response = client_for(world.focal).get(reverse("planning:workspace"))
    assert response.status_code == 200
    assert 'id="nav-workspace"' in response.content.decode()
    assert "Bộ A" in response.content.decode()


def test_coordinator_picks_an_agency_and_a_focal_point_may_not(world):
    coordinator_page = client_for(world.coordinator).get(home_url(world, world.other))
    assert coordinator_page.status_code == 200
    assert coordinator_page.context["agency"] == world.other
    assert client_for(world.focal).get(home_url(world, world.other)).status_code == 403
    picker = client_for(world.coordinator).get(reverse("planning:workspace"))
    assert picker.context["agency"] is None and world.other in picker.context["agency_choices"]


# The home page ---------------------------------------------------------------------------------------


def test_home_shows_what_is_due_what_is_missing_and_what_was_returned(world):
    progress = save_progress(world)
    report = report_of(world)
    reporting.report_submit(report=report, user=world.focal)
    reporting.report_return(
        report=report, user=world.coordinator, comment="Thiếu số liệu ngân sách", item_comments={progress: "Tiến độ 30% chưa khớp với tường thuật"}
    )
    response = client_for(world.focal).get(home_url(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert world.period.due_date.strftime("%d/%m/%Y") in page
    assert 'id="days-left"' in page and "Còn 10 ngày" in page
    missing = [(entry.kind, entry.obj) for entry, _url in response.context["missing"]]
    assert ("actual", world.indicator) in missing and ("execution", world.line) in missing
    assert ("progress", world.other_activity) not in missing
    assert "Thiếu số liệu ngân sách" in page
    assert "Tiến độ 30% chưa khớp với tường thuật" in page
    assert response.context["report"].status == ReportStatus.RETURNED
    assert [step.to_status for step in response.context["transitions"]] == ["draft", "submitted", "returned"]
    assert execution_url(world.line) in page  # a link to fill in what is missing


def test_home_shows_an_overdue_period(world):
    world.period.due_date = timezone.localdate() - datetime.timedelta(days=3)
    world.period.save()
    page = client_for(world.focal).get(home_url(world)).content.decode()
    assert 'id="days-overdue"' in page and "Quá hạn 3 ngày" in page


def test_current_period_is_the_earliest_started_year_not_yet_approved(world):
    periods = list(ReportingPeriod.objects.filter(plan=world.plan, kind="annual").order_by("year"))
    today = timezone.localdate()
    started = [period for period in periods if period.start <= today]
    decided = ProgressReport(status=ReportStatus.APPROVED)
    assert current_period(periods, {}) == started[0]
    assert current_period(periods, {started[0].pk: decided}) == (started[1] if len(started) > 1 else started[0])
    assert current_period(periods, {period.pk: decided for period in started}) == started[-1]


# The item forms --------------------------------------------------------------------------------------


def test_yearly_progress_form_saves_through_the_service_with_history(world):
    client = client_for(world.focal)
    assert client.get(progress_url(world)).status_code == 200
    response = client.post(progress_url(world), progress_data())
    assert response.status_code == 302
    progress = ActivityProgress.objects.get(activity=world.activity, delivery_plan=world.delivery_plan)
    assert (progress.status, progress.progress, progress.actual_start) == (ActivityStatus.ON_TRACK, 40, datetime.date(2025, 3, 1))
    assert progress.history.latest().history_user == world.focal
    report = report_of(world)
    assert report.status == ReportStatus.DRAFT and world.focal in report.editors.all()
    assert response["Location"] == report.get_absolute_url()


def test_yearly_progress_page_lists_the_events_that_delivered_the_activity_that_year(world):
    delivered = EventFactory(title_vi="Tập huấn cho cán bộ nữ 2025", start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 12))
    earlier = EventFactory(title_vi="Hội thảo năm trước", start_date=datetime.date(2024, 5, 6), end_date=datetime.date(2024, 5, 6))
    unrelated = EventFactory(title_vi="Hội thảo của hoạt động khác", start_date=datetime.date(2025, 4, 1), end_date=datetime.date(2025, 4, 1))
    delivered.activities.add(world.activity)
    earlier.activities.add(world.activity)
    unrelated.activities.add(world.other_activity)

    page = client_for(world.focal).get(progress_url(world)).content.decode()

    assert "Tập huấn cho cán bộ nữ 2025" in page and "10/03/2025–12/03/2025" in page
    assert "Hội thảo năm trước" not in page and "Hội thảo của hoạt động khác" not in page


def test_yearly_progress_form_shows_the_models_rule_beside_the_field(world):
    response = client_for(world.focal).post(progress_url(world), progress_data(status=ActivityStatus.AT_RISK))
    assert response.status_code == 200
    assert "status_justification_vi" in response.context["form"].errors
    assert not ActivityProgress.objects.filter(activity=world.activity).exists()


def test_indicator_actual_is_saved_with_its_breakdown(world):
    client = client_for(world.focal)
    assert client.get(indicator_url(world)).status_code == 200
    data = {"actual_value": "10", "actual_source_vi": "Danh sách lớp", "actual_source_en": "", "version": signed(0),
            sex_field("female"): "6", sex_field("male"): "3", sex_field(NOT_RECORDED): "1"}  # fmt: skip
    response = client.post(indicator_url(world), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    item = IndicatorPeriod.objects.get(indicator=world.indicator, period=world.period)
    assert item.actual_value == 10 and item.actual_source_vi == "Danh sách lớp"
    breakdown = {value.category: value.value for value in item.disaggregated_values.filter(kind=ValueKind.ACTUAL)}
    assert breakdown == {"female": 6, "male": 3, NOT_RECORDED: 1}
    assert item.history.latest().history_user == world.focal
    # Emptying a category deletes its value; the rest stays.
    data.update({sex_field(NOT_RECORDED): "", sex_field("male"): "4", "version": signed(item.version)})
    assert client.post(indicator_url(world), data).status_code == 302
    breakdown = {value.category: value.value for value in item.disaggregated_values.filter(kind=ValueKind.ACTUAL)}
    assert breakdown == {"female": 6, "male": 4}


def test_breakdown_that_does_not_add_up_is_refused_beside_the_total(world):
    data = {"actual_value": "10", "actual_source_vi": "", "actual_source_en": "", "version": signed(0), sex_field("female"): "6", sex_field("male"): "3"}
    response = client_for(world.focal).post(indicator_url(world), data)
    assert response.status_code == 200
    assert "actual_value" in response.context["form"].errors
    assert "9" in " ".join(response.context["form"].errors["actual_value"])
    assert not IndicatorPeriod.objects.filter(indicator=world.indicator, period=world.period).exists()
    assert response.context["breakdown"][sex_field("female")].value() == "6"  # the input stays


def test_percentage_indicator_takes_a_numerator_and_denominator(world):
    world.indicator.measure = Measure.PERCENTAGE
    world.indicator.save()
    world.indicator.disaggregations.clear()
    data = {"actual_numerator": "3", "actual_denominator": "12", "actual_value": "", "actual_source_vi": "", "actual_source_en": "", "version": signed(0)}
    assert client_for(world.focal).post(indicator_url(world), data).status_code == 302
    assert IndicatorPeriod.objects.get(indicator=world.indicator, period=world.period).actual_value == Decimal("25.00")


def test_qualitative_indicator_takes_a_text_and_no_breakdown(world):
    world.indicator.measure = Measure.QUALITATIVE
    world.indicator.save()
    client = client_for(world.focal)
    page = client.get(indicator_url(world))
    assert page.context["breakdown"].groups == [] and "actual_value" not in page.context["form"].fields
    data = {"actual_text_vi": "Đã ban hành hướng dẫn", "actual_text_en": "", "actual_source_vi": "", "actual_source_en": "", "version": signed(0)}
    assert client.post(indicator_url(world), data).status_code == 302
    assert IndicatorPeriod.objects.get(indicator=world.indicator, period=world.period).actual_text_vi == "Đã ban hành hướng dẫn"


def test_budget_execution_form_saves_through_the_service(world):
    client = client_for(world.focal)
    assert client.get(execution_url(world.line)).status_code == 200
    data = {"committed_vnd": "50000000", "committed_on": "15/03/2025", "disbursed_vnd": "", "disbursed_on": "", "spent_vnd": "", "spent_on": "",
            "note_vi": "", "note_en": "", "version": signed(0)}  # fmt: skip
    assert client.post(execution_url(world.line), data).status_code == 302
    execution = BudgetExecution.objects.get(line=world.line)
    assert execution.committed_vnd == 50_000_000 and execution.committed_on == datetime.date(2025, 3, 15)
    assert execution.history.latest().history_user == world.focal
    assert report_of(world).status == ReportStatus.DRAFT


def test_budget_execution_needs_the_date_of_each_amount(world):
    data = {"committed_vnd": "50000000", "committed_on": "", "disbursed_vnd": "", "disbursed_on": "", "spent_vnd": "", "spent_on": "",
            "note_vi": "", "note_en": "", "version": signed(0)}  # fmt: skip
    response = client_for(world.focal).post(execution_url(world.line), data)
    assert response.status_code == 200 and "committed_on" in response.context["form"].errors
    assert not BudgetExecution.objects.filter(line=world.line).exists()


def test_indicator_counted_from_events_is_confirmed_not_typed(world):
    from events.models import IndicatorRule

    IndicatorRule.objects.create(indicator=world.indicator)
    item = services.indicator_period_set(indicator=world.indicator, period=world.period, computed=True, proposed_value=Decimal(12))
    sex = Disaggregation.objects.get(code="sex")
    DisaggregatedValue.objects.create(period=item, kind=ValueKind.PROPOSED, disaggregation=sex, category="female", value=7)
    DisaggregatedValue.objects.create(period=item, kind=ValueKind.PROPOSED, disaggregation=sex, category="male", value=5)
    client = client_for(world.focal)
    page = client.get(indicator_url(world))
    assert page.context["form"] is None and 'id="confirm-count"' in page.content.decode()
    # A typed actual is not offered and a forged one is ignored: the page has no form to take it.
    assert client.post(indicator_url(world), {"actual_value": "99"}).status_code == 200
    assert IndicatorPeriod.objects.get(pk=item.pk).actual_value is None
    response = client.post(reverse("planning:indicator-actual-confirm", args=[world.period.pk, world.indicator.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.actual_value == 12
    assert {value.category: value.value for value in item.disaggregated_values.filter(kind=ValueKind.ACTUAL)} == {"female": 7, "male": 5}
    assert report_of(world).status == ReportStatus.DRAFT


# The report page -------------------------------------------------------------------------------------


def test_report_page_groups_the_items_with_their_comments_and_edit_links(world):
    progress = save_progress(world)
    report = report_of(world)
    reporting.report_submit(report=report, user=world.focal)
    reporting.report_return(report=report, user=world.coordinator, item_comments={progress: "Bổ sung tường thuật"})
    response = client_for(world.focal).get(report.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bổ sung tường thuật" in page
    assert progress_url(world) in page and indicator_url(world) in page and execution_url(world.line) in page
    assert reverse("planning:report-submit", args=[report.pk]) in page
    assert [row.obj for row in response.context["work"].activities] == [world.activity]
    assert response.context["work"].activities[0].comments[0].text == "Bổ sung tường thuật"


def test_narrative_is_saved_and_the_report_submitted_after_confirmation(world):
    report = reporting.report_open(agency=world.agency, period=world.period, user=world.focal)
    client = client_for(world.focal)
    url = reverse("planning:report-narrative", args=[report.pk])
    assert client.post(url, {"narrative_vi": "Năm 2025 đã tổ chức 3 lớp", "narrative_en": "", "version": signed(report.version)}).status_code == 302
    report.refresh_from_db()
    assert report.narrative_vi == "Năm 2025 đã tổ chức 3 lớp"
    confirm = client.get(reverse("planning:report-submit", args=[report.pk]))
    assert confirm.status_code == 200 and report_of(world).status == ReportStatus.DRAFT  # the GET only asks
    response = client.post(reverse("planning:report-submit", args=[report.pk]), {"comment": "Gửi Bộ Ngoại giao"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.transitions.last().comment == "Gửi Bộ Ngoại giao"


def test_empty_report_is_not_submitted_and_says_why(world):
    report = reporting.report_open(agency=world.agency, period=world.period, user=world.focal)
    response = client_for(world.focal).post(reverse("planning:report-submit", args=[report.pk]), {"comment": ""}, follow=True)
    assert response.status_code == 200
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    assert [message.level_tag for message in response.context["messages"]] == ["error"]


def test_start_the_report_opens_a_draft(world):
    response = client_for(world.focal).post(reverse("planning:report-open", args=[world.agency.pk, world.period.pk]))
    report = report_of(world)
    assert report.status == ReportStatus.DRAFT and response["Location"] == report.get_absolute_url()


# Locked while submitted ------------------------------------------------------------------------------


def test_submitted_report_is_read_only_and_its_values_refused(world):
    save_progress(world, progress=30)
    report = report_of(world)
    reporting.report_submit(report=report, user=world.focal)
    client = client_for(world.focal)
    page = client.get(report.get_absolute_url())
    assert 'id="report-locked"' in page.content.decode()
    assert not page.context["editable"] and progress_url(world) not in page.content.decode()
    progress = ActivityProgress.objects.get(activity=world.activity)
    response = client.post(progress_url(world), progress_data(version=progress.version, progress="90"))
    assert response.status_code == 200
    assert str(report.period) in " ".join(response.context["form"].non_field_errors())  # the service's “locked” message
    assert ActivityProgress.objects.get(activity=world.activity).progress == 30
    # The narrative and a second submission are refused with a message, never a 500.
    narrative = client.post(
        reverse("planning:report-narrative", args=[report.pk]), {"narrative_vi": "x", "narrative_en": "", "version": signed(report.version + 1)}, follow=True
    )
    assert narrative.status_code == 200 and ProgressReport.objects.get(pk=report.pk).narrative_vi == ""
    again = client.post(reverse("planning:report-submit", args=[report.pk]), {"comment": ""}, follow=True)
    assert again.status_code == 200 and ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    execution = client.post(
        execution_url(world.line),
        {"committed_vnd": "1", "committed_on": "01/02/2025", "disbursed_vnd": "", "disbursed_on": "", "spent_vnd": "", "spent_on": "",
         "note_vi": "", "note_en": "", "version": signed(0)},
    )  # fmt: skip
    assert execution.status_code == 200 and not BudgetExecution.objects.filter(line=world.line).exists()


def test_change_after_approval_opens_a_correction_and_keeps_the_approved_report(world):
    save_progress(world, progress=30)
    report = report_of(world)
    reporting.report_submit(report=report, user=world.focal)
    reporting.report_approve(report=report, user=world.coordinator)
    client = client_for(world.focal)
    page = client.get(report.get_absolute_url())
    assert not page.context["editable"] and page.context["can_correct"]
    progress = ActivityProgress.objects.get(activity=world.activity)
    assert client.post(progress_url(world), progress_data(version=progress.version, progress="80")).status_code == 302
    correction = report_of(world)
    assert (correction.revision, correction.status) == (2, ReportStatus.DRAFT)
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    assert selectors.approved_value(progress).progress == 30


# Agency A against agency B ---------------------------------------------------------------------------


def test_focal_point_cannot_reach_another_agencys_report_items_or_forms(world):
    reporting.activity_progress_save(
        progress=ActivityProgress(activity=world.other_activity, delivery_plan=world.delivery_plan, status=ActivityStatus.ON_TRACK), user=world.other_focal
    )
    theirs = report_of(world, world.other)
    client = client_for(world.focal)
    gets = [
        theirs.get_absolute_url(), reverse("planning:report-submit", args=[theirs.pk]), progress_url(world, world.other_activity),
        indicator_url(world, world.other_indicator), execution_url(world.other_line),
    ]  # fmt: skip
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        (reverse("planning:report-submit", args=[theirs.pk]), {"comment": ""}),
        (reverse("planning:report-narrative", args=[theirs.pk]), {"narrative_vi": "x", "narrative_en": "", "version": signed(theirs.version)}),
        (reverse("planning:report-open", args=[world.other.pk, world.period.pk]), {}),
        (progress_url(world, world.other_activity), progress_data(progress="99")),
        (indicator_url(world, world.other_indicator), {"actual_value": "5", "version": signed(0)}),
        (execution_url(world.other_line), {"committed_vnd": "1", "committed_on": "01/02/2025", "version": signed(0)}),
        (reverse("planning:indicator-actual-confirm", args=[world.period.pk, world.other_indicator.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.status == ReportStatus.DRAFT and theirs.narrative_vi == ""
    assert ActivityProgress.objects.get(activity=world.other_activity).progress == 0
    assert not BudgetExecution.objects.filter(line=world.other_line).exists()
    assert not IndicatorPeriod.objects.filter(indicator=world.other_indicator, period=world.period).exists()
    home = client.get(home_url(world)).content.decode()
    assert "B.1" not in home and "I.B" not in home


# Two people, one row ---------------------------------------------------------------------------------


def test_save_from_an_outdated_form_keeps_the_input_and_names_the_change(world):
    progress = save_progress(world, progress=30)
    colleague, focal = client_for(focal_point(world.agency, "focal-a2")), client_for(world.focal)
    opened = progress.version  # both open the form now
    assert colleague.post(progress_url(world), progress_data(version=opened, progress="60")).status_code == 302
    response = focal.post(progress_url(world), progress_data(version=opened, progress="45", narrative_vi="Ý của tôi"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "30 → 60" in errors
    assert response.context["form"]["narrative_vi"].value() == "Ý của tôi" and response.context["form"]["progress"].value() == "45"
    assert ActivityProgress.objects.get(pk=progress.pk).progress == 60
    # Saving again, after reading the change, is deliberate: the form now carries the stored version.
    again = dict(progress_data(progress="45", narrative_vi="Ý của tôi"), version=response.context["form"]["version"].value())
    assert focal.post(progress_url(world), again).status_code == 302
    assert ActivityProgress.objects.get(pk=progress.pk).progress == 45


def test_actual_from_an_outdated_form_is_refused_with_the_input_kept(world):
    item = save_actual(world, world.indicator)
    opened = signed(item.version)
    data = {"actual_value": "", "actual_source_vi": "", "actual_source_en": "", "version": opened, sex_field("female"): "4"}
    assert (
        client_for(focal_point(world.agency, "focal-a2")).post(indicator_url(world), dict(data, actual_value="4", actual_source_vi="Sổ A")).status_code == 302
    )
    response = client_for(world.focal).post(indicator_url(world), dict(data, actual_value="4", actual_source_vi="Sổ B"))
    assert response.status_code == 200
    assert "Sổ A" in " ".join(response.context["form"].non_field_errors())
    assert response.context["form"]["actual_source_vi"].value() == "Sổ B"
    assert IndicatorPeriod.objects.get(pk=item.pk).actual_source_vi == "Sổ A"


def test_narrative_from_an_outdated_form_is_refused_with_the_input_kept(world):
    report = reporting.report_open(agency=world.agency, period=world.period, user=world.focal)
    url = reverse("planning:report-narrative", args=[report.pk])
    opened = signed(report.version)
    assert client_for(world.coordinator).post(url, {"narrative_vi": "Bản của điều phối", "narrative_en": "", "version": opened}).status_code == 302
    response = client_for(world.focal).post(url, {"narrative_vi": "Bản của tôi", "narrative_en": "", "version": opened})
    assert response.status_code == 200
    assert "Bản của điều phối" in " ".join(response.context["narrative_form"].non_field_errors())
    assert response.context["narrative_form"]["narrative_vi"].value() == "Bản của tôi"
    assert ProgressReport.objects.get(pk=report.pk).narrative_vi == "Bản của điều phối"


# Bounded queries -------------------------------------------------------------------------------------


def grow(world, activities: int, indicators: int, lines_per_activity: int) -> None:
    """Add rows to agency A's year, some reported, some commented on."""
    output = world.activity.output
    for number in range(activities):
        activity = ActivityFactory(output=output, lead_agency=world.agency, code=f"G.{number}")
        activity.delivery_plans.add(world.delivery_plan)
        for _line in range(lines_per_activity):
            BudgetLineFactory(activity=activity, delivery_plan=world.delivery_plan)
        if number % 2:
            reporting.activity_progress_save(
                progress=ActivityProgress(activity=activity, delivery_plan=world.delivery_plan, status=ActivityStatus.ON_TRACK, progress=50), user=world.focal
            )
    for number in range(indicators):
        indicator = IndicatorFactory(output=output, responsible_agency=world.agency, code=f"GI.{number}")
        indicator.disaggregations.add(Disaggregation.objects.get(code="sex"))
        if number % 2:
            save_actual(world, indicator)


def save_actual(world, indicator) -> IndicatorPeriod:
    sex = Disaggregation.objects.get(code="sex")
    item = services.indicator_period_set(indicator=indicator, period=world.period, user=world.focal, actual_value=Decimal(4))
    return services.indicator_period_save(
        period=item, user=world.focal, reason="",
        disaggregated_values=[DisaggregatedValue(period=item, kind=ValueKind.ACTUAL, disaggregation=sex, category="female", value=4)],
    )  # fmt: skip


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_and_report_page_queries_do_not_grow_with_the_plan(world, django_assert_max_num_queries):
    progress = save_progress(world)
    save_actual(world, world.indicator)  # one of each kind of row, so that every prefetch runs in both states
    report = report_of(world)
    reporting.report_submit(report=report, user=world.focal)
    reporting.report_return(report=report, user=world.coordinator, comment="Trả lại", item_comments={progress: "Xem lại"})
    client = client_for(world.focal)
    small = (count_queries(client, home_url(world)), count_queries(client, report.get_absolute_url()))
    grow(world, activities=60, indicators=40, lines_per_activity=2)
    reporting.report_submit(report=report, user=world.focal)
    comments = dict.fromkeys(ActivityProgress.objects.filter(activity__lead_agency=world.agency)[:10], "Xem lại")
    comments.update(dict.fromkeys(IndicatorPeriod.objects.filter(indicator__responsible_agency=world.agency)[:10], "Kiểm tra"))
    reporting.report_return(report=report, user=world.coordinator, comment="Trả lại lần hai", item_comments=comments)
    assert Activity.objects.filter(lead_agency=world.agency).count() == 61
    assert Indicator.objects.filter(responsible_agency=world.agency).count() == 41
    large = (count_queries(client, home_url(world)), count_queries(client, report.get_absolute_url()))
    assert large == small
    with django_assert_max_num_queries(40):
        client.get(home_url(world))
    with django_assert_max_num_queries(40):
        client.get(report.get_absolute_url())


# Both languages --------------------------------------------------------------------------------------


ENGLISH = [
    "Workspace", "Still missing", "Report due on", "days left", "Start the report", "Progress", "Reported", "History of the report",
    "Activities: yearly progress", "Indicators: actuals", "Budget execution", "Narrative", "Summary", "Submit the report", "Comments",
    "Edit", "Reporting period", "Save", "Breakdown", "Not recorded", "Actual for", "Progress in", "Confirm this count",
]  # fmt: skip


def visible_text(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", html)


def test_vietnamese_pages_have_no_english_of_the_workspace(world):
    save_progress(world)
    report = report_of(world)
    client = client_for(world.focal)
    pages = [home_url(world), report.get_absolute_url(), progress_url(world), indicator_url(world), execution_url(world.line),
             reverse("planning:report-submit", args=[report.pk])]  # fmt: skip
    for url in pages:
        text = visible_text(client.get(url).content.decode())
        found = [phrase for phrase in ENGLISH if phrase in text]
        assert not found, (url, found)


def test_english_pages_are_in_english(world):
    save_progress(world)
    client = client_for(world.focal)
    with translation.override("en"):
        url = home_url(world)
        page = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "Still missing" in page and "Workspace" in page
