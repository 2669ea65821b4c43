"""events.importing.ParticipantImporter: a participant list comes in from Excel all or nothing,
people already in the portal are recognised, and every problem is reported by sheet, row and column."""

import datetime
import io
import json
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl.utils import get_column_letter

from events import importing
from events.models import AgeBand, Participation, Person, Role, Sector, Sex
from planning.importing import Preview
from planning.importing import services as import_services
from planning.models import PREVIEW_LIFETIME, ImportPreview, Organisation, OrganisationType, Province
from tests.factories import EventFactory, ParticipationFactory, PersonFactory, UserFactory

HEADERS = [column.header for column in importing.COLUMNS]
KEYS = [column.key for column in importing.COLUMNS]


def person_row(**values) -> list:
    """A row in the template's column order: a valid participant unless `values` says otherwise."""
    values = {"full_name": "Trần Thị Lan", "sex": "Nữ", "sector": "government", **values}
    return [values.get(key) for key in KEYS]


def upload(rows, *, headers=HEADERS, sheet="Participants", name="participants.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(name, content.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def preview(event, file, *, user=None) -> Preview:
    return importing.ParticipantImporter(user=user, target=event).preview(file)


def apply(event, result: Preview, user) -> dict:
    """Apply a preview object straight away (the pages go through planning.importing.services)."""
    with transaction.atomic():
        return importing.ParticipantImporter(user=user, target=event).apply(result)


def actions(result: Preview) -> list[str]:
    return [row.action for row in result.rows]


def met(person, organiser):
    """Someone the organiser has met before, at another of their own events: matched by name."""
    ParticipationFactory(person=person, event=EventFactory(managers=[organiser]))
    return person


def counts():
    return Person.objects.count(), Participation.objects.count()


@pytest.fixture
def organiser(db):
    return UserFactory(username="organiser")


@pytest.fixture
def event(reference_data, organiser):
    """A workshop after the provincial reform of 1 July 2025, run by `organiser`."""
    return EventFactory(start_date=datetime.date(2025, 8, 4), end_date=datetime.date(2025, 8, 5), managers=[organiser])


# The template ----------------------------------------------------------------------------------


def test_template_has_bilingual_headers_a_text_phone_column_dropdowns_and_a_guide():
    workbook = openpyxl.load_workbook(io.BytesIO(importing.template_workbook()))

    assert workbook.sheetnames == ["Participants", "Hướng dẫn (Guide)"]
    sheet = workbook["Participants"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[0] == "Họ và tên (Full name) *"
    assert headers[4] == "Số điện thoại (Phone)"
    assert len(headers) == 21  # 15, then the six Washington Group questions
    assert headers[15] == "Khó khăn khi nhìn (Difficulty seeing)"
    assert sheet["E2"].number_format == "@"
    assert sheet["E500"].number_format == "@"
    validated = {str(validation.sqref).split(":")[0] for validation in sheet.data_validations.dataValidation}
    assert {"B2", "H2", "K2"} <= validated  # sex, sector, role
    guide_text = [cell.value for row in workbook["Hướng dẫn (Guide)"].iter_rows() for cell in row if cell.value]
    for column in importing.COLUMNS:
        assert column.header in guide_text
        assert column.guide_vi in guide_text
        assert column.guide_en in guide_text


def test_template_filled_in_with_its_own_dropdown_values_imports_cleanly(event):
    workbook = openpyxl.load_workbook(io.BytesIO(importing.template_workbook()))
    guide = workbook["Hướng dẫn (Guide)"]
    dropdown = {guide.cell(row=5, column=index).value: guide.cell(row=6, column=index).value for index in range(7, 13)}
    sheet = workbook["Participants"]
    typed = ["Lê Thị Mai", "Nữ", dropdown["Nhóm tuổi (Age band)"], "mai@example.org", "0912345678", "MOFA",
             dropdown["Loại hình tổ chức (Organisation type)"], dropdown["Khối, lĩnh vực (Sector)"], "Chuyên viên", "01",
             dropdown["Vai trò (Role)"], "có", "không", "có", ""]  # fmt: skip
    for index, value in enumerate(typed, start=1):
        sheet.cell(row=2, column=index, value=value)
    content = io.BytesIO()
    workbook.save(content)

    result = preview(event, SimpleUploadedFile("mau.xlsx", content.getvalue()))

    assert result.errors == []
    assert result.sheet == "Participants"
    assert [(row.row, row.action) for row in result.rows] == [(2, "create")]
    values = result.rows[0].values
    assert (values["age_band"], values["organisation_type"], values["sector"], values["role"]) == (
        AgeBand.UNDER_25, OrganisationType.GOVERNMENT, Sector.GOVERNMENT, Role.PARTICIPANT,
    )  # fmt: skip


# A clean file ------------------------------------------------------------------------------------


def test_clean_file_registers_everyone_with_names_exactly_as_written(event, organiser):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng")  # as some keyboards and Macs type it
    file = upload([
        person_row(full_name=decomposed, email="hong@example.org", phone="0912345678", organisation="MOFA", province="Hà Nội",
                   consent_data="có", consent_photos="x", consent_follow_up="không", age_band="25–34"),
        person_row(full_name="  Đặng   Văn Ước ", sex="male", phone=987654321, sector="Academia and research", province=1, role="Speaker",
                   consent_data=1, accessibility_needs="Phiên dịch ngôn ngữ ký hiệu"),
        person_row(full_name="Phạm Thị Thu Hà", sex="Khác", email="ha@example.org", organisation="Hội LHPN xã Tân Lập", organisation_type=22,
                   sector="ngo", position="Chủ tịch Hội"),
    ])  # fmt: skip

    result = preview(event, file)

    assert result.errors == []
    assert result.counts == {"create": 3, "change": 0, "unchanged": 0, "error": 0}
    assert Person.objects.count() == 0  # a preview saves nothing

    outcome = apply(event, result, organiser)

    assert (outcome["create"], outcome["known"], outcome["unchanged"]) == (3, 0, 0)
    hong = Person.objects.get(email="hong@example.org")
    assert hong.full_name == "Nguyễn Thị Hồng"
    assert (hong.sex, hong.age_band, hong.phone) == (Sex.FEMALE, AgeBand.FROM_25, "0912345678")
    uoc = Person.objects.get(full_name="Đặng Văn Ước")
    assert (uoc.sex, uoc.phone) == (Sex.MALE, "0987654321")
    hong_there = hong.participations.get(event=event)
    assert hong_there.organisation == Organisation.objects.get(code="mofa")
    assert hong_there.organisation_type == OrganisationType.GOVERNMENT
    assert hong_there.province == Province.objects.valid_on(event.start_date).get(code="01")
    assert (hong_there.consent_data, hong_there.consent_photos, hong_there.consent_follow_up) == (True, True, False)
    uoc_there = uoc.participations.get(event=event)
    assert (uoc_there.sector, uoc_there.role, uoc_there.province.code, uoc_there.consent_data) == (Sector.ACADEMIA, Role.SPEAKER, "01", True)
    ha_there = Participation.objects.get(person__full_name="Phạm Thị Thu Hà")
    assert (ha_there.organisation, ha_there.organisation_name, ha_there.organisation_type) == (None, "Hội LHPN xã Tân Lập", OrganisationType.NATIONAL_NGO)
    assert (ha_there.role, ha_there.position) == (Role.PARTICIPANT, "Chủ tịch Hội")


@pytest.mark.parametrize("typed", ["0912345678", 912345678, 912345678.0, "+84 912 345 678", "0912.345.678"])
def test_phone_keeps_its_leading_zero_whether_typed_as_text_or_as_a_number(event, organiser, typed):
    result = preview(event, upload([person_row(phone=typed)]))

    assert result.errors == []
    assert result.rows[0].values["phone"] == "0912345678"
    apply(event, result, organiser)
    assert Person.objects.get().phone == "0912345678"


def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(event):
    file = upload([person_row(full_name="Một"), [None] * 15, ["", "  ", None], person_row(full_name="Hai", sex="?")])

    result = preview(event, file)

    assert [row.row for row in result.rows] == [2, 5]
    assert [(error.row, error.column) for error in result.errors] == [(5, "B")]


def test_dates_and_numbers_in_text_columns_are_converted(event):
    file = upload([person_row(position=datetime.datetime(2025, 3, 8), full_name=12345, age_band=47, consent_photos=True, organisation_type="22")])

    values = preview(event, file).rows[0].values

    assert values["position"] == "08/03/2025"
    assert values["full_name"] == "12345"
    assert values["age_band"] == AgeBand.FROM_45
    assert values["consent_photos"] is True
    assert values["organisation_type"] == OrganisationType.NATIONAL_NGO


def test_columns_are_found_by_header_in_any_order_and_language(event):
    headers = ["Sector", "Full name", "Giới tính", "Tỉnh, thành phố (Province)"]

    result = preview(event, upload([["ngo", "Võ Thị Sáu", "Nữ", "79"], ["ngo", "Lý Văn Tư", "nam?", "Hà Giang"]], headers=headers))

    assert result.rows[0].action == "create"
    assert result.rows[0].values["province"] == Province.objects.valid_on(event.start_date).get(code="79").pk
    assert {(error.row, error.column, error.header) for error in result.errors} == {
        (3, "C", "Giới tính"),
        (3, "D", "Tỉnh, thành phố"),
    }


# A file with errors ------------------------------------------------------------------------------


def test_file_with_errors_saves_nothing_and_reports_each_error_by_sheet_row_and_column(event, organiser):
    before = counts()
    file = upload([
        person_row(full_name="Đúng Người"),
        person_row(sex="Không rõ"),
        person_row(province="Hà Giang"),
        person_row(email="lan@example", phone="09123abc"),
        person_row(full_name="", sector=""),
        person_row(age_band="trung niên", organisation_type="Công ty", role="khách mời", consent_data="có lẽ", province="Atlantis"),
    ])  # fmt: skip

    result = preview(event, file)

    assert result.has_errors
    assert (result.counts["create"], result.counts["error"]) == (1, 5)
    assert [row.action for row in result.rows] == ["create", "error", "error", "error", "error", "error"]
    assert {(error.sheet, error.row, error.column) for error in result.errors} == {
        ("Participants", 3, "B"),
        ("Participants", 4, "J"),
        ("Participants", 5, "D"),
        ("Participants", 5, "E"),
        ("Participants", 6, "A"),
        ("Participants", 6, "H"),
        ("Participants", 7, "C"),
        ("Participants", 7, "G"),
        ("Participants", 7, "J"),
        ("Participants", 7, "K"),
        ("Participants", 7, "L"),
    }
    bad_sex = next(error for error in result.errors if error.row == 3)
    assert bad_sex.header == "Giới tính"  # the reader's language only
    assert "Không rõ" in bad_sex.reason
    assert str(bad_sex).startswith("Participants!B3 (Giới tính): ")
    gone = next(error for error in result.errors if error.row == 4)
    assert "Hà Giang" in gone.reason and "04/08/2025" in gone.reason and "Tuyên Quang" in gone.reason
    with pytest.raises(ValidationError):
        apply(event, result, organiser)
    assert counts() == before


def test_province_is_read_as_it_was_on_the_events_first_day(reference_data, organiser):
    before_reform = EventFactory(start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 11), managers=[organiser])

    result = preview(before_reform, upload([person_row(province="Hà Giang"), person_row(province="02")]))

    assert result.errors == []
    assert {row.values["province"] for row in result.rows} == {Province.objects.get(code="02").pk}


def test_apply_refuses_a_preview_with_errors(event, organiser):
    result = preview(event, upload([person_row(), person_row(full_name="Sai Giới", sex="nu")]))
    before = counts()

    with pytest.raises(ValidationError):
        apply(event, result, organiser)
    assert counts() == before


def test_a_failure_midway_through_apply_saves_nothing(event, organiser):
    known = met(PersonFactory(full_name="Hoàng Thị Nga", email="nga@example.org"), organiser)
    result = preview(event, upload([person_row(full_name="Người Mới", email="moi@example.org"), person_row(email="nga@example.org")]), user=organiser)
    assert actions(result) == ["create", "create"]
    assert [row.ref.get("person_id") for row in result.rows] == [None, known.pk]
    ParticipationFactory(event=event, person=known)  # someone registers her between the preview and the import
    before = counts()

    with translation.override("en"), pytest.raises(ValidationError, match="Row 3"):
        apply(event, result, organiser)
    assert counts() == before
    assert not Person.objects.filter(email="moi@example.org").exists()


def test_only_the_events_organising_staff_may_import(event):
    result = preview(event, upload([person_row()]))
    stranger = UserFactory(username="stranger")

    with pytest.raises(PermissionDenied):
        apply(event, result, stranger)
    assert counts() == (0, 0)


# Duplicates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("known", "written"),
    [
        ({"email": "Lan.Tran@Example.org", "phone": ""}, {"email": "lan.tran@example.org"}),
        ({"email": "", "phone": "0912345678"}, {"phone": "+84 912 345 678"}),
        ({"email": "", "phone": "0912345678"}, {"phone": 912345678}),
    ],
)
def test_person_already_in_the_portal_is_matched_by_email_or_phone_not_created_twice(event, organiser, known, written):
    existing = PersonFactory(full_name="Trần Thị Lan", **known)
    ParticipationFactory(person=existing, event=EventFactory(managers=[organiser]))  # someone the organiser has met before

    result = preview(event, upload([person_row(**written)]), user=organiser)

    row = result.rows[0]
    assert (row.action, row.ref["person_id"], row.ref["person_name"]) == ("create", existing.pk, "Trần Thị Lan")
    assert "Trần Thị Lan" in row.note
    outcome = apply(event, result, organiser)
    assert (outcome["create"], outcome["known"]) == (1, 1)
    assert Person.objects.count() == 1
    assert Participation.objects.get(event=event).person == existing


def test_person_already_registered_for_the_event_is_skipped(event, organiser):
    registered = ParticipationFactory(event=event, person=PersonFactory(email="lan@example.org")).person
    file = upload([person_row(email="lan@example.org"), person_row(full_name="Người Mới", email="moi@example.org")])

    result = preview(event, file)

    assert [(row.action, row.ref.get("person_id")) for row in result.rows] == [("unchanged", registered.pk), ("create", None)]
    assert not result.has_errors
    outcome = apply(event, result, organiser)
    assert (outcome["create"], outcome["unchanged"]) == (1, 1)
    assert event.participations.count() == 2


def test_same_person_twice_in_the_file_is_registered_once(event, organiser):
    file = upload([
        person_row(full_name="Bùi Thị Xuân", email="xuan@example.org", phone="0911111111"),
        person_row(full_name="Người Khác", email="khac@example.org"),
        person_row(full_name="Bùi Thị Xuân", email="XUAN@example.org"),
        person_row(full_name="Bùi T. Xuân", phone="+84 911 111 111"),
    ])  # fmt: skip

    result = preview(event, file)

    assert [(row.action, row.ref.get("duplicate_of_row")) for row in result.rows] == [("create", None), ("create", None), ("unchanged", 2), ("unchanged", 2)]
    outcome = apply(event, result, organiser)
    assert (outcome["create"], outcome["unchanged"]) == (2, 2)
    assert Person.objects.filter(email="xuan@example.org").count() == 1


def test_two_rows_matching_the_same_known_person_register_them_once(event, organiser):
    known = met(PersonFactory(email="nga@example.org", phone="0922222222"), organiser)

    result = preview(event, upload([person_row(email="nga@example.org"), person_row(phone="0922222222")]), user=organiser)

    assert actions(result) == ["create", "unchanged"]
    assert result.rows[0].ref["person_id"] == known.pk
    assert result.rows[1].ref["duplicate_of_row"] == 2
    assert apply(event, result, organiser)["create"] == 1
    assert event.participations.get().person == known


# Bad files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("participants.csv", "Họ và tên,Giới tính\nNguyễn Thị Hồng,Nữ\n".encode()),
        ("participants.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        ("participants.xlsx", b""),
        ("participants.xlsx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_a_file_that_is_not_an_excel_workbook_gives_a_file_error_not_an_exception(event, name, content):
    result = preview(event, SimpleUploadedFile(name, content))

    assert result.rows == []
    assert result.has_errors
    assert len(result.errors) == 1
    assert result.errors[0].row is None
    assert ".xlsx" in result.errors[0].reason


def test_a_workbook_without_the_templates_header_row_gives_a_file_error(event):
    result = preview(event, upload([["Nguyễn Thị Hồng", "Nữ"]], headers=["Tên", "Giới"], sheet="Sheet1"))

    assert result.rows == []
    [error] = result.errors
    assert (error.sheet, error.row) == ("Sheet1", 1)
    assert "Họ và tên" in error.reason and "Khối, lĩnh vực" in error.reason
    assert "Full name" not in error.reason and "Sector" not in error.reason


def test_a_template_with_no_participants_gives_a_file_error(event):
    result = preview(event, SimpleUploadedFile("mau.xlsx", importing.template_workbook()))

    assert result.rows == []
    assert len(result.errors) == 1


# Keeping the preview between requests ----------------------------------------------------------


def test_preview_survives_a_json_round_trip_and_can_then_be_applied(event, organiser):
    met(PersonFactory(email="nga@example.org"), organiser)
    result = preview(
        event, upload([person_row(full_name="Đặng Văn Ước", phone=912345678, province="Hà Nội"), person_row(email="nga@example.org")]), user=organiser
    )

    restored = Preview.from_dict(json.loads(json.dumps(result.to_dict())))

    assert restored == result
    assert restored.counts == {"create": 2, "change": 0, "unchanged": 0, "error": 0}
    assert apply(event, restored, organiser)["create"] == 2
    assert Person.objects.get(full_name="Đặng Văn Ước").phone == "0912345678"


def test_preview_with_errors_survives_a_json_round_trip(event):
    result = preview(event, upload([person_row(sex="?")]))

    restored = Preview.from_dict(json.loads(json.dumps(result.to_dict())))

    assert restored == result
    assert restored.errors[0].column == "B"
    assert restored.has_errors


def test_match_from_another_organisers_event_is_neither_named_nor_linked(event, organiser):
    stranger = PersonFactory(full_name="Bùi Hồng Phương", email="phuong@example.org", phone="0912345678")
    ParticipationFactory(person=stranger, event=EventFactory())  # an event the organiser does not run
    file = upload([person_row(full_name="Phương B.", email="PHUONG@example.org")])
    with translation.override("en"):
        result = preview(event, file, user=organiser)

    shown = json.dumps(result.to_dict(), ensure_ascii=False)
    assert "Bùi Hồng Phương" not in shown
    assert "0912345678" not in shown
    row = result.rows[0]
    assert (row.action, row.ref.get("person_id")) == ("create", None)
    assert "coordinator" in row.note

    apply(event, result, organiser)
    assert event.participations.get().person != stranger
    assert Person.objects.filter(email__iexact="phuong@example.org").count() == 2  # listed for a coordinator to merge


@pytest.mark.parametrize(
    "written",
    [datetime.datetime(1985, 3, 15), datetime.date(1985, 3, 15), "15/03/1985", "15-03-1985", "15.03.1985", "1985-03-15", "1985", 1985],
)
def test_a_date_or_year_of_birth_in_any_usual_format_gives_the_age_band_at_the_event_and_is_not_kept(event, written):
    row = preview(event, upload([person_row(age_band=written)])).rows[0]
    assert row.action == "create", row.errors
    assert row.values["age_band"] == AgeBand.FROM_35  # 39 or 40 at the event, whichever the day
    assert "1985" not in json.dumps(row.values, default=str)


def test_a_birth_date_in_the_future_is_an_error_in_its_cell(event):
    row = preview(event, upload([person_row(age_band="01/01/2090")])).rows[0]
    assert row.action == "error"
    assert [(error.column, error.row) for error in row.errors] == [(get_column_letter(importing.COLUMNS.index(importing.COLUMNS_BY_KEY["age_band"]) + 1), 2)]


def test_preview_queries_do_not_grow_with_the_rows(event, organiser, django_assert_max_num_queries):
    def file_of(count):
        mine = EventFactory(managers=[organiser])
        for number in range(count):
            ParticipationFactory(event=mine, person=PersonFactory(full_name=f"Người {number}", email=f"known{count}-{number}@example.org"))
        return upload(
            [person_row(full_name=f"Người {n}", email=f"known{count}-{n}@example.org" if n % 2 else f"new{count}-{n}@example.org") for n in range(count)]
        )

    small, large = file_of(3), file_of(40)
    with django_assert_max_num_queries(20) as few:
        preview(event, small, user=organiser)
    with django_assert_max_num_queries(len(few.captured_queries)):
        result = preview(event, large, user=organiser)
    assert [bool(row.ref.get("person_id")) for row in result.rows].count(True) == 20
    assert result.counts["create"] == 40


# Previews kept in the database, applied once ------------------------------------------------------


def stored_preview(event, file, user):
    return import_services.preview_create(importer=importing.ParticipantImporter(user=user, target=event), uploaded=file)[0]


def apply_stored(event, stored, user) -> dict:
    return import_services.preview_apply(importer=importing.ParticipantImporter(user=user, target=event), pk=stored.pk)


def test_a_preview_is_a_database_row_with_the_files_name_hash_and_an_expiry(event, organiser):
    file = upload([person_row(full_name="Lê Văn Tám")], name="danh-sach.xlsx")

    stored = stored_preview(event, file, organiser)

    stored.refresh_from_db()
    assert (stored.uploader, stored.kind, stored.target_id, stored.file_name) == (organiser, "events.participants", event.pk, "danh-sach.xlsx")
    assert len(stored.file_sha256) == 64
    assert stored.expires - stored.created == PREVIEW_LIFETIME
    assert stored.applied_at is None
    assert Preview.from_dict(stored.data).rows[0].values["full_name"] == "Lê Văn Tám"
    assert counts() == (0, 0)


def test_applying_the_same_preview_twice_imports_once(event, organiser):
    stored = stored_preview(event, upload([person_row(full_name="Lê Văn Tám"), person_row(full_name="Ngô Thị Chín")]), organiser)

    assert apply_stored(event, stored, organiser)["create"] == 2
    with translation.override("en"), pytest.raises(ValidationError, match="already imported"):
        apply_stored(event, stored, organiser)

    assert counts() == (2, 2)
    stored.refresh_from_db()
    assert stored.applied_at is not None
    assert stored.data["rows"] == []  # names and contacts are not kept once applied


def test_two_tabs_each_apply_their_own_file(event, organiser):
    first = stored_preview(event, upload([person_row(full_name="Người Tab Một")]), organiser)
    second = stored_preview(event, upload([person_row(full_name="Người Tab Hai"), person_row(full_name="Người Tab Ba")]), organiser)

    apply_stored(event, second, organiser)
    assert sorted(event.participations.values_list("person__full_name", flat=True)) == ["Người Tab Ba", "Người Tab Hai"]
    apply_stored(event, first, organiser)
    assert sorted(event.participations.values_list("person__full_name", flat=True)) == ["Người Tab Ba", "Người Tab Hai", "Người Tab Một"]


def test_only_the_uploader_may_apply_a_preview_and_only_into_its_event(event, organiser, reference_data):
    stored = stored_preview(event, upload([person_row()]), organiser)
    colleague = UserFactory(username="colleague")
    event.managers.add(colleague)
    other_event = EventFactory(managers=[organiser])

    with pytest.raises(ValidationError):
        apply_stored(event, stored, colleague)
    with pytest.raises(ValidationError):
        apply_stored(other_event, stored, organiser)
    with pytest.raises(ValidationError):
        import_services.preview_apply(importer=importing.ScoresImporter(user=organiser, target=event), pk=stored.pk)
    assert counts() == (0, 0)


def test_an_expired_preview_is_refused_and_purged(event, organiser):
    stored = stored_preview(event, upload([person_row()]), organiser)
    ImportPreview.objects.filter(pk=stored.pk).update(expires=timezone.now() - datetime.timedelta(seconds=1))

    with translation.override("en"), pytest.raises(ValidationError, match="expired"):
        apply_stored(event, stored, organiser)
    assert counts() == (0, 0)

    assert ImportPreview.objects.purge_expired() == 1
    assert not ImportPreview.objects.exists()


def test_a_preview_with_errors_cannot_be_applied_and_stays_unapplied(event, organiser):
    stored = stored_preview(event, upload([person_row(), person_row(sex="?")]), organiser)

    with pytest.raises(ValidationError):
        apply_stored(event, stored, organiser)
    stored.refresh_from_db()
    assert stored.has_errors and stored.applied_at is None
    assert counts() == (0, 0)


def test_a_failed_apply_leaves_the_preview_unapplied(event, organiser):
    known = met(PersonFactory(full_name="Hoàng Thị Nga", email="nga@example.org"), organiser)
    stored = stored_preview(event, upload([person_row(full_name="Người Mới"), person_row(email="nga@example.org")]), organiser)
    ParticipationFactory(event=event, person=known)  # registered meanwhile: a clash

    with pytest.raises(ValidationError):
        apply_stored(event, stored, organiser)
    stored.refresh_from_db()
    assert stored.applied_at is None
    assert not Person.objects.filter(full_name="Người Mới").exists()


def test_the_same_file_imported_twice_registers_people_without_contacts_once(event, organiser):
    rows = [
        person_row(full_name="Nguyễn Thị Hương", organisation="MOFA"),
        person_row(full_name="Trần Văn Nam", sex="Nam", organisation="Hội LHPN xã Tân Lập"),
        person_row(full_name="Trần Văn Nam", sex="Nam", organisation="Công ty Bình Minh"),  # another man of the same name
    ]
    apply_stored(event, stored_preview(event, upload(rows), organiser), organiser)
    assert counts() == (3, 3)

    with translation.override("en"):
        again = stored_preview(event, upload(rows), organiser)
    preview_again = Preview.from_dict(again.data)

    assert actions(preview_again) == ["unchanged", "unchanged", "unchanged"]
    assert "already registered" in preview_again.rows[0].note
    assert not preview_again.applicable
    assert apply_stored(event, again, organiser)["create"] == 0
    assert counts() == (3, 3)


def test_the_same_name_typed_differently_is_still_the_same_person(event, organiser):
    apply(event, preview(event, upload([person_row(full_name="Nguyễn Thị Hương", organisation="Hội LHPN xã Tân Lập")])), organiser)

    decomposed = unicodedata.normalize("NFD", "NGUYỄN THỊ  HƯƠNG")
    result = preview(event, upload([person_row(full_name=decomposed, organisation="hội lhpn xã tân lập")]))

    assert actions(result) == ["unchanged"]


def test_an_organisation_typed_without_diacritics_is_the_registered_one_in_the_preview_as_when_applying(event, organiser):
    registered = ParticipationFactory(event=event, person=PersonFactory(full_name="Nguyễn Thị Hương"), organisation_name="Hội Phụ nữ xã Tân Lập")

    result = preview(event, upload([person_row(full_name="Nguyen Thi Huong", organisation="Hoi Phu nu xa Tan Lap")]))

    assert actions(result) == ["unchanged"]
    assert result.rows[0].ref["person_id"] == registered.person_id
    before = counts()
    assert (apply(event, result, organiser)["create"], counts()) == (0, before)


def test_a_registration_made_between_the_preview_and_applying_is_counted_as_unchanged_not_created(event, organiser):
    result = preview(event, upload([person_row(full_name="Nguyen Thi Huong", organisation="Hoi Phu nu xa Tan Lap"), person_row(full_name="Người Mới")]))
    assert actions(result) == ["create", "create"]
    ParticipationFactory(event=event, person=PersonFactory(full_name="Nguyễn Thị Hương"), organisation_name="Hội Phụ nữ xã Tân Lập")
    before = counts()

    outcome = apply(event, result, organiser)

    assert (outcome["create"], outcome["unchanged"]) == (1, 1)
    assert counts() == (before[0] + 1, before[1] + 1)


def test_the_same_name_with_a_different_email_is_another_person(event, organiser):
    apply(event, preview(event, upload([person_row(full_name="Nguyễn Thị Hương", email="huong1@example.org")])), organiser)

    result = preview(event, upload([person_row(full_name="Nguyễn Thị Hương", email="huong2@example.org"), person_row(full_name="Nguyễn Thị Hương")]))

    assert actions(result) == ["create", "unchanged"]


def test_the_same_name_and_organisation_twice_in_one_file_without_contacts_is_registered_once(event):
    result = preview(event, upload([person_row(full_name="Phạm Thị Hoa", organisation="MOFA"), person_row(full_name="Phạm Thị Hoa", organisation="MOFA")]))

    assert actions(result) == ["create", "unchanged"]
    assert result.rows[1].ref["duplicate_of_row"] == 2


def test_washington_group_answers_are_imported_with_the_person(event, organiser):
    result = preview(event, upload([person_row(full_name="Vũ Thị Lụa", wg_seeing="Rất khó khăn", wg_walking=1, wg_hearing="Some difficulty")]))

    assert result.errors == []
    apply(event, result, organiser)
    person = Person.objects.get(full_name="Vũ Thị Lụa")
    assert (person.wg_seeing, person.wg_hearing, person.wg_walking, person.wg_cognition) == (3, 2, 1, None)
    assert person.has_disability is True


# The page ------------------------------------------------------------------------------------------


def test_the_page_previews_then_applies_the_preview_it_showed_once(event, organiser, client):
    client.force_login(organiser)
    url = reverse("events:participant-import", args=[event.pk])

    page = client.post(url, {"file": upload([person_row(full_name="Đỗ Thị Hạnh")])})
    stored = page.context["stored"]
    assert f'name="preview" value="{stored.pk}"' in page.content.decode()
    response = client.post(reverse("events:participant-import-apply", args=[event.pk]), {"preview": stored.pk})
    assert response["Location"] == reverse("events:participant-list", args=[event.pk])
    again = client.post(reverse("events:participant-import-apply", args=[event.pk]), {"preview": stored.pk})

    assert again["Location"] == url
    assert counts() == (1, 1)
    for bad in ("", "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert client.post(reverse("events:participant-import-apply", args=[event.pk]), {"preview": bad})["Location"] == url


def test_a_bomb_workbook_gets_a_message_on_the_page_not_a_stuck_server(event, organiser, client):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Participants"
    workbook.active.append(HEADERS)
    content = io.BytesIO()
    workbook.save(content)
    rows = "".join(f'<row r="{number}">' + "<c/>" * 2000 + "</row>" for number in range(2, 302))  # 600 000 empty cells
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content.getvalue())) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, sheet if member.filename == "xl/worksheets/sheet1.xml" else source.read(member))
    client.force_login(organiser)

    with translation.override("en"):
        page = client.post(reverse("events:participant-import", args=[event.pk]), {"file": SimpleUploadedFile("bomb.xlsx", bomb.getvalue())})

    assert page.status_code == 200
    assert page.context["preview"].rows == []
    assert "more than 400.000 cells" in page.content.decode()
    assert 'name="preview"' not in page.content.decode()


def test_the_vietnamese_preview_is_in_vietnamese(event, organiser, client):
    client.force_login(organiser)

    with translation.override("vi"):
        page = client.post(reverse("events:participant-import", args=[event.pk]), {"file": upload([person_row(full_name="Đỗ Thị Hạnh")])})

    html = page.content.decode()
    assert "dòng thêm mới" in html and "Người mới" in html and "chỉ áp dụng được một lần" in html
    for english in ("to add", "New person", "Apply the import", "can be applied once"):
        assert english not in html
