"""Writes of the import framework: store a preview, apply it once, purge the expired ones."""

import hashlib
import os
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from planning.models import PREVIEW_LIFETIME, ImportPreview

from .base import CellError, Importer, Preview
from .reader import SheetProblem, read_upload


def preview_create(*, importer: Importer, uploaded) -> tuple[ImportPreview, Preview]:
    """Check an uploaded file and keep what it would do as a preview row, for an hour. Saves nothing
    else. The importer's user must be allowed to import into its target."""
    importer.check_permission()
    filename = os.path.basename(getattr(uploaded, "name", "") or "")
    try:
        content = read_upload(uploaded, importer.limits)
    except SheetProblem as problem:
        preview = Preview(kind=importer.kind, target_id=importer.target_id, filename=filename)
        preview.file_errors.append(CellError(reason=str(problem)))
        content = b""
    else:
        preview = importer.preview(content, filename=filename)
    now = timezone.now()
    ImportPreview.objects.purge_expired()
    stored = ImportPreview.objects.create(
        uploader=importer.user, kind=importer.kind, target_id=importer.target_id, file_name=filename[:255],
        file_sha256=hashlib.sha256(content).hexdigest(), created=now, expires=now + PREVIEW_LIFETIME,
        has_errors=preview.has_errors, data=preview.to_dict(),
    )  # fmt: skip
    return stored, preview


def preview_apply(*, importer: Importer, pk) -> dict[str, int]:
    """Apply the preview the person saw, once, in one transaction with everything it writes.

    The preview row is locked first: a second click, a second tab or a replayed request finds it
    applied and is refused. Only its uploader may apply it, into the same target, before it expires;
    the importer checks again that the user may import there. Returns the count of rows per action.
    """
    if pk is None or not _is_uuid(pk):
        raise ValidationError(_("This preview does not exist: upload the file again."))
    with transaction.atomic():
        stored = ImportPreview.objects.select_for_update().filter(pk=pk, uploader=importer.user, kind=importer.kind, target_id=importer.target_id).first()
        if stored is None:
            raise ValidationError(_("This preview does not exist or has expired: upload the file again."))
        if stored.applied_at is not None:
            raise ValidationError(
                _("This file was already imported at %(time)s. Nothing was imported again.")
                % {"time": timezone.localtime(stored.applied_at).strftime("%H:%M %d/%m/%Y")}
            )
        if stored.is_expired:
            raise ValidationError(_("The preview has expired: upload the file again."))
        result = importer.apply(Preview.from_dict(stored.data))
        stored.applied_at = timezone.now()
        stored.result = result
        stored.data = {**stored.data, "rows": []}  # the rows (names, contacts) are no longer needed
        stored.save(update_fields=["applied_at", "result", "data"])
    ImportPreview.objects.purge_expired()
    return result


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
