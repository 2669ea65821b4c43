"""Who works for which agency: a focal point edits their own agency's part of the plan."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .reference import Organisation


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(Organisation, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="members")
    position = models.CharField(_("position"), max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")

    def __str__(self):
        return f"{self.user} · {self.organisation}"
