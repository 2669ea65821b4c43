"""Events in the admin, for coordinators. Organisers use the events pages (events/views.py)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, EventType, Feedback, IndicatorRule, Participation, Person, Role, Sector, Session


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title_vi", "type", "start_date", "end_date", "province", "is_sample"]
    list_filter = ["type", "modality", "is_sample"]
    search_fields = ["code", "title_vi", "title_en"]
    autocomplete_fields = ["province", "organisers", "co_organisers", "activities", "managers"]
    inlines = [SessionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("province")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "sex", "age_band", "email", "phone", "anonymised_on"]
    search_fields = ["full_name", "email", "phone"]
    list_filter = ["sex", "age_band", "is_sample"]


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "event", "sector", "role", "status"]
    list_filter = ["event", "sector", "role", "status"]
    list_select_related = ["person", "event"]
    search_fields = ["person__full_name", "person__email", "organisation_name"]
    autocomplete_fields = ["event", "person", "organisation", "province"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["event", "satisfaction", "relevance"]
    list_filter = ["event"]
    list_select_related = ["event"]


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
