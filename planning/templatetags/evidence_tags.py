"""The report's evidence list (templates/planning/evidence/_report_evidence.html): one query for the
files with their uploaders, whatever their number."""

from django import template
from django.contrib.auth.models import AnonymousUser

from .. import roles
from ..forms.evidence import EvidenceForm
from ..services import evidence as services

register = template.Library()


@register.simple_tag(takes_context=True)
def report_evidence(context, report, can_edit=False):
    """{% report_evidence report can_edit as panel %}: `panel.files` (those the reader may download),
    `panel.can_review` (may make them public), `panel.can_delete` and `panel.form` (the upload form,
    when the reader may write the open report)."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None) or AnonymousUser()
    files = roles.visible_evidence(user, report.evidence.select_related("uploaded_by", "activity", "indicator_period__indicator"))
    writable = bool(can_edit) and report.is_open and roles.can_write_report(user, report.agency_id)
    here = request.get_full_path() if request is not None else ""
    return {
        "files": list(files),
        "can_review": roles.can_review(user),
        "can_delete": writable,
        "form": EvidenceForm(report=report, initial={"next": here}) if writable else None,
        "next": here,
    }


@register.filter
def file_size(size):
    """{{ evidence.size|file_size }}: 950 bytes, 12,5 KB, 3,2 MB in the reader's number format."""
    return services.size_display(size)


@register.filter
def file_kind(content_type):
    """{{ evidence.content_type|file_kind }}: "PDF document", "Excel workbook"..."""
    return services.kind_label(content_type)
