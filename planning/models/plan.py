"""The NAP, its objectives and task groups, the yearly delivery plans, outputs and activities."""

import datetime

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from napwps.bilingual import TranslatedText
from napwps.text import fold

from .fields import MonthField, month_end
from .reference import MeansOfImplementation, Organisation, Province, Sector


class ReviewStatus(models.TextChoices):
    """Where a piece of reported or planned data stands; only published data is public."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Pillar(models.TextChoices):
    PARTICIPATION = "participation", _("Participation")
    PREVENTION_PROTECTION = "prevention_protection", _("Prevention and protection")
    RELIEF_RECOVERY = "relief_recovery", _("Relief and recovery")
    INTERNATIONAL_COOPERATION = "international_cooperation", _("International cooperation")


class CodedQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_code, code):
        return self.get(plan__code=plan_code, code=code)


class PlanQuerySet(models.QuerySet):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Plan(models.Model):
    """A national action plan: Decision 101/QĐ-TTg's NAP WPS 2024–2030."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    short_name_vi = models.CharField(_("short name (Vietnamese)"), max_length=60, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=60, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=40)
    decision_date = models.DateField(_("decision date"))
    issued_by_vi = models.CharField(_("issued by (Vietnamese)"), max_length=255, blank=True)
    issued_by_en = models.CharField(_("issued by (English)"), max_length=255, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    coordinator = models.ForeignKey(Organisation, verbose_name=_("coordinating agency"), on_delete=models.PROTECT, related_name="coordinated_plans")
    general_objective_vi = models.TextField(_("general objective (Vietnamese)"))
    general_objective_en = models.TextField(_("general objective (English)"), blank=True)
    general_objective_vi_unofficial = models.BooleanField(
        _("Vietnamese general objective is an unofficial translation"),
        default=False,
        help_text=_("Ticked while the Vietnamese text is our own translation, not the decision's wording."),
    )

    name = TranslatedText()
    short_name = TranslatedText()
    issued_by = TranslatedText()
    general_objective = TranslatedText()
    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_year"]
        verbose_name = _("national action plan")
        verbose_name_plural = _("national action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="plan_years_in_order",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self):
        return str(self.short_name or self.name)

    def get_absolute_url(self):
        return reverse("admin:planning_plan_change", args=[self.pk])

    def natural_key(self):
        return (self.code,)

    @property
    def period_start(self) -> datetime.date:
        return datetime.date(self.start_year, 1, 1)

    @property
    def period_end(self) -> datetime.date:
        return datetime.date(self.end_year, 12, 31)

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})

    def check_year(self, year: int, field: str):
        if year is not None and not self.start_year <= year <= self.end_year:
            raise ValidationError({field: _("The year must be inside the plan period, %(start)s–%(end)s.") % {"start": self.start_year, "end": self.end_year}})

    def check_date(self, day: datetime.date | None, field: str):
        if day is not None and not self.period_start <= day <= self.period_end:
            raise ValidationError({field: _("The date must be inside the plan period, %(start)s–%(end)s.") % {"start": self.start_year, "end": self.end_year}})


class PlanPart(models.Model):
    """Something identified by a code that is unique within its plan."""

    code = models.CharField(_("code"), max_length=20, help_text=_("Stable and unique within the plan, e.g. 1.2.3."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = CodedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["plan", "order", "code"]

    def save(self, *args, **kwargs):
        self.plan = self.parent_plan()
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.plan.code, self.code)

    def parent_plan(self) -> Plan:
        """The plan this belongs to; parts below an objective take it from their parent."""
        return self.plan

    def clean(self):
        super().clean()
        try:
            plan = self.parent_plan()
        except ObjectDoesNotExist:
            return  # the parent field reports its own error
        if plan.pk is None:
            return  # a new plan: its formset checks codes among its own rows
        clash = type(self).objects.filter(plan=plan, code=self.code).exclude(pk=self.pk)
        if self.code and clash.exists():
            raise ValidationError({"code": _("This code is already used in this plan.")})


def derived_plan():
    """The plan of a part below an objective, copied from its parent so codes can be unique per plan."""
    return models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+", editable=False)


def unique_code(model: str):
    return models.UniqueConstraint(
        fields=["plan", "code"],
        name=f"{model}_code_unique_in_plan",
        violation_error_message=_("This code is already used in this plan."),
    )


class Objective(PlanPart):
    """A specific objective (mục tiêu cụ thể): an outcome of the logframe, one per WPS pillar."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="objectives")
    pillar = models.CharField(_("WPS pillar"), max_length=30, choices=Pillar.choices)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_vi = models.TextField(_("statement (Vietnamese)"), blank=True)
    description_en = models.TextField(_("statement (English)"), blank=True)
    assumptions_vi = models.TextField(_("assumptions (Vietnamese)"), blank=True)
    assumptions_en = models.TextField(_("assumptions (English)"), blank=True)

    title = TranslatedText()
    description = TranslatedText()
    assumptions = TranslatedText()
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("specific objective")
        verbose_name_plural = _("specific objectives")
        constraints = [unique_code("objective")]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def get_absolute_url(self):
        return reverse("admin:planning_objective_change", args=[self.pk])


class TaskGroup(PlanPart):
    """A group of tasks and solutions (nhóm nhiệm vụ và giải pháp); classifies activities."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="task_groups")
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)

    title = TranslatedText()
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")
        constraints = [unique_code("taskgroup")]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def get_absolute_url(self):
        return reverse("admin:planning_taskgroup_change", args=[self.pk])


class SubTaskQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_code, group_code, letter):
        return self.get(task_group__plan__code=plan_code, task_group__code=group_code, letter=letter)


class SubTask(models.Model):
    """A lettered task inside a group (1.a, 1.b...)."""

    task_group = models.ForeignKey(TaskGroup, verbose_name=_("task group"), on_delete=models.CASCADE, related_name="subtasks")
    letter = models.CharField(_("letter"), max_length=3)
    title_vi = models.TextField(_("title (Vietnamese)"))
    title_en = models.TextField(_("title (English)"), blank=True)
    title_vi_unofficial = models.BooleanField(
        _("Vietnamese title is an unofficial translation"),
        default=False,
        help_text=_("Ticked while the Vietnamese text is our own translation, not the decision's wording."),
    )

    title = TranslatedText()
    objects = SubTaskQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["task_group", "letter"]
        verbose_name = _("sub-task")
        verbose_name_plural = _("sub-tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["task_group", "letter"], name="subtask_letter_unique", violation_error_message=_("This letter is already used in this task group.")
            )
        ]

    def __str__(self):
        return f"{self.task_group.code}.{self.letter}. {self.title}"

    def clean(self):
        clash = SubTask.objects.filter(task_group_id=self.task_group_id, letter=self.letter).exclude(pk=self.pk)
        if self.task_group_id and self.letter and clash.exists():
            raise ValidationError({"letter": _("This letter is already used in this task group.")})

    def natural_key(self):
        return (*self.task_group.natural_key(), self.letter)

    natural_key.dependencies = ["planning.taskgroup"]


class DeliveryPlanQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_code, year):
        return self.get(plan__code=plan_code, year=year)

    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)


class DeliveryPlan(models.Model):
    """The yearly delivery plan (kế hoạch triển khai): the activities, budgets and targets of a year."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="delivery_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    approval_number = models.CharField(_("approval document number"), max_length=60, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    note_vi = models.TextField(_("note (Vietnamese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)

    note = TranslatedText()
    objects = DeliveryPlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "year"]
        verbose_name = _("delivery plan")
        verbose_name_plural = _("delivery plans")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"], name="deliveryplan_one_per_year", violation_error_message=_("This plan already has a delivery plan for that year.")
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ReviewStatus.DRAFT, ReviewStatus.SUBMITTED]) | (~Q(approval_number="") & Q(approval_date__isnull=False)),
                name="deliveryplan_approved_has_approval_document",
                violation_error_message=_("An approved plan needs its approval document number and date."),
            ),
        ]

    def __str__(self):
        return _("Delivery plan %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("admin:planning_deliveryplan_change", args=[self.pk])

    def natural_key(self):
        return (self.plan.code, self.year)

    def clean(self):
        if self.plan_id and self.year is not None:
            self.plan.check_year(self.year, "year")
        if self.status in (ReviewStatus.APPROVED, ReviewStatus.PUBLISHED) and not (self.approval_number and self.approval_date):
            raise ValidationError({"approval_number": _("An approved plan needs its approval document number and date.")})


class Output(PlanPart):
    """An output (đầu ra) under a specific objective."""

    plan = derived_plan()
    objective = models.ForeignKey(Objective, verbose_name=_("specific objective"), on_delete=models.PROTECT, related_name="outputs")
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    assumptions_vi = models.TextField(_("assumptions (Vietnamese)"), blank=True)
    assumptions_en = models.TextField(_("assumptions (English)"), blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)

    title = TranslatedText()
    description = TranslatedText()
    assumptions = TranslatedText()
    history = HistoricalRecords()

    class Meta(PlanPart.Meta):
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        constraints = [unique_code("output")]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def get_absolute_url(self):
        return reverse("admin:planning_output_change", args=[self.pk])

    def parent_plan(self):
        return self.objective.plan


class ActivityStatus(models.TextChoices):
    """Progress status with the colours of the plan's reports (DOMAIN.md §3)."""

    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    SUSPENDED = "suspended", _("Suspended")


# Keys of napwps.charts.STATUS_PALETTE (and the .status-<colour> classes of the stylesheets).
STATUS_COLOURS = {
    ActivityStatus.NOT_STARTED: "grey",
    ActivityStatus.ON_TRACK: "green",
    ActivityStatus.AT_RISK: "amber",
    ActivityStatus.OFF_TRACK: "red",
    ActivityStatus.COMPLETED: "blue",
    ActivityStatus.CANCELLED: "black",
    ActivityStatus.SUSPENDED: "purple",
}

# IATI 2.03 ActivityStatus codes: 1 Pipeline/identification, 2 Implementation, 3 Finalisation,
# 4 Closed, 5 Cancelled, 6 Suspended. "Completed" is the agency's word that the work is done; the
# accounts are not closed by it (the year's spending is approved later), so it is 3 Finalisation,
# never 4 Closed. An activity of a published plan without published progress counts as not started.
IATI_ACTIVITY_STATUS = {
    ActivityStatus.NOT_STARTED: 1,
    ActivityStatus.ON_TRACK: 2,
    ActivityStatus.AT_RISK: 2,
    ActivityStatus.OFF_TRACK: 2,
    ActivityStatus.COMPLETED: 3,
    ActivityStatus.CANCELLED: 5,
    ActivityStatus.SUSPENDED: 6,
}
# Statuses whose yearly progress needs a justification.
JUSTIFIED_STATUSES = (ActivityStatus.AT_RISK, ActivityStatus.OFF_TRACK, ActivityStatus.CANCELLED, ActivityStatus.SUSPENDED)


class ActivityQuerySet(CodedQuerySet):
    def for_agency(self, organisation):
        return self.filter(lead_agency=organisation)

    def in_year(self, year: int):
        return self.filter(delivery_plans__year=year)


class Activity(PlanPart):
    """An activity (hoạt động) of the delivery plan."""

    plan = derived_plan()
    output = models.ForeignKey(Output, verbose_name=_("output"), on_delete=models.PROTECT, related_name="activities")
    task_group = models.ForeignKey(TaskGroup, verbose_name=_("task group"), on_delete=models.PROTECT, related_name="activities")
    subtask = models.ForeignKey(SubTask, verbose_name=_("sub-task"), null=True, blank=True, on_delete=models.PROTECT, related_name="activities")
    delivery_plans = models.ManyToManyField(
        DeliveryPlan, verbose_name=_("delivery plans"), related_name="activities", help_text=_("The years whose delivery plan includes this activity.")
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    lead_agency = models.ForeignKey(Organisation, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_activities")
    partner_agencies = models.ManyToManyField(Organisation, verbose_name=_("partner agencies"), blank=True, related_name="partnered_activities")
    funding_partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("funding partners"),
        blank=True,
        related_name="funded_activities",
        help_text=_("Donors and agencies that fund the activity (IATI role: funding). A budget line's funder is a funding partner too."),
    )
    supporting_partners = models.ManyToManyField(
        Organisation,
        verbose_name=_("technical partners"),
        blank=True,
        related_name="supported_activities",
        help_text=_("UN agencies, international NGOs and others that support the work without funding it (IATI role: implementing)."),
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector (DAC)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=_("The DAC 5-digit sector the activity is classed in, for the IATI file."),
    )
    provinces = models.ManyToManyField(Province, verbose_name=_("provinces"), blank=True, related_name="activities")
    means = models.ManyToManyField(MeansOfImplementation, verbose_name=_("means of implementation"), blank=True, related_name="activities")
    planned_start = MonthField(_("planned start (month)"))
    planned_end = MonthField(_("planned end (month)"))
    version = AutoIncVersionField()
    is_sample = models.BooleanField(_("sample content"), default=False)
    search_text = models.TextField(
        _("search text"), blank=True, editable=False, help_text=_("Code, titles and description without diacritics, kept by save(), for search.")
    )

    title = TranslatedText()
    description = TranslatedText()
    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[partner_agencies, funding_partners, supporting_partners, provinces, means, delivery_plans])

    class Meta(PlanPart.Meta):
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            unique_code("activity"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="activity_planned_dates_in_order",
                violation_error_message=_("The planned end cannot be before the planned start."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = activity_search_text(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:planning_activity_change", args=[self.pk])

    def parent_plan(self):
        return self.output.plan

    def clean(self):
        super().clean()
        errors = {}
        for field in ("planned_start", "planned_end"):
            if getattr(self, field):  # months: compare and store the first day
                setattr(self, field, getattr(self, field).replace(day=1))
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The end cannot be before the start.")
        if self.subtask_id and self.task_group_id and self.subtask.task_group_id != self.task_group_id:
            errors["subtask"] = _("The sub-task must belong to the activity's task group.")
        if self.output_id and self.task_group_id and self.task_group.plan_id != self.output.plan_id:
            errors["task_group"] = _("The task group must belong to the same plan as the output.")
        if self.output_id:
            plan = self.output.objective.plan
            for field in ("planned_start", "planned_end"):
                try:
                    plan.check_date(getattr(self, field), field)
                except ValidationError as error:
                    errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """First and last day of the activity's planned months."""
        return self.planned_start, month_end(self.planned_end)


SEARCHED_FIELDS = ("code", "title_vi", "title_en", "description_vi", "description_en")


def activity_search_text(activity) -> str:
    """What the public search matches: the activity's code, titles and descriptions, folded (napwps.text.fold)."""
    return fold(" ".join(str(getattr(activity, name) or "") for name in SEARCHED_FIELDS))


def validate_activity_relations(
    *, lead_agency, partner_agencies, supporting_partners, provinces, planned_start, planned_end, actual_start=None, actual_end=None, funding_partners=()
):
    """Rules over an activity's many-to-many relations, which the database cannot check.

    A province must have existed during the planned months and, once the activity has started,
    during the actual months too (up to today's open end while it runs).
    Raises ValidationError keyed by field, so a form can show each message beside its field.
    """
    errors = {}
    partner_agencies, supporting_partners = list(partner_agencies or []), list(supporting_partners or [])
    if lead_agency is not None and lead_agency in partner_agencies:
        errors["partner_agencies"] = _("%(agency)s is the lead agency; it cannot also be a partner agency.") % {"agency": lead_agency}
    if lead_agency is not None and lead_agency in supporting_partners:
        errors["supporting_partners"] = _("%(agency)s is the lead agency; it cannot also be a technical partner.") % {"agency": lead_agency}
    funding_partners = list(funding_partners or [])
    both = [org for org in funding_partners if org in supporting_partners]
    if both:
        errors["supporting_partners"] = _("%(names)s already funds the activity: list it once, among the funding partners.") % {
            "names": ", ".join(str(org) for org in both)
        }
    spans = []
    if planned_start and planned_end:
        spans.append((planned_start, month_end(planned_end)))
    if actual_start:
        spans.append((actual_start, month_end(actual_end) if actual_end else datetime.date.max))
    if spans:
        invalid = [p for p in provinces or [] if not all(p.is_valid_between(start, end) for start, end in spans)]
        if invalid:
            errors["provinces"] = _("Not a province during the activity's dates: %(names)s.") % {"names": ", ".join(str(p) for p in invalid)}
    if errors:
        raise ValidationError(errors)
