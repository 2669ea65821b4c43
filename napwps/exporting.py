"""Shared export helpers: rows -> a styled .xlsx, a template -> a PDF, and the HTTP responses.

Spreadsheets never contain formulas: a text that looks like one ("=SUM(A1)", "+84 912", "-1")
stays a text cell, so opening an export cannot run anything (formula injection). PDFs are
rendered by WeasyPrint with a URL fetcher that serves only this project's static files: rendering
never touches the network or the rest of the file system.
"""

import datetime
import io
import mimetypes
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_CONTENT_TYPE = "application/pdf"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 6, 60
DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm", "hh:mm"
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
CELL_TEXT_LIMIT = 32_767  # Excel's most characters in a cell; a longer text makes it repair the file


# Spreadsheets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A formula the code wrote (`Formula("=SUM(D5:D9)")`): the only way a cell becomes a formula.
    Data never does: a text starting with "=" stays text (see `write_cell`)."""

    text: str

    def __post_init__(self):
        if not self.text.startswith("="):
            raise ValueError(f"A formula starts with '=': {self.text[:50]!r}")


@dataclass
class Sheet:
    """One worksheet: a title, a header row, the rows, and optionally each column's width."""

    title: str
    header: list[str]
    rows: Iterable[Sequence]
    column_widths: list[float] | None = None


def cell_value(value):
    """What openpyxl should store: numbers and dates as they are, everything else as plain text."""
    if value is None or isinstance(value, Formula):
        return value
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date | datetime.time):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))  # str() also resolves lazy translations
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # XML reads a bare \r as \n anyway: say so
    return text if len(text) <= CELL_TEXT_LIMIT else text[: CELL_TEXT_LIMIT - 1] + "…"  # cut where it is seen cut


def write_cell(worksheet, row: int, column: int, value):
    """Write one cell; text is always a string cell, never a formula (only a `Formula` is one)."""
    value = cell_value(value)
    if isinstance(value, Formula):
        cell = worksheet.cell(row=row, column=column, value=value.text)
        cell.data_type = "f"
        return cell
    cell = worksheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    elif isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, datetime.time):
        cell.number_format = TIME_FORMAT
    return cell


def display_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, datetime.time):
        return 5
    return max((len(line) for line in str(value).splitlines()), default=0)


def sheet_title(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = (str(title).translate(SHEET_TITLE_FORBIDDEN).strip() or "Sheet")[:31]
    candidate, number = base, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{base[: 31 - len(str(number)) - 1]} {number}"
    taken.add(candidate.lower())
    return candidate


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """A styled .xlsx: bold frozen header, autofilter, columns as wide as their contents."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    taken: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title, taken))
        widths = [display_width(label) for label in sheet.header]
        for column, label in enumerate(sheet.header, start=1):
            cell = write_cell(worksheet, 1, column, label)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        row_number = 1
        for row_number, row in enumerate(sheet.rows, start=2):
            for column, value in enumerate(row, start=1):
                write_cell(worksheet, row_number, column, value)
                if column > len(widths):
                    widths.append(0)
                widths[column - 1] = max(widths[column - 1], display_width(value))
        widths = [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]  # a little padding, within bounds
        if sheet.column_widths:  # given widths win
            widths = [*sheet.column_widths, *widths[len(sheet.column_widths) :]]
        for column, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(column)].width = width
        if sheet.header:
            worksheet.freeze_panes = "A2"
            last_column = get_column_letter(max(len(sheet.header), len(widths)))
            worksheet.auto_filter.ref = f"A1:{last_column}{max(row_number, 1)}"
    if not workbook.worksheets:
        workbook.create_sheet("Sheet")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# Print-ready workbooks (step 6: the logframe workbook) ----------------------------------------------

VND_FORMAT = "#,##0"  # Vietnamese dong have no decimals
PERCENT_FORMAT = '0"%"'  # a stored 0-100 percentage, shown with its sign


def print_ready(worksheet, *, title_rows: str | None = None, freeze: str | None = None, landscape: bool = True) -> None:
    """A4, landscape, fit to the page width (as many pages down as needed), `title_rows` (e.g. "3:4")
    repeated at the top of every printed page, and panes frozen at `freeze` (e.g. "C5")."""
    setup = worksheet.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = worksheet.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    worksheet.print_options.horizontalCentered = False
    worksheet.page_margins.left = worksheet.page_margins.right = 0.4
    if title_rows:
        worksheet.print_title_rows = title_rows
    if freeze:
        worksheet.freeze_panes = freeze


def set_widths(worksheet, widths: dict[int, float]) -> None:
    """Column widths by column number (1 = A)."""
    for column, width in widths.items():
        worksheet.column_dimensions[get_column_letter(column)].width = width


def save_workbook(workbook) -> bytes:
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


# PDF --------------------------------------------------------------------------------------------


def static_prefix() -> str:
    """The path under which `{% static %}` URLs are served, e.g. '/static/'."""
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


STATIC_BASE_URL_SCHEME = "file"


def pdf_base_url() -> str:
    """The base URL of the HTML: `/static/css/print.css` becomes `file:///static/css/print.css`,
    which the fetcher serves from the static files (never from that path on disk)."""
    return f"{STATIC_BASE_URL_SCHEME}://{static_prefix()}"


class RefusedURL(ValueError):
    """A PDF asked for something other than a local static file."""


def static_file_path(url: str) -> str | None:
    """The local file of a static-file URL, or None when `url` is not one."""
    parts = urlsplit(url)
    absolute_static_url = urlsplit(settings.STATIC_URL)
    if parts.scheme == STATIC_BASE_URL_SCHEME and parts.netloc in ("", "localhost"):
        path = unquote(parts.path)
    elif absolute_static_url.scheme and (parts.scheme, parts.netloc) == (absolute_static_url.scheme, absolute_static_url.netloc):
        path = unquote(parts.path)  # STATIC_URL on another host: still served from the local files
    else:
        return None
    prefix = static_prefix()
    if not path.startswith(prefix):
        return None
    name = PurePosixPath(path[len(prefix) :])
    if not name.parts or name.is_absolute() or ".." in name.parts or "\\" in str(name) or "\x00" in str(name):
        return None
    try:
        found = finders.find(str(name))
        if not found and staticfiles_storage.exists(str(name)):  # collected, hashed names: `{% static %}` in production
            found = staticfiles_storage.path(str(name))
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return found if found and os.path.isfile(found) else None


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, reduced to static files and `data:` URLs; everything else is refused."""

    def __init__(self, **kwargs):
        super().__init__(**{**kwargs, "allowed_protocols": {"data"}})

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_path(url)
        if path is None:
            raise RefusedURL(f"Only local static files may be used in a PDF, not {url[:200]!r}.")
        with open(path, "rb") as file:
            body = file.read()
        return URLFetcherResponse(url, body, headers={"Content-Type": mimetypes.guess_type(path)[0] or "application/octet-stream"})


def pdf_bytes(template_name: str, context: dict, request=None) -> bytes:
    """Render a template to HTML, then to PDF with WeasyPrint, using only local static files."""
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=pdf_base_url(), url_fetcher=StaticFilesFetcher()).write_pdf()


# Responses --------------------------------------------------------------------------------------


def file_response(data: bytes, *, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Content-Length"] = str(len(data))
    add_never_cache_headers(response)  # exports hold personal data: no shared or stale copies
    return response


def xlsx_response(filename: str, data: bytes) -> HttpResponse:
    return file_response(data, content_type=XLSX_CONTENT_TYPE, filename=filename)


def pdf_response(filename: str, data: bytes, inline: bool = False) -> HttpResponse:
    return file_response(data, content_type=PDF_CONTENT_TYPE, filename=filename, inline=inline)
