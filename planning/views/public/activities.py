"""Public pages: the activities list (filters in the URL) and an activity's page.

Only what `planning.selectors.public` returns: activities of published delivery plans, published
progress, published budget lines and their published execution, public evidence. Each page costs a
fixed number of queries whatever the size of the plan.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext

from napwps import charts
from napwps.formatting import money
from planning import selectors
from planning.filters import public_activity_filter
from planning.models import (
    DISBURSED_STATUSES,
    SECURED_STATUSES,
    Activity,
    FundingSource,
    Indicator,
    PeriodKind,
    Province,
    ProvinceSuccession,
)
from planning.selectors import public

from . import year_context

PAGE_SIZE = 50


# The list -------------------------------------------------------------------------------------------


def activity_list(request):
    context = year_context(request)
    plan, year = context["plan"], context["year"]
    published_years = [dp.year for dp in context.pop("years")]
    filterset = public_activity_filter(request.GET, plan=plan, years=published_years, year=year)
    progress = filterset.progress
    page = Paginator(filterset.qs.prefetch_related(None), PAGE_SIZE).get_page(request.GET.get("page"))
    keep = request.GET.copy()
    keep.pop("page", None)
    context.update(
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "rows": [(activity, progress.get(activity.pk)) for activity in page.object_list],
            "query": keep.urlencode(),
            "filtered": any(value for name, value in keep.items() if name != "year"),
        }
    )
    return render(request, "planning/public/activity_list.html", context)


# The activity page ----------------------------------------------------------------------------------


@dataclass
class TimelineRow:
    label: str
    kind: str  # "planned" or "actual"
    cells: list[bool]
    start: datetime.date
    end: datetime.date | None  # None: still running


@dataclass
class Timeline:
    """Months from the earliest start to the latest end, planned and per published year actual."""

    years: list[tuple[int, int]]  # (year, months shown in it), for the header
    months: list[datetime.date]
    rows: list[TimelineRow]


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def timeline(activity: Activity, history) -> Timeline:
    """The planned months, and the approved actual months of each published year (an actual without
    an end runs to the end of its year)."""
    spans = [(gettext("Planned"), "planned", activity.planned_start, activity.planned_end, activity.planned_end)]
    for delivery_plan, progress in history:
        if progress is not None and progress.actual_start:
            shown_end = progress.actual_end or datetime.date(delivery_plan.year, 12, 1)
            label = gettext("Actual (reported for %(year)s)") % {"year": delivery_plan.year}
            spans.append((label, "actual", progress.actual_start, shown_end, progress.actual_end))
    months = _months(min(span[2] for span in spans), max(span[3] for span in spans))
    rows = [TimelineRow(label, kind, [start <= month <= shown_end for month in months], start, end) for label, kind, start, shown_end, end in spans]
    years: list[tuple[int, int]] = []
    for month in months:
        if years and years[-1][0] == month.year:
            years[-1] = (month.year, years[-1][1] + 1)
        else:
            years.append((month.year, 1))
    return Timeline(years, months, rows)


@dataclass
class BudgetYear:
    """An activity's published budget lines of one year, with their totals (BUDGET_FIGURES' rules)."""

    year: int
    rows: list = field(default_factory=list)  # public.PublicExecution
    estimated: Decimal = Decimal(0)
    committed: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)

    @property
    def gap(self) -> Decimal:
        return self.estimated - self.committed


def budget_years(rows) -> tuple[list[BudgetYear], BudgetYear | None]:
    """The lines grouped by year, and the totals over every year (None without a line). Estimated counts
    every line; committed the committed, disbursed and spent ones; gap = estimated - committed."""
    years: dict[int, BudgetYear] = {}
    total = BudgetYear(year=0)
    for row in rows:
        line = row.line
        found = years.setdefault(line.delivery_plan.year, BudgetYear(year=line.delivery_plan.year))
        found.rows.append(row)
        for summary in (found, total):
            summary.estimated += line.amount_vnd
            if line.status in SECURED_STATUSES:
                summary.committed += line.amount_vnd
            if line.status in DISBURSED_STATUSES:
                summary.disbursed += line.amount_vnd
    return list(years.values()), (total if years else None)


def budget_chart(rows, years: list[BudgetYear]):
    """Estimated budget by year, stacked by funding source."""
    if not rows:
        return None
    sources = [source for source in FundingSource if any(row.line.source == source for row in rows)]
    series = [
        (str(source.label), [sum((row.line.amount_vnd for row in year.rows if row.line.source == source), Decimal(0)) for year in years]) for source in sources
    ]
    return charts.stacked_bars(
        [str(year.year) for year in years], series, title=gettext("Estimated budget by year and funding source"), fmt=money, category_label=gettext("Year")
    )


@dataclass
class PlaceRow:
    province: Province
    now: list[Province]  # the units of today it is part of (itself when unchanged)


def places(activity: Activity) -> tuple[list[PlaceRow], list[Province]]:
    """The activity's provinces as recorded, each with the units of today it belongs to, and every unit of
    today (two queries, whatever the number of provinces)."""
    current = list(Province.objects.valid_on(timezone.localdate()).order_by("code"))
    recorded_ids = Activity.provinces.through.objects.filter(activity_id=activity.pk).values("province_id")
    successions = ProvinceSuccession.objects.filter(predecessor_id__in=recorded_ids).select_related("successor")
    successors: dict[int, list[Province]] = {}
    for succession in successions:
        successors.setdefault(succession.predecessor_id, []).append(succession.successor)
    current_ids = {province.pk for province in current}
    rows = []
    for province in sorted(activity.provinces.all(), key=lambda p: p.name_vi):
        now = [province] if province.pk in current_ids else sorted(successors.get(province.pk, []), key=lambda p: p.name_vi)
        rows.append(PlaceRow(province, now))
    return rows, current


def province_map(rows: list[PlaceRow], current: list[Province]):
    highlighted = {province.pk for row in rows for province in row.now}
    tiles = [charts.Tile(province.code, str(province.name), highlight=province.pk in highlighted) for province in current]
    return charts.tile_map(tiles, title=gettext("Provinces of the activity"), highlight_label=gettext("Where the activity takes place"))


def indicator_rows(activity: Activity, plan) -> list:
    """The activity's indicators, each with its latest annual period that has a public target or a
    published actual (or None)."""
    indicators = Indicator.objects.filter(activity=activity).order_by("order", "code")
    periods = public.public_indicator_periods(indicators, plan=plan, kinds=(PeriodKind.ANNUAL,))
    return [(indicator, (periods.get(indicator.pk) or [None])[-1]) for indicator in indicators]


def activity_detail(request, pk):
    plan = public.public_plan()
    if plan is None:
        raise Http404
    activity = get_object_or_404(public.public_activity_queryset(plan), pk=pk)
    history = public.public_progress_history(activity)
    reported = [(dp, progress) for dp, progress in history if progress is not None]
    latest = reported[-1] if reported else None
    progress_chart = None
    if latest is not None:
        label = gettext("Progress in %(year)s") % {"year": latest[0].year}
        progress_chart = charts.progress_bar(latest[1].progress, colour=latest[1].status_colour, label=label)
    budget_rows = public.public_budget_rows(activity)
    years, budget_total = budget_years(budget_rows)
    place_rows, current = places(activity)
    delivered = selectors.deliveries(activity, years=[delivery_plan.year for delivery_plan, _progress in history])
    deliveries = [
        (delivery_plan.year, [_delivery(found) for found in delivered if found.start.year == delivery_plan.year]) for delivery_plan, _progress in history
    ]
    context = {
        "plan": plan,
        "activity": activity,
        "history": history,
        "latest": latest,
        "progress_chart": progress_chart,
        "timeline": timeline(activity, history),
        "budget_years": years,
        "budget_total": budget_total,
        "budget_chart": budget_chart(budget_rows, years),
        "places": place_rows,
        "province_map": province_map(place_rows, current),
        "deliveries": [(year, found) for year, found in deliveries if found],
        "indicators": indicator_rows(activity, plan),
        "evidence": list(public.public_evidence(activity=activity)),
    }
    return render(request, "planning/public/activity_detail.html", context)


def _delivery(found) -> dict:
    """What a public page shows of a delivery: its title, kind, dates and, when the source gives them,
    its province and the event's id for the link to its public page. Never people."""
    return {
        "title": found.title,
        "kind": found.kind,
        "start": found.start,
        "end": found.end,
        "province": found.province,
        "event_id": found.pk,
    }


urlpatterns = [
    path("activities/", activity_list, name="activity-list"),
    path("activities/<int:pk>/", activity_detail, name="activity-detail"),
]
