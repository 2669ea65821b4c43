"""The reporting cycle: an agency's progress report moves draft → submitted → returned → submitted →
approved → published, only through these functions, each move with who, when and why.

What a report holds is the agency's working rows for its period (`selectors.report_items`): the
yearly progress of the activities it leads, the actuals of the indicators it answers for and the
execution of its budget lines. Those rows are written by the item services below, which open the
agency's draft (or the next revision after an approval) and refuse while the report is submitted.
Approval copies every item into an `ApprovedValue` (`SNAPSHOT_FIELDS`): pages and exports read those
copies (`selectors.approved_values`), so what they show changes only when a coordinator approves.
"""

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from napwps import formatting, history

from .. import notifications, roles, selectors
from ..models import (
    ActivityProgress,
    ApprovedValue,
    BudgetExecution,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Frequency,
    IndicatorPeriod,
    PeriodKind,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    ValueKind,
)
from . import ACTUAL_FIELDS, _check_can_edit, _save, indicator_period_save, record_delete

# The fields of each item that a report carries, copied at approval.
SNAPSHOT_FIELDS: dict[type, tuple[str, ...]] = {
    ActivityProgress: (
        "status", "status_justification_vi", "status_justification_en", "progress", "actual_start", "actual_end", "narrative_vi", "narrative_en",
    ),
    IndicatorPeriod: ("actual_value", "actual_numerator", "actual_denominator", "actual_text_vi", "actual_text_en", "actual_source_vi", "actual_source_en"),
    BudgetExecution: ("committed_vnd", "committed_on", "disbursed_vnd", "disbursed_on", "spent_vnd", "spent_on", "note_vi", "note_en"),
}  # fmt: skip
BREAKDOWN_FIELDS = ("disaggregation_id", "category", "value", "numerator", "denominator")


# The calendar ------------------------------------------------------------------------------------


def reporting_calendar_ensure(*, plan: Plan) -> None:
    """A period for every year of the plan and for its mid-term and final reviews (idempotent).

    The reviews' years and every date are defaults a coordinator edits: the calendar is unconfirmed.
    """
    existing = set(ReportingPeriod.objects.filter(plan=plan).values_list("kind", "year", "number"))
    wanted = [(PeriodKind.ANNUAL, year) for year in range(plan.start_year, plan.end_year + 1)]
    if not ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.MID_TERM).exists():
        wanted.append((PeriodKind.MID_TERM, (plan.start_year + plan.end_year) // 2))
    if not ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.FINAL).exists():
        wanted.append((PeriodKind.FINAL, plan.end_year))
    for kind, year in wanted:
        if (kind, year, 0) in existing:
            continue
        start, end = ReportingPeriod.bounds(PeriodKind.ANNUAL, year)
        if kind != PeriodKind.ANNUAL:
            start = plan.period_start  # a review looks back over the plan so far
        _save(
            ReportingPeriod(plan=plan, kind=kind, year=year, start=start, end=end), user=None, reason=history.reason(gettext_noop("Reporting calendar opened"))
        )


def annual_period(*, plan: Plan | int, year: int) -> ReportingPeriod:
    """The year's reporting period, opened with the plan's calendar when missing."""
    plan_id = plan if isinstance(plan, int) else plan.pk
    period = ReportingPeriod.objects.filter(plan_id=plan_id, kind=PeriodKind.ANNUAL, year=year).first()
    if period is None:
        reporting_calendar_ensure(plan=Plan.objects.get(pk=plan_id))
        period = ReportingPeriod.objects.get(plan_id=plan_id, kind=PeriodKind.ANNUAL, year=year)
    return period


def periods_of_indicator(*, indicator, years: Iterable[int]) -> list[ReportingPeriod]:
    """The periods an indicator reports in for some years, by its frequency, opened when missing:
    a year; two half-years; four quarters; or the mid-term and final reviews."""
    plan = indicator.plan
    years = sorted(set(years))
    if indicator.frequency == Frequency.MID_TERM_AND_FINAL:
        reporting_calendar_ensure(plan=plan)
        return list(ReportingPeriod.objects.filter(plan=plan, kind__in=[PeriodKind.MID_TERM, PeriodKind.FINAL], year__in=years))
    kind, count = {Frequency.SEMI_ANNUAL: (PeriodKind.HALF_YEAR, 2), Frequency.QUARTERLY: (PeriodKind.QUARTER, 4)}.get(
        indicator.frequency, (PeriodKind.ANNUAL, 0)
    )
    numbers = range(1, count + 1) if count else [0]
    periods = []
    for year in years:
        for number in numbers:
            period = ReportingPeriod.objects.filter(plan=plan, kind=kind, year=year, number=number).first()
            if period is None:
                start, end = ReportingPeriod.bounds(kind, year, number)
                period = _save(
                    ReportingPeriod(plan=plan, kind=kind, year=year, number=number, start=start, end=end),
                    user=None,
                    reason=history.reason(gettext_noop("Reporting calendar opened")),
                )
            periods.append(period)
    return periods


# Which report an item belongs to -------------------------------------------------------------------


def item_place(item) -> tuple[int, ReportingPeriod]:
    """The agency (id) and reporting period an item of a report belongs to."""
    if isinstance(item, IndicatorPeriod):
        return item.indicator.responsible_agency_id, item.period
    if isinstance(item, ActivityProgress):
        return item.activity.lead_agency_id, annual_period(plan=item.delivery_plan.plan_id, year=item.delivery_plan.year)
    if isinstance(item, BudgetExecution):
        return item.line.activity.lead_agency_id, annual_period(plan=item.line.delivery_plan.plan_id, year=item.line.delivery_plan.year)
    raise TypeError(f"{type(item).__name__} is not an item of a progress report.")


def latest_report(*, agency_id: int, period: ReportingPeriod, kind: str = ReportKind.PROGRESS) -> ProgressReport | None:
    return ProgressReport.objects.filter(kind=kind, agency_id=agency_id, period=period).order_by("-revision").first()


def _locked_message(report: ProgressReport) -> str:
    return _("%(report)s was submitted on %(date)s and is locked until a coordinator returns it.") % {
        "report": report,
        "date": formatting.short_date(timezone.localdate(report.submitted_at)) if report.submitted_at else "—",
    }


def item_check_open(item, *, user) -> None:
    """Refuse to change an item while its agency's report for the period is submitted."""
    agency_id, period = item_place(item)
    report = latest_report(agency_id=agency_id, period=period)
    if report is not None and report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_locked_message(report))


def report_open(*, agency, period: ReportingPeriod, user, kind: str = ReportKind.PROGRESS) -> ProgressReport:
    """The agency's report in progress for the period: the open one, or a new draft (the next
    revision when the last one was approved). Refused while a report is submitted."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    if user is not None and not roles.can_write_report(user, agency_id):
        raise PermissionDenied(_("Only the agency's focal points and MOFA's coordinators report for it."))
    with transaction.atomic():
        # Lock the period's row so that two first saves at once open one draft, not two; and the
        # report's, so that an item saved while the report is being submitted waits for the submission
        # and is then refused (report_submit locks the same row): nothing slips into a submitted report.
        ReportingPeriod.objects.select_for_update().filter(pk=period.pk).first()
        report = ProgressReport.objects.select_for_update().filter(kind=kind, agency_id=agency_id, period=period).order_by("-revision").first()
        if report is not None and report.is_open:
            return report
        if report is not None and report.status == ReportStatus.SUBMITTED:
            raise ValidationError(_locked_message(report))
        report = ProgressReport(kind=kind, agency_id=agency_id, period=period, revision=(report.revision + 1) if report else 1, created_by=user)
        _save(report, user=user, reason=history.reason(gettext_noop("Report opened")))
        ReportTransition.objects.create(report=report, from_status="", to_status=ReportStatus.DRAFT, user=user)
        return report


def item_touched(item, *, user) -> ProgressReport:
    """An item changed: it belongs to its agency's open report, and the user is one of its editors."""
    agency_id, period = item_place(item)
    report = report_open(agency=agency_id, period=period, user=user)
    if user is not None:
        report.editors.add(user)
    return report


def item_check_delete(item, *, user) -> None:
    """Deleting an item of a report: refused while the report is submitted, and once a value of the
    item was approved (that value stays what pages and exports show); otherwise a change to the
    agency's open report."""
    if item.pk is None:
        return
    item_check_open(item, user=user)
    content_type = ContentType.objects.get_for_model(type(item))
    if ApprovedValue.objects.filter(item_type=content_type, item_id=item.pk).exists():
        raise ValidationError(
            _("%(item)s has an approved value: it cannot be deleted. Correct it instead; the correction is reviewed like the first report.") % {"item": item}
        )
    reported = is_reported(item)
    if reported:
        item_touched(item, user=user)


def is_reported(item) -> bool:
    """Does the item hold something the agency reported? A yearly progress or an execution row exists
    only once reported; an indicator period may hold a target alone."""
    if not isinstance(item, IndicatorPeriod):
        return True
    return any(getattr(item, field) not in (None, "") for field in ACTUAL_FIELDS) or any(
        value.kind == ValueKind.ACTUAL for value in item.disaggregated_values.all()
    )


def cascaded_items(obj) -> list:
    """The report items deleting `obj` would delete with it (an activity's yearly progress and its
    lines' execution, a line's execution, an indicator's periods)."""
    from ..models import Activity, Indicator

    if isinstance(obj, Activity):
        return [*obj.yearly_progress.all(), *BudgetExecution.objects.filter(line__activity=obj)]
    if isinstance(obj, BudgetLine):
        return list(BudgetExecution.objects.filter(line=obj))
    if isinstance(obj, Indicator):
        return list(obj.periods.all())
    return []


def _changed(item, fields: Iterable[str]) -> bool:
    if item.pk is None:
        return True
    stored = type(item)._default_manager.filter(pk=item.pk).values(*fields).first()
    return stored is None or any(stored[field] != getattr(item, field) for field in fields)


# The items -----------------------------------------------------------------------------------------


# What places an item in its report: it never changes once saved, or the item (and what was approved
# of it) would leave its report for another agency's, year's or period's.
PLACING_FIELDS = {ActivityProgress: ("activity", "delivery_plan"), BudgetExecution: ("line",), IndicatorPeriod: ("indicator", "period")}


def check_not_moved(item) -> None:
    """Refuse to move a saved item to another activity, year, line, indicator or period."""
    if item.pk is None:
        return
    fields = PLACING_FIELDS[type(item)]
    stored = type(item)._default_manager.filter(pk=item.pk).values(*[f"{name}_id" for name in fields]).first()
    if stored is None:
        return
    for name in fields:
        if stored[f"{name}_id"] != getattr(item, f"{name}_id"):
            raise ValidationError({name: _("What was reported stays where it was reported: add a new row for another year or period instead.")})


@transaction.atomic
def activity_progress_save(*, progress: ActivityProgress, user, reason: str = "") -> ActivityProgress:
    """Save an activity's progress for a year, inside its agency's open report (refused while it is
    submitted: the lock is said before any other problem with the input)."""
    _check_can_edit(user, progress)
    check_not_moved(progress)
    changed = _changed(progress, SNAPSHOT_FIELDS[ActivityProgress])
    if changed and progress.activity_id and progress.delivery_plan_id:
        item_check_open(progress, user=user)
    progress.full_clean()
    if changed:
        item_touched(progress, user=user)
    return _save(progress, user=user, reason=reason or history.reason(gettext_noop("Yearly progress reported")))


def activity_progress_for(*, activity, delivery_plan: DeliveryPlan) -> ActivityProgress:
    """The activity's progress record for a year, unsaved when nothing was reported yet."""
    return ActivityProgress.objects.filter(activity=activity, delivery_plan=delivery_plan).first() or ActivityProgress(
        activity=activity, delivery_plan=delivery_plan
    )


@transaction.atomic
def budget_execution_save(*, execution: BudgetExecution, user, reason: str = "") -> BudgetExecution:
    """Save what a budget line committed, disbursed and spent, inside its agency's open report
    (refused while it is submitted)."""
    _check_can_edit(user, execution)
    check_not_moved(execution)
    changed = _changed(execution, SNAPSHOT_FIELDS[BudgetExecution])
    if changed and execution.line_id:
        item_check_open(execution, user=user)
    execution.full_clean()
    if changed:
        item_touched(execution, user=user)
    return _save(execution, user=user, reason=reason or history.reason(gettext_noop("Budget execution reported")))


def budget_execution_for(*, line: BudgetLine) -> BudgetExecution:
    return BudgetExecution.objects.filter(line=line).first() or BudgetExecution(line=line)


@transaction.atomic
def proposed_actual_confirm(*, period: IndicatorPeriod, user, reason: str = "") -> IndicatorPeriod:
    """Take the count from events as the period's actual, with its breakdown: the agency's confirmation
    of a computed figure, which then goes through review like any other actual."""
    if period.proposed_value is None:
        raise ValidationError(_("Nothing was counted from events for this period yet."))
    proposed = list(period.disaggregated_values.filter(kind=ValueKind.PROPOSED))
    stored = {(value.disaggregation_id, value.category): value for value in period.disaggregated_values.filter(kind=ValueKind.ACTUAL)}
    values, keep = [], set()
    for part in proposed:
        value = stored.get((part.disaggregation_id, part.category)) or DisaggregatedValue(
            period=period, kind=ValueKind.ACTUAL, disaggregation_id=part.disaggregation_id, category=part.category
        )
        value.value = part.value
        keep.add((part.disaggregation_id, part.category))
        values.append(value)
    deleted = [value for key, value in stored.items() if key not in keep]
    period.actual_value = period.proposed_value
    return indicator_period_save(
        period=period,
        user=user,
        reason=reason or history.reason(gettext_noop("Count from events confirmed")),
        confirming=True,
        disaggregated_values=values,
        deleted_values=deleted,
    )


# The report's moves ---------------------------------------------------------------------------------


# What a move records in the report's history when nobody typed a comment (shown in the reader's language).
STEP_REASONS = {
    ReportStatus.DRAFT: gettext_noop("Report reopened as a draft"),
    ReportStatus.SUBMITTED: gettext_noop("Report submitted"),
    ReportStatus.RETURNED: gettext_noop("Report returned"),
    ReportStatus.APPROVED: gettext_noop("Report approved"),
    ReportStatus.PUBLISHED: gettext_noop("Report published"),
}


def _move(report: ProgressReport, *, to: str, allowed_from: Iterable[str], user, comment: str = "", **fields) -> ProgressReport:
    """Move a report (read with select_for_update by the caller, so that the same move asked twice at
    once is done once: the second sees the first's result and is refused)."""
    if report.status == to:
        raise ValidationError(
            _("%(report)s is already “%(status)s”: nothing was changed.") % {"report": report, "status": report.get_status_display()}, code="already"
        )
    if report.status not in allowed_from:
        raise ValidationError(
            _("%(report)s is “%(status)s”: it cannot become “%(to)s”.")
            % {"report": report, "status": report.get_status_display(), "to": ReportStatus(to).label}
        )
    previous = report.status
    for field, value in fields.items():
        setattr(report, field, value)
    report.status = to
    reason = comment.strip() or history.reason(STEP_REASONS[to])
    _save(report, user=user, reason=reason)
    ReportTransition.objects.create(report=report, from_status=previous, to_status=to, user=user, comment=comment.strip())
    transaction.on_commit(lambda: notifications.report_moved(report_id=report.pk, to=to))
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, user, comment: str = "") -> ProgressReport:
    """Draft or returned → submitted, by the agency (or a coordinator on its behalf)."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if user is not None and not roles.can_write_report(user, report.agency_id):
        raise PermissionDenied(_("Only the agency's focal points and MOFA's coordinators submit %(report)s.") % {"report": report})
    if not report.narrative_vi.strip() and not any(is_reported(item) for queryset in selectors.report_items(report).values() for item in queryset):
        raise ValidationError(_("The report is empty: report on an activity, an indicator or a budget line, or write the narrative, before submitting it."))
    return _move(
        report, to=ReportStatus.SUBMITTED, allowed_from=[ReportStatus.DRAFT, ReportStatus.RETURNED], user=user, comment=comment,
        submitted_at=timezone.now(), submitted_by=user,
    )  # fmt: skip


def _check_reviewer(report: ProgressReport, user) -> None:
    """A coordinator who neither submitted nor edited the report (None: the system, e.g. the demo data)."""
    if user is None:
        return
    if not roles.can_review(user):
        raise PermissionDenied(_("Only MOFA's coordinators review reports."))
    if roles.took_part_in(user, report):
        raise PermissionDenied(_("You submitted or edited this report: another coordinator reviews it."))


@transaction.atomic
def report_return(*, report: ProgressReport, user, comment: str = "", item_comments: Mapping | None = None) -> ProgressReport:
    """Submitted → returned, with a comment on the report and/or on items (item → text)."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _check_reviewer(report, user)
    item_comments = {item: text.strip() for item, text in (item_comments or {}).items() if text and text.strip()}
    if not comment.strip() and not item_comments:
        raise ValidationError(_("Say what to correct: write a comment on the report or on one of its items."))
    if report.status == ReportStatus.SUBMITTED:
        for item, text in item_comments.items():
            review_comment_add(report=report, item=item, text=text, user=user)
    return _move(report, to=ReportStatus.RETURNED, allowed_from=[ReportStatus.SUBMITTED], user=user, comment=comment)


def item_in_report(item, report: ProgressReport) -> bool:
    """Does this item belong to the report (its agency and period)?"""
    if report.kind != ReportKind.PROGRESS or type(item) not in SNAPSHOT_FIELDS or item.pk is None:
        return False
    agency_id, period = item_place(item)
    return agency_id == report.agency_id and period.pk == report.period_id


def review_comment_add(*, report: ProgressReport, text: str, user, item=None) -> ReviewComment:
    """A coordinator's comment on the report, or on one of its items."""
    if user is not None and not roles.can_review(user):
        raise PermissionDenied(_("Only MOFA's coordinators review reports."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the comment."))
    if len(text) > 2000:
        raise ValidationError(_("A comment is at most 2,000 characters."))
    if item is not None and not item_in_report(item, report):
        raise ValidationError(_("%(item)s is not part of %(report)s.") % {"item": item, "report": report})
    comment = ReviewComment(report=report, text=text, author=user)
    if item is not None:
        comment.item_type = ContentType.objects.get_for_model(type(item))
        comment.item_id = item.pk
    comment.save()
    return comment


class _SnapshotEncoder(DjangoJSONEncoder):
    """Dates as ISO text (2025-03-01), decimals as plain digits, never a float nor an exponent
    ("1500000", "12.50"): an approved value reads the same to a person and to `to_python`."""

    def default(self, o):
        if isinstance(o, Decimal):
            return f"{o:f}"
        return super().default(o)


def snapshot(item) -> dict:
    """The reported fields of an item as JSON-ready values (a period's actual breakdown included,
    each part with its dimension's code beside its id)."""
    data = {field: item.serializable_value(field) for field in SNAPSHOT_FIELDS[type(item)]}
    if isinstance(item, IndicatorPeriod):
        values = [value for value in item.disaggregated_values.all() if value.kind == ValueKind.ACTUAL]
        data["breakdown"] = [{**{field: getattr(value, field) for field in BREAKDOWN_FIELDS}, "disaggregation": value.disaggregation.code} for value in values]
    return json.loads(_SnapshotEncoder().encode(data))


@transaction.atomic
def report_approve(*, report: ProgressReport, user, comment: str = "", version: int | None = None) -> ProgressReport:
    """Submitted → approved by a coordinator who neither submitted nor edited it. Every item's value
    is copied as approved: from now on pages and exports show these values.

    `version` is the report's version on the page the coordinator read: if it was returned, corrected
    and submitted again meanwhile, the approval is refused, so nobody approves values they never saw."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    _check_reviewer(report, user)
    if version is not None and report.version != version and report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("%(report)s changed since you opened it: read it again before approving it.") % {"report": report})
    if report.kind != ReportKind.PROGRESS:
        raise ValidationError(_("%(report)s is not a progress report: it is approved from its own page.") % {"report": report})
    now = timezone.now()
    moved = _move(report, to=ReportStatus.APPROVED, allowed_from=[ReportStatus.SUBMITTED], user=user, comment=comment, decided_at=now, decided_by=user)
    items = selectors.report_items(report)
    rows = []
    for model, queryset in items.items():
        content_type = ContentType.objects.get_for_model(model)
        for item in queryset:
            if is_reported(item):  # a period with a target only was not reported on: nothing to approve
                rows.append(ApprovedValue(item_type=content_type, item_id=item.pk, report=report, data=snapshot(item), approved_at=now, approved_by=user))
    ApprovedValue.objects.bulk_create(rows)
    return moved


@transaction.atomic
def report_publish(*, report: ProgressReport, user, comment: str = "") -> ProgressReport:
    """Approved → published, by a coordinator: its values appear on the public pages."""
    if user is not None and not roles.can_review(user):
        raise PermissionDenied(_("Only MOFA's coordinators publish reports."))
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.kind != ReportKind.PROGRESS:
        raise ValidationError(_("A delivery-plan revision takes effect when it is approved: it is not published."))
    return _move(report, to=ReportStatus.PUBLISHED, allowed_from=[ReportStatus.APPROVED], user=user, comment=comment, published_at=timezone.now())


@transaction.atomic
def reports_publish(*, period: ReportingPeriod, user) -> list[ProgressReport]:
    """Publish every approved report of a period."""
    if user is not None and not roles.can_review(user):
        raise PermissionDenied(_("Only MOFA's coordinators publish reports."))
    approved = ProgressReport.objects.filter(period=period, kind=ReportKind.PROGRESS, status=ReportStatus.APPROVED).order_by("pk")
    return [report_publish(report=report, user=user) for report in approved]


@transaction.atomic
def report_narrative_save(*, report: ProgressReport, user, narrative_vi: str, narrative_en: str = "") -> ProgressReport:
    """The report's own text, while it is open."""
    if user is not None and not roles.can_write_report(user, report.agency_id):
        raise PermissionDenied(_("Only the agency's focal points and MOFA's coordinators write %(report)s.") % {"report": report})
    if not report.is_open:
        raise ValidationError(
            _locked_message(report) if report.status == ReportStatus.SUBMITTED else _("An approved report does not change: open a correction.")
        )
    report.narrative_vi, report.narrative_en = narrative_vi, narrative_en
    _save(report, user=user, reason=history.reason(gettext_noop("Narrative written")))
    if user is not None:
        report.editors.add(user)
    return report


def report_delete_draft(*, report: ProgressReport, user) -> None:
    """An empty draft nobody needs (never submitted) may be dropped by whoever may write it."""
    if not roles.can_write_report(user, report.agency_id):
        raise PermissionDenied(_("Only the agency's focal points and MOFA's coordinators delete %(report)s.") % {"report": report})
    if report.status != ReportStatus.DRAFT or report.transitions.exclude(to_status=ReportStatus.DRAFT).exists() or report.evidence.exists():
        raise ValidationError(_("Only a draft that was never submitted and holds no evidence can be deleted."))
    record_delete(obj=report, user=user, reason=history.reason(gettext_noop("Empty draft deleted")))
