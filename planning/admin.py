"""The MOFA coordinators' admin: every model of the plan, in Vietnamese by default.

Focal points use the same admin: they see the whole plan and change only their own agency's rows
(roles.can_edit), checked on every object and on every POST, not only hidden in menus.
"""

from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers as admin_helpers
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.utils import display_for_field as django_display_for_field
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from napwps import formatting
from napwps.bilingual import render

from . import roles, selectors, services
from .forms import (
    ActivityForm,
    BudgetLineForm,
    BudgetLineFormSet,
    DisaggregatedValueForm,
    DisaggregatedValueFormSet,
    ReasonModelForm,
    ReasonUserChangeForm,
    ReportedItemForm,
    ServiceCheckedForm,
    VersionedForm,
    VersionedReasonForm,
    VersionedServiceForm,
    province_label,
)
from .models import (
    STATUS_COLOURS,
    Activity,
    ActivityProgress,
    ActivityStatus,
    ApprovedValue,
    BudgetExecution,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Disaggregation,
    FrameworkReference,
    Indicator,
    IndicatorPeriod,
    MeansOfImplementation,
    Membership,
    MonthField,
    Objective,
    Organisation,
    Output,
    Plan,
    ProgressReport,
    Province,
    ProvinceSuccession,
    ReportingPeriod,
    ReportTransition,
    ReviewComment,
    Sector,
    SubTask,
    TaskGroup,
)
from .models.fields import MonthFormField, QuantityFormField
from .services import reporting

admin.site.site_header = _("NAP on Women, Peace and Security 2024–2030")
admin.site.site_title = _("NAP WPS portal")
admin.site.index_title = _("Plan administration")
admin.site.site_url = None  # no public site yet (step 3)

DEFAULT_REASON = _("Created")


def display_for_field(value, field, empty_value_display, avoid_link=False):
    """Django's read-only display of a model field, except decimals: napwps.formatting.number, so
    a whole number never shows ",00" (a computed actual of 12 reads "12", not "12,00").

    Django's admin has no hook for this: its change lists (admin_list) and read-only fields
    (helpers) call django.contrib.admin.utils.display_for_field directly, so both are pointed here.
    """
    if isinstance(field, models.DecimalField) and value is not None and not getattr(field, "flatchoices", None):
        return formatting.number(value)
    return django_display_for_field(value, field, empty_value_display, avoid_link=avoid_link)


admin_helpers.display_for_field = admin_list.display_for_field = display_for_field


def vnd(amount) -> str:
    """An amount in VND the reader's way: "1.234.567 ₫" in Vietnamese, "VND 1,234,567" in English."""
    return formatting.money(amount or 0)


def change_reason(form) -> str:
    return form.cleaned_data.get("change_reason") or str(DEFAULT_REASON)


def form_relations(form) -> dict:
    """The many-to-many values a model form was given, for the service to set."""
    return {field.name: form.cleaned_data[field.name] for field in form._meta.model._meta.many_to_many if field.name in form.cleaned_data}


def service_check_for(request):
    return staticmethod(partial(services.record_check, user=request.user))


class HistoryReasonMixin:
    """The admin as one more caller of the services: every save and delete, inlines included, goes
    through planning.services with the user and the form's reason for the history; the forms ask the
    same services first (services.record_check), so a refusal shows beside its field."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, ServiceCheckedForm):
            form.service_check = self.form_check(request)
        conflict = getattr(request, "_edit_conflict", None)
        return with_conflict(form, conflict) if conflict is not None else form

    def form_check(self, request):
        return service_check_for(request)

    def save_model(self, request, obj, form, change):
        """Saved in save_related, with its relations and inline rows, by the service."""

    def save_related(self, request, form, formsets, change):
        if not (isinstance(form, VersionedForm) and form.instance.pk is not None and not form.model_changed()):
            services.record_save(obj=form.instance, user=request.user, reason=change_reason(form), m2m=form_relations(form))
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        reason = change_reason(form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.record_delete(obj=obj, user=request.user, reason=reason)
        for obj in instances:
            reported_item_save(obj, user=request.user, reason=reason)

    def delete_model(self, request, obj):
        services.record_delete(obj=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        """All or nothing: one row the services refuse keeps every selected row, with the reason."""
        try:
            with transaction.atomic():
                for obj in queryset:
                    services.record_delete(obj=obj, user=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def delete_view(self, request, object_id, extra_context=None):
        """A deletion the service refuses (an approved plan's row) is a message, never an error page."""
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def _changeform_view(self, request, object_id, form_url, extra_context):
        """Someone saved a row of this page between the check of the forms and their save (the
        service's save refused it: services.EditConflict): nothing of the page is kept, and the page
        comes back with the user's input and what the other person changed."""
        try:
            with transaction.atomic():
                return super()._changeform_view(request, object_id, form_url, extra_context)
        except services.EditConflict as conflict:
            if getattr(request, "_edit_conflict", None) is not None:
                raise
            request._edit_conflict = conflict
            return super()._changeform_view(request, object_id, form_url, extra_context)


def with_conflict(form_class, conflict):
    """The form class again, showing a conflict met at save time above the fields (unless the form
    already explains why it cannot be saved)."""

    class RefusedForm(form_class):
        def clean(self):
            cleaned_data = super().clean()
            if not self.non_field_errors():
                self.add_error(None, conflict)
            return cleaned_data

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


def reported_item_save(obj, *, user, reason: str):
    """An inline row through the service that owns it: a reported item joins its agency's report."""
    if isinstance(obj, ActivityProgress):
        return reporting.activity_progress_save(progress=obj, user=user, reason=reason)
    if isinstance(obj, BudgetExecution):
        return reporting.budget_execution_save(execution=obj, user=user, reason=reason)
    return services.record_save(obj=obj, user=user, reason=reason)


def reported_item_check(item, *, user, **relations) -> None:
    """What reporting's savers check first: who may write it, and that its report is not submitted."""
    if not roles.can_edit(user, item):
        raise PermissionDenied(f"{user} may not write {item}.")
    reporting.item_check_open(item, user=user)


# Pickers: what a focal point may choose, in forms and in autocomplete answers alike.
OWNED_PICKERS = {("budgetline", "activity"), ("indicatorperiod", "indicator"), ("indicator", "activity")}
AGENCY_PICKERS = {("activity", "lead_agency"), ("indicator", "responsible_agency")}


def picker_queryset(user, model_name: str, field_name: str, queryset):
    """The rows a picker of `model_name.field_name` offers this user: a focal point picks only their
    own agency's activities and indicators, and only their own agency as the owner."""
    if roles.is_coordinator(user):
        return queryset
    if (model_name, field_name) in OWNED_PICKERS:
        return roles.editable(user, queryset)
    if (model_name, field_name) in AGENCY_PICKERS:
        agency = roles.user_agency(user)
        return queryset.filter(pk=agency.pk if agency else None)
    return queryset


def current_provinces_first(queryset):
    return queryset.order_by(F("valid_to").desc(nulls_first=True), "code")


class PickerMixin:
    """Foreign-key and many-to-many pickers of this page: restricted for focal points, provinces current first and labelled."""

    def _picker(self, db_field, request, kwargs):
        model = db_field.related_model
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(None, db_field, request)
            queryset = model._default_manager.all() if queryset is None else queryset
        restricted = picker_queryset(request.user, self.model._meta.model_name, db_field.name, queryset)
        if model is Province:
            restricted = current_provinces_first(restricted)
        if restricted is not queryset or "queryset" in kwargs:
            kwargs["queryset"] = restricted

    @staticmethod
    def _labelled(db_field, field):
        if db_field.related_model is Province and field is not None:
            field.label_from_instance = province_label
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._picker(db_field, request, kwargs)
        return self._labelled(db_field, super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._picker(db_field, request, kwargs)
        return self._labelled(db_field, super().formfield_for_manytomany(db_field, request, **kwargs))

    def get_search_results(self, request, queryset, search_term):
        """An autocomplete asks for a field (model_name, field_name): answer with what that picker offers."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = picker_queryset(request.user, request.GET.get("model_name", ""), request.GET.get("field_name", ""), queryset)
        return queryset, may_have_duplicates


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """Autocomplete answers labelled as the pickers label them (a former province says so)."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Province):
            result["text"] = province_label(obj)
        return result


admin.site.autocomplete_view = lambda request: PortalAutocompleteJsonView.as_view(admin_site=admin.site)(request)


# Months typed as months; decimals shown without trailing zeros (25, not 25.00), in pages and inlines alike.
FORMFIELD_OVERRIDES = {MonthField: {"form_class": MonthFormField}, models.DecimalField: {"form_class": QuantityFormField}}
# Rows of a report typed several to a page: short text boxes.
REPORTED_ITEM_OVERRIDES = {**FORMFIELD_OVERRIDES, models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


class ScopedHistoryMixin:
    """A row's history only for someone who may see the row: simple-history would otherwise show the
    last recorded state of any row to anyone with the model's view permission."""

    def _check_visible(self, request, object_id):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class DraftsInlineMixin:
    """An inline of working values (a year's progress, actuals, execution): shown only to those who
    may read the parent's agency's drafts (planning.roles.sees_drafts_of)."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (obj is None or roles.sees_drafts_of(request.user, obj))


class PlanModelAdmin(ScopedHistoryMixin, HistoryReasonMixin, PickerMixin, SimpleHistoryAdmin):
    form = ReasonModelForm
    view_on_site = False

    @admin.display(description=_("title"), ordering="title_vi")
    def title_display(self, obj):
        return render(obj.title)

    formfield_overrides = FORMFIELD_OVERRIDES
    list_per_page = 50

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if self.has_change_permission(request, obj) or obj is None:
            fieldsets = [(name, {**opts, "fields": [f for f in opts["fields"] if f != "change_reason"]}) for name, opts in fieldsets]
            fieldsets.append((_("History"), {"fields": ["change_reason"]}))
        return fieldsets


class OwnedByAgencyAdmin(PlanModelAdmin):
    """Rows that belong to one agency: focal points change only their own agency's rows."""

    agency_field = ""

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return roles.can_edit(request.user, obj)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            # Bulk deletion would bypass the per-row check: coordinators only.
            return roles.is_coordinator(request.user)
        return roles.can_edit(request.user, obj)


class ServiceInline(PickerMixin):
    """An inline whose rows the services check and save (see HistoryReasonMixin)."""

    form = ServiceCheckedForm
    formfield_overrides = FORMFIELD_OVERRIDES
    checked_by_formset = False  # the formset checks its rows together with the parent's new values

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.user = request.user
        formset.form.service_check = None if self.checked_by_formset else service_check_for(request)
        return formset


class ParentOwnedInline(ServiceInline):
    """An inline that may be changed exactly when its parent row may."""

    def _parent_allows(self, request, obj):
        return obj is None or roles.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj)


def selected_year(request) -> int | None:
    """The year the list is filtered to (YearFilter), or None."""
    try:
        return int(request.GET.get(YearFilter.parameter_name, ""))
    except ValueError:
        return None


class YearFilter(admin.SimpleListFilter):
    """Rows of one year's delivery plan; the budget columns then add up that year only."""

    title = _("year")
    parameter_name = "year"

    def __init__(self, request, params, model, model_admin):
        self.year_filter = model_admin.year_filter
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [(year, year) for year in DeliveryPlan.objects.order_by("year").values_list("year", flat=True).distinct()]

    def queryset(self, request, queryset):
        year = selected_year(request)
        return queryset if year is None else queryset.filter(self.year_filter(year))


class BudgetColumnsMixin:
    """Budget total and funding gap columns, computed by selectors.with_budget_totals in one query,
    for the year the list is filtered to (all years when none is)."""

    year_filter = None  # year -> Q of the rows in that year's delivery plan

    def get_queryset(self, request):
        return selectors.with_budget_totals(super().get_queryset(request), year=selected_year(request))

    @admin.display(description=_("budget"), ordering="budget_estimated")
    def budget_total(self, obj):
        return vnd(obj.budget_estimated)

    @admin.display(description=_("funding gap"), ordering="budget_gap")
    def funding_gap(self, obj):
        return vnd(obj.budget_gap)


class IndicatorObjectiveFilter(admin.SimpleListFilter):
    """Indicators of an objective at any level below it: its own, its outputs' and its activities'."""

    title = _("specific objective")
    parameter_name = "under_objective"

    def lookups(self, request, model_admin):
        return [(objective.pk, str(objective)) for objective in Objective.objects.order_by("plan", "order", "code")]

    def queryset(self, request, queryset):
        if self.value():
            objective = self.value()
            return queryset.filter(Q(objective=objective) | Q(output__objective=objective) | Q(activity__output__objective=objective))
        return queryset


# Reference data -------------------------------------------------------------------------------


class ProvinceSuccessionInline(admin.TabularInline):
    model = ProvinceSuccession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0
    verbose_name = _("became")
    verbose_name_plural = _("became (from 1 July 2025)")


@admin.register(Province)
class ProvinceAdmin(PlanModelAdmin):
    list_display = ["code", "name_vi", "name_en", "kind", "valid_from", "valid_to"]
    list_filter = ["kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name_vi", "name_en", "former_name"]
    inlines = [ProvinceSuccessionInline]

    def get_ordering(self, request):
        return [F("valid_to").desc(nulls_first=True), "code", "valid_from"]  # current units first, in every picker too


@admin.register(Organisation)
class OrganisationAdmin(PlanModelAdmin):
    list_display = ["name_vi", "name_en", "acronym", "type", "level", "active_from", "active_to"]
    list_filter = ["level", "type", ("active_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name_vi", "name_en", "acronym", "iati_identifier"]
    autocomplete_fields = ["parent", "province", "successors"]
    ordering = ["level", "name_vi"]


@admin.register(MeansOfImplementation, Disaggregation)
class VocabularyAdmin(PlanModelAdmin):
    list_display = ["code", "name_vi", "name_en", "order"]
    search_fields = ["code", "name_vi", "name_en"]
    ordering = ["order", "code"]


@admin.register(Sector)
class SectorAdmin(PlanModelAdmin):
    """The DAC 5-digit sectors activities are classed in (IATI sector vocabulary 1)."""

    list_display = ["code", "name_vi", "name_en"]
    search_fields = ["code", "name_vi", "name_en"]
    ordering = ["code"]


@admin.register(FrameworkReference)
class FrameworkReferenceAdmin(PlanModelAdmin):
    list_display = ["framework", "code", "title_vi", "title_en"]
    list_filter = ["framework"]
    search_fields = ["code", "title_vi", "title_en"]
    ordering = ["framework", "code"]


@admin.register(Membership)
class MembershipAdmin(PlanModelAdmin):
    list_display = ["user", "organisation", "position"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name_vi", "organisation__acronym"]


# The plan -------------------------------------------------------------------------------------


class ObjectiveInline(admin.StackedInline):
    model = Objective
    extra = 0
    fields = ["code", "order", "pillar", "title_vi", "title_en"]
    show_change_link = True


class TaskGroupInline(admin.StackedInline):
    model = TaskGroup
    extra = 0
    fields = ["code", "order", "title_vi", "title_en"]
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(PlanModelAdmin):
    list_display = ["__str__", "decision_number", "decision_date", "start_year", "end_year", "coordinator"]
    search_fields = ["name_vi", "name_en", "decision_number"]
    autocomplete_fields = ["coordinator"]
    inlines = [ObjectiveInline, TaskGroupInline]


@admin.register(Objective)
class ObjectiveAdmin(BudgetColumnsMixin, PlanModelAdmin):
    list_display = ["code", "title_display", "pillar", "plan", "budget_total", "funding_gap"]
    list_filter = ["plan", "pillar", YearFilter]
    year_filter = staticmethod(lambda year: Q(pk__in=Activity.objects.in_year(year).values("output__objective")))
    search_fields = ["code", "title_vi", "title_en"]
    ordering = ["plan", "order", "code"]


class SubTaskInline(admin.StackedInline):
    model = SubTask
    extra = 0


@admin.register(TaskGroup)
class TaskGroupAdmin(PlanModelAdmin):
    list_display = ["code", "title_display", "plan"]
    list_filter = ["plan"]
    search_fields = ["code", "title_vi", "title_en"]
    ordering = ["plan", "order", "code"]
    inlines = [SubTaskInline]


@admin.register(SubTask)
class SubTaskAdmin(PlanModelAdmin):
    list_display = ["__str__", "task_group"]
    list_filter = ["task_group"]
    search_fields = ["title_vi", "title_en"]
    list_select_related = ["task_group"]


class WorkflowReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason for this change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Kept in the history with your name and the time."))  # fmt: skip

    def __init__(self, *args, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


def workflow_action(service, description, *, reason_required=False):
    """An admin action that moves each selected delivery plan one step through `service`.

    It first shows the selected plans and asks why (a reason is required to return a plan to draft);
    the step is taken only when that page is confirmed.
    """

    def action(modeladmin, request, queryset):
        form = WorkflowReasonForm(request.POST if "apply" in request.POST else None, required=reason_required)
        if not form.is_bound or not form.is_valid():
            context = {
                **modeladmin.admin_site.each_context(request), "title": description, "opts": modeladmin.model._meta, "form": form,
                "delivery_plans": queryset, "action": action.__name__, "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }  # fmt: skip
            return TemplateResponse(request, "admin/planning/deliveryplan/workflow_confirm.html", context)
        for delivery_plan in queryset:
            extra = {"reason": form.cleaned_data["reason"]} if form.cleaned_data["reason"] else {}
            if service is services.delivery_plan_approve:
                extra.update(approval_number=delivery_plan.approval_number, approval_date=delivery_plan.approval_date)
            try:
                service(delivery_plan=delivery_plan, user=request.user, **extra)
            except PermissionDenied:
                modeladmin.message_user(request, _("%(plan)s: only MOFA coordinators may do this.") % {"plan": delivery_plan}, messages.ERROR)
            except ValidationError as error:
                modeladmin.message_user(request, f"{delivery_plan}: {' '.join(error.messages)}", messages.ERROR)
            else:
                modeladmin.message_user(
                    request, _("%(plan)s: %(status)s.") % {"plan": delivery_plan, "status": delivery_plan.get_status_display()}, messages.SUCCESS
                )
        return None

    action.__name__ = service.__name__
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(DeliveryPlan)
class DeliveryPlanAdmin(BudgetColumnsMixin, PlanModelAdmin):
    list_display = ["__str__", "plan", "year", "status", "approval_number", "approval_date", "budget_total", "funding_gap", "is_sample"]
    list_filter = ["plan", YearFilter, "status", "is_sample"]
    list_select_related = ["plan"]
    year_filter = staticmethod(lambda year: Q(year=year))
    search_fields = ["year", "approval_number", "note_vi", "note_en"]
    ordering = ["plan", "year"]
    readonly_fields = ["status"]  # moved by the actions below, through the services, never typed
    actions = [
        workflow_action(services.delivery_plan_submit, _("Submit for approval")),
        workflow_action(services.delivery_plan_approve, _("Approve (with the approval number and date typed on the plan)")),
        workflow_action(services.delivery_plan_publish, _("Publish")),
        workflow_action(services.delivery_plan_return_to_draft, _("Return to draft"), reason_required=True),
    ]


@admin.register(Output)
class OutputAdmin(BudgetColumnsMixin, PlanModelAdmin):
    list_display = ["code", "title_display", "objective", "budget_total", "funding_gap", "is_sample"]
    list_filter = ["objective", YearFilter, "is_sample"]
    list_select_related = ["objective"]
    year_filter = staticmethod(lambda year: Q(pk__in=Activity.objects.in_year(year).values("output")))
    search_fields = ["code", "title_vi", "title_en"]
    ordering = ["plan", "code"]


def approved_plan_refuses(request, obj) -> bool:
    """A focal point's row of an approved (or published) delivery plan: the service refuses to
    change or delete it (services.approved_plan_check), so the admin offers no delete button."""
    if obj is None or obj.pk is None:
        return False
    try:
        services.approved_plan_check(obj, user=request.user, deleting=True)
    except ValidationError:
        return True
    return False


class ApprovedPlanNoticeMixin:
    """A focal point opening a row of an approved delivery plan is told at once that the row itself
    does not change (its yearly progress and execution are still reported on the same page)."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and roles.can_edit(request.user, obj):
                try:
                    services.approved_plan_check(obj, user=request.user)
                except ValidationError as error:
                    self.message_user(request, " ".join(error.messages), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


class BudgetLineInline(ParentOwnedInline, admin.TabularInline):
    model = BudgetLine
    form = VersionedServiceForm
    formset = BudgetLineFormSet  # checks the lines against the years ticked on the same page
    checked_by_formset = True
    extra = 0
    show_change_link = True  # its execution is reported on its own page
    autocomplete_fields = ["funder"]
    fields = [
        "delivery_plan", "source", "funder", "description_vi", "description_en", "amount_vnd", "currency", "original_amount", "exchange_rate", "status",
        "version",
    ]  # fmt: skip

    def has_delete_permission(self, request, obj=None):
        # obj is the activity: its lines belong to its approved year(s) when it has one.
        return super().has_delete_permission(request, obj) and not approved_plan_refuses(request, obj)


class ActivityProgressInline(DraftsInlineMixin, ParentOwnedInline, admin.StackedInline):
    """The activity's progress in each year of its delivery plans, saved through
    reporting.activity_progress_save (it joins the agency's report for that year)."""

    model = ActivityProgress
    form = ReportedItemForm
    formfield_overrides = REPORTED_ITEM_OVERRIDES
    can_delete = False
    fields = [
        "delivery_plan",
        ("status", "progress"),
        ("actual_start", "actual_end"),
        ("status_justification_vi", "status_justification_en"),
        ("narrative_vi", "narrative_en"),
        "version",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.service_check = staticmethod(partial(reported_item_check, user=request.user))
        if obj is not None and "delivery_plan" in formset.form.base_fields:
            formset.form.base_fields["delivery_plan"].queryset = obj.delivery_plans.all()
        return formset

    @staticmethod
    def missing_years(obj):
        if obj is None or obj.pk is None:
            return []
        return list(obj.delivery_plans.exclude(activity_progress__activity=obj).order_by("year"))

    def get_extra(self, request, obj=None, **kwargs):
        return len(self.missing_years(obj))

    def get_max_num(self, request, obj=None, **kwargs):
        return obj.delivery_plans.count() if obj is not None and obj.pk else 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("delivery_plan")


def status_badge_html(status):
    if not status:
        return "—"
    return format_html('<span class="status-badge status-{}">{}</span>', STATUS_COLOURS[status], ActivityStatus(status).label)


def list_year(request) -> int | None:
    """The year whose progress an activity list shows: the one chosen in YearFilter, else the latest."""
    year = selected_year(request)
    if year is None:
        year = DeliveryPlan.objects.order_by("-year").values_list("year", flat=True).first()
    return year


class YearStatusFilter(admin.SimpleListFilter):
    """Activities by their status in the year the list shows (see list_year)."""

    title = _("status in the year")
    parameter_name = "year_status"

    def lookups(self, request, model_admin):
        return ActivityStatus.choices

    def queryset(self, request, queryset):
        value = self.value()
        if value not in ActivityStatus.values:
            return queryset
        if value == ActivityStatus.NOT_STARTED:
            return queryset.filter(Q(year_status=value) | Q(year_status__isnull=True))
        return queryset.filter(year_status=value)


@admin.register(Activity)
class ActivityAdmin(ApprovedPlanNoticeMixin, BudgetColumnsMixin, OwnedByAgencyAdmin):
    form = ActivityForm
    agency_field = "lead_agency"
    list_display = ["code", "title_display", "lead_agency", "year_status_badge", "year_progress", "budget_total", "funding_gap"]
    list_filter = [
        ("output__objective", admin.RelatedOnlyFieldListFilter),
        "task_group",
        ("lead_agency", admin.RelatedOnlyFieldListFilter),
        YearFilter,
        YearStatusFilter,
        "is_sample",
    ]
    year_filter = staticmethod(lambda year: Q(delivery_plans__year=year))
    search_fields = ["code", "title_vi", "title_en", "lead_agency__acronym", "lead_agency__name_vi"]
    autocomplete_fields = ["output", "lead_agency", "partner_agencies", "funding_partners", "supporting_partners", "provinces", "subtask"]
    ordering = ["plan", "code"]
    inlines = [ActivityProgressInline, BudgetLineInline]
    fieldsets = [
        (None, {"fields": ["output", "code", "order", "task_group", "subtask", "delivery_plans", "is_sample", "version"]}),
        (_("Description"), {"fields": ["title_vi", "title_en", "description_vi", "description_en", "means"]}),
        (_("Who and where"), {"fields": ["lead_agency", "partner_agencies", "funding_partners", "supporting_partners", "provinces"]}),
        (_("Open data (IATI)"), {"fields": ["sector"]}),
        (_("Timeline (months)"), {"fields": [("planned_start", "planned_end")]}),
    ]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, ActivityProgressInline):
            kwargs["initial"] = [{"delivery_plan": delivery_plan.pk} for delivery_plan in inline.missing_years(obj)]
        return kwargs

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not approved_plan_refuses(request, obj)

    @admin.display(description=_("status"), ordering="year_status")
    def year_status_badge(self, obj):
        return status_badge_html(obj.year_status)

    @admin.display(description=_("progress (%)"), ordering="year_progress")
    def year_progress(self, obj):
        return "—" if obj.year_progress is None else formatting.percent(obj.year_progress)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("means", "delivery_plans"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        """With the status and progress of the year the list shows, in the same query."""
        queryset = super().get_queryset(request).select_related("lead_agency")
        # Another agency's status for the year is a draft until approved: a focal point sees their own only.
        yearly = roles.visible_drafts(request.user, ActivityProgress.objects.all()).filter(activity=OuterRef("pk"), delivery_plan__year=list_year(request))
        return queryset.annotate(year_status=Subquery(yearly.values("status")[:1]), year_progress=Subquery(yearly.values("progress")[:1]))

    def changelist_view(self, request, extra_context=None):
        year = list_year(request)
        title = _("Activities — status and progress in %(year)s") % {"year": year} if year else None
        return super().changelist_view(request, {"title": title, **(extra_context or {})} if title else extra_context)

    def save_related(self, request, form, formsets, change):
        """The activity, its relations and its budget lines in one call: the lines are checked
        against the years the activity has after this change. An activity left as it was, with its
        lines, is not saved (its yearly progress alone may have changed)."""
        reason = change_reason(form)
        [lines] = [formset for formset in formsets if formset.model is BudgetLine] or [None]
        changed = lines.save(commit=False) if lines is not None else []
        deleted = lines.deleted_objects if lines is not None else []
        if form.instance.pk is None or form.model_changed() or changed or deleted:
            services.activity_save(
                activity=form.instance, user=request.user, reason=reason, budget_lines=changed, deleted_budget_lines=deleted, **form_relations(form)
            )
        for formset in formsets:
            if formset is not lines:
                self.save_formset(request, form, formset, change=change)


def indicator_periods(indicator):
    """The periods an indicator's targets and actuals may be set for: every period of its plan (years,
    half-years and quarters, the mid-term and final reviews: services.indicator_save opens those its
    frequency needs), so that a 2030 or a mid-term target is stored before that year's delivery plan exists."""
    plan = indicator.plan if indicator is not None and indicator.plan_id else None
    if plan is None:
        return ReportingPeriod.objects.select_related("plan")
    return ReportingPeriod.objects.filter(plan=plan).select_related("plan")


class ComputedActualMixin:
    """An indicator counted from events (events.IndicatorRule): its actual is the agency's confirmation
    of the count, which the page shows read-only as “counted from events”."""

    @staticmethod
    def indicator_of(obj):
        return obj if isinstance(obj, Indicator) else getattr(obj, "indicator", None)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if services.is_computed(self.indicator_of(obj)):
            fields += [*services.ACTUAL_FIELDS, "proposed_value"]
        return fields


class IndicatorPeriodInline(DraftsInlineMixin, ComputedActualMixin, ParentOwnedInline, admin.StackedInline):
    model = IndicatorPeriod
    form = VersionedServiceForm
    extra = 0
    show_change_link = True
    fields = [
        "period",
        ("target_value", "target_numerator", "target_denominator"),
        ("target_text_vi", "target_text_en"),
        ("actual_value", "actual_numerator", "actual_denominator"),
        ("actual_text_vi", "actual_text_en"),
        ("actual_source_vi", "actual_source_en"),
        "version",
    ]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return [*fields[:-1], "proposed_value", fields[-1]] if services.is_computed(obj) else fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk and "period" in formset.form.base_fields:
            formset.form.base_fields["period"].queryset = indicator_periods(obj)
        return formset


@admin.register(Indicator)
class IndicatorAdmin(OwnedByAgencyAdmin):
    agency_field = "responsible_agency"
    list_display = ["code", "title_display", "level", "measure", "responsible_agency", "baseline_year", "baseline_display", "is_sample"]
    list_filter = [
        "level",
        "measure",
        IndicatorObjectiveFilter,
        ("activity__task_group", admin.RelatedOnlyFieldListFilter),
        ("responsible_agency", admin.RelatedOnlyFieldListFilter),
        "periods__period__year",
        "is_sample",
    ]
    list_select_related = ["responsible_agency"]
    search_fields = ["code", "title_vi", "title_en"]
    autocomplete_fields = ["output", "activity", "responsible_agency", "references"]
    filter_horizontal = ["disaggregations"]
    ordering = ["plan", "code"]
    inlines = [IndicatorPeriodInline]

    @admin.display(description=_("baseline value"), ordering="baseline_value")
    def baseline_display(self, obj):
        return formatting.number(obj.baseline_value)

    fieldsets = [
        (None, {"fields": ["code", "order", "level", "plan_level_of", "objective", "output", "activity", "is_sample"]}),
        (_("Definition"), {"fields": ["title_vi", "title_en", "definition_vi", "definition_en", "measure", ("unit_vi", "unit_en"), ("numerator_vi", "numerator_en"), ("denominator_vi", "denominator_en"), "direction", "aggregation"]}),
        (_("Reference sheet"), {"fields": ["disaggregations", "means_of_verification_vi", "means_of_verification_en", "frequency", "responsible_agency", "references"]}),
        (_("Baseline"), {"fields": ["baseline_year", ("baseline_value", "baseline_numerator", "baseline_denominator"), ("baseline_text_vi", "baseline_text_en"), ("baseline_source_vi", "baseline_source_en")]}),
    ]  # fmt: skip


class DisaggregatedValueInline(DraftsInlineMixin, ParentOwnedInline, admin.TabularInline):
    """A year's breakdown by sex, age... The formset checks that it adds up to the totals on the same
    page; an indicator counted from events shows its breakdown read-only."""

    model = DisaggregatedValue
    form = DisaggregatedValueForm
    formset = DisaggregatedValueFormSet
    extra = 0

    def _parent_allows(self, request, obj):
        return super()._parent_allows(request, obj) and not (obj is not None and services.is_computed(obj.indicator))


@admin.register(IndicatorPeriod)
class IndicatorPeriodAdmin(ComputedActualMixin, OwnedByAgencyAdmin):
    form = VersionedReasonForm
    list_display = ["indicator", "period", "target_display", "actual_display"]
    list_filter = ["period__year", "period__kind", ("indicator__responsible_agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["indicator", "period"]
    search_fields = ["indicator__code", "indicator__title_vi"]
    autocomplete_fields = ["indicator"]
    ordering = ["indicator__code", "period__end", "period__start"]
    inlines = [DisaggregatedValueInline]

    def get_queryset(self, request):
        """Actuals are drafts until approved: a focal point reads their own agency's periods only."""
        return roles.visible_drafts(request.user, super().get_queryset(request))

    def get_fields(self, request, obj=None):
        fields = [field for field in super().get_fields(request, obj) if field != "proposed_value"]
        return [*fields, "proposed_value"] if obj is not None and services.is_computed(obj.indicator) else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            match = getattr(request, "resolver_match", None)
            obj = self.get_object(request, match.kwargs["object_id"]) if match and match.kwargs.get("object_id") else None
            kwargs["queryset"] = indicator_periods(obj.indicator if obj is not None else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def form_check(self, request):
        # The breakdown typed on the same page is checked with the new totals by its formset.
        return staticmethod(partial(services.indicator_period_check, user=request.user, disaggregated_values=[]))

    def save_related(self, request, form, formsets, change):
        reason = change_reason(form)
        [values] = [formset for formset in formsets if formset.model is DisaggregatedValue] or [None]
        changed = values.save(commit=False) if values is not None else None
        deleted = values.deleted_objects if values is not None else []
        services.indicator_period_save(period=form.instance, user=request.user, reason=reason, disaggregated_values=changed, deleted_values=deleted)

    @admin.display(description=_("target"), ordering="target_value")
    def target_display(self, obj):
        return formatting.number(obj.target_value)

    @admin.display(description=_("actual"), ordering="actual_value")
    def actual_display(self, obj):
        return formatting.number(obj.actual_value)


class BudgetExecutionInline(DraftsInlineMixin, ParentOwnedInline, admin.StackedInline):
    """What the line committed, disbursed and spent, saved through reporting.budget_execution_save
    (it joins the agency's report for the line's year)."""

    model = BudgetExecution
    form = ReportedItemForm
    formfield_overrides = REPORTED_ITEM_OVERRIDES
    can_delete = False
    max_num = 1
    extra = 1
    fields = [("committed_vnd", "committed_on"), ("disbursed_vnd", "disbursed_on"), ("spent_vnd", "spent_on"), ("note_vi", "note_en"), "version"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.service_check = staticmethod(partial(reported_item_check, user=request.user))
        return formset


@admin.register(BudgetLine)
class BudgetLineAdmin(ApprovedPlanNoticeMixin, OwnedByAgencyAdmin):
    form = BudgetLineForm
    inlines = [BudgetExecutionInline]
    list_display = ["activity", "year_display", "source", "funder", "amount_display", "currency", "status", "committed_display", "disbursed_display"]
    list_filter = [
        ("activity__output__objective", admin.RelatedOnlyFieldListFilter),
        ("activity__task_group", admin.RelatedOnlyFieldListFilter),
        YearFilter,
        "source",
        "status",
        ("activity__lead_agency", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["activity", "delivery_plan", "funder"]
    year_filter = staticmethod(lambda year: Q(delivery_plan__year=year))
    search_fields = ["activity__code", "activity__title_vi", "funder__name_vi", "funder__acronym"]
    autocomplete_fields = ["activity", "funder"]
    ordering = ["activity__code", "delivery_plan__year"]

    @admin.display(description=_("year"), ordering="delivery_plan__year")
    def year_display(self, obj):
        return obj.delivery_plan.year

    @admin.display(description=_("amount"), ordering="amount_vnd")
    def amount_display(self, obj):
        return vnd(obj.amount_vnd)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(committed=F("execution__committed_vnd"), disbursed=F("execution__disbursed_vnd"))

    @admin.display(description=_("committed"), ordering="committed")
    def committed_display(self, obj):
        return "—" if obj.committed is None else vnd(obj.committed)

    @admin.display(description=_("disbursed"), ordering="disbursed")
    def disbursed_display(self, obj):
        return "—" if obj.disbursed is None else vnd(obj.disbursed)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not approved_plan_refuses(request, obj)


# The reporting cycle ----------------------------------------------------------------------------


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PlanModelAdmin):
    """The reporting calendar: coordinators set each period's dates and deadline; focal points read it."""

    list_display = ["__str__", "plan", "kind", "year", "start", "end", "due_date"]
    list_filter = ["plan", "kind", "year"]
    list_select_related = ["plan"]
    ordering = ["plan", "end", "start", "kind"]
    fields = ["plan", "kind", "year", "number", "start", "end", "due_date"]

    def get_readonly_fields(self, request, obj=None):
        return ["plan", "kind", "year", "number"] if obj is not None else []

    def has_add_permission(self, request):
        return roles.is_coordinator(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return roles.is_coordinator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # reports, targets and actuals hang on it


class ReadOnlyMixin:
    """Shown to those who may view it, changed by nobody here: the reporting services move it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportTransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = ReportTransition
    fields = ["from_status", "to_status", "user", "at", "comment"]
    readonly_fields = fields
    extra = 0


class ReviewCommentInline(ReadOnlyMixin, admin.TabularInline):
    model = ReviewComment
    fields = ["item_type", "item_id", "text", "author", "created_at"]
    readonly_fields = fields
    extra = 0


class ApprovedValueInline(ReadOnlyMixin, admin.TabularInline):
    model = ApprovedValue
    fields = ["item_type", "item_id", "data", "approved_at", "approved_by"]
    readonly_fields = fields
    extra = 0


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Reports are read here; they are written, submitted, reviewed and published in the workspace,
    through planning.services.reporting. No field of this page can move a report."""

    list_display = ["__str__", "agency", "period", "kind", "revision", "status", "submitted_at", "decided_at", "published_at", "page_link"]
    list_filter = ["period", ("agency", admin.RelatedOnlyFieldListFilter), "status", "kind"]
    list_select_related = ["agency", "period", "period__plan"]
    search_fields = ["agency__name_vi", "agency__acronym"]
    fields = [
        "kind", "agency", "period", "revision", "status", "narrative_vi", "narrative_en", "reason_vi", "reason_en",
        "created_at", "created_by", "submitted_at", "submitted_by", "decided_at", "decided_by", "published_at", "page_link",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [ReportTransitionInline, ReviewCommentInline, ApprovedValueInline]

    def get_queryset(self, request):
        return roles.visible_reports(request.user, super().get_queryset(request))

    @admin.display(description=_("report page"))
    def page_link(self, obj):
        try:
            url = reverse("planning:report-detail", args=[obj.pk])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">{}</a>', url, _("Open"))


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["report", "from_status", "to_status", "user", "at"]
    list_filter = ["to_status"]
    list_select_related = ["report__agency", "report__period", "user"]
    readonly_fields = ["report", "from_status", "to_status", "user", "at", "comment"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(report__in=roles.visible_reports(request.user, ProgressReport.objects.all()))


@admin.register(ApprovedValue)
class ApprovedValueAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["item_type", "item_id", "report", "approved_at", "approved_by"]
    list_filter = ["item_type"]
    list_select_related = ["item_type", "report__agency", "report__period", "approved_by"]
    readonly_fields = ["item_type", "item_id", "report", "data", "approved_at", "approved_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(report__in=roles.visible_reports(request.user, ProgressReport.objects.all()))


# Accounts -------------------------------------------------------------------------------------


class MembershipInline(admin.StackedInline):
    model = Membership
    autocomplete_fields = ["organisation"]
    extra = 1
    max_num = 1
    verbose_name = _("agency (for focal points)")
    verbose_name_plural = _("agency (for focal points)")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(HistoryReasonMixin, auth_admin.UserAdmin):
    """Django's user admin, with the agency inline; coordinators who are not superusers may create
    accounts and give them the portal's groups and an agency, never superuser status or per-user
    permissions, and may not change a superuser."""

    # Staff status follows the portal's groups (services.account_save): no box to forget.
    SUPERUSER_ONLY = ("is_superuser", "user_permissions", "is_staff")
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (
            _("Role"),
            {
                "fields": ["groups"],
                "description": _("A group gives access to the portal at once: coordinators and focal points to the plan, organisers to their events."),
            },
        ),
    ]
    form = ReasonUserChangeForm
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "agency", "is_staff", "is_superuser"]
    list_select_related = ["membership__organisation"]

    @admin.display(description=_("agency"), ordering="membership__organisation__acronym")
    def agency(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.organisation.acronym or membership.organisation if membership else ""

    def save_related(self, request, form, formsets, change):
        relations = {name: form.cleaned_data[name] for name in ("groups", "user_permissions") if name in form.cleaned_data}
        services.account_save(account=form.instance, user=request.user, **relations)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        obj.delete()

    def delete_queryset(self, request, queryset):
        queryset.delete()

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if not request.user.is_superuser:
            fieldsets = [(name, {**opts, "fields": [f for f in opts["fields"] if f not in self.SUPERUSER_ONLY]}) for name, opts in fieldsets]
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((_("History"), {"fields": ["change_reason"]}))
        return fieldsets

    def get_list_filter(self, request):
        return [f for f in super().get_list_filter(request) if request.user.is_superuser or f != "is_superuser"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=roles.GROUP_LABELS)
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = lambda group: str(roles.GROUP_LABELS.get(group.name, group.name))  # in the reader's language
        return field

    @staticmethod
    def beyond_the_portals_roles(user) -> bool:
        """An account with powers a coordinator cannot give: superuser, its own permissions, or another group."""
        return user.is_superuser or user.user_permissions.exists() or user.groups.exclude(name__in=roles.GROUP_LABELS).exists()

    def has_change_permission(self, request, obj=None):
        # Changing such an account (or its password) would let a coordinator act with powers they do not have.
        if obj is not None and not request.user.is_superuser and self.beyond_the_portals_roles(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and self.beyond_the_portals_roles(obj):
            return False
        return super().has_delete_permission(request, obj)


# Evidence (wp-evidence) ------------------------------------------------------------------------------
# Read-only: files come in and go through the workspace's pages (planning.views.evidence), never
# through the admin. Coordinators make files public or private with the actions, through the service.

from .models import Evidence  # noqa: E402
from .services import evidence as evidence_services  # noqa: E402


def evidence_public_action(public: bool, description):
    def action(modeladmin, request, queryset):
        changed = 0
        for evidence in queryset:
            if evidence.is_public != public:
                evidence_services.evidence_set_public(evidence=evidence, public=public, user=request.user)
                changed += 1
        message = _("%(count)s file(s) made public.") if public else _("%(count)s file(s) made private.")
        modeladmin.message_user(request, message % {"count": changed}, messages.SUCCESS)

    action.__name__ = "make_public" if public else "make_private"
    return admin.action(description=description, permissions=["review"])(action)


@admin.register(Evidence)
class EvidenceAdmin(ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = ["title_display", "report", "type_display", "size_display", "is_public", "uploaded_by", "uploaded_at"]
    list_filter = ["is_public", "report__period", "report__agency"]
    list_select_related = ["report__agency", "report__period", "uploaded_by"]
    search_fields = ["title_vi", "title_en", "original_name"]
    fields = ["report", "activity", "indicator_period", "title_vi", "title_en", "download", "content_type", "size", "is_public", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    actions = [evidence_public_action(True, _("Make public")), evidence_public_action(False, _("Make private"))]
    view_on_site = False
    list_per_page = 50

    def get_queryset(self, request):
        return roles.visible_evidence(request.user, super().get_queryset(request))

    @admin.display(description=_("title"), ordering="title_vi")
    def title_display(self, obj):
        return render(obj.title)

    @admin.display(description=_("file type"), ordering="content_type")
    def type_display(self, obj):
        return evidence_services.kind_label(obj.content_type)

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, obj):
        return evidence_services.size_display(obj.size)

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj.original_name)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return roles.can_review(request.user)
