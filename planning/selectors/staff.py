"""The staff view of the logframe: signed-in staff may see the plan page with the working values
beside the published ones. Same nodes as `public.public_logframe`, so one template renders both; each
node also carries its working value where it differs from what was published (`draft`), for the page
to mark "not yet published". Never used on a public page."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from planning.models import Activity, ActivityProgress, DeliveryPlan, DisaggregatedValue, Indicator, IndicatorPeriod, Output, PeriodKind, Plan, ValueKind

from . import ApprovedBreakdown, approved_values, with_budget_totals
from .public import (
    NAP_TARGET_KINDS,
    ActivityNode,
    ObjectiveNode,
    OutputNode,
    PublicPeriod,
    PublicTarget,
    _has_target,
    public_indicator_periods,
    public_progress,
)


def staff_activity_queryset(plan: Plan, *, year: int) -> QuerySet:
    """Every activity of the delivery plan of `year`, whatever its status, with the budget of its lines."""
    membership = Activity.delivery_plans.through.objects.filter(activity_id=OuterRef("pk"), deliveryplan__plan=plan, deliveryplan__year=year)
    activities = Activity.objects.filter(plan=plan).filter(Exists(membership)).select_related("lead_agency", "task_group", "subtask", "output__objective")
    activities = activities.prefetch_related("partner_agencies", "funding_partners", "supporting_partners", "provinces", "means")
    return with_budget_totals(activities, year=year).order_by("order", "code")


def _differs(working, published, names) -> bool:
    return published is None or any(getattr(working, name) != getattr(published, name) for name in names)


def staff_logframe(
    plan: Plan, *, year: int, activities: QuerySet | None = None, working_periods: bool = False, drafts_of: int | None = None
) -> tuple[list, list]:
    """(plan-level indicator entries, objective nodes) of `year` as `public.plan_indicators` and
    `public.public_logframe` build them (published values only), each with the working values too:

    - `ActivityNode.draft`: the activity's live ActivityProgress of the year when it differs from the
      published one (status, progress, justification), else None;
    - each indicator (`entry[0]`) carries `working`: its live IndicatorPeriod of the year's annual
      period (target and actual as typed), or None.

    With `working_periods` (the workspace exports), each indicator's periods are its working ones
    (`staff_indicator_periods`: `WorkingPeriod`s, drafts flagged) instead of the public ones; with
    `drafts_of` (a focal point's agency id) only that agency's indicators get working periods, the
    others keep their public ones (roles.sees_drafts_of).

    A fixed number of queries whatever the size of the plan.
    """
    if activities is None:
        activities = staff_activity_queryset(plan, year=year)
    activities = list(activities)
    ids = [activity.pk for activity in activities]
    published = public_progress(ids, year=year)
    working = {row.activity_id: row for row in ActivityProgress.objects.filter(activity__in=ids, delivery_plan__plan=plan, delivery_plan__year=year)}
    outputs = list(Output.objects.filter(plan=plan).order_by("objective__order", "objective__code", "order", "code"))
    objectives = list(plan.objectives.order_by("order", "code"))
    indicators = list(
        Indicator.objects.filter(plan=plan).filter(Q(activity__isnull=True) | Q(activity__in=ids) | Q(plan_level_of=plan)).order_by("order", "code")
    )
    periods = public_indicator_periods(indicators, plan=plan)
    if working_periods:
        mine = [indicator for indicator in indicators if drafts_of is None or indicator.responsible_agency_id == drafts_of]
        periods.update(staff_indicator_periods(mine, plan=plan))
    live = {
        row.indicator_id: row
        for row in IndicatorPeriod.objects.filter(indicator__in=indicators, period__plan=plan, period__kind=PeriodKind.ANNUAL, period__year=year)
    }
    nodes = {objective.pk: ObjectiveNode(objective) for objective in objectives}
    output_nodes = {}
    for output in outputs:
        output_nodes[output.pk] = OutputNode(output)
        nodes[output.objective_id].outputs.append(output_nodes[output.pk])
    activity_nodes = {}
    shown = ("status", "progress", "status_justification_vi", "status_justification_en")
    for activity in activities:
        node = ActivityNode(activity, published.get(activity.pk))
        row = working.get(activity.pk)
        node.draft = row if row is not None and _differs(row, node.progress, shown) else None
        activity_nodes[activity.pk] = node
        output_nodes[activity.output_id].activities.append(node)
    general = []
    for indicator in indicators:
        indicator.working = live.get(indicator.pk)
        entry = (indicator, periods.get(indicator.pk, []))
        if indicator.plan_level_of_id:
            general.append(entry)
        elif indicator.activity_id:
            activity_nodes[indicator.activity_id].indicators.append(entry)
        elif indicator.output_id:
            output_nodes[indicator.output_id].indicators.append(entry)
        elif indicator.objective_id:
            nodes[indicator.objective_id].indicators.append(entry)
    return general, list(nodes.values())


# drafts: the workspace exports of the logframe (issue 10 §1–§2, working values) ---------------------


@dataclass
class WorkingPeriod(PublicPeriod):
    """One period of an indicator with its working target and actual, read like a `public.PublicPeriod`
    (so the export sheets read either): `actual` is the live row, `approved_breakdown` holding its working
    breakdown; `draft_target` when the target is not public yet (its year's delivery plan is not
    published), `draft_actual` when the actual is not the published one."""

    draft_target: bool = False
    draft_actual: bool = False

    @property
    def is_draft(self) -> bool:
        return self.draft_target or self.draft_actual


def _has_actual(row: IndicatorPeriod) -> bool:
    return row.actual_value is not None or bool(row.actual_text_vi or row.actual_text_en)


def _breakdown_key(parts) -> set:
    return {(part.disaggregation_id, part.category, part.value) for part in parts}


def staff_indicator_periods(indicators, *, plan: Plan) -> dict[int, list[WorkingPeriod]]:
    """Every period of each indicator with a target or an actual as typed today, by indicator id, in
    calendar order, each flagged where it is not the public value. Four queries whatever the number."""
    published_years = set(DeliveryPlan.objects.published().filter(plan=plan).values_list("year", flat=True))
    actuals = Prefetch("disaggregated_values", queryset=DisaggregatedValue.objects.filter(kind=ValueKind.ACTUAL), to_attr="working_actuals")
    rows = list(
        IndicatorPeriod.objects.filter(indicator__in=indicators)
        .select_related("period", "indicator")
        .prefetch_related(actuals)
        .order_by("period__end", "period__start")
    )
    published = approved_values(rows, published=True)
    result: dict[int, list[WorkingPeriod]] = {}
    for row in rows:
        target = PublicTarget.of(row) if _has_target(row) else None
        public_target = row.period.kind in NAP_TARGET_KINDS or row.period.year in published_years
        shown = published.get(row.pk)
        actual, draft_actual = shown, False
        if _has_actual(row):
            row.proposed_value = row.proposed_at = None  # a count from events is not a reported value
            row.approved_breakdown = [
                ApprovedBreakdown(part.disaggregation_id, part.category, part.value, part.numerator, part.denominator) for part in row.working_actuals
            ]
            names = ("actual_value", "actual_text_vi", "actual_text_en")
            draft_actual = shown is None or any(getattr(row, name) != getattr(shown, name) for name in names)
            draft_actual = draft_actual or _breakdown_key(row.approved_breakdown) != _breakdown_key(getattr(shown, "approved_breakdown", None) or [])
            actual = row
        if target is None and actual is None:
            continue
        period = WorkingPeriod.judged(row, target, actual, draft_target=target is not None and not public_target, draft_actual=draft_actual)
        result.setdefault(row.indicator_id, []).append(period)
    return result


class DraftProgress:
    """An activity's working yearly progress where it is not the published one, as the exports show
    it: the same attributes, its status said with the draft mark and its shown values flagged
    `is_draft` (the workbook shades them)."""

    is_draft = True

    def __init__(self, row: ActivityProgress, mark: str):
        self._row, self._mark = row, mark

    def __getattr__(self, name):
        return getattr(self._row, name)

    def get_status_display(self):
        return DraftText(f"{self._row.get_status_display()} {self._mark}")

    @property
    def status_justification(self):
        return DraftText(self._row.status_justification)

    @property
    def progress(self):
        return DraftNumber(self._row.progress)


class DraftText(str):
    """Text that is a working value (the workbook shades its cell)."""

    is_draft = True


class DraftNumber(int):
    """A whole number that is a working value (the workbook shades its cell)."""

    is_draft = True


def staff_progress(activities, *, year: int, mark: str) -> dict[int, object]:
    """The yearly progress the workspace exports show, by activity id: the working row (a
    `DraftProgress`) where it differs from the published one, else the published one. Three queries."""
    published = public_progress(activities, year=year)
    shown = dict(published)
    names = ("status", "progress", "status_justification_vi", "status_justification_en", "actual_start", "actual_end")
    for row in ActivityProgress.objects.filter(activity__in=activities, delivery_plan__year=year):
        if _differs(row, published.get(row.activity_id), names):
            shown[row.activity_id] = DraftProgress(row, mark)
    return shown
