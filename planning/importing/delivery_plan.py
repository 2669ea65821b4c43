"""A delivery plan's activities from the logframe workbook (issue 10 §3).

The workbook's Activities sheet (`planning.exports.ActivitiesSheet`) is the template: download it,
edit it, upload it again. Its header comes after a title, a line of context and a legend; its import
columns are named in Vietnamese or English (`planning.exports.activity_import_headers`), the reading
columns after them (status, progress, the timeline) are ignored. Per row, by the activity's code:
CREATE a new activity, CHANGE one of the plan (old → new per field), UNCHANGED, or ERROR. Activities
of the delivery plan absent from the file are left as they are.

The workbook's Budget lines sheet comes back in the same upload, preview and transaction: its
importer (`budget_lines.BudgetLinesImporter`) is this one's companion, applied after the activities.

Only what a revision may change (`REVISABLE_FIELDS[Activity]`) and what places a new activity
(`NEW_ROW_FIELDS[Activity]`) is read. Who writes how:
- a coordinator, or anyone on a DRAFT delivery plan: through the plan's services (activity_create /
  activity_update), with the history reason "Imported from <file>";
- a focal point on an APPROVED or PUBLISHED plan: each CREATE and CHANGE is proposed in their agency's
  revision (plan_change_propose), which they then submit on the revision's page;
- a focal point imports only the activities their agency leads, and never hands one to another agency.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from napwps import history

from .. import roles
from ..exports import activity_import_headers, budget_lines_title
from ..models import Activity, ChangeAction, Organisation, Output, Province, ReviewStatus, SubTask, TaskGroup
from ..services import activity_create, activity_update
from ..services import revisions as revision_services
from ..services.revisions import DECIDED_PLAN_STATUSES, NEW_ROW_FIELDS, REVISABLE_FIELDS
from . import cells
from .base import CHANGE, CREATE, UNCHANGED, Change, Importer, Row, RowPreview
from .columns import CellProblem, CodeColumn, Column, DateColumn, LookupColumn, TextColumn
from .reader import Limits

KIND = "planning.delivery_plan_activities"
RELATIONS = ("partner_agencies", "funding_partners", "supporting_partners", "provinces")
FOREIGN = {"output": Output, "task_group": TaskGroup, "subtask": SubTask, "lead_agency": Organisation}
MANY = {"partner_agencies": Organisation, "funding_partners": Organisation, "supporting_partners": Organisation, "provinces": Province}
IMPORTED = ("code", *NEW_ROW_FIELDS[Activity], *REVISABLE_FIELDS[Activity])  # what the file may set
PLACING = ("output", "task_group", "lead_agency")  # a revision never moves an existing activity


def same_number(code: str, value) -> bool:
    """Is this code the number Excel made of it? ('1.10' and 1.1)"""
    try:
        return Decimal(code) == Decimal(repr(value) if isinstance(value, float) else value)
    except (InvalidOperation, ValueError, TypeError):
        return False


def is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True, kw_only=True)
class CodeLookupColumn(LookupColumn):
    """A row named by its code; a code Excel turned into a number (1.1 for '1.10') is found too when
    only one code is that number."""

    def parse(self, value, importer=None):
        try:
            return super().parse(value, importer)
        except CellProblem:
            if is_number(value):
                by_key, _labels = self.index(importer)
                found = {pk for name, pks in by_key.items() if same_number(name, value) for pk in pks}
                if len(found) == 1:
                    return found.pop()
            raise


@dataclass(frozen=True, kw_only=True)
class ListLookupColumn(LookupColumn):
    """Several rows named in one cell, separated by “;” (or line breaks): a sorted list of ids."""

    def empty(self):
        return []

    def parse(self, value, importer=None) -> list:
        found, problems = set(), []
        for part in re.split(r"[;\n]", value if isinstance(value, str) else cells.text(value)):
            if not cells.text(part):
                continue
            try:
                found.add(super().parse(part, importer))
            except CellProblem as problem:
                problems.append(str(problem))
        if problems:
            raise CellProblem(" ".join(problems))
        return sorted(found)


def known_code(row: Row, key: str, codes) -> str:
    """The activity code in the row's `key` column: a number Excel made of a known code ('1.10' as
    1.1) is that code when only one code is that number."""
    code = row.clean(key)
    raw = row.cell(key)
    if code and is_number(raw) and code not in codes:
        found = [known for known in codes if same_number(known, raw)]
        if len(found) == 1:
            return found[0]
    return code or ""


def in_both_languages(value_of) -> tuple[str, str]:
    """A text in Vietnamese and in English (a model's __str__, which translates a word or two)."""
    with translation.override("vi"):
        vi = value_of()
    with translation.override("en"):
        en = value_of()
    return vi, en


def organisation_options(organisations):
    """An organisation is named by its code, acronym or either name."""
    for organisation in organisations:
        names = (organisation.code, organisation.acronym, organisation.name_vi, organisation.name_en, *in_both_languages(lambda o=organisation: str(o)))
        yield names, organisation.pk, f"{organisation.code} ({organisation.name})"


def activity_columns(importer: "DeliveryPlanImporter") -> tuple[Column, ...]:
    """The import's columns, named as the workbook writes them in Vietnamese and in English."""
    with translation.override("vi"):
        vi = activity_import_headers()
    with translation.override("en"):
        en = activity_import_headers()

    def names(key):
        return {"key": key, "header_vi": vi[key], "header_en": en[key]}

    return (
        CodeColumn(**names("code"), required=True, max_length=20),
        TextColumn(**names("title_vi"), required=True, max_length=500),
        TextColumn(**names("title_en"), max_length=500),
        CodeLookupColumn(**names("output"), required=True, options=lambda _importer: importer.output_options()),
        CodeLookupColumn(**names("task_group"), required=True, options=lambda _importer: importer.task_group_options()),
        TextColumn(**names("subtask"), max_length=600),
        LookupColumn(**names("lead_agency"), required=True, options=lambda _importer: importer.organisation_options()),
        ListLookupColumn(**names("partner_agencies"), options=lambda _importer: importer.organisation_options()),
        ListLookupColumn(**names("funding_partners"), options=lambda _importer: importer.organisation_options()),
        ListLookupColumn(**names("supporting_partners"), options=lambda _importer: importer.organisation_options()),
        ListLookupColumn(**names("provinces"), options=lambda _importer: importer.province_options()),
        DateColumn(**names("planned_start"), required=True, month=True),
        DateColumn(**names("planned_end"), required=True, month=True),
    )


def sheet_titles(*messages: str) -> tuple[str, ...]:
    """Sheet titles of the workbook in both languages."""
    titles = []
    for language in ("vi", "en"):
        with translation.override(language):
            titles += [_(message) for message in messages]
    return tuple(titles)


class DeliveryPlanImporter(Importer):
    """The activities of one delivery plan (the target), by their codes within its plan."""

    kind = KIND
    header_search_rows = 10
    limits = Limits(max_columns=15 + 12 * 12)  # the timeline has a column per month of the plan's years

    def __init__(self, *, user, target=None):
        super().__init__(user=user, target=target)
        self.columns = activity_columns(self)
        self.sheet_names = sheet_titles(gettext_noop("Activities"))
        self.skip_sheets = (
            *sheet_titles(gettext_noop("Cover"), gettext_noop("Logframe"), gettext_noop("Indicators"), gettext_noop("Budget")),
            *in_both_languages(budget_lines_title),
        )
        self.absent: list[str] = []
        self.created_codes: set[str] = set()  # the new activities of the file, which its budget lines may name
        self.revision = None
        from .budget_lines import BudgetLinesImporter  # it reads this module's helpers

        self.companions = (BudgetLinesImporter(parent=self),)

    # Who imports how ---------------------------------------------------------------------------

    @cached_property
    def is_coordinator(self) -> bool:
        return roles.is_coordinator(self.user)

    @cached_property
    def agency(self):
        """The focal point's agency (None for a coordinator, who imports for every agency)."""
        return None if self.is_coordinator else roles.user_agency(self.user)

    @property
    def proposing(self) -> bool:
        """A focal point's import into an approved plan is a revision."""
        return not self.is_coordinator and self.target.status in DECIDED_PLAN_STATUSES

    def refusal(self) -> str:
        """Why this user may not import into this delivery plan ('' when they may)."""
        if not roles.can_use_workspace(self.user) or (not self.is_coordinator and self.agency is None):
            return _("Only focal points and MOFA's coordinators import activities.")
        if not self.is_coordinator and self.target.status == ReviewStatus.SUBMITTED:
            return _("%(plan)s is submitted for approval: it takes no changes until it is approved or returned to draft.") % {"plan": self.target}
        return ""

    def check_permission(self) -> None:
        reason = self.refusal()
        if reason:
            raise PermissionDenied(reason)

    def missing_columns_message(self, sheet: str, columns: str) -> str:
        return _("The sheet “%(sheet)s” lacks the columns %(columns)s: download the workbook of the delivery plan and keep its Activities sheet's columns.") % {
            "sheet": sheet,
            "columns": columns,
        }

    def empty_message(self, sheet: str) -> str:
        return _("The sheet “%(sheet)s” has no activities.") % {"sheet": sheet}

    # What rows are checked against -----------------------------------------------------------------

    def prepare(self) -> None:
        plan = self.target.plan
        activities = Activity.objects.filter(plan=plan).select_related("output", "task_group", "subtask", "lead_agency")
        self.activities = {activity.code: activity for activity in activities.prefetch_related(*RELATIONS)}
        self.in_plan = set(self.target.activities.values_list("pk", flat=True))
        self.outputs = {output.pk: output for output in Output.objects.filter(plan=plan)}
        self.task_groups = {group.pk: group for group in TaskGroup.objects.filter(plan=plan).prefetch_related("subtasks")}
        self.organisations = {organisation.pk: organisation for organisation in Organisation.objects.all()}
        self.provinces = {province.pk: province for province in Province.objects.all()}
        self.seen: dict[str, int] = {}

    def output_options(self):
        for output in self.outputs.values():
            yield (output.code,), output.pk, output.code

    def task_group_options(self):
        for group in self.task_groups.values():
            yield (group.code,), group.pk, group.code

    def organisation_options(self):
        return organisation_options(self.organisations.values())

    def province_options(self):
        for province in self.provinces.values():
            labels = in_both_languages(lambda p=province: str(p))
            yield (*labels, province.name_vi, province.name_en, province.code), province.pk, str(province)

    # One row -----------------------------------------------------------------------------------

    def show(self, key: str, value) -> str:
        """A value as people read it (codes of agencies, a province's name, a month as mm/yyyy)."""
        if value in (None, "", []):
            return "–"
        if key in ("output", "task_group"):
            return (self.outputs if key == "output" else self.task_groups)[value].code
        if key == "subtask":
            subtask = next((s for group in self.task_groups.values() for s in group.subtasks.all() if s.pk == value), None)
            return f"{self.task_groups[subtask.task_group_id].code}.{subtask.letter}" if subtask else str(value)
        if key == "lead_agency":
            return self.organisations[value].code
        if key in ("partner_agencies", "funding_partners", "supporting_partners"):
            return "; ".join(self.organisations[pk].code for pk in value)
        if key == "provinces":
            return "; ".join(str(self.provinces[pk]) for pk in value)
        if isinstance(value, datetime.date):
            return f"{value:%m/%Y}"
        return str(value)

    def current(self, activity: Activity, key: str):
        if key in MANY:
            return sorted(item.pk for item in getattr(activity, key).all())
        if key in FOREIGN:
            return getattr(activity, f"{key}_id")
        value = getattr(activity, key)
        return cells.text(value) if isinstance(value, str) else value

    def code_of(self, row: Row) -> str:
        return known_code(row, "code", self.activities)

    def subtask_of(self, row: Row, task_group_id) -> int | None:
        written = cells.text(row.cell("subtask"))
        if not written or task_group_id is None:
            return None
        group = self.task_groups[task_group_id]
        letter = written
        match = re.match(rf"{re.escape(group.code)}\s*\.\s*(\w+)", written)
        if match:
            letter = match.group(1)
        found = [subtask for subtask in group.subtasks.all() if subtask.letter.casefold() == letter.casefold()]
        if not found:
            letters = ", ".join(f"{group.code}.{subtask.letter}" for subtask in group.subtasks.all()) or "–"
            row.fail("subtask", _("“%(value)s” is not a sub-task of the task group %(group)s (its sub-tasks: %(letters)s).") % {
                "value": written, "group": group.code, "letters": letters,
            })  # fmt: skip
            return None
        return found[0].pk

    def check_row(self, row: Row) -> None:
        preview = row.preview
        code = self.code_of(row)
        values = {}
        for key in IMPORTED:
            if key in ("code", "subtask") or not row.has(key):
                continue
            value = row.clean(key)
            if value is not None or not self.column(key).required:
                values[key] = value
        existing = self.activities.get(code) if code else None
        if row.has("subtask"):
            values["subtask"] = self.subtask_of(row, values.get("task_group", existing.task_group_id if existing else None))
        preview.display = {"code": code, "title": values.get("title_vi", ""), "lead_agency": self.show("lead_agency", values.get("lead_agency"))}

        if code:
            if code in self.seen:
                row.fail("code", _("The code %(code)s is also on row %(row)s.") % {"code": code, "row": self.seen[code]})
            else:
                self.seen[code] = row.number
        if existing is not None and existing.pk not in self.in_plan:
            row.fail("code", _("The activity %(code)s is in the plan but not in %(plan)s: add it to this year first.") % {"code": code, "plan": self.target})
        self.check_months(row, values)
        if existing is None:
            preview.action = CREATE
            self.created_codes.add(code)
            preview.values = {key: self.column(key).dump(value) if self.column(key) else value for key, value in {"code": code, **values}.items()}
            self.check_agency(row, existing, values)
            return
        changed, headers = {}, activity_import_headers()
        for key, new in values.items():
            old = self.current(existing, key)
            if old == new:
                continue
            if self.proposing and key in PLACING:
                row.fail(key, _("A revision does not change this: ask MOFA's coordinators."))
                continue
            changed[key] = new
            preview.changes.append(Change(label=headers[key], old=self.show(key, old), new=self.show(key, new)))
        preview.ref = {"activity": existing.pk, "version": existing.version}
        preview.action = CHANGE if changed else UNCHANGED
        preview.values = {key: self.column(key).dump(value) for key, value in changed.items()}
        self.check_agency(row, existing, values)

    def check_agency(self, row: Row, existing: Activity | None, values: dict) -> None:
        """A focal point adds and changes only the activities their agency leads; another agency's
        row left as it is passes (so the whole plan's workbook can come back with one agency's edits)."""
        if self.agency is None:
            return
        if existing is not None and row.preview.action != CHANGE:
            return
        if existing is not None and existing.lead_agency_id != self.agency.pk:
            row.fail("code", _("The activity %(code)s is led by %(agency)s: you import only your agency's activities.") % {
                "code": existing.code, "agency": existing.lead_agency.code,
            })  # fmt: skip
        elif values.get("lead_agency") not in (None, self.agency.pk):
            row.fail("lead_agency", _("%(agency)s is not your agency (%(yours)s): you import only the activities your agency leads.") % {
                "agency": self.organisations[values["lead_agency"]].code, "yours": self.agency.code,
            })  # fmt: skip

    def check_months(self, row: Row, values: dict) -> None:
        plan = self.target.plan
        for key in ("planned_start", "planned_end"):
            month = values.get(key)
            if month is not None and not plan.period_start <= month <= plan.period_end:
                row.fail(key, _("The month must be inside the plan period, %(start)s–%(end)s.") % {"start": plan.start_year, "end": plan.end_year})
        start, end = values.get("planned_start"), values.get("planned_end")
        if start and end and end < start:
            row.fail("planned_end", _("The end cannot be before the start."))

    def finish(self, rows: list[RowPreview]) -> None:
        in_file = set(self.seen)
        self.absent = sorted(code for code, activity in self.activities.items() if activity.pk in self.in_plan and code not in in_file)

    def action_label(self, row: RowPreview) -> str:
        if self.proposing and row.action in (CREATE, CHANGE):
            return _("Propose a new activity") if row.action == CREATE else _("Propose a change")
        return ""

    # Applying ----------------------------------------------------------------------------------------

    def apply(self, preview):
        self.filename = preview.filename
        self.reason = history.reason(gettext_noop("Imported from %(file)s"), file=preview.filename)
        return super().apply(preview)

    def objects(self, values: dict) -> dict:
        """The row's values with ids turned into the rows they name."""
        found = {}
        for key, value in values.items():
            if key in MANY:
                found[key] = list(MANY[key].objects.filter(pk__in=value))
            elif key in FOREIGN:
                found[key] = FOREIGN[key].objects.filter(pk=value).first() if value is not None else None
            else:
                found[key] = value
        return found

    def apply_row(self, row: RowPreview, values: dict) -> None:
        data = self.objects(values)
        activity = None
        if row.action == CHANGE:
            activity = Activity.objects.filter(pk=row.ref["activity"]).first()
            if activity is None or activity.version != row.ref["version"]:
                raise ValidationError(_("the activity changed since the preview: upload the file again."))
        if self.proposing:
            self.propose(row, data, activity)
        elif activity is None:
            activity_create(**data, delivery_plans=[self.target], user=self.user, reason=self.reason)
        else:
            activity_update(activity=activity, user=self.user, reason=self.reason, **data)

    def open_revision(self):
        """The agency's revision the import proposes into, opened on the first proposal."""
        if self.revision is None:
            self.revision = revision_services.revision_open(agency=self.agency, delivery_plan=self.target, user=self.user)
        return self.revision

    def propose(self, row: RowPreview, data: dict, activity: Activity | None) -> None:
        self.open_revision()
        reason = _("Imported from %(file)s") % {"file": self.filename}
        if activity is None:  # the same new activity imported again replaces its earlier proposal
            content_type = ContentType.objects.get_for_model(Activity)
            for change in self.revision.plan_changes.filter(action=ChangeAction.CREATE, target_type=content_type):
                if change.data.get("code") == data["code"]:
                    revision_services.plan_change_withdraw(change=change, user=self.user)
            data = {**data, "delivery_plans": [self.target]}
        revision_services.plan_change_propose(
            revision=self.revision, model=Activity, data=data, user=self.user, obj=activity, reason=reason, version=row.ref.get("version")
        )
