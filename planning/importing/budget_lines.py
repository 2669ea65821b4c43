"""A delivery plan's budget lines from the logframe workbook (issue 10 §3), read with its activities.

The workbook's Budget lines sheet (`planning.exports.BudgetLinesSheet`) comes back in the same upload
as the Activities sheet: `DeliveryPlanImporter` reads it as its companion, into the same preview, and
applies it after the activities, in the same transaction (an activity new in the file can take its
lines). A workbook without the sheet imports the activities only. Per row, by the line's id: CREATE a
line (no id), CHANGE one of the delivery plan (old → new per field), UNCHANGED, or ERROR. Lines of the
delivery plan absent from the file are left as they are.

Who writes how is the activities' rule: the plan's services (budget_line_create / budget_line_save)
with the history reason "Imported from <file>", or, for a focal point on an approved plan, a proposal
in their agency's revision (plan_change_propose). A focal point touches only the lines of the
activities their agency leads.
"""

import copy
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from napwps.formatting import number

from ..exports import budget_line_import_headers, budget_lines_title
from ..models import Activity, BudgetLine, ChangeAction, FundingSource, FundingStatus, Organisation
from ..services import budget_line_create, budget_line_save
from ..services import revisions as revision_services
from ..services.revisions import REVISABLE_FIELDS
from .base import CHANGE, CREATE, UNCHANGED, Change, Importer, Row, RowPreview
from .columns import AmountColumn, ChoiceColumn, CodeColumn, Column, DecimalColumn, IntegerColumn, LookupColumn, TextColumn
from .delivery_plan import in_both_languages, known_code, organisation_options

KIND = "planning.delivery_plan_budget_lines"
FIELDS = REVISABLE_FIELDS[BudgetLine]  # what the file sets on a line: what a revision may change
ERROR_COLUMNS = {"activity": "activity", "delivery_plan": "year", NON_FIELD_ERRORS: "amount_vnd"}  # a model error's column


def budget_line_columns(importer: "BudgetLinesImporter") -> tuple[Column, ...]:
    """The sheet's columns, named as the workbook writes them in Vietnamese and in English."""
    with override("vi"):
        vi = budget_line_import_headers()
    with override("en"):
        en = budget_line_import_headers()

    def names(key):
        return {"key": key, "header_vi": vi[key], "header_en": en[key]}

    return (
        IntegerColumn(**names("line"), minimum=1),
        CodeColumn(**names("activity"), required=True, max_length=20),
        IntegerColumn(**names("year"), minimum=1900, maximum=9999),
        ChoiceColumn(**names("source"), required=True, choices=FundingSource),
        LookupColumn(**names("funder"), options=lambda _importer: organisation_options(importer.organisations.values())),
        TextColumn(**names("description_vi"), max_length=255),
        TextColumn(**names("description_en"), max_length=255),
        AmountColumn(**names("amount_vnd")),
        TextColumn(**names("currency"), max_length=3),
        DecimalColumn(**names("original_amount"), minimum=0),
        DecimalColumn(**names("exchange_rate"), minimum=0, thousands=True),
        ChoiceColumn(**names("status"), choices=FundingStatus, default=FundingStatus.ESTIMATED),
    )


class BudgetLinesImporter(Importer):
    """The budget lines of the parent importer's delivery plan: a companion of `DeliveryPlanImporter`."""

    kind = KIND
    optional = True
    header_search_rows = 10

    def __init__(self, *, parent):
        super().__init__(user=parent.user, target=parent.target)
        self.parent = parent
        self.columns = budget_line_columns(self)
        self.sheet_names = in_both_languages(budget_lines_title)
        self.absent: list[int] = []

    def missing_columns_message(self, sheet: str, columns: str) -> str:
        return _(
            "The sheet “%(sheet)s” lacks the columns %(columns)s: download the workbook of the delivery plan and keep its Budget lines sheet's columns."
        ) % {
            "sheet": sheet,
            "columns": columns,
        }

    # What rows are checked against -----------------------------------------------------------------

    def prepare(self) -> None:
        delivery_plan = self.target
        activities = Activity.objects.filter(plan=delivery_plan.plan).select_related("lead_agency")
        self.activities = {activity.code: activity for activity in activities}
        self.in_plan = set(delivery_plan.activities.values_list("pk", flat=True))
        self.lines = {line.pk: line for line in BudgetLine.objects.filter(delivery_plan=delivery_plan).select_related("activity__lead_agency", "funder")}
        self.organisations = {organisation.pk: organisation for organisation in Organisation.objects.all()}
        self.seen: dict[int, int] = {}

    # One row -----------------------------------------------------------------------------------------

    def show(self, key: str, value) -> str:
        """A value as people read it: labels, the funder's code, amounts with the reader's separators."""
        if value in (None, ""):
            return "–"
        if key == "source":
            return str(FundingSource(value).label)
        if key == "status":
            return str(FundingStatus(value).label)
        if key == "funder":
            return self.organisations[value].code
        if key in ("amount_vnd", "original_amount", "exchange_rate"):
            return number(value)
        return str(value)

    def check_row(self, row: Row) -> None:
        preview, parent = row.preview, self.parent
        line_id = row.clean("line") if row.has("line") else None
        code = known_code(row, "activity", self.activities.keys() | parent.created_codes)
        year = row.clean("year") if row.has("year") else None
        values = {key: row.clean(key) for key in FIELDS if row.has(key)}
        if "currency" in values or line_id is None:
            values["currency"] = (values.get("currency") or "VND").upper()
        preview.display = {"line": line_id or "", "activity": code, "source": self.show("source", values.get("source")), "amount": ""}

        if year is not None and year != self.target.year:
            row.fail("year", _("This import is of the delivery plan %(year)s: its lines only.") % {"year": self.target.year})
        activity = self.activity_of(row, code)
        line = self.line_of(row, line_id, activity)
        if preview.errors:
            return
        candidate = self.candidate(row, line, activity, values)
        if candidate is None:
            return
        preview.display["amount"] = self.show("amount_vnd", candidate.amount_vnd)
        if line is None:
            preview.action = CREATE
            preview.ref = {"activity": activity.pk} if activity is not None else {"activity_code": code}
            preview.values = self.dumped({key: self.current(candidate, key) for key in FIELDS})
            self.check_agency(row, activity)
            return
        headers, changed = budget_line_import_headers(), {}
        for key in FIELDS:
            old, new = self.current(line, key), self.current(candidate, key)
            if old != new:
                changed[key] = new
                preview.changes.append(Change(label=headers[key], old=self.show(key, old), new=self.show(key, new)))
        preview.ref = {"line": line.pk, "version": line.version}
        preview.action = CHANGE if changed else UNCHANGED
        preview.values = self.dumped(changed)
        self.check_agency(row, activity)

    def check_agency(self, row: Row, activity: Activity | None) -> None:
        """A focal point adds and changes only the lines of the activities their agency leads (a new
        activity of the file: its own row checks its lead agency)."""
        agency = self.parent.agency
        if agency is not None and activity is not None and activity.lead_agency_id != agency.pk and row.preview.action in (CREATE, CHANGE):
            row.fail("activity", _("The activity %(code)s is led by %(agency)s: you import only your agency's budget lines.") % {
                "code": activity.code, "agency": activity.lead_agency.code,
            })  # fmt: skip

    def activity_of(self, row: Row, code: str) -> Activity | None:
        """The row's activity (None for a new activity of the file, or after an error)."""
        if not code:
            return None
        activity = self.activities.get(code)
        if activity is None:
            if code not in self.parent.created_codes:
                row.fail("activity", _("No activity %(code)s in the plan or in the Activities sheet.") % {"code": code})
            elif self.parent.proposing:
                row.fail("activity", _("The activity %(code)s is new: propose its budget lines once the revision adding it is approved.") % {"code": code})
            return None
        if activity.pk not in self.in_plan:
            row.fail("activity", _("The activity %(code)s is not in %(plan)s.") % {"code": code, "plan": self.target})
        return activity

    def line_of(self, row: Row, line_id, activity: Activity | None) -> BudgetLine | None:
        if line_id is None:
            return None
        line = self.lines.get(line_id)
        if line is None:
            row.fail("line", _("%(id)s is not a budget line of %(plan)s: leave the ID empty for a new line.") % {"id": line_id, "plan": self.target})
            return None
        if line_id in self.seen:
            row.fail("line", _("The line %(id)s is also on row %(row)s.") % {"id": line_id, "row": self.seen[line_id]})
        self.seen.setdefault(line_id, row.number)
        if activity is not None and line.activity_id != activity.pk:
            row.fail("activity", _("The line %(id)s is of the activity %(code)s: a line does not move; add a new line instead.") % {
                "id": line_id, "code": line.activity.code,
            })  # fmt: skip
        return line

    def candidate(self, row: Row, line: BudgetLine | None, activity: Activity | None, values: dict) -> BudgetLine | None:
        """The line as it would be saved, checked by the model's own rules (its errors go to their columns).
        A foreign-currency line's amount in VND is the model's: its amount at its rate."""
        candidate = copy.copy(line) if line is not None else BudgetLine(delivery_plan=self.target)
        if line is None and activity is not None:  # a new activity of the file: not saved yet
            candidate.activity = activity
        for key, value in values.items():
            setattr(candidate, "funder_id" if key == "funder" else key, value)
        try:
            candidate.full_clean(exclude=["activity", "delivery_plan", "funder"], validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                row.fail(ERROR_COLUMNS.get(field, field), " ".join(messages))
            return None
        return candidate

    def current(self, line: BudgetLine, key: str):
        if key == "funder":
            return line.funder_id
        return getattr(line, key)

    def dumped(self, values: dict) -> dict:
        """As JSON: amounts as text, the funder as its id."""
        return {key: str(value) if isinstance(value, Decimal) else value for key, value in values.items()}

    def load(self, values: dict) -> dict:
        loaded = {
            key: Decimal(value) if key in ("amount_vnd", "original_amount", "exchange_rate") and value is not None else value for key, value in values.items()
        }
        if "funder" in loaded:
            loaded["funder"] = Organisation.objects.filter(pk=loaded["funder"]).first() if loaded["funder"] is not None else None
        return loaded

    def finish(self, rows: list[RowPreview]) -> None:
        agency = self.parent.agency
        self.absent = sorted(pk for pk, line in self.lines.items() if pk not in self.seen and (agency is None or line.activity.lead_agency_id == agency.pk))

    def action_label(self, row: RowPreview) -> str:
        return self.parent.action_label(row)

    # Applying ----------------------------------------------------------------------------------------

    def apply_row(self, row: RowPreview, values: dict) -> None:
        parent, line = self.parent, None
        if row.action == CHANGE:
            line = BudgetLine.objects.filter(pk=row.ref["line"]).first()
            if line is None or line.version != row.ref["version"]:
                raise ValidationError(_("the budget line changed since the preview: upload the file again."))
        if parent.proposing:
            data = values if line is not None else {**values, "activity": Activity.objects.get(pk=row.ref["activity"]), "delivery_plan": self.target}
            change = revision_services.plan_change_propose(
                revision=parent.open_revision(), model=BudgetLine, data=data, user=self.user, obj=line,
                reason=_("Imported from %(file)s") % {"file": parent.filename}, version=row.ref.get("version"),
            )  # fmt: skip
            if line is None:  # the same new line imported again replaces its earlier proposal
                earlier = change.revision.plan_changes.filter(action=ChangeAction.CREATE, target_type=change.target_type).exclude(pk=change.pk)
                for duplicate in [earlier_change for earlier_change in earlier if earlier_change.data == change.data]:
                    revision_services.plan_change_withdraw(change=duplicate, user=self.user)
        elif line is None:
            activity = (
                Activity.objects.get(pk=row.ref["activity"])
                if "activity" in row.ref
                else Activity.objects.get(plan=self.target.plan, code=row.ref["activity_code"])
            )
            budget_line_create(activity=activity, delivery_plan=self.target, user=self.user, reason=parent.reason, **values)
        else:
            for key, value in values.items():
                setattr(line, key, value)
            budget_line_save(line=line, user=self.user, reason=parent.reason)
