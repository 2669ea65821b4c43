"""Forms of the plan: input and layout only. Writes go through planning.services.

The admin's forms ask the service that will save a row whether it would accept it (`service_check`),
so each rule is written once, in the service, and its message still appears beside its field.
"""

import copy
import datetime
from functools import cached_property

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import Activity, DisaggregatedValue, Disaggregation, OrganisationType, Province
from ..models.indicators import NOT_RECORDED, category_label

REFUSED = _("You may not make this change: it concerns another agency's part of the plan.")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError beside the form's fields (or above them when it names no field here)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, messages)


class ChangeReasonMixin(forms.Form):
    """Asks why, for the history. Required when changing an existing record."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the history with your name and the time."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields["change_reason"].required = bool(instance is not None and instance.pk)


class ServiceCheckedForm(forms.ModelForm):
    """A model form that, once the model's own validation passes, asks the service.

    `service_check(instance, **relations)` is set by the admin for the user at hand (e.g.
    services.record_check bound to request.user); None leaves the check to the form's formset.
    """

    service_check = None

    def relations(self) -> dict:
        return {field.name: self.cleaned_data[field.name] for field in self._meta.model._meta.many_to_many if field.name in self.cleaned_data}

    def _post_clean(self):
        super()._post_clean()
        if self.service_check is None or self._errors:
            return
        try:
            self.service_check(self.instance, **self.relations())
        except ValidationError as error:
            add_service_errors(self, error)
        except PermissionDenied:
            self.add_error(None, REFUSED)


class ReasonModelForm(ChangeReasonMixin, ServiceCheckedForm):
    pass


VERSION_MISSING = _("This form came back without the version of the record it was opened with: reload the page and make your change again.")


class VersionFormField(forms.IntegerField):
    """The version (django-concurrency) of the row a form was opened with, as a plain hidden number.

    Not signed: a forged number only makes the save refused or lets the user overwrite what they
    could overwrite by reloading. It never counts as a change of the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def has_changed(self, initial, data):
        return False


class VersionedForm(forms.ModelForm):
    """A form of a row with a version: a change saved from an outdated form is refused with what the
    other person changed (services.edit_conflict), and the user's input stays in the form.

    The form compares versions as it validates; the service's save compares them again
    (services._save), so a save between the two is refused too. A form the user did not change is
    not checked (an untouched inline row of a page another person edited meanwhile)."""

    version = VersionFormField()
    check_unchanged = True  # False: a row left as it was is not saved, so the service is not asked

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._read_version = self.instance.version
        if self.instance.pk is not None:
            self.initial["version"] = self.instance.version

    def _opened_record(self):
        """The row as it was when this form was opened, from its history, when it changed since."""
        if not self.is_bound or self.instance.pk is None or not hasattr(self.instance, "history"):
            return None
        try:
            posted = int(self.data.get(self.add_prefix("version")))
        except (TypeError, ValueError):
            return None
        if posted == self._read_version:
            return None
        return self.instance.history.filter(version=posted).order_by("-history_date").first()

    @cached_property
    def changed_data(self):
        """What the user changed: against the row as they opened it, not as it is now (another
        person's change to the row is not the user's, so an untouched stale row stays untouched)."""
        changed = super().changed_data
        opened = self._opened_record()
        if opened is None:
            return changed
        concrete = {field.name: field for field in self.instance._meta.concrete_fields}
        return [
            name for name in changed
            if name not in concrete or self.fields[name].has_changed(getattr(opened, concrete[name].attname), self[name].data)
        ]  # fmt: skip

    def model_changed(self) -> bool:
        """Did the user change the row itself (not only the reason for the history)?"""
        return any(name not in ("change_reason", "version") for name in self.changed_data)

    def clean(self):
        cleaned_data = super().clean()
        version_error = self._errors.pop("version", None) if self._errors else None
        if self.instance.pk is None or not self.model_changed():
            return cleaned_data
        posted = cleaned_data.get("version")
        if version_error or posted is None:
            self.add_error(None, VERSION_MISSING)
            return cleaned_data
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if stored is not None and stored != posted:
            opened = copy.copy(self.instance)
            opened.version = posted
            self.add_error(None, services.edit_conflict(opened))
        return cleaned_data

    def _post_clean(self):
        if not self.check_unchanged and self.instance.pk is not None and not self.model_changed():
            self.service_check = None
        super()._post_clean()
        # The service saves a changed row against the version the form was opened with; a row left
        # as it was keeps the version it was read with (saved along with its page, it is no conflict).
        if self.instance.pk is not None:
            changed = self.model_changed() and self.cleaned_data.get("version") is not None
            self.instance.version = self.cleaned_data["version"] if changed else self._read_version


class VersionedReasonForm(VersionedForm, ReasonModelForm):
    pass


class VersionedServiceForm(VersionedForm, ServiceCheckedForm):
    pass


class BudgetLineForm(VersionedReasonForm):
    check_unchanged = False  # left as it was, it is not saved (only its execution changed)


class ReportedItemForm(VersionedServiceForm):
    """A row of an agency's report (yearly progress, budget execution): only rows the user changed are
    checked and saved, so an untouched row never stops the page while its report is submitted."""

    check_unchanged = False


class ReasonUserChangeForm(ChangeReasonMixin, UserChangeForm):
    """Django's user form asking why, for the history of the agency membership changed with it."""


class ActivityForm(VersionedReasonForm):
    check_unchanged = False  # left as it was, it is not saved (only its yearly progress or budget lines changed)

    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - each form (the admin's fieldsets) narrows it


def is_former(province: Province, today: datetime.date | None = None) -> bool:
    return province.valid_to is not None and province.valid_to < (today or datetime.date.today())


def province_label(province: Province) -> str:
    """A province in a picker, in the reader's language; a former one says so."""
    if is_former(province):
        return _("%(name)s (%(code)s) — former, until %(date)s") % {"name": province.name, "code": province.code, "date": f"{province.valid_to:%d/%m/%Y}"}
    return f"{province.name} ({province.code})"


def category_choices():
    """Every category of every disaggregation, grouped by disaggregation, in the reader's language."""
    choices = [("", "---------"), (NOT_RECORDED, category_label(None, NOT_RECORDED))]
    for disaggregation in Disaggregation.objects.all():
        if disaggregation.categories:
            options = [(entry[0], category_label(disaggregation, entry[0])) for entry in disaggregation.categories]
        elif disaggregation.code == "province":
            current = Province.objects.filter(valid_to__isnull=True).order_by("code")
            options = [(province.code, province_label(province)) for province in current]
        elif disaggregation.code == "organisation-type":
            options = [(str(value), label) for value, label in OrganisationType.choices]
        else:
            continue
        choices.append((str(disaggregation), options))
    return choices


class DisaggregatedValueForm(ServiceCheckedForm):
    category = forms.ChoiceField(label=_("category"), choices=category_choices)

    class Meta:
        model = DisaggregatedValue
        fields = "__all__"  # noqa: DJ007 - the admin's inline narrows it


def form_rows(formset) -> list:
    """The forms of a formset that stand for a row after the save: valid, not deleted, not left empty."""
    deleted = set(map(id, formset.deleted_forms)) if formset.can_delete else set()
    return [
        form
        for form in formset.forms
        if hasattr(form, "cleaned_data") and id(form) not in deleted and (form.instance.pk is not None or form.has_changed()) and not form._errors
    ]


NOT_THE_ACTIVITYS_YEAR = _("Choose one of the activity's years: tick this year among its delivery plans first.")


class BudgetLineFormSet(BaseInlineFormSet):
    """An activity's budget lines, checked against the years ticked on the same page (one rule:
    services.budget_line_check, given the years the activity will have)."""

    user = None

    def ticked_years(self):
        if "delivery_plans" not in self.data:
            return None
        field = Activity._meta.get_field("delivery_plans").formfield()
        try:
            return list(field.clean(self.data.getlist("delivery_plans")))
        except ValidationError:
            return None  # the activity's own form shows why

    def clean(self):
        super().clean()
        years = self.ticked_years()
        for form in form_rows(self):
            if form.instance.pk is not None and not form.has_changed():
                # Untouched, it is not saved: only its year is checked against the years ticked now.
                if services.activity_budget_years_check(delivery_plans=years, budget_lines=[form.instance]):
                    form.add_error("delivery_plan", NOT_THE_ACTIVITYS_YEAR)
                continue
            try:
                services.budget_line_check(form.instance, user=self.user, activity_years=years)
            except ValidationError as error:
                add_service_errors(form, error)
            except PermissionDenied:
                form.add_error(None, REFUSED)


class DisaggregatedValueFormSet(BaseInlineFormSet):
    """The breakdown of one year's target and actual, checked with the totals typed on the same page."""

    def clean(self):
        super().clean()
        if any(form._errors for form in self.forms if hasattr(form, "_errors") and form._errors):
            return
        values = [form.instance for form in form_rows(self)]
        try:
            services.disaggregation_check(period=self.instance, values=values)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
