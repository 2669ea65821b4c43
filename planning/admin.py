"""The MOFA coordinators' admin: every model of the plan, in Vietnamese by default.

Focal points use the same admin: they see the whole plan and change only their own agency's rows
(roles.can_edit), checked on every object and on every POST, not only hidden in menus.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from napwps import formatting
from napwps.bilingual import render

from . import roles, selectors, services
from .forms import ActivityForm, ReasonModelForm, ReasonUserChangeForm
from .models import (
    Activity,
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
    Province,
    ProvinceSuccession,
    SubTask,
    TaskGroup,
)
from .models.fields import MonthFormField

admin.site.site_header = _("NAP on Women, Peace and Security 2024–2030")
admin.site.site_title = _("NAP WPS portal")
admin.site.index_title = _("Plan administration")
admin.site.site_url = None  # no public site yet (step 3)

DEFAULT_REASON = _("Created")


def vnd(amount) -> str:
    """An amount in VND the reader's way: "1.234.567 ₫" in Vietnamese, "VND 1,234,567" in English."""
    return formatting.money(amount or 0)


class HistoryReasonMixin:
    """Saves the form's change reason with every history record it causes, inlines included."""

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("change_reason") or str(DEFAULT_REASON)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        reason = form.cleaned_data.get("change_reason") or str(DEFAULT_REASON)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj._change_reason = reason
            obj.delete()
        for obj in instances:
            obj._change_reason = reason
            obj.save()
        formset.save_m2m()


class PlanModelAdmin(HistoryReasonMixin, SimpleHistoryAdmin):
    form = ReasonModelForm
    view_on_site = False

    @admin.display(description=_("title"), ordering="title_vi")
    def title_display(self, obj):
        return render(obj.title)

    formfield_overrides = {MonthField: {"form_class": MonthFormField}}
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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.agency_field and not roles.is_coordinator(request.user):
            agency = roles.user_agency(request.user)
            kwargs["queryset"] = Organisation.objects.filter(pk=agency.pk if agency else None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ParentOwnedInline:
    """An inline that may be changed exactly when its parent row may."""

    def _parent_allows(self, request, obj):
        return obj is None or roles.can_edit(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_allows(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_allows(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_allows(request, obj)


class BudgetColumnsMixin:
    """Budget total and funding gap columns, computed by selectors.with_budget_totals in one query."""

    def get_queryset(self, request):
        return selectors.with_budget_totals(super().get_queryset(request))

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
    ordering = ["code", "valid_from"]
    inlines = [ProvinceSuccessionInline]


@admin.register(Organisation)
class OrganisationAdmin(PlanModelAdmin):
    list_display = ["name_vi", "name_en", "acronym", "type", "level", "active_from", "active_to"]
    list_filter = ["level", "type", ("active_to", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name_vi", "name_en", "acronym"]
    autocomplete_fields = ["parent", "province", "successors"]
    ordering = ["level", "name_vi"]


@admin.register(MeansOfImplementation, Disaggregation)
class VocabularyAdmin(PlanModelAdmin):
    list_display = ["code", "name_vi", "name_en", "order"]
    search_fields = ["code", "name_vi", "name_en"]
    ordering = ["order", "code"]


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
    list_filter = ["plan", "pillar"]
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
    list_filter = ["plan", "status", "is_sample"]
    list_select_related = ["plan"]
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
    list_filter = ["objective", "is_sample"]
    list_select_related = ["objective"]
    search_fields = ["code", "title_vi", "title_en"]
    ordering = ["plan", "code"]


class BudgetLineInline(ParentOwnedInline, admin.TabularInline):
    model = BudgetLine
    extra = 0
    autocomplete_fields = ["funder"]
    fields = ["delivery_plan", "source", "funder", "description_vi", "description_en", "amount_vnd", "currency", "original_amount", "exchange_rate", "status"]


class ColourStatusMixin:
    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="status-badge status-{}">{}</span>', obj.status_colour, obj.get_status_display())


@admin.register(Activity)
class ActivityAdmin(ColourStatusMixin, BudgetColumnsMixin, OwnedByAgencyAdmin):
    form = ActivityForm
    agency_field = "lead_agency"
    list_display = ["code", "title_display", "lead_agency", "status_badge", "progress", "budget_total", "funding_gap"]
    list_filter = [
        ("output__objective", admin.RelatedOnlyFieldListFilter),
        "task_group",
        ("lead_agency", admin.RelatedOnlyFieldListFilter),
        "status",
        "delivery_plans__year",
        "is_sample",
    ]
    search_fields = ["code", "title_vi", "title_en", "lead_agency__acronym", "lead_agency__name_vi"]
    autocomplete_fields = ["output", "lead_agency", "partner_agencies", "supporting_partners", "provinces", "subtask"]
    ordering = ["plan", "code"]
    inlines = [BudgetLineInline]
    fieldsets = [
        (None, {"fields": ["output", "code", "order", "task_group", "subtask", "delivery_plans", "is_sample"]}),
        (_("Description"), {"fields": ["title_vi", "title_en", "description_vi", "description_en", "means"]}),
        (_("Who and where"), {"fields": ["lead_agency", "partner_agencies", "supporting_partners", "provinces"]}),
        (_("Timeline (months)"), {"fields": [("planned_start", "planned_end"), ("actual_start", "actual_end")]}),
        (_("Progress"), {"fields": ["status", "progress", "status_justification_vi", "status_justification_en"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("means", "delivery_plans"):
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("lead_agency")


class IndicatorPeriodInline(ParentOwnedInline, admin.StackedInline):
    model = IndicatorPeriod
    extra = 0
    show_change_link = True
    fields = [
        "delivery_plan",
        ("target_value", "target_numerator", "target_denominator"),
        ("target_text_vi", "target_text_en"),
        ("actual_value", "actual_numerator", "actual_denominator"),
        ("actual_text_vi", "actual_text_en"),
        ("actual_source_vi", "actual_source_en"),
        "actual_status",
    ]
    ACTUAL_FIELDS = ["actual_value", "actual_numerator", "actual_denominator", "actual_text_vi", "actual_text_en", "actual_source_vi", "actual_source_en"]

    def get_readonly_fields(self, request, obj=None):
        # An indicator computed from events (events.IndicatorRule) takes its actuals from attendance.
        if obj is not None and hasattr(obj, "event_rule"):
            return [*super().get_readonly_fields(request, obj), *self.ACTUAL_FIELDS]
        return super().get_readonly_fields(request, obj)


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
        "periods__delivery_plan__year",
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


class DisaggregatedValueInline(ParentOwnedInline, admin.TabularInline):
    model = DisaggregatedValue
    extra = 0


@admin.register(IndicatorPeriod)
class IndicatorPeriodAdmin(OwnedByAgencyAdmin):
    list_display = ["indicator", "year_display", "target_display", "actual_display", "actual_status"]
    list_filter = ["delivery_plan__year", "actual_status", ("indicator__responsible_agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["indicator", "delivery_plan"]
    search_fields = ["indicator__code", "indicator__title_vi"]
    autocomplete_fields = ["indicator"]
    ordering = ["indicator__code", "delivery_plan__year"]
    inlines = [DisaggregatedValueInline]

    @admin.display(description=_("year"), ordering="delivery_plan__year")
    def year_display(self, obj):
        return obj.delivery_plan.year

    @admin.display(description=_("target"), ordering="target_value")
    def target_display(self, obj):
        return formatting.number(obj.target_value)

    @admin.display(description=_("actual"), ordering="actual_value")
    def actual_display(self, obj):
        return formatting.number(obj.actual_value)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = roles.editable(request.user, Indicator.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BudgetLine)
class BudgetLineAdmin(OwnedByAgencyAdmin):
    list_display = ["activity", "year_display", "source", "funder", "amount_display", "currency", "status"]
    list_filter = [
        ("activity__output__objective", admin.RelatedOnlyFieldListFilter),
        ("activity__task_group", admin.RelatedOnlyFieldListFilter),
        "delivery_plan__year",
        "source",
        "status",
        ("activity__lead_agency", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["activity", "delivery_plan", "funder"]
    search_fields = ["activity__code", "activity__title_vi", "funder__name_vi", "funder__acronym"]
    autocomplete_fields = ["activity", "funder"]
    ordering = ["activity__code", "delivery_plan__year"]

    @admin.display(description=_("year"), ordering="delivery_plan__year")
    def year_display(self, obj):
        return obj.delivery_plan.year

    @admin.display(description=_("amount"), ordering="amount_vnd")
    def amount_display(self, obj):
        return vnd(obj.amount_vnd)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "activity":
            kwargs["queryset"] = roles.editable(request.user, Activity.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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

    SUPERUSER_ONLY = ("is_superuser", "user_permissions")
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Role"), {"fields": ["is_staff", "groups"]}),
    ]
    form = ReasonUserChangeForm
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "agency", "is_staff", "is_superuser"]
    list_select_related = ["membership__organisation"]

    @admin.display(description=_("agency"), ordering="membership__organisation__acronym")
    def agency(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.organisation.acronym or membership.organisation if membership else ""

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
