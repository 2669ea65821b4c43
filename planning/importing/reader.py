"""Read a sheet of an uploaded .xlsx within fixed bounds, whatever the file claims about itself.

A workbook is a zip of XML files, so a small upload can unpack to gigabytes, or hold millions of
empty cells that cost minutes of CPU. Before openpyxl sees anything, `open_workbook` checks the zip:
how many members, and how many bytes they really unpack to (read through a bounded stream, so a
header that lies about a member's size gains nothing). `Workbook.read` then walks the sheet's XML
once, counting its cells and rows and refusing when there are too many, before it reads the values
with openpyxl in read-only (streaming) mode, never past the row and column limits. Every refusal is
a `SheetProblem` whose message says what to do.
"""

import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from xml.parsers import expat

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils import column_index_from_string, get_column_letter

from .cells import text

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """How much of a workbook is read at most. A file beyond a limit is refused, never cut short."""

    max_upload_bytes: int = 5 * 1024 * 1024  # the file as uploaded
    max_members: int = 200  # files inside the zip
    max_unpacked_bytes: int = 25 * 1024 * 1024  # all members together, unpacked
    max_rows: int = 5000  # rows below the header, empty ones included up to the last one with a value
    max_columns: int = 60  # a value further right is refused
    max_cells: int = 400_000  # <c> elements of the sheet, empty (formatted) ones included


DEFAULT_LIMITS = Limits()


class SheetProblem(Exception):
    """Why a file cannot be read; `str()` is a message for the person who uploaded it."""


@dataclass
class Sheet:
    """A sheet's header (row 1, or the row `Workbook.read` found it on) and its non-empty rows below
    it as (Excel row number, values)."""

    name: str
    header: list = field(default_factory=list)
    header_row: int = 1  # Excel's number of the header row
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    cells_visited: int = 0  # <c> elements the bounds check walked through


def read_upload(uploaded, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The upload's bytes, read no further than the upload limit."""
    if isinstance(uploaded, bytes | bytearray):
        content = bytes(uploaded)
    else:
        if hasattr(uploaded, "seek"):
            uploaded.seek(0)
        content = uploaded.read(limits.max_upload_bytes + 1)
    if len(content) > limits.max_upload_bytes:
        raise SheetProblem(_("The file is larger than %(size)s MB.") % {"size": limits.max_upload_bytes // (1024 * 1024)})
    return content


def _not_a_workbook() -> SheetProblem:
    return SheetProblem(_("This file is not an Excel workbook (.xlsx). Download the template, fill it in and upload it again."))


def _too_big(limits: Limits) -> SheetProblem:
    megabytes = limits.max_unpacked_bytes // (1024 * 1024)
    return SheetProblem(
        _("This workbook unpacks to more than %(size)s MB: it holds far more than a list to import. Copy the rows into the template and upload that.")
        % {"size": megabytes}
    )


class Workbook:
    """An uploaded workbook that passed the zip checks; use as a context manager, then `read(name)`."""

    def __init__(self, uploaded, limits: Limits = DEFAULT_LIMITS):
        self.limits = limits
        content = read_upload(uploaded, limits)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(content))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise _not_a_workbook() from exc
        try:
            self._check_zip()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
                self.workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except SheetProblem:
            self.zip.close()
            raise
        except Exception as exc:  # a wrong file fails in zipfile, the XML parser or openpyxl, each its own way
            self.zip.close()
            raise _not_a_workbook() from exc
        self._paths = self._sheet_paths()

    def _check_zip(self) -> None:
        members = self.zip.infolist()
        if len(members) > self.limits.max_members:
            raise SheetProblem(_("This workbook holds more than %(count)s files: it is not a list to import.") % {"count": self.limits.max_members})
        if sum(member.file_size for member in members) > self.limits.max_unpacked_bytes:
            raise _too_big(self.limits)
        budget = self.limits.max_unpacked_bytes
        for member in members:  # what they really unpack to, whatever the headers say
            try:
                with self.zip.open(member) as stream:
                    while chunk := stream.read(min(CHUNK, budget + 1)):
                        budget -= len(chunk)
                        if budget < 0:
                            raise _too_big(self.limits)
            except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError) as exc:
                raise _not_a_workbook() from exc

    def _sheet_paths(self) -> dict[str, str]:
        """Sheet name -> its XML's path inside the zip, as openpyxl found them."""
        paths = {}
        for worksheet in self.workbook.worksheets:
            path = getattr(worksheet, "_worksheet_path", None)
            if path:
                paths[worksheet.title] = path.lstrip("/")
        return paths

    @property
    def sheetnames(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def close(self) -> None:
        self.workbook.close()
        self.zip.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def find(self, *names: str, skip: tuple[str, ...] = (), fallback: bool = True) -> str | None:
        """The first sheet named one of `names` (any case), else (with `fallback`) the first sheet not in `skip`."""
        by_key = {name.casefold(): name for name in self.sheetnames}
        for name in names:
            if name.casefold() in by_key:
                return by_key[name.casefold()]
        return next((name for name in self.sheetnames if name not in skip), None) if fallback else None

    def read(self, name: str, *, is_header=None, header_search_rows: int = 10) -> Sheet:
        """The sheet's header and non-empty rows, after checking its size cell by cell.

        The header is row 1, unless `is_header(values)` is given: then it is the first of the first
        `header_search_rows` rows for which it is true (a title, a line of context or a legend may
        come before it), or row 1 when none is. Rows above the header are not data."""
        if name not in self.sheetnames:
            raise SheetProblem(_("The workbook has no sheet “%(sheet)s”.") % {"sheet": name})
        sheet = Sheet(name=name)
        sheet.cells_visited = self._check_sheet(name)
        limits = self.limits
        try:
            worksheet = self.workbook[name]
            rows = worksheet.iter_rows(min_row=1, max_row=limits.max_rows + 1, max_col=limits.max_columns, values_only=True)
            above: list[tuple[int, tuple]] = []  # rows read while looking for the header
            found = is_header is None
            for number, values in enumerate(rows, start=1):
                if not found:
                    above.append((number, tuple(values)))
                    if is_header(list(values)):
                        found = True
                        sheet.header, sheet.header_row, above = list(values), number, []
                    elif number < header_search_rows:
                        continue
                    else:  # no header among the first rows: row 1 is the header, as without is_header
                        found = True
                        (_first, header), *above = above
                        sheet.header = list(header)
                        sheet.rows.extend((at, row) for at, row in above if any(text(value) for value in row))
                    continue
                if number == 1:
                    sheet.header = list(values)
                elif any(text(value) for value in values):
                    sheet.rows.append((number, tuple(values)))
            if not found and above:  # a short sheet with no header among its rows
                (_first, header), *above = above
                sheet.header = list(header)
                sheet.rows.extend((at, row) for at, row in above if any(text(value) for value in row))
        except SheetProblem:
            raise
        except Exception as exc:
            raise SheetProblem(_("The workbook could not be read: it may be damaged. Save it again as .xlsx and upload it again.")) from exc
        return sheet

    def _check_sheet(self, name: str) -> int:
        """Walk the sheet's XML once with expat (no tree is built) and refuse it when it has too many
        cells, a value beyond the last row or column read, a DTD, or is not XML. Returns the cells visited."""
        path = self._paths.get(name)
        if path is None:
            return 0
        limits = self.limits
        state = {"cells": 0, "cell": None}
        too_many = _("The sheet “%(sheet)s” has more than %(cells)s cells, empty ones included: copy only the rows to import into a new workbook.") % {
            "sheet": name, "cells": f"{limits.max_cells:,}".replace(",", "."),
        }  # fmt: skip

        def start(tag, attributes):
            local = tag.rpartition("}")[2]
            if local == "c":
                state["cells"] += 1
                if state["cells"] > limits.max_cells:
                    raise SheetProblem(too_many)
                state["cell"] = attributes.get("r", "")
            elif local in ("v", "f", "is") and state["cell"] is not None:
                self._check_position(name, state["cell"])
                state["cell"] = None  # checked once

        def end(tag):
            if tag.rpartition("}")[2] == "c":
                state["cell"] = None

        def no_dtd(*args):
            raise SheetProblem(_("The workbook could not be read: it may be damaged. Save it again as .xlsx and upload it again."))

        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = no_dtd
        try:
            with self.zip.open(path) as stream:
                while chunk := stream.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise SheetProblem(_("The workbook could not be read: it may be damaged. Save it again as .xlsx and upload it again.")) from exc
        return state["cells"]

    def _check_position(self, name: str, reference: str) -> None:
        match = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", reference)
        if match is None:
            return  # a cell without a reference follows the previous one; openpyxl reads it within the bounds
        column, row = column_index_from_string(match.group(1)), int(match.group(2))
        if row > self.limits.max_rows + 1:
            raise SheetProblem(
                _("The sheet “%(sheet)s” has more than %(rows)s rows: split it into several files of at most %(rows)s rows.")
                % {"sheet": name, "rows": self.limits.max_rows}
            )
        if column > self.limits.max_columns:
            raise SheetProblem(
                _("The sheet “%(sheet)s” has data beyond column %(column)s (cell %(cell)s): keep to the template's columns.")
                % {"sheet": name, "column": get_column_letter(self.limits.max_columns), "cell": reference}
            )


def open_workbook(uploaded, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """The uploaded .xlsx (a file or bytes), checked; raises SheetProblem with a message."""
    return Workbook(uploaded, limits)


def read_sheet(uploaded, *names: str, skip: tuple[str, ...] = (), limits: Limits = DEFAULT_LIMITS, is_header=None, header_search_rows: int = 10) -> Sheet:
    """One sheet of the upload (the first named one of `names`, else the first not in `skip`); its
    header is row 1, or the first of the first rows for which `is_header(values)` is true."""
    with open_workbook(uploaded, limits) as workbook:
        name = workbook.find(*names, skip=skip)
        if name is None:
            raise SheetProblem(_("The workbook has no sheet to import."))
        return workbook.read(name, is_header=is_header, header_search_rows=header_search_rows)
