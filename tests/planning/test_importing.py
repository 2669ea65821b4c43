"""planning.importing: sheets are read within bounds whatever the file claims, and the column
classes read cells the Vietnamese way (dates day first, 1.234.567 ₫, codes kept as text)."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation

from planning.importing import (
    AmountColumn,
    CellProblem,
    ChoiceColumn,
    CodeColumn,
    DateColumn,
    DecimalColumn,
    Limits,
    LookupColumn,
    SheetProblem,
    TextColumn,
    YesNoColumn,
    open_workbook,
    read_sheet,
)
from planning.models import ImportPreview, OrganisationType

SHEET_PATH = "xl/worksheets/sheet1.xml"


@pytest.fixture(autouse=True)
def in_english():
    """The messages are checked in English."""
    with translation.override("en"):
        yield


def workbook_bytes(rows, title="Data") -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def with_sheet_xml(content: bytes, sheet_xml: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook with its first sheet's XML replaced (and other members added), compressed."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, sheet_xml if member.filename == SHEET_PATH else source.read(member))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return output.getvalue()


def sheet_xml(rows: str, dimension: str = "A1:B2") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    ).encode()


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Code</t></is></c></row>'


# Bounds ------------------------------------------------------------------------------------------


def test_a_sheet_of_millions_of_empty_cells_is_refused_with_a_message_before_any_row_is_read():
    empty_rows = "".join(f'<row r="{number}">' + "<c/>" * 1000 + "</row>" for number in range(2, 1002))  # a million empty cells
    bomb = with_sheet_xml(workbook_bytes([["Name", "Code"]]), sheet_xml(HEADER_ROW + empty_rows, dimension="A1:XFD1048576"))
    assert len(bomb) < 200_000  # small upload, big sheet

    with open_workbook(bomb) as workbook, pytest.raises(SheetProblem, match=r"400\.000 cells") as refused:
        workbook.read("Data")
    assert "Data" in str(refused.value)


def test_a_sheet_claiming_the_whole_grid_is_read_only_as_far_as_it_has_rows():
    """A dimension of A1:XFD1048576 with two real rows reads two rows, each cut at the column limit."""
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="inlineStr"><is><t>Lan</t></is></c><c r="B2" t="inlineStr"><is><t>1.10</t></is></c></row>'
    content = with_sheet_xml(workbook_bytes([["Name", "Code"]]), sheet_xml(rows, dimension="A1:XFD1048576"))

    sheet = read_sheet(content)

    assert sheet.header[:2] == ["Name", "Code"]
    assert len(sheet.header) == 60
    assert [(number, values[:2]) for number, values in sheet.rows] == [(2, ("Lan", "1.10"))]
    assert sheet.cells_visited == 4


def test_a_zip_that_unpacks_beyond_the_limit_is_refused_before_parsing():
    padding = {"xl/media/padding.bin": b"\0" * (2 * 1024 * 1024)}  # 2 MB of zeros, a few KB compressed
    content = with_sheet_xml(workbook_bytes([["Name"], ["Lan"]]), sheet_xml(HEADER_ROW), extra=padding)

    with pytest.raises(SheetProblem, match="unpacks to more than 1 MB"):
        open_workbook(content, Limits(max_unpacked_bytes=1024 * 1024))


def test_a_zip_whose_headers_lie_about_the_unpacked_size_is_refused():
    content = bytearray(with_sheet_xml(workbook_bytes([["Name"], ["Lan"]]), sheet_xml(HEADER_ROW), extra={"xl/media/big.bin": b"\0" * 300_000}))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        member = archive.getinfo("xl/media/big.bin")
    # Shrink the declared size in the local header and the central directory: 300 000 -> 10
    for offset in (member.header_offset + 22, content.rfind(b"PK\x01\x02", 0, content.find(b"xl/media/big.bin", member.header_offset + 30)) + 24):
        content[offset : offset + 4] = (10).to_bytes(4, "little")

    with pytest.raises(SheetProblem):
        open_workbook(bytes(content), Limits(max_unpacked_bytes=200_000))


def test_a_zip_of_too_many_members_is_refused():
    content = with_sheet_xml(workbook_bytes([["Name"]]), sheet_xml(HEADER_ROW), extra={f"xl/media/{n}.txt": b"x" for n in range(30)})

    with pytest.raises(SheetProblem, match="more than 20 files"):
        open_workbook(content, Limits(max_members=20))


def test_rows_beyond_the_limit_are_refused_with_a_message_saying_to_split_the_file():
    content = workbook_bytes([["Name"], *([f"Người {n}"] for n in range(12))])

    with pytest.raises(SheetProblem, match="more than 10 rows"):
        read_sheet(content, limits=Limits(max_rows=10))


def test_a_value_beyond_the_last_column_is_refused():
    content = workbook_bytes([["Name"], ["Lan", *([None] * 8), "far right"]])

    with pytest.raises(SheetProblem, match="beyond column E"):
        read_sheet(content, limits=Limits(max_columns=5))


def test_an_upload_larger_than_the_limit_is_refused_without_reading_it_all():
    with pytest.raises(SheetProblem, match="larger than 1 MB"):
        open_workbook(io.BytesIO(b"PK" + b"\0" * (2 * 1024 * 1024)), Limits(max_upload_bytes=1024 * 1024))


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04 not really a zip", workbook_bytes([["a"]])[:500]])
def test_something_that_is_not_a_workbook_is_refused_with_a_message(content):
    with pytest.raises(SheetProblem, match=r"\.xlsx"):
        open_workbook(content)


# Cells ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("02/01/2025", datetime.date(2025, 1, 2)),
        ("15/01/2025", datetime.date(2025, 1, 15)),
        ("2025-01-02", datetime.date(2025, 1, 2)),
        ("02-01-2025", datetime.date(2025, 1, 2)),
        (datetime.datetime(2025, 1, 2), datetime.date(2025, 1, 2)),
        (45659, datetime.date(2025, 1, 2)),  # an Excel date without its date format
    ],
)
def test_dates_are_read_day_first_or_iso_never_month_first(written, expected):
    assert DateColumn(key="day", header_vi="Ngày", header_en="Date").clean(written) == expected


@pytest.mark.parametrize("written", ["01/13/2025", "13th January", "2025/13/01", "31/02/2025"])
def test_a_date_that_is_not_day_first_is_an_error_not_a_guess(written):
    with pytest.raises(CellProblem, match="dd/mm/yyyy"):
        DateColumn(key="day", header_vi="Ngày", header_en="Date").clean(written)


@pytest.mark.parametrize(
    ("written", "expected"),
    [("1.234.567 ₫", 1234567), ("VND 1,234,567", 1234567), ("1.234.567 đồng", 1234567), (1234567, 1234567), (1234567.0, 1234567), ("1.234", 1234)],
)
def test_amounts_in_dong_are_read_in_vietnamese_or_english_format(written, expected):
    assert AmountColumn(key="amount", header_vi="Số tiền", header_en="Amount").clean(written) == expected


@pytest.mark.parametrize("written", ["1.234,5", "-5", "nhiều"])
def test_an_amount_with_decimals_negative_or_in_words_is_an_error(written):
    with pytest.raises(CellProblem):
        AmountColumn(key="amount", header_vi="Số tiền", header_en="Amount").clean(written)


@pytest.mark.parametrize(("written", "expected"), [("85,5", Decimal("85.5")), ("85.5", Decimal("85.5")), (82.25, Decimal("82.25")), ("90%", Decimal(90))])
def test_decimals_take_the_vietnamese_comma(written, expected):
    assert DecimalColumn(key="score", header_vi="Điểm", header_en="Score", minimum=0, maximum=100).clean(written) == expected


def test_a_code_stays_as_written():
    column = CodeColumn(key="code", header_vi="Mã", header_en="Code")
    assert column.clean("1.10") == "1.10"
    assert column.clean(" 2.3.1 ") == "2.3.1"
    with pytest.raises(CellProblem):
        column.clean(datetime.datetime(2025, 10, 1))


def test_a_choice_is_read_by_its_label_in_either_language_or_its_code():
    column = ChoiceColumn(key="type", header_vi="Loại hình", header_en="Type", choices=OrganisationType)
    assert column.clean("10") == column.clean("Government") == column.clean("10 Chính phủ (Government)") == OrganisationType.GOVERNMENT
    with pytest.raises(CellProblem, match="is not one of"):
        column.clean("Công ty ma")


def test_yes_and_no_in_either_language():
    column = YesNoColumn(key="consent", header_vi="Đồng ý", header_en="Consent")
    assert [column.clean(value) for value in ("có", "Yes", "x", 1, None, "không", "no")] == [True, True, True, True, False, False, False]


def test_a_required_cell_left_blank_and_overlong_text_are_errors():
    column = TextColumn(key="name", header_vi="Tên", header_en="Name", required=True, max_length=5)
    with pytest.raises(CellProblem, match="required"):
        column.clean("  ")
    with pytest.raises(CellProblem, match="At most 5"):
        column.clean("Nguyễn Thị Lan")


def test_an_unknown_name_suggests_the_closest_match():
    provinces = LookupColumn(
        key="province", header_vi="Tỉnh", header_en="Province",
        options=lambda importer: [(("Đà Nẵng", "48"), 1, "Đà Nẵng (48)"), (("Hà Nội", "01"), 2, "Hà Nội (01)")],
    )  # fmt: skip

    assert provinces.clean("đà nẵng") == 1
    assert provinces.clean("01") == 2
    with pytest.raises(CellProblem, match=r"Did you mean Đà Nẵng \(48\)\?"):
        provinces.clean("Da Nang city")


def test_the_purge_command_deletes_expired_previews_only(db):
    user = get_user_model().objects.create(username="uploader")
    now = timezone.now()
    for expires in (now - datetime.timedelta(minutes=1), now + datetime.timedelta(minutes=30)):
        ImportPreview.objects.create(uploader=user, kind="test", file_sha256="0" * 64, expires=expires)
    output = io.StringIO()

    call_command("purge_import_previews", stdout=output)

    assert ImportPreview.objects.get().expires > now
    assert output.getvalue().startswith("1 expired")
