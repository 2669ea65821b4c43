"""What the public portal (and the open exports of step 6) may show: published delivery plans, and
values approved AND published through the reporting cycle. Nothing here returns a working value.

- The NAP itself (its objectives, task groups, outputs, indicators' definitions and baselines) is a
  decision of the Prime Minister: public.
- An activity is public while it is in a published delivery plan; its budget lines count only in
  published delivery plans. Approved delivery plans change only through revisions, so the rows of a
  published delivery plan are the approved plan.
- An activity's yearly status and progress, an indicator's actual (with its breakdown) and a budget
  line's execution come from `approved_values(..., published=True)`: the copy the coordinator
  published, never what an agency typed since.
- A target is public when the delivery plan of its year is published; the mid-term and final review
  targets are the NAP's own and are always public.
- Evidence is public when a coordinator made the file public and its report is published.

Every function costs a fixed number of queries whatever the size of the plan.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from planning.models import (
    STATUS_COLOURS,
    Activity,
    ActivityProgress,
    ActivityStatus,
    BudgetExecution,
    BudgetLine,
    DeliveryPlan,
    Direction,
    Evidence,
    Indicator,
    IndicatorPeriod,
    Objective,
    Organisation,
    Output,
    PeriodKind,
    Plan,
    Province,
    ReportStatus,
    ReviewStatus,
)

from . import approved_values, budget_summary, budget_totals, with_budget_totals

NAP_TARGET_KINDS = (PeriodKind.MID_TERM, PeriodKind.FINAL)


# The plan and its years -----------------------------------------------------------------------------


def published_delivery_plans(plan: Plan) -> list[DeliveryPlan]:
    """The plan's published delivery plans, oldest first: the years the portal can show."""
    return list(DeliveryPlan.objects.published().filter(plan=plan).order_by("year"))


def public_plan() -> Plan | None:
    """The plan the portal shows: the one with the latest published delivery plan, else the first."""
    latest = DeliveryPlan.objects.published().select_related("plan").order_by("-year").first()
    return latest.plan if latest else Plan.objects.order_by("start_year").first()


def public_year(delivery_plans: list[DeliveryPlan], requested) -> DeliveryPlan | None:
    """The year asked for if its delivery plan is published, else the latest published one."""
    try:
        requested = int(requested)
    except (TypeError, ValueError):
        requested = None
    by_year = {dp.year: dp for dp in delivery_plans}
    if requested in by_year:
        return by_year[requested]
    return delivery_plans[-1] if delivery_plans else None


def _published_membership(year: int | None = None) -> QuerySet:
    """Rows of Activity.delivery_plans for published delivery plans (of a year)."""
    through = Activity.delivery_plans.through.objects.filter(deliveryplan__status=ReviewStatus.PUBLISHED)
    if year is not None:
        through = through.filter(deliveryplan__year=year)
    return through


def public_activities(plan: Plan, *, year: int | None = None) -> QuerySet:
    """Activities in a published delivery plan (of `year`), without duplicates, ready to filter."""
    membership = _published_membership(year).filter(activity_id=OuterRef("pk"))
    return Activity.objects.filter(plan=plan).filter(Exists(membership))


def public_activity_queryset(plan: Plan, *, year: int | None = None) -> QuerySet:
    """Public activities with what their pages and rows show, budget totals of published lines included."""
    activities = public_activities(plan, year=year).select_related("lead_agency", "task_group", "subtask", "output__objective")
    activities = activities.prefetch_related("partner_agencies", "funding_partners", "supporting_partners", "provinces", "means")
    return with_budget_totals(activities, year=year, published=True).order_by("order", "code")


def province_units(province: Province) -> QuerySet:
    """A province and the units it was formed from (2025 mergers, and the Huế change before them): an
    activity placed in any of them is in the province."""
    return Province.objects.filter(Q(pk=province.pk) | Q(successors=province) | Q(successors__successors=province)).values("pk")


def in_province(activities: QuerySet, province: Province) -> QuerySet:
    """The activities placed in a province or in one of the units it was formed from."""
    places = Activity.provinces.through.objects.filter(activity_id=OuterRef("pk"), province_id__in=province_units(province))
    return activities.filter(Exists(places))


def public_organisations(plan: Plan) -> QuerySet:
    """Organisations that lead, partner, fund or support an activity of a published delivery plan (any year):
    the agencies with a public page."""
    activities = public_activities(plan)
    return Organisation.objects.filter(
        Exists(activities.filter(lead_agency=OuterRef("pk")))
        | Exists(activities.filter(partner_agencies=OuterRef("pk")))
        | Exists(activities.filter(supporting_partners=OuterRef("pk")))
        | Exists(activities.filter(funding_partners=OuterRef("pk")))
    )


def activity_years(activities) -> dict[int, list[int]]:
    """The published years of each activity, by activity id (one query)."""
    years: dict[int, list[int]] = {}
    rows = _published_membership().filter(activity__in=activities).values_list("activity_id", "deliveryplan__year").order_by("deliveryplan__year")
    for activity_id, year in rows:
        years.setdefault(activity_id, []).append(year)
    return years


# Activities' yearly status and progress -------------------------------------------------------------


def public_progress(activities, *, year: int) -> dict[int, ActivityProgress]:
    """The published yearly progress of each activity in `year`, by activity id (two queries).

    Activities whose progress for the year was never published are left out: they show as
    "not reported yet".
    """
    rows = ActivityProgress.objects.filter(activity__in=activities, delivery_plan__year=year, delivery_plan__status=ReviewStatus.PUBLISHED)
    rows = list(rows.select_related("delivery_plan"))
    approved = approved_values(rows, published=True)
    return {row.activity_id: approved[row.pk] for row in rows if row.pk in approved}


def public_progress_history(activity: Activity) -> list[tuple[DeliveryPlan, ActivityProgress | None]]:
    """Every published year of one activity with its published progress (or None), oldest first."""
    plans = list(activity.delivery_plans.filter(status=ReviewStatus.PUBLISHED).order_by("year"))
    rows = list(ActivityProgress.objects.filter(activity=activity, delivery_plan__in=plans))
    approved = approved_values(rows, published=True)
    by_plan = {row.delivery_plan_id: approved.get(row.pk) for row in rows}
    return [(dp, by_plan.get(dp.pk)) for dp in plans]


@dataclass
class StatusCount:
    status: str
    label: str
    colour: str
    count: int


def status_counts(activities, progress: dict[int, ActivityProgress]) -> tuple[list[StatusCount], int]:
    """How many activities stand in each of the five statuses, and how many were not reported yet."""
    counts = dict.fromkeys(ActivityStatus.values, 0)
    unreported = 0
    for activity in activities:
        found = progress.get(activity.pk)
        if found is None:
            unreported += 1
        else:
            counts[found.status] += 1
    return [StatusCount(status, ActivityStatus(status).label, STATUS_COLOURS[status], n) for status, n in counts.items()], unreported


# Indicators -----------------------------------------------------------------------------------------


class Standing:
    """Where an indicator stands in a period, against its target."""

    MET = "met"  # on track: the approved actual reaches the target
    BEHIND = "behind"
    NOT_REPORTED = "not_reported"  # a target, but no published actual yet
    NO_TARGET = "no_target"


@dataclass(frozen=True)
class PublicTarget:
    """A period's target, copied out of its row so that no working value travels with it."""

    target_value: Decimal | None
    target_numerator: Decimal | None
    target_denominator: Decimal | None
    target_text_vi: str
    target_text_en: str

    @property
    def target_text(self):
        from napwps.bilingual import translate

        return translate(self, "target_text")

    @classmethod
    def of(cls, row: IndicatorPeriod) -> "PublicTarget":
        return cls(row.target_value, row.target_numerator, row.target_denominator, row.target_text_vi, row.target_text_en)


@dataclass
class PublicPeriod:
    """One period of an indicator as the public sees it."""

    period: object  # ReportingPeriod
    target: PublicTarget | None
    actual: IndicatorPeriod | None  # the published approved copy (approved_breakdown included)
    standing: str = Standing.NO_TARGET

    @property
    def target_value(self):
        return self.target.target_value if self.target is not None else None

    @property
    def actual_value(self):
        return self.actual.actual_value if self.actual is not None else None

    @classmethod
    def judged(cls, row: IndicatorPeriod, target: PublicTarget | None, actual, **more):
        """The period of `row` showing `target` and `actual`, its standing worked out from them."""
        value = standing(row.indicator, target.target_value if target else None, actual.actual_value if actual else None)
        return cls(period=row.period, target=target, actual=actual, standing=value, **more)


def standing(indicator: Indicator, target_value, actual_value) -> str:
    if target_value is None:
        return Standing.NO_TARGET
    if actual_value is None:
        return Standing.NOT_REPORTED
    met = actual_value <= target_value if indicator.direction == Direction.DECREASE else actual_value >= target_value
    return Standing.MET if met else Standing.BEHIND


def _public_target_condition(published_years: list[int]) -> Q:
    return Q(period__kind__in=NAP_TARGET_KINDS) | Q(period__year__in=published_years)


def public_indicator_periods(indicators, *, plan: Plan, kinds=None) -> dict[int, list[PublicPeriod]]:
    """Every period of each indicator with a public target or a published actual, by indicator id,
    in calendar order. `kinds` limits the periods (e.g. (PeriodKind.ANNUAL,)). Three queries.
    """
    published_years = list(DeliveryPlan.objects.published().filter(plan=plan).values_list("year", flat=True))
    rows = IndicatorPeriod.objects.filter(indicator__in=indicators).select_related("period", "indicator").order_by("period__end", "period__start")
    if kinds:
        rows = rows.filter(period__kind__in=kinds)
    rows = list(rows)
    approved = approved_values(rows, published=True)
    result: dict[int, list[PublicPeriod]] = {}
    for row in rows:
        target_public = row.period.kind in NAP_TARGET_KINDS or row.period.year in published_years
        actual = approved.get(row.pk)
        if actual is not None:
            actual.proposed_value = actual.proposed_at = None  # a count from events is a working value
        if not target_public and actual is None:
            continue
        target = PublicTarget.of(row) if target_public and _has_target(row) else None
        result.setdefault(row.indicator_id, []).append(PublicPeriod.judged(row, target, actual))
    return result


def _has_target(row: IndicatorPeriod) -> bool:
    return row.target_value is not None or bool(row.target_text_vi or row.target_text_en)


@dataclass
class IndicatorSummary:
    """How a set of indicators stands in one year."""

    total: int = 0
    with_target: int = 0
    met: int = 0
    behind: int = 0
    not_reported: int = 0

    @property
    def met_share(self) -> Decimal | None:
        return Decimal(self.met * 100) / self.with_target if self.with_target else None


def indicator_summary(indicator_ids, periods: dict[int, list[PublicPeriod]], *, year: int) -> IndicatorSummary:
    """On track = the published actual of `year` reaches its target; the share counts the indicators
    with a numeric target that year."""
    summary = IndicatorSummary()
    for indicator_id in indicator_ids:
        summary.total += 1
        found = next((p for p in periods.get(indicator_id, []) if p.period.kind == PeriodKind.ANNUAL and p.period.year == year), None)
        if found is None or found.standing == Standing.NO_TARGET:
            continue
        summary.with_target += 1
        if found.standing == Standing.MET:
            summary.met += 1
        elif found.standing == Standing.BEHIND:
            summary.behind += 1
        else:
            summary.not_reported += 1
    return summary


def public_indicators(plan: Plan, *, year: int | None = None) -> QuerySet:
    """The plan's indicators that are public: plan, objective and output level, and those of public
    activities (of `year`)."""
    activities = public_activities(plan, year=year)
    return (
        Indicator.objects.filter(plan=plan)
        .filter(Q(activity__isnull=True) | Q(activity__in=activities))
        .select_related("responsible_agency", "objective", "output__objective", "activity__output__objective", "plan_level_of")
        .order_by("order", "code")
    )


def indicator_objective_id(indicator: Indicator) -> int | None:
    """The specific objective an indicator sits under (None for the plan's general objective)."""
    if indicator.objective_id:
        return indicator.objective_id
    if indicator.output_id:
        return indicator.output.objective_id
    if indicator.activity_id:
        return indicator.activity.output.objective_id
    return None


# Money ----------------------------------------------------------------------------------------------


def public_budget_lines(plan: Plan, *, year: int | None = None) -> QuerySet:
    """Budget lines of the plan's published delivery plans (of `year`)."""
    lines = BudgetLine.objects.filter(activity__plan=plan, delivery_plan__status=ReviewStatus.PUBLISHED)
    return lines.filter(delivery_plan__year=year) if year is not None else lines


def public_budget_totals(plan: Plan, *, year: int | None = None) -> dict:
    """Estimated, pledged, committed, disbursed, spent and the gap over the published lines."""
    return budget_totals(public_budget_lines(plan, year=year))


def public_budget_summary(plan: Plan, *, year: int | None = None, by) -> list[dict]:
    return budget_summary(public_budget_lines(plan, year=year), by=by)


@dataclass
class PublicExecution:
    """What was published of a budget line's execution."""

    line: BudgetLine
    execution: BudgetExecution | None = None  # the published approved copy


def public_budget_rows(activity: Activity) -> list[PublicExecution]:
    """An activity's published budget lines, year by year, with their published execution."""
    lines = list(
        public_budget_lines(activity.plan).filter(activity=activity).select_related("delivery_plan", "funder").order_by("delivery_plan__year", "source", "pk")
    )
    executions = list(BudgetExecution.objects.filter(line__in=lines))
    approved = approved_values(executions, published=True)
    by_line = {execution.line_id: approved.get(execution.pk) for execution in executions}
    return [PublicExecution(line=line, execution=by_line.get(line.pk)) for line in lines]


# Evidence -------------------------------------------------------------------------------------------


def public_evidence(*, activity: Activity | None = None, indicator: Indicator | None = None) -> QuerySet:
    """Files a coordinator made public, of published reports."""
    files = Evidence.objects.filter(is_public=True, report__status=ReportStatus.PUBLISHED).select_related("report__period")
    if activity is not None:
        files = files.filter(activity=activity)
    if indicator is not None:
        files = files.filter(indicator_period__indicator=indicator)
    return files.order_by("-report__period__end", "title_vi")


# The logframe tree ----------------------------------------------------------------------------------


@dataclass
class ActivityNode:
    activity: Activity  # annotated with budget_estimated, budget_committed, budget_gap
    progress: ActivityProgress | None
    indicators: list = field(default_factory=list)  # [(indicator, [PublicPeriod])]


@dataclass
class OutputNode:
    output: Output
    activities: list[ActivityNode] = field(default_factory=list)
    indicators: list = field(default_factory=list)


@dataclass
class ObjectiveNode:
    objective: Objective
    outputs: list[OutputNode] = field(default_factory=list)
    indicators: list = field(default_factory=list)


def public_logframe(plan: Plan, *, year: int, activities: QuerySet | None = None) -> list[ObjectiveNode]:
    """General objective → objectives → outputs → public activities of `year`, each activity with its
    published progress and budget, and every indicator with its public periods.

    `activities` narrows the tree (a filtered `public_activity_queryset`); outputs left without an
    activity stay, so the matrix keeps its shape. A fixed number of queries.
    """
    if activities is None:
        activities = public_activity_queryset(plan, year=year)
    activities = list(activities)
    progress = public_progress([a.pk for a in activities], year=year)
    outputs = list(Output.objects.filter(plan=plan).order_by("objective__order", "objective__code", "order", "code"))
    objectives = list(plan.objectives.order_by("order", "code"))
    indicators = list(
        Indicator.objects.filter(plan=plan)
        .filter(Q(activity__isnull=True) | Q(activity__in=[a.pk for a in activities]))
        .prefetch_related(Prefetch("disaggregations"))
        .order_by("order", "code")
    )
    periods = public_indicator_periods(indicators, plan=plan)
    nodes = {objective.pk: ObjectiveNode(objective) for objective in objectives}
    output_nodes = {}
    for output in outputs:
        output_nodes[output.pk] = OutputNode(output)
        nodes[output.objective_id].outputs.append(output_nodes[output.pk])
    activity_nodes = {}
    for activity in activities:
        activity_nodes[activity.pk] = ActivityNode(activity, progress.get(activity.pk))
        output_nodes[activity.output_id].activities.append(activity_nodes[activity.pk])
    for indicator in indicators:
        entry = (indicator, periods.get(indicator.pk, []))
        if indicator.activity_id:
            activity_nodes[indicator.activity_id].indicators.append(entry)
        elif indicator.output_id:
            output_nodes[indicator.output_id].indicators.append(entry)
        elif indicator.objective_id:
            nodes[indicator.objective_id].indicators.append(entry)
    return list(nodes.values())


def plan_indicators(plan: Plan) -> list:
    """The general objective's (plan-level) indicators with their public periods."""
    indicators = list(Indicator.objects.filter(plan_level_of=plan).order_by("order", "code"))
    periods = public_indicator_periods(indicators, plan=plan)
    return [(indicator, periods.get(indicator.pk, [])) for indicator in indicators]


# home: figures from other apps ----------------------------------------------------------------------

# Functions `(*, year) -> summary` that other apps register (events.apps registers the events held and
# the people trained), so that planning never imports them.
PUBLIC_EVENT_FIGURES: list = []


def public_event_summary(*, year) -> object | None:
    """The events held in `year` and the people trained, from the first registered source (or None)."""
    for source in PUBLIC_EVENT_FIGURES:
        return source(year=year)
    return None


# logframe pdf: what the cached exports depend on ------------------------------------------------------


def public_data_version(plan: Plan) -> str:
    """A text that changes whenever something a public page or export may show changes: the latest
    publication of a report and the latest recorded change (django-simple-history, deletions included)
    of the plan's structure, delivery plans, activities, indicators and their periods, budget lines,
    reports and agencies. One query (a subquery per table, each reading its newest row); the plan's
    id is part of it."""
    from django.db.models import Subquery

    from planning.models import Organisation, ProgressReport, SubTask, TaskGroup

    def latest(queryset, field_name):
        return Subquery(queryset.order_by(f"-{field_name}").values(field_name)[:1])

    histories = {
        model._meta.model_name: latest(model.history.model.objects.all(), "history_date")
        for model in (Plan, Objective, TaskGroup, SubTask, Output, DeliveryPlan, Activity, Indicator, IndicatorPeriod, BudgetLine, ProgressReport, Organisation)
    }
    row = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(published=latest(ProgressReport.objects.filter(published_at__isnull=False), "published_at"), **histories)
        .values("pk", "published", *histories)
    )
    found = next(iter(row), {"pk": plan.pk})
    return "|".join(f"{key}={value.isoformat() if hasattr(value, 'isoformat') else value}" for key, value in sorted(found.items()))


# step 6: open data ----------------------------------------------------------------------------------


def public_progress_by_year(activities) -> dict[tuple[int, int], ActivityProgress]:
    """The published progress of some activities in every published year, by (activity id, year) (two queries)."""
    rows = ActivityProgress.objects.filter(activity__in=activities, delivery_plan__status=ReviewStatus.PUBLISHED)
    rows = list(rows.select_related("delivery_plan"))
    approved = approved_values(rows, published=True)
    return {(row.activity_id, row.delivery_plan.year): approved[row.pk] for row in rows if row.pk in approved}


def public_budget_executions(lines) -> dict[int, BudgetExecution]:
    """The published execution of some budget lines (of published delivery plans), by line id (two queries)."""
    executions = list(BudgetExecution.objects.filter(line__in=lines))
    approved = approved_values(executions, published=True)
    return {execution.line_id: approved[execution.pk] for execution in executions if execution.pk in approved}


# Functions `() -> (columns, rows)` that other apps register (events.apps registers the events' public
# figures), so that planning never imports them: `columns` a list of planning.opendata.Column, `rows`
# an iterable of dicts keyed by column name, read only when iterated.
PUBLIC_OPEN_DATA_EVENTS: list = []


def public_open_data_events() -> tuple[list, object]:
    """The events' open data (columns and rows) from the first registered source, else nothing."""
    for source in PUBLIC_OPEN_DATA_EVENTS:
        return source()
    return [], ()
