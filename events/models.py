"""Workshops, trainings and launches: agenda, people, participation, attendance, tests, feedback.

Personal data (people and their participations) is read only through events.selectors, which
scope it to the event's organisers and coordinators; anything public is an aggregate.
"""

import datetime
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from napwps import formatting
from napwps.bilingual import TranslatedText
from napwps.text import name_sort_key
from planning.models import Activity, Indicator, Measure, Objective, Organisation, OrganisationType, Province


class EventType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    LAUNCH = "launch", _("Launch")
    CONSULTATION = "consultation", _("Consultation")
    FORUM = "forum", _("Forum")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class Sector(models.TextChoices):
    """Who took part, as Viet Nam's WPS events report it (research §4.2), mapped to IATI types."""

    GOVERNMENT = "government", _("Government")
    WOMENS_MACHINERY = "womens_machinery", _("Women's machinery")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    INGO = "ingo", _("International NGO")
    NGO = "ngo", _("National NGO")
    ACADEMIA = "academia", _("Academia and research")
    MEDIA = "media", _("Media")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    UN_DIPLOMATIC = "un_diplomatic", _("UN and diplomatic")


SECTOR_IATI_TYPES = {
    Sector.GOVERNMENT: OrganisationType.GOVERNMENT,
    Sector.WOMENS_MACHINERY: OrganisationType.OTHER_PUBLIC,
    Sector.SOCIAL_ORGANISATION: OrganisationType.NATIONAL_NGO,
    Sector.INGO: OrganisationType.INGO,
    Sector.NGO: OrganisationType.NATIONAL_NGO,
    Sector.ACADEMIA: OrganisationType.ACADEMIC,
    Sector.MEDIA: OrganisationType.OTHER,
    Sector.PRIVATE_SECTOR: OrganisationType.PRIVATE_SECTOR,
    Sector.UN_DIPLOMATIC: OrganisationType.MULTILATERAL,
}


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other / prefer not to say")


class AgeBand(models.TextChoices):
    """The categories of the 'age-band' disaggregation of the plan's indicators."""

    UNDER_25 = "under-25", _("Under 25")
    FROM_25 = "25-34", "25–34"
    FROM_35 = "35-44", "35–44"
    FROM_45 = "45-54", "45–54"
    FROM_55 = "55-plus", _("55 and over")


class Difficulty(models.IntegerChoices):
    """Washington Group short set answers."""

    NONE = 1, _("No difficulty")
    SOME = 2, _("Some difficulty")
    A_LOT = 3, _("A lot of difficulty")
    CANNOT = 4, _("Cannot do at all")


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    SPEAKER = "speaker", _("Speaker")
    FACILITATOR = "facilitator", _("Facilitator")
    ORGANISER = "organiser", _("Organiser")


MAX_EVENT_DAYS = 31  # a few weeks: longer is a typing mistake, and every day is a check-in page and a sheet
COMMENT_MAX_LENGTH = 2000


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")


class DaysAfter(Func):
    """A date `days` days after `expression`, written so that a CHECK constraint holds it on SQLite and PostgreSQL alike."""

    output_field = models.DateField()

    def __init__(self, expression, days, **extra):
        super().__init__(expression, days=int(days), **extra)

    def as_sql(self, compiler, connection, **extra_context):  # PostgreSQL: date + integer is a date
        return super().as_sql(compiler, connection, template="(%(expressions)s + %(days)s)", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="date(%(expressions)s, '+%(days)s days')", **extra_context)


class EventQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)

    def managed_by(self, user):
        """Events whose personal data this user may see: coordinators all, organisers their own."""
        from planning import roles

        if not user.is_authenticated or not user.is_active:
            return self.none()
        if roles.is_coordinator(user):
            return self
        return self.filter(managers=user)


SYNTHETIC_PARTICIPANTS_NOTE = _(
    "The participants of this event are synthetic, made up to demonstrate the portal: they and every figure counted from them are not real."
)


class Event(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    objectives_vi = models.TextField(_("objectives (Vietnamese)"), blank=True)
    objectives_en = models.TextField(_("objectives (English)"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    venue_vi = models.CharField(_("venue (Vietnamese)"), max_length=255, blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=255, blank=True)
    province = models.ForeignKey(
        Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="events",
        help_text=_("As it was on the event's first day."),
    )  # fmt: skip
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices, default=Modality.IN_PERSON)
    organisers = models.ManyToManyField(Organisation, verbose_name=_("organisers"), related_name="organised_events")
    co_organisers = models.ManyToManyField(Organisation, verbose_name=_("co-organisers"), blank=True, related_name="co_organised_events")
    audience = models.JSONField(_("target audience"), default=list, blank=True, help_text=_("Sectors the event is for."))
    activities = models.ManyToManyField(Activity, verbose_name=_("activities delivered"), blank=True, related_name="events")
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organising staff"), blank=True, related_name="managed_events",
        help_text=_("People who run this event in the portal and may see its participants' personal data."),
    )  # fmt: skip
    certificate_min_days = models.PositiveSmallIntegerField(
        _("days of attendance for a certificate"), default=1, validators=[MinValueValidator(1)],
        help_text=_("A certificate of attendance goes to people present on at least this many days."),
    )  # fmt: skip
    signatory_name = models.CharField(
        _("certificate signatory"), max_length=200, blank=True, help_text=_("Who signs the certificates of attendance, e.g. Nguyễn Văn A.")
    )
    signatory_title = models.CharField(
        _("signatory's title"), max_length=300, blank=True, help_text=_("Their position, printed under the name, e.g. Director-General.")
    )
    is_sample = models.BooleanField(_("sample content"), default=False)
    synthetic_participants = models.BooleanField(
        _("synthetic participants"),
        default=False,
        help_text=_("The people registered here are made up for the demonstration: every figure counted from them says so."),
    )
    organisers_unconfirmed = models.BooleanField(
        _("organisers unconfirmed"), default=False, help_text=_("The sources do not name the organisers: the ones given here are a guess.")
    )

    title = TranslatedText()
    description = TranslatedText()
    objectives = TranslatedText()
    venue = TranslatedText()
    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[organisers, co_organisers, activities])

    class Meta:
        ordering = ["-start_date", "code"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="event_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(condition=Q(certificate_min_days__gte=1), name="event_certificate_rule_positive"),
            models.CheckConstraint(
                condition=Q(end_date__lte=DaysAfter("start_date", MAX_EVENT_DAYS - 1)),
                name="event_at_most_31_days",
                violation_error_message=_("An event lasts at most 31 days."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.start_date:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("events:event-detail", args=[self.pk])

    def natural_key(self):
        return (self.code,)

    def clean(self):
        errors = {}
        dates_in_order = False
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        elif self.start_date and self.end_date and self.day_count > MAX_EVENT_DAYS:
            errors["end_date"] = _("An event lasts at most %(days)s days: check the first and last days.") % {"days": MAX_EVENT_DAYS}
        elif self.start_date and self.end_date:
            dates_in_order = True
        if self.province_id and self.start_date and not self.province.is_valid_between(self.start_date, self.start_date):
            errors["province"] = _("%(province)s was not a province on %(day)s.") % {"province": self.province, "day": formatting.short_date(self.start_date)}
        unknown = set(self.audience or []) - set(Sector.values)
        if unknown:
            errors["audience"] = _("Unknown sectors: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
        if dates_in_order and self.certificate_min_days and self.certificate_min_days > self.day_count:
            errors["certificate_min_days"] = _("The event has only %(days)s days.") % {"days": self.day_count}
        if errors:
            raise ValidationError(errors)

    @property
    def day_count(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def days(self) -> list:
        """The event's days; never more than MAX_EVENT_DAYS, whatever the database holds."""
        return [self.start_date + datetime.timedelta(days=n) for n in range(max(0, min(self.day_count, MAX_EVENT_DAYS)))]

    def has_begun(self, day: datetime.date | None = None) -> bool:
        """Whether `day` (by default the first day) has begun, in the portal's time zone."""
        from django.utils import timezone

        return (day or self.start_date) <= timezone.localdate()

    @property
    def certificates_open(self) -> bool:
        """Certificates are issued once the last day has begun: attendance is complete by then."""
        return self.has_begun(self.end_date)


class Session(models.Model):
    """A slot of the agenda."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    speakers = models.CharField(_("speakers"), max_length=500, blank=True)
    facilitators = models.CharField(_("facilitators"), max_length=500, blank=True)

    title = TranslatedText()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "day", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("agenda")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_times_in_order", violation_error_message=_("A session ends after it starts.")
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m} {self.start_time:%H:%M} {self.title}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A session ends after it starts.")})
        if self.event_id and self.day and not self.event.start_date <= self.day <= self.event.end_date:
            raise ValidationError({"day": _("The day must be one of the event's days.")})


def normalise_phone(phone: str) -> str:
    """Digits only, a leading +84 read as 0: '+84 912 345 678' and '0912345678' are the same phone."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and (phone or "").strip().startswith("+"):
        digits = "0" + digits[2:]
    return digits


def contact_keys(*, email: str = "", phone: str = "") -> list[str]:
    """How one human is recognised across events and files: an e-mail in any case, a phone however written."""
    email, phone = (email or "").strip().lower(), normalise_phone(phone)
    return [key for key in (f"email:{email}" if email else "", f"phone:{phone}" if phone else "") if key]


def search_key(text: str) -> str:
    """A name as typed on a phone: lower case, without diacritics ('Đặng Thị Hồng' -> 'dang thi hong')."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("Đ", "D").replace("đ", "d"))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).casefold().split())


class Person(models.Model):
    """One human across events. Possible duplicates (same e-mail or phone) are merged deliberately."""

    full_name = models.CharField(_("full name"), max_length=200)
    sort_name = models.CharField(_("name for ordering"), max_length=1000, blank=True, editable=False, db_index=True)
    search_name = models.CharField(_("name for searching"), max_length=200, blank=True, editable=False, db_index=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    wg_seeing = models.PositiveSmallIntegerField(_("difficulty seeing"), choices=Difficulty.choices, null=True, blank=True)
    wg_hearing = models.PositiveSmallIntegerField(_("difficulty hearing"), choices=Difficulty.choices, null=True, blank=True)
    wg_walking = models.PositiveSmallIntegerField(_("difficulty walking or climbing steps"), choices=Difficulty.choices, null=True, blank=True)
    wg_cognition = models.PositiveSmallIntegerField(_("difficulty remembering or concentrating"), choices=Difficulty.choices, null=True, blank=True)
    wg_self_care = models.PositiveSmallIntegerField(_("difficulty with self-care"), choices=Difficulty.choices, null=True, blank=True)
    wg_communicating = models.PositiveSmallIntegerField(_("difficulty communicating"), choices=Difficulty.choices, null=True, blank=True)
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)
    is_sample = models.BooleanField(_("sample (synthetic) person"), default=False)

    WG_FIELDS = ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition", "wg_self_care", "wg_communicating")

    class Meta:
        ordering = ["sort_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["email"]), models.Index(fields=["phone"])]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.full_name)
        self.sort_name = name_sort_key(unicodedata.normalize("NFC", self.full_name or ""))  # Vietnamese order: given name first
        self.phone = normalise_phone(self.phone)  # one way of writing a phone, so that matching finds it
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name", "sort_name"}
        super().save(*args, **kwargs)

    @property
    def has_disability(self) -> bool | None:
        """Washington Group short set: 'a lot of difficulty' or worse in any domain. None when not asked."""
        answers = [getattr(self, field) for field in self.WG_FIELDS if getattr(self, field) is not None]
        if not answers:
            return None
        return any(answer >= Difficulty.A_LOT for answer in answers)


class Participation(models.Model):
    """A person at an event, with who they were there: organisation, sector and role as at the event."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="participations")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation_name = models.CharField(_("organisation (as written)"), max_length=255, blank=True)
    organisation_type = models.PositiveSmallIntegerField(_("organisation type (IATI)"), choices=OrganisationType.choices, null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    province = models.ForeignKey(Province, verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    status = models.CharField(_("registration"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.REGISTERED)
    consent_data = models.BooleanField(_("consents to data processing"), default=False)
    consent_photos = models.BooleanField(_("consents to photos"), default=False)
    consent_follow_up = models.BooleanField(_("consents to follow-up"), default=False)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    pre_test_score = models.DecimalField(
        _("pre-test score (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    post_test_score = models.DecimalField(
        _("post-test score (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "person__sort_name", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"], name="participation_once_per_event", violation_error_message=_("This person is already registered.")
            ),
            models.CheckConstraint(
                condition=Q(pre_test_score__isnull=True) | Q(pre_test_score__gte=0, pre_test_score__lte=100), name="participation_pre_test_is_a_percentage"
            ),
            models.CheckConstraint(
                condition=Q(post_test_score__isnull=True) | Q(post_test_score__gte=0, post_test_score__lte=100), name="participation_post_test_is_a_percentage"
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.event.code}"

    def clean(self):
        if self.province_id and self.event_id and not self.province.is_valid_between(self.event.start_date, self.event.end_date):
            raise ValidationError({"province": _("%(province)s was not a province at the time of the event.") % {"province": self.province}})

    @property
    def organisation_label(self) -> str:
        return self.organisation_name or (str(self.organisation.name) if self.organisation_id else "")


class Attendance(models.Model):
    """Present on a day of the event (and, optionally, at one session of it)."""

    participation = models.ForeignKey(Participation, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="attendances")
    day = models.DateField(_("day"))
    session = models.ForeignKey(Session, verbose_name=_("session"), null=True, blank=True, on_delete=models.CASCADE, related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["day"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["participation", "day"], condition=Q(session__isnull=True), name="attendance_once_per_day"),
            models.UniqueConstraint(fields=["participation", "session"], condition=Q(session__isnull=False), name="attendance_once_per_session"),
        ]

    def __str__(self):
        return f"{self.participation} · {self.day:%d/%m/%Y}"


class Feedback(models.Model):
    """An evaluation form (Kirkpatrick level 1), anonymous unless linked to a participant."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="feedback")
    participation = models.OneToOneField(
        Participation, verbose_name=_("participant"), null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    relevance = models.PositiveSmallIntegerField(_("relevance (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comments = models.TextField(_("comments"), blank=True, max_length=COMMENT_MAX_LENGTH, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.CheckConstraint(condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="feedback_satisfaction_1_to_5"),
            models.CheckConstraint(condition=Q(relevance__gte=1, relevance__lte=5), name="feedback_relevance_1_to_5"),
        ]

    def __str__(self):
        return f"{self.event.code} · {self.satisfaction}/{self.relevance}"


class Certificate(models.Model):
    """A certificate of attendance as issued: its number is unique in the event and never changes."""

    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="certificates")
    participation = models.OneToOneField(Participation, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="certificate")
    number = models.PositiveIntegerField(_("number"))
    issued_on = models.DateField(_("date of issue"))

    class Meta:
        ordering = ["event", "number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="certificate_number_once_per_event")]

    def __str__(self):
        return f"{self.event.code} · {self.number:03d}"


class IndicatorRule(models.Model):
    """Makes an indicator's yearly actual a count of people trained, computed from attendance.

    Counts unique people who attended at least `min_days` days of matching events in the year,
    disaggregated by sex and sector.
    """

    indicator = models.OneToOneField(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="event_rule")
    event_types = models.JSONField(_("event types"), default=list, blank=True, help_text=_("Empty: every type."))
    activities = models.ManyToManyField(Activity, verbose_name=_("linked activities"), blank=True, related_name="+")
    objectives = models.ManyToManyField(Objective, verbose_name=_("linked objectives"), blank=True, related_name="+")
    sectors = models.JSONField(_("sectors"), default=list, blank=True, help_text=_("Empty: every sector."))
    roles = models.JSONField(_("roles counted"), default=list, blank=True, help_text=_("Empty: participants only."))
    min_days = models.PositiveSmallIntegerField(_("days attended at least"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("indicator computed from events")
        verbose_name_plural = _("indicators computed from events")

    def __str__(self):
        return str(self.indicator)

    def clean(self):
        errors = {}
        if set(self.event_types or []) - set(EventType.values):
            errors["event_types"] = _("Unknown event types.")
        if set(self.sectors or []) - set(Sector.values):
            errors["sectors"] = _("Unknown sectors.")
        if set(self.roles or []) - set(Role.values):
            errors["roles"] = _("Unknown roles.")
        if self.indicator_id and self.indicator.measure != Measure.NUMBER:
            errors["indicator"] = _("Only an indicator measured as a number of people can be counted from events.")
        if errors:
            raise ValidationError(errors)
