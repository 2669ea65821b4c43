"""Previews of imports: what a person saw before confirming, applied once, kept for an hour."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREVIEW_LIFETIME = datetime.timedelta(hours=1)


class ImportPreviewQuerySet(models.QuerySet):
    def expired(self, now: datetime.datetime | None = None):
        return self.filter(expires__lte=now or timezone.now())

    def purge_expired(self) -> int:
        """Delete every expired preview (with the personal data its rows hold); returns how many."""
        return self.expired().delete()[0]


class ImportPreview(models.Model):
    """One uploaded file, checked: its rows as the person saw them (`data`), until applied or expired.

    `kind` names the importer (planning.importing.Importer.kind) and `target_id` what it imports
    into (an event, a delivery plan), so a preview is applied only by the same importer, into the
    same target, by the person who uploaded it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=60)
    target_id = models.PositiveBigIntegerField(_("imported into"), null=True, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    created = models.DateTimeField(_("created"), default=timezone.now)
    expires = models.DateTimeField(_("expires"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    has_errors = models.BooleanField(_("has errors"), default=False)
    data = models.JSONField(_("preview"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    objects = ImportPreviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")
        indexes = [models.Index(fields=["expires"])]

    def __str__(self):
        return f"{self.kind} · {self.file_name} · {self.created:%d/%m/%Y %H:%M}"

    @property
    def is_expired(self) -> bool:
        return self.expires <= timezone.now()
