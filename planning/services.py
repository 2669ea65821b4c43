"""Writes to the plan. Each validates, checks who may write, runs in one transaction and records
history with who and why. Views, the admin's actions and the demo data all come through here."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from napwps import history

from . import roles
from .models import (
    Activity,
    BudgetLine,
    DeliveryPlan,
    Indicator,
    IndicatorPeriod,
    Organisation,
    Output,
    Plan,
    ReviewStatus,
    validate_activity_relations,
)


def _check_can_edit(user, obj: models.Model) -> None:
    if user is not None and not roles.can_edit(user, obj):
        raise PermissionDenied(f"{user} may not change {obj}.")


@transaction.atomic
def _save(obj: models.Model, *, user, reason: str, m2m: dict[str, Iterable] | None = None) -> models.Model:
    """Validate, save with history metadata, then set many-to-many relations."""
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


def delivery_plan_create(*, plan: Plan, year: int, user=None, reason: str = "", **fields) -> DeliveryPlan:
    return _save(DeliveryPlan(plan=plan, year=year, **fields), user=user, reason=reason or history.reason(gettext_noop("Delivery plan opened")))


def _delivery_plan_move(
    delivery_plan: DeliveryPlan, *, to: str, allowed_from: Iterable[str], coordinators_only: bool, user, reason: str, **fields
) -> DeliveryPlan:
    """One step of draft → submitted → approved → published (or back to draft), with its history."""
    if user is not None and not (roles.is_coordinator(user) if coordinators_only else user.has_perm("planning.change_deliveryplan")):
        raise PermissionDenied(f"{user} may not move {delivery_plan} to {to}.")
    if delivery_plan.status not in allowed_from:
        raise ValidationError(
            _("%(plan)s is at the step “%(status)s”: it cannot go to “%(to)s”.")
            % {"plan": delivery_plan, "status": delivery_plan.get_status_display(), "to": ReviewStatus(to).label}
        )
    for field, value in fields.items():
        setattr(delivery_plan, field, value)
    delivery_plan.status = to
    return _save(delivery_plan, user=user, reason=reason)


def delivery_plan_submit(*, delivery_plan: DeliveryPlan, user, reason: str = "") -> DeliveryPlan:
    """Draft → submitted for approval."""
    return _delivery_plan_move(
        delivery_plan,
        to=ReviewStatus.SUBMITTED,
        allowed_from=[ReviewStatus.DRAFT],
        coordinators_only=False,
        user=user,
        reason=reason or history.reason(gettext_noop("Submitted for approval")),
    )


def delivery_plan_approve(*, delivery_plan: DeliveryPlan, approval_number: str, approval_date: datetime.date, user, reason: str = "") -> DeliveryPlan:
    """Submitted → approved, by a coordinator, citing the approval document."""
    if not (approval_number or "").strip() or approval_date is None:
        raise ValidationError({"approval_number": _("An approved plan needs its approval document number and date.")})
    return _delivery_plan_move(
        delivery_plan, to=ReviewStatus.APPROVED, allowed_from=[ReviewStatus.SUBMITTED], coordinators_only=True, user=user,
        reason=reason or history.reason(gettext_noop("Approved by %(number)s of %(date)s"), number=approval_number.strip(), date=approval_date),
        approval_number=approval_number.strip(), approval_date=approval_date,
    )  # fmt: skip


def delivery_plan_publish(*, delivery_plan: DeliveryPlan, user, reason: str = "") -> DeliveryPlan:
    """Approved → published, by a coordinator."""
    return _delivery_plan_move(
        delivery_plan,
        to=ReviewStatus.PUBLISHED,
        allowed_from=[ReviewStatus.APPROVED],
        coordinators_only=True,
        user=user,
        reason=reason or history.reason(gettext_noop("Published")),
    )


def delivery_plan_return_to_draft(*, delivery_plan: DeliveryPlan, user, reason: str) -> DeliveryPlan:
    """Submitted or approved → draft again, by a coordinator who says why."""
    if not reason.strip():
        raise ValidationError(_("Say why the delivery plan goes back to draft: the reason is kept in its history."))
    return _delivery_plan_move(
        delivery_plan, to=ReviewStatus.DRAFT, allowed_from=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED], coordinators_only=True, user=user, reason=reason
    )


def output_create(*, objective, code: str, title_vi: str, user=None, reason: str = "", **fields) -> Output:
    return _save(
        Output(objective=objective, code=code, title_vi=title_vi, **fields), user=user, reason=reason or history.reason(gettext_noop("Output created"))
    )


def activity_create(
    *,
    output: Output,
    code: str,
    title_vi: str,
    lead_agency: Organisation,
    task_group,
    planned_start: datetime.date,
    planned_end: datetime.date,
    delivery_plans: Iterable[DeliveryPlan],
    partner_agencies: Iterable[Organisation] = (),
    supporting_partners: Iterable[Organisation] = (),
    provinces: Iterable = (),
    means: Iterable = (),
    user=None,
    reason: str = "",
    **fields,
) -> Activity:
    activity = Activity(
        output=output, code=code, title_vi=title_vi, lead_agency=lead_agency, task_group=task_group,
        planned_start=planned_start, planned_end=planned_end, **fields,
    )  # fmt: skip
    if user is not None and not roles.is_coordinator(user) and roles.user_agency(user) != lead_agency:
        raise PermissionDenied("A focal point creates activities only for their own agency.")
    relations = {"partner_agencies": list(partner_agencies), "supporting_partners": list(supporting_partners), "provinces": list(provinces)}
    dates = {"planned_start": planned_start, "planned_end": planned_end, "actual_start": activity.actual_start, "actual_end": activity.actual_end}
    validate_activity_relations(lead_agency=lead_agency, **dates, **relations)
    return _save(
        activity,
        user=user,
        reason=reason or history.reason(gettext_noop("Activity created")),
        m2m={**relations, "means": list(means), "delivery_plans": list(delivery_plans)},
    )


ACTIVITY_RELATIONS = ("partner_agencies", "supporting_partners", "provinces", "means", "delivery_plans")


def activity_update(*, activity: Activity, user, reason: str, **changes) -> Activity:
    """Change an activity's fields and relations; only its agency's focal points and coordinators may."""
    _check_can_edit(user, activity)
    if not reason.strip():
        raise ValueError("Say why the activity changes: the reason is kept in its history.")
    m2m = {name: list(changes.pop(name)) for name in ACTIVITY_RELATIONS if name in changes}
    for field, value in changes.items():
        setattr(activity, field, value)
    if user is not None and not roles.is_coordinator(user) and activity.lead_agency != roles.user_agency(user):
        raise PermissionDenied("A focal point cannot hand an activity to another agency.")
    current = {name: m2m.get(name, list(getattr(activity, name).all())) for name in ("partner_agencies", "supporting_partners", "provinces")}
    dates = {name: getattr(activity, name) for name in ("planned_start", "planned_end", "actual_start", "actual_end")}
    validate_activity_relations(lead_agency=activity.lead_agency, **dates, **current)
    if "delivery_plans" in m2m:
        dropped = activity.budget_lines.exclude(delivery_plan__in=m2m["delivery_plans"]).values_list("delivery_plan__year", flat=True).distinct()
        if dropped:
            years = ", ".join(str(year) for year in sorted(dropped))
            raise ValidationError({"delivery_plans": _("The activity still has budget lines for %(years)s: remove or move them first.") % {"years": years}})
    return _save(activity, user=user, reason=reason, m2m=m2m)


def budget_line_create(
    *, activity: Activity, delivery_plan: DeliveryPlan, source: str, amount_vnd: Decimal | int | None, user=None, reason: str = "", **fields
) -> BudgetLine:
    _check_can_edit(user, activity)
    line = BudgetLine(activity=activity, delivery_plan=delivery_plan, source=source, amount_vnd=amount_vnd, **fields)
    return _save(line, user=user, reason=reason or history.reason(gettext_noop("Budget line added")))


def indicator_create(
    *,
    code: str,
    level: str,
    title_vi: str,
    responsible_agency: Organisation,
    disaggregations: Iterable = (),
    references: Iterable = (),
    user=None,
    reason: str = "",
    **fields,
) -> Indicator:
    indicator = Indicator(code=code, level=level, title_vi=title_vi, responsible_agency=responsible_agency, **fields)
    if user is not None and not roles.is_coordinator(user) and roles.user_agency(user) != responsible_agency:
        raise PermissionDenied("A focal point creates indicators only for their own agency.")
    return _save(
        indicator,
        user=user,
        reason=reason or history.reason(gettext_noop("Indicator created")),
        m2m={"disaggregations": list(disaggregations), "references": list(references)},
    )


def indicator_period_set(*, indicator: Indicator, delivery_plan: DeliveryPlan, user=None, reason: str = "", **values) -> IndicatorPeriod:
    """Set the target and/or actual of one year, creating the year's row when needed."""
    _check_can_edit(user, indicator)
    period = IndicatorPeriod.objects.filter(indicator=indicator, delivery_plan=delivery_plan).first()
    period = period or IndicatorPeriod(indicator=indicator, delivery_plan=delivery_plan)
    for field, value in values.items():
        setattr(period, field, value)
    return _save(period, user=user, reason=reason or history.reason(gettext_noop("Target and actual recorded")))
