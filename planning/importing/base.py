"""The preview of an import, and the importer that makes it and later applies it.

An importer reads one sheet (`sheet_names`) of an upload through the bounded reader, finds its
columns by their headers, checks every row (`check_row`) and says of each what applying would do:
CREATE a row, CHANGE one (old -> new), leave it UNCHANGED, or an ERROR naming the sheet, row, column
and reason. The preview is plain data, stored as JSON in an `ImportPreview` row
(`planning.importing.services`), so what is applied is exactly what the person saw.

A workbook of several sheets is one importer with `companions`: importers of the further sheets,
read from the same upload into the same preview (each row knows its importer's `kind`) after the
importer's own sheet, and applied after its rows in the same transaction. A companion marked
`optional` is skipped when the workbook lacks its sheet.
"""

from dataclasses import asdict, dataclass, field
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils import get_column_letter

from . import cells
from .columns import CellProblem, Column
from .reader import DEFAULT_LIMITS, Limits, SheetProblem, open_workbook

CREATE, CHANGE, UNCHANGED, ERROR = "create", "change", "unchanged", "error"
ACTIONS = (CREATE, CHANGE, UNCHANGED, ERROR)
ACTION_LABELS = {CREATE: gettext_lazy("New"), CHANGE: gettext_lazy("Change"), UNCHANGED: gettext_lazy("Unchanged"), ERROR: gettext_lazy("Error")}


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
        if not self.column:
            return f"{self.sheet}!{self.row}: {self.reason}"
        return f"{self.sheet}!{self.column}{self.row} ({self.header}): {self.reason}"


@dataclass
class Change:
    """One value a CHANGE row changes, as a person reads it."""

    label: str
    old: str
    new: str


@dataclass
class RowPreview:
    """One row of the file. `values` are JSON, ready for the importer's apply; `display` is the same
    row as a person reads it; `ref` holds what the importer found (the id of the row it changes)."""

    sheet: str
    row: int  # Excel's row number (the header is row 1 unless the importer looks for it further down)
    action: str = CREATE
    values: dict = field(default_factory=dict)
    display: dict = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    ref: dict = field(default_factory=dict)
    note: str = ""
    kind: str = ""  # the importer of the row's sheet (a companion's kind, or the importer's own)

    @classmethod
    def from_dict(cls, data: dict) -> "RowPreview":
        return cls(
            **{
                **data,
                "errors": [CellError(**error) for error in data.get("errors", [])],
                "changes": [Change(**change) for change in data.get("changes", [])],
            }
        )


@dataclass
class Preview:
    """What importing a file would do."""

    kind: str
    target_id: int | None
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

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action: self.count(action) for action in ACTIONS}

    @property
    def applicable(self) -> bool:
        """Without errors, and with something to do."""
        return not self.has_errors and any(row.action in (CREATE, CHANGE) for row in self.rows)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Preview":
        return cls(
            kind=data["kind"], target_id=data.get("target_id"), filename=data.get("filename", ""), sheet=data.get("sheet", ""),
            rows=[RowPreview.from_dict(row) for row in data.get("rows", [])],
            file_errors=[CellError(**error) for error in data.get("file_errors", [])],
        )  # fmt: skip


class Row:
    """One row being checked: its cells by column key; errors name the sheet, row, column and header."""

    def __init__(self, importer: "Importer", sheet: str, number: int, values: tuple, header: list, positions: dict[str, int]):
        self.importer = importer
        self.preview = RowPreview(sheet=sheet, row=number, kind=importer.kind)
        self.raw = values
        self.header = header
        self.positions = positions

    @property
    def number(self) -> int:
        return self.preview.row

    def has(self, key: str) -> bool:
        return key in self.positions

    def cell(self, key: str):
        position = self.positions.get(key)
        return self.raw[position] if position is not None and position < len(self.raw) else None

    def fail(self, key: str, reason: str) -> None:
        """Record an error in the row's `key` column: its letter as in this file, its header in the reader's language."""
        position = self.positions.get(key)
        column = self.importer.column(key)
        letter = get_column_letter(position + 1) if position is not None else ""
        header = column.label if column else cells.text(self.header[position]).rstrip(" *") if position is not None else key
        self.preview.errors.append(CellError(reason=reason, sheet=self.preview.sheet, row=self.preview.row, column=letter, header=header))

    def clean(self, key: str):
        """The cleaned value of a column (None after recording its error)."""
        column = self.importer.column(key)
        try:
            return column.clean(self.cell(key), self.importer)
        except CellProblem as problem:
            self.fail(key, str(problem))
            return None


class Importer:
    """One kind of import: its columns, how a row is checked, and how a checked row is applied.

    Subclasses set `kind`, `columns` and `sheet_names`, and write `check_row` (fill
    `row.preview.values` / `display` / `action`, calling `row.clean(key)` and `row.fail(key, reason)`)
    and `apply_row` (one service call). `prepare` loads what rows are checked against, once per
    file; `finish` checks the rows against each other; `check_permission` raises PermissionDenied.
    """

    kind: ClassVar[str] = ""
    columns: ClassVar[tuple[Column, ...]] = ()
    sheet_names: ClassVar[tuple[str, ...]] = ()
    skip_sheets: ClassVar[tuple[str, ...]] = ()
    limits: ClassVar[Limits] = DEFAULT_LIMITS
    header_search_rows: ClassVar[int] = 1  # more: the header is the first of these rows holding the required columns
    optional: ClassVar[bool] = False  # as a companion: a workbook without this sheet, or with it empty, is fine

    def __init__(self, *, user, target=None):
        self.user = user
        self.target = target
        self.companions: tuple[Importer, ...] = ()  # importers of the upload's further sheets

    @property
    def target_id(self) -> int | None:
        return getattr(self.target, "pk", None)

    # What a subclass writes ---------------------------------------------------------------------

    def check_permission(self) -> None:
        """Raise PermissionDenied unless the user may import into the target."""

    def prepare(self) -> None:
        """Load once per file what rows are checked against."""

    def check_row(self, row: Row) -> None:
        """By default: clean every column into `values` (as JSON) and `display`; CREATE."""
        for column in self.columns:
            value = row.clean(column.key)
            row.preview.values[column.key] = column.dump(value)
            row.preview.display[column.key] = column.display(value)

    def finish(self, rows: list[RowPreview]) -> None:
        """Check the rows against each other once each is checked."""

    def apply_row(self, row: RowPreview, values: dict) -> None:
        raise NotImplementedError

    def action_label(self, row: RowPreview) -> str:
        """What the preview says a row will do, when the generic words (new, change...) say too little."""
        return ""

    def table_rows(self, preview: "Preview", columns) -> list[dict]:
        """The preview's rows of this importer's sheet as a page's table shows them: the row, what it
        will do in words, and its `display` values for `columns` ((key, label) pairs)."""
        return [
            {"row": row, "label": self.action_label(row) or ACTION_LABELS[row.action], "cells": [row.display.get(key, "") for key, _label in columns]}
            for row in preview.rows
            if (row.kind or self.kind) == self.kind
        ]

    def missing_columns_message(self, sheet: str, columns: str) -> str:
        return _("Row 1 of sheet “%(sheet)s” lacks the columns %(columns)s: use the template.") % {"sheet": sheet, "columns": columns}

    def empty_message(self, sheet: str) -> str:
        return _("The sheet “%(sheet)s” has no rows to import.") % {"sheet": sheet}

    # The framework ------------------------------------------------------------------------------

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    def header_lookup(self) -> dict[str, str]:
        lookup: dict[str, str] = {}
        for column in self.columns:
            for name in column.names():
                lookup.setdefault(cells.key(name), column.key)
        return lookup

    def positions(self, header: list) -> dict[str, int]:
        """Which column each key is in, by its header (in Vietnamese, English or both, any order)."""
        lookup = self.header_lookup()
        found: dict[str, int] = {}
        for index, title in enumerate(header):
            key = lookup.get(cells.key(title))
            if key and key not in found:
                found[key] = index
        return found

    def is_header(self, values: list) -> bool:
        """Does this row hold every required column's header (the header row below a sheet's title)?"""
        found = self.positions(values)
        return all(column.key in found for column in self.columns if column.required)

    def preview(self, uploaded, *, filename: str = "") -> Preview:
        """What importing this file would do, saving nothing. Never raises on a bad file: it says why."""
        result = Preview(kind=self.kind, target_id=self.target_id, filename=filename)
        try:
            with open_workbook(uploaded, self.limits) as workbook:
                for importer in (self, *self.companions):
                    importer.preview_sheet(workbook, result)
        except SheetProblem as problem:
            result.file_errors.append(CellError(reason=str(problem)))
        return result

    def preview_sheet(self, workbook, result: Preview) -> None:
        """Check this importer's sheet of the open workbook, adding its rows and errors to `result`."""
        name = workbook.find(*self.sheet_names, skip=self.skip_sheets, fallback=not self.optional)
        if name is None:
            if self.optional:
                return
            raise SheetProblem(_("The workbook has no sheet to import."))
        sheet = workbook.read(name, is_header=self.is_header if self.header_search_rows > 1 else None, header_search_rows=self.header_search_rows)
        result.sheet = result.sheet or sheet.name
        positions = self.positions(sheet.header)
        missing = [column.label for column in self.columns if column.required and column.key not in positions]
        if missing:
            result.file_errors.append(CellError(reason=self.missing_columns_message(sheet.name, ", ".join(missing)), sheet=sheet.name, row=sheet.header_row))
            return
        if not sheet.rows:
            if not self.optional:
                result.file_errors.append(CellError(reason=self.empty_message(sheet.name), sheet=sheet.name))
            return
        self.header_positions = positions
        self.prepare()
        rows = []
        for number, values in sheet.rows:
            row = Row(self, sheet.name, number, values, sheet.header, positions)
            self.check_row(row)
            rows.append(row.preview)
        self.finish(rows)
        for row in rows:
            if row.errors:
                row.action = ERROR
        result.rows.extend(rows)

    def load(self, values: dict) -> dict:
        """A row's JSON values as Python values again, column by column."""
        loaded = dict(values)
        for column in self.columns:
            if column.key in loaded:
                loaded[column.key] = column.load(loaded[column.key])
        return loaded

    def apply(self, preview: Preview) -> dict[str, int]:
        """Apply every CREATE and CHANGE row; call inside a transaction (services.preview_apply does).
        A row the services refuse raises ValidationError naming the row: nothing is kept."""
        if preview.has_errors:
            raise ValidationError(_("The file has errors: correct them and upload it again. Nothing was imported."))
        if preview.kind != self.kind or preview.target_id != self.target_id:
            raise ValidationError(_("This preview is of another import."))
        self.check_permission()
        importers = {importer.kind: importer for importer in (self, *self.companions)}
        result = dict.fromkeys(ACTIONS, 0)
        self.applied = {kind: dict.fromkeys(ACTIONS, 0) for kind in importers}  # the counts of each sheet
        for row in preview.rows:
            importer = importers.get(row.kind or self.kind)
            if importer is None:
                raise ValidationError(_("This preview is of another import."))
            if row.action in (CREATE, CHANGE):
                try:
                    importer.apply_row(row, importer.load(row.values))
                except ValidationError as exc:
                    reason = " ".join(exc.messages)
                    if importer is self:
                        raise ValidationError(_("Row %(row)s: %(reason)s") % {"row": row.row, "reason": reason}) from exc
                    raise ValidationError(_("Sheet “%(sheet)s”, row %(row)s: %(reason)s") % {"sheet": row.sheet, "row": row.row, "reason": reason}) from exc
            result[row.action] += 1
            self.applied[importer.kind][row.action] += 1
        return result
