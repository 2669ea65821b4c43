"""Import an event's participants from a spreadsheet: a template, a preview, then all or nothing.

`template_workbook()` is the .xlsx to fill in. `preview(event, file)` reads a filled-in copy without
saving anything: every row is cleaned and checked, and said to be new ("create"), someone already in
the portal ("match", found by e-mail or phone), a "duplicate" (already registered for the event, or
twice in the file) or an "error", each error with its sheet, row, column and reason. The preview is
plain data (`to_dict` / `from_dict`), so a view can keep it in the session until the user confirms;
`apply(event, preview, user)` then registers everyone through `services.participant_register` in
one transaction, or refuses when the preview has errors.

Test scores and evaluation forms come in the same way. `scores_preview(event, file)` reads the
participant list that `exports.participant_list` writes, with its pre-test and post-test columns filled
in (a blank cell leaves a score as it is); `feedback_preview(event, file)` reads evaluation forms typed
into `feedback_template()`. `scores_apply` and `feedback_apply` then write through
`services.scores_record` and `services.feedback_record`, all or nothing.
"""

import datetime
import io
import os
import re
import unicodedata
import warnings
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

import openpyxl
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from planning.models import Organisation, OrganisationType, Province

from . import exports, selectors, services
from .models import AgeBand, Event, Feedback, Participation, Person, Role, Sector, Sex, contact_keys, normalise_phone

SHEET = "Participants"
GUIDE_SHEET = "Hướng dẫn (Guide)"
MAX_ROWS = 2000  # participants per file; a bigger event imports in several files
TEMPLATE_ROWS = 500  # rows of the template that carry the phone format and the dropdowns

CREATE, MATCH, DUPLICATE, ERROR = "create", "match", "duplicate", "error"


@dataclass(frozen=True)
class Column:
    key: str
    header_vi: str
    header_en: str
    guide_vi: str
    guide_en: str
    required: bool = False
    width: int = 18

    @property
    def header(self) -> str:
        return f"{self.header_vi} ({self.header_en})"


CONSENT_GUIDE_VI = "Có hoặc không (có, không, x, 1, 0). Để trống là không."
CONSENT_GUIDE_EN = "Yes or no (yes, no, x, 1, 0). Blank means no."

COLUMNS = (
    Column("full_name", "Họ và tên", "Full name", "Họ và tên đầy đủ, có dấu.", "Full name, with its Vietnamese diacritics.", required=True, width=28),
    Column("sex", "Giới tính", "Sex", "Nữ, Nam hoặc Khác.", "Female, male or other (Nữ, Nam, Khác).", required=True, width=12),
    Column(
        "age_band", "Nhóm tuổi", "Age band",
        "Một nhóm tuổi trong danh sách, số tuổi, hoặc ngày sinh (15/03/1985, 1985-03-15) hay năm sinh: chỉ dùng để tính nhóm tuổi, không lưu.",
        "One of the age bands listed, the age in years, or the date of birth (15/03/1985, 1985-03-15) or year of birth: used only to work out the age band, never stored.",
        width=14,
    ),
    Column("email", "Thư điện tử", "E-mail", "Dùng để nhận ra người đã có trong hệ thống.", "Used to recognise people already in the portal.", width=28),
    Column(
        "phone", "Số điện thoại", "Phone",
        "Cột định dạng văn bản để giữ số 0 ở đầu; +84 được đọc là 0. Dùng để nhận ra người đã có trong hệ thống.",
        "Formatted as text so the leading 0 stays; +84 is read as 0. Used to recognise people already in the portal.",
        width=16,
    ),
    Column("organisation", "Cơ quan, tổ chức", "Organisation", "Tên, tên viết tắt hoặc mã của cơ quan, tổ chức.", "Name, acronym or code of the organisation.", width=30),
    Column(
        "organisation_type", "Loại hình tổ chức", "Organisation type",
        "Mã IATI (10, 21, 22...) hoặc tên loại hình trong danh sách. Để trống: theo cơ quan nếu cơ quan có trong hệ thống.",
        "IATI code (10, 21, 22...) or a type from the list. Blank: the organisation's own type when it is in the portal.",
        width=22,
    ),
    Column("sector", "Khối, lĩnh vực", "Sector", "Chọn trong danh sách (hoặc ghi mã).", "Choose from the list (or write the code).", required=True, width=24),
    Column("position", "Chức vụ", "Position", "Chức vụ, vị trí công tác.", "Job title.", width=22),
    Column(
        "province", "Tỉnh, thành phố", "Province",
        "Mã Tổng cục Thống kê (01, 79...) hoặc tên tỉnh, thành phố như tại ngày đầu tiên của sự kiện.",
        "Statistics office code (01, 79...) or name of the province as it was on the event's first day.",
        width=18,
    ),
    Column("role", "Vai trò", "Role", "Để trống là người tham dự.", "Blank means participant.", width=16),
    Column("consent_data", "Đồng ý xử lý dữ liệu", "Consent to data processing", CONSENT_GUIDE_VI, CONSENT_GUIDE_EN, width=16),
    Column("consent_photos", "Đồng ý chụp ảnh", "Consent to photos", CONSENT_GUIDE_VI, CONSENT_GUIDE_EN, width=16),
    Column("consent_follow_up", "Đồng ý liên hệ sau sự kiện", "Consent to follow-up", CONSENT_GUIDE_VI, CONSENT_GUIDE_EN, width=16),
    Column(
        "accessibility_needs", "Nhu cầu hỗ trợ tiếp cận", "Accessibility needs",
        "Ví dụ: phiên dịch ngôn ngữ ký hiệu, lối đi cho xe lăn.", "For example: sign-language interpretation, wheelchair access.",
        width=30,
    ),
)  # fmt: skip
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
PERSON_FIELDS = ("full_name", "sex", "age_band", "email", "phone")
PARTICIPATION_FIELDS = (
    "organisation", "organisation_name", "organisation_type", "sector", "position", "province", "role",
    "consent_data", "consent_photos", "consent_follow_up", "accessibility_needs",
)  # fmt: skip

SEX_WORDS = {"nữ": Sex.FEMALE, "nam": Sex.MALE, "khác": Sex.OTHER, "female": Sex.FEMALE, "male": Sex.MALE, "other": Sex.OTHER}
YES_WORDS = {"có", "co", "c", "yes", "y", "x", "1", "true", "đồng ý", "dong y"}
NO_WORDS = {"không", "khong", "k", "no", "n", "0", "false", "không đồng ý"}
PROVINCE_PREFIXES = ("thành phố ", "tp. ", "tp.", "tp ", "tỉnh ", "province of ", "city of ")


# The preview --------------------------------------------------------------------------------------


@dataclass
class CellError:
    """Why a cell (or, with no row, the whole file) cannot be imported."""

    reason: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the column's letter, as Excel shows it
    header: str = ""

    def __str__(self):
        if self.row is None:
            return self.reason
        return f"{self.sheet}!{self.column}{self.row} ({self.header}): {self.reason}"


@dataclass
class RowPreview:
    """One row of the file, cleaned. `values` are ready for the services (ids for provinces and
    organisations); `display` is the same row as a person reads it."""

    sheet: str
    row: int  # Excel's row number; the header is row 1
    action: str = CREATE  # CREATE, MATCH, DUPLICATE or ERROR
    values: dict = field(default_factory=dict)
    display: dict = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    person_id: int | None = None  # the person already in the portal (MATCH, or DUPLICATE of a registered one)
    person_name: str = ""
    duplicate_of_row: int | None = None  # DUPLICATE of an earlier row of the file
    note: str = ""  # who was matched, or why the row is a duplicate

    @classmethod
    def from_dict(cls, data: dict) -> "RowPreview":
        return cls(**{**data, "errors": [CellError(**error) for error in data.get("errors", [])]})


@dataclass
class ImportPreview:
    """What importing a file would do. `new`, `matched`, `duplicate` and `error` count rows."""

    event_id: int | None
    filename: str = ""
    sheet: str = ""
    rows: list[RowPreview] = field(default_factory=list)
    file_errors: list[CellError] = field(default_factory=list)

    @property
    def errors(self) -> list[CellError]:
        """Every error: the file's, then each row's in order."""
        return [*self.file_errors, *(error for row in self.rows for error in row.errors)]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def new(self) -> int:
        return self._count(CREATE)

    @property
    def matched(self) -> int:
        return self._count(MATCH)

    @property
    def duplicate(self) -> int:
        return self._count(DUPLICATE)

    @property
    def error(self) -> int:
        return self._count(ERROR)

    def to_dict(self) -> dict:
        """JSON-serialisable (for the session); the counts are included for templates and ignored back."""
        return {**asdict(self), "counts": {"new": self.new, "matched": self.matched, "duplicate": self.duplicate, "error": self.error}}

    @classmethod
    def from_dict(cls, data: dict) -> "ImportPreview":
        return cls(
            event_id=data["event_id"], filename=data.get("filename", ""), sheet=data.get("sheet", ""),
            rows=[RowPreview.from_dict(row) for row in data.get("rows", [])],
            file_errors=[CellError(**error) for error in data.get("file_errors", [])],
        )  # fmt: skip


@dataclass
class ImportResult:
    created: int = 0  # new people
    matched: int = 0  # people already in the portal, now registered
    registered: int = 0  # participations created: created + matched
    skipped: int = 0  # duplicate rows left out
    skipped_rows: list[int] = field(default_factory=list)


# Cleaning cells -----------------------------------------------------------------------------------


def text(value) -> str:
    """A cell as text: NFC (so diacritics typed decomposed compare equal), spaces collapsed, numbers
    without a spurious '.0', dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float | Decimal):
        if value == int(value):
            return str(int(value))
        return format(value, "f").rstrip("0")
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}" if value.time() == datetime.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def _key(value) -> str:
    """How values are compared: case, dash style and spacing do not matter, diacritics do."""
    key = text(value).casefold().replace("–", "-").replace("—", "-")
    return re.sub(r"\s*-\s*", "-", key).strip(" .*")


def _labels(label) -> tuple[str, str]:
    with translation.override("vi"):
        vi = str(label)
    with translation.override("en"):
        en = str(label)
    return vi, en


def choice_label(label) -> str:
    """A choice as the template lists it: 'Vietnamese (English)', or one label until it is translated."""
    vi, en = _labels(label)
    return vi if vi == en else f"{vi} ({en})"


def _choice_lookup(choices, extra: dict | None = None) -> dict:
    """Every way a choice may be written: its code, its label in either language, both together
    and, for numbered choices, 'code label' (as the dropdown of organisation types has it)."""
    lookup = {}
    for value, label in choices.choices:
        numbered = (f"{value} {choice_label(label)}",) if isinstance(value, int) else ()
        for name in (str(value), *_labels(label), choice_label(label), *numbered):
            lookup.setdefault(_key(name), value)
    for name, value in (extra or {}).items():
        lookup.setdefault(_key(name), value)
    return lookup


BIRTH_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")


def _birth_date(value) -> datetime.date | None:
    """A date of birth however it was typed: an Excel date, dd/mm/yyyy (Vietnamese order), yyyy-mm-dd, or a year alone."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    written = text(value)
    if re.fullmatch(r"(19|20)\d\d", written):
        return datetime.date(int(written), 7, 1)  # a year alone: mid-year
    for pattern in BIRTH_DATE_FORMATS:
        try:
            return datetime.datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    return None


def _age_band(age: int) -> str:
    if age < 25:
        return AgeBand.UNDER_25
    if age < 35:
        return AgeBand.FROM_25
    if age < 45:
        return AgeBand.FROM_35
    if age < 55:
        return AgeBand.FROM_45
    return AgeBand.FROM_55


def _phone(value) -> tuple[str, str | None]:
    """(digits, error). A number typed into Excel loses its leading zero: 912345678 is 0912345678."""
    if isinstance(value, datetime.date | datetime.time):
        return "", _("This is a date, not a phone number.")
    raw = text(value)
    if not raw:
        return "", None
    if re.search(r"[^\d\s+\-.()/]", raw):
        return "", _("A phone number has only digits (and +, spaces, dots or dashes).")
    digits = normalise_phone(raw)
    if len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    if not 10 <= len(digits) <= 15:
        return "", _("A phone number has 10 to 15 digits; give one number per row.")
    return digits, None


def _yes_no(value) -> bool | None:
    if isinstance(value, bool):
        return value
    key = _key(value)
    if key in YES_WORDS:
        return True
    if key in NO_WORDS or not key:
        return False
    return None


# Reading the file ----------------------------------------------------------------------------------


class FileProblem(Exception):
    pass


def _header_lookup() -> dict:
    lookup = {}
    for column in COLUMNS:
        for name in (column.header, column.header_vi, column.header_en, column.key):
            lookup[_key(name)] = column.key
    return lookup


def _read_sheet(uploaded_file) -> tuple[str, list, list[tuple[int, tuple]]]:
    """(sheet name, header row, [(row number, values)]) of the participants sheet; empty rows left out."""
    source = uploaded_file
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    elif hasattr(source, "seek"):
        source.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # a wrong file fails in zipfile, lxml or openpyxl, each its own way
        raise FileProblem(_("This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it again.")) from exc
    try:
        names = {name.casefold(): name for name in workbook.sheetnames}
        candidates = [name for name in workbook.sheetnames if name != GUIDE_SHEET]
        name = names.get(SHEET.casefold()) or (candidates[0] if candidates else None)
        if name is None:
            raise FileProblem(_("The workbook has no sheet of participants."))
        worksheet = workbook[name]
        worksheet.reset_dimensions()  # some programs write a wrong sheet size: read every row there is
        header, rows = [], []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number == 1:
                header = list(values)
            elif any(text(value) for value in values):
                rows.append((number, tuple(values)))
                if len(rows) > MAX_ROWS:
                    raise FileProblem(_("The file has more than %(max)s participants: split it into several files.") % {"max": MAX_ROWS})
        return name, header, rows
    except FileProblem:
        raise
    except Exception as exc:
        raise FileProblem(_("The workbook could not be read: it may be damaged. Save it again as .xlsx and upload it again.")) from exc
    finally:
        workbook.close()


def _positions(header: list) -> dict[str, int]:
    """Which field each column holds, by its header (in Vietnamese, English or both, any order)."""
    lookup = _header_lookup()
    positions = {}
    for index, title in enumerate(header):
        key = lookup.get(_key(title))
        if key and key not in positions:
            positions[key] = index
    return positions


# Checking rows -------------------------------------------------------------------------------------


class _Checker:
    """What the rows are checked against: the event's day, provinces and organisations of that day,
    the people already registered. Loaded once per file."""

    def __init__(self, event: Event, sheet: str, positions: dict[str, int], user=None):
        self.event = event
        self.user = user
        self.day = event.start_date
        self.sheet = sheet
        self.positions = positions
        self.sex = _choice_lookup(Sex, SEX_WORDS)
        self.age_bands = _choice_lookup(AgeBand)
        self.sectors = _choice_lookup(Sector)
        self.roles = _choice_lookup(Role)
        self.organisation_types = _choice_lookup(OrganisationType)
        self.provinces = self._province_lookup(Province.objects.valid_on(self.day))
        self.all_provinces: dict[str, list[Province]] | None = None
        self.organisations = self._organisation_lookup(Organisation.objects.active_on(self.day))
        self.registered = set(Participation.objects.filter(event=event).values_list("person_id", flat=True))
        self.seen: dict[str, int] = {}  # e-mail or phone -> first row that had it
        self.seen_people: dict[int, int] = {}  # person id -> first row that matched them
        self.people_by_contact: dict[str, list[Person]] = {}  # "email:…" or "phone:…" -> people already in the portal
        self.visible_people: set[int] = set()  # which of them the user may see by name

    @staticmethod
    def _province_keys(name: str) -> set[str]:
        key = _key(name)
        keys = {key}
        for prefix in PROVINCE_PREFIXES:
            if key.startswith(prefix):
                keys.add(key[len(prefix) :].strip())
        return keys

    def _province_lookup(self, provinces) -> dict[str, list[Province]]:
        lookup: dict[str, list[Province]] = {}
        for province in provinces:
            for key in {province.code, *self._province_keys(province.name_vi), *self._province_keys(province.name_en or province.name_vi)}:
                lookup.setdefault(key, []).append(province)
        return lookup

    @staticmethod
    def _organisation_lookup(organisations) -> dict[str, list[Organisation]]:
        lookup: dict[str, list[Organisation]] = {}
        for organisation in organisations:
            for name in {organisation.code, organisation.acronym, organisation.name_vi, organisation.name_en}:
                if name:
                    lookup.setdefault(_key(name), []).append(organisation)
        return lookup

    def check(self, number: int, values: tuple) -> RowPreview:
        row = RowPreview(sheet=self.sheet, row=number)

        def cell(key):
            position = self.positions.get(key)
            return values[position] if position is not None and position < len(values) else None

        def fail(key, reason):
            position = self.positions.get(key)
            letter = get_column_letter(position + 1) if position is not None else ""
            row.errors.append(CellError(reason=reason, sheet=self.sheet, row=number, column=letter, header=COLUMNS_BY_KEY[key].header))

        def choice(key, lookup, labels, *, default=""):
            written = text(cell(key))
            if not written:
                if COLUMNS_BY_KEY[key].required:
                    fail(key, _("This column is required."))
                return default
            value = lookup.get(_key(written))
            if value is None:
                fail(key, _("“%(value)s” is not one of: %(choices)s.") % {"value": written, "choices": labels})
                return default
            return value

        clean = row.values
        display = row.display

        # The person
        clean["full_name"] = text(cell("full_name"))
        if not clean["full_name"]:
            fail("full_name", _("This column is required."))
        clean["sex"] = choice("sex", self.sex, "Nữ, Nam, Khác")
        clean["age_band"] = self._age_band(cell("age_band"), fail)
        clean["email"] = text(cell("email"))
        if clean["email"]:
            try:
                validate_email(clean["email"])
            except ValidationError:
                fail("email", _("“%(value)s” is not an e-mail address.") % {"value": clean["email"]})
                clean["email"] = ""
        clean["phone"], problem = _phone(cell("phone"))
        if problem:
            fail("phone", problem)

        # Who they were at the event
        self._organisation(cell("organisation"), cell("organisation_type"), clean, display, fail)
        clean["sector"] = choice("sector", self.sectors, ", ".join(choice_label(label) for label in Sector.labels))
        clean["position"] = text(cell("position"))
        clean["province"] = self._province(cell("province"), display, fail)
        clean["role"] = choice("role", self.roles, ", ".join(choice_label(label) for label in Role.labels), default=Role.PARTICIPANT)
        for key in ("consent_data", "consent_photos", "consent_follow_up"):
            clean[key] = _yes_no(cell(key))
            if clean[key] is None:
                fail(key, _("Write “có” or “không” (yes or no)."))
                clean[key] = False
        clean["accessibility_needs"] = text(cell("accessibility_needs"))

        for key, model, name in (
            ("full_name", Person, "full_name"), ("email", Person, "email"), ("phone", Person, "phone"), ("position", Participation, "position"),
            ("organisation", Participation, "organisation_name"), ("accessibility_needs", Participation, "accessibility_needs"),
        ):  # fmt: skip
            limit = model._meta.get_field(name).max_length
            if len(clean[name]) > limit:
                fail(key, _("At most %(limit)s characters.") % {"limit": limit})

        for key in (*PERSON_FIELDS, "sector", "position", "role", "accessibility_needs"):
            display.setdefault(key, str(clean[key]))
        display["sex"] = str(Sex(clean["sex"]).label) if clean["sex"] else ""
        display["age_band"] = str(AgeBand(clean["age_band"]).label) if clean["age_band"] else ""
        display["sector"] = str(Sector(clean["sector"]).label) if clean["sector"] else ""
        display["role"] = str(Role(clean["role"]).label)
        for key in ("consent_data", "consent_photos", "consent_follow_up"):
            display[key] = _("yes") if clean[key] else _("no")

        if row.errors:
            row.action = ERROR
        return row

    def _age_band(self, value, fail) -> str:
        written = text(value)
        if not written:
            return ""
        born = _birth_date(value)
        if born is not None:  # a date or year of birth: only its age band at the event is kept
            age = self.day.year - born.year - ((self.day.month, self.day.day) < (born.month, born.day))
            if not 0 < age <= 120:
                fail("age_band", _("%(value)s is not a date of birth.") % {"value": written})
                return ""
            return _age_band(age)
        if re.fullmatch(r"\d{1,3}", written):  # an age in years
            age = int(written)
            if age > 120:
                fail("age_band", _("%(age)s is not an age.") % {"age": age})
                return ""
            return _age_band(age)
        band = self.age_bands.get(_key(written))
        if band is None:
            choices = ", ".join(choice_label(label) for label in AgeBand.labels)
            fail("age_band", _("“%(value)s” is not one of: %(choices)s.") % {"value": written, "choices": choices})
            return ""
        return band

    def _organisation(self, name_value, type_value, clean, display, fail) -> None:
        """An organisation the portal knows (by code, acronym or name) is linked; any other is kept as written."""
        written = text(name_value)
        found = self.organisations.get(_key(written), []) if written else []
        organisation = found[0] if len({o.pk for o in found}) == 1 else None
        clean["organisation"] = organisation.pk if organisation else None
        clean["organisation_name"] = "" if organisation else written
        display["organisation"] = str(organisation.name) if organisation else written

        type_written = text(type_value)
        clean["organisation_type"] = organisation.type if organisation else None
        if type_written:
            organisation_type = self.organisation_types.get(_key(type_written))
            if organisation_type is None:
                choices = ", ".join(f"{value} {choice_label(label)}" for value, label in OrganisationType.choices)
                fail("organisation_type", _("Unknown organisation type “%(value)s”: use one of %(choices)s.") % {"value": type_written, "choices": choices})
            else:
                clean["organisation_type"] = organisation_type
        display["organisation_type"] = str(OrganisationType(clean["organisation_type"]).label) if clean["organisation_type"] else ""

    def _province_candidates(self, written: str) -> set[str]:
        keys = self._province_keys(written)
        code = re.fullmatch(r"(?:.*\()?\s*(\d{1,2})\s*\)?", written)  # "1", "01" or "Hà Nội (01)"
        if code:
            keys.add(code.group(1).zfill(2))
        return keys

    def _province(self, value, display, fail) -> int | None:
        written = text(value)
        display["province"] = ""
        if not written:
            return None
        keys = self._province_candidates(written)
        found = {province.pk: province for key in keys for province in self.provinces.get(key, [])}
        if len(found) == 1:
            province = next(iter(found.values()))
            display["province"] = f"{province.name} ({province.code})"
            return province.pk
        day = self.day.strftime("%d/%m/%Y")
        if len(found) > 1:
            fail("province", _("“%(value)s” names several provinces: give the statistics office code.") % {"value": written})
            return None
        if self.all_provinces is None:  # only when a row names a province of another time
            self.all_provinces = self._province_lookup(Province.objects.prefetch_related("successors"))
        elsewhere = {province.pk: province for key in keys for province in self.all_provinces.get(key, [])}
        if not elsewhere:
            fail("province", _("Unknown province “%(value)s”: give the statistics office code or the name.") % {"value": written})
            return None
        province = next(iter(elsewhere.values()))
        if province.valid_from and province.valid_from > self.day:
            fail("province", _("%(province)s did not exist yet on %(day)s, the event's first day.") % {"province": province.name, "day": day})
        else:
            successors = ", ".join(str(successor.name) for successor in province.successors.all())
            reason = _("%(province)s no longer existed on %(day)s, the event's first day.") % {"province": province.name, "day": day}
            if successors:
                reason += " " + _("It became %(successors)s.") % {"successors": successors}
            fail("province", reason)
        return None

    def find_people(self, rows: list[RowPreview]) -> None:
        """Say of every row without errors who it is (see `_find_person`), with two queries for the whole file."""
        rows = [row for row in rows if row.action != ERROR]
        self.people_by_contact = selectors.people_by_contact(key for row in rows for key in contact_keys(email=row.values["email"], phone=row.values["phone"]))
        self.visible_people = selectors.people_visible_to(self.user, {person for people in self.people_by_contact.values() for person in people})
        for row in rows:
            self._find_person(row)

    def _find_person(self, row: RowPreview) -> None:
        """Same person twice in the file, already registered, someone the user has met, or new.

        Someone only another organiser has met is neither named nor linked: the row adds a new
        record, which a coordinator can merge with theirs (events:people-duplicates).
        """
        clean = row.values
        keys = contact_keys(email=clean["email"], phone=clean["phone"])
        earlier = next((self.seen[key] for key in keys if key in self.seen), None)
        for key in keys:
            self.seen.setdefault(key, row.row)
        if earlier is not None:
            row.action, row.duplicate_of_row = DUPLICATE, earlier
            row.note = _("Same person as row %(row)s.") % {"row": earlier}
            return
        found = {person.pk: person for key in keys for person in self.people_by_contact.get(key, [])}
        people = [found[pk] for pk in sorted(found)]
        registered = [person for person in people if person.pk in self.registered]
        if registered:
            person = registered[0]
            row.action, row.person_id, row.person_name = DUPLICATE, person.pk, person.full_name
            row.note = _("%(person)s is already registered for this event.") % {"person": person.full_name}
            return
        known = [person for person in people if person.pk in self.visible_people]
        if len(known) > 1:
            names = ", ".join(f"{person.full_name} (#{person.pk})" for person in known)
            key = "email" if clean["email"] else "phone"
            row.errors.append(
                CellError(
                    reason=_("The e-mail and phone match several people in the portal (%(people)s): a coordinator merges them first.") % {"people": names},
                    sheet=self.sheet, row=row.row, column=get_column_letter(self.positions[key] + 1), header=COLUMNS_BY_KEY[key].header,
                )
            )  # fmt: skip
            row.action = ERROR
            return
        if known:
            person = known[0]
            if person.pk in self.seen_people:
                earlier = self.seen_people[person.pk]
                row.action, row.duplicate_of_row, row.person_id, row.person_name = DUPLICATE, earlier, person.pk, person.full_name
                row.note = _("Same person as row %(row)s.") % {"row": earlier}
                return
            self.seen_people[person.pk] = row.row
            row.action, row.person_id, row.person_name = MATCH, person.pk, person.full_name
            contact = " · ".join(value for value in (person.email, person.phone) if value)
            row.note = _("Already in the portal: %(person)s (%(contact)s).") % {"person": person.full_name, "contact": contact}
        elif people:
            row.note = _("Someone at another organiser's event has this e-mail or phone: added as a new record, which a coordinator can merge with theirs.")


# The three entry points ----------------------------------------------------------------------------


def preview(event: Event, uploaded_file, *, user=None) -> ImportPreview:
    """What importing this file would do, saving nothing. Never raises on a bad file: it says why."""
    result = ImportPreview(event_id=event.pk, filename=os.path.basename(getattr(uploaded_file, "name", "") or ""))
    try:
        sheet, header, rows = _read_sheet(uploaded_file)
    except FileProblem as problem:
        result.file_errors.append(CellError(reason=str(problem)))
        return result
    result.sheet = sheet
    positions = _positions(header)
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        reason = _("Row 1 of sheet “%(sheet)s” lacks the columns %(columns)s: use the template.") % {"sheet": sheet, "columns": ", ".join(missing)}
        result.file_errors.append(CellError(reason=reason, sheet=sheet, row=1))
        return result
    if not rows:
        result.file_errors.append(CellError(reason=_("The sheet “%(sheet)s” has no participants.") % {"sheet": sheet}, sheet=sheet))
        return result
    checker = _Checker(event, sheet, positions, user)
    result.rows = [checker.check(number, values) for number, values in rows]
    checker.find_people(result.rows)
    return result


def apply(event: Event, preview: ImportPreview, user) -> ImportResult:
    """Register everyone of a preview without errors, all or nothing; duplicates are skipped."""
    if preview.has_errors:
        raise ValidationError(_("The file has errors: correct them and upload it again. Nothing was imported."))
    if preview.event_id != event.pk:
        raise ValidationError(_("This preview is of another event's file."))
    services.check_manages(user, event)
    rows = [row for row in preview.rows if row.action in (CREATE, MATCH)]
    provinces = Province.objects.in_bulk({row.values["province"] for row in rows if row.values.get("province")})
    organisations = Organisation.objects.in_bulk({row.values["organisation"] for row in rows if row.values.get("organisation")})
    people = Person.objects.filter(anonymised_on__isnull=True).in_bulk({row.person_id for row in rows if row.action == MATCH})
    result = ImportResult()
    with transaction.atomic():
        for row in preview.rows:
            if row.action == DUPLICATE:
                result.skipped += 1
                result.skipped_rows.append(row.row)
                continue
            values = row.values
            fields = {name: values[name] for name in PARTICIPATION_FIELDS if name not in ("province", "organisation")}
            fields["province"] = provinces.get(values["province"]) if values.get("province") else None
            fields["organisation"] = organisations.get(values["organisation"]) if values.get("organisation") else None
            if (values.get("province") and fields["province"] is None) or (values.get("organisation") and fields["organisation"] is None):
                raise ValidationError(_("Row %(row)s: the data changed since the preview. Upload the file again.") % {"row": row.row})
            try:
                if row.action == MATCH:
                    person = people.get(row.person_id)
                    if person is None:
                        raise ValidationError(_("the person matched in the preview is no longer in the portal. Upload the file again."))
                    services.participant_register(event=event, user=user, person=person, **fields)
                    result.matched += 1
                else:
                    person_fields = {name: values[name] for name in PERSON_FIELDS}
                    services.participant_register(event=event, user=user, person_fields=person_fields, **fields)
                    result.created += 1
            except ValidationError as exc:
                raise ValidationError(_("Row %(row)s: %(reason)s") % {"row": row.row, "reason": " ".join(exc.messages)}) from exc
            result.registered += 1
    return result


# The template --------------------------------------------------------------------------------------


def _choice_lists() -> dict[str, list[str]]:
    """The values each dropdown offers (and the guide lists)."""
    return {
        "sex": ["Nữ", "Nam", "Khác"],
        "age_band": [choice_label(label) for label in AgeBand.labels],
        "organisation_type": [f"{value} {choice_label(label)}" for value, label in OrganisationType.choices],
        "sector": [choice_label(label) for label in Sector.labels],
        "role": [choice_label(label) for label in Role.labels],
        "consent_data": ["có", "không"],
    }


def template_workbook() -> bytes:
    """The .xlsx to fill in: a "Participants" sheet with the header row, and a bilingual guide."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    guide = workbook.create_sheet(GUIDE_SHEET)
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    wrap = Alignment(wrap_text=True, vertical="top")

    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=f"{column.header} *" if column.required else column.header)
        cell.font, cell.alignment = bold, wrap
        cell.fill = required_fill if column.required else header_fill
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 45
    sheet.freeze_panes = "A2"

    phone = get_column_letter(COLUMNS.index(COLUMNS_BY_KEY["phone"]) + 1)
    sheet.column_dimensions[phone].number_format = "@"
    for row in range(2, TEMPLATE_ROWS + 2):
        sheet[f"{phone}{row}"].number_format = "@"  # typed numbers stay text: the leading zero survives

    # The guide: one line per column, then the values the dropdowns offer.
    guide["A1"] = "Hướng dẫn nhập danh sách người tham dự (How to fill in the list of participants)"
    guide["A1"].font = Font(bold=True, size=13)
    guide["A2"] = (
        "Mỗi dòng là một người. Không sửa dòng tiêu đề; các cột có dấu * là bắt buộc; dòng trống được bỏ qua. "
        "Người đã có trong hệ thống được nhận ra theo thư điện tử hoặc số điện thoại. "
        "(One person per row. Do not change the header row; columns marked * are required; empty rows are skipped. "
        "People already in the portal are recognised by their e-mail or phone.)"
    )
    guide["A2"].alignment = wrap
    guide.merge_cells("A2:E2")
    guide.row_dimensions[2].height = 60
    titles = ("Cột (Column)", "Tiêu đề (Header)", "Bắt buộc (Required)", "Hướng dẫn (Vietnamese)", "Guide (English)")
    for index, title in enumerate(titles, start=1):
        guide.cell(row=4, column=index, value=title).font = bold
    for offset, column in enumerate(COLUMNS):
        row = 5 + offset
        guide.cell(row=row, column=1, value=get_column_letter(offset + 1))
        guide.cell(row=row, column=2, value=column.header)
        guide.cell(row=row, column=3, value="Có (Yes)" if column.required else "Không (No)")
        guide.cell(row=row, column=4, value=column.guide_vi).alignment = wrap
        guide.cell(row=row, column=5, value=column.guide_en).alignment = wrap
    for letter, width in zip("ABCDEF", (8, 34, 14, 50, 50, 3), strict=True):
        guide.column_dimensions[letter].width = width

    lists_title = guide.cell(row=4, column=7, value="Giá trị trong danh sách chọn (Values of the dropdowns)")
    lists_title.font = bold
    validations = []
    for offset, (key, values) in enumerate(_choice_lists().items()):
        index = 7 + offset
        letter = get_column_letter(index)
        column = COLUMNS_BY_KEY[key]
        guide.cell(row=5, column=index, value=column.header if key != "consent_data" else "Đồng ý (Consent)").font = bold
        guide.column_dimensions[letter].width = 30
        for row, value in enumerate(values, start=6):
            guide.cell(row=row, column=index, value=value)
        source = f"'{GUIDE_SHEET}'!${letter}$6:${letter}${5 + len(values)}"
        targets = ["consent_data", "consent_photos", "consent_follow_up"] if key == "consent_data" else [key]
        validation = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning", showErrorMessage=True)
        validation.error = "Giá trị không có trong danh sách. (This value is not in the list.)"
        for target in targets:
            target_letter = get_column_letter(COLUMNS.index(COLUMNS_BY_KEY[target]) + 1)
            validation.add(f"{target_letter}2:{target_letter}{TEMPLATE_ROWS + 1}")
        validations.append(validation)
    for validation in validations:
        sheet.add_data_validation(validation)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# Test scores and evaluation forms ------------------------------------------------------------------

UPDATE, UNCHANGED = "update", "unchanged"
FEEDBACK_SHEET = "Phản hồi (Feedback)"
SCORE_STEP = Decimal("0.01")  # a score keeps two decimal places, as Participation stores it
SCORE_KEYS = ("pre_test_score", "post_test_score")
MARK_KEYS = ("satisfaction", "relevance")


@dataclass
class _SheetPreview:
    """What importing one sheet would do: its rows (as RowPreview) and its errors. Plain data, like
    ImportPreview; `COUNTS` names the actions that `to_dict()["counts"]` counts for templates."""

    event_id: int | None
    filename: str = ""
    sheet: str = ""
    rows: list[RowPreview] = field(default_factory=list)
    file_errors: list[CellError] = field(default_factory=list)

    COUNTS: ClassVar[dict[str, str]] = {}

    @property
    def errors(self) -> list[CellError]:
        """Every error: the file's, then each row's in order."""
        return [*self.file_errors, *(error for row in self.rows for error in row.errors)]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def to_dict(self) -> dict:
        """JSON-serialisable (for the session); the counts are included for templates and ignored back."""
        return {**asdict(self), "counts": {name: self.count(action) for name, action in self.COUNTS.items()}}

    @classmethod
    def from_dict(cls, data: dict):
        return cls(
            event_id=data["event_id"], filename=data.get("filename", ""), sheet=data.get("sheet", ""),
            rows=[RowPreview.from_dict(row) for row in data.get("rows", [])],
            file_errors=[CellError(**error) for error in data.get("file_errors", [])],
        )  # fmt: skip


@dataclass
class ScoresPreview(_SheetPreview):
    """Each row is UPDATE (a score changes), UNCHANGED or ERROR. A row's `values` are the
    participation's id and the new scores as text ("85.5"), None where the cell was left blank."""

    COUNTS: ClassVar[dict[str, str]] = {"updated": UPDATE, "unchanged": UNCHANGED, "error": ERROR}

    @property
    def updated(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def error(self) -> int:
        return self.count(ERROR)


@dataclass
class FeedbackPreview(_SheetPreview):
    """Each row is a new evaluation form (CREATE) or an ERROR. A row's `values` are ready for
    `services.feedback_record`, with the participation as an id (or None: an anonymous form)."""

    COUNTS: ClassVar[dict[str, str]] = {"new": CREATE, "error": ERROR}

    @property
    def new(self) -> int:
        return self.count(CREATE)

    @property
    def error(self) -> int:
        return self.count(ERROR)


def _export_headers(language: str) -> dict[str, str]:
    """The headers `exports.participant_list` writes over the ID (its first column) and the scores."""
    with translation.override(language):
        header = exports.participant_header()
        return {
            "id": header[0],
            "pre_test_score": exports.label(Participation, "pre_test_score"),
            "post_test_score": exports.label(Participation, "post_test_score"),
        }


def score_columns() -> tuple[Column, ...]:
    """The columns a scores file needs, as the participant list names them in Vietnamese and English."""
    vi, en = _export_headers("vi"), _export_headers("en")
    return tuple(Column(key, vi[key], en[key], "", "", required=True) for key in ("id", *SCORE_KEYS))


FEEDBACK_COLUMNS = (
    Column(
        "satisfaction", "Mức độ hài lòng", "Satisfaction",
        "Số nguyên từ 1 (rất không hài lòng) đến 5 (rất hài lòng).", "A whole number from 1 (very dissatisfied) to 5 (very satisfied).",
        required=True, width=18,
    ),
    Column(
        "relevance", "Mức độ phù hợp", "Relevance",
        "Số nguyên từ 1 (không phù hợp) đến 5 (rất phù hợp) với công việc của người trả lời.",
        "A whole number from 1 (not relevant) to 5 (very relevant) to the respondent's work.",
        required=True, width=18,
    ),
    Column("comments", "Ý kiến góp ý", "Comments", "Không bắt buộc.", "Optional.", width=60),
    Column(
        "participation", "Mã số", "ID",
        "Không bắt buộc: mã số của người tham dự, như trong danh sách người tham dự tải từ hệ thống. Để trống nếu phiếu không ghi tên.",
        "Optional: the participant's ID, as in the participant list downloaded from the portal. Blank for an anonymous form.",
        width=12,
    ),
)  # fmt: skip


def _lookup(columns, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Header (as _key) -> column key: each column's header in both languages, together or alone."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in (column.header, column.header_vi, column.header_en, column.key):
            lookup.setdefault(_key(name), column.key)
    for name, key in (aliases or {}).items():
        lookup.setdefault(_key(name), key)
    return lookup


def _feedback_lookup() -> dict[str, str]:
    """The template's headers, and also the form's labels and the participant list's ID header."""
    aliases = {name: key for key in ("satisfaction", "relevance", "comments") for name in _labels(Feedback._meta.get_field(key).verbose_name)}
    aliases.update({_export_headers(language)["id"]: "participation" for language in ("vi", "en")})
    return _lookup(FEEDBACK_COLUMNS, aliases)


def _whole_number(value) -> int | None:
    """A whole number written as a number or as text (12, 12.0, "12"); None for anything else."""
    if isinstance(value, bool | datetime.date | datetime.time):
        return None
    written = text(value)
    return int(written) if re.fullmatch(r"\d{1,9}", written) else None


def _score(value) -> tuple[Decimal | None, str | None]:
    """(score, error): a percentage from 0 to 100 rounded to hundredths, None for a blank cell. Text
    such as "85,5" (the Vietnamese decimal comma) or "85%" is read as the number it says."""
    written = text(value)
    if not written:
        return None, None
    not_a_score = _("“%(value)s” is not a score: write a number from 0 to 100.") % {"value": written}
    if isinstance(value, bool | datetime.date | datetime.time):
        return None, not_a_score
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
    else:
        number_text = written.removesuffix("%").strip()
        if re.fullmatch(r"-?\d+,\d{1,2}", number_text):
            number_text = number_text.replace(",", ".")
        if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", number_text):
            return None, not_a_score
        number = Decimal(number_text)
    if not number.is_finite():
        return None, not_a_score
    if not 0 <= number <= 100:
        return None, _("%(value)s is not between 0 and 100.") % {"value": written}
    return number.quantize(SCORE_STEP, rounding=ROUND_HALF_UP), None


def _comment(value) -> str:
    """A comment keeps its line breaks; it is otherwise cleaned like any cell."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
    return text(value)


class _Row:
    """One row being checked: its cells by column key, and errors naming sheet, row, column and header."""

    def __init__(self, sheet: str, number: int, values: tuple, header: list, positions: dict[str, int]):
        self.preview = RowPreview(sheet=sheet, row=number)
        self.values = values
        self.header = header
        self.positions = positions

    def cell(self, key: str):
        position = self.positions.get(key)
        return self.values[position] if position is not None and position < len(self.values) else None

    def fail(self, key: str, reason: str) -> None:
        position = self.positions[key]
        self.preview.errors.append(
            CellError(
                reason=reason, sheet=self.preview.sheet, row=self.preview.row,
                column=get_column_letter(position + 1), header=text(self.header[position]).rstrip(" *"),
            )
        )  # fmt: skip


def _open_sheet(result: _SheetPreview, uploaded_file, columns, lookup: dict[str, str], *, missing: str, empty: str):
    """(header, positions, rows) of the file's sheet, or None once `result.file_errors` says why not.
    `missing` and `empty` are the messages for absent columns and for a sheet without rows."""
    try:
        sheet, header, rows = _read_sheet(uploaded_file)
    except FileProblem as problem:
        result.file_errors.append(CellError(reason=str(problem)))
        return None
    result.sheet = sheet
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        key = lookup.get(_key(title))
        if key and key not in positions:
            positions[key] = index
    absent = [column.header for column in columns if column.required and column.key not in positions]
    if absent:
        result.file_errors.append(CellError(reason=missing % {"sheet": sheet, "columns": ", ".join(absent)}, sheet=sheet))
        return None
    if not rows:
        result.file_errors.append(CellError(reason=empty % {"sheet": sheet}, sheet=sheet))
        return None
    return header, positions, rows


def _participation_id(row: _Row, key: str, participations: dict, seen: dict[int, int]) -> int | None:
    """The id in the row's `key` column when it is a participation of the event not seen on an
    earlier row; None (with an error on the row) otherwise, or when the cell is blank."""
    written = text(row.cell(key))
    if not written:
        return None
    pk = _whole_number(row.cell(key))
    if pk not in participations:
        row.fail(key, _("“%(value)s” is not the ID of a participant of this event: copy it from this event's participant list.") % {"value": written})
        return None
    if pk in seen:
        row.fail(key, _("The ID %(id)s is also on row %(row)s.") % {"id": pk, "row": seen[pk]})
        return None
    seen[pk] = row.preview.row
    return pk


def _applicable(event: Event, preview: _SheetPreview, user) -> None:
    if preview.has_errors:
        raise ValidationError(_("The file has errors: correct them and upload it again. Nothing was imported."))
    if preview.event_id != event.pk:
        raise ValidationError(_("This preview is of another event's file."))
    services.check_manages(user, event)


def _changed_since(row: RowPreview) -> ValidationError:
    return ValidationError(_("Row %(row)s: the data changed since the preview. Upload the file again.") % {"row": row.row})


def scores_preview(event: Event, uploaded_file) -> ScoresPreview:
    """What importing a filled-in participant list would do to the test scores, saving nothing.
    Never raises on a bad file: it says why."""
    result = ScoresPreview(event_id=event.pk, filename=os.path.basename(getattr(uploaded_file, "name", "") or ""))
    columns = score_columns()
    opened = _open_sheet(
        result, uploaded_file, columns, _lookup(columns),
        missing=_("Row 1 of sheet “%(sheet)s” lacks the columns %(columns)s: use the participant list downloaded from this event."),
        empty=_("The sheet “%(sheet)s” has no participants."),
    )  # fmt: skip
    if opened is None:
        return result
    header, positions, rows = opened
    participations = {participation.pk: participation for participation in event.participations.select_related("person")}
    seen: dict[int, int] = {}
    for number, values in rows:
        row = _Row(result.sheet, number, values, header, positions)
        scores = {}
        for key in SCORE_KEYS:
            scores[key], problem = _score(row.cell(key))
            if problem:
                row.fail(key, problem)
        pk = _participation_id(row, "id", participations, seen)
        if not text(row.cell("id")) and any(score is not None for score in scores.values()):
            row.fail("id", _("Without its ID a row cannot be matched to a participant: copy it from this event's participant list."))
        participation = participations.get(pk)
        preview = row.preview
        preview.values = {"participation": pk, **{key: None if score is None else str(score) for key, score in scores.items()}}
        preview.display = {"id": text(row.cell("id")), "name": participation.person.full_name if participation else ""}
        for key, score in scores.items():
            preview.display[key] = text(score)
            preview.display[f"current_{key}"] = text(getattr(participation, key)) if participation else ""
        if preview.errors:
            preview.action = ERROR
        elif participation and any(score is not None and score != getattr(participation, key) for key, score in scores.items()):
            preview.action = UPDATE
        else:
            preview.action = UNCHANGED
            if participation is None:
                preview.note = _("No ID and no score: nothing to import.")
        result.rows.append(preview)
    return result


def scores_apply(event: Event, preview: ScoresPreview, user) -> int:
    """Record the scores of a preview without errors, all or nothing. A blank cell keeps the score
    the participant has now. Returns how many participants' scores changed."""
    _applicable(event, preview, user)
    rows = [row for row in preview.rows if row.action == UPDATE]
    participations = event.participations.in_bulk([row.values["participation"] for row in rows])
    with transaction.atomic():
        for row in rows:
            participation = participations.get(row.values["participation"])
            if participation is None:
                raise _changed_since(row)
            scores = {key: getattr(participation, key) if row.values[key] is None else Decimal(row.values[key]) for key in SCORE_KEYS}
            try:
                services.scores_record(participation=participation, user=user, **scores)
            except ValidationError as exc:
                raise ValidationError(_("Row %(row)s: %(reason)s") % {"row": row.row, "reason": " ".join(exc.messages)}) from exc
    return len(rows)


def feedback_preview(event: Event, uploaded_file) -> FeedbackPreview:
    """What importing a sheet of evaluation forms would record, saving nothing. Never raises on a bad
    file: it says why."""
    result = FeedbackPreview(event_id=event.pk, filename=os.path.basename(getattr(uploaded_file, "name", "") or ""))
    opened = _open_sheet(
        result, uploaded_file, FEEDBACK_COLUMNS, _feedback_lookup(),
        missing=_("Row 1 of sheet “%(sheet)s” lacks the columns %(columns)s: use the template."),
        empty=_("The sheet “%(sheet)s” has no evaluation forms."),
    )  # fmt: skip
    if opened is None:
        return result
    header, positions, rows = opened
    participations = {participation.pk: participation for participation in event.participations.select_related("person")}
    answered = set(Feedback.objects.filter(participation__event=event).values_list("participation_id", flat=True))
    seen: dict[int, int] = {}
    for number, values in rows:
        row = _Row(result.sheet, number, values, header, positions)
        preview = row.preview
        for key in MARK_KEYS:
            written, mark = text(row.cell(key)), _whole_number(row.cell(key))
            if not written:
                row.fail(key, _("This column is required."))
            elif mark is None or not 1 <= mark <= 5:
                row.fail(key, _("“%(value)s” is not a mark: write a whole number from 1 to 5.") % {"value": written})
                mark = None
            preview.values[key] = mark
        preview.values["comments"] = _comment(row.cell("comments"))
        pk = _participation_id(row, "participation", participations, seen) if "participation" in positions else None
        if pk in answered:
            row.fail("participation", _("%(person)s already has an evaluation form.") % {"person": participations[pk].person.full_name})
            pk = None
        preview.values["participation"] = pk
        preview.display = {
            **{key: text(row.cell(key)) for key in MARK_KEYS},
            "comments": preview.values["comments"],
            "id": text(row.cell("participation")),
            "participant": participations[pk].person.full_name if pk else "",
        }
        preview.action = ERROR if preview.errors else CREATE
        result.rows.append(preview)
    return result


def feedback_apply(event: Event, preview: FeedbackPreview, user) -> int:
    """Record every evaluation form of a preview without errors, all or nothing. Returns how many."""
    _applicable(event, preview, user)
    participations = event.participations.in_bulk([row.values["participation"] for row in preview.rows if row.values.get("participation")])
    with transaction.atomic():
        for row in preview.rows:
            values = dict(row.values)
            if values.get("participation"):
                values["participation"] = participations.get(values["participation"])
                if values["participation"] is None:
                    raise _changed_since(row)
            try:
                services.feedback_record(event=event, user=user, **values)
            except ValidationError as exc:
                raise ValidationError(_("Row %(row)s: %(reason)s") % {"row": row.row, "reason": " ".join(exc.messages)}) from exc
    return len(preview.rows)


def feedback_template() -> bytes:
    """The .xlsx to type evaluation forms into: one form per row, bilingual headers, and a guide."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = FEEDBACK_SHEET
    guide = workbook.create_sheet(GUIDE_SHEET)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(FEEDBACK_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=f"{column.header} *" if column.required else column.header)
        cell.font, cell.alignment = bold, wrap
        cell.fill = PatternFill("solid", fgColor="FCE4D6" if column.required else "DDEBF7")
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 30
    sheet.freeze_panes = "A2"
    marks = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True, errorStyle="warning", showErrorMessage=True)
    marks.error = "Một số nguyên từ 1 đến 5. (A whole number from 1 to 5.)"
    for index, column in enumerate(FEEDBACK_COLUMNS, start=1):
        if column.key in MARK_KEYS:
            letter = get_column_letter(index)
            marks.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(marks)

    guide["A1"] = "Hướng dẫn nhập phiếu đánh giá (How to fill in the evaluation forms)"
    guide["A1"].font = Font(bold=True, size=13)
    guide["A2"] = (
        "Mỗi dòng là một phiếu đánh giá. Không sửa dòng tiêu đề; các cột có dấu * là bắt buộc; dòng trống được bỏ qua. "
        "(One evaluation form per row. Do not change the header row; columns marked * are required; empty rows are skipped.)"
    )
    guide["A2"].alignment = wrap
    guide.merge_cells("A2:E2")
    guide.row_dimensions[2].height = 45
    titles = ("Cột (Column)", "Tiêu đề (Header)", "Bắt buộc (Required)", "Hướng dẫn (Vietnamese)", "Guide (English)")
    for index, title in enumerate(titles, start=1):
        guide.cell(row=4, column=index, value=title).font = bold
    for offset, column in enumerate(FEEDBACK_COLUMNS):
        row = 5 + offset
        guide.cell(row=row, column=1, value=get_column_letter(offset + 1))
        guide.cell(row=row, column=2, value=column.header)
        guide.cell(row=row, column=3, value="Có (Yes)" if column.required else "Không (No)")
        guide.cell(row=row, column=4, value=column.guide_vi).alignment = wrap
        guide.cell(row=row, column=5, value=column.guide_en).alignment = wrap
    for letter, width in zip("ABCDE", (8, 34, 14, 50, 50), strict=True):
        guide.column_dimensions[letter].width = width

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
