import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from events import importing
from events.models import Attendance
from planning import roles
from tests.browser.conftest import log_in
from tests.factories import EventFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PEOPLE = [
    ("Nguyễn Thị Hồng", "Nữ", "hong@example.org", "0912345678", "Chính phủ"),
    ("Đặng Văn Ước", "Nam", "uoc@example.org", "0987654321", "government"),
    ("Lê Thị Mai", "Nữ", "mai@example.org", "", "media"),
]


def participant_file() -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(importing.template_workbook()))
    sheet = workbook[importing.SHEET]
    keys = [column.key for column in importing.COLUMNS]
    for row, (name, sex, email, phone, sector) in enumerate(PEOPLE, start=2):
        values = {"full_name": name, "sex": sex, "email": email, "phone": phone, "organisation": "Bộ Ngoại giao", "sector": sector, "consent_data": "có"}
        for column, key in enumerate(keys, start=1):
            sheet.cell(row=row, column=column, value=values.get(key))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_organiser_imports_checks_in_two_people_and_downloads_their_certificates(reference_data, page, tmp_path):
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    event = EventFactory(
        title_vi="Hội thảo kỹ thuật về PN, HB&AN", managers=[organiser], certificate_min_days=1,
        start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 11),
    )  # fmt: skip

    log_in(page, "organiser")

    page.goto(reverse("events:event-list"))
    page.click("text=Hội thảo kỹ thuật về PN, HB&AN")
    page.click("ul.nav-tabs >> text=Nhập")
    upload = tmp_path / "danh-sach.xlsx"
    upload.write_bytes(participant_file())
    page.set_input_files("input[type=file]", str(upload))
    page.click("input[type=submit]")
    preview = page.locator("#import-preview").inner_text()
    assert all(name in preview for name, *_ in PEOPLE)
    page.click("button:has-text('Áp dụng')")
    expect(page.locator(".alert-success")).to_have_count(1)
    listing = page.locator("table").inner_text()
    assert "Nguyễn Thị Hồng" in listing and "Đặng Văn Ước" in listing

    page.goto(reverse("events:checkin", args=[event.pk, "2025-03-10"]))
    for name in ("Nguyễn Thị Hồng", "Đặng Văn Ước"):
        page.fill("input[type=search]", name.split()[-1])
        page.press("input[type=search]", "Enter")
        page.wait_for_url("**q=*")
        page.click(f"li:has-text('{name}') >> button")
        expect(page.locator(f"li:has-text('{name}') .btn-success")).to_have_count(1)
    expect(page.locator("#present-count")).to_have_text("2")
    assert Attendance.objects.filter(participation__event=event, day=datetime.date(2025, 3, 10)).count() == 2

    page.goto(reverse("events:event-detail", args=[event.pk]))
    with page.expect_download() as download_info:
        page.click("#certificates-form button")  # issuing numbers is a change: a form, by POST
    pdf = PdfReader(download_info.value.path())
    assert len(pdf.pages) == 2
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Nguyễn Thị Hồng" in text and "Đặng Văn Ước" in text and "Lê Thị Mai" not in text
