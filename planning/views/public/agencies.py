"""Public pages: a specific objective, a task group, the agencies and one agency.

Built on `planning.selectors.public` only: activities of published delivery plans, their published
progress and the budget lines of published delivery plans. Each page costs a fixed number of queries.
"""

from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext

from napwps import charts
from napwps.text import vi_sort_key
from planning.models import Activity, FundingSource, Objective, Organisation, OrganisationLevel, PeriodKind, TaskGroup
from planning.selectors import public

from . import year_context

ZERO = Decimal(0)
NOT_REPORTED_COLOUR = "#FFFFFF"  # drawn with a dark outline, and named in the legend


# Reads only these pages use ----------------------------------------------------------------------


def _rows(activities, progress) -> list[tuple]:
    return [(activity, progress.get(activity.pk)) for activity in activities]


def _status_chart(activities, progress, *, title: str):
    """The five statuses (and "not reported yet") of some activities as counts and a status bar."""
    counts, unreported = public.status_counts(activities, progress)
    parts = [(str(count.label), count.count, count.colour) for count in counts]
    parts.append((gettext("Not reported yet"), unreported, NOT_REPORTED_COLOUR))
    return counts, unreported, charts.status_bar(parts, title=title)


def _budget_totals(activities) -> dict:
    """Estimated, committed and the gap over activities annotated by `public_activity_queryset`."""
    totals = {"estimated": ZERO, "committed": ZERO, "gap": ZERO}
    for activity in activities:
        totals["estimated"] += activity.budget_estimated or ZERO
        totals["committed"] += activity.budget_committed or ZERO
        totals["gap"] += activity.budget_gap or ZERO
    return totals


def _year_standing(indicators, periods, year) -> list[tuple]:
    """Each indicator with its public annual period of `year` (or None)."""
    result = []
    for indicator in indicators:
        found = next((p for p in periods.get(indicator.pk, []) if p.period.kind == PeriodKind.ANNUAL and p.period.year == year), None)
        result.append((indicator, found))
    return result


def _indicators_of_year(indicators, *, plan, year) -> list[tuple]:
    indicators = list(indicators)
    periods = public.public_indicator_periods(indicators, plan=plan, kinds=(PeriodKind.ANNUAL,)) if year else {}
    return _year_standing(indicators, periods, year)


def _activities_of_year(plan, year):
    """The public activities of the year, with their budget totals (none when no year is published)."""
    if year is None:
        return Activity.objects.none()
    return public.public_activity_queryset(plan, year=year)


# Pages ---------------------------------------------------------------------------------------------


def objective_detail(request, pk):
    context = year_context(request)
    plan, year = context["plan"], context["year"]
    objective = get_object_or_404(Objective.objects.filter(plan=plan), pk=pk)
    activities = list(_activities_of_year(plan, year).filter(output__objective=objective))
    progress = public.public_progress([a.pk for a in activities], year=year) if year else {}
    outputs = list(objective.outputs.order_by("order", "code"))
    by_output = {output.pk: [] for output in outputs}
    for activity in activities:
        by_output[activity.output_id].append((activity, progress.get(activity.pk)))
    indicators = public.public_indicators(plan, year=year).filter(Q(objective=objective) | Q(output__objective=objective))
    counts, unreported, status_chart = _status_chart(activities, progress, title=gettext("Activities by status in %(year)s") % {"year": year})
    sources = []
    if year:
        rows = public.public_budget_summary(plan, year=year, by=("objective", "source"))
        sources = [row | {"label": FundingSource(row["source"]).label} for row in rows if row["objective"] == objective.pk]
    context.update(
        objective=objective,
        indicators=_indicators_of_year(indicators, plan=plan, year=year),
        outputs=[(output, by_output[output.pk]) for output in outputs],
        activity_count=len(activities),
        status_counts=counts,
        unreported=unreported,
        status_chart=status_chart,
        sources=sources,
        sources_total={name: sum((row[name] for row in sources), ZERO) for name in ("estimated", "committed", "gap")},
    )
    return render(request, "planning/public/objective_detail.html", context)


def taskgroup_detail(request, pk):
    context = year_context(request)
    plan, year = context["plan"], context["year"]
    task_group = get_object_or_404(TaskGroup.objects.filter(plan=plan), pk=pk)
    activities = list(_activities_of_year(plan, year).filter(task_group=task_group))
    progress = public.public_progress([a.pk for a in activities], year=year) if year else {}
    counts, unreported, status_chart = _status_chart(activities, progress, title=gettext("Activities by status in %(year)s") % {"year": year})
    context.update(
        task_group=task_group,
        subtasks=list(task_group.subtasks.order_by("letter")),
        rows=_rows(activities, progress),
        status_counts=counts,
        unreported=unreported,
        status_chart=status_chart,
        budget=_budget_totals(activities),
    )
    return render(request, "planning/public/taskgroup_detail.html", context)


LEVEL_GROUPS = (
    ("central", (OrganisationLevel.CENTRAL,)),
    ("provincial", (OrganisationLevel.PROVINCIAL,)),
    ("international", (OrganisationLevel.INTERNATIONAL, OrganisationLevel.OTHER)),
)


def agency_list(request):
    context = year_context(request)
    plan, year = context["plan"], context["year"]
    organisations = sorted(public.public_organisations(plan), key=lambda org: vi_sort_key(org.name_vi))
    activities = list(_activities_of_year(plan, year).prefetch_related(None))
    progress = public.public_progress([a.pk for a in activities], year=year) if year else {}
    led: dict[int, list] = {}
    for activity in activities:
        led.setdefault(activity.lead_agency_id, []).append(activity)
    groups = []
    titles = {"central": gettext("Central agencies"), "provincial": gettext("Provinces"), "international": gettext("International and other organisations")}
    for key, levels in LEVEL_GROUPS:
        entries = []
        for organisation in organisations:
            if organisation.level not in levels:
                continue
            own = led.get(organisation.pk, [])
            counts, unreported = public.status_counts(own, progress)
            entries.append(
                {
                    "organisation": organisation,
                    "count": len(own),
                    "status_counts": [count for count in counts if count.count],
                    "unreported": unreported,
                    "estimated": _budget_totals(own)["estimated"],
                }
            )
        if entries:
            groups.append({"key": key, "title": titles[key], "entries": entries})
    context.update(groups=groups)
    return render(request, "planning/public/agency_list.html", context)


def agency_detail(request, pk):
    context = year_context(request)
    plan, year = context["plan"], context["year"]
    public_ids = set(public.public_organisations(plan).values_list("pk", flat=True))
    if pk not in public_ids:
        raise Http404
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), pk=pk)
    activities = _activities_of_year(plan, year)
    led = list(activities.filter(lead_agency=organisation))
    partnering = Activity.objects.filter(Q(partner_agencies=organisation) | Q(funding_partners=organisation) | Q(supporting_partners=organisation)).values("pk")
    partnered = list(activities.filter(pk__in=partnering).exclude(lead_agency=organisation))
    progress = public.public_progress([a.pk for a in led + partnered], year=year) if year else {}
    indicators = public.public_indicators(plan, year=year).filter(responsible_agency=organisation)
    counts, unreported, status_chart = _status_chart(led, progress, title=gettext("Activities it leads by status in %(year)s") % {"year": year})
    context.update(
        organisation=organisation,
        public_ids=public_ids,
        parent_public=organisation.parent_id in public_ids,
        predecessors=list(organisation.predecessors.order_by("name_vi")),
        successors=list(organisation.successors.order_by("name_vi")),
        led_rows=_rows(led, progress),
        partnered_rows=_rows(partnered, progress),
        indicators=_indicators_of_year(indicators, plan=plan, year=year),
        status_counts=counts,
        unreported=unreported,
        status_chart=status_chart,
        budget=_budget_totals(led),
    )
    return render(request, "planning/public/agency_detail.html", context)


urlpatterns = [
    path("objectives/<int:pk>/", objective_detail, name="objective-detail"),
    path("task-groups/<int:pk>/", taskgroup_detail, name="taskgroup-detail"),
    path("agencies/", agency_list, name="agency-list"),
    path("agencies/<int:pk>/", agency_detail, name="agency-detail"),
]
