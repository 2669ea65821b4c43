"""The server-side SVG charts: figures in the reader's locale in the drawing, the table and the summary."""

import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from napwps.charts import (
    PROVINCE_TILES,
    Chart,
    Tile,
    grouped_bars,
    progress_bar,
    stacked_bars,
    status_bar,
    target_actual,
    tile_map,
)
from napwps.formatting import money, percent

SVG = "{http://www.w3.org/2000/svg}"
LANGUAGES = ["vi", "en"]


def parsed(chart: Chart) -> ET.Element:
    """The SVG as XML, checked for what every chart must have: role img, a title and a desc it is labelled by."""
    root = ET.fromstring(str(chart.svg))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == chart.title
    assert desc is not None and desc.text == chart.summary
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    return root


def every_text(chart: Chart) -> str:
    return " ".join(parsed(chart).itertext())


def table_text(chart: Chart) -> str:
    return " ".join(" ".join(row) for row in chart.rows)


@pytest.mark.parametrize(("language", "amount", "other"), [("vi", "1.234.567 ₫", "500.000 ₫"), ("en", "VND 1,234,567", "VND 500,000")])
def test_stacked_bars_show_money_in_the_readers_locale_in_svg_table_and_summary(language, amount, other):
    with translation.override(language):
        chart = stacked_bars(
            ["Objective 1", "Objective 2"],
            [("State budget", [Decimal("1234567"), 2000000]), ("ODA", [500000, None])],
            title="Budget by source",
            fmt=money,
        )
        total, two_million = money(1734567), money(2000000)
    for text in (every_text(chart), table_text(chart), chart.summary):
        assert amount in text
        assert other in text
        assert total in text
    assert chart.headers[-1] == ("Tổng số" if language == "vi" else "Total")
    assert chart.rows[1] == ["Objective 2", two_million, "—", two_million]


@pytest.mark.parametrize("language", LANGUAGES)
def test_progress_bar_writes_its_value_as_a_percentage(language):
    with translation.override(language):
        chart = progress_bar(Decimal("62.5"), label="Indicators on track")
    shown = "62,5%" if language == "vi" else "62.5%"
    assert shown in every_text(chart)
    assert chart.rows == [["Indicators on track", shown]]
    assert shown in chart.summary


def test_progress_bar_without_a_value_or_with_a_zero_maximum_draws_an_empty_bar():
    with translation.override("vi"):
        empty = progress_bar(None, label="No data")
        zero = progress_bar(3, maximum=0, label="Nothing to do", fmt=str)
    assert "—" in every_text(empty)
    assert "3" in every_text(zero)  # "3 trên 0", no division by zero


@pytest.mark.parametrize("language", LANGUAGES)
def test_status_bar_lists_every_part_with_its_count_and_the_total(language):
    with translation.override(language):
        chart = status_bar([("Not started", 2, "grey"), ("On track", 1234, "green"), ("At risk", 0, "amber")], title="Activities")
    text = every_text(chart)
    thousands = "1.234" if language == "vi" else "1,234"
    assert f"On track: {thousands}" in text
    assert "At risk: 0" in text  # kept in the legend and the table
    assert chart.rows[-1][1] == ("1.236" if language == "vi" else "1,236")
    assert ["At risk", "0"] in chart.rows
    assert f"On track: {thousands}" in chart.summary
    # the zero part has no segment: only the track and two segments are drawn
    assert len(parsed(chart).findall(f"{SVG}rect")) == 1 + 2 + 3  # track, 2 segments, 3 legend swatches


def test_an_all_zero_status_bar_does_not_divide_by_zero():
    with translation.override("en"):
        chart = status_bar([("Not started", 0, "grey")], title="Activities")
    assert "Total: 0" in every_text(chart)


@pytest.mark.parametrize("language", LANGUAGES)
def test_grouped_bars_handle_missing_values(language):
    with translation.override(language):
        chart = grouped_bars(["2024", "2025"], [("Women", [1500, None]), ("Men", [80, 0]), ("Other", [None, None])], title="People trained")
    text = every_text(chart)
    assert ("Women: 1.500" if language == "vi" else "Women: 1,500") in text
    assert "Women: —" in text
    assert chart.rows[1] == ["2025", "—", "0", "—"]
    assert "Women: —" in chart.summary


def test_empty_charts_do_not_divide_by_zero():
    with translation.override("vi"):
        charts = [
            stacked_bars([], [], title="Nothing"),
            stacked_bars(["A"], [("x", [0]), ("y", [None])], title="Zero"),
            grouped_bars(["A"], [("x", [None])], title="None"),
            grouped_bars([], [], title="Empty"),
            target_actual([], [], [], title="No periods", target_label="Target", actual_label="Actual"),
            target_actual(["2024"], [None], [None], title="No values", baseline=0, target_label="Target", actual_label="Actual"),
            status_bar([], title="No parts"),
        ]
    for chart in charts:
        parsed(chart)


@pytest.mark.parametrize("language", LANGUAGES)
def test_target_actual_shows_targets_actuals_and_baseline(language):
    with translation.override(language):
        chart = target_actual(
            ["2024", "2025", "2026"],
            [Decimal("40"), Decimal("52.5"), None],
            [38, None, None],
            title="Women in leadership",
            baseline=30,
            baseline_label="Baseline 2023",
            fmt=percent,
            target_label="Target",
            actual_label="Actual",
        )
    half = "52,5%" if language == "vi" else "52.5%"
    text = every_text(chart)
    for figure in ("40%", half, "38%", "30%"):
        assert figure in text
        assert figure in table_text(chart)
        assert figure in chart.summary
    assert chart.headers == [("Năm" if language == "vi" else "Year"), "Target", "Actual"]
    assert chart.rows[0] == ["Baseline 2023", "30%", "—"]
    assert chart.rows[2] == ["2025", half, "—"]
    assert chart.rows[3] == ["2026", "—", "—"]


def test_labels_are_escaped_everywhere_in_the_svg():
    evil = '<script>alert("x")</script>'
    with translation.override("en"):
        charts = [
            progress_bar(10, label=evil),
            status_bar([(evil, 1, "red")], title=evil),
            stacked_bars([evil], [(evil, [1])], title=evil),
            grouped_bars([evil], [(evil, [1])], title=evil),
            target_actual([evil], [1], [2], title=evil, target_label=evil, actual_label=evil, baseline=1, baseline_label=evil),
            tile_map([Tile("01", evil, highlight=True, value=evil), Tile("xx", evil, highlight=True)], title=evil),
        ]
    for chart in charts:
        assert "<script>" not in chart.svg
        assert "&lt;script&gt;" in chart.svg
        parsed(chart)


def test_the_include_renders_the_table_escaped_with_headers_and_right_aligned_numbers():
    with translation.override("vi"):
        chart = stacked_bars(["<b>Mục tiêu</b>"], [("ODA", [1234567])], title="Ngân sách", fmt=money)
        html = render_to_string("includes/chart.html", {"chart": chart})
    assert html.count("<svg") == 1
    assert "<figcaption>Ngân sách</figcaption>" in html
    assert "Xem số liệu dưới dạng bảng" in html
    assert '<th scope="col" class="number">ODA</th>' in html
    assert '<th scope="row">&lt;b&gt;Mục tiêu&lt;/b&gt;</th>' in html
    assert '<td class="number">1.234.567 ₫</td>' in html
    assert "<caption>Ngân sách</caption>" in html


def test_two_identical_charts_on_a_page_have_different_ids():
    with translation.override("en"):
        first = progress_bar(10, label="Indicators on track")
        again = progress_bar(10, label="Indicators on track")
    ids = [element.get("id") for chart in (first, again) for element in parsed(chart).iter() if element.get("id")]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert all(id_.startswith("chart-indicators-on-track-") for id_ in ids)


def current_provinces() -> dict[str, str]:
    rows = json.loads((Path(settings.BASE_DIR) / "fixtures" / "provinces.json").read_text())
    return {row["fields"]["code"]: row["fields"]["name_vi"] for row in rows if row.get("model") == "planning.province" and not row["fields"]["valid_to"]}


def test_every_current_province_has_its_own_tile():
    provinces = current_provinces()
    assert len(provinces) == 34
    assert set(PROVINCE_TILES) == set(provinces)
    assert len(set(PROVINCE_TILES.values())) == len(PROVINCE_TILES)
    columns = {column for column, _row in PROVINCE_TILES.values()}
    rows = {row for _column, row in PROVINCE_TILES.values()}
    assert len(columns) <= 5 and len(rows) <= 16


@pytest.mark.parametrize("language", LANGUAGES)
def test_tile_map_highlights_the_given_provinces_and_lists_those_it_cannot_draw(language):
    provinces = current_provinces()
    tiles = [Tile(code, name, highlight=code in ("01", "79"), value="3" if code == "01" else "") for code, name in provinces.items()]
    tiles.append(Tile("02", "Hà Giang", highlight=True))  # merged into Tuyên Quang on 1 July 2025
    with translation.override(language):
        chart = tile_map(tiles, title="Where")
    root = parsed(chart)
    groups = root.findall(f"{SVG}g")
    assert len(groups) == 34
    highlighted = [group.find(f"{SVG}title").text for group in groups if group.find(f"{SVG}rect").get("stroke-width") == "3"]
    assert highlighted == ["Hà Nội: 3", "Thành phố Hồ Chí Minh"]
    assert all(group.find(f"{SVG}path") is not None for group in groups if group.find(f"{SVG}title").text in highlighted)  # ticked too
    assert "Hà Giang" not in every_text(chart).replace(chart.summary, "")
    off_map = "không có trên bản đồ" if language == "vi" else "not on the map"
    assert chart.rows == [["Hà Nội", "3"], ["Thành phố Hồ Chí Minh", "—"], [f"Hà Giang ({off_map})", "—"]]
    assert "Hà Nội (3)" in chart.summary and "Hà Giang" in chart.summary


def test_a_colour_is_a_palette_key_or_a_hex_code_only():
    with pytest.raises(ValueError, match="colour"):
        progress_bar(1, label="x", colour='red" onload="alert(1)')
