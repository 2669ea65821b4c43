"""Participants of an event from the Excel template: who each row is, and their registration.

A row is a new person (CREATE), someone the organiser has already met (CREATE, registering that
person: found by e-mail or phone), or left out (UNCHANGED) when that person is already registered
for the event or appears earlier in the file. Without an e-mail or phone, the same person is the
same name (diacritics, case and spacing aside) from the same organisation. Someone only another
organiser has met is neither named nor linked: the row adds a new record, which a coordinator can
merge with theirs (events:people-duplicates).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from planning.importing import CREATE, ERROR, UNCHANGED, CellError, ChoiceColumn, Importer, Row, RowPreview, TextColumn, YesNoColumn
from planning.importing.cells import date as read_date
from planning.importing.cells import key, text
from planning.importing.columns import CellProblem
from planning.importing.template import template_workbook as build_template
from planning.models import Organisation, OrganisationType, Province

from .. import selectors, services
from ..models import AgeBand, Difficulty, Event, Participation, Person, Role, Sector, Sex, contact_keys, normalise_phone

SHEET = "Participants"

SEX_WORDS = {"nữ": Sex.FEMALE, "nam": Sex.MALE, "khác": Sex.OTHER, "female": Sex.FEMALE, "male": Sex.MALE, "other": Sex.OTHER}
PROVINCE_PREFIXES = ("thành phố ", "tp. ", "tp.", "tp ", "tỉnh ", "province of ", "city of ")
CONSENT_GUIDE_VI = "Có hoặc không (có, không, x, 1, 0). Để trống là không."
CONSENT_GUIDE_EN = "Yes or no (yes, no, x, 1, 0). Blank means no."
WG_GUIDE_VI = "Bộ câu hỏi ngắn của Nhóm Washington: Không gặp khó khăn, Có một chút khó khăn, Rất khó khăn, Hoàn toàn không thể thực hiện (hoặc 1–4). Để trống nếu không hỏi."
WG_GUIDE_EN = "Washington Group short set: no difficulty, some difficulty, a lot of difficulty, cannot do at all (or 1–4). Blank when not asked."


class AgeBandColumn(TextColumn):
    """An age band, an age in years, or a date or year of birth: only the age band at the event is kept."""

    def parse(self, value, importer=None) -> str:
        written = text(value)
        day = importer.day
        born = read_date(value)
        if born is None and re.fullmatch(r"(19|20)\d\d", written):
            born = datetime.date(int(written), 7, 1)  # a year alone: mid-year
        if born is not None:
            age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
            if not 0 < age <= 120:
                raise CellProblem(_("%(value)s is not a date of birth.") % {"value": written})
            return age_band(age)
        if re.fullmatch(r"\d{1,3}", written):
            age = int(written)
            if age > 120:
                raise CellProblem(_("%(age)s is not an age.") % {"age": age})
            return age_band(age)
        return BANDS.parse(value, importer)

    def display(self, value) -> str:
        return str(AgeBand(value).label) if value else ""

    def template_values(self) -> list[str]:
        return BANDS.template_values()


BANDS = ChoiceColumn(key="age_band", header_vi="Nhóm tuổi", header_en="Age band", choices=AgeBand)


def age_band(age: int) -> str:
    for limit, band in ((25, AgeBand.UNDER_25), (35, AgeBand.FROM_25), (45, AgeBand.FROM_35), (55, AgeBand.FROM_45)):
        if age < limit:
            return band
    return AgeBand.FROM_55


class EmailColumn(TextColumn):
    def parse(self, value, importer=None) -> str:
        written = super().parse(value, importer)
        try:
            validate_email(written)
        except ValidationError as exc:
            raise CellProblem(_("“%(value)s” is not an e-mail address.") % {"value": written}) from exc
        return written


class PhoneColumn(TextColumn):
    """Digits only; a number typed into Excel loses its leading zero: 912345678 is 0912345678."""

    def parse(self, value, importer=None) -> str:
        if hasattr(value, "year") or hasattr(value, "hour"):
            raise CellProblem(_("This is a date, not a phone number."))
        raw = text(value)
        if re.search(r"[^\d\s+\-.()/]", raw):
            raise CellProblem(_("A phone number has only digits (and +, spaces, dots or dashes)."))
        digits = normalise_phone(raw)
        if len(digits) == 9 and not digits.startswith("0"):
            digits = "0" + digits
        if not 10 <= len(digits) <= 15:
            raise CellProblem(_("A phone number has 10 to 15 digits; give one number per row."))
        return digits


class ProvinceColumn(TextColumn):
    """A province by statistics-office code or name, as it was on the event's first day; a province
    of another time says what it became."""

    def parse(self, value, importer=None) -> int:
        written = text(value)
        keys = province_keys(written)
        code = re.fullmatch(r"(?:.*\()?\s*(\d{1,2})\s*\)?", written)  # "1", "01" or "Hà Nội (01)"
        if code:
            keys.add(code.group(1).zfill(2))
        found = {province.pk: province for name in keys for province in importer.provinces.get(name, [])}
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise CellProblem(_("“%(value)s” names several provinces: give the statistics office code.") % {"value": written})
        elsewhere = {province.pk: province for name in keys for province in importer.all_provinces().get(name, [])}
        if not elsewhere:
            raise CellProblem(_("Unknown province “%(value)s”: give the statistics office code or the name.") % {"value": written})
        province = next(iter(elsewhere.values()))
        day = importer.day.strftime("%d/%m/%Y")
        if province.valid_from and province.valid_from > importer.day:
            raise CellProblem(_("%(province)s did not exist yet on %(day)s, the event's first day.") % {"province": province.name, "day": day})
        reason = _("%(province)s no longer existed on %(day)s, the event's first day.") % {"province": province.name, "day": day}
        successors = ", ".join(str(successor.name) for successor in province.successors.all())
        if successors:
            reason += " " + _("It became %(successors)s.") % {"successors": successors}
        raise CellProblem(reason)

    def empty(self):
        return None


def province_keys(name: str) -> set[str]:
    written = key(name)
    keys = {written}
    for prefix in PROVINCE_PREFIXES:
        if written.startswith(prefix):
            keys.add(written[len(prefix) :].strip())
    return keys


def province_lookup(provinces) -> dict[str, list[Province]]:
    lookup: dict[str, list[Province]] = {}
    for province in provinces:
        for name in {province.code, *province_keys(province.name_vi), *province_keys(province.name_en or province.name_vi)}:
            lookup.setdefault(name, []).append(province)
    return lookup


def wg_column(field: str, header_vi: str, header_en: str) -> ChoiceColumn:
    return ChoiceColumn(
        key=field, header_vi=header_vi, header_en=header_en, guide_vi=WG_GUIDE_VI, guide_en=WG_GUIDE_EN, choices=Difficulty, width=20,
        values=("Không gặp khó khăn (No difficulty)", "Có một chút khó khăn (Some difficulty)", "Rất khó khăn (A lot of difficulty)",
                "Hoàn toàn không thể thực hiện (Cannot do at all)"),
    )  # fmt: skip


COLUMNS = (
    TextColumn(key="full_name", header_vi="Họ và tên", header_en="Full name", guide_vi="Họ và tên đầy đủ, có dấu.",
               guide_en="Full name, with its Vietnamese diacritics.", required=True, width=28, max_length=200),
    ChoiceColumn(key="sex", header_vi="Giới tính", header_en="Sex", guide_vi="Nữ, Nam hoặc Khác.", guide_en="Female, male or other (Nữ, Nam, Khác).",
                 required=True, width=12, choices=Sex, words=SEX_WORDS, values=("Nữ", "Nam", "Khác")),
    AgeBandColumn(
        key="age_band", header_vi="Nhóm tuổi", header_en="Age band",
        guide_vi="Một nhóm tuổi trong danh sách, số tuổi, hoặc ngày sinh (15/03/1985, 1985-03-15) hay năm sinh: chỉ dùng để tính nhóm tuổi, không lưu.",
        guide_en="One of the age bands listed, the age in years, or the date of birth (15/03/1985, 1985-03-15) or year of birth: used only to work out the age band, never stored.",
        width=14,
    ),
    EmailColumn(key="email", header_vi="Thư điện tử", header_en="E-mail", guide_vi="Dùng để nhận ra người đã có trong hệ thống.",
                guide_en="Used to recognise people already in the portal.", width=28, max_length=254),
    PhoneColumn(
        key="phone", header_vi="Số điện thoại", header_en="Phone",
        guide_vi="Cột định dạng văn bản để giữ số 0 ở đầu; +84 được đọc là 0. Dùng để nhận ra người đã có trong hệ thống.",
        guide_en="Formatted as text so the leading 0 stays; +84 is read as 0. Used to recognise people already in the portal.",
        width=16, text_format=True,
    ),
    TextColumn(key="organisation", header_vi="Cơ quan, tổ chức", header_en="Organisation", guide_vi="Tên, tên viết tắt hoặc mã của cơ quan, tổ chức.",
               guide_en="Name, acronym or code of the organisation.", width=30, max_length=255),
    ChoiceColumn(
        key="organisation_type", header_vi="Loại hình tổ chức", header_en="Organisation type",
        guide_vi="Mã IATI (10, 21, 22...) hoặc tên loại hình trong danh sách. Để trống: theo cơ quan nếu cơ quan có trong hệ thống.",
        guide_en="IATI code (10, 21, 22...) or a type from the list. Blank: the organisation's own type when it is in the portal.",
        width=22, choices=OrganisationType,
    ),
    ChoiceColumn(key="sector", header_vi="Khối, lĩnh vực", header_en="Sector", guide_vi="Chọn trong danh sách (hoặc ghi mã).",
                 guide_en="Choose from the list (or write the code).", required=True, width=24, choices=Sector),
    TextColumn(key="position", header_vi="Chức vụ", header_en="Position", guide_vi="Chức vụ, vị trí công tác.", guide_en="Job title.", width=22, max_length=200),
    ProvinceColumn(
        key="province", header_vi="Tỉnh, thành phố", header_en="Province",
        guide_vi="Mã Tổng cục Thống kê (01, 79...) hoặc tên tỉnh, thành phố như tại ngày đầu tiên của sự kiện.",
        guide_en="Statistics office code (01, 79...) or name of the province as it was on the event's first day.",
        width=18,
    ),
    ChoiceColumn(key="role", header_vi="Vai trò", header_en="Role", guide_vi="Để trống là người tham dự.", guide_en="Blank means participant.",
                 width=16, choices=Role, default=Role.PARTICIPANT),
    YesNoColumn(key="consent_data", header_vi="Đồng ý xử lý dữ liệu", header_en="Consent to data processing", guide_vi=CONSENT_GUIDE_VI,
                guide_en=CONSENT_GUIDE_EN, width=16),
    YesNoColumn(key="consent_photos", header_vi="Đồng ý chụp ảnh", header_en="Consent to photos", guide_vi=CONSENT_GUIDE_VI,
                guide_en=CONSENT_GUIDE_EN, width=16),
    YesNoColumn(key="consent_follow_up", header_vi="Đồng ý liên hệ sau sự kiện", header_en="Consent to follow-up", guide_vi=CONSENT_GUIDE_VI,
                guide_en=CONSENT_GUIDE_EN, width=16),
    TextColumn(key="accessibility_needs", header_vi="Nhu cầu hỗ trợ tiếp cận", header_en="Accessibility needs",
               guide_vi="Ví dụ: phiên dịch ngôn ngữ ký hiệu, lối đi cho xe lăn.", guide_en="For example: sign-language interpretation, wheelchair access.",
               width=30, max_length=300),
    wg_column("wg_seeing", "Khó khăn khi nhìn", "Difficulty seeing"),
    wg_column("wg_hearing", "Khó khăn khi nghe", "Difficulty hearing"),
    wg_column("wg_walking", "Khó khăn khi đi lại hoặc leo cầu thang", "Difficulty walking or climbing steps"),
    wg_column("wg_cognition", "Khó khăn khi ghi nhớ hoặc tập trung", "Difficulty remembering or concentrating"),
    wg_column("wg_self_care", "Khó khăn khi tự chăm sóc bản thân", "Difficulty with self-care"),
    wg_column("wg_communicating", "Khó khăn khi giao tiếp", "Difficulty communicating"),
)  # fmt: skip
COLUMNS_BY_KEY = {column.key: column for column in COLUMNS}
PERSON_FIELDS = ("full_name", "sex", "age_band", "email", "phone", *Person.WG_FIELDS)
PARTICIPATION_FIELDS = (
    "organisation", "organisation_name", "organisation_type", "sector", "position", "province", "role",
    "consent_data", "consent_photos", "consent_follow_up", "accessibility_needs",
)  # fmt: skip
DISPLAYED = ("full_name", "sex", "organisation", "sector", "province")


def template_workbook() -> bytes:
    """The .xlsx to fill in: a "Participants" sheet with the header row, and a bilingual guide."""
    return build_template(
        COLUMNS, sheet=SHEET,
        title="Hướng dẫn nhập danh sách người tham dự (How to fill in the list of participants)",
        intro=(
            "Mỗi dòng là một người. Không sửa dòng tiêu đề; các cột có dấu * là bắt buộc; dòng trống được bỏ qua. "
            "Người đã có trong hệ thống được nhận ra theo thư điện tử hoặc số điện thoại. "
            "(One person per row. Do not change the header row; columns marked * are required; empty rows are skipped. "
            "People already in the portal are recognised by their e-mail or phone.)"
        ),
    )  # fmt: skip


class ParticipantImporter(Importer):
    """Register people for an event (the target) from the participant template."""

    kind = "events.participants"
    columns = COLUMNS
    sheet_names = (SHEET,)
    skip_sheets = ("Hướng dẫn (Guide)",)

    def check_permission(self) -> None:
        services.check_manages(self.user, self.target)

    def empty_message(self, sheet: str) -> str:
        return _("The sheet “%(sheet)s” has no participants.") % {"sheet": sheet}

    def prepare(self) -> None:
        event: Event = self.target
        self.day = event.start_date
        current = list(Province.objects.valid_on(self.day))
        self.provinces = province_lookup(current)
        self.province_names = {province.pk: f"{province.name} ({province.code})" for province in current}
        self._all_provinces = None
        self.organisations = selectors.organisation_lookup(Organisation.objects.active_on(self.day))
        self.registered = {
            participation.person_id: participation
            for participation in Participation.objects.filter(event=event)
            .select_related("person")
            .only("person_id", "organisation_id", "organisation_name", "person__full_name", "person__search_name", "person__email", "person__phone")
        }

    def all_provinces(self) -> dict[str, list[Province]]:
        if self._all_provinces is None:  # only when a row names a province of another time
            self._all_provinces = province_lookup(Province.objects.prefetch_related("successors"))
        return self._all_provinces

    def check_row(self, row: Row) -> None:
        values, display = row.preview.values, row.preview.display
        for column in COLUMNS:
            if column.key in ("organisation", "organisation_type"):
                continue
            value = row.clean(column.key)
            values[column.key] = column.empty() if value is None else value
            display[column.key] = column.display(value)
        display["province"] = self.province_names.get(values["province"], "")
        self.organisation(row)

    def organisation(self, row: Row) -> None:
        """An organisation the portal knows (by code, acronym or name) is linked; any other is kept as written."""
        values, display = row.preview.values, row.preview.display
        written = row.clean("organisation") or ""
        found = selectors.organisations_in(self.organisations, written)
        organisation = found[0] if len(found) == 1 else None
        values["organisation"] = organisation.pk if organisation else None
        values["organisation_name"] = "" if organisation else written
        display["organisation"] = str(organisation.name) if organisation else written
        chosen = row.clean("organisation_type")
        values["organisation_type"] = chosen if chosen is not None else (organisation.type if organisation else None)
        display["organisation_type"] = str(OrganisationType(values["organisation_type"]).label) if values["organisation_type"] else ""

    # Who each row is --------------------------------------------------------------------------

    def finish(self, rows: list[RowPreview]) -> None:
        """Say of every row without errors who it is, with two queries for the whole file."""
        rows = [row for row in rows if not row.errors]
        self.by_contact = selectors.people_by_contact(key for row in rows for key in contact_keys(email=row.values["email"], phone=row.values["phone"]))
        self.visible = selectors.people_visible_to(self.user, {person for people in self.by_contact.values() for person in people})
        self.seen: dict[str, int] = {}  # e-mail or phone -> first row that had it
        self.seen_people: dict[int, int] = {}  # person id -> first row that matched them
        self.seen_names: dict[tuple, list[RowPreview]] = {}  # name and organisation -> earlier rows
        for row in rows:
            self.find_person(row)

    def skip(self, row: RowPreview, note: str, **ref) -> None:
        row.action, row.note = UNCHANGED, note
        row.ref.update(ref)

    def find_person(self, row: RowPreview) -> None:
        values = row.values
        keys = contact_keys(email=values["email"], phone=values["phone"])
        earlier = next((self.seen[k] for k in keys if k in self.seen), None)
        for k in keys:
            self.seen.setdefault(k, row.row)
        if earlier is not None:
            return self.skip(row, _("Same person as row %(row)s.") % {"row": earlier}, duplicate_of_row=earlier)
        found = {person.pk: person for k in keys for person in self.by_contact.get(k, [])}
        people = [found[pk] for pk in sorted(found)]
        registered = [person for person in people if person.pk in self.registered]
        if registered:
            person = registered[0]
            return self.skip(row, _("%(person)s is already registered for this event.") % {"person": person.full_name}, person_id=person.pk)

        # Without a matching contact: the same name from the same organisation (the rule services.participant_register applies)
        name = selectors.twin_key(values["full_name"], values.get("organisation"), values.get("organisation_name", ""))
        for participation in self.registered.values():
            if selectors.same_registration(name, values["email"], values["phone"], participation):
                person = participation.person
                note = _("%(person)s, of the same organisation, is already registered for this event.") % {"person": person.full_name}
                return self.skip(row, note, person_id=person.pk)
        for other in self.seen_names.get(name, []):
            if not selectors.contacts_differ(values["email"], values["phone"], other.values["email"], other.values["phone"]):
                note = _("Same name and organisation as row %(row)s: left out. If they are two people, give one an e-mail or phone.") % {"row": other.row}
                return self.skip(row, note, duplicate_of_row=other.row)
        self.seen_names.setdefault(name, []).append(row)

        known = [person for person in people if person.pk in self.visible]
        if len(known) > 1:
            names = ", ".join(f"{person.full_name} (#{person.pk})" for person in known)
            column = "email" if values["email"] else "phone"
            reason = _("The e-mail and phone match several people in the portal (%(people)s): a coordinator merges them first.") % {"people": names}
            row.errors.append(self.cell_error(row, column, reason))
            row.action = ERROR
            return None
        if known:
            person = known[0]
            if person.pk in self.seen_people:
                earlier = self.seen_people[person.pk]
                return self.skip(row, _("Same person as row %(row)s.") % {"row": earlier}, duplicate_of_row=earlier, person_id=person.pk)
            self.seen_people[person.pk] = row.row
            row.ref.update(person_id=person.pk, person_name=person.full_name)
            contact = " · ".join(value for value in (person.email, person.phone) if value)
            row.note = _("Already in the portal: %(person)s (%(contact)s).") % {"person": person.full_name, "contact": contact}
        elif people:
            row.note = _("Someone at another organiser's event has this e-mail or phone: added as a new record, which a coordinator can merge with theirs.")
        row.action = CREATE
        return None

    def cell_error(self, row: RowPreview, column_key: str, reason: str) -> CellError:
        position = self.header_positions.get(column_key)
        letter = get_column_letter(position + 1) if position is not None else ""
        return CellError(reason=reason, sheet=row.sheet, row=row.row, column=letter, header=COLUMNS_BY_KEY[column_key].label)

    def action_label(self, row: RowPreview) -> str:
        if row.action == CREATE:
            return _("Existing person") if row.ref.get("person_id") else _("New person")
        if row.action == UNCHANGED:
            return _("Duplicate: skipped") if row.ref.get("duplicate_of_row") else _("Already registered: skipped")
        return ""

    # Applying ---------------------------------------------------------------------------------

    def apply(self, preview):
        rows = [row for row in preview.rows if row.action == CREATE]
        self.provinces_by_pk = Province.objects.in_bulk({row.values["province"] for row in rows if row.values.get("province")})
        self.organisations_by_pk = Organisation.objects.in_bulk({row.values["organisation"] for row in rows if row.values.get("organisation")})
        self.people = Person.objects.filter(anonymised_on__isnull=True).in_bulk({row.ref["person_id"] for row in rows if row.ref.get("person_id")})
        self.known = 0
        self.already = 0  # rows the preview took for new people who turned out to be registered already
        result = super().apply(preview)
        result["known"] = self.known
        result[CREATE] -= self.already
        result[UNCHANGED] += self.already
        return result

    def apply_row(self, row: RowPreview, values: dict) -> None:
        fields = {name: values[name] for name in PARTICIPATION_FIELDS if name not in ("province", "organisation")}
        fields["province"] = self.provinces_by_pk.get(values["province"]) if values.get("province") else None
        fields["organisation"] = self.organisations_by_pk.get(values["organisation"]) if values.get("organisation") else None
        if (values.get("province") and fields["province"] is None) or (values.get("organisation") and fields["organisation"] is None):
            raise ValidationError(_("the data changed since the preview. Upload the file again."))
        if row.ref.get("person_id"):
            person = self.people.get(row.ref["person_id"])
            if person is None:
                raise ValidationError(_("the person matched in the preview is no longer in the portal. Upload the file again."))
            services.participant_register(event=self.target, user=self.user, person=person, **fields)
            self.known += 1
        else:
            participation = services.participant_register(
                event=self.target, user=self.user, person_fields={name: values[name] for name in PERSON_FIELDS}, **fields
            )
            if participation.already_registered:  # registered since the preview: the same registration, not a new one
                self.already += 1
