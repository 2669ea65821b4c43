"""Importing a delivery plan's activities from the logframe workbook (issue 10 §3), in the workspace.

Upload the workbook (its Activities and Budget lines sheets) → a preview, stored once (planning.importing.services) →
apply that preview. A coordinator's import, or one into a draft delivery plan, writes the activities
through the plan's services; a focal point's import into an approved plan proposes the changes in
their agency's revision, which they submit on the revision's page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ..forms.imports import WorkbookUploadForm
from ..importing import CHANGE, CREATE
from ..importing import services as import_services
from ..importing.delivery_plan import DeliveryPlanImporter
from ..models import DeliveryPlan
from .workspace import workspace_view

COLUMNS = (("code", gettext_lazy("Code")), ("title", gettext_lazy("Title (Vietnamese)")), ("lead_agency", gettext_lazy("Lead agency (code)")))
LINE_COLUMNS = (
    ("line", gettext_lazy("Line ID")), ("activity", gettext_lazy("Activity code")), ("source", gettext_lazy("Funding source")),
    ("amount", gettext_lazy("Amount (VND)")),
)  # fmt: skip


class ActivitiesUploadForm(WorkbookUploadForm):
    wrong_type_message = gettext_lazy("Upload the logframe workbook (.xlsx) of the delivery plan.")


def template_url(delivery_plan) -> str:
    """Where to download the workbook to edit: the workspace's, with the working values of the year."""
    return f"{reverse('planning:export-logframe-xlsx')}?{urlencode({'year': delivery_plan.year})}"


@workspace_view
def plan_import_start(request):
    """The delivery plans to import into."""
    delivery_plans = DeliveryPlan.objects.select_related("plan").order_by("-year")
    return render(request, "planning/workspace/plan_import.html", {"delivery_plans": delivery_plans, "delivery_plan": None})


@workspace_view
def plan_import(request, delivery_plan):
    """Upload the workbook and see, row by row, what importing it would do. Nothing is saved but the preview."""
    delivery_plan = get_object_or_404(DeliveryPlan.objects.select_related("plan"), pk=delivery_plan)
    importer = DeliveryPlanImporter(user=request.user, target=delivery_plan)
    refusal = importer.refusal()
    form = ActivitiesUploadForm(request.POST or None, request.FILES or None) if not refusal else None
    preview = stored = rows = tables = None
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            stored, preview = import_services.preview_create(importer=importer, uploaded=form.cleaned_data["file"])
            rows = importer.table_rows(preview, COLUMNS)
            lines = importer.companions[0]
            tables = [{"id": "import-preview-lines", "caption": _("Budget lines"), "columns": LINE_COLUMNS, "rows": lines.table_rows(preview, LINE_COLUMNS)}]
            tables = [table for table in tables if table["rows"]]
    context = {
        "delivery_plan": delivery_plan, "importer": importer, "refusal": refusal, "form": form, "preview": preview, "stored": stored,
        "rows": rows, "tables": tables, "page": {"columns": COLUMNS}, "template_url": template_url(delivery_plan),
        "absent": importer.absent if preview else [], "absent_lines": importer.companions[0].absent if preview else [],
        "apply_url": reverse("planning:plan-import-apply", args=[delivery_plan.pk]),
    }  # fmt: skip
    return render(request, "planning/workspace/plan_import.html", context)


@workspace_view
@require_POST
def plan_import_apply(request, delivery_plan):
    delivery_plan = get_object_or_404(DeliveryPlan.objects.select_related("plan"), pk=delivery_plan)
    importer = DeliveryPlanImporter(user=request.user, target=delivery_plan)
    try:
        import_services.preview_apply(importer=importer, pk=request.POST.get("preview"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("planning:plan-import", delivery_plan=delivery_plan.pk)
    applied = importer.applied
    created, changed = applied[importer.kind][CREATE], applied[importer.kind][CHANGE]
    lines = applied[importer.companions[0].kind]
    lines_message = (
        " " + _("Budget lines: %(created)s new, %(changed)s changed.") % {"created": lines[CREATE], "changed": lines[CHANGE]}
        if lines[CREATE] + lines[CHANGE]
        else ""
    )
    if importer.revision is not None:
        messages.success(
            request,
            _("%(created)s new activities and %(changed)s changes were proposed in your agency's revision. Submit the revision when it is complete.")
            % {"created": created, "changed": changed}
            + lines_message,
        )
        return redirect("planning:revision-detail", pk=importer.revision.pk)
    messages.success(
        request,
        ngettext("%(count)s activity imported", "%(count)s activities imported", created + changed) % {"count": created + changed}
        + ": "
        + _("%(created)s new, %(changed)s changed.") % {"created": created, "changed": changed}
        + lines_message,
    )
    return redirect("planning:plan-import", delivery_plan=delivery_plan.pk)


urlpatterns = [
    path("plans/import/", plan_import_start, name="plan-import-start"),
    path("plans/<int:delivery_plan>/import/", plan_import, name="plan-import"),
    path("plans/<int:delivery_plan>/import/apply/", plan_import_apply, name="plan-import-apply"),
]
