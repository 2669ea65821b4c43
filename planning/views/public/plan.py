"""Public pages: the plan on one page (issue 9 §1).

The logframe of one year as a tree (general objective → objectives → outputs → activities), with each
activity's published status, progress and budget and every indicator's target and approved actual of
the year, filtered in the URL by task group, lead agency and province.

Signed-in staff may add `?drafts=1`: the page then also shows the working values (the agencies' live
progress and actuals, and the years whose delivery plan is not published), each marked as a draft,
never indexed nor cached. Anyone else asking for drafts gets the public page.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control

from planning.filters import public_activity_filter
from planning.models import DeliveryPlan, Indicator, PeriodKind, ReviewStatus
from planning.selectors import public
from planning.selectors.staff import staff_activity_queryset, staff_logframe

from . import year_context


def plan_latest(request):
    """The plan page of the latest published year, the query kept."""
    context = year_context(request)
    if context["delivery_plan"] is None:
        raise Http404
    url = reverse("public:plan", args=[context["years"][-1].year])
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def plan_page(request, year):
    plan = public.public_plan()
    if plan is None:
        raise Http404
    drafts = wants_drafts(request)
    delivery_plans = list(DeliveryPlan.objects.filter(plan=plan).order_by("year")) if drafts else public.published_delivery_plans(plan)
    delivery_plan = next((dp for dp in delivery_plans if dp.year == year), None)
    if delivery_plan is None:
        raise Http404

    base = staff_activity_queryset(plan, year=year) if drafts else None
    filters = public_activity_filter(request.GET, plan=plan, years=[dp.year for dp in delivery_plans], year=year, queryset=base)
    activities = filters.qs
    if drafts:
        general, tree = staff_logframe(plan, year=year, activities=activities)
    else:
        tree = public.public_logframe(plan, year=year, activities=activities)
        general = public.plan_indicators(plan)
    matched = 0
    for objective in tree:
        objective.rows = indicator_rows(objective.indicators, year=year, drafts=drafts)
        for output in objective.outputs:
            output.rows = indicator_rows(output.indicators, year=year, drafts=drafts)
            for node in output.activities:
                node.rows = indicator_rows(node.indicators, year=year, drafts=drafts)
                matched += 1

    kept = filters.query()
    if drafts:
        kept.append(("drafts", "1"))
    context = {
        "plan": plan,
        "years": delivery_plans,
        "delivery_plan": delivery_plan,
        "year": year,
        "year_links": [(dp.year, _with_query(reverse("public:plan", args=[dp.year]), kept)) for dp in delivery_plans],
        "tree": tree,
        "general_rows": indicator_rows(general, year=year, drafts=drafts),
        "filters": filters,
        "matched": matched,
        "drafts": drafts,
        "draft_year": drafts and delivery_plan.status != ReviewStatus.PUBLISHED,
        "can_see_drafts": request.user.is_staff,
        "drafts_url": _with_query(request.path, [*filters.query(), ("drafts", "1")]),
        "public_url": _with_query(request.path, filters.query()),
        "clear_url": _with_query(request.path, [("drafts", "1")] if drafts else []),
        "canonical_url": request.build_absolute_uri(_with_query(request.path, filters.query())),
    }
    response = render(request, "planning/public/plan.html", context)
    if drafts:
        patch_cache_control(response, private=True, no_store=True)
    return response


def wants_drafts(request) -> bool:
    """Working values are for signed-in staff who ask for them; anyone else gets the public page."""
    return request.user.is_staff and request.GET.get("drafts") == "1"


def _with_query(url: str, params: list[tuple[str, str]]) -> str:
    return f"{url}?{urlencode(params)}" if params else url


# Indicators of the year ------------------------------------------------------------------------------


@dataclass
class DraftValue:
    """An indicator's working target and actual of the year, where they differ from the public ones."""

    target_value: Decimal | None
    actual_value: Decimal | None
    standing: str
    target_changed: bool
    actual_changed: bool


@dataclass
class IndicatorRow:
    """One indicator as the page shows it: the public target and approved actual of the year, and with
    drafts the working values (None when they say the same as the public ones)."""

    indicator: Indicator
    period: public.PublicPeriod | None
    draft: DraftValue | None = None

    @property
    def standing(self) -> str:
        return self.period.standing if self.period is not None else public.Standing.NO_TARGET


def indicator_rows(entries, *, year: int, drafts: bool = False) -> list[IndicatorRow]:
    rows = []
    for indicator, periods in entries:
        period = next((p for p in periods if p.period.kind == PeriodKind.ANNUAL and p.period.year == year), None)
        row = IndicatorRow(indicator, period)
        working = getattr(indicator, "working", None) if drafts else None
        if working is not None:
            target = period.target_value if period is not None else None
            actual = period.actual_value if period is not None else None
            if working.target_value != target or working.actual_value != actual:
                row.draft = DraftValue(
                    target_value=working.target_value,
                    actual_value=working.actual_value,
                    standing=public.standing(indicator, working.target_value, working.actual_value),
                    target_changed=working.target_value != target,
                    actual_changed=working.actual_value != actual,
                )
        rows.append(row)
    return rows


urlpatterns = [
    path("plan/", plan_latest, name="plan-latest"),
    path("plan/<int:year>/", plan_page, name="plan"),
]
