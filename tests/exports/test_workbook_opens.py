"""The logframe workbooks open in a real spreadsheet program as they are (issue 10 §1: "opens without
a repair prompt in Excel and LibreOffice").

LibreOffice (Debian's `libreoffice-calc-nogui`, installed by `.ci/run`) loads each workbook headless,
recalculates it and saves it again; what it saved is read back with openpyxl. A file LibreOffice cannot
read produces nothing; one it reads only in part loses cells; a broken formula comes back as an error
value. Excel is not on this machine: `test_exporting.py` checks the limits Excel repairs a file for
(sheet titles, cell lengths, control characters), and this test checks what both programs compute.
"""

import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from planning.models import Activity, DeliveryPlan, ReviewStatus

pytestmark = pytest.mark.django_db

ERROR_VALUES = ("#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is needed for this test (Debian: apt-get install libreoffice-calc-nogui; .ci/run installs it)"
    return found


def through_libreoffice(content: bytes, tmp_path):
    """The workbook as LibreOffice saves it after opening it: formulas with the values it computed."""
    source = tmp_path / "logframe.xlsx"
    source.write_bytes(content)
    converted = tmp_path / "converted"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",  # a profile of its own: no lock, no first-run dialogs
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(converted),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = converted / "logframe.xlsx"
    assert result.exists(), "LibreOffice could not open the workbook"
    return load_workbook(result, data_only=True), load_workbook(result)


def comparable(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    return value


def download(client, url_name, language):
    with translation.override(language):
        url = reverse(url_name)
    response = client.get(f"{url}?year=2024")
    assert response.status_code == 200, response.content[:300]
    return response.content


def assert_libreoffice_reads_it_all(content: bytes, tmp_path):
    original = load_workbook(io.BytesIO(content))
    computed, formulas = through_libreoffice(content, tmp_path)

    assert computed.sheetnames == original.sheetnames
    checked_formulas = 0
    for sheet in original.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                seen = computed[sheet.title][cell.coordinate].value
                if cell.data_type == "f":
                    assert isinstance(seen, int | float), f"{sheet.title}!{cell.coordinate} {cell.value} gave {seen!r}"
                    assert formulas[sheet.title][cell.coordinate].data_type == "f"  # still a live formula
                    checked_formulas += 1
                elif cell.value is not None:
                    assert comparable(seen) == comparable(cell.value), f"{sheet.title}!{cell.coordinate}"
                    if isinstance(cell.value, str):  # text stays text, even text that looks like a formula
                        assert formulas[sheet.title][cell.coordinate].data_type == "s", f"{sheet.title}!{cell.coordinate}"
                if isinstance(seen, str):
                    assert not seen.startswith(ERROR_VALUES), f"{sheet.title}!{cell.coordinate}: {seen}"
    return original, computed, checked_formulas


def budget_totals(original, computed):
    """The Budget sheet's total row as LibreOffice computed it, and the same sums done here."""
    sheet = next(sheet for sheet in original.worksheets if sheet.title in ("Budget", "Kinh phí"))
    total_row = next(row for row in sheet.iter_rows() if row[3].data_type == "f" and str(row[3].value).startswith("=SUM("))
    first, last = (int(bound[1:]) for bound in total_row[3].value[len("=SUM(") : -1].split(":"))
    expected = [sum(Decimal(str(sheet.cell(row=r, column=c).value or 0)) for r in range(first, last + 1)) for c in (4, 5, 6)]
    seen = [Decimal(str(computed[sheet.title].cell(row=total_row[0].row, column=c).value)) for c in (4, 5, 6, 7)]
    return expected, seen


@pytest.mark.parametrize("language", ["vi", "en"])
def test_libreoffice_opens_the_public_workbook_and_computes_its_budget(client, demo_data, tmp_path, language):
    title = '=HYPERLINK("http://example.com","bấm vào đây")'
    Activity.objects.filter(pk=Activity.objects.filter(delivery_plans__year=2024).order_by("code").first().pk).update(title_vi=title, title_en=title)
    content = download(client, "public:export-logframe-xlsx", language)

    original, computed, formulas = assert_libreoffice_reads_it_all(content, tmp_path)

    assert formulas > 0
    expected, seen = budget_totals(original, computed)
    assert expected[0] > 0
    assert seen[:3] == expected
    assert seen[3] == expected[0] - expected[1]  # the funding gap
    texts = [cell.value for sheet in computed.worksheets for row in sheet.iter_rows() for cell in row]
    assert title in texts  # shown as typed, never run


def test_libreoffice_opens_the_workspace_workbook_with_its_drafts(client, demo_data, tmp_path):
    DeliveryPlan.objects.filter(year=2024).update(status=ReviewStatus.APPROVED)  # the plan itself a draft to the public
    client.force_login(get_user_model().objects.get(username="coordinator"))
    content = download(client, "planning:export-logframe-xlsx", "vi")

    original, computed, formulas = assert_libreoffice_reads_it_all(content, tmp_path)

    assert formulas > 0
    expected, seen = budget_totals(original, computed)
    assert seen[:3] == expected
    assert "(chưa công bố)" in " ".join(str(cell.value) for row in computed.worksheets[1].iter_rows() for cell in row)
