"""On a phone, checking in people far down a long list keeps the place after every tap."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Attendance
from planning import roles
from tests.browser.conftest import log_in
from tests.factories import EventFactory, ParticipationFactory, PersonFactory, SessionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GIVEN_NAMES = [
    "An",
    "Bình",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Khánh",
    "Lan",
    "Linh",
    "Mai",
    "Minh",
    "Nga",
    "Ngọc",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Trang",
    "Yến",
]
FAMILY_NAMES = ["Nguyễn Thị", "Trần Văn", "Lê Thị", "Phạm Văn"]


def test_organiser_checks_in_three_people_far_down_a_long_list_on_a_phone(reference_data, browser, live_server):
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    event = EventFactory(managers=[organiser], start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 11))
    people = [
        ParticipationFactory(event=event, person=PersonFactory(full_name=f"{family} {given}")) for given in GIVEN_NAMES for family in FAMILY_NAMES
    ]  # 80 people, listed by given name: the last ones are the Yến
    for hour, title in ((8, "Khai mạc và giới thiệu Chương trình hành động quốc gia"), (10, "Thảo luận nhóm về khung logic"), (14, "Huy động nguồn lực")):
        SessionFactory(event=event, start_time=datetime.time(hour), end_time=datetime.time(hour + 1, 30), title_vi=title)  # tabs that must fit
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        log_in(page, "organiser")
        page.goto(reverse("events:checkin", args=[event.pk, "2025-03-10"]))
        rows = page.locator(".checkin-row")
        expect(rows).to_have_count(80)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390  # nothing runs off the screen sideways

        chosen = [rows.nth(index).get_attribute("id") for index in (62, 70, 77)]
        for row_id in chosen:
            row = page.locator(f"#{row_id}")
            row.scroll_into_view_if_needed()
            row.locator("button").tap()
            page.wait_for_url(f"**#{row_id}")
            expect(page.locator(f"#{row_id} .btn-success")).to_have_count(1)
            expect(page.locator(f"#{row_id}")).to_be_in_viewport(ratio=1)  # the row is on the screen, whole
            assert page.evaluate("window.scrollY") > 2000  # still far down the list, not back at the top

        expect(page.locator("#present-count")).to_have_text("3")
        present = set(Attendance.objects.filter(participation__event=event, day=datetime.date(2025, 3, 10)).values_list("participation_id", flat=True))
        assert present == {int(row_id.removeprefix("p-")) for row_id in chosen}
        assert len(people) == 80
    finally:
        context.close()
