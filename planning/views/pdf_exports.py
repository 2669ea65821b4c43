"""The logframe of one published year as a PDF (issue 10 §2): `/<lang>/exports/logframe.pdf`.

The same filters as the public pages (`planning.filters.public_activity_filter`: `year`, `objective`,
`task_group`, `agency`, `province`, `status`, `q`), the same reads (`planning.selectors.public`: only
published delivery plans and values approved and published) and the same charts (`napwps.charts`).
A4 landscape: a cover, a table of contents, the logframe matrix, the indicators with their charts and
the budget summary. The only font is the vendored DejaVu Sans (`static/css/logframe-print.css`).

`render_logframe(..., data=WorkingLogframeData)` is the workspace's PDF with the working values
(planning.views.workspace_exports): a banner on the cover, the running header and a mark next to every
draft; never cached.

Rendered files of the public values are cached (Django's cache) under the language, the filters, the day and
`public.public_data_version(plan)`, so a file is rendered again only when published data changed.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from napwps import charts
from napwps.exporting import pdf_bytes, pdf_response
from napwps.formatting import number, percent
from planning.exports import LogframeData, draft_mark
from planning.models import FundingSource, Measure, PeriodKind
from planning.selectors import budget_summary, budget_totals, public

from .exports import public_filters
from .public.indicators import target_actual_chart

FONT_FAMILY = "NAPWPS DejaVu Sans"  # the @font-face of static/css/logframe-print.css, and nothing else

CACHE_PREFIX = "logframe-pdf-v1"
CACHE_SECONDS = 2 * 24 * 3600  # the day is part of the key: older files need not stay longer
TEMPLATE = "planning/pdf/logframe.html"


def logframe_pdf(request):
    context, filterset, error = public_filters(request)
    if error is not None:
        return error
    plan, year = context["plan"], context["year"]
    applied = filterset.described()
    key = cache_key(plan, year, filterset.query())
    data = cache.get(key)
    if data is None:
        data = render_logframe(request, context, filterset, applied)
        cache.set(key, data, CACHE_SECONDS)
    return pdf_response(f"logframe-{year}.pdf", data)


def cache_key(plan, year: int, query: list[tuple[str, str]]) -> str:
    parts = [get_language(), str(year), timezone.localdate().isoformat(), *sorted(f"{name}={value}" for name, value in query), public.public_data_version(plan)]
    return f"{CACHE_PREFIX}:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()}"


# The document ----------------------------------------------------------------------------------------


@dataclass
class IndicatorEntry:
    """One indicator as the PDF shows it: its period of the year and its chart over every public period."""

    indicator: object
    periods: list
    level: str
    year_period: public.PublicPeriod | None = None
    chart: charts.Chart | None = None
    baseline: str = ""  # the figures of the year, formatted ("" when there is none)
    target: str = ""
    actual: str = ""

    @property
    def anchor(self) -> str:
        return f"indicator-{self.indicator.pk}"


@dataclass
class BudgetGroup:
    objective: object
    rows: list = field(default_factory=list)  # [(source label, figures)]
    total: dict | None = None


def render_logframe(request, context, filterset, applied, *, data: LogframeData | None = None) -> bytes:
    """The PDF bytes of the public values (`data` None) or of a `WorkingLogframeData` (the workspace's
    drafts: marked on the cover, in the running header and next to every working value)."""
    plan, year = context["plan"], context["year"]
    data = data or LogframeData(plan=plan, delivery_plan=context["delivery_plan"], filterset=filterset)
    tree, drafts = data.tree, data.drafts
    general = [indicator_entry(indicator, periods, year, _("General objective"), drafts=drafts) for indicator, periods in data.general]
    indicators = list(general)
    for objective in tree:
        objective.entries = [indicator_entry(i, p, year, _("Objective"), drafts=drafts) for i, p in objective.indicators]
        indicators += objective.entries
        for output in objective.outputs:
            output.entries = [indicator_entry(i, p, year, _("Output"), drafts=drafts) for i, p in output.indicators]
            indicators += output.entries
            for node in output.activities:
                node.entries = [indicator_entry(i, p, year, _("Activity"), drafts=drafts) for i, p in node.indicators]
                indicators += node.entries
    lines = data.budget_lines
    document = {
        **context,
        "font_family": FONT_FAMILY,
        "tree": tree,
        "general": general,
        "indicators": indicators,
        "charted": [entry for entry in indicators if entry.chart is not None],
        "budget": budget_groups(lines, tree),
        "budget_total": budget_totals(lines),
        "applied": applied,
        "activity_count": sum(len(output.activities) for objective in tree for output in objective.outputs),
        "generated": timezone.localdate(),
        "margin_css": margin_css(plan, year, drafts=drafts),
        "drafts": drafts,
        "draft_mark": draft_mark() if drafts else "",
        "plan_is_draft": data.plan_is_draft,
    }
    return pdf_bytes(TEMPLATE, document, request=request)


def indicator_entry(indicator, periods, year: int, level: str, *, drafts: bool = False) -> IndicatorEntry:
    entry = IndicatorEntry(indicator, periods, level)
    entry.year_period = next((p for p in periods if p.period.kind == PeriodKind.ANNUAL and p.period.year == year), None)
    fmt = percent if indicator.measure == Measure.PERCENTAGE else number
    entry.baseline = fmt(indicator.baseline_value) if indicator.baseline_value is not None else str(indicator.baseline_text or "")
    found = entry.year_period
    if found is not None:
        entry.target = fmt(found.target_value) if found.target_value is not None else str(found.target.target_text or "") if found.target else ""
        entry.actual = fmt(found.actual_value) if found.actual_value is not None else str(found.actual.actual_text or "") if found.actual else ""
        if getattr(found, "draft_target", False) and entry.target:
            entry.target = f"{entry.target} {draft_mark()}"
        if getattr(found, "draft_actual", False) and entry.actual:
            entry.actual = f"{entry.actual} {draft_mark()}"
    chart = target_actual_chart(indicator, periods, drafts=drafts)
    if chart is not None:
        entry.chart = with_font(chart)
    return entry


def with_font(chart: charts.Chart) -> charts.Chart:
    """The chart drawn in the vendored font only: its SVG names the browsers' font stack, which WeasyPrint
    would fill from the machine's fonts."""
    svg = str(chart.svg).replace(f'font-family="{charts.FONT_FAMILY}"', f'font-family="{FONT_FAMILY}"')
    chart.svg = mark_safe(svg)  # the same markup, one attribute changed to a constant
    return chart


def budget_groups(lines, tree) -> list[BudgetGroup]:
    """The filtered activities' published budget lines by objective × funding source (three queries)."""
    sources = dict(FundingSource.choices)
    groups = {node.objective.pk: BudgetGroup(node.objective) for node in tree}
    for row in budget_summary(lines, by=("objective", "source")):
        groups[row["objective"]].rows.append((str(sources.get(row["source"], row["source"])), row))
    for row in budget_summary(lines, by=("objective",)):
        groups[row["objective"]].total = row
    return [group for group in groups.values() if group.rows]


def css_string(text) -> str:
    """A CSS string literal of any text: quotes, backslashes, line breaks and `<` escaped."""
    escaped = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("\r", "").replace("<", "\\3C ").replace(">", "\\3E ")
    return f'"{escaped}"'


def margin_css(plan, year: int, *, drafts: bool = False) -> str:
    """The running header and footer: translated text around the page counters."""
    marker = "\x00"
    footer = _("Page %(page)s of %(pages)s") % {"page": f"{marker}page{marker}", "pages": f"{marker}pages{marker}"}
    parts = []
    for index, piece in enumerate(footer.split(marker)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    header = css_string(plan.short_name or plan.name)
    title = _("Logframe %(year)s") % {"year": year}
    if drafts:
        title = f"{title} — {_('Includes values not yet published')}"
    title = css_string(title)
    footer_content = " ".join(parts)
    rules = f"@top-left {{ content: {header}; }} @top-right {{ content: {title}; }} @bottom-right {{ content: {footer_content}; }}"
    return mark_safe(f"@page {{ {rules} }}")  # every text in it went through css_string


urlpatterns = [
    path("exports/logframe.pdf", logframe_pdf, name="export-logframe-pdf"),
]
