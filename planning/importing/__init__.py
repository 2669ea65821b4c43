"""One import framework for every spreadsheet the portal takes in.

- `reader`: open an upload within bounds (zip members, unpacked bytes, cells, rows, columns) and
  read a sheet in streaming mode; `SheetProblem` says why a file is refused.
- `columns`: `TextColumn`, `CodeColumn`, `IntegerColumn`, `DecimalColumn`, `AmountColumn`,
  `DateColumn`, `YesNoColumn`, `ChoiceColumn`, `LookupColumn`: each parses and checks one cell.
- `base`: `Importer` (columns + `check_row` + `apply_row`), and the `Preview` it makes: per row
  CREATE / CHANGE (old -> new) / UNCHANGED / ERROR, every error with sheet, row and column; an
  importer's `companions` read further sheets of the same upload into the same preview.
- `services`: `preview_create` stores a preview (an `ImportPreview` row, one hour);
  `preview_apply` applies it once, in one transaction.
- `template`: the .xlsx template of an importer's columns, with a bilingual guide.
"""

from .base import ACTIONS, CHANGE, CREATE, ERROR, UNCHANGED, CellError, Change, Importer, Preview, Row, RowPreview
from .columns import (
    AmountColumn,
    CellProblem,
    ChoiceColumn,
    CodeColumn,
    Column,
    DateColumn,
    DecimalColumn,
    IntegerColumn,
    LookupColumn,
    TextColumn,
    YesNoColumn,
)
from .reader import DEFAULT_LIMITS, Limits, Sheet, SheetProblem, open_workbook, read_sheet, read_upload

__all__ = [
    "ACTIONS",
    "CHANGE",
    "CREATE",
    "DEFAULT_LIMITS",
    "ERROR",
    "UNCHANGED",
    "AmountColumn",
    "CellError",
    "CellProblem",
    "Change",
    "ChoiceColumn",
    "CodeColumn",
    "Column",
    "DateColumn",
    "DecimalColumn",
    "Importer",
    "IntegerColumn",
    "Limits",
    "LookupColumn",
    "Preview",
    "Row",
    "RowPreview",
    "Sheet",
    "SheetProblem",
    "TextColumn",
    "YesNoColumn",
    "open_workbook",
    "read_sheet",
    "read_upload",
]
