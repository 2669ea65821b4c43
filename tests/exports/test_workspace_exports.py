"""The workspace exports of the logframe (planning.views.workspace_exports): the public workbook and
PDF built from the working values for signed-in staff, every draft marked. Read back with openpyxl
and pypdf."""

import io
import unicodedata

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from napwps.exporting import XLSX_CONTENT_TYPE
from planning import roles
from planning.exports import DRAFT_FILL, activity_import_headers
from tests.factories import UserFactory, public_world

pytestmark = pytest.mark.django_db

MARK = {"vi": "(chưa công bố)", "en": "(not yet published)"}


def export_url(name="xlsx", language="vi", **params):
    with translation.override(language):
        url = reverse(f"planning:export-logframe-{name}")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def download(client, language="vi", **params):
    response = client.get(export_url("xlsx", language, **params))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return response, load_workbook(io.BytesIO(response.content))


def cells(worksheet):
    return [cell for row in worksheet.iter_rows() for cell in row if cell.value is not None]


def texts(workbook) -> list[str]:
    return [str(cell.value) for worksheet in workbook.worksheets for cell in cells(worksheet)]


STATUS = len(activity_import_headers())  # the Activities sheet: the import's columns, then status and justification


def activity_rows(workbook) -> dict[str, tuple]:
    """The Activities sheet's rows by code (the sheet's third)."""
    worksheet = workbook.worksheets[2]
    header = next(row for row in worksheet.iter_rows() if row[0].value in ("Code", "Mã"))
    return {row[0].value: row for row in worksheet.iter_rows(min_row=header[0].row + 1) if row[0].value}


def cover(workbook) -> dict:
    return {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True) if row[0]}


def shaded(cell) -> bool:
    return cell.fill.fgColor.rgb == DRAFT_FILL.fgColor.rgb


def number_cells(workbook, sheet, value):
    return [cell for cell in cells(workbook[sheet]) if cell.value == value]


@pytest.fixture
def world():
    return public_world(activities=2)


def test_a_focal_point_exports_only_their_agency_with_their_drafts_marked(client, world):
    client.force_login(world.focal)

    response, workbook = download(client, "en", year=world.year)

    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "logframe-2024-draft.xlsx" in response["Content-Disposition"]
    assert set(activity_rows(workbook)) == {activity.code for activity in world.activities}
    found = cover(workbook)
    assert found["Data status"].startswith("Includes values not yet published")
    assert found["Filters"] == f"Activities led by {world.agency}"
    every = " ".join(texts(workbook))
    assert "Includes values not yet published" in workbook["Logframe"]["A2"].value
    # the correction drafted after publication: status, justification and the indicator's actual
    drafted = activity_rows(workbook)[world.activities[0].code]
    assert drafted[STATUS].value == f"Off track {MARK['en']}" and shaded(drafted[STATUS])
    assert drafted[STATUS + 1].value == "LEAK-DRAFT-NARRATIVE" and shaded(drafted[STATUS + 1])
    published = activity_rows(workbook)[world.activities[1].code]
    assert MARK["en"] not in published[STATUS].value and not shaded(published[STATUS])
    actual = number_cells(workbook, "Indicators", 424242)
    assert actual and shaded(actual[0])
    status = workbook["Indicators"].cell(row=actual[0].row, column=10).value
    assert status == f"{MARK['en']}: result"
    # other agencies' reports stay out of a focal point's export
    for other in ("535353", "646464", "LEAK-RETURNED-NARRATIVE", "LEAK-UNPUBLISHED-NARRATIVE"):
        assert other not in every
    assert world.returned_activity.code not in activity_rows(workbook)


def test_a_coordinator_exports_every_agency_with_their_drafts_marked(client, world):
    client.force_login(world.coordinator)

    _response, workbook = download(client, "vi", year=world.year)

    codes = {activity.code for activity in (*world.activities, world.returned_activity, world.unpublished_activity)}
    rows = activity_rows(workbook)
    assert set(rows) == codes
    assert cover(workbook)["Tình trạng dữ liệu"].startswith("Gồm cả số liệu chưa công bố")
    for activity in (world.returned_activity, world.unpublished_activity):
        assert rows[activity.code][STATUS].value.endswith(MARK["vi"])  # reported, never published
    for value in (424242, 535353, 646464):
        found = number_cells(workbook, "Chỉ số", value)
        assert found and all(shaded(cell) for cell in found), value
        assert workbook["Chỉ số"].cell(row=found[0].row, column=10).value.startswith(MARK["vi"])
    assert "LEAK-RETURNED-NARRATIVE" in texts(workbook)


def test_a_coordinator_may_filter_by_agency_like_the_public_export(client, world):
    client.force_login(world.coordinator)

    _response, workbook = download(client, "en", year=world.year, agency=world.returned_activity.lead_agency_id)

    assert set(activity_rows(workbook)) == {world.returned_activity.code}
    assert cover(workbook)["Filters"] == f"Lead agency: {world.returned_activity.lead_agency}"


def test_an_unpublished_year_exports_for_staff_with_its_values_marked(client, world):
    client.force_login(world.focal)

    _response, workbook = download(client, "en", year=world.year + 1)

    assert set(activity_rows(workbook)) == {world.hidden_activity.code}
    logframe = [cell.value for cell in cells(workbook["Logframe"])]
    assert f"LEAK-UNPUBLISHED-ACTIVITY {MARK['en']}" in logframe
    budget = number_cells(workbook, "Budget", 777777777)
    assert budget and shaded(budget[0])
    assert workbook["Budget"].cell(row=budget[0].row, column=1).value.endswith(MARK["en"])
    assert "Draft" in cover(workbook)["Delivery plan approved by"]


def test_the_public_export_still_holds_no_draft(client, world):
    client.force_login(world.coordinator)  # signed in or not, the public export is the public one

    response = client.get(reverse("public:export-logframe-xlsx") + f"?year={world.year}")

    workbook = load_workbook(io.BytesIO(response.content))
    every = " ".join(texts(workbook))
    assert "424242" not in every and "LEAK-DRAFT-NARRATIVE" not in every
    assert MARK["vi"] not in every
    assert cover(workbook)["Tình trạng dữ liệu"].startswith("Chỉ dữ liệu đã công bố")


def pdf_pages(response) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_says_drafts_on_its_cover_and_every_page_and_marks_them(client, world):
    client.force_login(world.focal)

    response = client.get(export_url("pdf", "vi", year=world.year + 1))

    assert "no-store" in response["Cache-Control"]
    assert "logframe-2025-draft.pdf" in response["Content-Disposition"] or "khung-logic-2025" in response["Content-Disposition"]
    pages = [flat(page) for page in pdf_pages(response)]
    assert "Gồm cả số liệu chưa công bố" in pages[0]
    assert all("Gồm cả số liệu chưa công bố" in page for page in pages)  # the running header
    document = " ".join(pages)
    assert f"LEAK-UNPUBLISHED-ACTIVITY {MARK['vi']}" in document
    assert "777.777.777" in document


def test_the_pdf_of_a_published_year_marks_the_drafted_values(client, world):
    client.force_login(world.coordinator)

    document = " ".join(flat(page) for page in pdf_pages(client.get(export_url("pdf", "en", year=world.year))))

    assert f"424,242 {MARK['en']}" in document
    assert f"535,353 {MARK['en']}" in document
    assert f"Off track {MARK['en']}" in document


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    for name in ("xlsx", "pdf"):
        response = client.get(export_url(name))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_a_user_without_agency_or_coordinator_role_is_refused(client, world):
    organiser = UserFactory(username="organiser.only")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    client.force_login(organiser)

    for name in ("xlsx", "pdf"):
        assert client.get(export_url(name)).status_code == 403


@pytest.mark.parametrize("params", [{"year": "1999"}, {"year": "abc"}, {"agency": "abc"}, {"status": "nonsense"}])
def test_bad_values_are_the_400_page(client, world, params):
    client.force_login(world.coordinator)

    response = client.get(export_url("xlsx", "en", **params))

    assert response.status_code == 400
    assert "The export could not be made" in response.content.decode()


def test_a_focal_point_cannot_filter_into_another_agency(client, world):
    client.force_login(world.focal)

    response = client.get(export_url("xlsx", "en", year=world.year, agency=world.returned_activity.lead_agency_id))

    assert response.status_code == 400


def test_the_workspace_home_links_to_the_exports(client, world):
    client.force_login(world.focal)

    page = client.get(reverse("planning:workspace")).content.decode()

    assert export_url("xlsx") in page and export_url("pdf") in page


def test_the_workbook_costs_the_same_number_of_queries_at_two_sizes(client, world):
    client.force_login(world.coordinator)
    world.add_published(5)

    with CaptureQueriesContext(connection) as small:
        download(client, "en", year=world.year)
    world.add_published(25)
    with CaptureQueriesContext(connection) as large:
        _response, workbook = download(client, "en", year=world.year)

    assert len(activity_rows(workbook)) == 34
    assert len(large) == len(small) <= 50


def test_the_workspace_home_links_each_year_of_the_plan_to_its_exports(client, world):
    client.force_login(world.focal)
    with translation.override("vi"):
        home = client.get(reverse("planning:workspace"))
    assert home.status_code == 200
    page = home.content.decode()
    section = page[page.index('id="export-drafts"') :]
    for year in (world.year + 1, world.year):
        assert f"Kế hoạch triển khai năm {year}" in section
        assert f"{export_url('xlsx')}?year={year}" in section
        assert f"{export_url('pdf')}?year={year}" in section
    assert section.index(str(world.year + 1)) < section.index(f"Kế hoạch triển khai năm {world.year}")  # the latest first

    response, _workbook = download(client, year=world.year + 1)
    assert f"{world.year + 1}" in response["Content-Disposition"]
