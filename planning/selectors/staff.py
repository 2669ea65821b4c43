"""The staff view of the logframe: signed-in staff may see the plan page with the working values
beside the published ones. Same nodes as `public.public_logframe`, so one template renders both; each
node also carries its working value where it differs from what was published (`draft`), for the page
to mark "not yet approved". Never used on a public page."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from planning.models import Activity, ActivityProgress, Indicator, IndicatorPeriod, Output, PeriodKind, Plan

from . import with_budget_totals
from .public import ActivityNode, ObjectiveNode, OutputNode, public_indicator_periods, public_progress


def staff_activity_queryset(plan: Plan, *, year: int) -> QuerySet:
    """Every activity of the delivery plan of `year`, whatever its status, with the budget of its lines."""
    membership = Activity.delivery_plans.through.objects.filter(activity_id=OuterRef("pk"), deliveryplan__plan=plan, deliveryplan__year=year)
    activities = Activity.objects.filter(plan=plan).filter(Exists(membership)).select_related("lead_agency", "task_group", "subtask", "output__objective")
    activities = activities.prefetch_related("provinces")
    return with_budget_totals(activities, year=year).order_by("order", "code")


def _differs(working, published, names) -> bool:
    return published is None or any(getattr(working, name) != getattr(published, name) for name in names)


def staff_logframe(plan: Plan, *, year: int, activities: QuerySet | None = None) -> tuple[list, list]:
    """(plan-level indicator entries, objective nodes) of `year` as `public.plan_indicators` and
    `public.public_logframe` build them (published values only), each with the working values too:

    - `ActivityNode.draft`: the activity's live ActivityProgress of the year when it differs from the
      published one (status, progress, justification), else None;
    - each indicator (`entry[0]`) carries `working`: its live IndicatorPeriod of the year's annual
      period (target and actual as typed), or None.

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
