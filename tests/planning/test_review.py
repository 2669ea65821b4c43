"""The coordinators' review queue and review page: who may see them, approve, return and publish,
and what changes for the pages and exports that read the approved values."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from planning import roles, selectors, services
from planning.models import (
    ActivityProgress,
    ActivityStatus,
    ApprovedValue,
    BudgetExecution,
    DisaggregatedValue,
    IndicatorPeriod,
    ProgressReport,
    ReportKind,
    ReportStatus,
    ReportTransition,
    ReviewComment,
    ValueKind,
)
from planning.services import reporting
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    DisaggregationFactory,
    OrganisationFactory,
    coordinator,
    focal_point,
    reported_indicator,
    review_period,
    submitted_report,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return OrganisationFactory(code="agency-review", name_vi="Bộ Thử nghiệm", name_en="Ministry of Testing")


@pytest.fixture
def period():
    return review_period(2025, due_date=datetime.date(2026, 1, 31))


@pytest.fixture
def focal(agency):
    return focal_point(agency, "focal.review")


@pytest.fixture
def reviewer():
    return coordinator("reviewer")


@pytest.fixture
def report(agency, period, focal):
    return submitted_report(agency, period, focal, value=7)


def page_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def approve(client, report, **data):
    return client.post(reverse("planning:review-detail", args=[report.pk]), {"action": "approve", **data})


# Who may see the pages ------------------------------------------------------------------------------


def test_queue_and_review_page_send_anonymous_visitors_to_sign_in(client, report):
    for url in (reverse("planning:review-queue"), reverse("planning:review-detail", args=[report.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


def test_focal_points_get_403_on_the_queue_the_review_page_and_its_actions(client, report, focal):
    client.force_login(focal)
    assert client.get(reverse("planning:review-queue")).status_code == 403
    assert client.get(reverse("planning:review-detail", args=[report.pk])).status_code == 403
    assert approve(client, report).status_code == 403
    assert client.post(reverse("planning:review-publish", args=[report.pk])).status_code == 403
    assert client.post(reverse("planning:review-publish-period", args=[report.period_id])).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_coordinators_see_the_queue_and_the_review_page_in_vietnamese(client, report, reviewer):
    client.force_login(reviewer)
    queue = client.get(reverse("planning:review-queue"))
    assert queue.status_code == 200
    assert "Đã gửi, chờ xem xét" in queue.content.decode()
    page = client.get(reverse("planning:review-detail", args=[report.pk]))
    assert page.status_code == 200
    assert "Phê duyệt" in page.content.decode() and "Approve" not in page.content.decode()


# The queue ---------------------------------------------------------------------------------------------


def test_queue_lists_submitted_reports_oldest_first_then_approved_ones(client, period, reviewer):
    early, late, decided = (OrganisationFactory(name_vi=f"Cơ quan {name}", name_en=f"Agency {name}") for name in ("Sớm", "Muộn", "Duyệt"))
    late_report = submitted_report(late, period, focal_point(late, "focal.late"))
    early_report = submitted_report(early, period, focal_point(early, "focal.early"))
    ProgressReport.objects.filter(pk=early_report.pk).update(submitted_at=late_report.submitted_at - datetime.timedelta(days=2))
    approved = submitted_report(decided, period, focal_point(decided, "focal.decided"))
    reporting.report_approve(report=approved, user=reviewer)
    client.force_login(reviewer)

    response = client.get(reverse("planning:review-queue"))

    assert [report.pk for report in response.context["submitted"]] == [early_report.pk, late_report.pk]
    assert [report.pk for report in response.context["approved"]] == [approved.pk]
    html = response.content.decode()
    html = html[html.index('id="submitted-reports"') :]
    assert html.index("Cơ quan Sớm") < html.index("Cơ quan Muộn") < html.index("Cơ quan Duyệt")
    assert dict(response.context["counts"])[ReportStatus.SUBMITTED] == 2
    assert dict(response.context["counts"])[ReportStatus.APPROVED] == 1


def test_queue_filters_by_period_and_agency_in_the_url(client, agency, period, focal, reviewer):
    submitted_report(agency, period, focal)
    other = OrganisationFactory()
    submitted_report(other, period, focal_point(other, "focal.other"))
    later = review_period(2026)
    later_report = submitted_report(agency, later, focal)
    client.force_login(reviewer)

    by_agency = client.get(reverse("planning:review-queue"), {"agency": agency.pk})
    assert {report.agency_id for report in by_agency.context["submitted"]} == {agency.pk}
    assert len(by_agency.context["submitted"]) == 2
    by_both = client.get(reverse("planning:review-queue"), {"agency": agency.pk, "period": later.pk})
    assert [report.pk for report in by_both.context["submitted"]] == [later_report.pk]
    assert dict(by_both.context["counts"])[ReportStatus.SUBMITTED] == 1


def test_queue_ignores_a_filter_that_is_not_a_choice(client, report, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("planning:review-queue"), {"period": "nonsense", "agency": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert [row.pk for row in response.context["submitted"]] == [report.pk]


def test_queue_lists_delivery_plan_revisions(client, agency, period, reviewer):
    revision = ProgressReport.objects.create(kind=ReportKind.REVISION, agency=agency, period=period, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    client.force_login(reviewer)
    response = client.get(reverse("planning:review-queue"))
    assert response.status_code == 200
    assert [row.pk for row in response.context["revisions"]] == [revision.pk]
    assert response.context["submitted"] == []  # a revision is not a progress report to review here


# The review page ---------------------------------------------------------------------------------------


def test_review_page_shows_a_first_report_then_old_and_new_side_by_side(client, agency, period, focal, reviewer, report):
    client.force_login(reviewer)
    first = client.get(reverse("planning:review-detail", args=[report.pk]))
    [entry] = first.context["items"]
    assert entry.first
    assert "Báo cáo lần đầu" in first.content.decode()  # "first report", in Vietnamese

    reporting.report_approve(report=report, user=reviewer)
    actual = IndicatorPeriod.objects.get(indicator__responsible_agency=agency, period=period)
    reported_indicator(agency, period, focal, value=9, indicator=actual.indicator)
    correction = reporting.latest_report(agency_id=agency.pk, period=period)
    reporting.report_narrative_save(report=correction, user=focal, narrative_vi="Đã sửa số liệu.", narrative_en="Figures corrected.")
    reporting.report_submit(report=correction, user=focal)

    response = client.get(reverse("planning:review-detail", args=[correction.pk]))
    [entry] = response.context["items"]
    assert not entry.first
    [row] = [row for row in entry.rows if row.changed]
    assert (row.old, row.new) == ("7", "9")
    html = response.content.decode()
    assert "Đã sửa số liệu." in html
    assert 'class="table-warning"' in html
    assert [step.to_status for step in response.context["transitions"]] == ["draft", "submitted"]


def test_review_page_shows_an_actuals_breakdown_old_and_new(client, agency, period, focal, reviewer):
    sex = DisaggregationFactory()
    item = reported_indicator(agency, period, focal, value=7)
    item.indicator.disaggregations.add(sex)
    parts = [
        DisaggregatedValue(period=item, disaggregation=sex, kind=ValueKind.ACTUAL, category=code, value=Decimal(value))
        for code, value in (("female", 4), ("male", 3))
    ]
    services.indicator_period_save(period=item, user=focal, reason="Phân tổ", disaggregated_values=parts)
    first = reporting.report_submit(report=reporting.latest_report(agency_id=agency.pk, period=period), user=focal)
    reporting.report_approve(report=first, user=reviewer)
    item = IndicatorPeriod.objects.get(pk=item.pk)
    female = item.disaggregated_values.get(category="female")
    female.value, item.actual_value = Decimal(5), Decimal(8)
    services.indicator_period_save(period=item, user=focal, reason="Sửa", disaggregated_values=[female])
    correction = reporting.report_submit(report=reporting.latest_report(agency_id=agency.pk, period=period), user=focal)
    client.force_login(reviewer)

    response = client.get(reverse("planning:review-detail", args=[correction.pk]))

    [entry] = response.context["items"]
    rows = {row.label: (row.old, row.new, row.changed) for row in entry.rows}
    assert rows["Giới tính · Nữ"] == ("4", "5", True)
    assert rows["Giới tính · Nam"] == ("3", "3", False)


def test_review_page_shows_the_reports_history_and_earlier_comments(client, report, reviewer):
    ip = IndicatorPeriod.objects.get(pk=reporting.selectors.report_changes(report)[0].item.pk)
    reporting.report_return(report=report, user=reviewer, comment="Thiếu nguồn số liệu.", item_comments={ip: "Ghi rõ nguồn."})
    focal = ProgressReport.objects.get(pk=report.pk).submitted_by
    reporting.report_submit(report=report, user=focal)
    client.force_login(coordinator("second.reviewer"))

    response = client.get(reverse("planning:review-detail", args=[report.pk]))

    html = response.content.decode()
    assert "Thiếu nguồn số liệu." in html  # the return's comment, in the history
    assert "Ghi rõ nguồn." in html  # the earlier comment on the item
    assert [step.to_status for step in response.context["transitions"]] == ["draft", "submitted", "returned", "submitted"]


# Approve, return, publish -------------------------------------------------------------------------------


def test_approval_changes_the_approved_value_and_publication_the_published_one(client, report, reviewer):
    item = IndicatorPeriod.objects.get(pk=selectors.report_changes(report)[0].item.pk)
    assert selectors.approved_value(item) is None
    client.force_login(reviewer)

    response = approve(client, report, comment="Tốt.")

    assert response.status_code == 302
    assert response["Location"] == reverse("planning:review-queue")
    assert selectors.approved_value(item).actual_value == Decimal(7)
    assert selectors.approved_value(item, published=True) is None

    assert client.get(reverse("planning:review-publish", args=[report.pk])).status_code == 200  # the confirmation
    assert selectors.approved_value(item, published=True) is None
    client.post(reverse("planning:review-publish", args=[report.pk]))
    assert selectors.approved_value(item, published=True).actual_value == Decimal(7)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED


def test_approving_a_report_that_was_returned_and_resubmitted_since_the_page_was_read_is_refused(client, report, reviewer, focal):
    client.force_login(reviewer)
    read_version = client.get(reverse("planning:review-detail", args=[report.pk])).context["form"]["version"].value()
    # Meanwhile another coordinator returns it and the agency corrects and resubmits it.
    reporting.report_return(report=report, user=coordinator("other-reviewer"), comment="Sửa số liệu")
    reporting.report_submit(report=report, user=focal)

    response = approve(client, report, version=read_version)

    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert any("đọc lại" in message or "read it again" in message for message in page_messages(response))
    fresh = client.get(reverse("planning:review-detail", args=[report.pk])).context["form"]["version"].value()
    approve(client, report, version=fresh)
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED


def test_a_repeated_approval_does_its_work_once(client, report, reviewer):
    client.force_login(reviewer)
    approve(client, report)
    second = approve(client, report)

    assert second.status_code == 200
    assert any(str(ReportStatus.APPROVED.label) in message for message in page_messages(second))
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.APPROVED).count() == 1
    assert ApprovedValue.objects.filter(report=report).count() == 1


def test_a_repeated_publication_does_its_work_once(client, report, reviewer):
    reporting.report_approve(report=report, user=reviewer)
    client.force_login(reviewer)
    client.post(reverse("planning:review-publish", args=[report.pk]))
    second = client.post(reverse("planning:review-publish", args=[report.pk]))
    assert second.status_code == 302
    assert page_messages(second)
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.PUBLISHED).count() == 1


def test_publish_all_approved_reports_of_a_period_once(client, agency, period, report, reviewer):
    other = OrganisationFactory()
    other_report = submitted_report(other, period, focal_point(other, "focal.other"))
    pending = OrganisationFactory()
    still_submitted = submitted_report(pending, period, focal_point(pending, "focal.pending"))
    for each in (report, other_report):
        reporting.report_approve(report=each, user=reviewer)
    client.force_login(reviewer)
    url = reverse("planning:review-publish-period", args=[period.pk])

    confirmation = client.get(url)
    assert {each.pk for each in confirmation.context["reports"]} == {report.pk, other_report.pk}
    client.post(url)
    again = client.post(url)

    statuses = dict(ProgressReport.objects.filter(pk__in=[report.pk, other_report.pk, still_submitted.pk]).values_list("pk", "status"))
    assert statuses == {report.pk: ReportStatus.PUBLISHED, other_report.pk: ReportStatus.PUBLISHED, still_submitted.pk: ReportStatus.SUBMITTED}
    assert ReportTransition.objects.filter(to_status=ReportStatus.PUBLISHED, report__period=period).count() == 2
    assert again.status_code == 302


def test_return_with_item_comments_stores_them_for_the_focal_point(client, agency, report, focal, reviewer):
    item = IndicatorPeriod.objects.get(pk=selectors.report_changes(report)[0].item.pk)
    field = f"item-indicatorperiod-{item.pk}"
    client.force_login(reviewer)

    response = client.post(reverse("planning:review-detail", args=[report.pk]), {"action": "return", field: "Bổ sung phân tổ theo giới.", "comment": ""})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    [comment] = ReviewComment.objects.filter(report=report)
    assert (comment.item, comment.text, comment.author) == (item, "Bổ sung phân tổ theo giới.", reviewer)
    seen_by_focal_point = ReviewComment.objects.filter(report__in=roles.visible_reports(focal, ProgressReport.objects.all()))
    assert list(seen_by_focal_point) == [comment]
    assert selectors.approved_value(item) is None


def test_return_without_any_comment_is_refused_on_the_page(client, report, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("planning:review-detail", args=[report.pk]), {"action": "return", "comment": "  "})
    assert response.status_code == 200
    assert page_messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_approval_with_item_comments_is_refused_and_keeps_them(client, report, reviewer):
    item = selectors.report_changes(report)[0].item
    field = f"item-indicatorperiod-{item.pk}"
    client.force_login(reviewer)
    response = approve(client, report, **{field: "Xem lại."})
    assert response.status_code == 200
    assert page_messages(response)
    assert "Xem lại." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_self_approval_is_refused_on_the_page(client, agency, period):
    writer = coordinator("coordinator.writer")
    own = submitted_report(agency, period, writer)  # a coordinator reporting on the agency's behalf
    client.force_login(writer)

    page = client.get(reverse("planning:review-detail", args=[own.pk]))
    assert 'id="own-report-note"' in page.content.decode()
    response = approve(client, own)

    assert response.status_code == 200
    assert page_messages(response)
    own.refresh_from_db()
    assert own.status == ReportStatus.SUBMITTED
    assert not ApprovedValue.objects.filter(report=own).exists()


def test_an_editor_cannot_return_either(client, agency, period, report):
    editor = coordinator("coordinator.editor")
    ProgressReport.objects.get(pk=report.pk).editors.add(editor)
    client.force_login(editor)
    response = client.post(reverse("planning:review-detail", args=[report.pk]), {"action": "return", "comment": "Sửa lại."})
    assert response.status_code == 200
    assert page_messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_approving_a_draft_is_refused_on_the_page(client, agency, period, focal, reviewer):
    reported_indicator(agency, period, focal)
    draft = reporting.latest_report(agency_id=agency.pk, period=period)
    client.force_login(reviewer)
    response = approve(client, draft)
    assert response.status_code == 200
    assert page_messages(response)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_publishing_a_submitted_report_is_refused_with_a_message(client, report, reviewer):
    client.force_login(reviewer)
    confirmation = client.get(reverse("planning:review-publish", args=[report.pk]))
    assert 'id="nothing-to-publish"' in confirmation.content.decode()
    response = client.post(reverse("planning:review-publish", args=[report.pk]))
    assert response.status_code == 302
    assert page_messages(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_overlong_comment_is_an_error_beside_the_field(client, report, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("planning:review-detail", args=[report.pk]), {"action": "return", "comment": "x" * 2001})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_an_approved_report_offers_publication_not_a_decision(client, report, reviewer):
    reporting.report_approve(report=report, user=reviewer)
    client.force_login(reviewer)
    html = client.get(reverse("planning:review-detail", args=[report.pk])).content.decode()
    assert 'id="publish-link"' in html
    assert 'name="action"' not in html


def test_a_revision_is_reviewed_on_its_own_page(client, agency, period, reviewer):
    revision = ProgressReport.objects.create(kind=ReportKind.REVISION, agency=agency, period=period, status=ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    response = client.get(reverse("planning:review-detail", args=[revision.pk]))
    expected = reverse("planning:revision-detail", args=[revision.pk])
    assert (response.status_code, response["Location"]) == (302, expected)
    assert client.get(expected).status_code == 200  # a page a coordinator can open, not the POST-only decision


def test_review_page_of_a_missing_report_is_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("planning:review-detail", args=[999999])).status_code == 404


# Query counts with a large plan --------------------------------------------------------------------------


def large_report(agency, period, focal, reviewer, size: int) -> ProgressReport:
    """A correction under review after an approved first report: `size` indicators, activities and budget
    lines, each with its approved value and a new one."""
    year = DeliveryPlanFactory(plan=period.plan, year=period.year)
    for index in range(size):
        reported_indicator(agency, period, focal, value=index)
        activity = ActivityFactory(lead_agency=agency, output__objective__plan=period.plan)
        activity.delivery_plans.add(year)
        ActivityProgress.objects.create(activity=activity, delivery_plan=year, status=ActivityStatus.ON_TRACK, progress=10)
        line = BudgetLineFactory(activity=activity, delivery_plan=year)
        BudgetExecution.objects.create(line=line, committed_vnd=Decimal(1_000_000), committed_on=datetime.date(2025, 3, 1))
    first = reporting.latest_report(agency_id=agency.pk, period=period)
    reporting.report_submit(report=first, user=focal)
    reporting.report_approve(report=first, user=reviewer)
    IndicatorPeriod.objects.filter(indicator__responsible_agency=agency).update(actual_value=Decimal(100))
    ActivityProgress.objects.filter(activity__lead_agency=agency).update(progress=60)
    correction = reporting.report_open(agency=agency, period=period, user=focal)
    reporting.report_narrative_save(report=correction, user=focal, narrative_vi="Bản sửa.", narrative_en="Correction.")
    return reporting.report_submit(report=correction, user=focal)


def test_review_page_queries_do_not_grow_with_the_reports_items(client, period, reviewer, django_assert_max_num_queries):
    small_agency, large_agency = OrganisationFactory(), OrganisationFactory()
    small = large_report(small_agency, period, focal_point(small_agency, "focal.small"), reviewer, 2)
    large = large_report(large_agency, period, focal_point(large_agency, "focal.large"), reviewer, 25)
    client.force_login(reviewer)
    client.get(reverse("planning:review-detail", args=[small.pk]))  # warm the content-type cache

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(reverse("planning:review-detail", args=[small.pk])).status_code == 200
    with django_assert_max_num_queries(30), CaptureQueriesContext(connection) as large_queries:
        response = client.get(reverse("planning:review-detail", args=[large.pk]))
    assert len(response.context["items"]) == 75
    html = response.content.decode()
    assert "1.000.000 ₫" in html and "Đúng tiến độ" in html and "60%" in html  # money, statuses, progress as the reader reads them
    assert sum(row.changed for entry in response.context["items"] for row in entry.rows) >= 50
    assert len(large_queries) == len(small_queries)


def test_queue_queries_do_not_grow_with_the_reports(client, period, reviewer, django_assert_max_num_queries):
    def fill(count, prefix):
        for index in range(count):
            agency = OrganisationFactory()
            focal = focal_point(agency, f"{prefix}.{index}")
            report = submitted_report(agency, period, focal)
            if index % 2:
                reporting.report_approve(report=report, user=reviewer)
            ProgressReport.objects.create(kind=ReportKind.REVISION, agency=agency, period=period, status=ReportStatus.SUBMITTED, submitted_at=timezone.now())

    client.force_login(reviewer)
    fill(2, "few")
    client.get(reverse("planning:review-queue"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("planning:review-queue"))
    fill(30, "many")
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as many:
        response = client.get(reverse("planning:review-queue"))
    assert len(response.context["submitted"]) + len(response.context["approved"]) == 32
    assert len(response.context["revisions"]) == 32
    assert len(many) == len(few)


# Language -----------------------------------------------------------------------------------------------------

MY_SOURCES = ("templates/planning/review/", "planning/views/review.py", "planning/forms/review.py")


def my_english_phrases() -> list[str]:
    """The English phrases (two words or more, no placeholder) this package's pages are written in."""
    from pathlib import Path

    from django.conf import settings

    phrases = []
    for block in (Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8").split("\n\n"):
        references = " ".join(line for line in block.splitlines() if line.startswith("#:"))
        for line in block.splitlines():
            if line.startswith('msgid "') and any(source in references for source in MY_SOURCES):
                text = line[len('msgid "') : -1]
                if text and "%" not in text and "\\" not in text and len(text.split()) >= 2:
                    phrases.append(text)
    return phrases


def test_the_vietnamese_queue_review_and_publish_pages_hold_no_english(client, report, reviewer):
    from tests.napwps.test_interface_language import visible_text

    phrases = my_english_phrases()
    assert "Publish all approved reports of this period" in phrases and "What the report changes" in phrases
    other = coordinator("reviewer.other")
    reporting.report_approve(report=submitted_report(OrganisationFactory(), report.period, other), user=reviewer)
    client.force_login(reviewer)
    pages = [
        client.get(reverse("planning:review-queue")),
        client.get(reverse("planning:review-detail", args=[report.pk])),
        client.get(reverse("planning:review-publish-period", args=[report.period_id])),
        client.get(reverse("planning:review-publish", args=[report.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        text = visible_text(page.content)
        assert [phrase for phrase in phrases if phrase in text] == []
        assert "Year 2025" not in text and "Returned" not in text  # the period and statuses it shows, too
    assert "Năm 2025" in visible_text(pages[0].content)
