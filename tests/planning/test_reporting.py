"""The reporting cycle at the level of its services and selectors: a report's moves, approved values
that change only at approval, locks, computed indicators, periods and bounded queries."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from planning import selectors, services
from planning.models import (
    ActivityProgress,
    ActivityStatus,
    ApprovedValue,
    BudgetExecution,
    DeliveryPlan,
    DisaggregatedValue,
    Frequency,
    IndicatorPeriod,
    PeriodKind,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    ReviewComment,
    ValueKind,
)
from planning.services import reporting
from tests.factories import ActivityFactory, BudgetLineFactory, IndicatorFactory, PlanFactory, reload, reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    return reporting_world()


def breakdown(period, world, female, male):
    """The period's actual by sex, as new or changed rows for `indicator_period_save`."""
    stored = {value.category: value for value in period.disaggregated_values.filter(kind=ValueKind.ACTUAL)} if period.pk else {}
    rows = []
    for category, number in (("female", female), ("male", male)):
        value = stored.get(category) or DisaggregatedValue(period=period, kind=ValueKind.ACTUAL, disaggregation=world.sex, category=category)
        value.value = Decimal(number)
        rows.append(value)
    return rows


def report_actual(world, user, total, female, male, *, indicator=None):
    """The agency's actual for the year with its breakdown by sex, through the services."""
    indicator = indicator or world.indicator_a
    period = IndicatorPeriod.objects.filter(indicator=indicator, period=world.period).first() or IndicatorPeriod(indicator=indicator, period=world.period)
    period.actual_value = Decimal(total)
    return services.indicator_period_save(period=period, user=user, reason="Báo cáo", disaggregated_values=breakdown(period, world, female, male))


def report_progress(world, user, progress=40, status=ActivityStatus.ON_TRACK, activity=None):
    item = reporting.activity_progress_for(activity=activity or world.activity_a, delivery_plan=world.delivery_plan)
    item.status, item.progress, item.actual_start = status, progress, datetime.date(world.year, 3, 1)
    return reporting.activity_progress_save(progress=item, user=user)


def report_execution(world, user, committed=1_500_000, line=None):
    item = reporting.budget_execution_for(line=line or world.line_a)
    item.committed_vnd, item.committed_on = Decimal(committed), datetime.date(world.year, 2, 3)
    return reporting.budget_execution_save(execution=item, user=user)


def the_report(world, agency=None):
    return ProgressReport.objects.get(agency=agency or world.agency_a, period=world.period, status__in=["draft", "submitted", "returned"])


def filled_report(world):
    """Agency A's draft with an actual (and its breakdown), a yearly progress and an execution."""
    actual = report_actual(world, world.focal_a, 10, 6, 4)
    progress = report_progress(world, world.focal_a)
    execution = report_execution(world, world.focal_a)
    return the_report(world), actual, progress, execution


# The full cycle ------------------------------------------------------------------------------------


def test_full_cycle_moves_the_approved_value_only_at_approval_and_the_published_one_only_at_publication(world):
    report, actual, progress, execution = filled_report(world)
    assert report.status == ReportStatus.DRAFT and report.revision == 1
    assert set(report.editors.all()) == {world.focal_a}
    assert selectors.approved_value(actual) is None

    report = reporting.report_submit(report=report, user=world.focal_a, comment="Gửi báo cáo năm")
    assert report.submitted_by == world.focal_a and report.submitted_at is not None
    assert selectors.approved_value(actual) is None

    report = reporting.report_return(
        report=report, user=world.coordinator, comment="Xem lại số liệu", item_comments={actual: "Số nữ chưa đúng", progress: "Thiếu mô tả"}
    )
    assert report.status == ReportStatus.RETURNED
    comments = {(comment.item_type.model, comment.item_id): comment.text for comment in ReviewComment.objects.filter(report=report)}
    assert comments == {("indicatorperiod", actual.pk): "Số nữ chưa đúng", ("activityprogress", progress.pk): "Thiếu mô tả"}
    assert all(comment.author == world.coordinator for comment in ReviewComment.objects.filter(report=report))

    actual = report_actual(world, world.focal_a, 10, 7, 3)
    assert the_report(world).pk == report.pk  # the correction joins the returned report
    report = reporting.report_submit(report=reload(report), user=world.focal_a)
    assert selectors.approved_value(reload(actual)) is None

    report = reporting.report_approve(report=report, user=world.coordinator, comment="Đạt")
    approved = selectors.approved_value(reload(actual))
    assert approved.actual_value == Decimal(10)
    assert {(part.category, part.value) for part in approved.approved_breakdown} == {("female", Decimal(7)), ("male", Decimal(3))}
    assert selectors.approved_value(reload(progress)).progress == 40
    assert selectors.approved_value(reload(execution)).committed_vnd == Decimal(1_500_000)
    assert selectors.approved_value(reload(actual), published=True) is None

    reporting.report_publish(report=report, user=world.coordinator)
    assert selectors.approved_value(reload(actual), published=True).actual_value == Decimal(10)

    steps = [(step.from_status, step.to_status, step.user, step.comment) for step in reload(report).transitions.order_by("at", "pk")]
    assert steps == [
        ("", "draft", world.focal_a, ""),
        ("draft", "submitted", world.focal_a, "Gửi báo cáo năm"),
        ("submitted", "returned", world.coordinator, "Xem lại số liệu"),
        ("returned", "submitted", world.focal_a, ""),
        ("submitted", "approved", world.coordinator, "Đạt"),
        ("approved", "published", world.coordinator, ""),
    ]
    assert all(step.at is not None for step in reload(report).transitions.all())


def test_snapshot_holds_the_breakdown_and_stores_dates_and_decimals_readably(world):
    report, *_items = filled_report(world)
    reporting.report_submit(report=report, user=world.focal_a)
    reporting.report_approve(report=report, user=world.coordinator)
    rows = {row.item_type.model: row.data for row in ApprovedValue.objects.filter(report=report)}
    assert rows["indicatorperiod"]["actual_value"] == "10.00"
    assert sorted((part["disaggregation"], part["category"], part["value"]) for part in rows["indicatorperiod"]["breakdown"]) == [
        ("sex", "female", "6.00"),
        ("sex", "male", "4.00"),
    ]
    assert rows["activityprogress"]["actual_start"] == "2025-03-01"
    assert rows["activityprogress"]["status"] == "on_track"
    assert rows["budgetexecution"]["committed_vnd"] == "1500000"
    assert rows["budgetexecution"]["committed_on"] == "2025-02-03"


def test_snapshot_writes_a_decimal_without_an_exponent(world):
    execution = BudgetExecution(line=world.line_a, committed_vnd=Decimal("1.5E+6"), committed_on=datetime.date(2025, 2, 3))
    data = reporting.snapshot(execution)
    assert data["committed_vnd"] == "1500000"
    assert json.loads(json.dumps(data)) == data


def test_an_empty_report_cannot_be_submitted(world):
    report = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    with pytest.raises(ValidationError, match="trống"):
        reporting.report_submit(report=report, user=world.focal_a)


def test_return_needs_a_comment_and_item_comments_only_on_the_reports_own_items(world):
    report, *_items = filled_report(world)
    other = report_actual(world, world.focal_b, 5, 3, 2, indicator=world.indicator_b)
    reporting.report_submit(report=report, user=world.focal_a)
    with pytest.raises(ValidationError):
        reporting.report_return(report=report, user=world.coordinator, comment="  ")
    with pytest.raises(ValidationError):
        reporting.report_return(report=report, user=world.coordinator, item_comments={other: "Không thuộc báo cáo này"})
    assert not ReviewComment.objects.exists()
    assert reload(report).status == ReportStatus.SUBMITTED


# Approved values never change in place ---------------------------------------------------------------


def approve(world, report, reviewer=None):
    report = reporting.report_submit(report=report, user=world.focal_a)
    return reporting.report_approve(report=report, user=reviewer or world.coordinator)


def test_a_correction_after_approval_is_revision_two_and_the_approved_value_stays_until_it_is_approved(world):
    report, actual, progress, _execution = filled_report(world)
    first = reporting.report_publish(report=approve(world, report), user=world.coordinator)

    actual = report_actual(world, world.focal_a, 12, 8, 4)
    revision = the_report(world)
    assert revision.pk != first.pk and revision.revision == 2 and revision.status == ReportStatus.DRAFT
    assert reload(first).status == ReportStatus.PUBLISHED
    approved = selectors.approved_value(reload(actual))
    assert approved.actual_value == Decimal(10)
    assert {(part.category, part.value) for part in approved.approved_breakdown} == {("female", Decimal(6)), ("male", Decimal(4))}
    assert approved.approved_report_id == first.pk

    reporting.report_submit(report=revision, user=world.focal_a)
    assert selectors.approved_value(reload(actual)).actual_value == Decimal(10)
    reporting.report_approve(report=revision, user=world.coordinator)
    approved = selectors.approved_value(reload(actual))
    assert approved.actual_value == Decimal(12) and approved.approved_report_id == revision.pk
    assert selectors.approved_value(reload(actual), published=True).actual_value == Decimal(10)  # until revision 2 is published
    reporting.report_publish(report=revision, user=world.coordinator)
    assert selectors.approved_value(reload(actual), published=True).actual_value == Decimal(12)

    history = selectors.approved_history(reload(actual))
    assert [(row.report_id, row.data["actual_value"]) for row in history] == [(first.pk, "10.00"), (revision.pk, "12.00")]
    assert selectors.approved_value(reload(progress)).progress == 40  # untouched by the correction


def test_report_changes_shows_old_against_new_including_the_breakdown(world):
    report, *_items = filled_report(world)
    approve(world, report)
    report_actual(world, world.focal_a, 10, 7, 3)  # only the breakdown changes
    revision = the_report(world)
    changes = {type(change.item): change for change in selectors.report_changes(revision)}
    indicator = changes[IndicatorPeriod]
    assert indicator.changed
    assert not any(field.changed for field in indicator.fields)  # the total is the same
    assert [(field.label, field.old, field.new) for field in indicator.breakdown] == [
        ("Giới tính · Nữ", Decimal(6), Decimal(7)),
        ("Giới tính · Nam", Decimal(4), Decimal(3)),
    ]
    assert not changes[ActivityProgress].changed


# Locks --------------------------------------------------------------------------------------------------


def submitted(world):
    report, actual, progress, execution = filled_report(world)
    report = reporting.report_submit(report=report, user=world.focal_a)
    return report, reload(actual), reload(progress), reload(execution)


def locked(report):
    return pytest.raises(ValidationError, match=str(report).replace("(", r"\(").replace(")", r"\)"))


def test_a_submitted_reports_actual_and_breakdown_are_locked(world):
    report, actual, _progress, _execution = submitted(world)
    actual.actual_value = Decimal(11)
    with locked(report):  # the lock is said first, before the breakdown no longer adding up
        services.indicator_period_save(period=actual, user=world.focal_a, reason="Sửa")
    value = actual.disaggregated_values.get(category="female")
    value.value = Decimal(5)
    with locked(report):
        services.disaggregated_value_save(value=value, user=world.focal_a, reason="Sửa")
    with locked(report):
        services.record_delete(obj=actual.disaggregated_values.get(category="male"), user=world.focal_a, reason="Xoá")
    with locked(report):
        report_actual(world, world.focal_a, 10, 5, 5)
    assert reload(actual).actual_value == Decimal(10)
    assert actual.disaggregated_values.filter(kind=ValueKind.ACTUAL).count() == 2


def test_a_submitted_reports_progress_execution_and_narrative_are_locked_until_returned(world):
    report, _actual, progress, execution = submitted(world)
    progress.progress = 60
    with locked(report):
        reporting.activity_progress_save(progress=progress, user=world.focal_a)
    execution.spent_vnd, execution.spent_on = Decimal(1), datetime.date(2025, 5, 1)
    with locked(report):
        reporting.budget_execution_save(execution=execution, user=world.focal_a)
    with locked(report):
        reporting.report_narrative_save(report=reload(report), user=world.focal_a, narrative_vi="Thêm")
    with locked(report):
        services.record_delete(obj=reload(progress), user=world.focal_a, reason="Xoá")
    with locked(report):
        services.record_delete(obj=reload(execution), user=world.focal_a, reason="Xoá")

    reporting.report_return(report=report, user=world.coordinator, comment="Bổ sung")
    progress, execution = reload(progress), reload(execution)
    progress.progress = 60
    assert reporting.activity_progress_save(progress=progress, user=world.focal_a).progress == 60
    execution.spent_vnd, execution.spent_on = Decimal(1), datetime.date(2025, 5, 1)
    reporting.budget_execution_save(execution=execution, user=world.focal_a)
    assert reporting.report_narrative_save(report=reload(report), user=world.focal_a, narrative_vi="Thêm").narrative_vi == "Thêm"
    assert report_actual(world, world.focal_a, 10, 5, 5).actual_value == Decimal(10)


def test_an_approved_item_cannot_be_deleted(world):
    report, _actual, progress, _execution = filled_report(world)
    approve(world, report)
    with pytest.raises(ValidationError, match="giá trị được phê duyệt"):
        services.record_delete(obj=reload(progress), user=world.coordinator, reason="Xoá")
    assert ActivityProgress.objects.filter(pk=progress.pk).exists()


def test_deleting_an_activity_or_a_line_never_takes_approved_or_submitted_items_with_it(world):
    report, _actual, progress, execution = filled_report(world)
    reporting.report_submit(report=report, user=world.focal_a)
    with pytest.raises(ValidationError):  # the line's execution is in a submitted report
        services.record_delete(obj=reload(world.line_a), user=world.coordinator, reason="Xoá")
    reporting.report_approve(report=report, user=world.coordinator)
    with pytest.raises(ValidationError):  # the activity's progress has an approved value
        services.record_delete(obj=reload(world.activity_a), user=world.coordinator, reason="Xoá")
    assert ActivityProgress.objects.filter(pk=progress.pk).exists() and BudgetExecution.objects.filter(pk=execution.pk).exists()


def test_a_reported_item_never_moves_to_another_year_or_period(world):
    _report, actual, progress, _execution = filled_report(world)
    later = DeliveryPlan.objects.create(plan=world.plan, year=world.year + 1)
    progress = reload(progress)
    progress.delivery_plan = later
    with pytest.raises(ValidationError, match=r"vẫn ở nơi đã báo cáo|stays where it was reported"):
        reporting.activity_progress_save(progress=progress, user=world.focal_a)
    actual = reload(actual)
    actual.period = reporting.annual_period(plan=world.plan, year=world.year + 1)
    with pytest.raises(ValidationError):
        services.indicator_period_save(period=actual, user=world.coordinator, reason="Chuyển kỳ")
    assert reload(progress).delivery_plan == world.delivery_plan and reload(actual).period == world.period


def test_approval_keeps_no_value_for_a_period_with_a_target_only(world):
    report, actual, _progress, _execution = filled_report(world)
    target_only = services.indicator_period_set(
        indicator=IndicatorFactory(output=world.indicator_a.output, responsible_agency=world.agency_a), period=world.period, target_value=Decimal(5)
    )
    approve(world, report)
    assert selectors.approved_value(reload(actual)) is not None
    assert selectors.approved_value(target_only) is None


def test_a_delivery_plan_revision_is_never_published_with_the_reports(world):
    revision = ProgressReport.objects.create(kind="revision", agency=world.agency_a, period=world.period, status=ReportStatus.APPROVED)
    assert reporting.reports_publish(period=world.period, user=world.coordinator) == []
    with pytest.raises(ValidationError):
        reporting.report_publish(report=revision, user=world.coordinator)
    assert reload(revision).status == ReportStatus.APPROVED


# Computed indicators ------------------------------------------------------------------------------------


@pytest.fixture
def computed(world, django_capture_on_commit_callbacks):
    """Agency A's indicator counted from workshops, with two women and a man counted in 2025."""
    from events.models import EventType, IndicatorRule, Sex
    from tests.factories import AttendanceFactory, EventFactory, ParticipationFactory, PersonFactory

    rule = IndicatorRule.objects.create(indicator=world.indicator_a, event_types=[EventType.WORKSHOP])
    event = EventFactory(type=EventType.WORKSHOP)
    with django_capture_on_commit_callbacks(execute=True):
        for sex in (Sex.FEMALE, Sex.FEMALE, Sex.MALE):
            AttendanceFactory(participation=ParticipationFactory(event=event, person=PersonFactory(sex=sex)))
    return rule


def test_the_count_from_events_writes_only_the_proposed_figure_and_opens_no_report(world, computed):
    period = IndicatorPeriod.objects.get(indicator=world.indicator_a, period=world.period)
    assert period.proposed_value == 3
    assert period.actual_value is None
    assert not period.disaggregated_values.filter(kind=ValueKind.ACTUAL).exists()
    proposed = {(value.disaggregation.code, value.category): value.value for value in period.disaggregated_values.filter(kind=ValueKind.PROPOSED)}
    assert proposed[("sex", "female")] == 2 and proposed[("sex", "male")] == 1
    assert not ProgressReport.objects.exists()


def test_a_confirmed_count_goes_through_review_and_a_typed_actual_is_refused(world, computed):
    period = IndicatorPeriod.objects.get(indicator=world.indicator_a, period=world.period)
    typed = reload(period)
    typed.actual_value = Decimal(5)
    with pytest.raises(ValidationError, match="tính từ"):
        services.indicator_period_save(period=typed, user=world.focal_a, reason="Gõ tay")
    sex = world.sex
    with pytest.raises(ValidationError):
        services.disaggregated_value_save(
            value=DisaggregatedValue(period=period, kind=ValueKind.ACTUAL, disaggregation=sex, category="female", value=1), user=world.focal_a, reason="Gõ"
        )
    assert not ProgressReport.objects.exists()

    confirmed = reporting.proposed_actual_confirm(period=reload(period), user=world.focal_a)
    assert confirmed.actual_value == 3
    actual = {(value.disaggregation.code, value.category): value.value for value in confirmed.disaggregated_values.filter(kind=ValueKind.ACTUAL)}
    assert actual[("sex", "female")] == 2
    report = the_report(world)
    assert world.focal_a in report.editors.all()
    assert selectors.approved_value(reload(period)) is None

    reporting.report_submit(report=report, user=world.focal_a)
    reporting.report_approve(report=report, user=world.coordinator)
    approved = selectors.approved_value(reload(period))
    assert approved.actual_value == 3
    assert ("sex", "female", Decimal(2)) in {("sex", part.category, part.value) for part in approved.approved_breakdown}


def test_nothing_to_confirm_before_events_counted_anything(world):
    period = services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=world.focal_a, target_value=Decimal(5))
    with pytest.raises(ValidationError):
        reporting.proposed_actual_confirm(period=period, user=world.focal_a)


# Periods -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        (Frequency.ANNUAL, [(PeriodKind.ANNUAL, 2025, 0)]),
        (Frequency.SEMI_ANNUAL, [(PeriodKind.HALF_YEAR, 2025, 1), (PeriodKind.HALF_YEAR, 2025, 2)]),
        (Frequency.QUARTERLY, [(PeriodKind.QUARTER, 2025, number) for number in (1, 2, 3, 4)]),
    ],
)
def test_periods_of_an_indicator_follow_its_frequency(reference_data, frequency, expected):
    indicator = IndicatorFactory(frequency=frequency)
    periods = reporting.periods_of_indicator(indicator=indicator, years=[2025])
    assert [(period.kind, period.year, period.number) for period in periods] == expected
    quarter = [period for period in periods if period.number == 2]
    if frequency == Frequency.QUARTERLY:
        assert (quarter[0].start, quarter[0].end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert reporting.periods_of_indicator(indicator=indicator, years=[2025]) == periods  # opened once


def test_a_review_indicator_reports_at_mid_term_and_final(reference_data):
    indicator = IndicatorFactory(frequency=Frequency.MID_TERM_AND_FINAL)
    periods = reporting.periods_of_indicator(indicator=indicator, years=range(2024, 2031))
    assert sorted(period.kind for period in periods) == [PeriodKind.FINAL, PeriodKind.MID_TERM]


def test_targets_for_2030_and_the_mid_term_are_stored_before_those_delivery_plans_exist(reference_data):
    indicator = IndicatorFactory()
    plan = indicator.plan
    assert not plan.delivery_plans.filter(year__in=[2027, 2030]).exists()
    end = services.indicator_period_set(indicator=indicator, period=reporting.annual_period(plan=plan, year=2030), target_value=Decimal(100))
    mid_term = ReportingPeriod.objects.get(plan=plan, kind=PeriodKind.MID_TERM)
    middle = services.indicator_period_set(indicator=indicator, period=mid_term, target_value=Decimal(50))
    assert reload(end).target_value == 100 and reload(end).period.year == 2030
    assert reload(middle).target_value == 50
    assert not ProgressReport.objects.exists()  # a target is the plan, not a report


def test_the_reporting_calendar_is_opened_once(reference_data):
    plan = PlanFactory()
    reporting.reporting_calendar_ensure(plan=plan)
    periods = list(ReportingPeriod.objects.filter(plan=plan).values_list("kind", "year", "number", "start", "end"))
    assert len(periods) == 7 + 2
    mid_term = ReportingPeriod.objects.get(plan=plan, kind=PeriodKind.MID_TERM)
    mid_term.year = 2028
    mid_term.save()
    reporting.reporting_calendar_ensure(plan=plan)
    assert ReportingPeriod.objects.filter(plan=plan).count() == 9
    assert ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.MID_TERM).get().year == 2028


# Bounded queries -------------------------------------------------------------------------------------------


def test_approved_values_of_200_items_is_one_query(world, django_assert_num_queries):
    indicators = [IndicatorFactory(output=world.indicator_a.output, responsible_agency=world.agency_a) for _ in range(199)]
    periods = IndicatorPeriod.objects.bulk_create(IndicatorPeriod(indicator=indicator, period=world.period, actual_value=1) for indicator in indicators)
    report, actual, _progress, _execution = filled_report(world)
    approve(world, report)
    items = list(IndicatorPeriod.objects.filter(period=world.period, indicator__responsible_agency=world.agency_a))
    assert len(items) == 200
    ContentType.objects.get_for_model(IndicatorPeriod)  # the content type cache, warm in any running site
    with django_assert_num_queries(1):
        values = selectors.approved_values(items)
    assert len(values) == 200
    assert values[actual.pk].actual_value == 10 and values[periods[0].pk].actual_value == 1


def large_report(world, size):
    """Agency A's report with `size` activities, budget lines and indicators, all reported."""
    for number in range(size):
        activity = ActivityFactory(output=world.activity_a.output, lead_agency=world.agency_a, planned_start=world.activity_a.planned_start)
        activity.delivery_plans.add(world.delivery_plan)
        line = BudgetLineFactory(activity=activity, delivery_plan=world.delivery_plan)
        indicator = IndicatorFactory(output=world.indicator_a.output, responsible_agency=world.agency_a)
        indicator.disaggregations.add(world.sex)
        report_progress(world, world.focal_a, activity=activity)
        report_execution(world, world.focal_a, line=line)
        report_actual(world, world.focal_a, 10, 6, 4, indicator=indicator)
        # half of them still missing something, so that report_missing has rows to list
        if number % 2:
            services.indicator_period_set(
                indicator=IndicatorFactory(output=world.indicator_a.output, responsible_agency=world.agency_a), period=world.period, target_value=1
            )
            BudgetLineFactory(activity=activity, delivery_plan=world.delivery_plan)
    return the_report(world)


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        result = function()
    return len(context.captured_queries), result


def test_report_changes_and_report_missing_cost_the_same_queries_whatever_the_size(world):
    small = large_report(world, 2)
    approve(world, small, reviewer=world.other_coordinator)
    report_actual(world, world.focal_a, 12, 6, 6)
    small = the_report(world)
    ContentType.objects.get_for_models(IndicatorPeriod, ActivityProgress, BudgetExecution)
    few_changes, changes = count_queries(lambda: selectors.report_changes(small))
    few_missing, missing = count_queries(lambda: selectors.report_missing(agency_id=world.agency_a.pk, period=world.period))
    assert missing and changes

    large_report(world, 12)
    large = the_report(world)
    many_changes, changes = count_queries(lambda: selectors.report_changes(large))
    many_missing, missing = count_queries(lambda: selectors.report_missing(agency_id=world.agency_a.pk, period=world.period))
    assert len(changes) > 36 and len(missing) > 12
    assert many_changes == few_changes
    assert many_missing == few_missing


def test_report_missing_names_what_is_not_reported(world):
    services.indicator_period_set(indicator=world.indicator_a, period=world.period, target_value=Decimal(5))
    missing = {(entry.kind, entry.obj.pk) for entry in selectors.report_missing(agency_id=world.agency_a.pk, period=world.period)}
    assert ("progress", world.activity_a.pk) in missing
    assert ("execution", world.line_a.pk) in missing
    assert any(kind == "actual" for kind, _pk in missing)
    period = reload(IndicatorPeriod.objects.get(indicator=world.indicator_a))
    period.actual_value = Decimal(5)
    services.indicator_period_save(period=period, user=world.focal_a, reason="Báo cáo")
    kinds = {entry.kind for entry in selectors.report_missing(agency_id=world.agency_a.pk, period=world.period)}
    assert "breakdown" in kinds and "actual" not in kinds


# Messages ---------------------------------------------------------------------------------------------------


def test_the_lock_message_reads_in_vietnamese(world):
    _report, actual, _progress, _execution = submitted(world)
    actual.actual_value = Decimal(11)
    with pytest.raises(ValidationError) as refused:
        services.indicator_period_save(period=actual, user=world.focal_a, reason="Sửa")
    message = refused.value.messages[0]
    assert message.startswith(f"Báo cáo · {world.agency_a} · Năm 2025") and "bị khoá" in message
    assert "submitted" not in message and "Report" not in message


def test_a_focal_point_cannot_approve_return_or_publish(world):
    report, _actual, _progress, _execution = submitted(world)
    with pytest.raises(PermissionDenied) as refused:
        reporting.report_approve(report=report, user=world.focal_a)
    assert str(refused.value) == "Chỉ điều phối viên Bộ Ngoại giao mới được xem xét báo cáo."  # a page may show it
    with pytest.raises(PermissionDenied):
        reporting.report_return(report=report, user=world.focal_a, comment="Trả lại")
    reporting.report_approve(report=report, user=world.coordinator)
    with pytest.raises(PermissionDenied):
        reporting.report_publish(report=report, user=world.focal_a)
    with pytest.raises(PermissionDenied):
        reporting.reports_publish(period=world.period, user=world.focal_a)
    assert reload(report).status == ReportStatus.APPROVED


def test_a_delivery_plan_revision_is_not_approved_as_a_progress_report(world):
    from planning.models import ReportKind

    revision = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a, kind=ReportKind.REVISION)
    ProgressReport.objects.filter(pk=revision.pk).update(status=ReportStatus.SUBMITTED, submitted_by=world.focal_a)
    with pytest.raises(ValidationError, match="không phải là báo cáo tiến độ"):
        reporting.report_approve(report=revision, user=world.coordinator)
    assert reload(revision).status == ReportStatus.SUBMITTED
