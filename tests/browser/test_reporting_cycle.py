"""The whole reporting cycle in Chromium: a focal point reports an actual with its breakdown and
evidence and submits; a coordinator returns it with a comment on the item; the focal point corrects
and resubmits; the coordinator approves, and only then does the approved value change. An anonymous
visitor sees the actual on the public indicator page once the coordinator has published the report, and
not before."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from planning import selectors
from planning.models import DeliveryPlan, Disaggregation, Evidence, IndicatorPeriod, ProgressReport, ReportStatus, ReviewComment, ReviewStatus

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def report_actual(page, item: IndicatorPeriod, sex, *, total: str, women: str, men: str) -> None:
    """From the report page, open the indicator's form, type the actual and its breakdown by sex, save."""
    page.click(f"#indicator-{item.indicator_id} a.btn")
    page.wait_for_selector("#id_actual_value")
    page.fill("#id_actual_value", total)
    page.fill(f"input[name='{sex.pk}__female__value']", women)
    page.fill(f"input[name='{sex.pk}__male__value']", men)
    page.click("button[name=save]")
    page.wait_for_selector("#report-indicators")


def submit(page, comment: str) -> None:
    page.click("#submit-report")
    page.fill("#id_comment", comment)
    page.click("input[name=submit]")
    page.wait_for_selector("#report-locked")


def public_result(page, item: IndicatorPeriod) -> str | None:
    """What the public indicator page shows as the item's result: the Result cell of its period's row
    (None when the page lists no such period)."""
    with translation.override("vi"):
        url, period = reverse("public:indicator-detail", args=[item.indicator_id]), str(item.period)
    assert page.goto(url).status == 200
    return page.evaluate(
        """(period) => {
            const row = [...document.querySelectorAll('table.indicator-periods tbody tr')].find((tr) => tr.querySelector('th').textContent.trim() === period);
            return row ? row.querySelectorAll('td')[1].innerText.trim() : null;
        }""",
        period,
    )


def shows(result: str | None, value: str) -> bool:
    return result is not None and re.match(rf"{value}(?![\d.,])", result) is not None


def assert_not_public(page, item: IndicatorPeriod) -> None:
    """The period's row is on the public page (its target is public), without any actual the agency typed."""
    result = public_result(page, item)
    assert result is not None, f"the public indicator page has no row for {item.period}"
    assert not any(shows(result, typed) for typed in ("18", "20", "21")), f"the public indicator page shows {result!r}, a value not published"


def test_focal_point_and_coordinator_take_an_actual_through_return_and_approval(browser, live_server, demo_data, tmp_path):
    sex = Disaggregation.objects.get(code="sex")
    item = IndicatorPeriod.objects.select_related("indicator").get(indicator__code="1.2.2.I1", period__year=2025)
    item.indicator.disaggregations.add(sex)  # the sample indicator now needs its actual by sex
    assert selectors.approved_value(item) is None  # 2025 was never approved
    # The 2025 delivery plan is published, so only the report's publication keeps its actual off the public pages.
    assert DeliveryPlan.objects.filter(year=2025).update(status=ReviewStatus.PUBLISHED, approval_number="1234/QĐ-BNG", approval_date=date(2025, 1, 20)) == 1
    evidence_file = tmp_path / "bien-ban-tap-huan.pdf"
    evidence_file.write_bytes(PDF)

    contexts = [browser.new_context(base_url=live_server.url, locale="vi-VN") for _person in range(3)]
    try:
        take_through_the_cycle(*(context.new_page() for context in contexts), item=item, sex=sex, evidence_file=evidence_file)
    finally:  # no request of this test left open for the next one
        for context in contexts:
            context.close()


def take_through_the_cycle(focal, coordinator, visitor, *, item, sex, evidence_file) -> None:
    for page in (focal, coordinator, visitor):
        page.set_default_timeout(15_000)
        page.set_viewport_size({"width": 1366, "height": 900})

    # The focal point reports the actual with its breakdown, attaches the minutes and submits.
    log_in(focal, "focal.mps")
    focal.wait_for_selector("#workspace-due")
    focal.click("#open-report-page")
    focal.wait_for_selector("#report-indicators")
    report_actual(focal, item, sex, total="20", women="12", men="8")
    focal.fill("#id_title_vi", "Biên bản lớp tập huấn")
    focal.set_input_files("#id_file", str(evidence_file))
    focal.click("input[name=upload]")
    focal.wait_for_selector("text=bien-ban-tap-huan.pdf")
    submit(focal, "Gửi Bộ Ngoại giao")
    report = ProgressReport.objects.get(agency__code="mps", period__year=2025, status=ReportStatus.SUBMITTED)
    assert Evidence.objects.filter(report=report, original_name="bien-ban-tap-huan.pdf").exists()
    assert selectors.approved_value(item) is None  # submitted is not approved

    # The coordinator returns it with a comment on the indicator.
    log_in(coordinator, "coordinator")
    coordinator.goto(reverse("planning:review-detail", args=[report.pk]))
    coordinator.fill(f"#id_item-indicatorperiod-{item.pk}", "Số nữ chưa khớp danh sách điểm danh")
    coordinator.click("button[value=return]")
    coordinator.wait_for_url(lambda url: url.rstrip("/").endswith("/workspace/review"))
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert ReviewComment.objects.filter(report=report, item_id=item.pk, text="Số nữ chưa khớp danh sách điểm danh").exists()
    assert selectors.approved_value(item) is None

    # The focal point sees the comment beside the item, corrects and resubmits.
    focal.goto(report.get_absolute_url())
    focal.wait_for_selector(f"#indicator-{item.indicator_id}.table-danger")
    assert "Số nữ chưa khớp danh sách điểm danh" in focal.inner_text("#report-indicators")
    report_actual(focal, item, sex, total="21", women="13", men="8")
    submit(focal, "Đã sửa số nữ")

    # Submitted, the actual is not public.
    assert_not_public(visitor, item)

    # The coordinator approves: only now is 21 the approved actual, with its breakdown.
    coordinator.goto(reverse("planning:review-detail", args=[report.pk]))
    coordinator.wait_for_selector("#review-form")
    assert "21" in coordinator.inner_text("#report-items")
    coordinator.click("button[value=approve]")
    coordinator.wait_for_url(lambda url: url.rstrip("/").endswith("/workspace/review"))
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    approved = selectors.approved_value(item)
    assert approved.actual_value == Decimal("21")
    assert {(part.category, part.value) for part in approved.approved_breakdown} == {("female", Decimal("13")), ("male", Decimal("8"))}
    assert selectors.approved_value(item, published=True) is None  # approved, not yet published

    # Approved is not public yet: the coordinator publishes the report from its review page, and then the
    # anonymous visitor reads 21 on the indicator's public page.
    assert_not_public(visitor, item)
    coordinator.goto(reverse("planning:review-detail", args=[report.pk]))
    coordinator.click("#publish-link a")
    coordinator.wait_for_selector("#reports-to-publish")
    coordinator.click("#reports-to-publish + form button[type=submit]")
    coordinator.wait_for_url(lambda url: url.rstrip("/").endswith("/workspace/review"))
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert selectors.approved_value(item, published=True).actual_value == Decimal("21")
    result = public_result(visitor, item)
    assert shows(result, "21"), f"the public indicator page shows {result!r} for {item.period}, not the published 21"
