"""Revisions of an approved delivery plan, and the yearly carry-over.

Once a delivery plan is approved, a focal point changes its activities, budget lines and targets only
by proposing a revision: each change is a `PlanChange` of their agency's revision report, validated
when proposed but saved nowhere else. The report moves draft → submitted (with the revision's reason)
→ returned or approved like a progress report; its approval, by a coordinator who did not propose it,
applies every change through the plan's own services in one transaction — or none, when a row
changed since the change was proposed.

A coordinator opens next year's delivery plan with `delivery_plan_open_next`: the unfinished
activities of the year before carry over with their indicators' targets; the new plan is a draft,
which agencies edit directly until it is approved.
"""

import json
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from napwps import history

from .. import roles
from ..models import (
    Activity,
    ActivityProgress,
    ActivityStatus,
    BudgetLine,
    ChangeAction,
    DeliveryPlan,
    Frequency,
    Indicator,
    IndicatorPeriod,
    Organisation,
    Output,
    Plan,
    PlanChange,
    ProgressReport,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
    ReviewStatus,
    TaskGroup,
)
from . import (
    activity_check,
    activity_create,
    activity_save,
    budget_line_check,
    budget_line_create,
    budget_line_save,
    delivery_plan_create,
    edit_conflict,
    indicator_period_check,
    indicator_period_save,
    indicator_period_set,
    related,
    reporting,
)

DECIDED_PLAN_STATUSES = (ReviewStatus.APPROVED, ReviewStatus.PUBLISHED)

# What a revision may change on each kind of row (the owner and the year of a row are not revised).
REVISABLE_FIELDS: dict[type, tuple[str, ...]] = {
    Activity: (
        "title_vi", "title_en", "description_vi", "description_en", "subtask", "planned_start", "planned_end",
        "partner_agencies", "funding_partners", "supporting_partners", "provinces", "means", "sector",
    ),
    BudgetLine: ("source", "funder", "description_vi", "description_en", "amount_vnd", "currency", "original_amount", "exchange_rate", "status"),
    IndicatorPeriod: ("target_value", "target_numerator", "target_denominator", "target_text_vi", "target_text_en"),
}  # fmt: skip
# What places a new row: given by the page, never typed.
PLACING_FIELDS: dict[type, tuple[str, ...]] = {
    BudgetLine: ("activity", "delivery_plan"),
    IndicatorPeriod: ("indicator", "period"),
    Activity: ("delivery_plans",),
}
# What a new row is given beyond its revisable fields (typed, but never revised afterwards).
NEW_ROW_FIELDS: dict[type, tuple[str, ...]] = {Activity: ("output", "code", "task_group", "lead_agency")}
CREATABLE = (BudgetLine, IndicatorPeriod, Activity)


# Values as JSON ------------------------------------------------------------------------------------


def _field(model: type[models.Model], name: str):
    return model._meta.get_field(name)


def _as_json(value):
    return json.loads(DjangoJSONEncoder().encode(value))


def _encode(model: type[models.Model], data: Mapping) -> dict:
    """Proposed values as JSON: foreign keys as ids, many-to-many relations as sorted lists of ids."""
    encoded = {}
    for name, value in data.items():
        field = _field(model, name)
        if field.many_to_many:
            encoded[name] = sorted(item.pk if isinstance(item, models.Model) else int(item) for item in (value or []))
        elif field.is_relation:
            encoded[name] = value.pk if isinstance(value, models.Model) else value
        else:
            encoded[name] = value
    return _as_json(encoded)


def values_of(obj: models.Model, fields) -> dict:
    """A row's current values of some fields, encoded like a proposal."""
    data = {}
    for name in fields:
        field = _field(type(obj), name)
        if field.many_to_many:
            data[name] = [item.pk for item in getattr(obj, name).all()] if obj.pk else []
        elif field.is_relation:
            data[name] = getattr(obj, field.attname)
        else:
            data[name] = getattr(obj, name)
    return _encode(type(obj), data)


def _decode(model: type[models.Model], data: Mapping) -> tuple[dict, dict]:
    """Proposed JSON values back as Python: (attname → value for the row's own fields, name → list of
    objects for its many-to-many relations). An id that no longer exists is refused."""
    scalars, relations = {}, {}
    for name, value in data.items():
        field = _field(model, name)
        if field.many_to_many:
            objects = list(field.related_model._default_manager.filter(pk__in=value or []))
            if len(objects) != len(set(value or [])):
                raise ValidationError({name: _("One of the chosen entries no longer exists.")})
            relations[name] = objects
        elif field.is_relation:
            if value is not None and not field.related_model._default_manager.filter(pk=value).exists():
                raise ValidationError({name: _("The chosen entry no longer exists.")})
            scalars[field.attname] = value
        else:
            scalars[field.attname] = field.to_python(value)
    return scalars, relations


def _same(model: type[models.Model], name: str, old, new) -> bool:
    """Equal as values of the field (10.00 and 10 are the same target)."""
    field = _field(model, name)
    if field.is_relation:
        return old == new
    return field.to_python(old) == field.to_python(new)


def _apply_values(obj: models.Model, scalars: Mapping) -> models.Model:
    for attname, value in scalars.items():
        setattr(obj, attname, value)
    return obj


# Which plan, which agency ----------------------------------------------------------------------------


def revision_delivery_plan(revision: ProgressReport) -> DeliveryPlan:
    """The delivery plan a revision revises: its period's plan and year."""
    return DeliveryPlan.objects.get(plan_id=revision.period.plan_id, year=revision.period.year)


def _check_decided(delivery_plan: DeliveryPlan) -> None:
    if delivery_plan.status not in DECIDED_PLAN_STATUSES:
        raise ValidationError(_("%(plan)s is not approved yet: change it directly, no revision is needed.") % {"plan": delivery_plan})


def _belongs(obj: models.Model, delivery_plan: DeliveryPlan) -> bool:
    """Is this row (saved or new) part of the delivery plan?"""
    if isinstance(obj, Activity):
        return obj.pk is not None and obj.delivery_plans.filter(pk=delivery_plan.pk).exists()
    if isinstance(obj, BudgetLine):
        return obj.delivery_plan_id == delivery_plan.pk and obj.activity.delivery_plans.filter(pk=delivery_plan.pk).exists()
    if isinstance(obj, IndicatorPeriod):
        return obj.period.plan_id == delivery_plan.plan_id and obj.period.year == delivery_plan.year
    return False


# The revision report -----------------------------------------------------------------------------------


def revision_open(*, agency, delivery_plan: DeliveryPlan, user) -> ProgressReport:
    """The agency's open revision of an approved delivery plan, or a new draft."""
    _check_decided(delivery_plan)
    period = reporting.annual_period(plan=delivery_plan.plan_id, year=delivery_plan.year)
    return reporting.report_open(agency=agency, period=period, user=user, kind=ReportKind.REVISION)


def _check_open_revision(revision: ProgressReport) -> None:
    if revision.kind != ReportKind.REVISION:
        raise ValidationError(_("This is not a revision of the delivery plan."))
    if not revision.is_open:
        raise ValidationError(_("%(report)s is “%(status)s”: it takes no more changes.") % {"report": revision, "status": revision.get_status_display()})


@transaction.atomic
def plan_change_propose(
    *,
    revision: ProgressReport,
    model: type[models.Model],
    data: Mapping,
    user,
    obj: models.Model | None = None,
    reason: str = "",
    version: int | None = None,
) -> PlanChange:
    """Propose new values for a row of the approved plan (`obj`), or a new row (`obj` None, with the
    fields that place it in `data`). The values are checked by the model and the plan's services as
    if they were saved, then kept in the revision only. A second proposal for the same row replaces
    the first. `version`, when given, is the row's version the form was opened with: a row changed
    since is refused as an edit conflict (`services.EditConflict`)."""
    revision = ProgressReport.objects.select_for_update().get(pk=revision.pk)
    _check_open_revision(revision)
    if model not in REVISABLE_FIELDS or (obj is None and model not in CREATABLE) or (obj is not None and not isinstance(obj, model)):
        raise ValidationError(_("This kind of row cannot be revised."))
    allowed = REVISABLE_FIELDS[model] + ((NEW_ROW_FIELDS.get(model, ()) + PLACING_FIELDS.get(model, ())) if obj is None else ())
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(_("These fields cannot be revised: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    delivery_plan = revision_delivery_plan(revision)
    _check_decided(delivery_plan)

    proposed = _encode(model, data)
    scalars, relations = _decode(model, proposed)
    if obj is not None:
        stored = model._default_manager.get(pk=obj.pk)
        if version is not None and stored.version != version:
            outdated = model._default_manager.get(pk=obj.pk)
            outdated.version = version
            raise edit_conflict(outdated)
        before = values_of(stored, REVISABLE_FIELDS[model])
        proposed = {name: value for name, value in proposed.items() if not _same(model, name, before.get(name), value)}
        if not proposed:
            raise ValidationError(_("Nothing was changed: change at least one value to propose it."))
        scalars, relations = _decode(model, proposed)
        candidate = _apply_values(model._default_manager.get(pk=obj.pk), scalars)
    else:
        before = {}
        candidate = _apply_values(model(), scalars)

    agency_id = roles.agency_of(candidate)
    if user is None or not roles.can_write_report(user, agency_id) or agency_id != revision.agency_id:
        raise PermissionDenied(f"{user} may not propose a change to {candidate} in {revision}.")
    if isinstance(candidate, Activity) and obj is None:
        _check_new_activity(candidate, relations, delivery_plan, revision)
    elif not _belongs(candidate, delivery_plan):
        raise ValidationError(_("This row is not part of %(plan)s.") % {"plan": delivery_plan})

    # The rules, as if it were saved: the model's own, then the service's (user None: rules only).
    candidate.full_clean()
    if isinstance(candidate, Activity):
        activity_check(candidate, user=None, **relations)
    elif isinstance(candidate, BudgetLine):
        budget_line_check(candidate, user=None)
    else:
        indicator_period_check(candidate, user=None)

    content_type = ContentType.objects.get_for_model(model)
    change = PlanChange.objects.filter(revision=revision, target_type=content_type, target_id=obj.pk).first() if obj is not None else None
    change = change or PlanChange(revision=revision, target_type=content_type, target_id=obj.pk if obj is not None else None, created_by=user)
    change.action = ChangeAction.CHANGE if obj is not None else ChangeAction.CREATE
    change.data, change.before, change.reason = proposed, before, reason.strip()
    change.target_version = stored.version if obj is not None else None
    change.full_clean()
    change.save()
    revision.editors.add(user)
    return change


@transaction.atomic
def plan_change_withdraw(*, change: PlanChange, user) -> None:
    """Take a proposed change back out of an open revision."""
    revision = ProgressReport.objects.select_for_update().get(pk=change.revision_id)
    _check_open_revision(revision)
    if user is None or not roles.can_write_report(user, revision.agency_id):
        raise PermissionDenied(f"{user} may not change {revision}.")
    change.delete()
    revision.editors.add(user)  # shaping a revision is editing it: they do not approve it


@transaction.atomic
def revision_submit(*, revision: ProgressReport, user, reason_vi: str, reason_en: str = "", comment: str = "") -> ProgressReport:
    """Draft or returned → submitted, with the revision's reason.

    The move is reporting's own (`reporting._move`); `reporting.report_submit` is not called because
    its emptiness check reads a progress report's items, and a revision's items are its changes.
    """
    revision = ProgressReport.objects.select_for_update().get(pk=revision.pk)
    if user is None or not roles.can_write_report(user, revision.agency_id):
        raise PermissionDenied(f"{user} may not submit {revision}.")
    _check_open_revision(revision)
    if not revision.plan_changes.exists():
        raise ValidationError(_("The revision proposes no change yet: propose a change before submitting it."))
    if not (reason_vi or "").strip():
        raise ValidationError({"reason_vi": _("Say why the delivery plan is revised: the reason goes with the revision.")})
    return reporting._move(
        revision, to=ReportStatus.SUBMITTED, allowed_from=[ReportStatus.DRAFT, ReportStatus.RETURNED], user=user, comment=comment,
        submitted_at=timezone.now(), submitted_by=user, reason_vi=reason_vi.strip(), reason_en=(reason_en or "").strip(),
    )  # fmt: skip


def revision_return(*, revision: ProgressReport, user, comment: str) -> ProgressReport:
    """Submitted → returned with a comment, by a coordinator who did not propose it."""
    if revision.kind != ReportKind.REVISION:
        raise ValidationError(_("This is not a revision of the delivery plan."))
    return reporting.report_return(report=revision, user=user, comment=comment)


def _target(change: PlanChange, model: type[models.Model]):
    return model._default_manager.select_for_update().filter(pk=change.target_id).first()


def stale_changes(revision: ProgressReport) -> list[PlanChange]:
    """The changes whose row was changed (or deleted) since they were proposed."""
    changes = [change for change in revision.plan_changes.select_related("target_type") if change.action == ChangeAction.CHANGE]
    stale = []
    for change in changes:
        model = change.target_type.model_class()
        current = model._default_manager.filter(pk=change.target_id).values_list("version", flat=True).first()
        if current is None or current != change.target_version:
            stale.append(change)
    return stale


@transaction.atomic
def revision_approve(*, revision: ProgressReport, user, reason: str) -> ProgressReport:
    """Submitted → approved by a coordinator who neither proposed nor edited it: every change is
    applied through the plan's services, as the approver, with the reason in each row's history.
    Nothing is applied when one of the rows changed since its change was proposed."""
    revision = ProgressReport.objects.select_for_update().get(pk=revision.pk)
    if revision.kind != ReportKind.REVISION:
        raise ValidationError(_("This is not a revision of the delivery plan."))
    reporting._check_reviewer(revision, user)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the revision is approved: the reason is kept in the history of every row it changes.")})
    if revision.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("%(report)s is “%(status)s”: it cannot become “%(to)s”.")
            % {"report": revision, "status": revision.get_status_display(), "to": ReportStatus.APPROVED.label}
        )
    changes = list(revision.plan_changes.select_related("target_type").order_by("created_at", "pk"))
    for change in changes:  # lock the rows before comparing their versions
        if change.target_id is not None:
            _target(change, change.target_type.model_class())
    stale = stale_changes(revision)
    if stale:
        raise ValidationError(
            _("Changed since it was proposed: %(rows)s. Return the revision so that the agency proposes again from the current values.")
            % {"rows": ", ".join(str(change_target_label(change)) for change in stale)}
        )
    history_reason = history.reason(gettext_noop("Revision approved: %(reason)s"), reason=reason.strip())
    for change in changes:
        applied = _apply(change, user=user, reason=history_reason)
        if change.target_id is None:
            change.target_id = applied.pk
            change.save(update_fields=["target_id", "updated_at"])
    now = timezone.now()
    return reporting._move(
        revision, to=ReportStatus.APPROVED, allowed_from=[ReportStatus.SUBMITTED], user=user, comment=reason, decided_at=now, decided_by=user
    )


def _apply(change: PlanChange, *, user, reason: str) -> models.Model:
    model = change.target_type.model_class()
    scalars, relations = _decode(model, change.data)
    if change.action == ChangeAction.CREATE and model is Activity:
        return _apply_new_activity(scalars, relations, user=user, reason=reason)
    if change.action == ChangeAction.CREATE:
        if model is BudgetLine:
            activity = Activity.objects.get(pk=scalars.pop("activity_id"))
            delivery_plan = DeliveryPlan.objects.get(pk=scalars.pop("delivery_plan_id"))
            return budget_line_create(
                activity=activity, delivery_plan=delivery_plan, source=scalars.pop("source"), amount_vnd=scalars.pop("amount_vnd", None),
                user=user, reason=reason, **scalars,
            )  # fmt: skip
        indicator_id, period_id = scalars.pop("indicator_id"), scalars.pop("period_id")
        return indicator_period_set(
            indicator=Indicator.objects.get(pk=indicator_id),
            period=ReportingPeriod.objects.get(pk=period_id),
            user=user,
            reason=reason,
            **scalars,
        )
    target = _apply_values(model._default_manager.get(pk=change.target_id), scalars)
    if isinstance(target, Activity):
        return activity_save(activity=target, user=user, reason=reason, **relations)
    if isinstance(target, BudgetLine):
        return budget_line_save(line=target, user=user, reason=reason)
    return indicator_period_save(period=target, user=user, reason=reason)


# New activities (wp-newact) ------------------------------------------------------------------------


def _check_new_activity(candidate: Activity, relations: Mapping, delivery_plan: DeliveryPlan, revision: ProgressReport) -> None:
    """A new activity proposed in a revision: of the revised year only, and with a code that no other
    new activity of the same revision takes (the activities already saved: Activity.clean)."""
    if [plan.pk for plan in relations.get("delivery_plans", [])] != [delivery_plan.pk]:
        raise ValidationError(_("A new activity is proposed for the revised year, %(plan)s, only.") % {"plan": delivery_plan})
    if related(candidate, "output") is not None and candidate.output.plan_id != delivery_plan.plan_id:
        raise ValidationError({"output": _("Choose an output of %(plan)s.") % {"plan": delivery_plan}})
    content_type = ContentType.objects.get_for_model(Activity)
    proposed = PlanChange.objects.filter(
        revision__period__plan_id=delivery_plan.plan_id, revision__status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED],
        target_type=content_type, action=ChangeAction.CREATE, target_id=None, data__code=candidate.code,
    )  # fmt: skip
    if candidate.code and proposed.exists():
        raise ValidationError({"code": _("A new activity with this code is already proposed in a revision.")})


def _apply_new_activity(scalars: dict, relations: dict, *, user, reason: str) -> Activity:
    """Create a proposed activity through the plan's service, as the approver."""
    scalars = dict(scalars)
    return activity_create(
        output=Output.objects.get(pk=scalars.pop("output_id")),
        task_group=TaskGroup.objects.get(pk=scalars.pop("task_group_id")),
        lead_agency=Organisation.objects.get(pk=scalars.pop("lead_agency_id")),
        code=scalars.pop("code"),
        title_vi=scalars.pop("title_vi"),
        planned_start=scalars.pop("planned_start"),
        planned_end=scalars.pop("planned_end"),
        user=user,
        reason=reason,
        **relations,
        **scalars,
    )


def change_target_label(change: PlanChange) -> str:
    """What a change is about, in words."""
    model = change.target_type.model_class()
    if change.target_id is not None:
        target = model._default_manager.filter(pk=change.target_id).first()
        if target is not None:
            return str(target)
    return f"{model._meta.verbose_name} ({change.get_action_display()})"


# The yearly carry-over ---------------------------------------------------------------------------------

FINISHED_STATUSES = (ActivityStatus.COMPLETED, ActivityStatus.CANCELLED)
TARGET_FIELDS = REVISABLE_FIELDS[IndicatorPeriod]


def _has_target(period: IndicatorPeriod | None) -> bool:
    return period is not None and any(getattr(period, field) not in (None, "") for field in TARGET_FIELDS)


@transaction.atomic
def delivery_plan_open_next(*, plan: Plan, year: int, user) -> DeliveryPlan:
    """Open a year's delivery plan (a draft) and carry over from the year before every activity whose
    latest yearly progress is not completed, with a period row for the new year for each of its
    indicators, carrying the previous year's target when the new one has none. Idempotent."""
    if user is not None and not roles.is_coordinator(user):
        raise PermissionDenied(f"{user} may not open a delivery plan.")
    plan.check_year(year, "year")
    delivery_plan = DeliveryPlan.objects.filter(plan=plan, year=year).first()
    if delivery_plan is None:
        delivery_plan = delivery_plan_create(
            plan=plan, year=year, user=user, reason=history.reason(gettext_noop("Delivery plan opened for %(year)s"), year=year)
        )
    previous = DeliveryPlan.objects.filter(plan=plan, year=year - 1).first()
    if previous is None:
        return delivery_plan
    reason = history.reason(gettext_noop("Carried over to %(year)s"), year=year)
    activities = list(previous.activities.order_by("order", "code").prefetch_related("delivery_plans", "indicators"))
    latest: dict[int, str] = {}
    for progress in ActivityProgress.objects.filter(activity__in=activities, delivery_plan__year__lt=year).order_by("activity_id", "delivery_plan__year"):
        latest[progress.activity_id] = progress.status
    for activity in activities:
        if latest.get(activity.pk) in FINISHED_STATUSES:
            continue
        years = list(activity.delivery_plans.all())
        if delivery_plan not in years:
            activity_save(activity=activity, user=user, reason=reason, delivery_plans=[*years, delivery_plan])
        for indicator in activity.indicators.all():
            if indicator.frequency == Frequency.MID_TERM_AND_FINAL:
                continue
            for period in reporting.periods_of_indicator(indicator=indicator, years=[year]):
                row = IndicatorPeriod.objects.filter(indicator=indicator, period=period).first()
                if _has_target(row):
                    continue
                earlier = IndicatorPeriod.objects.filter(
                    indicator=indicator, period__plan=plan, period__kind=period.kind, period__number=period.number, period__year=year - 1
                ).first()
                values = {field: getattr(earlier, field) for field in TARGET_FIELDS} if _has_target(earlier) else {}
                if row is None or values:
                    indicator_period_set(indicator=indicator, period=period, user=user, reason=reason, **values)
    return delivery_plan
