"""napwps.exporting: spreadsheets without formulas, PDFs that only use local static files."""

import datetime
import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from napwps.exporting import (
    PDF_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    RefusedURL,
    Sheet,
    StaticFilesFetcher,
    pdf_bytes,
    pdf_response,
    workbook_bytes,
    xlsx_response,
)


def read_back(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_formula_like_text_stays_text():
    texts = ["=SUM(A1)", "+84 912", "-1+2", "@cmd", "\tindented", '=HYPERLINK("http://x")', "=1+1\n=2+2"]
    data = workbook_bytes([Sheet(title="Texts", header=["Text"], rows=[[text] for text in texts])])

    worksheet = read_back(data)["Texts"]
    cells = [worksheet.cell(row=row, column=1) for row in range(2, len(texts) + 2)]
    assert [cell.value for cell in cells] == texts
    assert all(cell.data_type == "s" for cell in cells)


def test_text_starting_with_a_carriage_return_stays_text_with_a_line_break():
    data = workbook_bytes([Sheet(title="Texts", header=["Text"], rows=[["\r=1+1"], ["a\r\nb"]])])

    worksheet = read_back(data)["Texts"]
    assert (worksheet["A2"].value, worksheet["A2"].data_type) == ("\n=1+1", "s")  # XML has no bare \r: it reads back as \n
    assert worksheet["A3"].value == "a\nb"


def test_numbers_dates_and_text_keep_their_types():
    row = [7, Decimal("62.5"), 1.5, datetime.date(2025, 3, 10), "0912345678", None, True]
    data = workbook_bytes([Sheet(title="Types", header=list("ABCDEFG"), rows=[row])])

    worksheet = read_back(data)["Types"]
    values = [cell.value for cell in worksheet[2]]
    assert values[:3] == [7, 62.5, 1.5]
    assert worksheet["A2"].data_type == "n"
    assert values[3] == datetime.datetime(2025, 3, 10)
    assert worksheet["D2"].is_date
    assert worksheet["D2"].number_format == "dd/mm/yyyy"
    assert values[4] == "0912345678"
    assert worksheet["E2"].data_type == "s"
    assert values[5] is None
    assert values[6] is True


def test_aware_datetimes_are_written_in_local_time():
    moment = datetime.datetime(2025, 3, 10, 1, 30, tzinfo=datetime.UTC)
    data = workbook_bytes([Sheet(title="Times", header=["When"], rows=[[moment]])])

    assert read_back(data)["Times"]["A2"].value == datetime.datetime(2025, 3, 10, 8, 30)  # Asia/Ho_Chi_Minh


def test_workbook_has_bold_frozen_filtered_header_and_sized_columns():
    rows = [["Nguyễn Thị Hồng", "Bộ Lao động - Thương binh và Xã hội"], ["Lê Đào", "UN Women"]]
    data = workbook_bytes([Sheet(title="People", header=["Họ và tên", "Cơ quan"], rows=rows), Sheet(title="Empty", header=["X"], rows=[])])

    workbook = read_back(data)
    assert workbook.sheetnames == ["People", "Empty"]
    worksheet = workbook["People"]
    assert [cell.value for cell in worksheet[1]] == ["Họ và tên", "Cơ quan"]
    assert all(cell.font.bold for cell in worksheet[1])
    assert worksheet.freeze_panes == "A2"
    assert worksheet.auto_filter.ref == "A1:B3"
    assert worksheet.column_dimensions["B"].width > worksheet.column_dimensions["A"].width > 10
    assert workbook["Empty"].max_row == 1


def test_given_column_widths_are_used():
    data = workbook_bytes([Sheet(title="W", header=["A", "B"], rows=[["x", "y"]], column_widths=[30])])

    worksheet = read_back(data)["W"]
    assert worksheet.column_dimensions["A"].width == 30
    assert worksheet.column_dimensions["B"].width == 6  # not given: sized to its contents, at least 6


def test_sheet_titles_follow_excel_rules():
    long_title = "Danh sách người tham dự: hội thảo/tập huấn 2025"
    data = workbook_bytes([Sheet(title=long_title, header=["A"], rows=[]), Sheet(title=long_title, header=["A"], rows=[])])

    titles = read_back(data).sheetnames
    assert len(set(titles)) == 2
    assert all(len(title) <= 31 and not set("[]:*?/\\") & set(title) for title in titles)


def test_control_characters_that_xlsx_cannot_hold_are_dropped():
    data = workbook_bytes([Sheet(title="S", header=["A"], rows=[["bell\x07 here"]])])

    assert read_back(data)["S"]["A2"].value == "bell here"


def test_a_text_longer_than_excel_holds_is_cut_with_an_ellipsis_and_a_short_one_is_kept():
    long_text = "Báo cáo dài. " * 3000  # 39.000 characters: Excel would repair the file
    data = workbook_bytes([Sheet(title="S", header=["A"], rows=[[long_text], ["ngắn"]])])

    cut = read_back(data)["S"]["A2"].value
    assert len(cut) == 32_767
    assert cut.endswith("…")
    assert long_text.startswith(cut[:-1])
    assert read_back(data)["S"]["A3"].value == "ngắn"


def test_url_fetcher_refuses_http_urls():
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch("http://example.com/style.css")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/static/css/print.css",
        "file:///etc/passwd",
        "file:///static/../etc/passwd",
        "file:///static//etc/passwd",
        "file:///static/css/",
        "file:///static/css/missing.css",
        "ftp://example.com/file",
    ],
)
def test_url_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(url)


def test_url_fetcher_serves_static_files_and_data_urls():
    fetcher = StaticFilesFetcher()

    stylesheet = fetcher.fetch("file:///static/css/print.css")
    assert stylesheet.content_type == "text/css"
    assert b"@page" in stylesheet.read()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"


def test_pdf_rendering_never_opens_a_network_connection(monkeypatch, settings, tmp_path):
    template = tmp_path / "remote.html"
    template.write_text(
        '{% load static %}<html><head><link rel="stylesheet" href="{% static "css/print.css" %}">'
        '<link rel="stylesheet" href="http://example.com/remote.css"></head>'
        '<body><h1>Phụ nữ, hòa bình và an ninh</h1><img src="https://example.com/logo.png"></body></html>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    requested = []

    def no_network(*args, **kwargs):
        requested.append(args)
        raise AssertionError("a PDF tried to open a network connection")

    monkeypatch.setattr("socket.create_connection", no_network)
    monkeypatch.setattr("socket.socket.connect", no_network)

    data = pdf_bytes("remote.html", {})

    assert requested == []
    assert "Phụ nữ, hòa bình và an ninh" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_xlsx_response_names_the_file_in_vietnamese():
    response = xlsx_response("Danh sách người tham dự.xlsx", b"data")

    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response.content == b"data"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=utf-8''")[1]) == "Danh sách người tham dự.xlsx"
    assert "no-store" in response["Cache-Control"]


def test_pdf_response_is_an_attachment_unless_inline():
    attachment = pdf_response("Giấy chứng nhận.pdf", b"%PDF")
    inline = pdf_response("report.pdf", b"%PDF", inline=True)

    assert attachment["Content-Type"] == PDF_CONTENT_TYPE
    assert attachment["Content-Disposition"].startswith("attachment;")
    assert "Gi%E1%BA%A5y%20ch%E1%BB%A9ng%20nh%E1%BA%ADn.pdf" in attachment["Content-Disposition"]
    assert inline["Content-Disposition"] == 'inline; filename="report.pdf"'
