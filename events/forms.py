"""Forms of the organisers' pages: input and layout only; views hand cleaned_data to services."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.forms import formset_factory, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from planning import roles
from planning.forms.imports import WorkbookUploadForm
from planning.models import Activity, Organisation, Province

from .models import COMMENT_MAX_LENGTH, AgeBand, Event, Person, Role, Sector, Session, Sex

EMPTY_CHOICE = ("", "---------")


def helper(submit_label) -> FormHelper:
    form_helper = FormHelper()
    form_helper.add_input(Submit("submit", submit_label))
    return form_helper


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class EventForm(forms.ModelForm):
    audience = forms.MultipleChoiceField(label=_("target audience"), choices=Sector.choices, required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Event
        fields = [
            "code", "type", "title_vi", "title_en", "description_vi", "description_en", "objectives_vi", "objectives_en",
            "start_date", "end_date", "venue_vi", "venue_en", "province", "modality", "organisers", "co_organisers",
            "audience", "activities", "certificate_min_days", "signatory_name", "signatory_title", "managers",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description_vi": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "objectives_vi": forms.Textarea(attrs={"rows": 3}),
            "objectives_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Province.objects.order_by("-valid_to", "name_vi")
        self.fields["organisers"].queryset = Organisation.objects.order_by("level", "name_vi")
        self.fields["co_organisers"].queryset = Organisation.objects.order_by("level", "name_vi")
        self.fields["activities"].queryset = Activity.objects.select_related("plan").order_by("code")
        self.fields["managers"].queryset = get_user_model().objects.filter(groups__name=roles.ORGANISERS, is_active=True).distinct().order_by("username")
        self.fields["managers"].help_text = _("Colleagues who run this event with you and may see its participants' personal data. You stay one of them.")
        self.fields["managers"].required = False
        self.helper = helper(_("Save"))


SessionFormSet = inlineformset_factory(
    Event, Session, fields=["day", "start_time", "end_time", "title_vi", "title_en", "speakers", "facilitators"], extra=3, can_delete=True,
    widgets={"day": DateInput, "start_time": forms.TimeInput(attrs={"type": "time"}), "end_time": forms.TimeInput(attrs={"type": "time"})},
)  # fmt: skip


def difficulty_field(attribute) -> forms.TypedChoiceField:
    """An optional Washington Group question, labelled as the model labels it."""
    model_field = attribute.field
    return forms.TypedChoiceField(
        label=model_field.verbose_name, choices=[("", _("Not asked")), *model_field.choices], coerce=int, empty_value=None, required=False
    )


ORGANISATIONS_LIST = "known-organisations"


def known_organisation(typed: str, *, day):
    """The organisation of the portal, active on `day`, that `typed` names as the participant import
    reads it (code, acronym or name, case and diacritics aside), or None when none or several do."""
    from .selectors import organisations_named

    found = organisations_named(typed, day=day)
    return found[0] if len(found) == 1 else None


class OrganisationInput(forms.TextInput):
    """Free text, suggesting the portal's organisations (a <datalist> the template adds once)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"list": ORGANISATIONS_LIST, "autocomplete": "off", **(attrs or {})})


class RegistrationFieldsMixin:
    """Who someone is at an event (`self.event`): one organisation field, resolved to a known organisation
    when it names exactly one active on the event's first day."""

    def clean_organisation(self):
        typed = " ".join(self.cleaned_data.get("organisation", "").split())
        self.organisation = known_organisation(typed, day=self.event.start_date)
        return typed

    def organisation_fields(self) -> dict:
        organisation = getattr(self, "organisation", None)
        if organisation is not None:
            return {"organisation": organisation, "organisation_name": ""}
        return {"organisation": None, "organisation_name": self.cleaned_data["organisation"]}

    @staticmethod
    def organisation_names() -> list[str]:
        return list(Organisation.objects.order_by("name_vi").values_list("name_vi", flat=True))


def organisation_field():
    return forms.CharField(
        label=_("Organisation (agency, unit or company)"), max_length=255, widget=OrganisationInput,
        help_text=_("Choose from the list or type the name as the person writes it."),
    )  # fmt: skip


def required_choice(label, choices):
    """A required choice that starts empty: a forgotten field is an error, never a default that skews the counts."""
    return forms.ChoiceField(label=label, choices=[EMPTY_CHOICE, *choices])


class RegistrationForm(RegistrationFieldsMixin, forms.Form):
    """One person at one event: who they are and who they come as."""

    full_name = forms.CharField(label=_("full name"), max_length=200)
    sex = required_choice(_("sex"), Sex.choices)
    age_band = forms.ChoiceField(label=_("age band"), choices=[EMPTY_CHOICE, *AgeBand.choices], required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    organisation = organisation_field()
    sector = required_choice(_("sector"), Sector.choices)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    province = forms.ModelChoiceField(label=_("province"), queryset=Province.objects.none(), required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices, initial=Role.PARTICIPANT)
    consent_data = forms.BooleanField(label=_("consents to data processing"), required=False)
    consent_photos = forms.BooleanField(label=_("consents to photos"), required=False)
    consent_follow_up = forms.BooleanField(label=_("consents to follow-up"), required=False)
    accessibility_needs = forms.CharField(label=_("accessibility needs"), max_length=300, required=False)
    same_person = forms.BooleanField(
        label=_("This is the same person as the existing record shown above"), required=False,
        help_text=_("Tick only when you are sure: their events are then counted as one person's."),
    )  # fmt: skip

    wg_seeing = difficulty_field(Person.wg_seeing)
    wg_hearing = difficulty_field(Person.wg_hearing)
    wg_walking = difficulty_field(Person.wg_walking)
    wg_cognition = difficulty_field(Person.wg_cognition)
    wg_self_care = difficulty_field(Person.wg_self_care)
    wg_communicating = difficulty_field(Person.wg_communicating)

    PERSON_FIELDS = ("full_name", "sex", "age_band", "email", "phone", *Person.WG_FIELDS)

    def __init__(self, *args, event: Event, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.user = user
        self.match = None  # someone with this e-mail or phone whom the user has met at their own events
        self.match_name = None
        self.unknown_match = False  # someone with this e-mail or phone only another organiser has met
        self.fields["province"].queryset = Province.objects.valid_between(event.start_date, event.end_date).order_by("name_vi")
        if not self.is_bound:
            del self.fields["same_person"]  # shown only beside a record it refers to
        self.helper = helper(_("Register"))

    def clean(self):
        from .selectors import is_registered, person_match

        cleaned = super().clean()
        # Someone only another organiser has met is never revealed, nor linked to: the new record
        # stands apart until a coordinator merges the two (events:people-duplicates).
        match = person_match(self.user, email=cleaned.get("email", ""), phone=cleaned.get("phone", ""))
        self.unknown_match = match.unknown
        self.match, self.match_name = match.person, match.name
        if self.match is not None:
            if is_registered(self.event, self.match):
                self.add_error("email", _("%(name)s is already registered for this event.") % {"name": self.match_name})
            elif not cleaned.get("same_person"):
                message = _("%(name)s already has this e-mail or phone. Tick the box if it is the same person, or correct the contact.")
                self.add_error("same_person", message % {"name": self.match_name})
        elif "same_person" in self.fields:
            del self.fields["same_person"]
        return cleaned

    def person_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.PERSON_FIELDS}

    def participation_fields(self) -> dict:
        fields = {name: value for name, value in self.cleaned_data.items() if name not in (*self.PERSON_FIELDS, "same_person", "organisation")}
        return {**fields, **self.organisation_fields()}


class CorrectionForm(RegistrationFieldsMixin, forms.Form):
    """A registration corrected: the person's name and sex, who they came as."""

    full_name = forms.CharField(label=_("full name"), max_length=200)
    sex = required_choice(_("sex"), Sex.choices)
    organisation = organisation_field()
    sector = required_choice(_("sector"), Sector.choices)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)

    def __init__(self, *args, participation, **kwargs):
        initial = {
            "full_name": participation.person.full_name, "sex": participation.person.sex, "organisation": participation.organisation_label,
            "sector": participation.sector, "position": participation.position, "role": participation.role,
        }  # fmt: skip
        super().__init__(*args, initial=initial, **kwargs)
        self.event = participation.event
        self.helper = helper(_("Save the correction"))

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("full_name", "sex", "sector", "position", "role")}
        return {**data, **self.organisation_fields()}


class ImportForm(WorkbookUploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Preview"))


class ScoreForm(forms.Form):
    participation = forms.IntegerField(widget=forms.HiddenInput)
    pre_test_score = forms.DecimalField(label=_("pre-test (%)"), min_value=0, max_value=100, decimal_places=2, required=False)
    post_test_score = forms.DecimalField(label=_("post-test (%)"), min_value=0, max_value=100, decimal_places=2, required=False)


ScoreFormSet = formset_factory(ScoreForm, extra=0)


class FeedbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(label=_("satisfaction (1–5)"), choices=[(n, n) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect)
    relevance = forms.TypedChoiceField(label=_("relevance (1–5)"), choices=[(n, n) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect)
    comments = forms.CharField(label=_("comments"), max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(_("Save feedback"))


class FiguresFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False, empty_value=None)
    type = forms.ChoiceField(label=_("type"), choices=[("", _("All types")), *Event._meta.get_field("type").choices], required=False)
    province = forms.ModelChoiceField(
        label=_("province"),
        queryset=Province.objects.order_by("name_vi", "valid_from"),
        required=False,
        help_text=_("A unit formed on 1 July 2025 also matches the events held in the provinces merged into it."),
    )
    objective = forms.ModelChoiceField(label=_("linked objective"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        from planning.models import Objective

        super().__init__(*args, **kwargs)
        years = sorted({day.year for day in Event.objects.dates("start_date", "year")}, reverse=True)
        self.fields["year"].choices = [("", _("All years")), *[(year, year) for year in years]]
        self.fields["objective"].queryset = Objective.objects.order_by("plan", "order")


class MergeForm(forms.Form):
    """Which record stays and which one is merged into it."""

    keep = forms.ModelChoiceField(queryset=Person.objects.filter(anonymised_on__isnull=True), widget=forms.HiddenInput)
    duplicate = forms.ModelChoiceField(queryset=Person.objects.filter(anonymised_on__isnull=True), widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("duplicate"):
            raise forms.ValidationError(_("A person cannot be merged with themselves."))
        return cleaned
