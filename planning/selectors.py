"""Reads that cross models: budget totals and funding gaps, indicator progress, the logframe tree.

Pages, exports and the admin all call these, so a figure is computed one way everywhere.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import (
    DISBURSED_STATUSES,
    SECURED_STATUSES,
    Activity,
    BudgetLine,
    DeliveryPlan,
    FundingStatus,
    Indicator,
    IndicatorPeriod,
    Objective,
    Output,
    Plan,
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


def with_budget_totals(rows: QuerySet, *, year: int | None = None) -> QuerySet:
    """Annotate activities, outputs, objectives, delivery plans or plans with budget_estimated,
    budget_committed and budget_gap.

    Subqueries, so that filters joining other many-valued relations cannot double the sums, and a
    list of rows costs one query whatever its length.
    """
    path = BUDGET_PATHS[rows.model]
    lines = BudgetLine.objects.filter(**{path: OuterRef("pk")})
    if year is not None:
        lines = lines.filter(delivery_plan__year=year)

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
    periods = IndicatorPeriod.objects.select_related("delivery_plan")
    if year is not None:
        periods = periods.filter(delivery_plan__year=year)
    indicators = Indicator.objects.select_related("responsible_agency").prefetch_related(Prefetch("periods", queryset=periods))
    return plan.objectives.order_by("order", "code").prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("outputs", queryset=Output.objects.order_by("order", "code")),
        Prefetch("outputs__indicators", queryset=indicators),
        Prefetch("outputs__activities", queryset=activities),
        Prefetch("outputs__activities__indicators", queryset=indicators),
    )
