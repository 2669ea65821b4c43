import pytest
from django.urls import reverse
from playwright.sync_api import expect

from planning.models import Activity, ActivityStatus
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_changes_an_activitys_status_and_sees_it_in_the_history(demo_data, page):
    activity = Activity.objects.get(code="2.2.2")  # 2025 only
    assert activity.yearly_progress.get(delivery_plan__year=2025).status == ActivityStatus.NOT_STARTED

    log_in(page, "coordinator")

    page.goto(reverse("admin:planning_activity_changelist"))
    page.fill("#searchbar", "2.2.2")
    page.press("#searchbar", "Enter")
    page.wait_for_url("**q=2.2.2*")
    assert "[Mẫu] Giáo dục kỹ năng sống" in page.locator("#result_list").inner_text()
    page.click('#result_list th a:text-is("2.2.2")')

    # The yearly progress of 2025, on the activity's page.
    page.select_option("#id_yearly_progress-0-status", ActivityStatus.AT_RISK)
    page.fill("#id_yearly_progress-0-status_justification_vi", "Chưa thống nhất được chương trình với các trường.")
    page.fill("#id_yearly_progress-0-progress", "15")
    page.fill("#id_change_reason", "Cập nhật sau họp giao ban quý IV")
    page.click("input[name=_save]")

    expect(page.locator(".messagelist .success")).to_have_count(1)
    row = page.locator("#result_list tr", has_text="2.2.2").inner_text()
    assert "Có nguy cơ chậm" in row and "15" in row  # the list shows the latest year's status and progress
    progress = activity.yearly_progress.get(delivery_plan__year=2025)
    assert (progress.status, progress.progress) == (ActivityStatus.AT_RISK, 15)
    record = progress.history.first()
    assert (record.history_change_reason, record.history_user.username) == ("Cập nhật sau họp giao ban quý IV", "coordinator")
    assert record.status_justification_vi == "Chưa thống nhất được chương trình với các trường."
