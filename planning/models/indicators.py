"""Indicators at every level of the logframe, their baselines, yearly targets and actuals."""

from decimal import Decimal

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from napwps.bilingual import TranslatedText

from .fields import related_or_none
from .plan import Activity, Objective, Output, PlanPart, derived_plan, unique_code
from .reference import Disaggregation, FrameworkReference, Organisation


class ResultLevel(models.TextChoices):
    """Where an indicator sits; `iati_result_type` maps it to IATI's result type (impact 3, outcome 2, output 1)."""

    PLAN = "plan", _("General objective (impact)")
    OBJECTIVE = "objective", _("Specific objective (outcome)")
    OUTPUT = "output", _("Output")
    ACTIVITY = "activity", _("Activity")


IATI_RESULT_TYPES = {ResultLevel.PLAN: 3, ResultLevel.OBJECTIVE: 2, ResultLevel.OUTPUT: 1, ResultLevel.ACTIVITY: 1}


class Measure(models.TextChoices):
    """IATI indicator measure: 1 unit, 2 percentage, 5 qualitative."""

    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    QUALITATIVE = "qualitative", _("Qualitative")


IATI_MEASURES = {Measure.NUMBER: 1, Measure.PERCENTAGE: 2, Measure.QUALITATIVE: 5}


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Aggregation(models.TextChoices):
    INCREMENTAL = "incremental", _("Incremental: each year adds to the total")
    CUMULATIVE = "cumulative", _("Cumulative: each year reports the running total")
    LATEST = "latest", _("Latest value")


class Frequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Every six months")
    ANNUAL = "annual", _("Annual")
    MID_TERM_AND_FINAL = "review", _("Mid-term and final review")


class IndicatorQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_code, code):
        return self.get(plan__code=plan_code, code=code)

    def for_agency(self, organisation):
        return self.filter(responsible_agency=organisation)


def ratio_constraints(prefix: str, model: str) -> list[models.CheckConstraint]:
    """Numerator never above denominator, denominator above zero."""
    numerator, denominator = f"{prefix}numerator", f"{prefix}denominator"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{numerator}__isnull": True}) | Q(**{f"{denominator}__isnull": True}) | Q(**{f"{numerator}__lte": F(denominator)}),
            name=f"{model}_{prefix}numerator_not_above_denominator",
            violation_error_message=_("The numerator cannot be larger than the denominator."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{denominator}__isnull": True}) | Q(**{f"{denominator}__gt": 0}),
            name=f"{model}_{prefix}denominator_positive",
            violation_error_message=_("The denominator must be above zero."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{numerator}__isnull": True}) | Q(**{f"{numerator}__gte": 0}),
            name=f"{model}_{prefix}numerator_not_negative",
            violation_error_message=_("The numerator cannot be negative."),
        ),
    ]


def check_measured_value(*, measure: str, value, numerator, denominator, prefix: str = "") -> dict:
    """Field errors for one value of an indicator with the given measure."""
    errors = {}
    if numerator is not None and denominator is not None:
        if denominator <= 0:
            errors[f"{prefix}denominator"] = _("The denominator must be above zero.")
        elif numerator > denominator:
            errors[f"{prefix}numerator"] = _("The numerator cannot be larger than the denominator.")
    elif (numerator is None) != (denominator is None):
        missing = "denominator" if denominator is None else "numerator"
        errors[f"{prefix}{missing}"] = _("Give both the numerator and the denominator, or neither.")
    if measure == Measure.PERCENTAGE and value is not None and not Decimal(0) <= value <= Decimal(100):
        errors[f"{prefix}value"] = _("A percentage is between 0 and 100.")
    if numerator is not None and measure != Measure.PERCENTAGE:
        errors[f"{prefix}numerator"] = _("Only percentage indicators have a numerator and denominator.")
    return errors


def percentage(numerator, denominator) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"))


class Indicator(PlanPart):
    """An objectively verifiable indicator, with its reference sheet and baseline."""

    plan = derived_plan()
    level = models.CharField(_("level"), max_length=20, choices=ResultLevel.choices)
    objective = models.ForeignKey(Objective, verbose_name=_("specific objective"), null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    output = models.ForeignKey(Output, verbose_name=_("output"), null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), null=True, blank=True, on_delete=models.PROTECT, related_name="indicators")
    plan_level_of = models.ForeignKey(
        "Plan", verbose_name=_("plan (for general-objective indicators)"), null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    definition_vi = models.TextField(_("definition (Vietnamese)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices, default=Measure.NUMBER)
    unit_vi = models.CharField(_("unit (Vietnamese)"), max_length=60, blank=True)
    unit_en = models.CharField(_("unit (English)"), max_length=60, blank=True)
    numerator_vi = models.CharField(_("numerator (Vietnamese)"), max_length=255, blank=True)
    numerator_en = models.CharField(_("numerator (English)"), max_length=255, blank=True)
    denominator_vi = models.CharField(_("denominator (Vietnamese)"), max_length=255, blank=True)
    denominator_en = models.CharField(_("denominator (English)"), max_length=255, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    aggregation = models.CharField(_("aggregation"), max_length=20, choices=Aggregation.choices, default=Aggregation.INCREMENTAL)
    disaggregations = models.ManyToManyField(Disaggregation, verbose_name=_("required disaggregations"), blank=True)
    means_of_verification_vi = models.TextField(_("means of verification (Vietnamese)"), blank=True)
    means_of_verification_en = models.TextField(_("means of verification (English)"), blank=True)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.ANNUAL)
    responsible_agency = models.ForeignKey(Organisation, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="indicators")
    references = models.ManyToManyField(FrameworkReference, verbose_name=_("external framework references"), blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_numerator = models.DecimalField(_("baseline numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_denominator = models.DecimalField(_("baseline denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_text_vi = models.TextField(_("baseline, qualitative (Vietnamese)"), blank=True)
    baseline_text_en = models.TextField(_("baseline, qualitative (English)"), blank=True)
    baseline_source_vi = models.CharField(_("baseline source (Vietnamese)"), max_length=500, blank=True)
    baseline_source_en = models.CharField(_("baseline source (English)"), max_length=500, blank=True)
    is_sample = models.BooleanField(_("sample content"), default=False)

    title = TranslatedText()
    definition = TranslatedText()
    unit = TranslatedText()
    numerator = TranslatedText()
    denominator = TranslatedText()
    means_of_verification = TranslatedText()
    baseline_text = TranslatedText()
    baseline_source = TranslatedText()
    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[disaggregations, references])

    class Meta(PlanPart.Meta):
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            unique_code("indicator"),
            models.CheckConstraint(
                condition=(
                    Q(level=ResultLevel.PLAN, plan_level_of__isnull=False, objective__isnull=True, output__isnull=True, activity__isnull=True)
                    | Q(level=ResultLevel.OBJECTIVE, plan_level_of__isnull=True, objective__isnull=False, output__isnull=True, activity__isnull=True)
                    | Q(level=ResultLevel.OUTPUT, plan_level_of__isnull=True, objective__isnull=True, output__isnull=False, activity__isnull=True)
                    | Q(level=ResultLevel.ACTIVITY, plan_level_of__isnull=True, objective__isnull=True, output__isnull=True, activity__isnull=False)
                ),
                name="indicator_attached_to_its_level",
                violation_error_message=_("An indicator is attached to exactly the plan, objective, output or activity its level names."),
            ),
            *ratio_constraints("baseline_", "indicator"),
            models.CheckConstraint(
                condition=~Q(measure=Measure.PERCENTAGE) | Q(baseline_value__isnull=True) | Q(baseline_value__gte=0, baseline_value__lte=100),
                name="indicator_baseline_percentage_in_range",
                violation_error_message=_("A percentage is between 0 and 100."),
            ),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"

    LEVEL_FIELDS = {ResultLevel.PLAN: "plan_level_of", ResultLevel.OBJECTIVE: "objective", ResultLevel.OUTPUT: "output", ResultLevel.ACTIVITY: "activity"}

    def parent_plan(self):
        parent = self.result
        if parent is None:
            raise Indicator.plan.RelatedObjectDoesNotExist("The indicator is not attached to anything yet.")
        return parent if self.level == ResultLevel.PLAN else parent.plan

    @property
    def result(self):
        """The plan, objective, output or activity this indicator measures."""
        field = self.LEVEL_FIELDS.get(self.level)
        return getattr(self, field) if field else None

    @property
    def iati_result_type(self) -> int:
        return IATI_RESULT_TYPES[self.level]

    @property
    def iati_measure(self) -> int:
        return IATI_MEASURES[self.measure]

    @property
    def baseline_percentage(self):
        return percentage(self.baseline_numerator, self.baseline_denominator)

    def get_absolute_url(self):
        return reverse("admin:planning_indicator_change", args=[self.pk])

    def clean(self):
        errors = {}
        field = self.LEVEL_FIELDS.get(self.level)
        if field:
            if getattr(self, f"{field}_id") is None:
                errors[field] = _("Choose what this %(level)s-level indicator measures.") % {"level": self.get_level_display()}
            for other in self.LEVEL_FIELDS.values():
                if other != field and getattr(self, f"{other}_id") is not None:
                    errors[other] = _("Leave empty: the indicator's level is %(level)s.") % {"level": self.get_level_display()}
        if errors:
            raise ValidationError(errors)
        super().clean()
        errors.update(
            check_measured_value(
                measure=self.measure, value=self.baseline_value, numerator=self.baseline_numerator, denominator=self.baseline_denominator, prefix="baseline_"
            )
        )
        plan = self.parent_plan()
        if self.baseline_year is not None and not 1990 <= self.baseline_year <= plan.end_year:
            errors["baseline_year"] = _("The baseline year must be before the end of the plan.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.measure == Measure.PERCENTAGE and self.baseline_denominator:
            self.baseline_value = self.baseline_percentage
        super().save(*args, **kwargs)


class IndicatorPeriodQuerySet(models.QuerySet):
    def get_by_natural_key(self, plan_code, code, kind, year, number):
        return self.get(indicator__plan__code=plan_code, indicator__code=code, period__kind=kind, period__year=year, period__number=number)

    def for_agency(self, organisation):
        return self.filter(indicator__responsible_agency=organisation)


class IndicatorPeriod(models.Model):
    """One period of an indicator (a year, a quarter, the mid-term or final review): its target and the
    actual reported against it. The actual here is the agency's working value; what was approved is
    kept apart (`planning.selectors.approved_values`)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="periods")
    period = models.ForeignKey("ReportingPeriod", verbose_name=_("period"), on_delete=models.PROTECT, related_name="indicator_periods")
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_numerator = models.DecimalField(_("target numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_denominator = models.DecimalField(_("target denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_text_vi = models.TextField(_("target, qualitative (Vietnamese)"), blank=True)
    target_text_en = models.TextField(_("target, qualitative (English)"), blank=True)
    actual_value = models.DecimalField(_("actual"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual_numerator = models.DecimalField(_("actual numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual_denominator = models.DecimalField(_("actual denominator"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual_text_vi = models.TextField(_("actual, qualitative (Vietnamese)"), blank=True)
    actual_text_en = models.TextField(_("actual, qualitative (English)"), blank=True)
    actual_source_vi = models.CharField(_("source of the actual (Vietnamese)"), max_length=500, blank=True)
    actual_source_en = models.CharField(_("source of the actual (English)"), max_length=500, blank=True)
    proposed_value = models.DecimalField(
        _("counted from events"), max_digits=14, decimal_places=2, null=True, blank=True, editable=False,
        help_text=_("The count from event attendance, proposed to the agency, which confirms it as the actual."),
    )  # fmt: skip
    proposed_at = models.DateTimeField(_("counted on"), null=True, blank=True, editable=False)
    version = AutoIncVersionField()

    target_text = TranslatedText()
    actual_text = TranslatedText()
    actual_source = TranslatedText()
    objects = IndicatorPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period__end", "period__start"]
        verbose_name = _("target and actual")
        verbose_name_plural = _("targets and actuals")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicatorperiod_one_per_period",
                violation_error_message=_("This indicator already has a target for that period."),
            ),
            *ratio_constraints("target_", "indicatorperiod"),
            *ratio_constraints("actual_", "indicatorperiod"),
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.period}"

    def save(self, *args, **kwargs):
        for prefix in ("target_", "actual_"):
            denominator = getattr(self, f"{prefix}denominator")
            if denominator:
                setattr(self, f"{prefix}value", percentage(getattr(self, f"{prefix}numerator"), denominator))
        super().save(*args, **kwargs)

    def natural_key(self):
        return (*self.indicator.natural_key(), self.period.kind, self.period.year, self.period.number)

    natural_key.dependencies = ["planning.indicator", "planning.reportingperiod"]

    @property
    def year(self) -> int:
        return self.period.year

    def clean(self):
        # The 0–100 range of a percentage is checked here only: the measure lives on the indicator,
        # which a CheckConstraint on this table cannot see. Numerator ≤ denominator is a constraint.
        errors = {}
        indicator = related_or_none(self, "indicator")
        if indicator is not None:
            for prefix in ("target_", "actual_"):
                errors.update(
                    check_measured_value(
                        measure=indicator.measure,
                        value=getattr(self, f"{prefix}value"),
                        numerator=getattr(self, f"{prefix}numerator"),
                        denominator=getattr(self, f"{prefix}denominator"),
                        prefix=prefix,
                    )
                )
            try:
                plan_id = indicator.plan_id or indicator.parent_plan().pk
            except ObjectDoesNotExist:
                plan_id = None  # the indicator reports its own missing attachment
            if self.period_id and plan_id and self.period.plan_id != plan_id:
                errors["period"] = _("Choose a period of the indicator's own plan.")
        if errors:
            raise ValidationError(errors)


NOT_RECORDED = "not-recorded"


def category_label(disaggregation, code: str) -> str:
    """A category of a disaggregation in the reader's language (“Nữ”, “Female”), never its code."""
    from django.utils.translation import get_language

    if code == NOT_RECORDED:
        return str(_("Not recorded"))
    english = (get_language() or "vi").startswith("en")
    for entry in getattr(disaggregation, "categories", None) or []:
        if entry and entry[0] == code:
            name_vi = entry[1] if len(entry) > 1 else code
            name_en = entry[2] if len(entry) > 2 and entry[2] else name_vi
            return name_en if english else name_vi
    return code


class ValueKind(models.TextChoices):
    TARGET = "target", _("Target")
    ACTUAL = "actual", _("Actual")
    PROPOSED = "proposed", _("Counted from events")


class DisaggregatedValue(models.Model):
    """A target or actual for one category of one disaggregation (women, 18–35, Hà Nội...)."""

    period = models.ForeignKey(IndicatorPeriod, verbose_name=_("year"), on_delete=models.CASCADE, related_name="disaggregated_values")
    kind = models.CharField(_("target or actual"), max_length=10, choices=ValueKind.choices, default=ValueKind.ACTUAL)
    disaggregation = models.ForeignKey(Disaggregation, verbose_name=_("disaggregation"), on_delete=models.PROTECT)
    category = models.CharField(
        _("category"),
        max_length=40,
        help_text=_("A category of the disaggregation, a province or an organisation type; “not recorded” names the rest of the total."),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "kind", "disaggregation", "category"]
        verbose_name = _("disaggregated value")
        verbose_name_plural = _("disaggregated values")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind", "disaggregation", "category"],
                name="disaggregatedvalue_unique",
                violation_error_message=_("This category already has a value."),
            ),
            *ratio_constraints("", "disaggregatedvalue"),
        ]

    def __str__(self):
        return f"{self.period} · {self.disaggregation} · {self.category_label}"

    def save(self, *args, **kwargs):
        if self.denominator:
            self.value = percentage(self.numerator, self.denominator)
        super().save(*args, **kwargs)

    def clean(self):
        # As for IndicatorPeriod, the 0–100 range depends on the indicator's measure: checked here only.
        errors = {}
        period = related_or_none(self, "period")
        if period is not None:
            errors.update(check_measured_value(measure=period.indicator.measure, value=self.value, numerator=self.numerator, denominator=self.denominator))
        if self.disaggregation_id and self.disaggregation.categories and self.category != NOT_RECORDED:
            codes = [entry[0] for entry in self.disaggregation.categories]
            if self.category not in codes:
                labels = [category_label(self.disaggregation, code) for code in [*codes, NOT_RECORDED]]
                errors["category"] = _("Choose one of: %(codes)s.") % {"codes": ", ".join(labels)}
        if errors:
            raise ValidationError(errors)

    @property
    def category_label(self) -> str:
        return category_label(self.disaggregation, self.category)
