"""In Chromium: the admin calendar's "Today" writes the date as the reader's language does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from planning.models import DeliveryPlan
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "shown"), [("vi", "%d/%m/%Y"), ("en", "%Y-%m-%d")])
def test_the_calendars_today_fills_the_languages_format_and_saves_that_day(demo_data, page, language, shown):
    delivery_plan = DeliveryPlan.objects.get(year=2025)
    log_in(page, "coordinator")
    page.goto(reverse("admin:planning_deliveryplan_change", args=[delivery_plan.pk]).replace("/vi/", f"/{language}/"))
    page.locator(".field-approval_date .datetimeshortcuts a").first.click()  # "Today" / "Hôm nay"
    today = timezone.localdate()
    # The browser's clock gives "today"; around midnight it may differ from the server's by a day.
    candidates = {(today + datetime.timedelta(days=delta)).strftime(shown) for delta in (-1, 0, 1)}
    filled = page.input_value("#id_approval_date")
    assert filled in candidates
    page.fill("#id_change_reason", "Ngày phê duyệt")
    page.click("input[name=_save]")
    page.wait_for_url(lambda url: "/change/" not in url)
    delivery_plan.refresh_from_db()
    assert delivery_plan.approval_date.strftime(shown) == filled  # read back as the same day, never month-first
