"""The reporting cycle: periods, what agencies report per year, their progress reports and what was approved.

What people type lives in the working rows (an activity's yearly progress, an indicator period's
actual, a budget line's execution). A progress report gathers one agency's working rows for one
period and moves draft → submitted → returned → submitted → approved → published through
`planning.services.reporting`. Approval copies each item into an `ApprovedValue`, which never
changes: a later correction is a new draft of the item, and pages and exports keep reading the
approved copy (`planning.selectors.approved_values`) until the correction is approved in its turn.
"""

import datetime

from concurrency.fields import AutoIncVersionField
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from napwps.bilingual import TranslatedText

from .budgets import BudgetLine
from .fields import MonthField, month_end
from .plan import JUSTIFIED_STATUSES, STATUS_COLOURS, Activity, ActivityStatus, DeliveryPlan, Plan
from .reference import Organisation


class PeriodKind(models.TextChoices):
    ANNUAL = "annual", _("Year")
    HALF_YEAR = "half_year", _("Half-year")
    QUARTER = "quarter", _("Quarter")
    MID_TERM = "mid_term", _("Mid-term review")
    FINAL = "final", _("Final review")


class ReportingPeriodQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_code, kind, year, number):
        return self.get(plan__code=plan_code, kind=kind, year=year, number=number)

    def annual(self):
        return self.filter(kind=PeriodKind.ANNUAL)


class ReportingPeriod(models.Model):
    """A period that targets are set and actuals reported for: a year, a half-year, a quarter, or the
    mid-term (sơ kết) and final (tổng kết) reviews. The calendar is unconfirmed, so it is data:
    coordinators set the dates and the deadline for reports."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="reporting_periods")
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices, default=PeriodKind.ANNUAL)
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("For a review, the year it takes place in."))
    number = models.PositiveSmallIntegerField(_("number"), default=0, help_text=_("1–2 for half-years, 1–4 for quarters, 0 otherwise."))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    due_date = models.DateField(_("reports due"), null=True, blank=True, help_text=_("Agencies' reports for this period are due on this day."))

    objects = ReportingPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "end", "start", "kind"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "year", "number"], name="reportingperiod_unique", violation_error_message=_("This period already exists.")
            ),
            models.CheckConstraint(
                condition=Q(end__gte=F("start")),
                name="reportingperiod_dates_in_order",
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=PeriodKind.HALF_YEAR, number__gte=1, number__lte=2)
                    | Q(kind=PeriodKind.QUARTER, number__gte=1, number__lte=4)
                    | (Q(kind__in=[PeriodKind.ANNUAL, PeriodKind.MID_TERM, PeriodKind.FINAL]) & Q(number=0))
                ),
                name="reportingperiod_number_fits_kind",
                violation_error_message=_("Half-years are numbered 1–2, quarters 1–4, other periods 0."),
            ),
        ]

    def __str__(self):
        if self.kind == PeriodKind.ANNUAL:
            return str(_("Year %(year)s") % {"year": self.year})
        if self.kind == PeriodKind.HALF_YEAR:
            return str(_("Half-year %(number)s/%(year)s") % {"number": self.number, "year": self.year})
        if self.kind == PeriodKind.QUARTER:
            return str(_("Quarter %(number)s/%(year)s") % {"number": self.number, "year": self.year})
        return f"{self.get_kind_display()} {self.year}"

    def get_absolute_url(self):
        return reverse("admin:planning_reportingperiod_change", args=[self.pk])

    def natural_key(self):
        return (self.plan.code, self.kind, self.year, self.number)

    natural_key.dependencies = ["planning.plan"]

    @property
    def is_annual(self) -> bool:
        return self.kind == PeriodKind.ANNUAL

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The last day cannot be before the first day.")
        if self.plan_id and self.year is not None:
            try:
                self.plan.check_year(self.year, "year")
            except ValidationError as error:
                errors.update(error.message_dict)
        if self.kind in (PeriodKind.HALF_YEAR, PeriodKind.QUARTER) and self.start and self.year and self.start.year != self.year:
            errors["start"] = _("The period must start in its year.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def bounds(kind: str, year: int, number: int = 0) -> tuple[datetime.date, datetime.date]:
        """The first and last day of a calendar period (a review's dates default to its whole year)."""
        if kind == PeriodKind.HALF_YEAR:
            first_month, months = 6 * (number - 1) + 1, 6
        elif kind == PeriodKind.QUARTER:
            first_month, months = 3 * (number - 1) + 1, 3
        else:
            first_month, months = 1, 12
        start = datetime.date(year, first_month, 1)
        last_month = first_month + months - 1
        end = (datetime.date(year + 1, 1, 1) if last_month == 12 else datetime.date(year, last_month + 1, 1)) - datetime.timedelta(days=1)
        return start, end


class ActivityProgressQuerySet(models.QuerySet):
    def for_agency(self, organisation):
        return self.filter(activity__lead_agency=organisation)


class ActivityProgress(models.Model):
    """What an activity achieved in one year of its delivery plan: the year-end record stays readable
    after the next year starts."""

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="yearly_progress")
    delivery_plan = models.ForeignKey(DeliveryPlan, verbose_name=_("year"), on_delete=models.PROTECT, related_name="activity_progress")
    status = models.CharField(_("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.NOT_STARTED)
    status_justification_vi = models.TextField(_("status justification (Vietnamese)"), blank=True)
    status_justification_en = models.TextField(_("status justification (English)"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    actual_start = MonthField(_("actual start (month)"), null=True, blank=True)
    actual_end = MonthField(_("actual end (month)"), null=True, blank=True)
    narrative_vi = models.TextField(_("what was done (Vietnamese)"), blank=True)
    narrative_en = models.TextField(_("what was done (English)"), blank=True)
    version = AutoIncVersionField()

    status_justification = TranslatedText()
    narrative = TranslatedText()
    objects = ActivityProgressQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "delivery_plan__year"]
        verbose_name = _("yearly progress")
        verbose_name_plural = _("yearly progress")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "delivery_plan"],
                name="activityprogress_one_per_year",
                violation_error_message=_("This activity already has its progress for that year."),
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True) | Q(actual_start__isnull=True) | Q(actual_end__gte=F("actual_start")),
                name="activityprogress_actual_dates_in_order",
                violation_error_message=_("The actual end cannot be before the actual start."),
            ),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100),
                name="activityprogress_progress_is_a_percentage",
                violation_error_message=_("Progress is a percentage between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.activity.code} · {self.delivery_plan.year}"

    @property
    def year(self) -> int:
        return self.delivery_plan.year

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    def clean(self):
        errors = {}
        for field in ("actual_start", "actual_end"):
            if getattr(self, field):
                setattr(self, field, getattr(self, field).replace(day=1))
        if self.actual_start and self.actual_end and self.actual_end < self.actual_start:
            errors["actual_end"] = _("The end cannot be before the start.")
        if self.progress is not None and not 0 <= self.progress <= 100:
            errors["progress"] = _("Progress is a percentage between 0 and 100.")
        if self.status == ActivityStatus.COMPLETED and self.progress is not None and self.progress != 100:
            errors["progress"] = _("A completed activity is at 100 percent: set the progress to 100, or choose another status while work remains.")
        if self.status in (ActivityStatus.AT_RISK, ActivityStatus.OFF_TRACK) and not self.status_justification_vi.strip():
            errors["status_justification_vi"] = _("Say why the activity is at risk or off track.")
        elif self.status in JUSTIFIED_STATUSES and not self.status_justification_vi.strip():
            errors["status_justification_vi"] = _("Say why the activity is cancelled or suspended.")
        if self.activity_id and self.actual_start and not errors.get("actual_end"):
            # The activity's provinces existed while it actually ran (as over its planned months).
            end = month_end(self.actual_end) if self.actual_end else datetime.date.max
            invalid = [province for province in self.activity.provinces.all() if not province.is_valid_between(self.actual_start, end)]
            if invalid:
                errors["actual_start"] = _("Not a province during the activity's dates: %(names)s.") % {"names": ", ".join(str(p) for p in invalid)}
        if self.delivery_plan_id and self.activity_id:
            plan = self.delivery_plan.plan
            for field in ("actual_start", "actual_end"):
                try:
                    plan.check_date(getattr(self, field), field)
                except ValidationError as error:
                    errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)


EXECUTION_FIGURES = (("committed_vnd", "committed_on"), ("disbursed_vnd", "disbursed_on"), ("spent_vnd", "spent_on"))


class BudgetExecutionQuerySet(models.QuerySet):
    def for_agency(self, organisation):
        return self.filter(line__activity__lead_agency=organisation)


class BudgetExecution(models.Model):
    """How much of a budget line was committed, disbursed and spent, each with its value date
    (IATI transactions need them)."""

    line = models.OneToOneField(BudgetLine, verbose_name=_("budget line"), on_delete=models.CASCADE, related_name="execution")
    committed_vnd = models.DecimalField(_("committed (VND)"), max_digits=18, decimal_places=0, null=True, blank=True)
    committed_on = models.DateField(_("committed on"), null=True, blank=True)
    disbursed_vnd = models.DecimalField(_("disbursed (VND)"), max_digits=18, decimal_places=0, null=True, blank=True)
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    spent_vnd = models.DecimalField(_("spent (VND)"), max_digits=18, decimal_places=0, null=True, blank=True)
    spent_on = models.DateField(_("spent by"), null=True, blank=True)
    note_vi = models.TextField(_("note (Vietnamese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    version = AutoIncVersionField()

    note = TranslatedText()
    objects = BudgetExecutionQuerySet.as_manager()
    history = HistoricalRecords()

    FIGURES = EXECUTION_FIGURES

    class Meta:
        ordering = ["line"]
        verbose_name = _("budget execution")
        verbose_name_plural = _("budget execution")
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{amount}__isnull": True}) | Q(**{f"{amount}__gte": 0}),
                    name=f"budgetexecution_{amount}_not_negative",
                    violation_error_message=_("An amount cannot be negative."),
                )
                for amount, _date in EXECUTION_FIGURES
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{amount}__isnull": True}) | Q(**{f"{day}__isnull": False}),
                    name=f"budgetexecution_{amount}_has_date",
                    violation_error_message=_("Give the date of each amount."),
                )
                for amount, day in EXECUTION_FIGURES
            ],
        ]

    def __str__(self):
        return str(self.line)

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, amount) is None for amount, _day in self.FIGURES)

    def clean(self):
        errors = {}
        for amount, day in self.FIGURES:
            if getattr(self, amount) is not None and getattr(self, amount) < 0:
                errors[amount] = _("An amount cannot be negative.")
            if getattr(self, amount) is not None and getattr(self, day) is None:
                errors[day] = _("Give the date of this amount.")
        line = self.line if self.line_id else None
        if line is not None:
            plan = line.delivery_plan.plan
            for _amount, day in self.FIGURES:
                try:
                    plan.check_date(getattr(self, day), day)
                except ValidationError as error:
                    errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


OPEN_REPORT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
DECIDED_REPORT_STATUSES = (ReportStatus.APPROVED, ReportStatus.PUBLISHED)


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    REVISION = "revision", _("Delivery plan revision")


class ProgressReportQuerySet(models.QuerySet):
    def for_agency(self, organisation):
        return self.filter(agency=organisation)

    def open(self):
        return self.filter(status__in=OPEN_REPORT_STATUSES)

    def decided(self):
        return self.filter(status__in=DECIDED_REPORT_STATUSES)


class ProgressReport(models.Model):
    """One agency's report for one period — or its proposed revision of an approved delivery plan.

    The first report of an agency and period is revision 1; a correction after approval is the next
    revision, holding only what changed. At most one revision is open at a time.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices, default=ReportKind.PROGRESS)
    agency = models.ForeignKey(Organisation, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="progress_reports")
    period = models.ForeignKey(ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False)
    narrative_vi = models.TextField(_("narrative (Vietnamese)"), blank=True)
    narrative_en = models.TextField(_("narrative (English)"), blank=True)
    reason_vi = models.TextField(_("reason for the revision (Vietnamese)"), blank=True)
    reason_en = models.TextField(_("reason for the revision (English)"), blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    editors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("edited by"), blank=True, related_name="+", editable=False)
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True, editable=False)
    version = AutoIncVersionField()

    narrative = TranslatedText()
    reason = TranslatedText()
    objects = ProgressReportQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["reminded_on"])

    class Meta:
        ordering = ["period__end", "agency", "kind", "revision"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "agency", "period", "revision"],
                name="progressreport_unique_revision",
                violation_error_message=_("This revision already exists."),
            ),
            models.UniqueConstraint(
                fields=["kind", "agency", "period"],
                condition=Q(status__in=["draft", "submitted", "returned"]),
                name="progressreport_one_open_revision",
                violation_error_message=_("This agency already has a report in progress for this period."),
            ),
        ]

    def __str__(self):
        label = _("Revision of the delivery plan") if self.kind == ReportKind.REVISION else _("Report")
        text = f"{label} · {self.agency} · {self.period}"
        return text if self.revision == 1 else _("%(report)s (revision %(number)s)") % {"report": text, "number": self.revision}

    def get_absolute_url(self):
        return reverse("planning:report-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REPORT_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_REPORT_STATUSES


class ReportTransition(models.Model):
    """One move of a report, with who, when and why."""

    report = models.ForeignKey(ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report step")
        verbose_name_plural = _("report steps")

    def __str__(self):
        return f"{self.report} · {self.get_to_status_display()}"


class ReviewComment(models.Model):
    """A coordinator's comment on one item of a report (or on the report as a whole, without item)."""

    report = models.ForeignKey(ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="comments")
    item_type = models.ForeignKey(ContentType, verbose_name=_("item type"), null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    item_id = models.PositiveBigIntegerField(_("item"), null=True, blank=True)
    item = GenericForeignKey("item_type", "item_id")
    text = models.TextField(_("comment"), max_length=2000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["report", "created_at", "pk"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        indexes = [models.Index(fields=["item_type", "item_id"])]

    def __str__(self):
        return self.text[:60]


class ApprovedValue(models.Model):
    """An item as it was approved: never changed, never deleted while its report exists.

    `data` holds the item's reported fields (`planning.services.reporting.SNAPSHOT_FIELDS`) as
    strings and numbers; `planning.selectors.approved_values` turns it back into model instances.
    """

    item_type = models.ForeignKey(ContentType, verbose_name=_("item type"), on_delete=models.PROTECT, related_name="+")
    item_id = models.PositiveBigIntegerField(_("item"))
    report = models.ForeignKey(ProgressReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="approved_values")
    data = models.JSONField(_("approved value"))
    approved_at = models.DateTimeField(_("approved"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["item_type", "item_id", "approved_at", "pk"]
        verbose_name = _("approved value")
        verbose_name_plural = _("approved values")
        indexes = [models.Index(fields=["item_type", "item_id", "approved_at"])]

    def __str__(self):
        return f"{self.item_type.model} {self.item_id} · {self.report}"


MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "jpg", "jpeg", "png", "webp"]


def evidence_path(instance, filename: str) -> str:
    return f"evidence/{instance.report.period.year}/{instance.report.agency_id}/{filename}"


class EvidenceQuerySet(models.QuerySet):
    def for_agency(self, organisation):
        return self.filter(report__agency=organisation)

    def public(self):
        return self.filter(is_public=True)


class Evidence(models.Model):
    """A file behind a report: a decision, minutes, photos, a study. Served only to those who may see
    the report, unless a coordinator makes it public."""

    report = models.ForeignKey(ProgressReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="evidence")
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence")
    indicator_period = models.ForeignKey(
        "IndicatorPeriod", verbose_name=_("indicator period"), null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255, validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)])
    original_name = models.CharField(_("file name"), max_length=255, editable=False)
    content_type = models.CharField(_("file type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    is_public = models.BooleanField(_("public"), default=False, editable=False, help_text=_("Only coordinators make a file public."))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    title = TranslatedText()
    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return str(self.title)

    def get_absolute_url(self):
        return reverse("planning:evidence-download", args=[self.pk])
