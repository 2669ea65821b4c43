"""The coordinators' review queue (see planning/urls.py): submitted reports, each beside its last
approved values, returned with comments per item or approved; approved reports published one by one
or per period. Coordinators only (`roles.can_review`): anyone else signed in gets a 403.

The services refuse what may not happen (self-approval, a move from the wrong status, a return
without a comment) and lock the report's row, so a repeated or concurrent approval or publication
does its work once; a refusal shows as a message on the page.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from napwps import formatting

from .. import roles, selectors
from ..forms.review import ReviewFilterForm, ReviewForm, item_field_name
from ..models import (
    ActivityProgress,
    BudgetExecution,
    IndicatorPeriod,
    Organisation,
    ProgressReport,
    ReportingPeriod,
    ReportKind,
    ReportStatus,
)
from ..services import reporting
from ..services.reporting import SNAPSHOT_FIELDS


def reviewer_required(request) -> None:
    if not roles.can_review(request.user):
        raise PermissionDenied


def reports_for(request):
    return roles.visible_reports(request.user, ProgressReport.objects.all()).select_related("agency", "period", "period__plan", "submitted_by", "decided_by")


def revision_review_url(report: ProgressReport) -> str | None:
    """The revision's own review page, defined with the delivery-plan revisions (None while it is not)."""
    try:
        return reverse("planning:revision-detail", args=[report.pk])
    except NoReverseMatch:
        return None


# The queue -----------------------------------------------------------------------------------------


@login_required
def review_queue(request):
    reviewer_required(request)
    reports = reports_for(request)
    form = ReviewFilterForm(
        request.GET or None,
        periods=ReportingPeriod.objects.filter(reports__isnull=False).distinct().order_by("-end", "start", "kind"),
        agencies=Organisation.objects.filter(progress_reports__isnull=False).distinct().order_by("name_vi"),
    )
    if form.is_bound and form.is_valid():
        if form.cleaned_data["period"]:
            reports = reports.filter(period=form.cleaned_data["period"])
        if form.cleaned_data["agency"]:
            reports = reports.filter(agency=form.cleaned_data["agency"])
    progress = reports.filter(kind=ReportKind.PROGRESS)
    submitted = list(progress.filter(status=ReportStatus.SUBMITTED).order_by("submitted_at", "pk"))
    approved = list(progress.filter(status=ReportStatus.APPROVED).order_by("period__end", "period__start", "decided_at", "pk"))
    revisions = list(reports.filter(kind=ReportKind.REVISION, status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED]).order_by("submitted_at", "pk"))
    for revision in revisions:
        revision.review_url = revision_review_url(revision)
    by_period: dict[int, dict] = {}
    for report in approved:
        by_period.setdefault(report.period_id, {"period": report.period, "count": 0})["count"] += 1
    counts = {row["status"]: row["count"] for row in progress.order_by().values("status").annotate(count=Count("pk"))}
    return render(
        request,
        "planning/review/queue.html",
        {
            "form": form,
            "submitted": submitted,
            "approved": approved,
            "approved_periods": list(by_period.values()),
            "revisions": revisions,
            "counts": [(status, counts.get(status.value, 0)) for status in ReportStatus],
        },
    )


# The review page ------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    old: str
    new: str
    changed: bool


@dataclass
class ReviewItem:
    """An item of the report as the page shows it: its values old → new, already formatted."""

    item: object
    kind: str
    title: str
    first: bool
    rows: list[Row]
    comments: list
    field_name: str
    changed: bool = False
    field: object = None  # the bound comment field of the review form


def display(model, name: str, value) -> str:
    """A reported value as the reader reads it (napwps.formatting.field_value); progress beside its old value reads 40%."""
    if name == "progress" and value is not None:
        return formatting.percent(value)
    return formatting.field_value(model._meta.get_field(name), value)


def item_title(item) -> tuple[str, str]:
    if isinstance(item, IndicatorPeriod):
        return _("Indicator"), f"{item.indicator.code}. {item.indicator.title} · {item.period}"
    if isinstance(item, ActivityProgress):
        return _("Activity"), f"{item.activity.code}. {item.activity.title} · {item.delivery_plan.year}"
    if isinstance(item, BudgetExecution):
        line = item.line
        funder = f" · {line.funder}" if line.funder_id else ""
        return _("Budget line"), f"{line.activity.code} · {line.delivery_plan.year} · {line.get_source_display()}{funder} · {formatting.money(line.amount_vnd)}"
    return "", str(item)


def review_items(report: ProgressReport) -> list[ReviewItem]:
    """`selectors.report_changes`, formatted for the page: a fixed number of queries."""
    changes = selectors.report_changes(report)
    result = []
    for change in changes:
        model = type(change.item)
        rows = [
            Row(fc.label, display(model, name, fc.old) if change.approved is not None else formatting.PLACEHOLDER, display(model, name, fc.new), fc.changed)
            for name, fc in zip(SNAPSHOT_FIELDS[model], change.fields, strict=True)
        ]
        # Fields empty before and now say nothing: left out (the first one stays, so no item is blank).
        rows = [row for index, row in enumerate(rows) if index == 0 or row.old != formatting.PLACEHOLDER or row.new != formatting.PLACEHOLDER]
        if not report.is_decided:  # an actual's breakdown, category by category (selectors.report_changes)
            rows += [
                Row(line.label, formatting.number(line.old) or formatting.PLACEHOLDER, formatting.number(line.new) or formatting.PLACEHOLDER, line.changed)
                for line in change.breakdown
            ]
        kind, title = item_title(change.item)
        result.append(
            ReviewItem(
                item=change.item,
                kind=kind,
                title=title,
                first=change.approved is None,
                rows=rows,
                comments=change.comments,
                field_name=item_field_name(change.item),
                changed=change.approved is None or any(row.changed for row in rows),
            )
        )
    return result


def error_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or _("You may not do this.")]


@login_required
def review_detail(request, pk: int):
    reviewer_required(request)
    report = get_object_or_404(reports_for(request), pk=pk)
    if report.kind == ReportKind.REVISION:
        url = revision_review_url(report)
        if url is None:
            raise Http404
        return redirect(url)
    items = review_items(report)
    form = ReviewForm(request.POST or None, items=[entry.item for entry in items], initial={"version": report.version})
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ("approve", "return"):
            messages.error(request, _("Choose to approve or to return the report."))
        elif form.is_valid():
            try:
                if action == "approve":
                    if form.item_comments():
                        raise ValidationError(_("Comments on items go with a return: return the report, or clear them to approve it."))
                    reporting.report_approve(report=report, user=request.user, comment=form.cleaned_data["comment"], version=form.cleaned_data["version"])
                    messages.success(request, _("%(report)s is approved: its values are now the approved values.") % {"report": report})
                else:
                    reporting.report_return(report=report, user=request.user, comment=form.cleaned_data["comment"], item_comments=form.item_comments())
                    messages.success(request, _("%(report)s was returned to its agency with your comments.") % {"report": report})
                return redirect("planning:review-queue")
            except (PermissionDenied, ValidationError) as error:
                for message in error_messages(error):
                    messages.error(request, message)
            # What was refused may have changed meanwhile (another coordinator's decision): show it as it is now.
            report = get_object_or_404(reports_for(request), pk=pk)
            items = review_items(report)
    for entry in items:
        entry.field = form[entry.field_name] if entry.field_name in form.fields else None
    return render(
        request,
        "planning/review/report_review.html",
        {
            "report": report,
            "items": items,
            "form": form,
            "general_comments": [comment for comment in report.comments.select_related("author") if comment.item_type_id is None],
            "transitions": report.transitions.select_related("user").order_by("at", "pk"),
            "may_decide": report.status == ReportStatus.SUBMITTED,
            "own_report": roles.took_part_in(request.user, report),
        },
    )


# Publishing -----------------------------------------------------------------------------------------


@login_required
def review_publish(request, pk: int):
    """Publish one approved report: a confirmation page, then a POST."""
    reviewer_required(request)
    report = get_object_or_404(reports_for(request).filter(kind=ReportKind.PROGRESS), pk=pk)
    if request.method == "POST":
        try:
            reporting.report_publish(report=report, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("planning:review-detail", pk=report.pk)
        messages.success(request, _("%(report)s is published: its values appear on the public pages.") % {"report": report})
        return redirect("planning:review-queue")
    return render(request, "planning/review/publish_confirm.html", {"report": report, "reports": [report] if report.status == ReportStatus.APPROVED else []})


@login_required
def review_publish_period(request, pk: int):
    """Publish every approved report of a period: a confirmation page listing them, then a POST."""
    reviewer_required(request)
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=pk)
    if request.method == "POST":
        try:
            published = reporting.reports_publish(period=period, user=request.user)
        except (PermissionDenied, ValidationError) as error:
            for message in error_messages(error):
                messages.error(request, message)
            return redirect("planning:review-queue")
        if published:
            messages.success(
                request,
                ngettext("%(count)s report of %(period)s is published.", "%(count)s reports of %(period)s are published.", len(published))
                % {"count": len(published), "period": period},
            )
        else:
            messages.info(request, _("%(period)s has no approved report waiting to be published.") % {"period": period})
        return redirect("planning:review-queue")
    reports = list(reports_for(request).filter(period=period, status=ReportStatus.APPROVED).order_by("agency__name_vi", "kind", "revision"))
    return render(request, "planning/review/publish_confirm.html", {"period": period, "reports": reports})


urlpatterns = [
    path("review/", review_queue, name="review-queue"),
    path("review/<int:pk>/", review_detail, name="review-detail"),
    path("review/<int:pk>/publish/", review_publish, name="review-publish"),
    path("review/periods/<int:pk>/publish/", review_publish_period, name="review-publish-period"),
]
