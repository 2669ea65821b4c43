"""events.exports: each file is opened and read back (openpyxl, pypdf)."""

import datetime
import io
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from events import exports
from events.models import Event, Participation, RegistrationStatus, Role, Sector, Sex
from planning.models import Organisation, Province
from tests.factories import AttendanceFactory, EventFactory, FeedbackFactory, ParticipationFactory, PersonFactory, SessionFactory

FIRST_DAY, SECOND_DAY = datetime.date(2025, 3, 10), datetime.date(2025, 3, 11)


@dataclass
class Workshop:
    event: Event
    hong: Participation  # two days, pre/post tests, leading-zero phone
    minh: Participation  # one day only, formula-like organisation and phone
    dao: Participation  # a speaker, two days
    cuong: Participation  # cancelled


def participation(event, *, name, sex, days=(), **fields):
    person_fields = {key: fields.pop(key) for key in ("phone", "age_band", "email") if key in fields}
    result = ParticipationFactory(event=event, person=PersonFactory(full_name=name, sex=sex, **person_fields), **fields)
    for day in days:
        AttendanceFactory(participation=result, day=day)
    return result


@pytest.fixture
def workshop(reference_data):
    event = EventFactory(
        code="wps-training-2025",
        title_vi="Tập huấn về Phụ nữ, Hòa bình và An ninh",
        title_en="Training on Women, Peace and Security",
        start_date=FIRST_DAY,
        end_date=SECOND_DAY,
        venue_vi="Khách sạn Hà Nội",
        venue_en="Ha Noi Hotel",
        certificate_min_days=2,
        organisers=[Organisation.objects.get(code="mofa")],
    )
    ha_noi = Province.objects.valid_on(FIRST_DAY).get(code="01")
    hong = participation(
        event, name="Nguyễn Thị Hồng", sex=Sex.FEMALE, phone="0912345678", age_band="25-34", days=(FIRST_DAY, SECOND_DAY),
        organisation=Organisation.objects.get(code="mofa"), organisation_name="", province=ha_noi, position="Chuyên viên",
        status=RegistrationStatus.CONFIRMED, consent_data=True, pre_test_score=Decimal("40"), post_test_score=Decimal("80"),
    )  # fmt: skip
    minh = participation(
        event, name="Trần Văn Minh", sex=Sex.MALE, phone="+84 912 000 222", position="+84 912", days=(FIRST_DAY,), organisation_name="=SUM(A1)",
        sector=Sector.NGO, accessibility_needs="-ramp", pre_test_score=Decimal("60"), post_test_score=Decimal("50"),
    )  # fmt: skip
    dao = participation(event, name="Lê Thị Đào", sex=Sex.FEMALE, role=Role.SPEAKER, days=(FIRST_DAY, SECOND_DAY), organisation_name="UN Women")
    cuong = participation(event, name="Phạm Văn Cường", sex=Sex.MALE, status=RegistrationStatus.CANCELLED)
    SessionFactory(event=event, day=FIRST_DAY, title_vi="Khai mạc", title_en="Opening", speakers="Lê Thị Đào")
    SessionFactory(event=event, day=SECOND_DAY, start_time=datetime.time(14, 0), end_time=datetime.time(16, 30), title_vi="Thảo luận nhóm")
    FeedbackFactory(event=event, satisfaction=4, relevance=5)
    FeedbackFactory(event=event, satisfaction=5, relevance=4)
    return Workshop(event=event, hong=hong, minh=minh, dao=dao, cuong=cuong)


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, in composed Unicode so that 'ễ' is one character whatever the PDF holds."""
    return [unicodedata.normalize("NFC", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    return "\n".join(pdf_pages(data))


def sheet_rows(data: bytes, title: str | None = None) -> list[list]:
    workbook = load_workbook(io.BytesIO(data))
    worksheet = workbook[title] if title else workbook.worksheets[0]
    return [list(row) for row in worksheet.iter_rows(values_only=True)]


# Participant list -------------------------------------------------------------------------------


def test_participant_list_has_one_row_per_participation_with_translated_headers(workshop):
    with translation.override("en"):
        rows = sheet_rows(exports.participant_list(workshop.event))

    header, *people = rows
    assert header == [
        "ID", "Full name", "Sex", "Age band", "Organisation", "Organisation type (IATI)", "Sector", "Position", "Province", "Role",
        "Registration", "E-mail", "Phone", "Consents to data processing", "Consents to photos", "Consents to follow-up",
        "Accessibility needs", "Days present", "Pre-test score (%)", "Post-test score (%)",
    ]  # fmt: skip
    assert [row[1] for row in people] == ["Phạm Văn Cường", "Lê Thị Đào", "Nguyễn Thị Hồng", "Trần Văn Minh"]  # by given name: Cường, Đào, Hồng, Minh
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in people}
    hong = by_name["Nguyễn Thị Hồng"]
    assert hong["ID"] == workshop.hong.pk
    assert (hong["Sex"], hong["Age band"], hong["Role"], hong["Registration"]) == ("Female", "25–34", "Participant", "Confirmed")
    assert (hong["Organisation"], hong["Organisation type (IATI)"], hong["Sector"]) == ("Ministry of Foreign Affairs", "Government", "Government")
    assert (hong["Province"], hong["Position"]) == ("Ha Noi", "Chuyên viên")
    assert (hong["Consents to data processing"], hong["Consents to photos"]) == ("Yes", "No")
    assert (hong["Days present"], hong["Pre-test score (%)"], hong["Post-test score (%)"]) == (2, 40, 80)
    assert by_name["Trần Văn Minh"]["Days present"] == 1
    assert by_name["Phạm Văn Cường"]["Registration"] == "Cancelled"
    assert by_name["Phạm Văn Cường"]["Days present"] == 0


def test_participant_list_keeps_phones_and_formula_like_text_as_text(workshop):
    worksheet = load_workbook(io.BytesIO(exports.participant_list(workshop.event))).worksheets[0]

    cells = {cell.value: cell for row in worksheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)}
    for text in ("0912345678", "0912000222", "+84 912", "=SUM(A1)", "-ramp"):  # phones kept with their 0, as typed in the portal
        assert cells[text].data_type == "s"
    assert worksheet.cell(row=2, column=1).data_type == "n"


def test_participant_list_follows_the_active_language(workshop):
    rows = sheet_rows(exports.participant_list(workshop.event))  # Vietnamese, the default

    hong = next(row for row in rows if row[1] == "Nguyễn Thị Hồng")
    assert "Bộ Ngoại giao" in hong
    assert "Hà Nội" in hong


# Sign-in sheet ----------------------------------------------------------------------------------


def test_sign_in_sheet_lists_everyone_not_cancelled_by_name(workshop):
    text = pdf_text(exports.sign_in_sheet(workshop.event, SECOND_DAY))

    names = ["Lê Thị Đào", "Nguyễn Thị Hồng", "Trần Văn Minh"]
    assert all(name in text for name in names)
    assert [text.index(name) for name in names] == sorted(text.index(name) for name in names)
    assert "Phạm Văn Cường" not in text
    assert "UN Women" in text
    assert "Bộ Ngoại giao" in text


@pytest.mark.parametrize("language", ["vi", "en"])
def test_sign_in_sheet_header_is_bilingual_in_either_language(workshop, language):
    with translation.override(language):
        first_page = pdf_pages(exports.sign_in_sheet(workshop.event, FIRST_DAY))[0]

    assert "Danh sách ký tên" in first_page
    assert "Sign-in sheet" in first_page
    assert "Tập huấn về Phụ nữ, Hòa bình và An ninh" in first_page
    assert "Training on Women, Peace and Security" in first_page
    assert {"vi": "10/03/2025", "en": "10 Mar 2025"}[language] in first_page
    assert "Chữ ký" in first_page
    assert "Signature" in first_page


def test_sign_in_sheet_refuses_a_day_outside_the_event(workshop):
    with pytest.raises(ValueError):
        exports.sign_in_sheet(workshop.event, datetime.date(2025, 3, 12))


# Certificates -----------------------------------------------------------------------------------


def test_certificates_have_one_page_per_person_present_enough_days(workshop):
    pages = pdf_pages(exports.certificates(workshop.event))

    assert len(pages) == 2
    assert "Lê Thị Đào" in pages[0]
    assert "Nguyễn Thị Hồng" in pages[1]
    assert "Trần Văn Minh" not in "".join(pages)  # came on one day of the two required
    assert "Phạm Văn Cường" not in "".join(pages)


def test_certificate_names_the_event_in_both_languages_with_dates_venue_and_organisers(workshop):
    with translation.override("en"):
        page = pdf_pages(exports.certificates(workshop.event))[1]

    assert "Nguyễn Thị Hồng" in page
    assert "Tập huấn về Phụ nữ, Hòa bình và An ninh" in page
    assert "Training on Women, Peace and Security" in page
    assert "10 Mar 2025" in page  # English dates are unambiguous (napwps/formats/en)
    assert "11 Mar 2025" in page
    assert "Ha Noi Hotel" in page
    assert "Ministry of Foreign Affairs" in page


def test_certificates_of_a_one_day_rule_include_everyone_who_came(workshop):
    workshop.event.certificate_min_days = 1
    workshop.event.save()

    pages = pdf_pages(exports.certificates(workshop.event))

    assert len(pages) == 3
    assert "Trần Văn Minh" in "".join(pages)


def test_certificates_without_recipients_say_so_on_one_page(reference_data):
    event = EventFactory()

    pages = pdf_pages(exports.certificates(event))

    assert len(pages) == 1


def test_certificates_keep_one_page_per_person_with_long_titles(reference_data):
    event = EventFactory(title_vi=("Tập huấn " * 40)[:300], title_en=("Training " * 40)[:300], certificate_min_days=1)  # the longest titles the fields hold
    for name in ("Nguyễn Thị Hồng", "Trần Văn Minh"):
        participation(event, name=name, sex=Sex.FEMALE, days=(event.start_date,))

    assert len(pdf_pages(exports.certificates(event))) == 2


# Event report -----------------------------------------------------------------------------------


def test_event_report_xlsx_has_the_selector_figures(workshop):
    with translation.override("en"):
        data = exports.event_report_xlsx(workshop.event)

    summary = dict(row for row in sheet_rows(data, "Summary")[1:])
    # Participants (role) with at least one day: Hồng and Minh; Đào is a speaker, Cường cancelled.
    assert summary["People: participants who attended at least one day, counted once"] == 2
    assert summary["Everyone who took part in any role (participants, speakers, facilitators, organisers), counted once"] == 3
    assert summary["People with both a pre-test and a post-test"] == 2
    assert summary["Mean pre-test score (%)"] == 50
    assert summary["Mean post-test score (%)"] == 65
    assert summary["Mean gain (percentage points)"] == 15
    assert summary["Share whose score improved (%)"] == 50
    assert summary["Feedback forms"] == 2
    assert summary["Mean satisfaction (1–5)"] == 4.5
    assert summary["First day"] == datetime.datetime(2025, 3, 10)

    groups = sheet_rows(data, "People by group")
    assert groups[0] == ["Group", "Category", "People", "Share (%)"]
    assert ["People trained by sex", "Female", 1, 50] in groups
    assert ["People trained by sex", "Male", 1, 50] in groups
    assert ["People trained by sector", "National NGO", 1, 50] in groups
    assert ["People trained by province", "Ha Noi (01)", 1, 50] in groups
    assert ["People trained by province", "Not recorded", 1, 50] in groups
    # The speaker is not trained, but takes part: the role breakdown counts everyone present.
    role_rows = [row[1:] for row in groups if row[0] == "Everyone who took part, by role"]
    assert role_rows == [["Participant", 2, 66.7], ["Speaker", 1, 33.3]]

    attendance = sheet_rows(data, "Attendance by day")
    assert attendance[1:] == [[datetime.datetime(2025, 3, 10), 3, 3, 100], [datetime.datetime(2025, 3, 11), 2, 3, 66.7]]

    agenda = sheet_rows(data, "Agenda")
    assert [row[3] for row in agenda[1:]] == ["Opening", "Thảo luận nhóm"]
    assert agenda[2][1:3] == [datetime.time(14, 0), datetime.time(16, 30)]


def test_event_report_xlsx_names_no_participant(workshop):
    data = exports.event_report_xlsx(workshop.event)

    cells = " ".join(str(value) for title in load_workbook(io.BytesIO(data)).sheetnames for row in sheet_rows(data, title) for value in row)
    for name in ("Nguyễn Thị Hồng", "Trần Văn Minh", "Phạm Văn Cường", "0912345678"):
        assert name not in cells


def test_event_report_pdf_shows_figures_attendance_and_agenda_without_names(workshop):
    with translation.override("en"):
        text = pdf_text(exports.event_report_pdf(workshop.event))

    assert "Training on Women, Peace and Security" in text
    assert "Knowledge gain" in text
    assert "Attendance by day" in text
    assert "11 Mar 2025" in text
    assert "66.7" in text
    assert "Opening" in text
    assert "Thảo luận nhóm" in text  # no English title: shown in Vietnamese
    assert "Ha Noi" in text
    words = " ".join(text.split())
    assert "3 everyone who took part in any role" in words
    assert "Everyone who took part, by role" in words
    for name in ("Nguyễn Thị Hồng", "Trần Văn Minh", "Phạm Văn Cường"):
        assert name not in text


def test_event_report_pdf_in_vietnamese(workshop):
    text = pdf_text(exports.event_report_pdf(workshop.event))

    assert "Tập huấn về Phụ nữ, Hòa bình và An ninh" in text
    assert "Khai mạc" in text
    assert "Hà Nội" in text
    assert "66,7" in text  # Vietnamese decimal comma


def test_event_report_of_an_event_without_people(reference_data):
    event = EventFactory()

    assert "0" in pdf_text(exports.event_report_pdf(event))
    summary = dict(row for row in sheet_rows(exports.event_report_xlsx(event))[1:])
    assert 0 in summary.values()


def test_follow_up_list_holds_only_people_who_consented(reference_data):
    event = EventFactory()
    participation(event, name="Nguyễn Thị Hồng", sex=Sex.FEMALE, consent_follow_up=True, phone="0912345678")
    participation(event, name="Trần Văn Minh", sex=Sex.MALE, consent_follow_up=False)

    rows = sheet_rows(exports.follow_up_list(event))

    assert [row[0] for row in rows[1:]] == ["Nguyễn Thị Hồng"]
    assert rows[1][4] == "0912345678"


EVENT_PDFS = {"sign-in": lambda event: exports.sign_in_sheet(event, FIRST_DAY), "certificates": exports.certificates, "report": exports.event_report_pdf}


@pytest.mark.parametrize("pdf", EVENT_PDFS)
def test_event_pdfs_embed_only_the_vendored_font(workshop, pdf):
    # print.css imports pdf-base.css, which holds the @font-face rules: a PDF without them would fall back to
    # the machine's fonts. WeasyPrint names an embedded font after its @font-face family.
    reader = PdfReader(io.BytesIO(EVENT_PDFS[pdf](workshop.event)))
    names = {str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page.get("/Resources", {}).get("/Font", {}).values()}
    assert names and all(name.split("+")[-1].startswith("NAPWPS-DejaVu-Sans") for name in names), names
