"""The organisers' import pages: one page and one apply for participants, test scores and
evaluation forms. Uploading stores a preview (planning.importing.services); applying names that
preview, so what is applied is what the person saw, once."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from napwps.exporting import xlsx_response
from planning.importing import CHANGE, CREATE, UNCHANGED
from planning.importing import services as import_services

from . import importing
from .forms import ImportForm
from .views import managed_event


@dataclass(frozen=True)
class ImportPage:
    importer: type
    url_name: str  # the page; "<url_name>-apply" applies
    title: Promise
    intro: Promise
    download_url_name: str
    download_label: Promise
    done_url_name: str
    columns: tuple[tuple[str, Promise], ...]  # what the preview table shows of each row (display keys)


PAGES = {
    "participants": ImportPage(
        importer=importing.ParticipantImporter,
        url_name="participant-import",
        title=gettext_lazy("Import participants from Excel"),
        intro=gettext_lazy(
            "Fill in the template, upload it, check the preview, then apply. Nothing is saved before you apply, and nothing at all while any row has an error."
        ),
        download_url_name="events:import-template",
        download_label=gettext_lazy("Download the template"),
        done_url_name="events:participant-list",
        columns=(
            ("full_name", gettext_lazy("Name")),
            ("sex", gettext_lazy("Sex")),
            ("organisation", gettext_lazy("Organisation")),
            ("sector", gettext_lazy("Sector")),
            ("province", gettext_lazy("Province")),
        ),
    ),
    "scores": ImportPage(
        importer=importing.ScoresImporter,
        url_name="scores-import",
        title=gettext_lazy("Import test scores from Excel"),
        intro=gettext_lazy(
            "Download the participant list, fill in its pre-test and post-test columns with scores from 0 to 100, upload it, check the preview, then apply. A blank cell leaves the score as it is. Nothing is saved before you apply, and nothing at all while any row has an error."
        ),
        download_url_name="events:participant-export",
        download_label=gettext_lazy("Download the participant list"),
        done_url_name="events:scores-edit",
        columns=(
            ("id", gettext_lazy("ID")),
            ("name", gettext_lazy("Name")),
            ("pre_test_score", gettext_lazy("Pre-test")),
            ("post_test_score", gettext_lazy("Post-test")),
        ),
    ),
    "feedback": ImportPage(
        importer=importing.FeedbackImporter,
        url_name="feedback-import",
        title=gettext_lazy("Import evaluation forms from Excel"),
        intro=gettext_lazy(
            "Type one evaluation form per row into the template (satisfaction and relevance from 1 to 5, comments and the participant's ID if the form gives them), upload it, check the preview, then apply. Nothing is saved before you apply, and nothing at all while any row has an error."
        ),
        download_url_name="events:feedback-template",
        download_label=gettext_lazy("Download the template"),
        done_url_name="events:feedback-create",
        columns=(
            ("satisfaction", gettext_lazy("Satisfaction")),
            ("relevance", gettext_lazy("Relevance")),
            ("comments", gettext_lazy("Comments")),
            ("participant", gettext_lazy("Participant")),
        ),
    ),
}


@login_required
def import_page(request, pk, kind):
    """Upload a workbook and see, row by row, what would happen. Nothing is saved here but the preview."""
    event = managed_event(request, pk)
    page = PAGES[kind]
    form = ImportForm(request.POST or None, request.FILES or None)
    preview = stored = rows = None
    if request.method == "POST" and form.is_valid():
        importer = page.importer(user=request.user, target=event)
        stored, preview = import_services.preview_create(importer=importer, uploaded=form.cleaned_data["file"])
        rows = importer.table_rows(preview, page.columns)
    context = {
        "event": event, "page": page, "form": form, "preview": preview, "stored": stored, "rows": rows,
        "apply_url": reverse(f"events:{page.url_name}-apply", args=[event.pk]),
    }  # fmt: skip
    return render(request, "events/import.html", context)


@login_required
@require_POST
def import_apply(request, pk, kind):
    event = managed_event(request, pk)
    page = PAGES[kind]
    importer = page.importer(user=request.user, target=event)
    try:
        result = import_services.preview_apply(importer=importer, pk=request.POST.get("preview"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"events:{page.url_name}", pk=event.pk)
    messages.success(request, result_message(kind, result))
    return redirect(page.done_url_name, pk=event.pk)


def result_message(kind: str, result: dict) -> str:
    created, changed, skipped = result.get(CREATE, 0), result.get(CHANGE, 0), result.get(UNCHANGED, 0)
    if kind == "participants":
        known = result.get("known", 0)
        return _("%(registered)s people registered (%(created)s new, %(matched)s already known); %(skipped)s rows skipped.") % {
            "registered": created, "created": created - known, "matched": known, "skipped": skipped,
        }  # fmt: skip
    if kind == "scores":
        return ngettext("Test scores of %(count)s participant updated.", "Test scores of %(count)s participants updated.", changed) % {"count": changed}
    return ngettext("%(count)s evaluation form recorded.", "%(count)s evaluation forms recorded.", created) % {"count": created}


@login_required
def participant_template(request, pk):
    event = managed_event(request, pk)
    return xlsx_response(f"{event.code}-participants-template.xlsx", importing.template_workbook())


@login_required
def feedback_template(request, pk):
    event = managed_event(request, pk)
    return xlsx_response(f"{event.code}-feedback-template.xlsx", importing.feedback_template())
