"""The focal points' workspace (see planning/urls.py): an agency's work for a reporting period, its
progress report, and the plain forms its items are reported on.

Every object is fetched through a queryset scoped by planning.roles (`workspace_rows`,
`workspace_agencies`, `visible_reports`): a focal point of agency A gets a 404 for agency B's
report, items and forms, by link or by POST. Every write goes through planning.services, which
refuse a submitted report's values; a refusal shows as a message, never a 500. Nothing here reads
the events app: an activity's item page leaves the block `delivered_by_events` for it.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from napwps import history

from .. import roles, selectors, services
from ..forms import add_service_errors
from ..forms.workspace import ActivityProgressForm, BreakdownForm, BudgetExecutionForm, IndicatorActualForm, ReportNarrativeForm, ReportSubmitForm
from ..models import (
    Activity,
    ActivityProgress,
    BudgetExecution,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Frequency,
    Indicator,
    IndicatorPeriod,
    Measure,
    Organisation,
    PeriodKind,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
    ReviewComment,
    ValueKind,
)
from ..services import reporting
from .workspace_exports import export_years

# The indicators that report in a period of each kind, by their frequency.
FREQUENCY_OF_KIND = {
    PeriodKind.ANNUAL: Frequency.ANNUAL,
    PeriodKind.HALF_YEAR: Frequency.SEMI_ANNUAL,
    PeriodKind.QUARTER: Frequency.QUARTERLY,
    PeriodKind.MID_TERM: Frequency.MID_TERM_AND_FINAL,
    PeriodKind.FINAL: Frequency.MID_TERM_AND_FINAL,
}


def workspace_view(view):
    """Signed-in users who may use the workspace; anyone else signed in gets a 403."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.can_use_workspace(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


# Reading an agency's period ------------------------------------------------------------------------


@dataclass
class Row:
    """One thing to report on: an activity, an indicator or a budget line, with its working item for
    the period (None when nothing was reported yet), the review comments on that item, and its form."""

    obj: object
    item: object | None
    edit_url: str
    comments: list = field(default_factory=list)
    computed: bool = False


@dataclass
class PeriodWork:
    agency: Organisation
    period: ReportingPeriod
    report: ProgressReport | None
    activities: list[Row]
    indicators: list[Row]
    budget: list[Row]

    @property
    def rows(self) -> list[Row]:
        return [*self.activities, *self.indicators, *self.budget]

    def counts(self) -> list[tuple[str, int, int]]:
        """(what, reported, total) per group."""
        return [
            (_("Activities with their yearly progress"), sum(row.item is not None for row in self.activities), len(self.activities)),
            (
                _("Indicators with an actual"),
                sum(row.item is not None and (row.item.actual_value is not None or bool(row.item.actual_text_vi.strip())) for row in self.indicators),
                len(self.indicators),
            ),
            (_("Budget lines with execution"), sum(row.item is not None and not row.item.is_empty for row in self.budget), len(self.budget)),
        ]

    def budget_totals(self) -> dict[str, Decimal]:
        totals = {"planned": Decimal(0), "committed_vnd": Decimal(0), "disbursed_vnd": Decimal(0), "spent_vnd": Decimal(0)}
        for row in self.budget:
            totals["planned"] += row.obj.amount_vnd or 0
            for amount, _day in BudgetExecution.FIGURES:
                totals[amount] += (getattr(row.item, amount) if row.item is not None else None) or 0
        return totals

    def comment_count(self) -> int:
        return sum(len(row.comments) for row in self.rows)


def _comments_by_item(report: ProgressReport | None) -> dict[tuple[int, int], list[ReviewComment]]:
    comments: dict[tuple[int, int], list] = {}
    if report is not None:
        for comment in report.comments.select_related("author").order_by("created_at", "pk"):
            comments.setdefault((comment.item_type_id, comment.item_id), []).append(comment)
    return comments


def period_work(*, agency: Organisation, period: ReportingPeriod, report: ProgressReport | None = None) -> PeriodWork:
    """What an agency reports on for a period, each with its working item: the activities it leads in
    the year's delivery plan, its indicators that report in such a period, the budget lines of its
    activities for the year. A fixed number of queries, whatever the size of the plan."""
    report = report if report is not None else reporting.latest_report(agency_id=agency.pk, period=period)
    comments = _comments_by_item(report)
    types = ContentType.objects.get_for_models(ActivityProgress, IndicatorPeriod, BudgetExecution)
    activities, budget = [], []
    if period.kind == PeriodKind.ANNUAL:
        delivery_plan = DeliveryPlan.objects.filter(plan_id=period.plan_id, year=period.year).first()
        if delivery_plan is not None:
            progress = {item.activity_id: item for item in ActivityProgress.objects.filter(activity__lead_agency=agency, delivery_plan=delivery_plan)}
            for activity in Activity.objects.filter(lead_agency=agency, delivery_plans=delivery_plan).order_by("order", "code"):
                item = progress.get(activity.pk)
                activities.append(
                    Row(
                        activity, item, reverse("planning:activity-progress-edit", args=[period.pk, activity.pk]),
                        comments.get((types[ActivityProgress].pk, item.pk), []) if item else [],
                    )
                )  # fmt: skip
            lines = (
                BudgetLine.objects.filter(activity__lead_agency=agency, delivery_plan=delivery_plan)
                .select_related("activity", "funder", "execution")
                .order_by("activity__order", "activity__code", "source", "pk")
            )
            for line in lines:
                item = getattr(line, "execution", None)
                budget.append(
                    Row(
                        line,
                        item,
                        reverse("planning:budget-execution-edit", args=[line.pk]),
                        comments.get((types[BudgetExecution].pk, item.pk), []) if item else [],
                    )
                )
    stored = {
        item.indicator_id: item
        for item in IndicatorPeriod.objects.filter(indicator__responsible_agency=agency, period=period).prefetch_related(
            Prefetch("disaggregated_values", queryset=DisaggregatedValue.objects.select_related("disaggregation").order_by("disaggregation__order", "category"))
        )
    }
    indicators = []
    wanted = Q(frequency=FREQUENCY_OF_KIND[period.kind]) | Q(pk__in=list(stored))
    for indicator in (
        Indicator.objects.filter(wanted, responsible_agency=agency, plan_id=period.plan_id)
        .select_related("event_rule")
        .prefetch_related("disaggregations")
        .order_by("order", "code")
    ):
        item = stored.get(indicator.pk)
        indicators.append(
            Row(
                indicator, item, reverse("planning:indicator-actual-edit", args=[period.pk, indicator.pk]),
                comments.get((types[IndicatorPeriod].pk, item.pk), []) if item else [], services.is_computed(indicator),
            )
        )  # fmt: skip
    return PeriodWork(agency=agency, period=period, report=report, activities=activities, indicators=indicators, budget=budget)


def current_period(periods: list[ReportingPeriod], reports: dict[int, ProgressReport]) -> ReportingPeriod | None:
    """The earliest year that has started and whose report is not approved yet; else the latest year
    that has started (else the first year)."""
    today = timezone.localdate()
    annual = [period for period in periods if period.kind == PeriodKind.ANNUAL]
    started = [period for period in annual if period.start <= today]
    for period in started:
        report = reports.get(period.pk)
        if report is None or not report.is_decided:
            return period
    if started:
        return started[-1]
    return annual[0] if annual else (periods[0] if periods else None)


def days_left(period: ReportingPeriod) -> int | None:
    return (period.due_date - timezone.localdate()).days if period.due_date else None


def agency_plan(agency: Organisation) -> Plan | None:
    """The plan an agency works on: the latest that it leads activities or answers for indicators in."""
    plans = Plan.objects.filter(
        Q(pk__in=Activity.objects.filter(lead_agency=agency).values("plan_id"))
        | Q(pk__in=Indicator.objects.filter(responsible_agency=agency).values("plan_id"))
    )
    return plans.order_by("-start_year", "-pk").first() or Plan.objects.order_by("-start_year", "-pk").first()


def _returned_items(work: PeriodWork) -> list[Row]:
    return [row for row in work.rows if row.comments]


@workspace_view
def workspace_home(request):
    user = request.user
    agencies = roles.workspace_agencies(user, Organisation.objects.all())
    requested = request.GET.get("agency", "")
    if requested:
        if not requested.isdigit() or not Organisation.objects.filter(pk=requested).exists():
            raise Http404
        agency = agencies.filter(pk=requested).first()
        if agency is None:
            raise PermissionDenied
    elif roles.is_coordinator(user):
        agency = None
    else:
        agency = agencies.get(pk=roles.agency_id_of(user))
    choices = None
    if roles.is_coordinator(user):
        choices = Organisation.objects.filter(Q(led_activities__isnull=False) | Q(indicators__isnull=False)).distinct().order_by("level", "name_vi")
    if agency is None:
        return render(request, "planning/workspace/home.html", {"agency": None, "agency_choices": choices, "export_years": export_years()})

    requested_period = request.GET.get("period", "")
    if requested_period:
        if not requested_period.isdigit():
            raise Http404
        period = get_object_or_404(ReportingPeriod, pk=requested_period)
        plan = period.plan
    else:
        period, plan = None, agency_plan(agency)
    if plan is None:
        return render(request, "planning/workspace/home.html", {"agency": agency, "agency_choices": choices, "periods": [], "export_years": export_years()})
    if not ReportingPeriod.objects.filter(plan=plan, kind=PeriodKind.ANNUAL).exists():
        reporting.reporting_calendar_ensure(plan=plan)  # once per plan: its years and reviews
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("end", "start", "kind", "number"))
    reports = {}
    for report in ProgressReport.objects.filter(kind=ReportKind.PROGRESS, agency=agency, period__plan=plan).order_by("revision"):
        reports[report.period_id] = report  # the latest revision wins
    period = period or current_period(periods, reports)
    report = reports.get(period.pk) if period else None
    work = period_work(agency=agency, period=period, report=report) if period else None
    missing = selectors.report_missing(agency_id=agency.pk, period=period) if period else []
    if work is not None:
        reported = {row.item.indicator_id for row in work.indicators if row.item is not None}
        missing += [
            selectors.Missing("actual", row.obj, _("%(indicator)s: no actual for %(period)s.") % {"indicator": row.obj.code, "period": period})
            for row in work.indicators
            if row.obj.pk not in reported
        ]
    edit_urls = {}
    if work is not None:
        for row in work.rows:
            edit_urls[(type(row.obj), row.obj.pk)] = row.edit_url
            if row.item is not None:
                edit_urls[(type(row.item), row.item.pk)] = row.edit_url
    missing_rows = [(entry, edit_urls.get((type(entry.obj), entry.obj.pk))) for entry in missing]
    transitions = list(report.transitions.select_related("user").order_by("at", "pk")) if report else []
    returned = [transition for transition in transitions if transition.to_status == ReportStatus.RETURNED]
    left = days_left(period) if period else None
    context = {
        "agency": agency,
        "agency_choices": choices,
        "plan": plan,
        "periods": [(option, reports.get(option.pk)) for option in periods],
        "period": period,
        "days_left": left,
        "days_overdue": -left if left is not None and left < 0 else None,
        "report": report,
        "transitions": transitions,
        "last_return": returned[-1] if returned and report.status == ReportStatus.RETURNED else None,
        "returned_items": _returned_items(work) if work else [],
        "work": work,
        "missing": missing_rows,
        "can_write": roles.can_write_report(user, agency.pk),
        "export_years": export_years(),
    }
    return render(request, "planning/workspace/home.html", context)


# The report ----------------------------------------------------------------------------------------


def visible_report(request, pk) -> ProgressReport:
    queryset = roles.visible_reports(request.user, ProgressReport.objects.select_related("agency", "period__plan", "submitted_by", "decided_by"))
    return get_object_or_404(queryset, pk=pk)


def _is_latest(report: ProgressReport) -> bool:
    return not ProgressReport.objects.filter(kind=report.kind, agency_id=report.agency_id, period_id=report.period_id, revision__gt=report.revision).exists()


def _report_page(request, report: ProgressReport, *, narrative_form=None, status=200):
    can_write = roles.can_write_report(request.user, report.agency_id)
    latest = _is_latest(report)
    editable = can_write and latest and report.is_open
    work = period_work(agency=report.agency, period=report.period, report=report) if report.kind == ReportKind.PROGRESS else None
    if narrative_form is None and editable:
        narrative_form = ReportNarrativeForm(instance=report)
    context = {
        "report": report,
        "work": work,
        "latest": latest,
        "can_write": can_write,
        "editable": editable,
        "can_correct": can_write and latest and report.is_decided,
        "narrative_form": narrative_form,
        "transitions": report.transitions.select_related("user").order_by("at", "pk"),
        "report_comments": report.comments.filter(item_id__isnull=True).select_related("author").order_by("created_at", "pk"),
        "budget_totals": work.budget_totals() if work else None,
    }
    return render(request, "planning/workspace/report_detail.html", context, status=status)


@workspace_view
def report_detail(request, pk):
    return _report_page(request, visible_report(request, pk))


def _conflict_data(request, form_class, current_version: int):
    """The user's input, with the version now stored: saving it again, after reading what changed, is a
    deliberate choice."""
    data = request.POST.copy()
    data["version"] = str(form_class.base_fields["version"].prepare_value(current_version))
    return data


@workspace_view
@require_POST
def report_narrative(request, pk):
    report = visible_report(request, pk)
    if not roles.can_write_report(request.user, report.agency_id):
        raise PermissionDenied
    form = ReportNarrativeForm(request.POST, instance=ProgressReport.objects.get(pk=report.pk))
    if form.is_valid():
        try:
            reporting.report_narrative_save(
                report=form.instance, user=request.user, narrative_vi=form.cleaned_data["narrative_vi"], narrative_en=form.cleaned_data["narrative_en"]
            )
        except services.EditConflict as conflict:
            fresh = ProgressReport.objects.get(pk=report.pk)
            form = ReportNarrativeForm(_conflict_data(request, ReportNarrativeForm, fresh.version), instance=fresh)
            form.is_valid()
            form.add_error(None, conflict)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(report.get_absolute_url())
        else:
            messages.success(request, _("The narrative is saved."))
            return redirect(report.get_absolute_url())
    return _report_page(request, ProgressReport.objects.get(pk=report.pk), narrative_form=form, status=200)


@workspace_view
def report_submit(request, pk):
    """A confirmation page (what is missing, a comment), then the submission by POST."""
    report = visible_report(request, pk)
    if not roles.can_write_report(request.user, report.agency_id):
        raise PermissionDenied
    form = ReportSubmitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reporting.report_submit(report=report, user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The report is submitted. It is locked until a coordinator returns it."))
        return redirect(report.get_absolute_url())
    work = period_work(agency=report.agency, period=report.period, report=report) if report.kind == ReportKind.PROGRESS else None
    context = {
        "report": report,
        "form": form,
        "work": work,
        "missing": selectors.report_missing(agency_id=report.agency_id, period=report.period) if work else [],
    }
    return render(request, "planning/workspace/report_submit.html", context)


@workspace_view
@require_POST
def report_open(request, agency, period):
    """Open the agency's report for a period (a draft, or the correction of an approved one)."""
    agency = get_object_or_404(roles.workspace_agencies(request.user, Organisation.objects.all()), pk=agency)
    period = get_object_or_404(ReportingPeriod, pk=period)
    try:
        report = reporting.report_open(agency=agency, period=period, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('planning:workspace')}?{urlencode({'agency': agency.pk, 'period': period.pk})}")
    return redirect(report.get_absolute_url())


# The items -----------------------------------------------------------------------------------------


def _item_context(item, *, agency_id: int, period: ReportingPeriod) -> dict:
    """The report an item belongs to and the coordinators' comments on it."""
    report = reporting.latest_report(agency_id=agency_id, period=period)
    comments = []
    if item is not None and item.pk is not None:
        comments = list(
            ReviewComment.objects.filter(item_type=ContentType.objects.get_for_model(type(item)), item_id=item.pk)
            .select_related("author", "report")
            .order_by("created_at", "pk")
        )
    return {"report": report, "locked": report is not None and report.status == ReportStatus.SUBMITTED, "comments": comments, "period": period}


def _after_save(request, *, agency_id: int, period: ReportingPeriod):
    messages.success(request, _("Saved."))
    report = reporting.latest_report(agency_id=agency_id, period=period)
    if report is not None:
        return redirect(report.get_absolute_url())
    return redirect(f"{reverse('planning:workspace')}?{urlencode({'agency': agency_id, 'period': period.pk})}")


def _save_form(request, form, save, *, fresh, rebuild):
    """Hand a valid form's instance to `save`; an outdated form comes back with the user's input and
    what the other person changed; a refusal beside its field. Returns the form to show, or None once saved."""
    if not form.is_valid():
        return form
    try:
        save(form)
    except services.EditConflict as conflict:
        current = fresh()
        form = rebuild(_conflict_data(request, type(form), current.version), current)
        form.is_valid()
        form.add_error(None, conflict)
        return form
    except ValidationError as error:
        add_service_errors(form, error)
        return form
    return None


def _annual_period(pk) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod.objects.annual(), pk=pk)


@workspace_view
def activity_progress_edit(request, period, pk):
    period = _annual_period(period)
    activities = roles.workspace_rows(request.user, Activity.objects.select_related("lead_agency", "output"))
    activity = get_object_or_404(activities.filter(delivery_plans__plan_id=period.plan_id, delivery_plans__year=period.year), pk=pk)
    delivery_plan = DeliveryPlan.objects.get(plan_id=period.plan_id, year=period.year)
    progress = reporting.activity_progress_for(activity=activity, delivery_plan=delivery_plan)
    form = ActivityProgressForm(request.POST or None, instance=progress)
    if request.method == "POST":

        def fresh():
            return reporting.activity_progress_for(activity=activity, delivery_plan=delivery_plan)

        form = _save_form(
            request, form, lambda form: reporting.activity_progress_save(progress=form.instance, user=request.user),
            fresh=fresh, rebuild=lambda data, instance: ActivityProgressForm(data, instance=instance),
        )  # fmt: skip
        if form is None:
            return _after_save(request, agency_id=activity.lead_agency_id, period=period)
    context = {
        "activity": activity, "item": progress, "form": form, "deliveries": selectors.deliveries(activity, year=period.year),
        **_item_context(progress, agency_id=activity.lead_agency_id, period=period),
    }  # fmt: skip
    return render(request, "planning/workspace/activity_progress_form.html", context)


@workspace_view
def budget_execution_edit(request, pk):
    lines = roles.workspace_rows(request.user, BudgetLine.objects.select_related("activity", "delivery_plan", "funder"))
    line = get_object_or_404(lines, pk=pk)
    period = reporting.annual_period(plan=line.delivery_plan.plan_id, year=line.delivery_plan.year)
    execution = reporting.budget_execution_for(line=line)
    form = BudgetExecutionForm(request.POST or None, instance=execution)
    if request.method == "POST":
        form = _save_form(
            request, form, lambda form: reporting.budget_execution_save(execution=form.instance, user=request.user),
            fresh=lambda: reporting.budget_execution_for(line=line), rebuild=lambda data, instance: BudgetExecutionForm(data, instance=instance),
        )  # fmt: skip
        if form is None:
            return _after_save(request, agency_id=line.activity.lead_agency_id, period=period)
    context = {"line": line, "item": execution, "form": form, **_item_context(execution, agency_id=line.activity.lead_agency_id, period=period)}
    return render(request, "planning/workspace/budget_execution_form.html", context)


def _indicator_and_period(request, period, pk):
    period = get_object_or_404(ReportingPeriod, pk=period)
    indicators = roles.workspace_rows(request.user, Indicator.objects.select_related("responsible_agency", "event_rule"))
    indicator = get_object_or_404(indicators.filter(plan_id=period.plan_id), pk=pk)
    return indicator, period


def _indicator_period(indicator: Indicator, period: ReportingPeriod) -> IndicatorPeriod:
    """The indicator's row for the period, unsaved when none was recorded yet."""
    return IndicatorPeriod.objects.filter(indicator=indicator, period=period).first() or IndicatorPeriod(indicator=indicator, period=period)


def _breakdown_values(item: IndicatorPeriod, kind: str) -> dict[tuple[int, str], DisaggregatedValue]:
    if item.pk is None:
        return {}
    return {(value.disaggregation_id, value.category): value for value in item.disaggregated_values.filter(kind=kind).select_related("disaggregation")}


@workspace_view
def indicator_actual_edit(request, period, pk):
    """A period's actual with its breakdown, saved together by services.indicator_period_save (which
    checks the breakdown's sums); for an indicator counted from events, the count to confirm."""
    indicator, period = _indicator_and_period(request, period, pk)
    item = _indicator_period(indicator, period)
    computed = services.is_computed(indicator)
    # A qualitative actual is not broken down.
    disaggregations = list(indicator.disaggregations.order_by("order", "code")) if indicator.measure != Measure.QUALITATIVE else []
    stored = _breakdown_values(item, ValueKind.ACTUAL)
    form = breakdown = None
    if not computed:
        data = request.POST if request.method == "POST" else None
        form = IndicatorActualForm(data, instance=item)
        breakdown = BreakdownForm(data, indicator=indicator, disaggregations=disaggregations, stored=stored)
        if request.method == "POST":

            def save(form):
                if not breakdown.is_valid():
                    raise ValidationError(_("Correct the breakdown below."))
                changed, deleted = _breakdown_changes(form.instance, stored, breakdown.entered(), disaggregations)
                services.indicator_period_save(
                    period=form.instance, user=request.user, reason=_actual_reason(), disaggregated_values=changed, deleted_values=deleted
                )

            def rebuild(data, instance):
                nonlocal breakdown
                breakdown = BreakdownForm(data, indicator=indicator, disaggregations=disaggregations, stored=stored)
                breakdown.is_valid()
                return IndicatorActualForm(data, instance=instance)

            breakdown.is_valid()
            form = _save_form(request, form, save, fresh=lambda: _indicator_period(indicator, period), rebuild=rebuild)
            if form is None:
                return _after_save(request, agency_id=indicator.responsible_agency_id, period=period)
    proposed = _breakdown_values(item, ValueKind.PROPOSED)
    context = {
        "indicator": indicator,
        "item": item,
        "form": form,
        "breakdown": breakdown,
        "computed": computed,
        "proposed": sorted(proposed.values(), key=lambda value: (value.disaggregation.order, value.disaggregation_id, value.category)),
        **_item_context(item, agency_id=indicator.responsible_agency_id, period=period),
    }
    return render(request, "planning/workspace/indicator_actual_form.html", context)


def _actual_reason() -> str:
    return history.reason(gettext_noop("Actual reported in the workspace"))


def _breakdown_changes(item: IndicatorPeriod, stored: dict, entered: dict, disaggregations) -> tuple[list, list]:
    """The breakdown values to save (new or changed) and to delete (emptied), for the required
    disaggregations only: other stored values are left as they are."""
    required = {disaggregation.pk: disaggregation for disaggregation in disaggregations}
    changed, deleted = [], []
    for key, value in stored.items():
        if key[0] in required and key not in entered:
            deleted.append(value)
    for (disaggregation_id, category), parts in entered.items():
        value = stored.get((disaggregation_id, category)) or DisaggregatedValue(
            period=item, kind=ValueKind.ACTUAL, disaggregation=required[disaggregation_id], category=category
        )
        before = {part: getattr(value, part) for part in parts}
        for part, number in parts.items():
            setattr(value, part, number)
        if value.pk is None or any(before[part] != parts[part] for part in parts):
            changed.append(value)
    return changed, deleted


@workspace_view
@require_POST
def indicator_actual_confirm(request, period, pk):
    """Take the count from events as the actual ("Confirm this count")."""
    indicator, period = _indicator_and_period(request, period, pk)
    item = get_object_or_404(IndicatorPeriod, indicator=indicator, period=period)
    try:
        reporting.proposed_actual_confirm(period=item, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("planning:indicator-actual-edit", args=[period.pk, indicator.pk]))
    messages.success(request, _("The count from events is now the actual, in your report for review."))
    return _after_save_redirect(indicator, period)


def _after_save_redirect(indicator, period):
    report = reporting.latest_report(agency_id=indicator.responsible_agency_id, period=period)
    if report is not None:
        return redirect(report.get_absolute_url())
    return redirect(reverse("planning:indicator-actual-edit", args=[period.pk, indicator.pk]))


urlpatterns = [
    path("", workspace_home, name="workspace"),
    path("reports/<int:pk>/", report_detail, name="report-detail"),
    path("reports/<int:pk>/narrative/", report_narrative, name="report-narrative"),
    path("reports/<int:pk>/submit/", report_submit, name="report-submit"),
    path("agencies/<int:agency>/periods/<int:period>/open/", report_open, name="report-open"),
    path("periods/<int:period>/activities/<int:pk>/", activity_progress_edit, name="activity-progress-edit"),
    path("periods/<int:period>/indicators/<int:pk>/", indicator_actual_edit, name="indicator-actual-edit"),
    path("periods/<int:period>/indicators/<int:pk>/confirm/", indicator_actual_confirm, name="indicator-actual-confirm"),
    path("budget-lines/<int:pk>/execution/", budget_execution_edit, name="budget-execution-edit"),
]
