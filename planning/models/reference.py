"""Reference data: organisations, provinces and the small vocabularies the plan is described with."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from napwps.bilingual import TranslatedText


class CodedQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


CodedManager = models.Manager.from_queryset(CodedQuerySet)


class OrganisationType(models.IntegerChoices):
    """IATI 2.03 OrganisationType codes."""

    GOVERNMENT = 10, _("Government")
    LOCAL_GOVERNMENT = 11, _("Local government")
    OTHER_PUBLIC = 15, _("Other public sector")
    INGO = 21, _("International NGO")
    NATIONAL_NGO = 22, _("National NGO / social organisation")
    MULTILATERAL = 40, _("Multilateral / UN")
    FOUNDATION = 60, _("Foundation")
    PRIVATE_SECTOR = 70, _("Private sector")
    ACADEMIC = 80, _("Academic, training and research")
    OTHER = 90, _("Other")


# An IATI organisation identifier: a registration agency's prefix (two letters, e.g. XM-DAC, GB-GOV, VN-...)
# and the organisation's number in it, joined by hyphens; no spaces, and none of / & | ? (IATI's rule for
# identifiers). Checked loosely: the registry, not this portal, says whether it exists.
IATI_ORGANISATION_IDENTIFIER = RegexValidator(
    r"^[A-Z]{2}(-[A-Za-z0-9._]+)+$",
    _("An IATI organisation identifier looks like XM-DAC-41146 or VN-…: two capital letters, then parts joined by hyphens, without spaces or / & | ?."),
)


class OrganisationLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    INTERNATIONAL = "international", _("International")
    OTHER = "other", _("Other")


class OrganisationQuerySet(CodedQuerySet):
    def active_on(self, day):
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(Q(active_to__isnull=True) | Q(active_to__gte=day))


class Organisation(models.Model):
    """A ministry, department, province's People's Committee, UN agency, donor, NGO...

    Reforms rename and merge agencies: the old one keeps its name and end date and points to its
    successors, so history stays readable under the name it had.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.PositiveSmallIntegerField(_("type (IATI)"), choices=OrganisationType.choices)
    level = models.CharField(_("level"), max_length=20, choices=OrganisationLevel.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    parent_from = models.DateField(_("under the parent from"), null=True, blank=True, help_text=_("Empty: since the organisation began (or not known)."))
    parent_to = models.DateField(_("under the parent until"), null=True, blank=True, help_text=_("Empty: still today."))
    province = models.ForeignKey("Province", verbose_name=_("province"), null=True, blank=True, on_delete=models.PROTECT)
    successors = models.ManyToManyField("self", verbose_name=_("successors"), symmetrical=False, blank=True, related_name="predecessors")
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active until"), null=True, blank=True)
    note_vi = models.TextField(_("note (Vietnamese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[IATI_ORGANISATION_IDENTIFIER],
        help_text=_("As registered for IATI, e.g. XM-DAC-41146 for UN Women. Leave empty until known: never make one up."),
    )

    name = TranslatedText()
    note = TranslatedText()
    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[successors])

    class Meta:
        ordering = ["level", "name_vi"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_from__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="organisation_active_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(parent_to__isnull=True) | Q(parent_from__isnull=True) | Q(parent_to__gte=models.F("parent_from")),
                name="organisation_parent_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="organisation_iati_identifier_unique",
                violation_error_message=_("Another organisation already has this IATI identifier."),
            ),
        ]

    def __str__(self):
        label = f"{self.name} ({self.acronym})" if self.acronym else str(self.name)
        return label if self.active_to is None else f"{label} [{_('until')} {self.active_to:%m/%Y}]"

    def get_absolute_url(self):
        return reverse("admin:planning_organisation_change", args=[self.pk])

    def natural_key(self):
        return (self.code,)

    def clean(self):
        if self.active_from and self.active_to and self.active_to < self.active_from:
            raise ValidationError({"active_to": _("The end date cannot be before the start date.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})
        if self.parent_from and self.parent_to and self.parent_to < self.parent_from:
            raise ValidationError({"parent_to": _("The end date cannot be before the start date.")})
        if (self.parent_from or self.parent_to) and not self.parent_id:
            raise ValidationError({"parent": _("Dates under a parent need the parent.")})

    def parent_on(self, day):
        """The parent organisation on `day`, or None: the Women's Union sits under the Fatherland Front
        only from 1 July 2025, so before that day it has none. (Follows the relation: not a property.)"""
        if not self.parent_id:
            return None
        if (self.parent_from and day < self.parent_from) or (self.parent_to and day > self.parent_to):
            return None
        return self.parent


class ProvinceKind(models.TextChoices):
    CITY = "city", _("Centrally-run city")
    PROVINCE = "province", _("Province")


class ProvinceQuerySet(models.QuerySet):
    def get_by_natural_key(self, code, valid_from=None):
        return self.get(code=code, valid_from=valid_from)

    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def valid_between(self, start, end):
        """Provinces that existed on at least one day of [start, end]."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end)).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))


class Province(models.Model):
    """A provincial-level unit, with the dates it existed.

    The 63 units before 1 July 2025 and the 34 after it: a unit the reform left unchanged is one
    row valid throughout; a merged unit ends on 30 June 2025 and points to what it became.
    """

    code = models.CharField(_("statistics office code"), max_length=2)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ProvinceKind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    former_name = models.CharField(_("former name"), max_length=100, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("became"),
        symmetrical=False,
        blank=True,
        through="ProvinceSuccession",
        related_name="predecessors",
    )

    name = TranslatedText()
    objects = ProvinceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "valid_from"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="province_code_unique_per_period"),
            models.UniqueConstraint(fields=["code"], condition=Q(valid_from__isnull=True), name="province_code_unique_without_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="province_valid_dates_in_order",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        if self.valid_to:
            return f"{self.name} ({self.code}, {_('until')} {self.valid_to:%d/%m/%Y})"
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("admin:planning_province_change", args=[self.pk])

    def natural_key(self):
        return (self.code, self.valid_from.isoformat() if self.valid_from else None)

    def clean(self):
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date cannot be before the start date.")})

    def is_valid_between(self, start, end) -> bool:
        return (self.valid_from is None or self.valid_from <= end) and (self.valid_to is None or self.valid_to >= start)


class ProvinceSuccessionQuerySet(models.QuerySet):
    def get_by_natural_key(self, predecessor, successor):
        return self.get(predecessor=Province.objects.get_by_natural_key(*predecessor), successor=Province.objects.get_by_natural_key(*successor))


class ProvinceSuccession(models.Model):
    """Old unit -> new unit. A few old units split at ward level: those links are marked partial."""

    predecessor = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    successor = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    partial = models.BooleanField(_("partial"), default=False, help_text=_("Only part of the old unit went here."))

    objects = ProvinceSuccessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("province succession")
        verbose_name_plural = _("province successions")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="province_succession_unique")]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"

    def natural_key(self):
        return (self.predecessor.natural_key(), self.successor.natural_key())

    natural_key.dependencies = ["planning.province"]


class Vocabulary(models.Model):
    """A short bilingual list an administrator can extend (means of implementation, disaggregations)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = TranslatedText()
    objects = CodedManager()

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return str(self.name)

    def natural_key(self):
        return (self.code,)


class MeansOfImplementation(Vocabulary):
    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("means of implementation")
        verbose_name_plural = _("means of implementation")


class Disaggregation(Vocabulary):
    """A dimension an indicator is broken down by (sex, age band...), with its categories."""

    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("List of [code, Vietnamese, English]; empty when the categories are provinces or organisation types."),
    )

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")


class Framework(models.TextChoices):
    UNSCR_1325 = "unscr1325", _("UNSCR 1325 global indicators")
    ASEAN_RPA = "asean_rpa", _("ASEAN RPA on WPS")
    SDG = "sdg", _("Sustainable Development Goals")
    GENDER_STRATEGY = "ge_strategy", _("National Strategy on Gender Equality 2021–2030")


class FrameworkReferenceManager(models.Manager):
    def get_by_natural_key(self, framework, code):
        return self.get(framework=framework, code=code)


class FrameworkReference(models.Model):
    """A target or indicator of an external framework that a NAP indicator reports against."""

    framework = models.CharField(_("framework"), max_length=20, choices=Framework.choices)
    code = models.CharField(_("code"), max_length=40)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)

    title = TranslatedText()
    objects = FrameworkReferenceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "code"]
        verbose_name = _("framework reference")
        verbose_name_plural = _("framework references")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="framework_reference_unique")]

    def __str__(self):
        return f"{self.get_framework_display()} {self.code}"

    def natural_key(self):
        return (self.framework, self.code)


class Sector(models.Model):
    """A DAC 5-digit sector (OECD-DAC CRS purpose code, IATI sector vocabulary 1) an activity is classed in.

    An editable vocabulary: the migration seeds the codes that fit WPS work (DOMAIN.md §7); a
    coordinator adds others in the admin, with the DAC's own English name.
    """

    code = models.CharField(
        _("DAC 5-digit code"), max_length=5, unique=True, validators=[RegexValidator(r"^\d{5}$", _("A DAC sector code has five digits, e.g. 15170."))]
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True, help_text=_("The DAC's own name of the code."))

    name = TranslatedText()
    objects = CodedManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector (DAC)")
        verbose_name_plural = _("sectors (DAC)")

    def __str__(self):
        return f"{self.code} {self.name}"

    def natural_key(self):
        return (self.code,)
