"""E-mails of the reporting cycle (in memory: napwps.settings.test) and the daily reminders."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from planning import notifications, selectors
from planning.models import Activity, ProgressReport, ReportStatus
from planning.services import reporting
from tests.factories import (
    ActivityFactory,
    DeliveryPlanFactory,
    OrganisationFactory,
    coordinator,
    focal_point,
    reported_indicator,
    review_period,
    submitted_report,
)

pytestmark = pytest.mark.django_db

DUE = datetime.date(2026, 1, 31)


def with_email(user, address=None):
    user.email = address or f"{user.username}@example.gov.vn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def agency():
    return OrganisationFactory(code="agency-mail", name_vi="Bộ Thư tín", name_en="Ministry of Mail")


@pytest.fixture
def period():
    return review_period(2025, due_date=DUE)


@pytest.fixture
def focal(agency):
    return with_email(focal_point(agency, "focal.mail"))


@pytest.fixture
def reviewer():
    return with_email(coordinator("reviewer.mail"))


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


# Moves ---------------------------------------------------------------------------------------------------


def test_a_submission_tells_every_active_coordinator_with_an_email(agency, period, focal, reviewer, django_capture_on_commit_callbacks):
    with_email(coordinator("coordinator.two"))
    coordinator("coordinator.no.mail")
    gone = with_email(coordinator("coordinator.gone"))
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = submitted_report(agency, period, focal)

    assert recipients() == ["coordinator.two@example.gov.vn", "reviewer.mail@example.gov.vn"]
    message = mail.outbox[0]
    assert "Bộ Thư tín" in message.subject and "Ministry of Mail" in message.subject
    body = message.body
    assert body.index("Bộ Thư tín") < body.index("Ministry of Mail")  # Vietnamese first, English below
    assert body.index("Xem xét báo cáo") < body.index("Review it")
    assert f"http://testserver/vi/workspace/review/{report.pk}/" in body
    assert f"http://testserver/en/workspace/review/{report.pk}/" in body


def test_a_return_tells_the_agencys_focal_points_with_the_comments(agency, period, focal, reviewer, django_capture_on_commit_callbacks):
    other_agency = OrganisationFactory()
    with_email(focal_point(other_agency, "focal.elsewhere"))
    colleague = with_email(focal_point(agency, "focal.colleague"))
    report = submitted_report(agency, period, focal)
    item = selectors.report_changes(report)[0].item
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reporting.report_return(report=report, user=reviewer, comment="Thiếu nguồn số liệu.", item_comments={item: "Bổ sung phân tổ theo giới."})

    assert recipients() == sorted([focal.email, colleague.email])
    body = mail.outbox[0].body
    assert "Thiếu nguồn số liệu." in body
    assert "Bổ sung phân tổ theo giới." in body
    assert item.indicator.code in body


def test_an_approval_tells_the_focal_points_and_a_publication_nobody(agency, period, focal, reviewer, django_capture_on_commit_callbacks):
    report = submitted_report(agency, period, focal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reporting.report_approve(report=report, user=reviewer)
    assert recipients() == [focal.email]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reporting.report_publish(report=report, user=reviewer)
    assert mail.outbox == []


def test_a_failure_to_send_is_logged_not_raised(agency, period, focal, reviewer, monkeypatch, caplog):
    report = submitted_report(agency, period, focal)

    def broken(*args, **kwargs):
        raise OSError("SMTP server down")

    monkeypatch.setattr(notifications, "send", broken)
    notifications.report_moved(report_id=report.pk, to=ReportStatus.SUBMITTED)
    assert "could not be sent" in caplog.text


# Reminders -----------------------------------------------------------------------------------------------


def remind(today: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_report_reminders", "--today", today, stdout=out)
    return out.getvalue()


def test_a_reminder_is_sent_once_per_agency_and_period(agency, period, focal):
    reported_indicator(agency, period, focal)

    remind("20/01/2026")
    remind("2026-01-21")  # the next day, ISO format too

    assert recipients() == [focal.email]
    message = mail.outbox[0]
    assert "31/01/2026" in message.body and "31 Jan 2026" in message.body
    report = reporting.latest_report(agency_id=agency.pk, period=period)
    assert report.reminded_on == datetime.date(2026, 1, 20)
    assert report.status == ReportStatus.DRAFT


def test_a_reminder_the_mail_server_fails_on_is_logged_and_never_sent_twice(agency, period, focal, monkeypatch, caplog):
    reported_indicator(agency, period, focal)

    def broken(*args, **kwargs):
        raise OSError("SMTP server down half-way")

    monkeypatch.setattr(notifications, "send", broken)
    remind("20/01/2026")
    monkeypatch.undo()
    remind("21/01/2026")

    assert "could not be sent" in caplog.text
    assert mail.outbox == []  # at most once: those the failing run reached are not mailed again
    assert reporting.latest_report(agency_id=agency.pk, period=period).reminded_on == datetime.date(2026, 1, 20)


def test_a_reminder_opens_a_draft_for_an_agency_with_activities_but_no_report(agency, period, focal):
    activity = ActivityFactory(lead_agency=agency, output__objective__plan=period.plan)
    activity.delivery_plans.add(DeliveryPlanFactory(plan=period.plan, year=2025))
    assert not ProgressReport.objects.filter(agency=agency).exists()

    remind("25/01/2026")

    assert recipients() == [focal.email]
    report = ProgressReport.objects.get(agency=agency, period=period)
    assert (report.status, report.reminded_on, report.created_by) == (ReportStatus.DRAFT, datetime.date(2026, 1, 25), None)


def test_no_reminder_to_an_agency_without_work_in_the_period(agency, period, focal):
    idle = OrganisationFactory()
    with_email(focal_point(idle, "focal.idle"))
    reported_indicator(agency, period, focal)
    other_year = review_period(2024)
    busy_elsewhere = OrganisationFactory()
    activity = ActivityFactory(lead_agency=busy_elsewhere, output__objective__plan=period.plan)
    activity.delivery_plans.add(DeliveryPlanFactory(plan=period.plan, year=other_year.year))
    with_email(focal_point(busy_elsewhere, "focal.busy"))
    assert Activity.objects.filter(lead_agency=busy_elsewhere).exists()

    remind("20/01/2026")

    assert recipients() == [focal.email]
    assert not ProgressReport.objects.filter(agency__in=[idle, busy_elsewhere]).exists()


def test_no_reminder_after_submission(agency, period, focal):
    submitted_report(agency, period, focal)
    mail.outbox.clear()
    remind("20/01/2026")
    assert mail.outbox == []


def test_no_reminder_before_the_window_nor_once_overdue(agency, period, focal, settings):
    settings.REPORT_REMINDER_DAYS = 14
    reported_indicator(agency, period, focal)

    remind("16/01/2026")  # 15 days ahead
    assert mail.outbox == []
    remind("01/02/2026")  # overdue
    assert mail.outbox == []
    remind("17/01/2026")  # 14 days ahead: the one reminder
    assert recipients() == [focal.email]


def test_no_second_reminder_after_a_return(agency, period, focal, reviewer):
    reported_indicator(agency, period, focal)
    remind("20/01/2026")
    report = reporting.latest_report(agency_id=agency.pk, period=period)
    reporting.report_submit(report=report, user=focal)
    reporting.report_return(report=report, user=reviewer, comment="Sửa lại.")
    mail.outbox.clear()

    remind("22/01/2026")

    assert mail.outbox == []


def test_an_agency_without_a_focal_point_email_is_reminded_once_someone_can_receive_it(agency, period):
    silent = focal_point(agency, "focal.silent")
    reported_indicator(agency, period, silent)
    remind("20/01/2026")
    assert mail.outbox == []
    assert reporting.latest_report(agency_id=agency.pk, period=period).reminded_on is None

    with_email(silent)
    remind("21/01/2026")
    assert recipients() == [silent.email]


def test_the_reminder_command_refuses_a_date_it_cannot_read():
    with pytest.raises(CommandError):
        call_command("send_report_reminders", "--today", "01/31/2026")
