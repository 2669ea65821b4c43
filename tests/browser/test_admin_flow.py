import pytest
from django.urls import reverse
from playwright.sync_api import expect

from planning.models import Activity, ActivityStatus
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_changes_an_activitys_status_and_sees_it_in_the_history(demo_data, page):
    activity = Activity.objects.get(code="2.2.2")
    assert activity.status == ActivityStatus.NOT_STARTED

    log_in(page, "coordinator")

    page.goto(reverse("admin:planning_activity_changelist"))
    page.fill("#searchbar", "2.2.2")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**q=2.2.2*")
    assert "[Mẫu] Giáo dục kỹ năng sống" in page.locator("#result_list").inner_text()
    page.click('#result_list th a:text-is("2.2.2")')

    page.select_option("#id_status", ActivityStatus.AT_RISK)
    page.fill("#id_status_justification_vi", "Chưa thống nhất được chương trình với các trường.")
    page.fill("#id_progress", "15")
    page.fill("#id_change_reason", "Cập nhật sau họp giao ban quý IV")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist .success")).to_have_count(1)
    assert "Có nguy cơ chậm" in page.locator("#result_list").inner_text()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.AT_RISK
    assert activity.progress == 15

    page.goto(reverse("admin:planning_activity_history", args=[activity.pk]))
    history = page.locator("#change-history").inner_text()
    assert "Cập nhật sau họp giao ban quý IV" in history
    assert "coordinator" in history
    assert "Chưa thống nhất được chương trình với các trường." in history
