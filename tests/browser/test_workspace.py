"""A focal point reports on the workspace in Chromium, on a laptop (1366 px) and a tablet (768 px)."""

import pytest

from planning.models import ActivityProgress, ProgressReport, ReportStatus

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def overflows(page) -> bool:
    """Wider than the window: a table that neither wraps nor scrolls in its own box."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def test_focal_point_reports_progress_and_submits(page, demo_data):
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page, "focal.mps")
    page.wait_for_selector("#workspace-due")  # focal points land on their workspace
    assert not overflows(page)
    page.click("#open-report-page")
    page.wait_for_selector("#report-activities")
    assert not overflows(page)
    page.click("#report-activities a.btn")
    page.wait_for_selector("#id_progress")
    page.select_option("#id_status", "on_track")
    page.fill("#id_progress", "55")
    page.fill("#id_narrative_vi", "Đã tổ chức hai lớp tập huấn")
    page.click("input[name=save]")
    page.wait_for_selector("#report-activities")
    assert ActivityProgress.objects.filter(progress=55, narrative_vi="Đã tổ chức hai lớp tập huấn").exists()
    page.set_viewport_size({"width": 768, "height": 1024})
    assert not overflows(page)
    page.click("#submit-report")
    page.fill("#id_comment", "Gửi Bộ Ngoại giao")
    page.click("input[name=submit]")
    page.wait_for_selector("#report-locked")
    report = ProgressReport.objects.get(agency__code="mps", period__year=2025, status=ReportStatus.SUBMITTED)
    assert report.transitions.last().comment == "Gửi Bộ Ngoại giao"
