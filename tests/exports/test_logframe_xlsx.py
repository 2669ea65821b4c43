"""The public logframe workbook (issue 10 §1): opened with openpyxl and read cell by cell."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from napwps.exporting import XLSX_CONTENT_TYPE
from planning.models import Activity, Objective
from tests.factories import TaskGroupFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db

TITLES = {
    "vi": ["Trang bìa", "Khung logic", "Hoạt động", "Chỉ số", "Kinh phí", "Dòng kinh phí"],
    "en": ["Cover", "Logframe", "Activities", "Indicators", "Budget", "Budget lines"],
}


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


def cells(worksheet):
    return [cell for row in worksheet.iter_rows() for cell in row if cell.value is not None]


def texts(workbook) -> list[str]:
    return [str(cell.value) for worksheet in workbook.worksheets for cell in cells(worksheet)]


def activity_codes(workbook) -> set[str]:
    worksheet = workbook.worksheets[2]
    header = next(row for row in worksheet.iter_rows() if row[0].value in ("Code", "Mã"))
    return {row[0].value for row in worksheet.iter_rows(min_row=header[0].row + 1) if row[0].value}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_sheets_and_the_objectives_are_in_the_chosen_language(client, language):
    world = public_world(activities=2, plant=False)
    Objective.objects.filter(pk=world.objective.pk).update(title_vi="Phụ nữ tham gia gìn giữ hòa bình", title_en="Women in peacekeeping")

    workbook = download(client, language)

    assert workbook.sheetnames == TITLES[language]
    logframe = texts(workbook)
    if language == "en":
        assert "Women in peacekeeping" in logframe
        assert "Phụ nữ tham gia gìn giữ hòa bình" not in logframe
        assert "Specific objective" in logframe
    else:
        assert "Phụ nữ tham gia gìn giữ hòa bình" in logframe
        assert "Women in peacekeeping" not in logframe
        assert "Mục tiêu cụ thể" in logframe


def test_an_english_workbook_shows_the_vietnamese_text_where_no_english_exists(client):
    world = public_world(activities=1, plant=False)
    Objective.objects.filter(pk=world.objective.pk).update(title_vi="Chỉ có tiếng Việt", title_en="")

    workbook = download(client, "en")

    found = [cell for cell in cells(workbook["Logframe"]) if cell.value == "Chỉ có tiếng Việt"]
    assert found and found[0].font.i  # shown, in italics as the cover explains


def test_the_budget_sheet_totals_and_gaps_are_live_formulas_over_the_published_amounts(client):
    public_world(activities=3)

    worksheet = download(client, "en")["Budget"]

    total = next(row for row in worksheet.iter_rows() if row[0].value == "Total")
    estimated, committed, disbursed, gap = total[3], total[4], total[5], total[6]
    assert all(cell.data_type == "f" for cell in (estimated, committed, disbursed, gap))
    assert estimated.value.startswith("=SUM(D") and committed.value.startswith("=SUM(E")
    assert gap.value == f"=D{gap.row}-E{gap.row}"
    # The ranges the SUMs cover hold the published lines: 5 lines of 100.000.000 ₫ in the published plan.
    first, last = estimated.value[len("=SUM(") : -1].split(":")
    inputs = [worksheet[f"D{row}"].value for row in range(int(first[1:]), int(last[1:]) + 1)]
    assert sum(inputs) == 500_000_000
    assert sum(worksheet[f"E{row}"].value for row in range(int(first[1:]), int(last[1:]) + 1)) == 500_000_000
    assert worksheet[f"G{first[1:]}"].value == f"=D{first[1:]}-E{first[1:]}"
    assert worksheet[f"D{first[1:]}"].number_format == "#,##0"


def test_a_title_that_looks_like_a_formula_stays_text(client):
    world = public_world(activities=1, plant=False)
    Activity.objects.filter(pk=world.activities[0].pk).update(title_vi='=HYPERLINK("http://x","y")', title_en='=HYPERLINK("http://x","y")')

    workbook = download(client, "en")

    found = [cell for worksheet in workbook.worksheets for cell in cells(worksheet) if str(cell.value).startswith("=HYPERLINK(")]
    assert found
    assert all(cell.data_type == "s" for cell in found)
    formulas = [cell for worksheet in workbook.worksheets for cell in cells(worksheet) if cell.data_type == "f"]
    assert formulas and all(cell.parent.title == "Budget" for cell in formulas)


def test_a_filtered_export_holds_only_the_filtered_activities(client):
    world = public_world(activities=2, plant=False)
    world.add_published(2)
    first_agency = {activity.code for activity in world.activities[:2]}

    by_agency = download(client, "en", agency=world.agency.pk)
    assert activity_codes(by_agency) == first_agency
    cover = {row[0]: row[1] for row in by_agency["Cover"].iter_rows(values_only=True)}
    assert cover["Filters"] == f"Lead agency: {world.agency}"
    assert cover["Activities"] == 2
    logframe_codes = {cell.value for cell in by_agency["Logframe"]["B"]}
    assert first_agency <= logframe_codes and not logframe_codes & {a.code for a in world.activities[2:]}
    budget = by_agency["Budget"]
    assert sum(cell.value for cell in budget["D"] if isinstance(cell.value, int | float)) == 200_000_000

    task_group = world.activities[3].task_group
    by_task_group = download(client, "en", task_group=task_group.pk)
    assert activity_codes(by_task_group) == {world.activities[3].code}
    assert {row[0].value for row in by_task_group["Indicators"].iter_rows(min_row=4)} == {world.indicators[3].code}


def test_no_unpublished_value_appears_in_any_cell(client):
    world = public_world(activities=3)

    for language in ("vi", "en"):
        workbook = download(client, language, year=world.year)
        everything = "\n".join(texts(workbook))
        for leak in leak_strings():
            assert leak not in everything, (language, leak)


def test_the_sheets_are_ready_to_print(client):
    public_world(activities=2, plant=False)

    workbook = download(client, "en")

    for name in ("Logframe", "Activities", "Indicators", "Budget", "Budget lines"):
        worksheet = workbook[name]
        assert worksheet.page_setup.orientation == "landscape"
        assert worksheet.page_setup.fitToWidth == 1
        assert worksheet.sheet_properties.pageSetUpPr.fitToPage
        assert worksheet.print_title_rows
        assert worksheet.freeze_panes
        assert len(worksheet.title) <= 31
    activities = workbook["Activities"]
    assert any(cell.value == "P = planned month" for cell in cells(activities))  # the legend
    assert any(cell.fill.fgColor.rgb.endswith("BDD7EE") for cell in cells(activities) if cell.value == "P")


@pytest.mark.parametrize(
    ("params", "language", "text"),
    [({"agency": "abc"}, "vi", "Không thể tạo tệp xuất"), ({"year": 1999}, "en", "could not be made"), ({"year": "all"}, "en", "Year")],
)
def test_a_bad_filter_value_is_a_400_page_in_the_readers_language(client, params, language, text):
    public_world(activities=1, plant=False)

    response = client.get(export_url(language, **params))

    assert response.status_code == 400
    assert text in response.content.decode()


def test_the_plan_page_and_the_activities_list_link_to_the_workbook_with_their_filters(client):
    world = public_world(activities=1, plant=False)
    url = export_url("en")
    with translation.override("en"):
        plan_url = reverse("public:plan", args=[world.year])

    plan_page = client.get(f"{plan_url}?agency={world.agency.pk}")
    list_page = client.get(f"/en/activities/?agency={world.agency.pk}&page=1")
    with translation.override("en"):
        pdf_url = reverse("public:export-logframe-pdf")
    assert f"{pdf_url}?agency={world.agency.pk}&amp;year={world.year}" in plan_page.content.decode()

    assert f"{url}?agency={world.agency.pk}&amp;year={world.year}" in plan_page.content.decode()
    assert (
        f"{url}?year={world.year}&amp;agency={world.agency.pk}" in list_page.content.decode()
        or f"{url}?agency={world.agency.pk}&amp;year={world.year}" in list_page.content.decode()
    )


def test_the_export_costs_the_same_number_of_queries_at_two_sizes(client):
    world = public_world(activities=2, plant=False)
    world.add_published(5)
    TaskGroupFactory(plan=world.plan)

    with CaptureQueriesContext(connection) as small:
        download(client, "en")
    world.add_published(25)
    with CaptureQueriesContext(connection) as large:
        workbook = download(client, "en")

    assert len(activity_codes(workbook)) == 32
    assert len(large) == len(small) <= 40
