"""Public pages: the plan's indicators, and one indicator's reference sheet with its targets against its
published actuals. Only public indicators (`public.public_indicators`) and published approved values
(`PublicPeriod.actual`) show: never a row's working actual or its working breakdown."""

from dataclasses import dataclass, field

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _

from napwps import charts
from napwps.formatting import number, percent
from planning.models import Disaggregation, Measure, PeriodKind, ResultLevel
from planning.models.indicators import category_label
from planning.selectors import public

from . import year_context

SEX = "sex"


@dataclass
class IndicatorRow:
    indicator: object
    period: public.PublicPeriod | None  # the chosen year's


@dataclass
class IndicatorGroup:
    objective: object | None  # None: the general objective
    rows: list[IndicatorRow] = field(default_factory=list)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def indicator_list(request):
    context = year_context(request)
    plan, year = context["plan"], context["year"]
    objectives = list(plan.objectives.order_by("order", "code"))
    objective_ids = {objective.pk for objective in objectives}
    chosen_objective = _int_or_none(request.GET.get("objective"))
    if chosen_objective not in objective_ids:
        chosen_objective = None
    chosen_level = request.GET.get("level") if request.GET.get("level") in ResultLevel.values else ""
    indicators = public.public_indicators(plan)
    if chosen_level:
        indicators = indicators.filter(level=chosen_level)
    indicators = list(indicators)
    if chosen_objective is not None:
        indicators = [indicator for indicator in indicators if public.indicator_objective_id(indicator) == chosen_objective]
    periods = public.public_indicator_periods(indicators, plan=plan, kinds=(PeriodKind.ANNUAL,))
    groups = {None: IndicatorGroup(None)} | {objective.pk: IndicatorGroup(objective) for objective in objectives}
    for indicator in indicators:
        this_year = next((p for p in periods.get(indicator.pk, []) if p.period.year == year), None)
        groups[public.indicator_objective_id(indicator)].rows.append(IndicatorRow(indicator, this_year))
    keep_params = [(name, value) for name, value in (("objective", chosen_objective), ("level", chosen_level)) if value]
    context.update(
        groups=[group for group in groups.values() if group.rows],
        objectives=objectives,
        levels=ResultLevel.choices,
        chosen_objective=chosen_objective,
        chosen_level=chosen_level,
        filtered=bool(keep_params),
        keep_params=keep_params,
        count=len(indicators),
    )
    return render(request, "planning/public/indicator_list.html", context)


@dataclass
class BreakdownTable:
    disaggregation: object
    rows: list  # [(label, ApprovedBreakdown)]


def _breakdown(indicator, latest: public.PublicPeriod | None) -> list[BreakdownTable]:
    """The approved breakdown of the latest published actual, one table per dimension."""
    parts = (getattr(latest.actual, "approved_breakdown", None) or []) if latest is not None else []
    if not parts:
        return []
    dimensions = {d.pk: d for d in indicator.disaggregations.all()}
    missing = {part.disaggregation_id for part in parts} - set(dimensions)
    if missing:  # a dimension no longer required still labels what was approved
        dimensions.update({d.pk: d for d in Disaggregation.objects.filter(pk__in=missing)})
    tables: dict[int, BreakdownTable] = {}
    for part in parts:
        dimension = dimensions.get(part.disaggregation_id)
        if dimension is None:
            continue
        table = tables.setdefault(dimension.pk, BreakdownTable(dimension, []))
        table.rows.append((category_label(dimension, part.category), part))
    return sorted(tables.values(), key=lambda table: (table.disaggregation.order, table.disaggregation.code))


def target_actual_chart(indicator, periods, *, drafts: bool = False) -> charts.Chart | None:
    """An indicator's targets against its results over its periods (None for a qualitative indicator
    or one without a period): the indicator page's chart and the PDF's. The periods are the public ones,
    or with `drafts` the working ones, and the title says which."""
    if not periods or indicator.measure == Measure.QUALITATIVE:
        return None
    if drafts:
        title = _("Targets and results, drafts included: %(code)s") % {"code": indicator.code}
    else:
        title = _("Targets and published results: %(code)s") % {"code": indicator.code}
    return charts.target_actual(
        [str(p.period) for p in periods],
        [p.target_value for p in periods],
        [p.actual_value for p in periods],
        title=title,
        target_label=_("Target"),
        actual_label=_("Result"),
        baseline=indicator.baseline_value,
        baseline_label=_("Baseline %(year)s") % {"year": indicator.baseline_year} if indicator.baseline_year else _("Baseline"),
        fmt=percent if indicator.measure == Measure.PERCENTAGE else number,
        period_label=_("Period"),
    )


def indicator_detail(request, pk):
    context = year_context(request)
    plan = context["plan"]
    indicator = get_object_or_404(public.public_indicators(plan).prefetch_related("disaggregations", "references"), pk=pk)
    periods = public.public_indicator_periods([indicator], plan=plan).get(indicator.pk, [])
    qualitative = indicator.measure == Measure.QUALITATIVE
    is_percentage = indicator.measure == Measure.PERCENTAGE
    fmt = percent if is_percentage else number
    chart = target_actual_chart(indicator, periods)
    latest = next((p for p in reversed(periods) if p.actual is not None), None)
    breakdown = _breakdown(indicator, latest)
    sex_chart = None
    sex = next((table for table in breakdown if table.disaggregation.code == SEX), None)
    if sex is not None and not qualitative:
        sex_chart = charts.grouped_bars(
            [label for label, _part in sex.rows],
            [(str(latest.period), [part.value for _label, part in sex.rows])],
            title=_("Published result by sex, %(period)s") % {"period": latest.period},
            fmt=fmt,
            category_label=str(sex.disaggregation.name),
        )
    context.update(
        indicator=indicator,
        periods=periods,
        chart=chart,
        latest=latest,
        breakdown=breakdown,
        sex_chart=sex_chart,
        qualitative=qualitative,
        is_percentage=is_percentage,
        objective_id=public.indicator_objective_id(indicator),
        evidence=list(public.public_evidence(indicator=indicator)),
        references=list(indicator.references.all()),
        disaggregations=list(indicator.disaggregations.all()),
    )
    return render(request, "planning/public/indicator_detail.html", context)


urlpatterns = [
    path("indicators/", indicator_list, name="indicator-list"),
    path("indicators/<int:pk>/", indicator_detail, name="indicator-detail"),
]
