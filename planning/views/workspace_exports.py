"""The workspace exports of the logframe (issue 10 §1–§2, "an agency's drafts too, marked as drafts"):
`/<lang>/workspace/exports/logframe.xlsx` and `…/logframe.pdf`, for signed-in staff.

The same workbook and PDF as the public exports (`planning.exports.LogframeWorkbook`,
`pdf_exports.render_logframe`), built from the WORKING values (`planning.exports.WorkingLogframeData`):
the activities of the chosen year's delivery plan whatever its status, their live yearly progress, the
indicators' working targets and actuals and every budget line of the year, each working value marked
"(not yet published)".

Who sees what (planning.roles): a coordinator exports the whole plan, optionally filtered like the
public export (`agency`, `objective`, `task_group`, `province`, `status`, `q`: the same
`public_activity_filter`); a focal point exports their agency's activities only, and only their
agency's working values. Anyone else signed in gets a 403, anonymous users the login page. Any year
the plan has a delivery plan for (`?year=`, the latest by default); a bad value is the 400 page.
Responses are `private, no-store` and never cached on the server.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from napwps.exporting import pdf_response, xlsx_response
from planning import roles
from planning.exports import LogframeWorkbook, WorkingLogframeData, draft_mark, filters_in_words
from planning.filters import public_activity_filter
from planning.models import DeliveryPlan, Organisation
from planning.selectors import public
from planning.selectors.staff import staff_activity_queryset, staff_progress

from .pdf_exports import render_logframe


def staff_plan():
    """The plan of the latest delivery plan, whatever its status (else the first plan)."""
    latest = DeliveryPlan.objects.select_related("plan").order_by("-year").first()
    return latest.plan if latest else public.public_plan()


def export_years() -> list[DeliveryPlan]:
    """The delivery plans the workspace exports offer, the latest year first (one query)."""
    plan = staff_plan()
    return list(DeliveryPlan.objects.filter(plan=plan).order_by("-year")) if plan is not None else []


def workspace_export(view):
    """Anonymous users to the login page; signed-in users without a workspace (no agency as a focal
    point, not a coordinator) get a 403; the response is never stored."""

    def wrapped(request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.can_use_workspace(request.user):
            raise PermissionDenied
        response = view(request)
        patch_cache_control(response, private=True, no_store=True)
        return response

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def working_filters(request):
    """(context, filterset, data, error response): the user's scope, the chosen year's delivery plan
    (any status), the public filters over its activities, and the working values to show."""
    user = request.user
    agency_id = None if roles.is_coordinator(user) else roles.agency_id_of(user)
    plan = staff_plan()
    if plan is None:
        raise Http404
    delivery_plans = list(DeliveryPlan.objects.filter(plan=plan).order_by("year"))
    chosen = public.public_year(delivery_plans, request.GET.get("year"))
    if chosen is None:
        raise Http404
    context = {"plan": plan, "years": delivery_plans, "delivery_plan": chosen, "year": chosen.year}
    activities = staff_activity_queryset(plan, year=chosen.year)
    if agency_id is not None:
        activities = activities.filter(lead_agency_id=agency_id)
    filterset = public_activity_filter(request.GET, plan=plan, years=[dp.year for dp in delivery_plans], year=chosen.year, queryset=activities)
    filterset.progress = staff_progress(activities.order_by().values("pk"), year=chosen.year, mark=draft_mark())  # `status` filters the shown values
    if not filterset.is_valid():
        errors = [
            f"{filterset.form.fields[name].label}: {' '.join(messages)}" for name, messages in filterset.form.errors.items() if name in filterset.form.fields
        ]
        return context, None, None, render(request, "planning/public/export_error.html", {"errors": errors, **context, "years": None}, status=400)
    data = WorkingLogframeData(plan=plan, delivery_plan=chosen, filterset=filterset, drafts_of=agency_id)
    context["agency"] = Organisation.objects.filter(pk=agency_id).first() if agency_id is not None else None
    return context, filterset, data, None


def scope_in_words(context, filterset) -> str:
    """The cover's filters, a focal point's scope first."""
    words = filters_in_words(filterset, drafts=True)
    if context.get("agency") is not None:
        scope = _("Activities led by %(agency)s") % {"agency": context["agency"]}
        return f"{scope}; {words}" if filterset.described() else scope
    return words


@workspace_export
def logframe_xlsx(request):
    """The logframe workbook of any year of the plan, with the working values marked as drafts."""
    context, filterset, data, error = working_filters(request)
    if error is not None:
        return error
    workbook = LogframeWorkbook(
        plan=context["plan"], delivery_plan=context["delivery_plan"], filterset=filterset, filters_in_words=scope_in_words(context, filterset), data=data
    )
    return xlsx_response(_("logframe-%(year)s-draft.xlsx") % {"year": context["year"]}, workbook.render())


@workspace_export
def logframe_pdf(request):
    """The logframe PDF of any year of the plan, with the working values marked as drafts (not cached)."""
    context, filterset, data, error = working_filters(request)
    if error is not None:
        return error
    applied = filterset.described()
    if context.get("agency") is not None:
        applied.insert(0, (_("Scope"), _("Activities led by %(agency)s") % {"agency": context["agency"]}))
    pdf = render_logframe(request, context, filterset, applied, data=data)
    return pdf_response(_("logframe-%(year)s-draft.pdf") % {"year": context["year"]}, pdf)


urlpatterns = [
    path("exports/logframe.xlsx", logframe_xlsx, name="export-logframe-xlsx"),
    path("exports/logframe.pdf", logframe_pdf, name="export-logframe-pdf"),
]
