"""Reads that cross models: budget totals and funding gaps, indicator progress, the logframe tree.

Pages, exports and the admin all call these, so a figure is computed one way everywhere.
"""

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from planning.models import (
    DECIDED_REPORT_STATUSES,
    DISBURSED_STATUSES,
    SECURED_STATUSES,
    Activity,
    ActivityProgress,
    ApprovedValue,
    BudgetExecution,
    BudgetLine,
    DeliveryPlan,
    FundingStatus,
    Indicator,
    IndicatorPeriod,
    Objective,
    Output,
    PeriodKind,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
    ReviewStatus,
    ValueKind,
)

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=0))

# What each budget figure adds up. Every line counts in the estimate; its status says how far its
# funding has come. Gap = estimated - committed (committed, disbursed and spent lines are secured).
BUDGET_FIGURES = {
    "estimated": Q(),
    "pledged": Q(status=FundingStatus.PLEDGED),
    "committed": Q(status__in=SECURED_STATUSES),
    "disbursed": Q(status__in=DISBURSED_STATUSES),
    "spent": Q(status=FundingStatus.SPENT),
}

# The levels of the plan a budget can be grouped by, and the per-year and per-source breakdowns.
BUDGET_GROUPS = {
    "activity": "activity",
    "output": "activity__output",
    "objective": "activity__output__objective",
    "task_group": "activity__task_group",
    "plan": "activity__plan",
    "year": "delivery_plan__year",
    "source": "source",
    "status": "status",
    "lead_agency": "activity__lead_agency",
    "funder": "funder",
}


def _sums() -> dict:
    return {name: Coalesce(Sum("amount_vnd", filter=condition), ZERO) for name, condition in BUDGET_FIGURES.items()}


def _with_gap(row: dict) -> dict:
    row["gap"] = row["estimated"] - row["committed"]
    return row


def budget_lines(*, plan: Plan | None = None, year: int | None = None, agency=None) -> QuerySet:
    lines = BudgetLine.objects.all()
    if plan is not None:
        lines = lines.filter(activity__plan=plan)
    if year is not None:
        lines = lines.filter(delivery_plan__year=year)
    if agency is not None:
        lines = lines.filter(activity__lead_agency=agency)
    return lines


def budget_totals(lines: QuerySet | None = None) -> dict:
    """Estimated, pledged, committed, disbursed, spent and the funding gap of some budget lines."""
    lines = BudgetLine.objects.all() if lines is None else lines
    return _with_gap(lines.aggregate(**_sums()))


def budget_summary(lines: QuerySet | None = None, *, by: Iterable[str]) -> list[dict]:
    """The same figures grouped, e.g. by=("objective", "year") or by=("source",).

    Each row has the grouping keys (as ids or values) and the figures, gap included.
    """
    lines = BudgetLine.objects.all() if lines is None else lines
    keys = {name: BUDGET_GROUPS[name] for name in by}
    rows = lines.values(*keys.values()).annotate(**_sums()).order_by(*keys.values())
    return [_with_gap({**{name: row[path] for name, path in keys.items()}, **{f: row[f] for f in BUDGET_FIGURES}}) for row in rows]


# How budget lines reach each row a total can be shown against.
BUDGET_PATHS = {
    Activity: "activity",
    Output: "activity__output",
    Objective: "activity__output__objective",
    DeliveryPlan: "delivery_plan",
    Plan: "activity__plan",
}


def with_budget_totals(rows: QuerySet, *, year: int | None = None, published: bool = False) -> QuerySet:
    """Annotate activities, outputs, objectives, delivery plans or plans with budget_estimated,
    budget_committed and budget_gap (with `published`, only the lines of published delivery plans).

    Subqueries, so that filters joining other many-valued relations cannot double the sums, and a
    list of rows costs one query whatever its length.
    """
    path = BUDGET_PATHS[rows.model]
    lines = BudgetLine.objects.filter(**{path: OuterRef("pk")})
    if year is not None:
        lines = lines.filter(delivery_plan__year=year)
    if published:
        lines = lines.filter(delivery_plan__status=ReviewStatus.PUBLISHED)

    def total(condition: Q):
        summed = lines.filter(condition).order_by().values(path).annotate(total=Sum("amount_vnd")).values("total")
        return Coalesce(Subquery(summed, output_field=DecimalField(max_digits=20, decimal_places=0)), ZERO)

    return rows.annotate(
        budget_estimated=total(BUDGET_FIGURES["estimated"]),
        budget_committed=total(BUDGET_FIGURES["committed"]),
    ).annotate(budget_gap=F("budget_estimated") - F("budget_committed"))


def logframe(plan: Plan, *, year: int | None = None) -> QuerySet:
    """The plan's objectives with their outputs, activities and indicators, ready to walk.

    A fixed number of queries whatever the size of the plan.
    """
    activities = Activity.objects.select_related("lead_agency", "task_group").prefetch_related("partner_agencies", "supporting_partners", "means", "provinces")
    if year is not None:
        activities = activities.filter(delivery_plans__year=year)
    activities = with_budget_totals(activities, year=year).order_by("order", "code")
    periods = IndicatorPeriod.objects.select_related("period")
    if year is not None:
        periods = periods.filter(period__year=year)
    indicators = Indicator.objects.select_related("responsible_agency").prefetch_related(Prefetch("periods", queryset=periods))
    return plan.objectives.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("outputs", queryset=Output.objects.order_by("order", "code")),
        Prefetch("outputs__indicators", queryset=indicators),
        Prefetch("outputs__activities", queryset=activities),
        Prefetch("outputs__activities__indicators", queryset=indicators),
    )


# The reporting cycle (step 4) ------------------------------------------------------------------------
#
# Pages and exports show what was approved, never a working value: `approved_values` is the one way
# to read "the approved (or published) value of X for period P".


@dataclass
class ApprovedBreakdown:
    """One category of an approved actual (women, 18–35, a province)."""

    disaggregation_id: int
    category: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def approved_values(items: Iterable, *, published: bool = False) -> dict[int, object]:
    """The approved (with `published`, the published) value of each item, by the item's id.

    `items` are yearly progress records, indicator periods or budget executions (one model). Each
    value is a copy of the item whose reported fields hold what was last approved, with
    `approved_at`, `approved_report_id` and, for an indicator period, `approved_breakdown` (a list
    of ApprovedBreakdown: never read the copy's `disaggregated_values`, which are working values).
    Items never approved are left out. One query whatever the number of items.
    """
    from django.contrib.contenttypes.models import ContentType

    items = list(items)
    if not items:
        return {}
    model = type(items[0])
    statuses = [ReportStatus.PUBLISHED] if published else list(DECIDED_REPORT_STATUSES)
    rows = (
        ApprovedValue.objects.filter(item_type=ContentType.objects.get_for_model(model), item_id__in=[item.pk for item in items], report__status__in=statuses)
        .order_by("item_id", "approved_at", "pk")
        .values("item_id", "data", "approved_at", "report_id")
    )
    latest = {row["item_id"]: row for row in rows}
    return {item.pk: _approved_copy(item, latest[item.pk]) for item in items if item.pk in latest}


def approved_value(item, *, published: bool = False):
    """The approved value of one item, or None."""
    return approved_values([item], published=published).get(item.pk)


def _approved_copy(item, row: dict):
    approved = copy.copy(item)
    approved._prefetched_objects_cache = {}
    for name, value in row["data"].items():
        if name == "breakdown":
            continue
        setattr(approved, name, type(item)._meta.get_field(name).to_python(value))
    approved.approved_at = row["approved_at"]
    approved.approved_report_id = row["report_id"]
    if "breakdown" in row["data"]:
        approved.approved_breakdown = [
            ApprovedBreakdown(
                disaggregation_id=part["disaggregation_id"],
                category=part["category"],
                value=_decimal(part.get("value")),
                numerator=_decimal(part.get("numerator")),
                denominator=_decimal(part.get("denominator")),
            )
            for part in row["data"]["breakdown"]
        ]
    return approved


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def approved_history(item) -> list[ApprovedValue]:
    """Every value this item ever had approved, oldest first, with who approved it and in which report."""
    from django.contrib.contenttypes.models import ContentType

    return list(
        ApprovedValue.objects.filter(item_type=ContentType.objects.get_for_model(type(item)), item_id=item.pk)
        .select_related("report", "approved_by")
        .order_by("approved_at", "pk")
    )


def report_items(report: ProgressReport) -> dict[type, QuerySet]:
    """The working rows a report holds: its agency's indicator periods for the period and, for a
    year, the yearly progress of the activities it leads and the execution of their budget lines."""
    if report.kind != ReportKind.PROGRESS:
        return {}
    agency, period = report.agency_id, report.period
    periods = (
        IndicatorPeriod.objects.filter(indicator__responsible_agency_id=agency, period=period)
        .select_related("indicator", "period")
        .prefetch_related("disaggregated_values__disaggregation")
        .order_by("indicator__order", "indicator__code")
    )
    items = {IndicatorPeriod: periods}
    if period.kind == PeriodKind.ANNUAL:
        items[ActivityProgress] = (
            ActivityProgress.objects.filter(activity__lead_agency_id=agency, delivery_plan__plan_id=period.plan_id, delivery_plan__year=period.year)
            .select_related("activity", "delivery_plan")
            .order_by("activity__order", "activity__code")
        )
        items[BudgetExecution] = (
            BudgetExecution.objects.filter(
                line__activity__lead_agency_id=agency, line__delivery_plan__plan_id=period.plan_id, line__delivery_plan__year=period.year
            )
            .select_related("line__activity", "line__delivery_plan", "line__funder")
            .order_by("line__activity__code", "line__source", "line__pk")
        )
    return items


@dataclass
class Missing:
    """Something an agency has not reported yet for a period."""

    kind: str  # "progress", "actual", "breakdown", "execution"
    obj: object  # the activity, indicator period or budget line
    message: str


def report_missing(*, agency_id: int, period: ReportingPeriod) -> list[Missing]:
    """What an agency still has to report for a period: an activity of the year without its status,
    an indicator period without an actual or without a required breakdown, a budget line without
    execution. A fixed number of queries."""
    from django.utils.translation import gettext as _

    missing: list[Missing] = []
    periods = (
        IndicatorPeriod.objects.filter(indicator__responsible_agency_id=agency_id, period=period)
        .select_related("indicator")
        .prefetch_related("indicator__disaggregations", "disaggregated_values")
        .order_by("indicator__order", "indicator__code")
    )
    for item in periods:
        if item.actual_value is None and not item.actual_text_vi.strip():
            missing.append(Missing("actual", item, _("%(indicator)s: no actual for %(period)s.") % {"indicator": item.indicator.code, "period": period}))
            continue
        given = {value.disaggregation_id for value in item.disaggregated_values.all() if value.kind == ValueKind.ACTUAL}
        for disaggregation in item.indicator.disaggregations.all():
            if disaggregation.pk not in given:
                missing.append(
                    Missing(
                        "breakdown",
                        item,
                        _("%(indicator)s: the actual has no breakdown by %(dimension)s.") % {"indicator": item.indicator.code, "dimension": disaggregation},
                    )
                )
    if period.kind != PeriodKind.ANNUAL:
        return missing
    activities = (
        Activity.objects.filter(lead_agency_id=agency_id, delivery_plans__plan_id=period.plan_id, delivery_plans__year=period.year)
        .exclude(yearly_progress__delivery_plan__year=period.year)
        .order_by("order", "code")
    )
    missing += [
        Missing("progress", activity, _("%(activity)s: no status for %(year)s.") % {"activity": activity.code, "year": period.year}) for activity in activities
    ]
    lines = (
        BudgetLine.objects.filter(
            activity__lead_agency_id=agency_id, delivery_plan__plan_id=period.plan_id, delivery_plan__year=period.year, execution__isnull=True
        )
        .select_related("activity")
        .order_by("activity__code", "source", "pk")
    )
    missing += [
        Missing(
            "execution",
            line,
            _("%(activity)s: nothing reported on the %(source)s budget line.") % {"activity": line.activity.code, "source": line.get_source_display()},
        )
        for line in lines
    ]
    return missing


@dataclass
class FieldChange:
    label: str
    old: object
    new: object

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class ItemChanges:
    """One item of a report beside its last approved value, for the review queue."""

    item: object
    fields: list[FieldChange]  # one per SNAPSHOT_FIELDS[type(item)] name, in that order
    approved: object | None  # the last approved copy, None when it is reported for the first time
    comments: list = field(default_factory=list)
    breakdown: list[FieldChange] = field(default_factory=list)  # an actual's categories (“Sex · Female”)

    @property
    def changed(self) -> bool:
        return self.approved is None or any(change.changed for change in [*self.fields, *self.breakdown])


def report_changes(report: ProgressReport) -> list[ItemChanges]:
    """Each item of a report, field by field: the last approved value (old) against the report's (new).

    For a report under review the new values are the working rows (locked while submitted); for an
    approved report they are what its approval recorded. A fixed number of queries.
    """
    from django.contrib.contenttypes.models import ContentType

    from planning.services.reporting import SNAPSHOT_FIELDS

    comments: dict[tuple[int, int], list] = {}
    for comment in report.comments.select_related("author").order_by("created_at", "pk"):
        comments.setdefault((comment.item_type_id, comment.item_id), []).append(comment)
    result = []
    for model, queryset in report_items(report).items():
        items = list(queryset)
        if not items:
            continue
        content_type = ContentType.objects.get_for_model(model)
        earlier = (
            ApprovedValue.objects.filter(item_type=content_type, item_id__in=[item.pk for item in items], report__status__in=DECIDED_REPORT_STATUSES)
            .exclude(report=report)
            .order_by("item_id", "approved_at", "pk")
            .values("item_id", "data", "approved_at", "report_id")
        )
        if report.decided_at:
            earlier = earlier.filter(approved_at__lt=report.decided_at)
        old = {row["item_id"]: row for row in earlier}
        own = {}
        if report.is_decided:
            own = {
                row["item_id"]: row
                for row in ApprovedValue.objects.filter(report=report, item_type=content_type).values("item_id", "data", "approved_at", "report_id")
            }
        dimensions = _breakdown_dimensions(items, [*old.values(), *own.values()]) if model is IndicatorPeriod else {}
        for item in items:
            approved = _approved_copy(item, old[item.pk]) if item.pk in old else None
            new = _approved_copy(item, own[item.pk]) if item.pk in own else item
            fields = [
                FieldChange(str(model._meta.get_field(name).verbose_name), getattr(approved, name) if approved is not None else None, getattr(new, name))
                for name in SNAPSHOT_FIELDS[model]
            ]
            breakdown = _breakdown_changes(approved, new, dimensions) if model is IndicatorPeriod else []
            result.append(ItemChanges(item=item, fields=fields, approved=approved, comments=comments.get((content_type.pk, item.pk), []), breakdown=breakdown))
    return result


def _breakdown_of(period) -> dict[tuple[int, str], Decimal | None]:
    """An indicator period's actual breakdown, {(disaggregation id, category): value}: the approved
    one of an approved copy, else the working values (prefetched by `report_items`)."""
    if hasattr(period, "approved_breakdown"):
        return {(part.disaggregation_id, part.category): part.value for part in period.approved_breakdown}
    return {(value.disaggregation_id, value.category): value.value for value in period.disaggregated_values.all() if value.kind == ValueKind.ACTUAL}


def _breakdown_dimensions(items, rows) -> dict:
    """The disaggregations named by the items' working and approved breakdowns, in one query."""
    from planning.models import Disaggregation

    ids = {value.disaggregation_id for item in items for value in item.disaggregated_values.all()}
    ids |= {part["disaggregation_id"] for row in rows for part in row["data"].get("breakdown", [])}
    return Disaggregation.objects.in_bulk(ids) if ids else {}


def _breakdown_changes(approved, new, dimensions: dict) -> list[FieldChange]:
    """One line per category of the actual's breakdown (“Sex · Female”), old against new."""
    from planning.models.indicators import category_label

    before = _breakdown_of(approved) if approved is not None else {}
    after = _breakdown_of(new)

    def order(key):
        codes = [entry[0] for entry in getattr(dimensions.get(key[0]), "categories", None) or []]
        return (key[0], codes.index(key[1]) if key[1] in codes else len(codes), key[1])

    changes = []
    for key in sorted(before.keys() | after.keys(), key=order):
        disaggregation = dimensions.get(key[0])
        label = f"{disaggregation} · {category_label(disaggregation, key[1])}" if disaggregation is not None else key[1]
        changes.append(FieldChange(label, before.get(key), after.get(key)))
    return changes


# What delivered an activity -------------------------------------------------------------------------
#
# Apps that deliver activities (events) register a function here at start-up; planning never imports
# them. Each function takes `activity` and `year` and returns a list of Delivery.


@dataclass
class Delivery:
    """Something that delivered an activity in a year: a workshop, a training, a launch."""

    title: str
    kind: str
    start: object  # datetime.date
    end: object
    pk: int | None = None  # the event's id, for a link to its public page
    province: str = ""


DELIVERY_SOURCES: list = []


def deliveries(activity, *, year: int | None = None, years: Iterable[int] | None = None) -> list[Delivery]:
    """What delivered `activity` in `year` (or in any of `years`), from every registered source, in
    date order: one query per source."""
    years = [year] if year is not None else list(years or [])
    found = [delivery for source in DELIVERY_SOURCES for delivery in source(activity=activity, years=years)]
    return sorted(found, key=lambda delivery: (delivery.start, delivery.title))
