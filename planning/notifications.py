"""E-mails of the reporting cycle: a report due, submitted, returned or approved.

Sent through Django's mail (console in development, SMTP from the environment in production, in
memory in the tests). Every message is in Vietnamese, the portal's first language, with the English
below, rendered from `templates/planning/email/<name>_subject.txt` and `<name>.txt` once per
language; links are absolute (`settings.SITE_URL`) and point at each language's page.

Who is told:
- submitted → every active coordinator with an e-mail (`roles.coordinators_to_notify`);
- returned (with the comments) and approved → the agency's focal points (`roles.focal_points_to_notify`);
- due → the agency's focal points, ONCE per agency and period (`report_reminders_send`).
Each recipient gets a message of their own (no one sees the others' addresses). A failure to send is
logged, never raised: the move it reports is already committed.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from . import roles
from .models import Activity, IndicatorPeriod, ProgressReport, ReportingPeriod, ReportKind, ReportStatus, ReviewComment

logger = logging.getLogger(__name__)

LANGUAGES = ("vi", "en")  # the order of the two versions in every message
SEPARATOR = "\n\n" + "-" * 60 + "\n\n"


def absolute_url(*candidates: tuple[str, list]) -> str:
    """The first of (URL name, args) that resolves in the active language, as an absolute link;
    the site's address when none does (a page another part of the portal has not added yet)."""
    for name, args in candidates:
        try:
            return settings.SITE_URL + reverse(name, args=args)
        except NoReverseMatch:
            continue
    return settings.SITE_URL + "/"


def render(name: str, context: dict) -> tuple[str, str]:
    """Subject and body of message `name`: the Vietnamese first, then the English."""
    subjects, bodies = [], []
    for language in LANGUAGES:
        with translation.override(language):
            links = {key: link() for key, link in context.get("links", {}).items()}
            own = {**context, **links, "language": language}
            subjects.append(" ".join(render_to_string(f"planning/email/{name}_subject.txt", own).split()))
            bodies.append(render_to_string(f"planning/email/{name}.txt", own).strip())
    subject = subjects[0] if subjects[0] == subjects[1] else f"{subjects[0]} / {subjects[1]}"
    return subject, SEPARATOR.join(bodies) + "\n"


def send(name: str, context: dict, recipients: Iterable[str]) -> int:
    """Send message `name` to each address on its own; the number sent."""
    recipients = list(dict.fromkeys(recipients))
    if not recipients:
        return 0
    subject, body = render(name, context)
    messages = [EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address]) for address in recipients]
    return get_connection().send_messages(messages) or 0


def _report_links(report: ProgressReport) -> dict:
    """Links to the report computed per language: the reviewer's page and the agency's page."""
    if report.kind == ReportKind.REVISION:
        review = [("planning:revision-detail", [report.pk]), ("planning:review-queue", [])]
    else:
        review = [("planning:review-detail", [report.pk])]
    return {
        "review_url": lambda: absolute_url(*review),
        "report_url": lambda: absolute_url(("planning:report-detail", [report.pk]), ("planning:workspace", [])),
    }


def _returned_comments(report: ProgressReport) -> tuple[str, list[ReviewComment]]:
    """The comment on the report's return and the item comments written for it (since its submission)."""
    returned = report.transitions.filter(to_status=ReportStatus.RETURNED).order_by("-at", "-pk").first()
    comments = report.comments.select_related("item_type").order_by("created_at", "pk")
    if report.submitted_at:
        comments = comments.filter(created_at__gte=report.submitted_at)
    comments = list(comments.prefetch_related("item"))
    return (returned.comment if returned else ""), comments


def report_moved(*, report_id: int, to: str) -> None:
    """After a report's move is committed: tell the people concerned (see the module's docstring)."""
    try:
        _report_moved(report_id=report_id, to=to)
    except Exception:
        logger.exception("The e-mail about report %s moving to %s could not be sent.", report_id, to)


def _report_moved(*, report_id: int, to: str) -> None:
    report = ProgressReport.objects.select_related("agency", "period", "submitted_by", "decided_by").filter(pk=report_id).first()
    if report is None:
        return
    context = {"report": report, "links": _report_links(report)}
    if to == ReportStatus.SUBMITTED:
        recipients = roles.coordinators_to_notify().values_list("email", flat=True)
        name = "report_submitted"
    elif to == ReportStatus.RETURNED:
        recipients = roles.focal_points_to_notify(report.agency_id).values_list("email", flat=True)
        context["comment"], context["item_comments"] = _returned_comments(report)
        name = "report_returned"
    elif to == ReportStatus.APPROVED:
        recipients = roles.focal_points_to_notify(report.agency_id).values_list("email", flat=True)
        name = "report_approved"
    else:
        return
    sent = send(name, context, recipients)
    if sent:
        logger.info("Report %s moved to %s: %s e-mail(s) sent.", report_id, to, sent)


# Reminders ------------------------------------------------------------------------------------------


def agencies_with_work(period: ReportingPeriod) -> set[int]:
    """The agencies that report for a period: those answering for an indicator with a row for the
    period and, for a year, those leading an activity of that year's delivery plan."""
    agencies = set(
        IndicatorPeriod.objects.filter(period=period, indicator__responsible_agency__isnull=False).values_list("indicator__responsible_agency_id", flat=True)
    )
    if period.is_annual:
        agencies |= set(
            Activity.objects.filter(delivery_plans__plan_id=period.plan_id, delivery_plans__year=period.year, lead_agency__isnull=False).values_list(
                "lead_agency_id", flat=True
            )
        )
    return agencies


def report_reminders_send(*, today: datetime.date, days: int | None = None) -> list[ProgressReport]:
    """Remind each agency that has work in a period due within `days` (REPORT_REMINDER_DAYS) from
    `today`, and has not submitted its report, that the report is due. The reports reminded.

    ONCE per agency and period, and never again: the reminder is recorded on the agency's report
    (`reminded_on`; a draft is opened for it when there is none). A later change of the deadline, a
    return, or the deadline passing brings no second reminder; a period already overdue gets none.
    An agency whose report was submitted (or approved, or published) is not reminded; one whose report
    was returned is, if it was not reminded before. An agency without a focal point with an e-mail is
    skipped (nothing recorded: it is reminded once someone can receive it).
    """
    days = settings.REPORT_REMINDER_DAYS if days is None else days
    reminded = []
    periods = ReportingPeriod.objects.filter(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=days)).order_by("due_date", "pk")
    for period in periods:
        agencies = agencies_with_work(period)
        reports = ProgressReport.objects.filter(kind=ReportKind.PROGRESS, period=period, agency_id__in=agencies)
        done = set(reports.filter(status__in=[ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.PUBLISHED]).values_list("agency_id", flat=True))
        done |= set(reports.filter(reminded_on__isnull=False).values_list("agency_id", flat=True))
        for agency_id in sorted(agencies - done):
            try:
                report = _remind(agency_id=agency_id, period=period, today=today)
            except Exception:
                logger.exception("The reminder to agency %s for %s could not be sent.", agency_id, period)
                continue
            if report is not None:
                reminded.append(report)
    return reminded


def _remind(*, agency_id: int, period: ReportingPeriod, today: datetime.date) -> ProgressReport | None:
    from .services import reporting

    recipients = list(roles.focal_points_to_notify(agency_id).values_list("email", flat=True))
    if not recipients:
        logger.warning("No focal point of agency %s has an e-mail: no reminder for %s.", agency_id, period)
        return None
    with transaction.atomic():
        try:
            report = reporting.report_open(agency=agency_id, period=period, user=None)
        except ValidationError:  # submitted meanwhile
            return None
        # Lock the report so that two runs at once remind once.
        report = ProgressReport.objects.select_for_update().select_related("agency", "period").get(pk=report.pk)
        if report.reminded_on is not None:
            return None
        # Recorded without a new version: a focal point's form open on the report stays valid.
        ProgressReport.objects.filter(pk=report.pk).update(reminded_on=today)
        report.reminded_on = today
    # Sent once the record is committed: a reminder goes out at most once, even if the mail server
    # fails half-way through the recipients (the failure is logged for the administrators).
    context = {"report": report, "period": period, "due_date": period.due_date, "days_left": (period.due_date - today).days, "links": _report_links(report)}
    try:
        send("report_due", context, recipients)
    except Exception:
        logger.exception("The reminder of report %s could not be sent to every focal point.", report.pk)
    return report
