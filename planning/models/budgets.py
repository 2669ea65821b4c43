"""Activity budgets by year, funding source and funding status."""

from decimal import ROUND_HALF_UP, Decimal

from concurrency.fields import AutoIncVersionField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from napwps.bilingual import TranslatedText

from .fields import related_or_none
from .plan import Activity, DeliveryPlan
from .reference import Organisation


class FundingSource(models.TextChoices):
    CENTRAL_BUDGET = "central_budget", _("Central state budget")
    PROVINCIAL_BUDGET = "provincial_budget", _("Provincial state budget")
    ODA_GRANT = "oda_grant", _("ODA grant")
    CONCESSIONAL_LOAN = "concessional_loan", _("Concessional loan")
    UN_AGENCY = "un_agency", _("UN agency")
    INGO = "ingo", _("International NGO")
    PRIVATE = "private", _("Private sector")
    OTHER_LAWFUL = "other_lawful", _("Other lawful sources")
    IN_KIND = "in_kind", _("In kind")


class FundingStatus(models.TextChoices):
    """How far a line's money has come. Committed and beyond count as secured funding."""

    ESTIMATED = "estimated", _("Estimated")
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")
    SPENT = "spent", _("Spent")


SECURED_STATUSES = (FundingStatus.COMMITTED, FundingStatus.DISBURSED, FundingStatus.SPENT)
DISBURSED_STATUSES = (FundingStatus.DISBURSED, FundingStatus.SPENT)


class BudgetLineQuerySet(models.QuerySet):
    def for_agency(self, organisation):
        return self.filter(activity__lead_agency=organisation)


class BudgetLine(models.Model):
    """Money for one activity in one year from one source.

    Every line is part of the activity's estimated cost; its status says how far the funding has
    come. The funding gap is what is estimated but not yet committed (see selectors).
    """

    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="budget_lines")
    delivery_plan = models.ForeignKey(DeliveryPlan, verbose_name=_("year"), on_delete=models.PROTECT, related_name="budget_lines")
    source = models.CharField(_("funding source"), max_length=30, choices=FundingSource.choices)
    funder = models.ForeignKey(Organisation, verbose_name=_("funder"), null=True, blank=True, on_delete=models.PROTECT, related_name="funded_budget_lines")
    description_vi = models.CharField(_("item (Vietnamese)"), max_length=255, blank=True)
    description_en = models.CharField(_("item (English)"), max_length=255, blank=True)
    amount_vnd = models.DecimalField(
        _("amount (VND)"), max_digits=18, decimal_places=0, blank=True, help_text=_("Left empty for a foreign currency, it is converted at the rate given.")
    )
    currency = models.CharField(_("original currency"), max_length=3, default="VND", help_text=_("ISO 4217 code, e.g. VND or USD."))
    original_amount = models.DecimalField(_("amount in original currency"), max_digits=16, decimal_places=2, null=True, blank=True)
    exchange_rate = models.DecimalField(_("exchange rate (VND per unit)"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=FundingStatus.choices, default=FundingStatus.ESTIMATED)
    version = AutoIncVersionField()

    description = TranslatedText()
    objects = BudgetLineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["activity", "delivery_plan__year", "source"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_vnd__gte=0), name="budgetline_amount_not_negative", violation_error_message=_("An amount cannot be negative.")
            ),
            models.CheckConstraint(
                condition=Q(original_amount__isnull=True) | Q(original_amount__gte=0),
                name="budgetline_original_amount_not_negative",
                violation_error_message=_("An amount cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0),
                name="budgetline_rate_positive",
                violation_error_message=_("The exchange rate must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(currency="VND") | (Q(original_amount__isnull=False) & Q(exchange_rate__isnull=False)),
                name="budgetline_foreign_currency_has_rate",
                violation_error_message=_("A foreign-currency amount needs its original amount and exchange rate."),
            ),
        ]

    def __str__(self):
        return f"{self.activity.code} · {self.delivery_plan.year} · {self.get_source_display()}"

    def clean(self):
        errors = {}
        self.currency = (self.currency or "VND").upper()
        for field in ("amount_vnd", "original_amount"):
            if getattr(self, field) is not None and getattr(self, field) < 0:
                errors[field] = _("An amount cannot be negative.")
        if self.exchange_rate is not None and self.exchange_rate <= 0:
            errors["exchange_rate"] = _("The exchange rate must be above zero.")
        if self.currency != "VND":
            if self.original_amount is None:
                errors["original_amount"] = _("Give the amount in %(currency)s.") % {"currency": self.currency}
            if self.exchange_rate is None:
                errors["exchange_rate"] = _("Give the exchange rate used for %(currency)s.") % {"currency": self.currency}
        activity = related_or_none(self, "activity")
        if activity is not None and self.delivery_plan_id:
            plan_id = activity.plan_id or (activity.output.plan_id if activity.output_id else None)
            if plan_id and self.delivery_plan.plan_id != plan_id:
                errors["delivery_plan"] = _("Choose a delivery plan of the activity's own plan.")
            # Its year among the activity's years: a rule over the activity's relations, checked by
            # services.budget_line_check (with the years the activity has after the change).
        if self.currency != "VND":
            # The VND amount of a foreign-currency line is always its amount at the stated rate.
            if "original_amount" not in errors and "exchange_rate" not in errors:
                self.amount_vnd = self.converted_amount()
        elif self.amount_vnd is None:
            errors["amount_vnd"] = _("Give the amount in VND.")
        if errors:
            raise ValidationError(errors)

    def converted_amount(self) -> Decimal:
        return (self.original_amount * self.exchange_rate).quantize(Decimal(1), rounding=ROUND_HALF_UP)
