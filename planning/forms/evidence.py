"""The evidence upload form: input and layout only; the view hands cleaned_data to
planning.services.evidence.evidence_add, which checks the file's content and size."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Evidence
from ..services import evidence as evidence_services


class EvidenceForm(forms.Form):
    title_vi = forms.CharField(label=_("title (Vietnamese)"), max_length=Evidence._meta.get_field("title_vi").max_length)
    title_en = forms.CharField(label=_("title (English)"), max_length=Evidence._meta.get_field("title_en").max_length, required=False)
    activity = forms.ModelChoiceField(label=_("activity"), queryset=None, required=False, help_text=_("The activity this file documents, if one."))
    indicator_period = forms.ModelChoiceField(
        label=_("indicator"), queryset=None, required=False, help_text=_("The indicator whose actual this file supports, if one.")
    )
    file = forms.FileField(label=_("file"))
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.fields["activity"].queryset = evidence_services.activities_for(report)
        self.fields["activity"].label_from_instance = lambda activity: f"{activity.code} · {activity.title}"
        self.fields["indicator_period"].queryset = evidence_services.indicator_periods_for(report)
        self.fields["indicator_period"].label_from_instance = lambda period: f"{period.indicator.code} · {period.indicator.title} · {period.period}"
        self.fields["file"].widget.attrs["accept"] = evidence_services.ACCEPT
        self.fields["file"].help_text = _("PDF, Word, Excel, PowerPoint, OpenDocument, JPEG, PNG or WEBP; at most %(limit)s.") % {
            "limit": evidence_services.size_display(evidence_services.max_bytes())
        }
        self.helper = FormHelper()
        self.helper.form_action = reverse("planning:evidence-add", args=[report.pk])
        self.helper.form_id = f"evidence-form-{report.pk}"
        self.helper.add_input(Submit("upload", _("Upload")))
