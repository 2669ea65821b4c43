"""Evidence files of a report: upload, download, delete, make public or private (see planning/urls.py).

Reports are fetched through roles.visible_reports and files through roles.visible_evidence: what a
user may not see is a 404, whoever asks and however. Changes are POST only and go through
planning.services.evidence, which decides who may write and when.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from napwps import uploads

from .. import roles
from ..forms.evidence import EvidenceForm
from ..models import Evidence, ProgressReport
from ..services import evidence as services


def report_page(report: ProgressReport) -> str:
    """The report's page in the workspace; while the workspace has none, its upload page."""
    try:
        return report.get_absolute_url()
    except NoReverseMatch:
        pass
    try:
        return reverse("planning:workspace")
    except NoReverseMatch:
        return reverse("planning:evidence-add", args=[report.pk])


def back_to(request, report: ProgressReport) -> str:
    """Where to go after a change: the page the form was on (the report's page or the review page), if it is this site's."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return report_page(report)


def visible_report(request, pk) -> ProgressReport:
    return get_object_or_404(roles.visible_reports(request.user, ProgressReport.objects.select_related("agency", "period")), pk=pk)


def visible_file(request, pk) -> Evidence:
    return get_object_or_404(roles.visible_evidence(request.user, Evidence.objects.select_related("report__agency", "report__period")), pk=pk)


@login_required
def evidence_add(request, pk):
    report = visible_report(request, pk)
    if not roles.can_write_report(request.user, report.agency_id):
        raise PermissionDenied
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, report=report)
        if "file" in uploads.too_large(request):
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error("file", services.too_large_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                evidence = services.evidence_add(
                    report=report, file=data["file"], title_vi=data["title_vi"], title_en=data["title_en"],
                    activity=data["activity"], indicator_period=data["indicator_period"], user=request.user,
                )  # fmt: skip
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("“%(name)s” is attached to the report.") % {"name": evidence.original_name})
                return redirect(back_to(request, report))
    else:
        form = EvidenceForm(report=report)
    return render(request, "planning/evidence/evidence_form.html", {"report": report, "form": form, "back": report_page(report)})


def evidence_download(request, pk):
    """The file, as an attachment with the name it was uploaded with, to those who may see it (anyone, once public)."""
    evidence = visible_file(request, pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Never kept by shared caches: a file made private again must stop being served at once.
    patch_cache_control(response, private=True, no_store=not evidence.is_public)
    return response


@login_required
@require_POST
def evidence_delete(request, pk):
    evidence = visible_file(request, pk)
    report, name = evidence.report, evidence.original_name
    try:
        services.evidence_delete(evidence=evidence, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(name)s” is removed from the report.") % {"name": name})
    return redirect(back_to(request, report))


@login_required
@require_POST
def evidence_publish(request, pk):
    """Make a file public (`public=1`) or private again (`public=0`): coordinators only."""
    evidence = visible_file(request, pk)
    public = request.POST.get("public") == "1"
    services.evidence_set_public(evidence=evidence, public=public, user=request.user)
    if public:
        messages.success(request, _("“%(name)s” is public: anyone may download it.") % {"name": evidence.original_name})
    else:
        messages.success(request, _("“%(name)s” is private again.") % {"name": evidence.original_name})
    return redirect(back_to(request, evidence.report))


urlpatterns = [
    path("reports/<int:pk>/evidence/add/", evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/", evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/delete/", evidence_delete, name="evidence-delete"),
    path("evidence/<int:pk>/public/", evidence_publish, name="evidence-public"),
]
