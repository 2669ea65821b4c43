"""Events in the admin, for coordinators. Organisers use the events pages (events/views.py).

The admin is one more caller of the services: save_model, save_related and delete_model hand the
cleaned data to the service that owns the rule, so a rule lives in one place whatever page the
change came from."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Event, EventType, Feedback, IndicatorRule, Participation, Person, Role, Sector, Session

EVENT_RELATIONS = ("organisers", "co_organisers", "activities", "managers")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


def record_formset_changes(formset, *, new, changed, deleted) -> None:
    """What ModelAdmin.construct_change_message reads after formset.save(), which the services replace."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = new, changed, deleted


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title_vi", "type", "start_date", "end_date", "province", "is_sample"]
    list_filter = ["type", "modality", "is_sample"]
    search_fields = ["code", "title_vi", "title_en"]
    autocomplete_fields = ["province", "organisers", "co_organisers", "activities", "managers"]
    inlines = [SessionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")

    def save_model(self, request, obj, form, change):
        data = {name: value for name, value in form.cleaned_data.items() if name not in EVENT_RELATIONS}
        relations = {name: form.cleaned_data.get(name, ()) for name in EVENT_RELATIONS}
        if change:
            services.event_update(event=obj, user=request.user, **relations, **data)
        else:
            event = services.event_create(user=request.user, **relations, **data)
            obj.pk, obj._state.adding, obj._state.db = event.pk, False, event._state.db

    def save_related(self, request, form, formsets, change):
        # The event's relations were set by the service in save_model; the agenda goes through agenda_save.
        for formset in formsets:
            kept = [f for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
            deleted = [f.instance for f in formset.deleted_forms if f.instance.pk]
            new = [f.instance for f in kept if not f.instance.pk]
            changed = [(f.instance, f.changed_data) for f in kept if f.instance.pk]
            services.agenda_save(
                event=form.instance, user=request.user, sessions=[(f.instance if f.instance.pk else None, f.cleaned_data) for f in kept], deleted=deleted
            )
            record_formset_changes(formset, new=new, changed=changed, deleted=deleted)

    def delete_model(self, request, obj):
        services.event_delete(event=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for event in queryset:
            services.event_delete(event=event, user=request.user)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "sex", "age_band", "email", "phone", "anonymised_on"]
    search_fields = ["full_name", "email", "phone"]
    list_filter = ["sex", "age_band", "is_sample"]

    def save_model(self, request, obj, form, change):
        services.person_save(person=obj, user=request.user)

    def delete_model(self, request, obj):
        services.person_delete(person=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for person in queryset:
            services.person_delete(person=person, user=request.user)


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "event", "sector", "role", "status"]
    list_filter = ["event", "sector", "role", "status"]
    list_select_related = ["person", "event"]
    search_fields = ["person__full_name", "person__email", "organisation_name"]
    autocomplete_fields = ["event", "person", "organisation", "province"]

    def save_model(self, request, obj, form, change):
        saved = services.participation_save(participation=obj, user=request.user)
        if saved is not obj:
            obj.pk, obj._state.adding, obj._state.db = saved.pk, False, saved._state.db

    def delete_model(self, request, obj):
        services.participation_delete(participation=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for participation in queryset.select_related("event"):
            services.participation_delete(participation=participation, user=request.user)


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["event", "satisfaction", "relevance"]
    list_filter = ["event"]
    list_select_related = ["event"]

    def save_model(self, request, obj, form, change):
        services.feedback_save(feedback=obj, user=request.user)

    def delete_model(self, request, obj):
        services.feedback_delete(feedback=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for feedback in queryset.select_related("event"):
            services.feedback_delete(feedback=feedback, user=request.user)


class IndicatorRuleForm(forms.ModelForm):
    """The rule's lists as checkboxes: event types, sectors and roles (none ticked: every type or sector; participants)."""

    event_types = forms.MultipleChoiceField(
        label=_("event types"), choices=EventType.choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every type.")
    )
    sectors = forms.MultipleChoiceField(
        label=_("sectors"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every sector.")
    )
    roles = forms.MultipleChoiceField(
        label=_("roles counted"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: participants only.")
    )

    class Meta:
        model = IndicatorRule
        fields = ["indicator", "event_types", "activities", "objectives", "sectors", "roles", "min_days"]


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(admin.ModelAdmin):
    form = IndicatorRuleForm
    list_display = ["indicator", "min_days"]
    readonly_fields = ["synthetic_people"]

    @admin.display(description=_("counts synthetic participants"))
    def synthetic_people(self, rule):
        """Says so when the events the rule counts from include some with synthetic participants."""
        from . import selectors

        events = list(selectors.rule_synthetic_events(rule)) if rule.pk else []
        if not events:
            return "—"
        return _("Yes: the actual counts synthetic participants of %(events)s.") % {"events": ", ".join(event.code for event in events)}

    autocomplete_fields = ["indicator", "activities", "objectives"]
    list_select_related = ["indicator"]

    def save_model(self, request, obj, form, change):
        pass  # saved with its links in save_related, through the service

    def save_related(self, request, form, formsets, change):
        services.indicator_rule_save(
            rule=form.instance, user=request.user, activities=form.cleaned_data.get("activities", ()), objectives=form.cleaned_data.get("objectives", ())
        )

    def delete_model(self, request, obj):
        services.indicator_rule_delete(rule=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for rule in queryset:
            services.indicator_rule_delete(rule=rule, user=request.user)
