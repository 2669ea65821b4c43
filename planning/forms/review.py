"""The coordinators' review queue: its filters, and the decision on a report with a comment per item."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Organisation, ReportingPeriod

COMMENT_MAX_LENGTH = 2000  # services.reporting.review_comment_add's limit


class ReviewFilterForm(forms.Form):
    """The queue's filters, in the URL (GET): a period and an agency."""

    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.none(), required=False, empty_label=_("All periods"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Organisation.objects.none(), required=False, empty_label=_("All agencies"))

    def __init__(self, *args, periods, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["agency"].queryset = agencies
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "review-filters"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Div(
                Div(Field("period"), css_class="col-md-4"),
                Div(Field("agency"), css_class="col-md-5"),
                Div(Submit("filter", _("Filter"), css_class="btn-outline-primary mt-md-4"), css_class="col-md-3"),
                css_class="row g-2 align-items-start",
            )
        )


def item_field_name(item) -> str:
    return f"item-{item._meta.model_name}-{item.pk}"


class ReviewForm(forms.Form):
    """Approve or return a report: a general comment and one comment per item (the fields are laid
    out beside each item by the template, each with `as_crispy_field`)."""

    comment = forms.CharField(
        label=_("General comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded with the decision; the agency sees it."),
    )

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the report as the coordinator read it

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = {item_field_name(item): item for item in items}
        for name in self.items:
            self.fields[name] = forms.CharField(
                label=_("Comment on this item"), required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def item_comments(self) -> dict:
        """{item: text} for the items commented on."""
        return {item: self.cleaned_data[name].strip() for name, item in self.items.items() if self.cleaned_data.get(name, "").strip()}
