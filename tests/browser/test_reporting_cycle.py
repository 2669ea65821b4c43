"""The whole reporting cycle in Chromium: a focal point reports an actual with its breakdown and
evidence and submits; a coordinator returns it with a comment on the item; the focal point corrects
and resubmits; the coordinator approves, and only then does the approved value change."""

from decimal import Decimal

import pytest
from django.urls import reverse

from planning import selectors
from planning.models import Disaggregation, Evidence, IndicatorPeriod, ProgressReport, ReportStatus, ReviewComment

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


def test_focal_point_and_coordinator_take_an_actual_through_return_and_approval(browser, live_server, demo_data, tmp_path):
    sex = Disaggregation.objects.get(code="sex")
    item = IndicatorPeriod.objects.select_related("indicator").get(indicator__code="1.2.2.I1", period__year=2025)
    item.indicator.disaggregations.add(sex)  # the sample indicator now needs its actual by sex
    assert selectors.approved_value(item) is None  # 2025 was never approved
    evidence_file = tmp_path / "bien-ban-tap-huan.pdf"
    evidence_file.write_bytes(PDF)

    contexts = [browser.new_context(base_url=live_server.url, locale="vi-VN") for _person in range(2)]
    try:
        take_through_the_cycle(*(context.new_page() for context in contexts), item=item, sex=sex, evidence_file=evidence_file)
    finally:  # no request of this test left open for the next one
        for context in contexts:
            context.close()


def take_through_the_cycle(focal, coordinator, *, item, sex, evidence_file) -> None:
    for page in (focal, coordinator):
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
