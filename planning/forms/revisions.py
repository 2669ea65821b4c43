"""Forms of delivery-plan revisions: input and layout only (planning.services.revisions writes).

A change form is a model form over an unsaved copy of the row, prefilled with its current values (or
with the values already proposed); the view hands the changed values to `plan_change_propose`.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..models import Activity, BudgetLine, IndicatorPeriod, Organisation, Output, Plan, Province, SubTask, TaskGroup
from ..models.fields import QuantityFormField
from ..services.revisions import REVISABLE_FIELDS
from . import province_label


def helper(submit_label, *, form_tag: bool = True) -> FormHelper:
    form_helper = FormHelper()
    form_helper.form_tag = form_tag
    form_helper.disable_csrf = not form_tag  # the page's own <form> carries the token
    form_helper.add_input(Submit("submit", submit_label))
    return form_helper


def quantity_fields(field: models.Field, **kwargs):
    if isinstance(field, models.DecimalField):
        return field.formfield(form_class=QuantityFormField, **kwargs)
    return field.formfield(**kwargs)


class PlanChangeForm(forms.ModelForm):
    """The revisable fields of a row, its version when the form was opened, and why."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: why this row changes. The revision as a whole gives its reason when it is submitted."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "version" not in self.initial:
            self.initial["version"] = self.instance.version
        self.helper = helper(_("Propose this change"))

    def proposed(self) -> dict:
        """The revisable values as typed (the view's service keeps only what differs)."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


class ActivityChangeForm(PlanChangeForm):
    class Meta:
        model = Activity
        fields = list(REVISABLE_FIELDS[Activity])
        formfield_callback = quantity_fields


class BudgetLineChangeForm(PlanChangeForm):
    class Meta:
        model = BudgetLine
        fields = list(REVISABLE_FIELDS[BudgetLine])
        formfield_callback = quantity_fields


class TargetChangeForm(PlanChangeForm):
    class Meta:
        model = IndicatorPeriod
        fields = list(REVISABLE_FIELDS[IndicatorPeriod])
        formfield_callback = quantity_fields


class RevisionSubmitForm(forms.Form):
    reason_vi = forms.CharField(label=_("Reason for the revision (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    reason_en = forms.CharField(label=_("Reason for the revision (English)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Submit the revision"))


class RevisionReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[(APPROVE, _("Approve and apply the changes")), (RETURN, _("Return to the agency"))], widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Reason or comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("When approving: the reason kept in the history of every changed row. When returning: what the agency should correct."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Record the decision"), form_tag=False)


class OpenNextYearForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Action plan"), queryset=Plan.objects.order_by("-start_year", "code"), empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Open the year's delivery plan"), form_tag=False)

    def clean(self):
        cleaned = super().clean()
        plan, year = cleaned.get("plan"), cleaned.get("year")
        if plan is not None and year is not None and not plan.start_year <= year <= plan.end_year:
            self.add_error("year", _("The year must be inside the plan period, %(start)s–%(end)s.") % {"start": plan.start_year, "end": plan.end_year})
        return cleaned


# New activities and their budget (wp-newact) ----------------------------------------------------------


class NewActivityForm(forms.ModelForm):
    """A new activity of one year's delivery plan: its output, task group and sub-task among the plan's,
    provinces current first. The lead agency is a coordinator's choice; a focal point's is their own,
    set by the view (the field is not on their form, so it cannot be posted)."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: why this activity is added. The revision as a whole gives its reason when it is submitted."),
    )

    class Meta:
        model = Activity
        fields = [
            "output", "code", "task_group", "subtask", "title_vi", "title_en", "description_vi", "description_en", "lead_agency",
            "means", "partner_agencies", "funding_partners", "supporting_partners", "provinces", "sector", "planned_start", "planned_end",
        ]  # fmt: skip

    def __init__(self, *args, delivery_plan, choose_agency: bool, proposing: bool, **kwargs):
        super().__init__(*args, **kwargs)
        from ..admin import current_provinces_first  # the admin's own ordering of province pickers

        plan_id = delivery_plan.plan_id
        self.fields["output"].queryset = Output.objects.filter(plan_id=plan_id).order_by("order", "code")
        self.fields["task_group"].queryset = TaskGroup.objects.filter(plan_id=plan_id).order_by("order", "code")
        self.fields["subtask"].queryset = SubTask.objects.filter(task_group__plan_id=plan_id).select_related("task_group")
        self.fields["provinces"].queryset = current_provinces_first(Province.objects.all())
        self.fields["provinces"].label_from_instance = province_label
        for name in ("partner_agencies", "funding_partners", "supporting_partners", "lead_agency"):
            self.fields[name].queryset = Organisation.objects.order_by("level", "name_vi")
        if not choose_agency:
            del self.fields["lead_agency"]
        if not proposing:
            del self.fields["change_reason"]
        self.helper = helper(_("Propose this new activity") if proposing else _("Add the activity"))

    def relations(self) -> dict:
        return {name: list(self.cleaned_data[name]) for name in ("means", "partner_agencies", "funding_partners", "supporting_partners", "provinces")}

    def values(self) -> dict:
        """Everything typed, for the services: the activity's own fields and its relations."""
        names = [name for name in self._meta.fields if name in self.fields and name in self.cleaned_data]
        return {name: self.cleaned_data[name] for name in names}


class NewBudgetLineForm(forms.ModelForm):
    """A budget line of a new activity for the year: in VND, or in a foreign currency with its
    original amount and exchange rate (the VND amount is then converted, as in the admin)."""

    class Meta:
        model = BudgetLine
        fields = list(REVISABLE_FIELDS[BudgetLine])
        formfield_callback = quantity_fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Organisation.objects.order_by("level", "name_vi")
        self.helper = helper(_("Add the budget line"))
