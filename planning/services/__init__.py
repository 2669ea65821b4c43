"""Writes to the plan. Each validates, checks who may write, runs in one transaction and records
history with who and why. Views, the admin's actions and the demo data all come through here."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from concurrency.exceptions import RecordModifiedError
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from napwps import formatting, history

from .. import roles
from ..models import (
    Activity,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Indicator,
    IndicatorPeriod,
    Measure,
    Organisation,
    Output,
    Plan,
    ReportingPeriod,
    ReviewStatus,
    ValueKind,
    validate_activity_relations,
)
from ..models.indicators import NOT_RECORDED, category_label

DECIDED_PLAN = [ReviewStatus.APPROVED, ReviewStatus.PUBLISHED]


def approved_plan_check(obj: models.Model, *, user, deleting: bool = False, delivery_plans: Iterable[DeliveryPlan] | None = None) -> None:
    """Focal points neither add to, change, move out of nor delete from an approved (or published)
    delivery plan its activities, budget lines and targets: a change to an approved plan is a
    revision that coordinators approve. Both the row as stored and as changed are checked, and an
    activity's new years (`delivery_plans`, when the form gives them)."""
    if user is None or roles.is_coordinator(user):
        return
    stored = type(obj)._default_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
    if isinstance(obj, Activity):
        years = {plan.pk for plan in delivery_plans or ()}
        if stored is not None:
            years |= set(stored.delivery_plans.values_list("pk", flat=True))
        decided = DeliveryPlan.objects.filter(pk__in=years, status__in=DECIDED_PLAN)
    elif isinstance(obj, BudgetLine):
        years = {obj.delivery_plan_id, stored.delivery_plan_id if stored is not None else None} - {None}
        decided = DeliveryPlan.objects.filter(pk__in=years, status__in=DECIDED_PLAN)
    elif isinstance(obj, IndicatorPeriod):
        before = {field: getattr(stored, field) for field in TARGET_FIELDS} if stored is not None else dict.fromkeys(TARGET_FIELDS)
        moved = stored is not None and stored.period_id != obj.period_id
        targets_changed = any((before[field] or None) != (getattr(obj, field) or None) for field in TARGET_FIELDS)
        if deleting or not (moved or targets_changed):
            return  # its actual is reported through the agency's report, not a revision
        periods = [period for period in (related(obj, "period"), stored.period if stored is not None else None) if period is not None]
        condition = models.Q(pk__in=[])
        for period in periods:
            condition |= models.Q(plan_id=period.plan_id, year=period.year)
        decided = DeliveryPlan.objects.filter(condition, status__in=DECIDED_PLAN)
    else:
        return
    plan = decided.order_by("year").first()
    if plan is None:
        return
    if deleting:
        raise ValidationError(_("%(plan)s is approved: its activities and budget lines cannot be deleted.") % {"plan": plan})
    raise ValidationError(_("%(plan)s is approved: a change to it is a revision, proposed to and approved by MOFA's coordinators.") % {"plan": plan})


def _check_can_edit(user, obj: models.Model) -> None:
    """May `user` write this row? For a row already saved, both as stored and as changed: a focal
    point can neither touch another agency's row nor hand their own to another agency."""
    if user is None:
        return
    if obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        if stored is not None and not roles.can_edit(user, stored):
            raise PermissionDenied(f"{user} may not change {stored}.")
    if not roles.can_edit(user, obj):
        raise PermissionDenied(f"{user} may not write {obj}.")


class EditConflict(ValidationError):
    """Someone else saved the row after this form was opened: `changes` lists what they changed as
    (field label, value the form was opened with, value now stored). The user's input is not saved."""

    def __init__(self, obj: models.Model, changes: list[tuple[str, str, str]]):
        self.obj, self.changes = obj, changes
        summary = "; ".join(f"{label}: {before} → {after}" for label, before, after in changes) or _("no visible field")
        super().__init__(
            _("Someone else saved this record after you opened it. What they changed: %(changes)s. Your input is still in the form: check it and save again.")
            % {"changes": summary},
            code="conflict",
        )


def edit_conflict(obj: models.Model) -> EditConflict:
    """Describe a refused save of an outdated `obj`: the stored row against the version the form had."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    changes = []
    if stored is not None:
        seen = stored.history.filter(version=obj.version).order_by("-history_date").first() if hasattr(stored, "history") else None
        for field in obj._meta.concrete_fields:
            if field.name in ("version", "id") or not (field.editable or field.name == "status"):  # a report's status moves only by its services
                continue
            now = getattr(stored, field.attname)
            before = getattr(seen, field.attname) if seen is not None else getattr(obj, field.attname)
            if now != before:
                changes.append((str(field.verbose_name), formatting.field_value(field, before), formatting.field_value(field, now)))
    return EditConflict(obj, changes)


@transaction.atomic
def _save(obj: models.Model, *, user, reason: str, m2m: dict[str, Iterable] | None = None) -> models.Model:
    """Validate, save with history metadata, then set many-to-many relations.

    A row with a version (django-concurrency) saved from an outdated form raises EditConflict.
    """
    obj.full_clean()
    obj._history_user = user
    obj._change_reason = reason
    try:
        with transaction.atomic():
            obj.save()
    except RecordModifiedError:
        raise edit_conflict(obj) from None
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    return obj


@transaction.atomic
def delivery_plan_create(*, plan: Plan, year: int, user=None, reason: str = "", **fields) -> DeliveryPlan:
    delivery_plan = _save(DeliveryPlan(plan=plan, year=year, **fields), user=user, reason=reason or history.reason(gettext_noop("Delivery plan opened")))
    reporting.reporting_calendar_ensure(plan=plan)
    return delivery_plan


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
    funding_partners: Iterable[Organisation] = (),
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
    relations = {
        "partner_agencies": partner_agencies, "funding_partners": funding_partners, "supporting_partners": supporting_partners,
        "provinces": provinces, "means": means,
    }  # fmt: skip
    return activity_save(
        activity=activity, user=user, reason=reason or history.reason(gettext_noop("Activity created")), delivery_plans=delivery_plans, **relations
    )


ACTIVITY_RELATIONS = ("partner_agencies", "funding_partners", "supporting_partners", "provinces", "means", "delivery_plans")
CHECKED_RELATIONS = ("partner_agencies", "funding_partners", "supporting_partners", "provinces")


def activity_update(*, activity: Activity, user, reason: str, **changes) -> Activity:
    """Change an activity's fields and relations; only its agency's focal points and coordinators may."""
    if not reason.strip():
        raise ValueError("Say why the activity changes: the reason is kept in its history.")
    m2m = {name: changes.pop(name) for name in ACTIVITY_RELATIONS if name in changes}
    for field, value in changes.items():
        setattr(activity, field, value)
    return activity_save(activity=activity, user=user, reason=reason, **m2m)


def activity_check(activity: Activity, *, user, **relations) -> None:
    """Who may write it and the rules over its relations (the activity's own fields: Activity.clean).

    `relations` are the new values of some many-to-many relations; the others are read from the
    database. The admin's form calls this too, so its messages appear beside their fields.
    """
    _check_can_edit(user, activity)
    approved_plan_check(activity, user=user, delivery_plans=relations.get("delivery_plans"))
    current = {name: list(relations[name]) if name in relations else (list(getattr(activity, name).all()) if activity.pk else []) for name in CHECKED_RELATIONS}
    dates = {name: getattr(activity, name) for name in ("planned_start", "planned_end")}
    validate_activity_relations(lead_agency=related(activity, "lead_agency"), **dates, **actual_span(activity), **current)


def actual_span(activity: Activity) -> dict:
    """The months the activity actually ran, over its yearly progress: from the first actual start to
    the last actual end (open while a year has started without ending)."""
    if activity.pk is None:
        return {}
    rows = list(activity.yearly_progress.exclude(actual_start=None).values_list("actual_start", "actual_end"))
    if not rows:
        return {}
    ends = [end for _start, end in rows]
    return {"actual_start": min(start for start, _end in rows), "actual_end": None if None in ends else max(ends)}


def related(obj, name):
    """The object a foreign key points to, or None when it is empty (without raising)."""
    descriptor = getattr(type(obj), name)
    if getattr(obj, descriptor.field.attname) is None and not descriptor.is_cached(obj):
        return None
    return getattr(obj, name)


def activity_budget_years_check(*, delivery_plans: Iterable[DeliveryPlan] | None, budget_lines: Iterable[BudgetLine]) -> list[BudgetLine]:
    """Every budget line of an activity belongs to one of the activity's years.

    Returns the lines outside `delivery_plans` (empty when all fit); `delivery_plans` None means the
    years are not known yet, and nothing is checked.
    """
    if delivery_plans is None:
        return []
    years = {delivery_plan.pk for delivery_plan in delivery_plans}
    return [line for line in budget_lines if line.delivery_plan_id is not None and line.delivery_plan_id not in years]


@transaction.atomic
def activity_save(
    *,
    activity: Activity,
    user,
    reason: str,
    budget_lines: Iterable[BudgetLine] = (),
    deleted_budget_lines: Iterable[BudgetLine] = (),
    **relations,
) -> Activity:
    """Save an activity with its relations and, when given, its changed and deleted budget lines,
    all checked together: the lines against the years the activity has after the change."""
    relations = {name: list(values) for name, values in relations.items()}
    activity_check(activity, user=user, **relations)
    budget_lines, deleted = list(budget_lines), {line.pk for line in deleted_budget_lines if line.pk}
    for line in budget_lines:
        budget_line_check(line, user=user, activity_years=relations.get("delivery_plans"))
    if activity.pk and "delivery_plans" in relations:
        changed = {line.pk for line in budget_lines if line.pk}
        kept = activity.budget_lines.exclude(pk__in=deleted | changed).select_related("delivery_plan")
        dropped = activity_budget_years_check(delivery_plans=relations["delivery_plans"], budget_lines=kept)
        if dropped:
            years = ", ".join(str(year) for year in sorted({line.delivery_plan.year for line in dropped}))
            raise ValidationError({"delivery_plans": _("The activity still has budget lines for %(years)s: remove or move them first.") % {"years": years}})
    _save(activity, user=user, reason=reason, m2m=relations)
    for line in deleted_budget_lines:
        record_delete(obj=line, user=user, reason=reason)
    for line in budget_lines:
        line.activity = activity
        _save(line, user=user, reason=reason)
    return activity


def budget_line_create(
    *, activity: Activity, delivery_plan: DeliveryPlan, source: str, amount_vnd: Decimal | int | None, user=None, reason: str = "", **fields
) -> BudgetLine:
    line = BudgetLine(activity=activity, delivery_plan=delivery_plan, source=source, amount_vnd=amount_vnd, **fields)
    return budget_line_save(line=line, user=user, reason=reason or history.reason(gettext_noop("Budget line added")))


def budget_line_check(line: BudgetLine, *, user, activity_years: Iterable[DeliveryPlan] | None = None) -> None:
    """Who may write it, and its year among its activity's (`activity_years`, else the stored ones)."""
    _check_can_edit(user, line)
    approved_plan_check(line, user=user)
    activity = related(line, "activity")
    if activity is None:
        return
    if activity_years is None and activity.pk:
        activity_years = activity.delivery_plans.all()
    if activity_budget_years_check(delivery_plans=activity_years, budget_lines=[line]):
        raise ValidationError({"delivery_plan": _("Choose one of the activity's years: tick this year among its delivery plans first.")})


def budget_line_save(*, line: BudgetLine, user, reason: str) -> BudgetLine:
    line.full_clean()
    budget_line_check(line, user=user)
    return _save(line, user=user, reason=reason)


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
    return indicator_save(
        indicator=indicator,
        user=user,
        reason=reason or history.reason(gettext_noop("Indicator created")),
        disaggregations=disaggregations,
        references=references,
    )


@transaction.atomic
def indicator_save(*, indicator: Indicator, user, reason: str, **relations) -> Indicator:
    """Save an indicator; the periods it reports in by its frequency (quarters, half-years, the
    reviews) are opened for every year of its plan, so its targets can be set for any of them."""
    _check_can_edit(user, indicator)
    _save(indicator, user=user, reason=reason, m2m={name: list(values) for name, values in relations.items()})
    plan = indicator.plan
    reporting.reporting_calendar_ensure(plan=plan)
    reporting.periods_of_indicator(indicator=indicator, years=range(plan.start_year, plan.end_year + 1))
    return indicator


def indicator_period_set(*, indicator: Indicator, period: ReportingPeriod, user=None, reason: str = "", computed: bool = False, **values) -> IndicatorPeriod:
    """Set the target and/or actual of one period, creating the period's row when needed.

    The count from events (`computed=True`) writes only the proposed figure (`proposed_value`), which
    the agency confirms as its actual (`reporting.proposed_actual_confirm`).
    """
    reporting_period = period
    period = IndicatorPeriod.objects.filter(indicator=indicator, period=reporting_period).first()
    period = period or IndicatorPeriod(indicator=indicator, period=reporting_period)
    for field, value in values.items():
        setattr(period, field, value)
    return indicator_period_save(period=period, user=user, reason=reason or history.reason(gettext_noop("Target and actual recorded")), computed=computed)


TARGET_FIELDS = ("target_value", "target_numerator", "target_denominator", "target_text_vi", "target_text_en")
ACTUAL_FIELDS = ("actual_value", "actual_numerator", "actual_denominator", "actual_text_vi", "actual_text_en", "actual_source_vi", "actual_source_en")


def is_computed(indicator: Indicator) -> bool:
    """Counted from events: an events.IndicatorRule points at it (read without importing events)."""
    return indicator is not None and indicator.pk is not None and hasattr(indicator, "event_rule")


def indicator_period_check(
    period: IndicatorPeriod, *, user, computed: bool = False, confirming: bool = False, disaggregated_values: Iterable[DisaggregatedValue] | None = None
) -> None:
    """Who may write it; no typed actual for an indicator counted from events (the agency confirms
    the count instead: `confirming`); its disaggregated values (`disaggregated_values`, else the
    stored ones) add up to its totals; and an actual changes only while its report is open."""
    _check_can_edit(user, period)
    reporting.check_not_moved(period)
    indicator = related(period, "indicator")
    if computed:
        changed = [field for field in ACTUAL_FIELDS if period.pk and _stored_value(period, field) != getattr(period, field)]
        if changed or (not period.pk and any(getattr(period, field) not in (None, "") for field in ACTUAL_FIELDS)):
            raise ValidationError("The count from events writes the proposed figure only.")
        return
    approved_plan_check(period, user=user)
    if not confirming and is_computed(indicator):
        stored = IndicatorPeriod.objects.filter(pk=period.pk).first() if period.pk else IndicatorPeriod()
        changed = [field for field in ACTUAL_FIELDS if getattr(period, field) != getattr(stored, field)]
        if changed:
            raise ValidationError({changed[0]: _("This indicator is counted from event attendance: its actual is computed, not typed.")})
    if disaggregated_values is None:
        disaggregated_values = period.disaggregated_values.select_related("disaggregation") if period.pk else []
    disaggregation_check(period=period, values=disaggregated_values)


@transaction.atomic
def indicator_period_save(
    *,
    period: IndicatorPeriod,
    user,
    reason: str,
    computed: bool = False,
    confirming: bool = False,
    disaggregated_values: Iterable[DisaggregatedValue] | None = None,
    deleted_values: Iterable[DisaggregatedValue] = (),
) -> IndicatorPeriod:
    """Save one period of an indicator and, when given, its changed and deleted disaggregated values.

    A change to the actual (or its breakdown) belongs to the agency's open report for the period.
    """
    deleted_values = list(deleted_values)
    actual_changed = not computed and (
        _actual_changed(period) or any(value.kind == ValueKind.ACTUAL for value in [*(disaggregated_values or ()), *deleted_values])
    )
    if actual_changed:  # a submitted report's lock is said before any other problem with the input
        _check_can_edit(user, period)
        reporting.item_check_open(period, user=user)
    final = None
    if disaggregated_values is not None:
        disaggregated_values, deleted = list(disaggregated_values), {value.pk for value in deleted_values if value.pk}
        changed = {value.pk for value in disaggregated_values if value.pk}
        stored = list(period.disaggregated_values.exclude(pk__in=deleted | changed).select_related("disaggregation")) if period.pk else []
        final = [*stored, *disaggregated_values]
        for value in disaggregated_values:
            disaggregated_value_check(value, user=user, computed=computed, confirming=confirming)
    indicator_period_check(period, user=user, computed=computed, confirming=confirming, disaggregated_values=final)
    if actual_changed:
        reporting.item_touched(period, user=user)
    _save(period, user=user, reason=reason)
    for value in deleted_values:
        record_delete(obj=value, user=user, reason=reason)
    for value in disaggregated_values or ():
        value.period = period
        _save(value, user=user, reason=reason)
    return period


def _stored_value(obj: models.Model, field: str):
    return type(obj)._default_manager.filter(pk=obj.pk).values_list(field, flat=True).first()


def _actual_changed(period: IndicatorPeriod) -> bool:
    if period.pk is None:
        return any(getattr(period, field) not in (None, "") for field in ACTUAL_FIELDS)
    stored = IndicatorPeriod.objects.filter(pk=period.pk).values(*ACTUAL_FIELDS).first() or {}
    return any(stored.get(field) != getattr(period, field) for field in ACTUAL_FIELDS)


def disaggregated_value_check(value: DisaggregatedValue, *, user, computed: bool = False, confirming: bool = False) -> None:
    _check_can_edit(user, value)
    period = related(value, "period")
    if computed and value.kind != ValueKind.PROPOSED:
        raise ValidationError("The count from events writes the proposed breakdown only.")
    if not computed and value.kind == ValueKind.PROPOSED:
        raise ValidationError({"kind": _("Only the count from events writes this breakdown.")})
    if not (computed or confirming) and value.kind == ValueKind.ACTUAL and period is not None and is_computed(related(period, "indicator")):
        raise ValidationError({"value": _("This indicator is counted from event attendance: its actual is computed, not typed.")})


def disaggregation_check(*, period: IndicatorPeriod, values: Iterable[DisaggregatedValue]) -> None:
    """The parts of a number indicator's total never exceed it, and a breakdown that covers a whole
    dimension (every category, or the rest named “not recorded”) adds up to it exactly.

    An actual counted from events is left to that count.
    """
    indicator = related(period, "indicator")
    if indicator is None or indicator.measure != Measure.NUMBER:
        return
    groups: dict[tuple, list[DisaggregatedValue]] = {}
    for value in values:
        if value.value is not None and value.disaggregation_id:
            groups.setdefault((value.kind, value.disaggregation_id), []).append(value)
    errors = {}
    for (kind, _disaggregation), parts in groups.items():
        if kind == ValueKind.ACTUAL and is_computed(indicator):
            continue
        total = getattr(period, f"{kind}_value")
        disaggregation = parts[0].disaggregation
        given = {part.category for part in parts}
        codes = {entry[0] for entry in disaggregation.categories or []}
        whole = NOT_RECORDED in given or (codes and codes <= given)
        summed = sum(part.value for part in parts)
        context = {"dimension": disaggregation, "sum": _number(summed), "total": _number(total), "not_recorded": category_label(disaggregation, NOT_RECORDED)}
        if total is None:
            if whole:
                errors.setdefault(f"{kind}_value", []).append(_("Give the total that the %(dimension)s breakdown adds up to (%(sum)s).") % context)
        elif summed > total:
            errors.setdefault(f"{kind}_value", []).append(_("By %(dimension)s the parts add up to %(sum)s, more than the total of %(total)s.") % context)
        elif whole and summed != total:
            errors.setdefault(f"{kind}_value", []).append(
                _("By %(dimension)s the parts add up to %(sum)s, not the total of %(total)s: correct them, or record the difference as “%(not_recorded)s”.")
                % context
            )
    if errors:
        raise ValidationError(errors)


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)


def disaggregated_value_save(*, value: DisaggregatedValue, user, reason: str, computed: bool = False) -> DisaggregatedValue:
    """One disaggregated value, checked with its period's other values against the period's total."""
    if value.kind == ValueKind.ACTUAL and value.period_id:
        _check_can_edit(user, value)
        reporting.item_check_open(value.period, user=user)
    value.full_clean()
    disaggregated_value_check(value, user=user, computed=computed)
    others = value.period.disaggregated_values.exclude(pk=value.pk).select_related("disaggregation")
    if not computed:
        disaggregation_check(period=value.period, values=[*others, value])
    if value.kind == ValueKind.ACTUAL:
        reporting.item_touched(value.period, user=user)
    return _save(value, user=user, reason=reason)


# Any row of the plan: the admin's one way in -----------------------------------------------------


@transaction.atomic
def record_save(*, obj: models.Model, user, reason: str, m2m: dict[str, Iterable] | None = None) -> models.Model:
    """Save a row of any planning model through the service that owns its rules; rows without rules
    of their own (reference data, objectives, outputs, delivery plans' fields) are validated by the
    model and saved with their history."""
    m2m = dict(m2m or {})
    if isinstance(obj, Activity):
        return activity_save(activity=obj, user=user, reason=reason, **m2m)
    if isinstance(obj, Indicator):
        return indicator_save(indicator=obj, user=user, reason=reason, **m2m)
    if isinstance(obj, IndicatorPeriod):
        return indicator_period_save(period=obj, user=user, reason=reason)
    if isinstance(obj, BudgetLine):
        return budget_line_save(line=obj, user=user, reason=reason)
    if isinstance(obj, DisaggregatedValue):
        return disaggregated_value_save(value=obj, user=user, reason=reason)
    _check_can_edit(user, obj)
    return _save(obj, user=user, reason=reason, m2m=m2m)


def record_check(obj: models.Model, *, user, **m2m) -> None:
    """The checks `record_save` makes beyond the model's own validation, for a form to show first."""
    if isinstance(obj, Activity):
        activity_check(obj, user=user, **m2m)
    elif isinstance(obj, IndicatorPeriod):
        indicator_period_check(obj, user=user)
    elif isinstance(obj, BudgetLine):
        budget_line_check(obj, user=user)
    elif isinstance(obj, DisaggregatedValue):
        disaggregated_value_check(obj, user=user)
    else:
        _check_can_edit(user, obj)


@transaction.atomic
def record_delete(*, obj: models.Model, user, reason: str = "") -> None:
    _check_can_edit(user, obj)
    if isinstance(obj, Activity | BudgetLine):
        approved_plan_check(obj, user=user, deleting=True)
    if isinstance(obj, DisaggregatedValue) and obj.kind == ValueKind.ACTUAL:
        reporting.item_check_open(obj.period, user=user)
        reporting.item_touched(obj.period, user=user)
    # A report's item, or a row whose deletion takes items with it: locked while submitted, kept once approved.
    for item in [obj] if type(obj) in reporting.SNAPSHOT_FIELDS else reporting.cascaded_items(obj):
        reporting.item_check_delete(item, user=user)
    obj._history_user = user
    obj._change_reason = reason or None
    obj.delete()


# Accounts ------------------------------------------------------------------------------------------


@transaction.atomic
def account_save(*, account, user, groups: Iterable | None = None, user_permissions: Iterable | None = None):
    """Save an account and its groups; the portal's groups give access to the admin at once.

    Staff status is decided here and only here: an account in a portal group is staff; one that
    leaves the portal's groups stops being staff unless it is a superuser or holds other powers.
    """
    account.save()
    if groups is not None:
        account.groups.set(groups)
    if user_permissions is not None:
        account.user_permissions.set(user_permissions)
    roles.forget_groups(account)
    other_powers = account.is_superuser or account.user_permissions.exists() or bool(roles.group_names(account) - set(roles.GROUP_LABELS))
    staff = roles.has_portal_role(account) or (account.is_staff and other_powers)
    if staff != account.is_staff:
        account.is_staff = staff
        account.save(update_fields=["is_staff"])
    return account


from . import reporting  # noqa: E402  (the reporting cycle builds on the savers above)
