"""Charts drawn on the server as SVG, each with a table and a sentence as its text alternative.

The same functions draw the charts of the public pages and of the PDFs (WeasyPrint), so they take plain
data (labels as str, numbers as Decimal/int/None), never a model, and return a `Chart`:

    chart = stacked_bars(["Objective 1", "Objective 2"], [("State budget", [1000, 2000]), ("ODA", [500, None])],
                         title="Budget by source", fmt=money)
    {% include "includes/chart.html" with chart=chart %}      {{ chart }} is the bare <svg>

Every number shown (in the drawing, its <title>/<desc> and the table) goes through `fmt` (default
`napwps.formatting.number`; pass `money` or `percent`), so it is in the reader's locale. Labels are user
data and are escaped. Colour never carries meaning alone: legends name every colour, values are written
next to the bars, highlighted tiles are also bold-bordered and ticked. Text is dark (#212529) on white or
on a light fill only. The SVG uses plain elements and presentation attributes (no CSS, no script, no
foreignObject), so WeasyPrint renders it as the browser does; its width is 100% of its box and its height
follows from the viewBox.

Functions (keyword arguments after the first):
    progress_bar(value, *, maximum=100, colour="green", label, fmt=percent)
    status_bar(parts: [(label, count, colour key)], *, title, category_label=None, value_label=None)
    stacked_bars(categories, series: [(name, values)], *, title, fmt=number, colours=None, category_label=None)
    grouped_bars(categories, series: [(name, values)], *, title, fmt=number, colours=None, category_label=None)
    target_actual(periods, targets, actuals, *, title, target_label, actual_label, baseline=None,
                  baseline_label="", fmt=number, period_label=None)
    tile_map(tiles: [Tile(code, label, highlight=False, value="")], *, title, highlight_label=None,
             value_label=None)

Colours are keys of STATUS_PALETTE ("grey", "green", "amber", "red", "blue": planning's STATUS_COLOURS
values) or "#rrggbb"; series without `colours` take SERIES_PALETTE (Okabe–Ito) in order.
"""

import hashlib
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from napwps.formatting import PLACEHOLDER, number, percent

# Okabe & Ito (2008), "Color Universal Design": told apart by readers with any common colour-vision deficiency.
STATUS_PALETTE: dict[str, str] = {
    "grey": "#8C8C8C",  # not started
    "green": "#009E73",  # on track (bluish green)
    "amber": "#E69F00",  # at risk (orange)
    "red": "#D55E00",  # off track (vermillion)
    "blue": "#0072B2",  # completed (blue)
    "black": "#000000",  # cancelled
    "purple": "#CC79A7",  # suspended (reddish purple)
}
# Okabe–Ito order without black first, yellow (hardly visible on white) near the end.
SERIES_PALETTE: list[str] = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442", "#000000"]

TEXT_COLOUR = "#212529"  # Bootstrap's body colour: 15.4:1 on white, ≥ 4.5:1 on every light fill used here
LINE_COLOUR = "#495057"
TRACK_COLOUR = "#E9ECEF"
TILE_COLOUR = "#F1F3F5"
TILE_BORDER = "#ADB5BD"
HIGHLIGHT_COLOUR = "#56B4E9"  # sky blue: TEXT_COLOUR on it is 6.7:1
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif"
WIDTH = 400  # viewBox width: at 390 px a 13-unit font is still ~12 px
FONT_SIZE = 13
LINE_HEIGHT = 18
CHAR_WIDTH = 0.6  # a character's estimated width, in font sizes (no font metrics on the server)

Number = Decimal | int | float | None


@dataclass
class Chart:
    """An SVG chart and its text alternatives: `rows` (already formatted, under `headers`) and `summary`.

    `{{ chart }}` is the bare SVG; `{% include "includes/chart.html" with chart=chart %}` adds the caption and
    the table. In the table, the first cell of a row names it and the others are figures.
    """

    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str]]
    summary: str
    kind: str = ""  # the function that drew it ("tile-map", ...), for the figure's CSS class
    footnotes: list[str] = field(default_factory=list)

    def __html__(self) -> SafeString:
        return self.svg

    def __str__(self) -> str:
        return str(self.svg)


@dataclass
class Tile:
    """One unit on a tile map: its statistics-office code, its full name, whether it is highlighted, and a
    figure already formatted (shown in the tile and the table). `short` overrides the label drawn in the tile."""

    code: str
    label: str
    highlight: bool = False
    value: str = ""
    short: str = ""


# The 34 provincial-level units from 1 July 2025, by statistics-office code, as (column, row) on a grid of
# 5 columns and 16 rows, north at the top, placed roughly by geography (no boundaries: DOMAIN.md §2).
PROVINCE_TILES: dict[str, tuple[int, int]] = {
    "12": (0, 0),  # Lai Châu
    "15": (1, 0),  # Lào Cai
    "08": (2, 0),  # Tuyên Quang
    "04": (3, 0),  # Cao Bằng
    "11": (0, 1),  # Điện Biên
    "14": (1, 1),  # Sơn La
    "19": (2, 1),  # Thái Nguyên
    "20": (3, 1),  # Lạng Sơn
    "25": (1, 2),  # Phú Thọ
    "01": (2, 2),  # Hà Nội
    "24": (3, 2),  # Bắc Ninh
    "22": (4, 2),  # Quảng Ninh
    "38": (1, 3),  # Thanh Hóa
    "37": (2, 3),  # Ninh Bình
    "33": (3, 3),  # Hưng Yên
    "31": (4, 3),  # Hải Phòng
    "40": (1, 4),  # Nghệ An
    "42": (2, 5),  # Hà Tĩnh
    "44": (2, 6),  # Quảng Trị
    "46": (3, 7),  # Huế
    "48": (3, 8),  # Đà Nẵng
    "51": (3, 9),  # Quảng Ngãi
    "52": (3, 10),  # Gia Lai
    "66": (3, 11),  # Đắk Lắk
    "75": (2, 12),  # Đồng Nai
    "68": (3, 12),  # Lâm Đồng
    "56": (4, 12),  # Khánh Hòa
    "80": (1, 13),  # Tây Ninh
    "79": (2, 13),  # Thành phố Hồ Chí Minh
    "91": (0, 14),  # An Giang
    "82": (1, 14),  # Đồng Tháp
    "86": (2, 14),  # Vĩnh Long
    "96": (0, 15),  # Cà Mau
    "92": (1, 15),  # Cần Thơ
}
TILE_SIZE = 56
TILE_GAP = 4

_ids = itertools.count(1)
_HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?")


# --- helpers -------------------------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _shown(value, fmt: Callable) -> str:
    """The figure as the reader writes it, or "—" when there is none."""
    return PLACEHOLDER if _decimal(value) is None else (fmt(value) or PLACEHOLDER)


def _colour(key: str | None, default: str) -> str:
    if not key:
        return default
    if key in STATUS_PALETTE:
        return STATUS_PALETTE[key]
    if _HEX.fullmatch(key):
        return key
    raise ValueError(f"not a palette key nor a #rrggbb colour: {key!r}")


def _series_colours(count: int, colours: Sequence[str] | None) -> list[str]:
    result = []
    for index in range(count):
        fallback = SERIES_PALETTE[index % len(SERIES_PALETTE)]
        result.append(_colour(colours[index] if colours and index < len(colours) else None, fallback))
    return result


def _width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _wrap(text: str, width: float, size: float = FONT_SIZE) -> list[str]:
    """`text` cut into lines of at most `width` units (by words; an over-long word stands alone)."""
    limit = max(4, int(width / (size * CHAR_WIDTH)))
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _n(value: float) -> str:
    """A coordinate for the markup: at most two decimals, no exponent."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text(x: float, y: float, content: str, *, size: float = FONT_SIZE, anchor: str = "start", bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
    return f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" fill="{TEXT_COLOUR}"{anchor_attr}{weight}>{escape(content)}</text>'


def _lines(x: float, y: float, lines: list[str], *, bold: bool = False) -> tuple[str, float]:
    """Text lines from the top `y`; returns the markup and the y below them."""
    parts = []
    for line in lines:
        y += LINE_HEIGHT
        parts.append(_text(x, y - 5, line, bold=bold))
    return "".join(parts), y


def _rect(x: float, y: float, width: float, height: float, fill: str, *, tooltip: str = "", stroke: str = "", dashed: bool = False, rx: float = 0) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(width, 0))}" height="{_n(height)}" fill="{fill}"'
    if rx:
        attrs += f' rx="{_n(rx)}"'
    if stroke:
        attrs += f' stroke="{stroke}" stroke-width="1"'
        if dashed:
            attrs += ' stroke-dasharray="4 2"'
    if tooltip:
        return f"<rect {attrs}><title>{escape(tooltip)}</title></rect>"
    return f"<rect {attrs}/>"


def _scale(values: list[Decimal | None]) -> Decimal:
    """The largest of the values (at least 0), the right end of the bars; 0 when there is nothing to draw."""
    present = [value for value in values if value is not None and value > 0]
    return max(present) if present else Decimal(0)


def _length(value: Decimal | None, largest: Decimal, room: float) -> float:
    if value is None or value <= 0 or largest <= 0:
        return 0.0
    return float(min(value, largest) / largest) * room


def _legend(items: list[tuple[str, str, str]], y: float, width: float) -> tuple[str, float]:
    """Swatches with their text, flowing in rows: items are (style, colour, text), style "solid", "outline" or
    "line". Returns the markup and the y below the legend."""
    parts = []
    x = 0.0
    row_top = y
    for style, colour, text in items:
        lines = _wrap(text, width - 20)
        item_width = 20 + max(_width(line) for line in lines) + 14
        if x > 0 and x + item_width > width:
            x, row_top = 0.0, y
        swatch_y = row_top + 3
        if style == "line":
            parts.append(
                f'<line x1="{_n(x)}" y1="{_n(swatch_y + 6)}" x2="{_n(x + 14)}" y2="{_n(swatch_y + 6)}" stroke="{colour}" stroke-width="2" stroke-dasharray="3 2"/>'
            )
        elif style == "outline":
            parts.append(_rect(x + 0.5, swatch_y + 0.5, 13, 11, "#FFFFFF", stroke=colour, dashed=True))
        else:
            parts.append(_rect(x, swatch_y, 14, 12, colour, stroke=TEXT_COLOUR))
        markup, bottom = _lines(x + 20, row_top, lines)
        parts.append(markup)
        y = max(y, bottom)
        x += item_width
        if len(lines) > 1:
            x, row_top = 0.0, y
    return "".join(parts), y + (6 if items else 0)


def _legend_over_bars(items: list[tuple[str, str, str]], texts: list[str], *, size: float = FONT_SIZE) -> tuple[list[str], float, float, float]:
    """The top of a chart of bars each followed by its text (`texts`, drawn at `size`): the chart is WIDTH wide, or
    wider when the longest text needs it beside a bar of 40% of WIDTH, and the legend (`_legend`'s items) spans it.
    Returns the body begun with the legend, the y below it, the chart's width and the room left for the bars."""
    widest = max((_width(text, size) for text in texts), default=0)
    width = max(WIDTH, widest + 8 + WIDTH * 0.4)
    legend, y = _legend(items, 0, width)
    return [legend], y, width, width - widest - 8


def _svg(title: str, summary: str, width: float, height: float, body: str) -> SafeString:
    # ids: readable (the title's slug), tied to the content, and unique even when a page draws the same chart
    # twice (four objectives' identical progress bars), which a content hash alone would not be
    digest = hashlib.sha1(f"{title}\n{summary}\n{body}".encode()).hexdigest()[:6]
    base = f"chart-{slugify(title)[:40].strip('-') or 'x'}-{digest}-{next(_ids)}"
    return mark_safe(  # every text in `body`, `title` and `summary` is escaped here or by the helpers
        '<svg xmlns="http://www.w3.org/2000/svg" role="img"'
        f' aria-labelledby="{base}-title {base}-desc" viewBox="0 0 {_n(width)} {_n(height)}" width="100%"'
        f' preserveAspectRatio="xMinYMin meet" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">'
        f'<title id="{base}-title">{escape(title)}</title><desc id="{base}-desc">{escape(summary)}</desc>'
        f"{body}</svg>"
    )


def _sentence(title: str, parts: list[str]) -> str:
    return f"{title}: {'; '.join(parts)}." if parts else f"{title}."


# --- charts --------------------------------------------------------------------------------------------


def progress_bar(value: Number, *, maximum: Number = 100, colour: str = "green", label: str, fmt: Callable = percent) -> Chart:
    """A thin horizontal bar filled to `value` out of `maximum`, with `label` and the value written above it.

    The value is shown as `fmt(value)` ("62,5%"), or "value of maximum" when `maximum` is not 100; None
    draws an empty bar and "—". `colour` is a STATUS_PALETTE key or "#rrggbb".
    """
    amount, top = _decimal(value), _decimal(maximum)
    shown = _shown(value, fmt)
    if amount is not None and top is not None and top != 100:
        shown = gettext("%(value)s of %(maximum)s") % {"value": shown, "maximum": _shown(maximum, fmt)}
    value_width = _width(shown) + 8
    label_lines = _wrap(label, WIDTH - value_width)
    labels, y = _lines(0, 0, label_lines)
    body = [labels, _text(WIDTH, LINE_HEIGHT - 5, shown, anchor="end", bold=True)]
    bar_y = y + 4
    body.append(_rect(0, bar_y, WIDTH, 12, TRACK_COLOUR, rx=6, stroke=LINE_COLOUR))
    filled = _length(amount, top if top and top > 0 else Decimal(0), WIDTH)
    if filled:
        body.append(_rect(0, bar_y, filled, 12, _colour(colour, STATUS_PALETTE["green"]), rx=6, stroke=TEXT_COLOUR))
    summary = f"{label}: {shown}."
    svg = _svg(label, summary, WIDTH, bar_y + 14, "".join(body))
    return Chart(label, svg, [gettext("Progress"), gettext("Value")], [[label, shown]], summary, kind="progress")


def status_bar(parts: list[tuple[str, int, str]], *, title: str, category_label: str | None = None, value_label: str | None = None) -> Chart:
    """One stacked bar of counts, one segment per (label, count, colour key), and a legend "label: n".

    Zero parts are left out of the bar (and the legend keeps them, "label: 0"); the table lists every part and
    the total. An all-zero bar is an empty track.
    """
    counts = [(label, _decimal(count) or Decimal(0), colour) for label, count, colour in parts]
    total = sum((count for _label, count, _colour_key in counts), Decimal(0))
    body = [_rect(0, 0, WIDTH, 22, TRACK_COLOUR, stroke=LINE_COLOUR)]
    x = 0.0
    for label, count, colour in counts:
        length = _length(count, total, WIDTH)
        if length:
            body.append(_rect(x, 0, length, 22, _colour(colour, STATUS_PALETTE["grey"]), stroke=TEXT_COLOUR, tooltip=f"{label}: {number(count)}"))
            x += length
    legend, y = _legend([("solid", _colour(colour, STATUS_PALETTE["grey"]), f"{label}: {number(count)}") for label, count, colour in counts], 30, WIDTH)
    body.append(legend)
    total_text = f"{gettext('Total')}: {number(total)}"
    body.append(_text(0, y + LINE_HEIGHT - 5, total_text, bold=True))
    summary = _sentence(title, [f"{label}: {number(count)}" for label, count, _c in counts] + [total_text])
    rows = [[label, number(count)] for label, count, _c in counts] + [[gettext("Total"), number(total)]]
    headers = [category_label or gettext("Status"), value_label or gettext("Number")]
    return Chart(title, _svg(title, summary, WIDTH, y + LINE_HEIGHT + 2, "".join(body)), headers, rows, summary, kind="status")


def _series_values(categories: list[str], series: list[tuple[str, list]]) -> list[list[Decimal | None]]:
    return [[_decimal(values[index]) if index < len(values) else None for index in range(len(categories))] for _name, values in series]


def stacked_bars(
    categories: list[str],
    series: list[tuple[str, list]],
    *,
    title: str,
    fmt: Callable = number,
    colours: list[str] | None = None,
    category_label: str | None = None,
) -> Chart:
    """Horizontal stacked bars, one per category (objective, year…), one segment per series (funding source…).

    Each bar is labelled above and followed by its total; the legend names each series with its total over
    all categories; each segment's value is in its tooltip. None counts as nothing (and "—" in the table);
    negative values are not drawn. Table: category × series, then the total.
    """
    values = _series_values(categories, series)
    palette = _series_colours(len(series), colours)
    totals = [sum((column[index] for column in values if column[index] is not None), Decimal(0)) for index in range(len(categories))]
    shown_totals = [fmt(total) for total in totals]
    series_totals = [sum((value for value in column if value is not None), Decimal(0)) for column in values]
    legend, y = _legend([("solid", palette[index], f"{name}: {fmt(series_totals[index])}") for index, (name, _v) in enumerate(series)], 0, WIDTH)
    body = [legend]
    room = WIDTH - max((_width(text) for text in shown_totals), default=0) - 8
    largest = _scale(totals)
    for index, category in enumerate(categories):
        labels, y = _lines(0, y + 4, _wrap(category, WIDTH), bold=True)
        body.append(labels)
        x = 0.0
        for column, (name, _v) in enumerate(series):
            length = _length(values[column][index], largest, room)
            if length:
                tooltip = f"{category}, {name}: {fmt(values[column][index])}"
                body.append(_rect(x, y, length, 18, palette[column], stroke=TEXT_COLOUR, tooltip=tooltip))
                x += length
        body.append(_text(x + 6, y + 14, shown_totals[index]))
        y += 26
    parts = []
    rows = []
    for index, category in enumerate(categories):
        cells = [_shown(values[column][index], fmt) for column in range(len(series))]
        rows.append([category, *cells, shown_totals[index]])
        figures = ", ".join(f"{name} {cell}" for (name, _v), cell in zip(series, cells, strict=True))
        parts.append(f"{category}: {figures}{', ' if figures else ''}{gettext('Total')} {shown_totals[index]}")
    summary = _sentence(title, parts)
    headers = [category_label or gettext("Category"), *(name for name, _v in series), gettext("Total")]
    return Chart(title, _svg(title, summary, WIDTH, max(y, 1), "".join(body)), headers, rows, summary, kind="stacked")


def grouped_bars(
    categories: list[str],
    series: list[tuple[str, list]],
    *,
    title: str,
    fmt: Callable = number,
    colours: list[str] | None = None,
    category_label: str | None = None,
) -> Chart:
    """Horizontal grouped bars: per category (year…), one bar per series (women, men, other…), each followed by
    "series: value", so the colours are a second cue only. None draws no bar and "—"; negative values no bar.
    Table: category × series.
    """
    values = _series_values(categories, series)
    palette = _series_colours(len(series), colours)
    texts = [[f"{name}: {_shown(values[column][index], fmt)}" for column, (name, _v) in enumerate(series)] for index in range(len(categories))]
    items = [("solid", palette[index], name) for index, (name, _v) in enumerate(series)]
    body, y, width, room = _legend_over_bars(items, [text for row in texts for text in row])
    largest = _scale([value for column in values for value in column])
    for index, category in enumerate(categories):
        labels, y = _lines(0, y + 4, _wrap(category, width), bold=True)
        body.append(labels)
        for column in range(len(series)):
            length = _length(values[column][index], largest, room)
            if length:
                body.append(_rect(0, y + 1, length, 14, palette[column], stroke=TEXT_COLOUR))
            body.append(_text(length + 6, y + 12, texts[index][column], size=FONT_SIZE - 1))
            y += 17
        y += 6
    rows = [[category, *(_shown(values[column][index], fmt) for column in range(len(series)))] for index, category in enumerate(categories)]
    summary = _sentence(title, [f"{category}: {', '.join(texts[index])}" for index, category in enumerate(categories)])
    headers = [category_label or gettext("Category"), *(name for name, _v in series)]
    return Chart(title, _svg(title, summary, width, max(y, 1), "".join(body)), headers, rows, summary, kind="grouped")


def target_actual(
    periods: list[str],
    targets: list,
    actuals: list,
    *,
    title: str,
    target_label: str,
    actual_label: str,
    baseline: Number = None,
    baseline_label: str = "",
    fmt: Callable = number,
    period_label: str | None = None,
) -> Chart:
    """An indicator's targets against its actuals, period by period: paired horizontal bars, the target an
    outlined dashed bar and the actual a solid one (told apart in greyscale), each followed by "label: value";
    the baseline, if any, a dashed vertical line named in the legend. None values draw nothing ("—").
    Table: period, target, actual (and the baseline as a first row).
    """
    targets_ = [_decimal(targets[index]) if index < len(targets) else None for index in range(len(periods))]
    actuals_ = [_decimal(actuals[index]) if index < len(actuals) else None for index in range(len(periods))]
    base = _decimal(baseline)
    baseline_label = baseline_label or gettext("Baseline")
    texts = [(f"{target_label}: {_shown(targets_[index], fmt)}", f"{actual_label}: {_shown(actuals_[index], fmt)}") for index in range(len(periods))]
    items = [("solid", STATUS_PALETTE["blue"], actual_label), ("outline", TEXT_COLOUR, target_label)]
    if base is not None:
        items.append(("line", TEXT_COLOUR, f"{baseline_label}: {fmt(base)}"))
    body, y, width, room = _legend_over_bars(items, [text for pair in texts for text in pair], size=FONT_SIZE - 1)
    top = y
    largest = _scale([*targets_, *actuals_, base])
    for index, period in enumerate(periods):
        labels, y = _lines(0, y + 4, _wrap(period, width), bold=True)
        body.append(labels)
        length = _length(targets_[index], largest, room)
        if length:
            body.append(_rect(0.5, y + 1.5, length - 1, 13, "#FFFFFF", stroke=TEXT_COLOUR, dashed=True))
        body.append(_text(length + 6, y + 12, texts[index][0], size=FONT_SIZE - 1))
        y += 17
        length = _length(actuals_[index], largest, room)
        if length:
            body.append(_rect(0, y + 1, length, 14, STATUS_PALETTE["blue"], stroke=TEXT_COLOUR))
        body.append(_text(length + 6, y + 12, texts[index][1], size=FONT_SIZE - 1))
        y += 23
    if base is not None and largest > 0 and periods:
        x = max(_length(base, largest, room), 1)
        body.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(y - 6)}" stroke="{TEXT_COLOUR}" stroke-width="2" stroke-dasharray="3 2">'
            f"<title>{escape(baseline_label)}: {escape(fmt(base))}</title></line>"
        )
    rows = [[period, _shown(targets_[index], fmt), _shown(actuals_[index], fmt)] for index, period in enumerate(periods)]
    parts = [f"{period}: {texts[index][0]}, {texts[index][1]}" for index, period in enumerate(periods)]
    if base is not None:
        rows.insert(0, [baseline_label, fmt(base), PLACEHOLDER])
        parts.insert(0, f"{baseline_label} {fmt(base)}")
    summary = _sentence(title, parts)
    headers = [period_label or gettext("Year"), target_label, actual_label]
    return Chart(title, _svg(title, summary, width, max(y, 1), "".join(body)), headers, rows, summary, kind="target-actual")


def _short(tile: Tile) -> list[str]:
    """The tile's label in at most two lines: "Lào / Cai"; initials for longer names ("TP. Hồ Chí Minh" → "HCM")."""
    if tile.short:
        return [tile.short]
    name = re.sub(r"^(Thành phố|Tỉnh|TP\.?)\s+", "", tile.label.strip(), flags=re.IGNORECASE)
    name = re.sub(r"\s+(City|Province)$", "", name)
    words = name.split()
    if len(words) <= 2 and all(len(word) <= 7 for word in words):
        return words or [tile.code]
    return ["".join(word[0] for word in words).upper()]


def _tick(x: float, y: float) -> str:
    return (
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="7" fill="#FFFFFF" stroke="{TEXT_COLOUR}" stroke-width="1.5"/>'
        f'<path d="M {_n(x - 3.5)} {_n(y)} L {_n(x - 1)} {_n(y + 3)} L {_n(x + 4)} {_n(y - 3)}" fill="none" stroke="{TEXT_COLOUR}" stroke-width="2"/>'
    )


def tile_map(tiles: list[Tile], *, title: str, highlight_label: str | None = None, value_label: str | None = None) -> Chart:
    """Viet Nam's 34 provincial-level units as one tile each (PROVINCE_TILES), north at the top.

    Each tile shows a short name (and its `value`), the full name in its tooltip; highlighted tiles are filled
    sky blue, bold-bordered and ticked. Positions no tile was given for are drawn empty; a tile whose code is
    not in PROVINCE_TILES (a unit of before July 2025) is not drawn but is listed in the table and summary.
    Table: the highlighted units (and those not on the map), with their values.
    """
    highlight_label = highlight_label or gettext("Highlighted")
    step = TILE_SIZE + TILE_GAP
    columns = 1 + max(column for column, _row in PROVINCE_TILES.values())
    rows_count = 1 + max(row for _column, row in PROVINCE_TILES.values())
    width = max(columns * step, WIDTH * 0.6)
    left = (width - columns * step + TILE_GAP) / 2
    # the legend: a highlighted tile in small, ticked, and its meaning
    body = [f'<rect x="1.5" y="1.5" width="30" height="20" rx="3" fill="{HIGHLIGHT_COLOUR}" stroke="{TEXT_COLOUR}" stroke-width="3"/>', _tick(22, 11.5)]
    legend, top = _lines(40, 0, _wrap(highlight_label, width - 40))
    body.append(legend)
    top = max(top, 24) + 8
    given = {tile.code: tile for tile in tiles}
    for code, (column, row) in PROVINCE_TILES.items():
        x, y = left + column * step, top + row * step
        tile = given.get(code)
        if tile is None:
            body.append(_rect(x, y, TILE_SIZE, TILE_SIZE, "#FFFFFF", stroke=TILE_BORDER, rx=4))
            continue
        fill = HIGHLIGHT_COLOUR if tile.highlight else TILE_COLOUR
        name = f"{tile.label}: {tile.value}" if tile.value else tile.label
        outline = f'stroke="{TEXT_COLOUR}" stroke-width="3"' if tile.highlight else f'stroke="{TILE_BORDER}" stroke-width="1"'
        group = [f"<g><title>{escape(name)}</title>"]
        group.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{TILE_SIZE}" height="{TILE_SIZE}" rx="4" fill="{fill}" {outline}/>')
        lines = _short(tile) + ([tile.value] if tile.value else [])
        first = y + TILE_SIZE / 2 - (len(lines) - 1) * 6 + 4
        for index, line in enumerate(lines):
            group.append(_text(x + TILE_SIZE / 2, first + index * 12, line, size=10.5, anchor="middle", bold=tile.highlight and index == 0))
        if tile.highlight:
            group.append(_tick(x + TILE_SIZE - 8, y + 8))
        group.append("</g>")
        body.append("".join(group))
    off_map = [tile for tile in tiles if tile.code not in PROVINCE_TILES]
    listed = [tile for tile in tiles if tile.highlight and tile.code in PROVINCE_TILES] + off_map
    not_on_map = gettext("not on the map")
    names = [f"{tile.label}{f' ({tile.value})' if tile.value else ''}{f' ({not_on_map})' if tile.code not in PROVINCE_TILES else ''}" for tile in listed]
    summary = f"{title}: {highlight_label}: {', '.join(names) if names else gettext('none')}."
    with_values = any(tile.value for tile in listed)
    headers = [gettext("Province")] + ([value_label or gettext("Value")] if with_values else [])
    rows = [
        [f"{tile.label}{f' ({not_on_map})' if tile.code not in PROVINCE_TILES else ''}"] + ([tile.value or PLACEHOLDER] if with_values else [])
        for tile in listed
    ]
    height = top + rows_count * step
    return Chart(title, _svg(title, summary, width, height, "".join(body)), headers, rows, summary, kind="tile-map")
