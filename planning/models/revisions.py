"""Revisions of an approved delivery plan: what an agency proposes to change, held apart from the plan.

A focal point cannot change an approved (or published) delivery plan's activities, budget lines or
targets in place. They propose each change as a `PlanChange` of their agency's revision report (a
`ProgressReport` of kind `ReportKind.REVISION`), which a coordinator reviews like a progress report;
its approval applies every change through the plan's services (`planning.services.revisions`).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .reporting import ProgressReport


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Add")
    CHANGE = "change", _("Change")


class PlanChangeQuerySet(models.QuerySet):
    def for_agency(self, organisation):
        return self.filter(revision__agency=organisation)


class PlanChange(models.Model):
    """One proposed change to a row of an approved delivery plan: an activity, a budget line or an
    indicator's target for a period. `data` holds the proposed values (foreign keys as ids,
    many-to-many relations as lists of ids), `before` the values when it was proposed and
    `target_version` the row's version then: a row changed since is not overwritten at approval."""

    revision = models.ForeignKey(ProgressReport, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="plan_changes")
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of row"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=Q(app_label="planning", model__in=["activity", "budgetline", "indicatorperiod"]),
    )
    target_id = models.PositiveBigIntegerField(_("row"), null=True, blank=True, help_text=_("Empty for a new row."))
    target_version = models.PositiveIntegerField(_("version when proposed"), null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices, default=ChangeAction.CHANGE)
    data = models.JSONField(_("proposed values"), encoder=DjangoJSONEncoder, default=dict)
    before = models.JSONField(_("values when proposed"), encoder=DjangoJSONEncoder, default=dict, blank=True)
    reason = models.TextField(_("reason for this change"), blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = PlanChangeQuerySet.as_manager()

    class Meta:
        ordering = ["revision", "created_at", "pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "target_type", "target_id"],
                condition=Q(target_id__isnull=False),
                name="planchange_one_per_row",
                violation_error_message=_("This revision already proposes a change to this row."),
            ),
            models.CheckConstraint(
                condition=Q(action="create") | Q(target_id__isnull=False),
                name="planchange_change_has_row",
                violation_error_message=_("A change names the row it changes."),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} · {self.target_type.name} · {self.revision}"

    def get_absolute_url(self):
        return reverse("planning:revision-detail", args=[self.revision_id])
