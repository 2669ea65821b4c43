"""The logframe PDF of published data (planning.views.pdf_exports), read back with pypdf."""

import io
import unicodedata
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from napwps import exporting
from planning.selectors import public
from planning.services import reporting
from planning.views import pdf_exports
from tests.factories import leak_strings, public_world

VENDORED_FONT = "static/vendor/dejavu-fonts-ttf-2.37.3/ttf/"
STYLESHEETS = ("logframe-print.css", "pdf-base.css")  # the logframe's, and the fonts and base of every PDF


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(language="vi", **query):
    with translation.override(language):
        address = reverse("public:export-logframe-pdf")
    return f"{address}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else address


def read(response) -> tuple[PdfReader, list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, [unicodedata.normalize("NFC", page.extract_text()) for page in reader.pages]


def font_names(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            names.add(str(font.get_object()["/BaseFont"]))
        for xobject in page.get("/Resources", {}).get("/XObject", {}).values():  # the SVG charts
            for font in xobject.get_object().get("/Resources", {}).get("/Font", {}).values():
                names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def fetched():
    """Every URL WeasyPrint asks the static-files fetcher for."""
    urls = []
    original = exporting.StaticFilesFetcher.fetch

    def recording(self, address, headers=None):
        urls.append(address)
        return original(self, address, headers)

    with mock.patch.object(exporting.StaticFilesFetcher, "fetch", recording):
        yield urls


def test_the_vietnamese_logframe_has_a_cover_contents_matrix_and_budget_in_the_vendored_font_only(client, demo_data, fetched):
    reader, pages = read(client.get(url()))
    text = "\n".join(pages)
    assert len(pages) >= 3
    assert "Tăng cường sự tham gia" in text  # an objective's title, diacritics intact
    assert "Ma trận khung logic" in text and "Mục lục" in text and "Tóm tắt ngân sách" in text
    assert "Chỉ dữ liệu đã công bố" in text
    assert f"Trang 1 / {len(pages)}" in pages[0]
    assert "Page 1 of" not in text
    names = font_names(reader)
    # WeasyPrint names an embedded font after its @font-face family: only the vendored one is there.
    assert names and all(name.split("+")[-1].startswith("NAPWPS-DejaVu-Sans") for name in names), names
    font_files = [address for address in fetched if address.endswith(".ttf")]
    assert font_files and all(VENDORED_FONT in address for address in font_files)
    # Besides the fonts, only the logframe's stylesheet and the one it imports, all static files.
    assert {address for address in fetched if not address.endswith(".ttf")} == {f"{exporting.pdf_base_url()}css/{name}" for name in STYLESHEETS}
    assert all(exporting.static_file_path(address) for address in fetched)


def test_the_english_logframe_is_in_english(client, demo_data):
    _reader, pages = read(client.get(url("en")))
    text = "\n".join(pages)
    assert "Logframe matrix" in text and "Contents" in text and "Published data only" in text
    assert f"Page 1 of {len(pages)}" in pages[0]


def test_a_filtered_logframe_holds_only_the_filtered_activities(client, demo_data):
    plan = public.public_plan()
    year = public.published_delivery_plans(plan)[-1].year
    activities = list(public.public_activity_queryset(plan, year=year))
    agency = activities[0].lead_agency
    kept = [a for a in activities if a.lead_agency_id == agency.pk]
    others = [a for a in activities if a.lead_agency_id != agency.pk]
    assert kept and others
    _reader, pages = read(client.get(url("en", agency=agency.pk)))
    text = " ".join(" ".join(pages).split())
    for activity in kept:
        assert activity.code in text
    for activity in others:
        assert str(activity.title_en) not in text


def test_bad_filters_are_a_400_and_a_search_is_named_on_the_cover(client, demo_data):
    assert client.get(url(agency="nope")).status_code == 400
    _reader, pages = read(client.get(url("en", q="no-such-activity")))
    assert "Search: no-such-activity" in pages[0]


def test_nothing_unpublished_reaches_the_pdf(client, reference_data):
    world = public_world(activities=3)
    _reader, pages = read(client.get(url(year=world.year)))
    text = " ".join(pages)
    assert world.activities[0].code in text
    for leak in leak_strings():
        assert leak not in text, leak


def test_the_pdf_is_rendered_once_until_published_data_changes(client, reference_data):
    world = public_world(activities=2, plant=False)
    with mock.patch.object(pdf_exports, "pdf_bytes", wraps=pdf_exports.pdf_bytes) as render:
        first = client.get(url(year=world.year))
        second = client.get(url(year=world.year))
        assert render.call_count == 1
        assert first.content == second.content
        client.get(url("en", year=world.year))
        assert render.call_count == 2  # another language, another file

        before = public.public_data_version(world.plan)
        # A new report published: the version moves and the next request renders again.
        world.add_published(1)
        assert public.public_data_version(world.plan) != before
        client.get(url(year=world.year))
        assert render.call_count == 3


def test_publishing_a_report_changes_the_data_version(reference_data):
    world = public_world(activities=1, plant=False)
    before = public.public_data_version(world.plan)
    assert public.public_data_version(world.plan) == before
    progress = reporting.activity_progress_for(activity=world.activities[0], delivery_plan=world.delivery_plan)
    progress.progress = 99
    reporting.activity_progress_save(progress=progress, user=world.focal)
    report = reporting.latest_report(agency_id=world.agency.pk, period=world.period)
    reporting.report_submit(report=report, user=world.focal)
    reporting.report_approve(report=report, user=world.coordinator)
    middle = public.public_data_version(world.plan)
    reporting.report_publish(report=report, user=world.coordinator)
    assert public.public_data_version(world.plan) not in (before, middle)


def test_plan_names_reach_the_running_header_as_inert_css_strings():
    assert pdf_exports.css_string('a "b" \\ c\n</style><x>') == '"a \\"b\\" \\\\ c\\A \\3C /style\\3E \\3C x\\3E "'
    plan = mock.Mock(short_name='CT "x" </style>', name="")
    with translation.override("vi"):
        css = pdf_exports.margin_css(plan, 2024)
    assert '"Trang " counter(page) " / " counter(pages)' in css
    assert "</style>" not in css and '"CT \\"x\\" \\3C /style\\3E "' in css
