"""Public pages: home, the plan at a glance for one year."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext

from napwps import charts
from napwps.formatting import money
from planning.models import FundingSource, PeriodKind
from planning.selectors import public

from . import year_context

MONEY_FIGURES = ("estimated", "committed", "disbursed", "gap")


@dataclass
class ObjectiveCard:
    """One specific objective on the home page: its indicators and its activities' statuses in the year."""

    objective: object
    indicators: public.IndicatorSummary
    statuses: list
    unreported: int
    activities: int
    progress_chart: charts.Chart | None = None
    status_chart: charts.Chart | None = None
    budget: dict = field(default_factory=dict)


def objective_cards(plan, *, year: int) -> list[ObjectiveCard]:
    """The four objectives with indicator progress and activity status counts (a fixed number of queries)."""
    objectives = list(plan.objectives.order_by("order", "code"))
    activities = list(public.public_activities(plan, year=year).select_related("output"))
    progress = public.public_progress([activity.pk for activity in activities], year=year)
    indicators = list(public.public_indicators(plan, year=year))
    periods = public.public_indicator_periods(indicators, plan=plan, kinds=(PeriodKind.ANNUAL,))
    cards = []
    for objective in objectives:
        mine = [activity for activity in activities if activity.output.objective_id == objective.pk]
        statuses, unreported = public.status_counts(mine, progress)
        ids = [indicator.pk for indicator in indicators if public.indicator_objective_id(indicator) == objective.pk]
        summary = public.indicator_summary(ids, periods, year=year)
        card = ObjectiveCard(objective=objective, indicators=summary, statuses=statuses, unreported=unreported, activities=len(mine))
        if summary.with_target:
            card.progress_chart = charts.progress_bar(summary.met_share, label=gettext("Indicators with a target on track"))
        if mine:
            card.status_chart = charts.status_bar(
                [(str(status.label), status.count, status.colour) for status in statuses], title=gettext("Activities by status")
            )
        cards.append(card)
    return cards


def budget_figures(plan, *, year: int, objectives) -> dict:
    """The year's money: totals, a chart by objective and funding source, and a table by source."""
    rows = public.public_budget_summary(plan, year=year, by=("objective", "source"))
    sources = sorted({row["source"] for row in rows}, key=list(FundingSource.values).index)
    categories = [objective for objective in objectives if any(row["objective"] == objective.pk for row in rows)]
    series = [
        (
            str(FundingSource(source).label),
            [sum((row["estimated"] for row in rows if row["objective"] == objective.pk and row["source"] == source), Decimal(0)) for objective in categories],
        )
        for source in sources
    ]
    by_source = []
    for source in sources:
        totals = {name: sum((row[name] for row in rows if row["source"] == source), Decimal(0)) for name in MONEY_FIGURES}
        by_source.append({"label": FundingSource(source).label, **totals})
    by_objective = {
        objective.pk: {name: sum((row[name] for row in rows if row["objective"] == objective.pk), Decimal(0)) for name in MONEY_FIGURES}
        for objective in objectives
    }
    chart = None
    if categories:
        chart = charts.stacked_bars(
            [str(objective) for objective in categories],
            series,
            title=gettext("Estimated budget %(year)s by objective and funding source") % {"year": year},
            fmt=money,
            category_label=gettext("Specific objective"),
        )
    return {"totals": public.public_budget_totals(plan, year=year), "by_source": by_source, "by_objective": by_objective, "chart": chart}


def events_figures(*, year: int) -> dict | None:
    summary = public.public_event_summary(year=year)
    if summary is None:
        return None
    chart = None
    if summary.by_sex and summary.drawable:
        chart = charts.grouped_bars(
            [str(year)],
            [(label, [count]) for label, count in summary.by_sex],
            title=gettext("People trained by sex, %(year)s") % {"year": year},
            category_label=gettext("Year"),
        )
    return {"summary": summary, "chart": chart}


def home(request):
    context = year_context(request)
    year = context["year"]
    if year is not None:
        cards = objective_cards(context["plan"], year=year)
        money_figures = budget_figures(context["plan"], year=year, objectives=[card.objective for card in cards])
        for card in cards:
            card.budget = money_figures["by_objective"][card.objective.pk]
        context.update(cards=cards, budget=money_figures, events=events_figures(year=year))
    return render(request, "planning/public/home.html", context)


urlpatterns = [
    path("", home, name="home"),
]
