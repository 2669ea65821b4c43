"""Evidence files behind a progress report: added and deleted while the report is open, by those
who may write it; made public (or private again) by coordinators at any time.

A file is accepted by its CONTENT (the `filetype` library reads its first bytes; Office Open XML and
OpenDocument files are also recognised by the parts inside their zip), and the type found must be the
one its name claims: a program or a web page renamed .pdf, or a PDF renamed .png, is refused. Files
are limited to settings.EVIDENCE_MAX_BYTES, stored through Django's default storage under a generated
name (never the uploader's path); the name the user gave is kept, in NFC, for display and download.
"""

import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from napwps import formatting, history

from .. import roles
from ..models import Activity, Evidence, IndicatorPeriod, PeriodKind, ProgressReport, ReportStatus
from . import _save

ORIGINAL_NAME_MAX = 255  # Evidence.original_name
SIGNATURE_BYTES = 8192  # what filetype reads


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]
    label: str  # what the file is, for the list and for messages


OOXML = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
# Word, Excel and PowerPoint 97-2003 files are all OLE2 compound files, which filetype tells apart by
# heuristics that overlap: any of the three found is taken for whichever of the three the name says.
OLE2 = ("doc", "xls", "ppt")

KINDS = [
    FileKind("application/pdf", ("pdf",), _("PDF document")),
    FileKind("application/msword", ("doc",), _("Word document")),
    FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), _("Word document")),
    FileKind("application/vnd.ms-excel", ("xls",), _("Excel workbook")),
    FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), _("Excel workbook")),
    FileKind("application/vnd.ms-powerpoint", ("ppt",), _("PowerPoint presentation")),
    FileKind("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",), _("PowerPoint presentation")),
    FileKind(ODF["odt"], ("odt",), _("OpenDocument text")),
    FileKind(ODF["ods"], ("ods",), _("OpenDocument spreadsheet")),
    FileKind(ODF["odp"], ("odp",), _("OpenDocument presentation")),
    FileKind("image/jpeg", ("jpg", "jpeg"), _("JPEG image")),
    FileKind("image/png", ("png",), _("PNG image")),
    FileKind("image/webp", ("webp",), _("WEBP image")),
]
KIND_BY_TYPE = {kind.content_type: kind for kind in KINDS}
KIND_BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
ALIASES = {"image/apng": "image/png"}  # an animated PNG is a PNG
EXTENSIONS = tuple(KIND_BY_EXTENSION)
ACCEPT = ",".join(f".{extension}" for extension in EXTENSIONS)  # for <input type="file" accept=...>


def kind_label(content_type: str) -> str:
    kind = KIND_BY_TYPE.get(content_type)
    return str(kind.label) if kind else content_type


def size_display(size: int | None) -> str:
    """A file's size in the reader's number format: 950 bytes, 2,5 KB, 120 KB, 3,2 MB, 20 MB."""
    if size is None:
        return ""
    if size < 1024:
        return _("%(size)s bytes") % {"size": formatting.number(size)}
    if size < 1024 * 1024:
        return _("%(size)s KB") % {"size": formatting.number(size / 1024, at_most=1 if size < 10 * 1024 else 0)}
    return _("%(size)s MB") % {"size": formatting.number(size / (1024 * 1024), at_most=1)}


def max_bytes() -> int:
    return min(settings.EVIDENCE_MAX_BYTES, getattr(settings, "UPLOAD_MAX_BYTES", settings.EVIDENCE_MAX_BYTES))


def too_large_message(name: str = "") -> str:
    limit = size_display(max_bytes())
    if name:
        return _("“%(name)s” is larger than %(limit)s, the most a file may be.") % {"name": name, "limit": limit}
    return _("The file is larger than %(limit)s, the most a file may be.") % {"limit": limit}


# What may be attached to a report ---------------------------------------------------------------


def activities_for(report: ProgressReport) -> QuerySet:
    """The activities evidence of this report may be about: those its agency leads in its period's year
    (in the whole plan for the mid-term and final reviews)."""
    period = report.period
    activities = Activity.objects.filter(lead_agency_id=report.agency_id, plan_id=period.plan_id)
    if period.kind not in (PeriodKind.MID_TERM, PeriodKind.FINAL):
        activities = activities.filter(delivery_plans__plan_id=period.plan_id, delivery_plans__year=period.year)
    return activities.distinct().order_by("order", "code")


def indicator_periods_for(report: ProgressReport) -> QuerySet:
    """The indicator periods evidence of this report may be about: its agency's, for its period."""
    return (
        IndicatorPeriod.objects.filter(indicator__responsible_agency_id=report.agency_id, period_id=report.period_id)
        .select_related("indicator", "period")
        .order_by("indicator__order", "indicator__code")
    )


# Reading the file -------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The file's own name, as the user's computer called it: no folders, no control characters,
    NFC, at most ORIGINAL_NAME_MAX characters (the extension kept)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip().strip(".")
    if len(name) > ORIGINAL_NAME_MAX:
        stem, dot, extension = name.rpartition(".")
        keep_extension = dot and 0 < len(extension) <= 10
        name = f"{stem[: ORIGINAL_NAME_MAX - len(extension) - 1].rstrip()}.{extension}" if keep_extension else name[:ORIGINAL_NAME_MAX]
    return name


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def _zip_members(file) -> zipfile.ZipFile | None:
    try:
        file.seek(0)
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def _zipped_document(file, extension: str) -> bool:
    """Is this zip the Office Open XML or OpenDocument file its extension says? (filetype only looks at
    the first entries, which some programs order differently.) Only the zip's directory is read, and
    the few bytes of an OpenDocument's `mimetype` entry."""
    archive = _zip_members(file)
    if archive is None:
        return False
    with archive:
        try:
            names = set(archive.namelist())
            if extension in OOXML:
                return "[Content_Types].xml" in names and OOXML[extension] in names
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is None or info.file_size > 200:
                return False
            return archive.read(info).strip() == ODF[extension].encode("ascii")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError, NotImplementedError, RuntimeError):
            return False


def detect(file, name: str) -> FileKind:
    """The kind of an uploaded file, from its content, if it agrees with its name; else ValidationError."""
    extension = extension_of(name)
    if extension not in KIND_BY_EXTENSION:
        raise ValidationError(
            _("“%(name)s” does not end in one of the accepted extensions: %(extensions)s.") % {"name": name, "extensions": ", ".join(EXTENSIONS)},
            code="extension",
        )
    claimed = KIND_BY_EXTENSION[extension]
    file.seek(0)
    head = file.read(SIGNATURE_BYTES)
    file.seek(0)
    found = filetype.guess(head)
    content_type = ALIASES.get(found.mime, found.mime) if found else None
    if content_type == claimed.content_type:
        return claimed
    if found is not None and found.extension in OLE2 and extension in OLE2:
        return claimed
    zipped = extension in OOXML or extension in ODF
    if zipped and (found is None or found.extension in ("zip", *OOXML, *ODF)) and _zipped_document(file, extension):
        return claimed
    if content_type in KIND_BY_TYPE:
        raise ValidationError(
            _(
                "“%(name)s” is a file of type “%(found)s”, but its name ends in .%(extension)s: rename it with the extension of its type, or upload the right file."
            )
            % {"name": name, "found": KIND_BY_TYPE[content_type].label, "extension": extension},
            code="mismatch",
        )
    raise ValidationError(
        _(
            "“%(name)s” is not a file of type “%(kind)s”: its content was checked, not only its name. Accepted are PDF, Word, Excel, PowerPoint and OpenDocument files and JPEG, PNG and WEBP images."
        )
        % {"name": name, "kind": claimed.label},
        code="content",
    )


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    return size


# The services -----------------------------------------------------------------------------------


def _locked_report(report: ProgressReport, *, user, action: str) -> ProgressReport:
    """The report, its row locked until the end of the transaction (a submission waits), if `user` may
    write it and it is open."""
    report = ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    if user is not None and not roles.can_write_report(user, report.agency_id):
        raise PermissionDenied(f"{user} may not {action} evidence of {report}.")
    if not report.is_open:
        if report.status == ReportStatus.SUBMITTED:
            raise ValidationError(_("%(report)s is submitted: its evidence is locked until a coordinator returns it.") % {"report": report}, code="locked")
        raise ValidationError(_("%(report)s is approved: its evidence does not change. Open a correction to add more.") % {"report": report}, code="locked")
    return report


def evidence_check(*, report: ProgressReport, file, activity=None, indicator_period=None) -> FileKind:
    """What `evidence_add` checks of the file and what it is about; returns the file's kind."""
    errors = {}
    if activity is not None and not activities_for(report).filter(pk=activity.pk).exists():
        errors["activity"] = _("This activity is not one of %(agency)s's activities for %(period)s.") % {"agency": report.agency, "period": report.period}
    if indicator_period is not None and not indicator_periods_for(report).filter(pk=indicator_period.pk).exists():
        errors["indicator_period"] = _("This indicator period is not one of %(agency)s's for %(period)s.") % {"agency": report.agency, "period": report.period}
    kind = None
    name = clean_name(getattr(file, "name", "") or "")
    if file is None:
        errors["file"] = _("Choose a file.")
    else:
        size = _size(file)
        if size > max_bytes():
            errors["file"] = too_large_message(name)
        elif size == 0:
            errors["file"] = _("“%(name)s” is empty.") % {"name": name}
        else:
            try:
                kind = detect(file, name)
            except ValidationError as error:
                errors["file"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return kind


@transaction.atomic
def evidence_add(
    *, report: ProgressReport, file, title_vi: str, title_en: str = "", activity: Activity | None = None,
    indicator_period: IndicatorPeriod | None = None, user,
) -> Evidence:  # fmt: skip
    """Attach a file to an open report (see the module's docstring for what is accepted)."""
    report = _locked_report(report, user=user, action="add")
    kind = evidence_check(report=report, file=file, activity=activity, indicator_period=indicator_period)
    original_name = clean_name(file.name)
    evidence = Evidence(
        report=report, activity=activity, indicator_period=indicator_period,
        title_vi=unicodedata.normalize("NFC", title_vi.strip()), title_en=unicodedata.normalize("NFC", (title_en or "").strip()),
        original_name=original_name, content_type=kind.content_type, size=_size(file), uploaded_by=user,
    )  # fmt: skip
    evidence.full_clean(exclude=["file"])
    file.seek(0)
    evidence.file.save(f"{uuid.uuid4().hex}.{extension_of(original_name)}", file, save=False)
    stored = evidence.file.name
    try:
        _save(evidence, user=user, reason=history.reason(gettext_noop("Evidence added: %(name)s"), name=original_name))
        if user is not None:
            report.editors.add(user)
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user) -> None:
    """Remove a file from its report while the report is open; the stored file goes once this commits."""
    report = _locked_report(evidence.report, user=user, action="delete")
    storage, name = evidence.file.storage, evidence.file.name
    evidence._history_user = user
    evidence._change_reason = history.reason(gettext_noop("Evidence deleted: %(name)s"), name=evidence.original_name)
    evidence.delete()
    if user is not None:
        report.editors.add(user)
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def evidence_set_public(*, evidence: Evidence, public: bool, user) -> Evidence:
    """Coordinators make a file public (anyone may download it) or private again, at any time."""
    if user is not None and not roles.can_review(user):
        raise PermissionDenied(f"{user} may not make {evidence} public.")
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_public == bool(public):
        return evidence
    evidence.is_public = bool(public)
    message = gettext_noop("Made public") if public else gettext_noop("Made private")
    return _save(evidence, user=user, reason=history.reason(message))
