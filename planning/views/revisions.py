"""Pages of the reporting cycle: revisions of an approved delivery plan, and opening next year's plan
(see planning/urls.py). Focal points propose changes to their agency's rows; coordinators review.
Every object is fetched through a queryset scoped by planning.roles: another agency's revision is a 404."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from napwps import formatting

from .. import roles
from ..forms import add_service_errors
from ..forms.revisions import (
    ActivityChangeForm,
    BudgetLineChangeForm,
    NewActivityForm,
    NewBudgetLineForm,
    OpenNextYearForm,
    RevisionReviewForm,
    RevisionSubmitForm,
    TargetChangeForm,
)
from ..models import (
    Activity,
    BudgetLine,
    ChangeAction,
    DeliveryPlan,
    IndicatorPeriod,
    PlanChange,
    ProgressReport,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
    ReviewStatus,
)
from ..services import activity_create, budget_line_create
from ..services import revisions as services
from ..services.revisions import DECIDED_PLAN_STATUSES, PLACING_FIELDS


def _workspace_user(request):
    if not roles.can_use_workspace(request.user):
        raise PermissionDenied
    return request.user


def _revisions(user):
    return roles.visible_reports(user, ProgressReport.objects.filter(kind=ReportKind.REVISION))


# Old → new, in words ---------------------------------------------------------------------------------


class FieldRow:
    def __init__(self, label, old, new):
        self.label, self.old, self.new = label, old, new


def _placed_by(model, name, value, objects) -> str:
    """The row a placing field points to (or the rows, for a many-to-many one), in words."""
    related_model = model._meta.get_field(name).related_model
    values = value if isinstance(value, list) else [value]
    return ", ".join(str(objects.get((related_model, pk), "")) for pk in values if pk is not None)


def describe(changes) -> list:
    """Each change with its row's label and its fields as (label, old, new), reading every row and
    related object named by the changes in one query per model."""
    wanted = defaultdict(set)
    for change in changes:
        model = change.target_type.model_class()
        if change.target_id is not None:
            wanted[model].add(change.target_id)
        for name, value in [*change.data.items(), *change.before.items()]:
            field = model._meta.get_field(name)
            if field.many_to_many:
                wanted[field.related_model].update(value or [])
            elif field.is_relation and value is not None:
                wanted[field.related_model].add(value)
    objects = {}
    for model, ids in wanted.items():
        queryset = model._default_manager.filter(pk__in=ids)
        if model is BudgetLine:
            queryset = queryset.select_related("activity", "delivery_plan")
        elif model is IndicatorPeriod:
            queryset = queryset.select_related("indicator", "period")
        for obj in queryset:
            objects[(model, obj.pk)] = obj

    def named(model, pk):  # the rows read above, without a query per value
        return objects.get((model, pk), pk)

    for change in changes:
        model = change.target_type.model_class()
        change.target = objects.get((model, change.target_id))
        if change.action == ChangeAction.CREATE and change.target is None:
            placing = [_placed_by(model, name, change.data.get(name), objects) for name in PLACING_FIELDS.get(model, ())]
            if change.data.get("code"):  # a new activity: its code and title too
                placing.append(f"{change.data['code']}. {change.data.get('title_vi', '')}")
            change.label = f"{capfirst(model._meta.verbose_name)} — {', '.join(filter(None, placing))}"
        else:
            change.label = str(change.target) if change.target is not None else capfirst(model._meta.verbose_name)
        change.model_label = capfirst(model._meta.verbose_name)
        change.rows = [
            FieldRow(
                capfirst(model._meta.get_field(name).verbose_name),
                formatting.field_value(model._meta.get_field(name), change.before.get(name), related=named)
                if change.action == ChangeAction.CHANGE
                else formatting.PLACEHOLDER,
                formatting.field_value(model._meta.get_field(name), value, related=named),
            )
            for name, value in change.data.items()
            if name not in PLACING_FIELDS.get(model, ())
        ]
    return changes


# The list and the detail ----------------------------------------------------------------------------


@login_required
def revision_list(request):
    user = _workspace_user(request)
    revisions = (
        _revisions(user)
        .select_related("agency", "period", "submitted_by")
        .annotate(change_count=Count("plan_changes"))
        .order_by("-period__year", "agency__code", "-revision")
    )
    rows = []
    agency_id = roles.agency_id_of(user)
    if not roles.is_coordinator(user) and agency_id is not None:
        decided = DeliveryPlan.objects.filter(status__in=DECIDED_PLAN_STATUSES)
        rows = list(
            Activity.objects.filter(lead_agency_id=agency_id, delivery_plans__in=decided)
            .distinct()
            .order_by("code")
            .prefetch_related(
                Prefetch("delivery_plans", queryset=decided.order_by("year"), to_attr="decided_plans"),
                Prefetch(
                    "budget_lines", queryset=BudgetLine.objects.filter(delivery_plan__in=decided).select_related("delivery_plan"), to_attr="decided_lines"
                ),
                Prefetch(
                    "indicators__periods",
                    queryset=IndicatorPeriod.objects.filter(Exists(decided.filter(plan_id=OuterRef("period__plan_id"), year=OuterRef("period__year"))))
                    .select_related("period")
                    .order_by("period__end"),
                ),
            )
        )
    context = {
        "revisions": revisions,
        "activities": rows,
        "new_activity_plans": DeliveryPlan.objects.filter(status__in=DECIDED_PLAN_STATUSES).select_related("plan").order_by("-year"),  # wp-newact
        "can_open_next": roles.is_coordinator(user),
        "open_next_form": OpenNextYearForm() if roles.is_coordinator(user) else None,
    }
    return render(request, "planning/revisions/revision_list.html", context)


@login_required
def revision_detail(request, pk):
    """The proposed changes, old → new; the agency submits here (POST) with the revision's reason."""
    user = _workspace_user(request)
    revision = get_object_or_404(_revisions(user).select_related("agency", "period", "submitted_by", "decided_by"), pk=pk)
    may_write = roles.can_write_report(user, revision.agency_id) and revision.is_open
    form = RevisionSubmitForm(request.POST or None, initial={"reason_vi": revision.reason_vi, "reason_en": revision.reason_en})
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.revision_submit(revision=revision, user=user, reason_vi=form.cleaned_data["reason_vi"], reason_en=form.cleaned_data["reason_en"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The revision was submitted to MOFA's coordinators."))
                return redirect("planning:revision-detail", pk=revision.pk)
    changes = describe(list(revision.plan_changes.select_related("target_type", "created_by")))
    context = {
        "revision": revision,
        "changes": changes,
        "may_write": may_write,
        "submit_form": form if may_write else None,
        "review_form": RevisionReviewForm() if roles.can_review(user) and revision.status == ReportStatus.SUBMITTED else None,
        "transitions": revision.transitions.select_related("user").order_by("at", "pk"),
    }
    return render(request, "planning/revisions/revision_detail.html", context)


@login_required
@require_POST
def revision_review(request, pk):
    """Approve (applying every change) or return, by a coordinator who did not propose the revision."""
    user = _workspace_user(request)
    if not roles.can_review(user):
        raise PermissionDenied
    revision = get_object_or_404(_revisions(user), pk=pk)
    form = RevisionReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("planning:revision-detail", pk=revision.pk)
    text = form.cleaned_data["text"]
    try:
        if form.cleaned_data["decision"] == RevisionReviewForm.APPROVE:
            services.revision_approve(revision=revision, user=user, reason=text)
            messages.success(request, _("The revision was approved and its changes applied to the delivery plan."))
        else:
            services.revision_return(revision=revision, user=user, comment=text)
            messages.success(request, _("The revision was returned to the agency."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:  # a coordinator reviewing the revision they proposed or edited
        messages.error(request, _("You proposed or edited this revision: another coordinator reviews it."))
    return redirect("planning:revision-detail", pk=revision.pk)


@login_required
@require_POST
def plan_change_withdraw(request, pk):
    user = _workspace_user(request)
    change = get_object_or_404(PlanChange.objects.filter(revision__in=_revisions(user)).select_related("revision"), pk=pk)
    try:
        services.plan_change_withdraw(change=change, user=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The proposed change was withdrawn."))
    return redirect("planning:revision-detail", pk=change.revision_id)


# Proposing ----------------------------------------------------------------------------------------------


def _decided_plan(delivery_plans, year: str | None) -> DeliveryPlan:
    """The approved or published year to revise: the one asked for (?year=), else the latest."""
    decided = [plan for plan in delivery_plans if plan.status in DECIDED_PLAN_STATUSES]
    if year:
        decided = [plan for plan in decided if str(plan.year) == year]
    if not decided:
        raise Http404(_("No approved delivery plan to revise here."))
    return max(decided, key=lambda plan: plan.year)


def _proposal_initial(revision, obj) -> dict:
    """The values already proposed for this row in the open revision, to continue from."""
    if revision is None or obj.pk is None:
        return {}
    change = revision.plan_changes.filter(target_type__model=obj._meta.model_name, target_id=obj.pk).first()
    if change is None:
        return {}
    initial = {}
    for name, value in change.data.items():
        field = obj._meta.get_field(name)
        initial[name] = value if field.is_relation else field.to_python(value)
    initial["change_reason"] = change.reason
    initial["version"] = change.target_version
    return initial


def _open_revision(user, agency_id, delivery_plan):
    return (
        _revisions(user)
        .filter(
            agency_id=agency_id, period__plan_id=delivery_plan.plan_id, period__year=delivery_plan.year, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
        )
        .first()
    )


def _propose(request, *, obj, model, form_class, delivery_plan, agency_id, title, data_extra=None, instance=None):
    user = request.user
    open_revision = _open_revision(user, agency_id, delivery_plan)
    instance = instance if instance is not None else model._default_manager.get(pk=obj.pk)
    form = form_class(request.POST or None, instance=instance, initial=_proposal_initial(open_revision, obj) if obj is not None else {})
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.revision_open(agency=agency_id, delivery_plan=delivery_plan, user=user)
            services.plan_change_propose(
                revision=revision, model=model, obj=obj, data={**form.proposed(), **(data_extra or {})}, user=user,
                reason=form.cleaned_data["change_reason"], version=form.cleaned_data.get("version") if obj is not None else None,
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The change was added to the revision. Submit the revision when it is complete."))
            return redirect("planning:revision-detail", pk=revision.pk)
    context = {"form": form, "title": title, "delivery_plan": delivery_plan, "obj": obj, "open_revision": open_revision}
    return render(request, "planning/revisions/plan_change_form.html", context)


def _scoped(user, model):
    """The rows of `model` this user may propose changes to: their agency's (all for coordinators)."""
    return roles.editable(user, model._default_manager.all())


@login_required
def propose_activity(request, pk):
    user = _workspace_user(request)
    activity = get_object_or_404(_scoped(user, Activity).prefetch_related("delivery_plans"), pk=pk)
    delivery_plan = _decided_plan(activity.delivery_plans.all(), request.GET.get("year"))
    title = _("Propose a change to the activity %(activity)s") % {"activity": activity.code}
    return _propose(
        request, obj=activity, model=Activity, form_class=ActivityChangeForm, delivery_plan=delivery_plan, agency_id=activity.lead_agency_id, title=title
    )


@login_required
def propose_budget_line(request, pk):
    user = _workspace_user(request)
    line = get_object_or_404(_scoped(user, BudgetLine).select_related("activity", "delivery_plan"), pk=pk)
    delivery_plan = _decided_plan([line.delivery_plan], None)
    title = _("Propose a change to the budget line %(line)s") % {"line": line}
    return _propose(
        request, obj=line, model=BudgetLine, form_class=BudgetLineChangeForm, delivery_plan=delivery_plan, agency_id=line.activity.lead_agency_id, title=title
    )


@login_required
def propose_target(request, pk):
    user = _workspace_user(request)
    period = get_object_or_404(_scoped(user, IndicatorPeriod).select_related("indicator", "period"), pk=pk)
    delivery_plan = _decided_plan(DeliveryPlan.objects.filter(plan_id=period.period.plan_id, year=period.period.year), None)
    title = _("Propose a new target for %(period)s") % {"period": period}
    return _propose(
        request, obj=period, model=IndicatorPeriod, form_class=TargetChangeForm, delivery_plan=delivery_plan,
        agency_id=period.indicator.responsible_agency_id, title=title,
    )  # fmt: skip


@login_required
def propose_new_budget_line(request, pk):
    user = _workspace_user(request)
    activity = get_object_or_404(_scoped(user, Activity).prefetch_related("delivery_plans"), pk=pk)
    delivery_plan = _decided_plan(activity.delivery_plans.all(), request.GET.get("year"))
    title = _("Propose a new budget line for %(activity)s in %(year)s") % {"activity": activity.code, "year": delivery_plan.year}
    return _propose(
        request, obj=None, model=BudgetLine, form_class=BudgetLineChangeForm, delivery_plan=delivery_plan, agency_id=activity.lead_agency_id,
        title=title, data_extra={"activity": activity, "delivery_plan": delivery_plan},
        instance=BudgetLine(activity=activity, delivery_plan=delivery_plan),
    )  # fmt: skip


# Next year ------------------------------------------------------------------------------------------------


@login_required
@require_POST
def plan_open_next(request):
    """A coordinator opens a year's delivery plan, carrying over the unfinished activities."""
    user = _workspace_user(request)
    if not roles.is_coordinator(user):
        raise PermissionDenied
    form = OpenNextYearForm(request.POST)
    if form.is_valid():
        try:
            delivery_plan = services.delivery_plan_open_next(plan=form.cleaned_data["plan"], year=form.cleaned_data["year"], user=user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(plan)s is open as a draft with %(count)s activities. Agencies change it directly until it is approved.")
                % {"plan": delivery_plan, "count": delivery_plan.activities.count()},
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("planning:revision-list")


urlpatterns = [
    path("revisions/", revision_list, name="revision-list"),
    path("revisions/<int:pk>/", revision_detail, name="revision-detail"),
    path("revisions/<int:pk>/review/", revision_review, name="revision-review"),
    path("revisions/changes/<int:pk>/withdraw/", plan_change_withdraw, name="revision-change-withdraw"),
    path("revisions/propose/activity/<int:pk>/", propose_activity, name="revision-propose-activity"),
    path("revisions/propose/budgetline/<int:pk>/", propose_budget_line, name="revision-propose-budget-line"),
    path("revisions/propose/target/<int:pk>/", propose_target, name="revision-propose-target"),
    path("revisions/propose/activity/<int:pk>/budget-line/new/", propose_new_budget_line, name="revision-propose-new-budget-line"),
    path("plans/open-next/", plan_open_next, name="plan-open-next"),
]


# New activities and their budget (wp-newact) ---------------------------------------------------------
#
# In a draft delivery plan an agency adds an activity (then its budget lines) directly; in an approved or
# published one the same form proposes it as a revision change, created when a coordinator approves.


def _new_activity_agency(user, form, instance):
    """The new activity's lead agency: a coordinator's choice, else the focal point's own agency."""
    return form.cleaned_data["lead_agency"] if "lead_agency" in form.fields else instance.lead_agency


@login_required
def activity_new(request, delivery_plan):
    user = _workspace_user(request)
    delivery_plan = get_object_or_404(DeliveryPlan.objects.select_related("plan"), pk=delivery_plan)
    proposing = delivery_plan.status in DECIDED_PLAN_STATUSES
    context = {"delivery_plan": delivery_plan, "proposing": proposing}
    if not proposing and delivery_plan.status != ReviewStatus.DRAFT:  # submitted for approval: frozen
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "planning/revisions/activity_new.html", {**context, "form": None})
    choose_agency = roles.is_coordinator(user)
    instance = Activity() if choose_agency else Activity(lead_agency_id=roles.agency_id_of(user))
    form = NewActivityForm(request.POST or None, instance=instance, delivery_plan=delivery_plan, choose_agency=choose_agency, proposing=proposing)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        values["lead_agency"] = _new_activity_agency(user, form, instance)
        try:
            with transaction.atomic():
                if proposing:
                    revision = services.revision_open(agency=values["lead_agency"], delivery_plan=delivery_plan, user=user)
                    services.plan_change_propose(
                        revision=revision, model=Activity, data={**values, "delivery_plans": [delivery_plan]}, user=user,
                        reason=form.cleaned_data.get("change_reason", ""),
                    )  # fmt: skip
                else:
                    activity = activity_create(**values, delivery_plans=[delivery_plan], user=user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if proposing:
                messages.success(request, _("The new activity was added to the revision. Submit the revision when it is complete."))
                return redirect("planning:revision-detail", pk=revision.pk)
            messages.success(
                request, _("The activity %(code)s was added to %(plan)s. Add its budget for the year.") % {"code": activity.code, "plan": delivery_plan}
            )
            return redirect("planning:activity-budget-line-new", delivery_plan=delivery_plan.pk, pk=activity.pk)
    return render(request, "planning/revisions/activity_new.html", {**context, "form": form})


@login_required
def activity_new_for_period(request, period):
    """From a workspace's yearly period to the new-activity page of that year's delivery plan."""
    _workspace_user(request)
    period = get_object_or_404(ReportingPeriod, pk=period)
    delivery_plan = get_object_or_404(DeliveryPlan, plan_id=period.plan_id, year=period.year)
    return redirect("planning:activity-new", delivery_plan=delivery_plan.pk)


@login_required
def activity_budget_line_new(request, delivery_plan, pk):
    user = _workspace_user(request)
    delivery_plan = get_object_or_404(DeliveryPlan.objects.select_related("plan"), pk=delivery_plan)
    activity = get_object_or_404(roles.workspace_rows(user, Activity.objects.filter(delivery_plans=delivery_plan)), pk=pk)
    if delivery_plan.status in DECIDED_PLAN_STATUSES:  # approved: a new line is a revision change
        return redirect(f"{reverse('planning:revision-propose-new-budget-line', args=[activity.pk])}?year={delivery_plan.year}")
    lines = list(activity.budget_lines.filter(delivery_plan=delivery_plan).select_related("funder").order_by("source", "pk"))
    context = {"delivery_plan": delivery_plan, "activity": activity, "lines": lines}
    if delivery_plan.status != ReviewStatus.DRAFT:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "planning/revisions/budget_line_new.html", {**context, "form": None})
    form = NewBudgetLineForm(request.POST or None, instance=BudgetLine(activity=activity, delivery_plan=delivery_plan))
    if request.method == "POST" and form.is_valid():
        try:
            budget_line_create(activity=activity, delivery_plan=delivery_plan, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The budget line was added."))
            return redirect("planning:activity-budget-line-new", delivery_plan=delivery_plan.pk, pk=activity.pk)
    return render(request, "planning/revisions/budget_line_new.html", {**context, "form": form})


urlpatterns += [
    path("plans/<int:delivery_plan>/activities/new/", activity_new, name="activity-new"),
    path("periods/<int:period>/activities/new/", activity_new_for_period, name="activity-new-for-period"),
    path("plans/<int:delivery_plan>/activities/<int:pk>/budget-lines/new/", activity_budget_line_new, name="activity-budget-line-new"),
]
