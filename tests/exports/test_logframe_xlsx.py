"""The public logframe workbook (issue 10 §1): opened with openpyxl and read cell by cell."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from napwps.exporting import XLSX_CONTENT_TYPE
from tests.factories import leak_strings, public_world

pytestmark = pytest.mark.django_db


def export_url(language="vi", **params):
    with translation.override(language):
        url = reverse("public:export-logframe-xlsx")
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{url}?{query}" if query else url


def download(client, language="vi", **params):
    response = client.get(export_url(language, **params))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return load_workbook(io.BytesIO(response.content))


def all_text(workbook) -> str:
    return "\n".join(str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_smoke(client):
    world = public_world(activities=3)
    workbook = download(client, "en")
    workbook.save("/tmp/xl/en.xlsx")
    for ws in workbook.worksheets:
        print("==", ws.title)
        for row in ws.iter_rows(values_only=True):
            print(row)
