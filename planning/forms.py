"""Forms of the plan: input and layout only. Writes go through planning.services."""

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Activity, validate_activity_relations


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


class ReasonModelForm(ChangeReasonMixin, forms.ModelForm):
    pass


class ReasonUserChangeForm(ChangeReasonMixin, UserChangeForm):
    """Django's user form asking why, for the history of the agency membership changed with it."""


class ActivityForm(ReasonModelForm):
    class Meta:
        model = Activity
        fields = "__all__"  # noqa: DJ007 - each form (the admin's fieldsets) narrows it

    def clean(self):
        cleaned = super().clean()
        if "delivery_plans" in cleaned:
            # The budget lines typed inline on the same page are checked against these years.
            self.instance.pending_delivery_plans = list(cleaned["delivery_plans"])
        data = {
            "lead_agency": cleaned.get("lead_agency"),
            "partner_agencies": cleaned.get("partner_agencies"),
            "supporting_partners": cleaned.get("supporting_partners"),
            "provinces": cleaned.get("provinces"),
            "planned_start": cleaned.get("planned_start"),
            "planned_end": cleaned.get("planned_end"),
            "actual_start": cleaned.get("actual_start"),
            "actual_end": cleaned.get("actual_end"),
        }
        try:
            validate_activity_relations(**data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
        return cleaned
