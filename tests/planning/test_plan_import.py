"""Importing a delivery plan's activities from the logframe workbook (issue 10 §3): the workbook's
Activities sheet goes out, is edited, and comes back through the workspace's import pages."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from napwps import history
from planning.importing import read_sheet
from planning.importing.budget_lines import KIND as LINE_ROWS
from planning.importing.delivery_plan import KIND as ACTIVITY_ROWS
from planning.importing.delivery_plan import DeliveryPlanImporter
from planning.models import Activity, BudgetLine, ImportPreview, PlanChange, ReportKind, ReviewStatus
from tests.factories import DeliveryPlanFactory, OrganisationFactory, ProvinceFactory, UserFactory, public_world

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Helpers ---------------------------------------------------------------------------------------------


def workbook_of(client, world, language="en", url_name="public:export-logframe-xlsx") -> bytes:
    """The public workbook of the published year, as a reader downloads it (or, with the workspace's
    `url_name`, the workspace workbook of the signed-in user)."""
    with translation.override(language):
        url = reverse(url_name)
    response = client.get(f"{url}?year={world.year}")
    assert response.status_code == 200
    return response.content


def sheet_named(workbook, *titles):
    return next(sheet for sheet in workbook.worksheets if sheet.title in titles)


def activities_sheet(workbook):
    return sheet_named(workbook, "Activities", "Hoạt động")


def header_of(sheet, first=("Code", "Mã")) -> tuple[int, dict[str, int]]:
    """The header's row number (the row whose first cell is one of `first`) and its columns (header text -> column number)."""
    for row in sheet.iter_rows(max_row=10):
        values = [cell.value for cell in row]
        if values and values[0] in first:
            return row[0].row, {value: index for index, value in enumerate(values, start=1) if value}
    raise AssertionError("no header")


def edited(content: bytes, *, changes=None, new_rows=(), sheet_of=None, header=("Code", "Mã")) -> bytes:
    """The workbook with some cells of a sheet (the Activities sheet by default) changed
    ({first cell: {header: value}}) and rows added."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = (sheet_of or activities_sheet)(workbook)
    header_row, columns = header_of(sheet, header)
    for row in sheet.iter_rows(min_row=header_row + 1):
        for title, value in (changes or {}).get(row[0].value, {}).items():
            sheet.cell(row=row[0].row, column=columns[title], value=value)
    for values in new_rows:
        number = sheet.max_row + 1
        for title, value in values.items():
            sheet.cell(row=number, column=columns[title], value=value)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def without_lines(content: bytes) -> bytes:
    """The workbook without its Budget lines sheet."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in list(workbook.worksheets):
        if sheet.title in ("Budget lines", "Dòng kinh phí"):
            workbook.remove(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def upload(client, delivery_plan, content: bytes, name="ke-hoach.xlsx", language="en"):
    with translation.override(language):
        url = reverse("planning:plan-import", args=[delivery_plan.pk])
    response = client.post(url, {"file": SimpleUploadedFile(name, content, content_type=XLSX)})
    assert response.status_code == 200
    return response


def apply(client, delivery_plan, response, language="en"):
    with translation.override(language):
        url = reverse("planning:plan-import-apply", args=[delivery_plan.pk])
    return client.post(url, {"preview": response.context["stored"].pk})


def new_row(world, code, **more):
    return {
        "Code": code, "Title (Vietnamese)": "Tập huấn mới", "Title (English)": "New training", "Output code": world.output.code,
        "Task group code": world.activities[0].task_group.code, "Lead agency (code)": world.agency.code,
        "Planned start (month)": "03/2024", "Planned end (month)": "tháng 9/2024", **more,
    }  # fmt: skip


def history_count() -> int:
    return Activity.history.count()


def rows_of(preview, kind=ACTIVITY_ROWS) -> list:
    """The preview's rows of one sheet: the activities' by default, or the budget lines' (LINE_ROWS)."""
    return [row for row in preview.rows if row.kind == kind]


def counts(preview, kind=ACTIVITY_ROWS) -> dict[str, int]:
    rows = rows_of(preview, kind)
    return {action: sum(1 for row in rows if row.action == action) for action in ("create", "change", "unchanged", "error")}


# The round trip ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_downloaded_workbook_uploaded_again_changes_nothing(client, language):
    world = public_world(activities=2, plant=False)
    content = workbook_of(client, world, language)
    client.force_login(world.coordinator)
    before = history_count()

    response = upload(client, world.delivery_plan, content, language=language)

    preview = response.context["preview"]
    assert not preview.has_errors, [str(error) for error in preview.errors]
    assert counts(preview) == {"create": 0, "change": 0, "unchanged": 2, "error": 0}
    assert {row.display["code"] for row in rows_of(preview)} == {activity.code for activity in world.activities}
    assert [row.row for row in rows_of(preview)] == [8, 9]  # Excel's rows, below the title, context, legend and two header rows
    apply(client, world.delivery_plan, response, language)
    assert history_count() == before
    assert ImportPreview.objects.get().applied_at is not None


def test_a_changed_title_and_a_new_activity_are_shown_then_saved_with_the_file_as_reason(client):
    world = public_world(activities=2, plant=False)
    first = world.activities[0]
    province = ProvinceFactory(name_vi="Hà Giang", name_en="Ha Giang", code="02")
    content = edited(
        workbook_of(client, world),
        changes={first.code: {"Title (English)": "Training of women peacekeepers"}},
        new_rows=[new_row(world, "1.10", **{"Provinces": "Hà Giang (02)", "Partner agencies (codes)": world.plan.coordinator.code})],
    )
    client.force_login(world.coordinator)

    response = upload(client, world.delivery_plan, content, name="sua-doi.xlsx")

    preview = response.context["preview"]
    assert counts(preview) == {"create": 1, "change": 1, "unchanged": 1, "error": 0}
    change = next(row for row in preview.rows if row.action == "change")
    assert [(c.label, c.old, c.new) for c in change.changes] == [("Title (English)", first.title_en, "Training of women peacekeepers")]
    page = response.content.decode()
    assert f"{first.title_en} → Training of women peacekeepers" in page
    created = next(row for row in preview.rows if row.action == "create")
    assert created.display["code"] == "1.10"

    result = apply(client, world.delivery_plan, response)

    assert result.status_code == 302
    first.refresh_from_db()
    assert first.title_en == "Training of women peacekeepers"
    new = Activity.objects.get(plan=world.plan, code="1.10")
    assert (new.title_vi, new.title_en, new.lead_agency, new.planned_start, new.planned_end) == (
        "Tập huấn mới", "New training", world.agency, datetime.date(2024, 3, 1), datetime.date(2024, 9, 1),
    )  # fmt: skip
    assert list(new.provinces.all()) == [province]
    assert list(new.partner_agencies.all()) == [world.plan.coordinator]
    assert list(new.delivery_plans.all()) == [world.delivery_plan]
    for activity in (first, new):
        reason = activity.history.first().history_change_reason
        with translation.override("en"):
            assert history.render_reason(reason) == "Imported from sua-doi.xlsx"
        with translation.override("vi"):
            assert history.render_reason(reason) == "Nhập từ tệp sua-doi.xlsx"


def test_a_code_excel_made_a_number_is_matched_to_the_code_it_was(client):
    world = public_world(activities=1, plant=False)
    Activity.objects.filter(pk=world.activities[0].pk).update(code="1.10")
    content = edited(workbook_of(client, world), changes={"1.10": {"Code": 1.1}})
    client.force_login(world.coordinator)

    preview = upload(client, world.delivery_plan, content).context["preview"]

    assert [(row.display["code"], row.action) for row in rows_of(preview)] == [("1.10", "unchanged")]


def test_a_file_with_errors_saves_nothing_and_names_each_row_and_column(client):
    world = public_world(activities=2, plant=False)
    OrganisationFactory(code="mofa-dio", name_vi="Vụ Các tổ chức quốc tế", name_en="Department of International Organisations")
    first, second = world.activities
    content = edited(
        workbook_of(client, world),
        changes={first.code: {"Lead agency (code)": "mofa-dia", "Title (English)": "Changed"}, second.code: {"Planned end (month)": "13/2024"}},
        new_rows=[new_row(world, first.code)],
    )
    client.force_login(world.coordinator)
    before = history_count()

    response = upload(client, world.delivery_plan, content)

    preview = response.context["preview"]
    errors = [str(error) for error in preview.errors]
    assert any(error.startswith("Activities!G8 (") and "mofa-dia" in error and "mofa-dio" in error for error in errors), errors
    assert any(error.startswith("Activities!M9 (") and "13/2024" in error and "mm/yyyy" in error for error in errors), errors
    assert any(error.startswith("Activities!A10 (") and "also on row 8" in error for error in errors), errors
    assert preview.counts["error"] == 3
    assert response.context["stored"].has_errors
    assert "Nothing has been saved" in response.content.decode()

    result = apply(client, world.delivery_plan, response)
    assert result.status_code == 302
    assert history_count() == before
    first.refresh_from_db()
    assert first.title_en != "Changed"


def test_a_focal_point_cannot_touch_another_agencys_activity(client):
    world = public_world(activities=1, plant=False)
    world.add_published(1)
    own, other = world.activities
    content = edited(workbook_of(client, world), changes={other.code: {"Title (Vietnamese)": "Đổi tên"}, own.code: {"Title (Vietnamese)": "Tên mới"}})
    client.force_login(world.focal)

    response = upload(client, world.delivery_plan, content)

    preview = response.context["preview"]
    errors = [str(error) for error in preview.errors]
    assert len(errors) == 1 and errors[0].startswith("Activities!A9 (") and other.lead_agency.code in errors[0]
    apply(client, world.delivery_plan, response)
    assert not PlanChange.objects.exists()
    assert Activity.objects.get(pk=other.pk).title_vi == other.title_vi
    assert Activity.objects.get(pk=own.pk).title_vi == own.title_vi


def test_a_focal_point_may_bring_back_the_whole_plans_workbook_with_only_their_rows_changed(client):
    world = public_world(activities=1, plant=False)
    world.add_published(1)
    own, other = world.activities
    content = edited(workbook_of(client, world), changes={own.code: {"Title (Vietnamese)": "Tên mới"}})
    client.force_login(world.focal)

    preview = upload(client, world.delivery_plan, content).context["preview"]

    assert preview.errors == []
    assert {row.display["code"]: row.action for row in rows_of(preview)} == {own.code: "change", other.code: "unchanged"}


def test_a_focal_point_cannot_add_an_activity_led_by_another_agency(client):
    world = public_world(activities=1, plant=False)
    other = OrganisationFactory()
    content = edited(workbook_of(client, world), new_rows=[new_row(world, "9.9", **{"Lead agency (code)": other.code})])
    client.force_login(world.focal)

    preview = upload(client, world.delivery_plan, content).context["preview"]

    assert [str(error) for error in preview.errors] == [
        f"Activities!G9 (Lead agency (code)): {other.code} is not your agency ({world.agency.code}): you import only the activities your agency leads."
    ]


def test_a_focal_points_import_into_the_approved_plan_is_a_revision(client):
    world = public_world(activities=1, plant=False)
    own = world.activities[0]
    content = edited(workbook_of(client, world), changes={own.code: {"Title (Vietnamese)": "Tên mới"}}, new_rows=[new_row(world, "1.10")])
    client.force_login(world.focal)

    response = upload(client, world.delivery_plan, content)

    assert counts(response.context["preview"]) == {"create": 1, "change": 1, "unchanged": 0, "error": 0}
    assert "Propose a change" in response.content.decode()
    result = apply(client, world.delivery_plan, response)

    changes = PlanChange.objects.select_related("revision").order_by("action")
    assert [(change.action, change.revision.agency_id, change.revision.kind) for change in changes] == [
        ("change", world.agency.pk, ReportKind.REVISION),
        ("create", world.agency.pk, ReportKind.REVISION),
    ]
    assert changes[0].data == {"title_vi": "Tên mới"} and changes[1].data["code"] == "1.10"
    assert result.url == reverse("planning:revision-detail", args=[changes[0].revision_id])
    assert Activity.objects.get(pk=own.pk).title_vi == own.title_vi  # the plan itself is unchanged
    assert not Activity.objects.filter(code="1.10").exists()


def test_a_focal_point_imports_into_a_draft_plan_directly(client):
    world = public_world(activities=1, plant=False)
    draft = DeliveryPlanFactory(plan=world.plan, year=2025)
    assert draft.status == ReviewStatus.DRAFT
    content = edited(
        without_lines(workbook_of(client, world)),  # last year's lines are not this year's: a workbook without them imports activities only
        changes={world.activities[0].code: {"Code": "2.1"}},
        new_rows=[new_row(world, "2.2", **{"Planned start (month)": datetime.date(2025, 2, 1), "Planned end (month)": "March 2025"})],
    )
    client.force_login(world.focal)

    response = upload(client, draft, content)
    preview = response.context["preview"]
    assert preview.counts["create"] == 2, [str(error) for error in preview.errors]
    apply(client, draft, response)

    made = Activity.objects.get(plan=world.plan, code="2.2")
    assert (made.planned_start, made.planned_end) == (datetime.date(2025, 2, 1), datetime.date(2025, 3, 1))
    assert list(made.delivery_plans.all()) == [draft]
    assert not PlanChange.objects.exists()


def test_a_preview_is_applied_once(client):
    world = public_world(activities=1, plant=False)
    content = edited(workbook_of(client, world), changes={world.activities[0].code: {"Title (English)": "Once"}})
    client.force_login(world.coordinator)
    response = upload(client, world.delivery_plan, content)
    before = history_count()

    apply(client, world.delivery_plan, response)
    again = apply(client, world.delivery_plan, response)

    assert history_count() == before + 1
    page = client.get(again.url).content.decode()
    assert "already imported" in page


def test_anonymous_users_sign_in_and_others_are_refused(client):
    world = public_world(activities=1, plant=False)
    url = reverse("planning:plan-import", args=[world.delivery_plan.pk])

    assert client.get(url).status_code == 302
    assert "login" in client.get(url)["Location"]
    client.force_login(UserFactory(username="someone"))
    assert client.get(url).status_code == 403
    assert client.post(reverse("planning:plan-import-apply", args=[world.delivery_plan.pk]), {"preview": "x"}).status_code == 403
    client.force_login(world.coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert f"/en/exports/logframe.xlsx?year={world.year}" in page.content.decode() or "logframe.xlsx" in page.content.decode()
    assert client.get(reverse("planning:plan-import-start")).status_code == 200
    assert reverse("planning:plan-import-start") in client.get(reverse("planning:workspace")).content.decode()


def test_a_file_that_is_not_a_workbook_is_a_message_not_an_error(client):
    world = public_world(activities=1, plant=False)
    client.force_login(world.coordinator)

    response = upload(client, world.delivery_plan, b"not a workbook at all")

    assert "not an Excel workbook" in response.content.decode()


def test_the_reader_finds_a_header_below_title_rows():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Activities"
    sheet.append(["Activities of the delivery plan 2024"])
    sheet.append(["Plan · Delivery plan 2024"])
    sheet.append(["Legend", "P = planned month"])
    sheet.append(["Code", "Title"])
    sheet.append(["1.1", "A"])
    sheet.append([])
    sheet.append(["1.2", "B"])
    output = io.BytesIO()
    workbook.save(output)

    found = read_sheet(output.getvalue(), "Activities", is_header=lambda values: values[:2] == ["Code", "Title"])
    plain = read_sheet(output.getvalue(), "Activities")

    rows = [(number, values[:2]) for number, values in found.rows]
    assert (found.header_row, found.header[:2], rows) == (4, ["Code", "Title"], [(5, ("1.1", "A")), (7, ("1.2", "B"))])
    assert plain.header[0] == "Activities of the delivery plan 2024" and plain.rows[0][0] == 2  # without is_header: row 1, as before


def test_a_sheet_without_the_columns_says_which_are_missing():
    world_user = UserFactory(username="coordinator.x", is_superuser=True)
    delivery_plan = DeliveryPlanFactory()
    workbook = openpyxl.Workbook()
    workbook.active.title = "Activities"
    workbook.active.append(["Code", "Title (English)"])
    workbook.active.append(["1.1", "A"])
    output = io.BytesIO()
    workbook.save(output)

    with translation.override("en"):
        preview = DeliveryPlanImporter(user=world_user, target=delivery_plan).preview(output.getvalue(), filename="x.xlsx")

    assert "Title (Vietnamese)" in str(preview.file_errors[0]) and "Lead agency (code)" in str(preview.file_errors[0])


# A workbook made by hand ------------------------------------------------------------------------------

HEADERS = (
    "Code", "Title (Vietnamese)", "Title (English)", "Output code", "Task group code", "Sub-task code", "Lead agency (code)",
    "Partner agencies (codes)", "Supporting partners (codes)", "Provinces", "Planned start (month)", "Planned end (month)",
)  # fmt: skip


def handmade(*rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Hoạt động"
    sheet.append(["Kế hoạch triển khai"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def draft_world():
    from planning.models import SubTask
    from tests.factories import ObjectiveFactory, OutputFactory, TaskGroupFactory, coordinator

    delivery_plan = DeliveryPlanFactory(year=2025)
    output = OutputFactory(objective=ObjectiveFactory(plan=delivery_plan.plan), code="1.1")
    group = TaskGroupFactory(plan=delivery_plan.plan, code="2")
    subtask = SubTask.objects.create(task_group=group, letter="b", title_vi="Nhiệm vụ b")
    agency = OrganisationFactory(code="mps", acronym="MPS")
    return delivery_plan, output, group, subtask, agency, coordinator("coord.hand")


def test_a_sub_task_and_agencies_are_read_however_they_are_written(client):
    delivery_plan, output, group, subtask, agency, user = draft_world()
    content = handmade(["3.1", "Hoạt động", "", 1.1, 2, "2.b", "MPS", "", "", "", "1/2025", "2025-06"])
    client.force_login(user)

    response = upload(client, delivery_plan, content, language="vi")
    preview = response.context["preview"]
    assert preview.counts["create"] == 1, [str(error) for error in preview.errors]
    assert preview.rows[0].row == 3
    apply(client, delivery_plan, response, language="vi")

    made = Activity.objects.get(code="3.1")
    assert (made.output, made.task_group, made.subtask, made.lead_agency) == (output, group, subtask, agency)
    assert (made.planned_start, made.planned_end) == (datetime.date(2025, 1, 1), datetime.date(2025, 6, 1))


def test_odd_cells_are_errors_never_a_crash(client):
    delivery_plan, *_parts, user = draft_world()
    odd = [
        [datetime.date(2025, 1, 1), "=1+1", True, datetime.date(2024, 1, 1), -3, "z", 12345, "mps;;nobody", 0.5, "Nowhere", "13/2025", True],
        ["x" * 30, "y" * 600, None, "1.1", "2", "2.zz", "mps", None, None, None, "tháng 2 năm 2031", "01/2025"],
        ["4.1", "Đủ", None, "1.1", "2", None, "mps", None, None, None, "12/2025", "01/2025"],
    ]
    client.force_login(user)

    response = upload(client, delivery_plan, handmade(*odd))

    preview = response.context["preview"]
    assert preview.counts["error"] == 3
    errors = " ".join(str(error) for error in preview.errors)
    for expected in (
        "Excel turned this code into a date",
        "nobody",
        "13/2025",
        "At most 20 characters",
        "2.zz",
        "2024–2030",
        "The end cannot be before the start",
    ):
        assert expected in errors, (expected, errors)
    assert not Activity.objects.exists()


# Budget lines: the workbook's Budget lines sheet comes back with the activities ---------------------------

LINE_HEADERS = {
    "en": ["Line ID", "Activity code", "Year", "Funding source", "Funder (code)", "Item (Vietnamese)", "Item (English)", "Amount (VND)",
           "Currency", "Amount in the original currency", "Exchange rate (VND per unit)", "Funding status"],
    "vi": ["Mã dòng", "Mã hoạt động", "Năm", "Nguồn kinh phí", "Nhà tài trợ (mã)", "Nội dung chi (tiếng Việt)", "Nội dung chi (tiếng Anh)",
           "Số tiền (VND)", "Loại tiền", "Số tiền theo nguyên tệ", "Tỷ giá (VND/một đơn vị tiền tệ)", "Tình trạng nguồn vốn"],
}  # fmt: skip


def workspace_workbook_of(client, world, user) -> bytes:
    """The workspace workbook of the year, with every line of the user's scope, as staff download it."""
    client.force_login(user)
    return workbook_of(client, world, url_name="planning:export-logframe-xlsx")


def lines_sheet(workbook):
    return sheet_named(workbook, "Budget lines", "Dòng kinh phí")


LINE_ID = ("Line ID", "Mã dòng")


def edited_lines(content: bytes, *, changes=None, new_rows=(), activities=()) -> bytes:
    """The workbook with cells of the Budget lines sheet changed ({line id: {header: value}}), lines
    added, and activities added to the Activities sheet."""
    content = edited(content, new_rows=activities) if activities else content
    return edited(content, changes=changes, new_rows=new_rows, sheet_of=lines_sheet, header=LINE_ID)


def new_line(code, **more):
    return {"Activity code": code, "Year": 2024, "Funding source": "ODA grant", "Item (Vietnamese)": "Hội thảo", "Amount (VND)": "2,500,000", **more}


def line_history_count() -> int:
    return BudgetLine.history.count()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_workbook_has_a_budget_lines_sheet_with_its_headers_in_the_readers_language(client, language):
    world = public_world(activities=1, plant=False)
    line = world.lines[0]

    workbook = openpyxl.load_workbook(io.BytesIO(workbook_of(client, world, language)))

    sheet = lines_sheet(workbook)
    assert workbook.sheetnames[-1] == sheet.title == {"en": "Budget lines", "vi": "Dòng kinh phí"}[language]
    header_row, columns = header_of(sheet, LINE_ID)
    assert list(columns) == LINE_HEADERS[language]
    row = [cell.value for cell in sheet[header_row + 1]]
    assert row[:4] == [line.pk, line.activity.code, world.year, {"en": "Central state budget", "vi": "Ngân sách trung ương"}[language]]
    assert row[7] == 100_000_000 and sheet.cell(row=header_row + 1, column=8).number_format == "#,##0"
    assert sheet.print_title_rows and sheet.freeze_panes and sheet.page_setup.orientation == "landscape"


def test_an_unchanged_workspace_workbook_leaves_every_budget_line_as_it_is(client):
    world = public_world(activities=2, plant=False)
    world.add_published(1)
    content = workspace_workbook_of(client, world, world.coordinator)
    before = line_history_count()

    response = upload(client, world.delivery_plan, content)

    preview = response.context["preview"]
    assert not preview.has_errors, [str(error) for error in preview.errors]
    assert counts(preview, LINE_ROWS) == {"create": 0, "change": 0, "unchanged": 3, "error": 0}
    assert {row.ref["line"] for row in rows_of(preview, LINE_ROWS)} == {line.pk for line in world.lines}
    apply(client, world.delivery_plan, response)
    assert line_history_count() == before


def test_a_changed_amount_and_new_lines_are_previewed_then_saved_with_the_file_as_reason(client):
    world = public_world(activities=2, plant=False)
    first = world.lines[0]
    funder = OrganisationFactory(code="unwomen", acronym="UN Women")
    content = edited_lines(
        workspace_workbook_of(client, world, world.coordinator),
        changes={first.pk: {"Amount (VND)": "1.234.567"}},
        new_rows=[
            new_line(world.activities[1].code, **{"Funder (code)": "UN Women", "Funding status": "Pledged"}),
            new_line("1.10", **{"Currency": "usd", "Amount in the original currency": 1000, "Exchange rate (VND per unit)": "25,000", "Amount (VND)": None}),
        ],
        activities=[new_row(world, "1.10")],
    )

    response = upload(client, world.delivery_plan, content, name="kinh-phi.xlsx")

    preview = response.context["preview"]
    assert counts(preview, LINE_ROWS) == {"create": 2, "change": 1, "unchanged": 1, "error": 0}, [str(error) for error in preview.errors]
    change = next(row for row in rows_of(preview, LINE_ROWS) if row.action == "change")
    assert [(c.label, c.old, c.new) for c in change.changes] == [("Amount (VND)", "100,000,000", "1,234,567")]
    assert "100,000,000 → 1,234,567" in response.content.decode()
    before = line_history_count()

    apply(client, world.delivery_plan, response)

    first.refresh_from_db()
    assert first.amount_vnd == 1_234_567
    added = BudgetLine.objects.get(activity=world.activities[1], funder=funder)
    assert (added.source, added.status, added.amount_vnd, added.description_vi, added.delivery_plan) == (
        "oda_grant", "pledged", 2_500_000, "Hội thảo", world.delivery_plan,
    )  # fmt: skip
    foreign = BudgetLine.objects.get(activity__code="1.10")
    assert (foreign.currency, foreign.original_amount, foreign.exchange_rate, foreign.amount_vnd) == ("USD", 1000, 25000, 25_000_000)
    assert line_history_count() == before + 3
    for line in (first, added, foreign):
        with translation.override("vi"):
            assert history.render_reason(line.history.first().history_change_reason) == "Nhập từ tệp kinh-phi.xlsx"


def test_a_budget_line_with_errors_saves_nothing_and_names_its_sheet_row_and_column(client):
    world = public_world(activities=2, plant=False)
    first, second = world.lines
    content = edited_lines(
        workspace_workbook_of(client, world, world.coordinator),
        changes={first.pk: {"Amount (VND)": "-5"}, second.pk: {"Currency": "USD", "Amount in the original currency": 100}},
        new_rows=[new_line("9.99"), new_line(world.activities[0].code, **{"Line ID": 999999}), new_line(world.activities[0].code, **{"Amount (VND)": "nhiều"})],
    )
    content = edited(content, changes={world.activities[0].code: {"Title (English)": "Changed"}})
    before = (history_count(), line_history_count())

    response = upload(client, world.delivery_plan, content)

    preview = response.context["preview"]
    errors = [str(error) for error in preview.errors]
    for start, words in (
        ("Budget lines!H5 (", "-5"),
        ("Budget lines!K6 (", "exchange rate"),
        ("Budget lines!B7 (", "9.99"),
        ("Budget lines!A8 (", "999999"),
        ("Budget lines!H9 (", "nhiều"),
    ):
        assert any(error.startswith(start) and words in error for error in errors), (start, errors)
    assert counts(preview, LINE_ROWS)["error"] == 5 and counts(preview)["change"] == 1

    apply(client, world.delivery_plan, response)

    assert (history_count(), line_history_count()) == before
    assert Activity.objects.get(pk=world.activities[0].pk).title_en != "Changed"


def test_a_focal_point_cannot_touch_another_agencys_budget_line(client):
    world = public_world(activities=1, plant=False)
    world.add_published(1)
    own, other = world.lines
    content = edited_lines(workbook_of(client, world), changes={other.pk: {"Amount (VND)": 1}, own.pk: {"Amount (VND)": 2}})
    client.force_login(world.focal)

    response = upload(client, world.delivery_plan, content)

    errors = [str(error) for error in rows_of(response.context["preview"], LINE_ROWS)[1].errors]
    assert len(errors) == 1 and errors[0].startswith("Budget lines!B6 (") and other.activity.lead_agency.code in errors[0]
    apply(client, world.delivery_plan, response)
    assert not PlanChange.objects.exists()
    assert [BudgetLine.objects.get(pk=line.pk).amount_vnd for line in (own, other)] == [own.amount_vnd, other.amount_vnd]


def test_a_focal_points_budget_lines_in_the_approved_plan_are_proposed_in_the_revision(client):
    world = public_world(activities=1, plant=False)
    own = world.lines[0]
    content = edited_lines(
        workspace_workbook_of(client, world, world.focal), changes={own.pk: {"Amount (VND)": "150.000.000"}}, new_rows=[new_line(world.activities[0].code)]
    )

    response = upload(client, world.delivery_plan, content)

    assert counts(response.context["preview"], LINE_ROWS) == {"create": 1, "change": 1, "unchanged": 0, "error": 0}
    apply(client, world.delivery_plan, response)

    changes = PlanChange.objects.filter(target_type=ContentType.objects.get_for_model(BudgetLine)).select_related("revision").order_by("action")
    assert [(change.action, change.revision.agency_id, change.revision.kind) for change in changes] == [
        ("change", world.agency.pk, ReportKind.REVISION),
        ("create", world.agency.pk, ReportKind.REVISION),
    ]
    assert changes[0].target_id == own.pk and changes[0].data == {"amount_vnd": "150000000"}
    assert (changes[1].data["activity"], changes[1].data["delivery_plan"], changes[1].data["amount_vnd"]) == (
        own.activity_id,
        world.delivery_plan.pk,
        "2500000",
    )
    assert BudgetLine.objects.get(pk=own.pk).amount_vnd == own.amount_vnd and BudgetLine.objects.count() == 1

    apply(client, world.delivery_plan, upload(client, world.delivery_plan, content))  # the same file again replaces its proposals
    assert PlanChange.objects.filter(target_type=ContentType.objects.get_for_model(BudgetLine)).count() == 2


def test_a_new_activitys_budget_line_cannot_be_proposed_before_the_activity_is_approved(client):
    world = public_world(activities=1, plant=False)
    content = edited_lines(workbook_of(client, world), new_rows=[new_line("1.10")], activities=[new_row(world, "1.10")])
    client.force_login(world.focal)

    preview = upload(client, world.delivery_plan, content).context["preview"]

    assert [error.column for error in preview.errors] == ["B"] and "1.10" in preview.errors[0].reason


def test_the_activities_timeline_starts_after_the_reading_columns(client):
    world = public_world(activities=1, plant=False)
    sheet = activities_sheet(openpyxl.load_workbook(io.BytesIO(workbook_of(client, world))))
    header_row, _columns = header_of(sheet)

    header = [cell.value for cell in sheet[header_row]]
    row = list(sheet[header_row + 1])

    first_month = header.index(1)
    assert header[first_month - 1] == "Progress (%)" and header[first_month : first_month + 12] == list(range(1, 13))
    assert row[first_month - 1].value == 50 and not row[first_month - 1].fill.fgColor.rgb.endswith("BDD7EE")
    assert {cell.value for cell in row[first_month : first_month + 12]} <= {"P", "A"}
    assert row[12].number_format == "mm/yyyy"  # the planned end
