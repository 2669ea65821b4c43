"""Forms of the focal points' workspace: input and layout only. The views hand what they hold to
planning.services; every form carries its row's version, so a save from an outdated form is refused
(services.EditConflict) with the user's input kept."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import ActivityProgress, BudgetExecution, IndicatorPeriod, Measure, OrganisationType, ProgressReport, Province
from ..models.indicators import NOT_RECORDED, category_label
from . import province_label


def helper(submit_label, *rows) -> FormHelper:
    """A helper with a Save button; each of `rows` (tuples of field names) side by side from tablet width up."""
    form_helper = FormHelper()
    if rows:
        form_helper.layout = Layout(*[Row(*[Column(name, css_class="col-12 col-md") for name in row]) for row in rows], "version")
    form_helper.add_input(Submit("save", submit_label))
    return form_helper


class DayInput(forms.DateInput):
    """A date typed as the reader writes it (dd/mm/yyyy in Vietnamese: napwps/formats)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": _("yyyy-mm-dd"), "autocomplete": "off", **(attrs or {})})


TEXTAREA = {"rows": 3}


class ActivityProgressForm(forms.ModelForm):
    class Meta:
        model = ActivityProgress
        fields = [
            "status", "progress", "actual_start", "actual_end", "status_justification_vi", "status_justification_en",
            "narrative_vi", "narrative_en", "version",
        ]  # fmt: skip
        widgets = {
            "status_justification_vi": forms.Textarea(attrs=TEXTAREA),
            "status_justification_en": forms.Textarea(attrs=TEXTAREA),
            "narrative_vi": forms.Textarea(attrs=TEXTAREA),
            "narrative_en": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update(min=0, max=100)
        self.helper = helper(
            _("Save"), ("status", "progress"), ("actual_start", "actual_end"), ("status_justification_vi", "status_justification_en"),
            ("narrative_vi", "narrative_en"),
        )  # fmt: skip


class BudgetExecutionForm(forms.ModelForm):
    class Meta:
        model = BudgetExecution
        fields = ["committed_vnd", "committed_on", "disbursed_vnd", "disbursed_on", "spent_vnd", "spent_on", "note_vi", "note_en", "version"]
        widgets = {
            "committed_on": DayInput,
            "disbursed_on": DayInput,
            "spent_on": DayInput,
            "note_vi": forms.Textarea(attrs=TEXTAREA),
            "note_en": forms.Textarea(attrs=TEXTAREA),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for amount, _day in BudgetExecution.FIGURES:
            self.fields[amount].widget.attrs.update(min=0, step=1)
        self.helper = helper(_("Save"), *[(amount, day) for amount, day in BudgetExecution.FIGURES], ("note_vi", "note_en"))


class ReportNarrativeForm(forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = ["narrative_vi", "narrative_en", "version"]
        widgets = {"narrative_vi": forms.Textarea(attrs={"rows": 5}), "narrative_en": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Save the narrative"), ("narrative_vi", "narrative_en"))


class ReportSubmitForm(forms.Form):
    comment = forms.CharField(label=_("Comment for the coordinators"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Submit the report")))


ACTUAL_FIELDS = {
    Measure.NUMBER: ["actual_value"],
    Measure.PERCENTAGE: ["actual_numerator", "actual_denominator", "actual_value"],
    Measure.QUALITATIVE: ["actual_text_vi", "actual_text_en"],
}


class IndicatorActualForm(forms.ModelForm):
    """A period's actual, as the indicator measures it, and its source. The breakdown is a form of its own
    (BreakdownForm) on the same page, saved with it by services.indicator_period_save."""

    class Meta:
        model = IndicatorPeriod
        fields = [
            "actual_value", "actual_numerator", "actual_denominator", "actual_text_vi", "actual_text_en",
            "actual_source_vi", "actual_source_en", "version",
        ]  # fmt: skip
        widgets = {"actual_text_vi": forms.Textarea(attrs=TEXTAREA), "actual_text_en": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        measure = self.instance.indicator.measure
        for name in ("actual_value", "actual_numerator", "actual_denominator", "actual_text_vi", "actual_text_en"):
            if name not in ACTUAL_FIELDS[measure]:
                del self.fields[name]
        if measure == Measure.PERCENTAGE:
            self.fields["actual_value"].help_text = _("Or give the numerator and denominator: the percentage is then computed from them.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def categories_of(disaggregation) -> list[tuple[str, str]]:
    """The categories a breakdown by `disaggregation` is given in (with “not recorded” last), in the reader's language."""
    if disaggregation.categories:
        rows = [(entry[0], category_label(disaggregation, entry[0])) for entry in disaggregation.categories]
    elif disaggregation.code == "province":
        rows = [(province.code, province_label(province)) for province in Province.objects.filter(valid_to__isnull=True).order_by("code")]
    elif disaggregation.code == "organisation-type":
        rows = [(str(value), str(label)) for value, label in OrganisationType.choices]
    else:
        rows = []
    return [*rows, (NOT_RECORDED, category_label(disaggregation, NOT_RECORDED))]


class BreakdownForm(forms.Form):
    """The actual's breakdown: one row per category of each required disaggregation ("not recorded"
    included), a value, or a numerator and denominator for a percentage indicator. Field names are
    `<disaggregation id>__<category>__<value|numerator|denominator>`."""

    def __init__(self, *args, indicator, disaggregations, stored, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = ["numerator", "denominator"] if indicator.measure == Measure.PERCENTAGE else ["value"]
        self.groups = []
        for disaggregation in disaggregations:
            rows = []
            for code, label in categories_of(disaggregation):
                names = []
                for part in self.parts:
                    name = f"{disaggregation.pk}__{code}__{part}"
                    value = stored.get((disaggregation.pk, code))
                    self.fields[name] = forms.DecimalField(
                        label=f"{label}: {DisaggregatedPart.LABELS[part]}", required=False, min_value=0, max_digits=14, decimal_places=2,
                        initial=getattr(value, part) if value is not None else None,
                    )  # fmt: skip
                    names.append(name)
                rows.append((code, label, [self[name] for name in names]))
            self.groups.append((disaggregation, rows))

    def entered(self) -> dict[tuple[int, str], dict[str, object]]:
        """What was typed, by (disaggregation id, category): {part: value}; empty rows left out."""
        rows: dict[tuple[int, str], dict] = {}
        for name, value in self.cleaned_data.items():
            disaggregation, code, part = name.split("__")
            rows.setdefault((int(disaggregation), code), {})[part] = value
        return {key: parts for key, parts in rows.items() if any(value is not None for value in parts.values())}


class DisaggregatedPart:
    LABELS = {"value": _("value"), "numerator": _("numerator"), "denominator": _("denominator")}
