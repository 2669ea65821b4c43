"""The public exports in Chromium, as an anonymous visitor: filtering the 2024 plan page by a lead agency and
then following the page's download links gives a workbook and a PDF of that agency's activities only."""

import io
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from planning.models import Plan
from planning.selectors import public

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024  # the demo's published delivery plan


def test_filtered_plan_downloads_hold_only_the_chosen_agencys_activities(browser, live_server, demo_data):
    plan = Plan.objects.get(delivery_plans__year=YEAR)
    activities = public.public_activities(plan, year=YEAR).select_related("lead_agency")
    leads = Counter(activity.lead_agency_id for activity in activities)
    agency_id = min(leads, key=lambda pk: (leads[pk], pk))
    chosen = {activity.code: activity for activity in activities if activity.lead_agency_id == agency_id}
    others = {activity.code: activity for activity in activities if activity.lead_agency_id != agency_id}
    assert chosen and others
    with translation.override("vi"):
        url = reverse("public:plan", args=[YEAR])

    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        assert page.goto(url).status == 200
        page.select_option("select[name=agency]", str(agency_id))
        page.click("form.plan-filters button[type=submit]")
        page.wait_for_url(lambda u: f"agency={agency_id}" in u)
        links = page.locator("nav.export-links a")
        assert links.count() == 2
        contents = []
        for index in range(2):
            assert f"agency={agency_id}" in links.nth(index).get_attribute("href")
            with page.expect_download() as info:
                links.nth(index).click()
            contents.append(Path(info.value.path()).read_bytes())
        workbook, pdf = contents
    finally:
        context.close()

    sheet = load_workbook(io.BytesIO(workbook)).worksheets[2]  # Cover, Logframe, Activities, …
    cells = {str(value).strip() for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert set(chosen) <= cells
    assert not set(others) & cells

    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    for code in chosen:
        assert code in flat
    for activity in others.values():
        assert " ".join(activity.title.split()) not in flat
