"""The logframe workbook of the public portal (issue 10 §1): published data only, in the reader's language.

`LogframeWorkbook(...).render()` returns the .xlsx bytes. It reads ONLY through
`planning.selectors.public` (published delivery plans, values approved AND published), after the
public filters (`planning.filters.public_activity_filter`) chose the activities; one plan-year per
workbook. Each sheet is a small class that yields `Row`s; `napwps.exporting` writes the cells, so
typed text never becomes a formula: only the Budget sheet's `Formula`s (written here) are formulas.

The workspace exports (planning.views.workspace_exports) build the same sheets from
`WorkingLogframeData`: the working values for signed-in staff, each cell whose value is not the
published one shaded and marked `draft_mark()` in its row, the cover saying "Includes values not yet published".

Plan content follows the visible-fallback rule: an English workbook shows the Vietnamese text where no
English exists, in italics (the cover says so).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from napwps.exporting import DATE_FORMAT, PERCENT_FORMAT, VND_FORMAT, Formula, print_ready, save_workbook, set_widths, sheet_title, write_cell
from napwps.formatting import number, short_date
from planning.models import Disaggregation, FundingSource, FundingStatus, Measure, Organisation, ReviewStatus
from planning.models.indicators import category_label
from planning.selectors import budget_lines, budget_summary, public, staff

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
GROUP_FILLS = {0: PatternFill("solid", fgColor="C9D6EA"), 1: PatternFill("solid", fgColor="E3EAF4"), 2: PatternFill("solid", fgColor="F1F4F9")}
PLANNED_FILL = PatternFill("solid", fgColor="BDD7EE")
ACTUAL_FILL = PatternFill("solid", fgColor="2F75B5")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
DRAFT_FILL = PatternFill("solid", fgColor="F8CBAD")  # a working value: always with the draft mark in its row
BOLD, TITLE_FONT, ACTUAL_FONT = Font(bold=True), Font(bold=True, size=14), Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(vertical="top", wrap_text=True)


@dataclass
class Row:
    """One row of a sheet. `level` marks a group row (0 = general objective … 2 = output), drawn bold
    and shaded; `indent` indents the `indent_column`; `formats` are number formats by column index."""

    values: list
    level: int | None = None
    indent: int = 0
    bold: bool = False
    formats: dict[int, str] = field(default_factory=dict)
    fills: dict[int, PatternFill] = field(default_factory=dict)
    fonts: dict[int, Font] = field(default_factory=dict)


def text_list(items) -> str:
    return "; ".join(str(item) for item in items if item)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = month.replace(year=month.year + 1, month=1) if month.month == 12 else month.replace(month=month.month + 1)
    return months


def standing_label(standing: str) -> str:
    return {
        public.Standing.MET: _("On track"),
        public.Standing.BEHIND: _("Behind target"),
        public.Standing.NOT_REPORTED: _("Not reported yet"),
    }.get(standing, _("No target"))


def indicator_value(indicator, value, text="") -> str | object:
    """A target, baseline or result as the reader writes it (a number cell is used where it stands alone)."""
    if value is None:
        return str(text or "")
    shown = number(value)
    return f"{shown}%" if indicator.measure == Measure.PERCENTAGE else shown


def quantity_format(value, *, percentage: bool = False) -> str:
    """A number format without a dangling separator: whole numbers show no decimals."""
    whole = not isinstance(value, int | float | Decimal) or value == int(value)
    if percentage:
        return PERCENT_FORMAT if whole else '0.0"%"'
    return "#,##0" if whole else "#,##0.00"


# The data, read once -----------------------------------------------------------------------------------


def draft_mark() -> str:
    """What follows every working value a workspace export shows (cells, the PDF)."""
    return _("(not yet published)")


class LogframeData:
    """Everything the sheets show, read through the public selectors in a fixed number of queries.

    `WorkingLogframeData` (the workspace exports) is the same with the working values: every class
    that reads a `LogframeData` reads either, and checks `drafts` for the wording."""

    drafts = False

    def __init__(self, *, plan, delivery_plan, filterset):
        self.plan, self.delivery_plan, self.year = plan, delivery_plan, delivery_plan.year
        self.filterset = filterset
        self.activities = list(filterset.qs)
        self.progress, self.general, self.tree = self.read_logframe()
        self.disaggregations = {d.pk: d for d in Disaggregation.objects.all()}
        agency_ids = {indicator.responsible_agency_id for indicator, _periods in self.indicator_entries()}
        self.agencies = {agency.pk: agency for agency in Organisation.objects.filter(pk__in=agency_ids)}  # one query, not one per indicator
        self.budget_lines = self.read_budget_lines().filter(activity_id__in=[activity.pk for activity in self.activities])
        self.budget = budget_summary(self.budget_lines, by=("objective", "source", "year"))

    def read_logframe(self):
        """(progress by activity id, plan-level indicator entries, objective nodes)."""
        return self.filterset.progress, public.plan_indicators(self.plan), public.public_logframe(self.plan, year=self.year, activities=self.activities)

    def read_budget_lines(self):
        return public.public_budget_lines(self.plan, year=self.year)

    @property
    def plan_is_draft(self) -> bool:
        return False

    def indicator_entries(self):
        """(indicator, public periods) in the logframe's order: the general objective's first."""
        yield from self.general
        for objective in self.tree:
            yield from objective.indicators
            for output in objective.outputs:
                yield from output.indicators
                for node in output.activities:
                    yield from node.indicators


class WorkingLogframeData(LogframeData):
    """The logframe with the working values, for signed-in staff (planning.views.workspace_exports):
    the activities of the year's delivery plan whatever its status (`filterset` built on
    `staff.staff_activity_queryset`), their live yearly progress (`staff.DraftProgress` where it is not
    the published one), indicators' working targets and actuals (`staff.WorkingPeriod`, drafts
    flagged) and every budget line of the year. `drafts_of`: a focal point's agency id, whose working
    values alone are read (other agencies' indicators keep their public values)."""

    drafts = True

    def __init__(self, *, plan, delivery_plan, filterset, drafts_of: int | None = None):
        self.drafts_of = drafts_of
        super().__init__(plan=plan, delivery_plan=delivery_plan, filterset=filterset)

    def read_logframe(self):
        general, tree = staff.staff_logframe(self.plan, year=self.year, activities=self.activities, working_periods=True, drafts_of=self.drafts_of)
        progress = self.filterset.progress  # staff.staff_progress, set by the view before filtering
        for objective in tree:
            for output in objective.outputs:
                for node in output.activities:
                    node.progress = progress.get(node.activity.pk)
        return progress, general, tree

    def read_budget_lines(self):
        return budget_lines(plan=self.plan, year=self.year)

    @property
    def plan_is_draft(self) -> bool:
        return self.delivery_plan.status != ReviewStatus.PUBLISHED


# The sheets ------------------------------------------------------------------------------------------


class ExportSheet:
    """A titled sheet: a title row, a line of context, the header rows, then `rows()`."""

    title = ""
    widths: dict[int, float] = {}
    freeze_column = "A"
    wrap = True

    def __init__(self, data: LogframeData, context_line: str):
        self.data, self.context_line = data, context_line

    def heading(self) -> str:
        return self.title

    def header_rows(self) -> list[list]:
        return []

    def rows(self):
        return iter(())

    def before_header(self) -> list[Row]:
        """Rows between the title block and the header (a legend)."""
        return []

    def write(self, worksheet) -> None:
        write_cell(worksheet, 1, 1, self.heading()).font = TITLE_FONT
        write_cell(worksheet, 2, 1, self.context_line)
        row_number = 3
        for row in self.before_header():
            self.write_row(worksheet, row_number, row)
            row_number += 1
        first_header = row_number
        for header in self.header_rows():
            for column, label in enumerate(header, start=1):
                cell = write_cell(worksheet, row_number, column, label)
                cell.font, cell.fill, cell.alignment, cell.border = BOLD, HEADER_FILL, Alignment(vertical="top", wrap_text=True, horizontal="center"), BOX
            row_number += 1
        header_end = row_number - 1
        self.first_data_row = row_number
        for row in self.rows():
            self.write_row(worksheet, row_number, row)
            row_number += 1
        self.last_data_row = row_number - 1
        self.after_rows(worksheet, row_number)
        set_widths(worksheet, self.widths)
        title_rows = f"{first_header}:{header_end}" if header_end >= first_header else None
        print_ready(worksheet, title_rows=title_rows, freeze=f"{self.freeze_column}{header_end + 1}")

    def write_row(self, worksheet, row_number: int, row: Row) -> None:
        for column, value in enumerate(row.values, start=1):
            cell = write_cell(worksheet, row_number, column, value)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=self.wrap, indent=row.indent if column == self.indent_column else 0)
            if row.level is not None or row.bold:
                cell.font = BOLD
                if row.level is not None:
                    cell.fill = GROUP_FILLS.get(row.level, GROUP_FILLS[2])
            if getattr(value, "is_fallback", False):
                cell.font = Font(bold=cell.font.b, italic=True)
            if getattr(value, "is_draft", False):
                cell.fill, cell.font = DRAFT_FILL, Font(bold=cell.font.b, italic=True)
            if column - 1 in row.formats:
                cell.number_format = row.formats[column - 1]
            if column - 1 in row.fills:
                cell.fill = row.fills[column - 1]
            if column - 1 in row.fonts:
                cell.font = row.fonts[column - 1]

    indent_column = 3

    def after_rows(self, worksheet, row_number: int) -> None:
        pass


class CoverSheet(ExportSheet):
    widths = {1: 28, 2: 90}

    def __init__(self, data, context_line, *, filters_in_words: str, sheet_titles: list[str]):
        super().__init__(data, context_line)
        self.filters_in_words, self.sheet_titles = filters_in_words, sheet_titles

    @property
    def title(self):
        return _("Cover")

    def heading(self):
        return _("Logframe of the delivery plan %(year)s") % {"year": self.data.year}

    def rows(self):
        plan, delivery_plan = self.data.plan, self.data.delivery_plan
        decision = " ".join(
            part for part in (plan.decision_number, _("of %(date)s") % {"date": short_date(plan.decision_date)} if plan.decision_date else "") if part
        )
        approval = " ".join(
            part
            for part in (
                delivery_plan.approval_number,
                _("of %(date)s") % {"date": short_date(delivery_plan.approval_date)} if delivery_plan.approval_date else "",
            )
            if part
        )
        yield Row([_("Plan"), plan.name])
        yield Row([_("Decision"), decision])
        yield Row([_("Year"), self.data.year])
        if self.data.drafts and delivery_plan.status != ReviewStatus.PUBLISHED:
            approval = " · ".join(part for part in (approval, _("Delivery plan status: %(status)s") % {"status": delivery_plan.get_status_display()}) if part)
        yield Row([_("Delivery plan approved by"), approval])
        yield Row([_("Filters"), self.filters_in_words])
        yield Row([_("Activities"), len(self.data.activities)])
        yield Row([_("Date of export"), timezone.localdate()], formats={1: DATE_FORMAT})
        if self.data.drafts:
            status = _(
                "Includes values not yet published: the agencies' working values (drafts, and values submitted or approved but not yet published), each marked %(mark)s and shaded, next to the values approved and published by the coordinator."
            ) % {"mark": draft_mark()}
            yield Row([_("Data status"), status], bold=True, fills={1: DRAFT_FILL})
        else:
            yield Row(
                [_("Data status"), _("Published data only: the approved delivery plan and the values approved and published by the coordinator.")], bold=True
            )
        yield Row([_("Language"), _("Text with no English version yet is shown in Vietnamese, in italics.")])
        yield Row([_("Sheets"), "\n".join(self.sheet_titles)])

    def write(self, worksheet):
        super().write(worksheet)
        for row in worksheet.iter_rows(min_row=self.first_data_row, max_col=1):
            row[0].font = BOLD
        worksheet.freeze_panes = None


class LogframeSheet(ExportSheet):
    widths = {1: 16, 2: 9, 3: 48, 4: 44, 5: 18, 6: 24, 7: 30, 8: 30}
    freeze_column = "D"

    @property
    def title(self):
        return _("Logframe")

    def header_rows(self):
        return [[_("Level"), _("Code"), _("Narrative"), _("Indicators"), _("Baseline"), _("Targets"), _("Means of verification"), _("Assumptions")]]

    def rows(self):
        data = self.data
        yield from self.entity(_("General objective"), "", data.plan.general_objective, "", data.general, level=0, indent=0)
        for objective in data.tree:
            yield from self.entity(
                _("Specific objective"),
                objective.objective.code,
                objective.objective.title,
                objective.objective.assumptions,
                objective.indicators,
                level=1,
                indent=1,
            )
            for output in objective.outputs:
                yield from self.entity(_("Output"), output.output.code, output.output.title, output.output.assumptions, output.indicators, level=2, indent=2)
                for node in output.activities:
                    title = staff.DraftText(f"{node.activity.title} {draft_mark()}") if data.plan_is_draft else node.activity.title
                    yield from self.entity(_("Activity"), node.activity.code, title, "", node.indicators, level=None, indent=3)

    def entity(self, level_label, code, narrative, assumptions, indicators, *, level, indent):
        cells = [self.indicator_cells(indicator, periods) for indicator, periods in indicators] or [["", "", "", ""]]
        yield Row([level_label, code, narrative, *cells[0], assumptions], level=level, indent=indent)
        for more in cells[1:]:
            yield Row(["", "", "", *more, ""], indent=indent)

    def indicator_cells(self, indicator, periods):
        if indicator.baseline_value is not None:
            baseline = indicator_value(indicator, indicator.baseline_value)
            if indicator.baseline_year:
                baseline = f"{baseline} ({indicator.baseline_year})"
        else:
            baseline = indicator.baseline_text
        targets = "\n".join(
            f"{p.period}: {indicator_value(indicator, p.target_value, p.target.target_text)}"
            + (f" {draft_mark()}" if getattr(p, "draft_target", False) else "")
            for p in periods
            if p.target is not None
        )
        return [f"{indicator.code} {indicator.title}", baseline, targets, indicator.means_of_verification]


MONTH_FORMAT = "mm/yyyy"
TEXT_FORMAT = "@"  # Excel keeps a code typed into the cell as text: "1.10" stays "1.10"


ACTIVITY_IMPORT_KEYS = (
    "code", "title_vi", "title_en", "output", "task_group", "subtask", "lead_agency", "partner_agencies", "funding_partners",
    "supporting_partners", "provinces", "planned_start", "planned_end",
)  # fmt: skip
BUDGET_LINE_IMPORT_KEYS = (
    "line", "activity", "year", "source", "funder", "description_vi", "description_en", "amount_vnd", "currency", "original_amount",
    "exchange_rate", "status",
)  # fmt: skip


def import_headers() -> dict[str, str]:
    """The headers of the workbook's columns that the import reads back, by field, in the active
    language: the Activities sheet's (`planning.importing.delivery_plan`), then the Budget lines
    sheet's (`planning.importing.budget_lines`)."""
    return {
        "code": _("Code"),
        "title_vi": _("Title (Vietnamese)"),
        "title_en": _("Title (English)"),
        "output": _("Output code"),
        "task_group": _("Task group code"),
        "subtask": _("Sub-task code"),
        "lead_agency": _("Lead agency (code)"),
        "partner_agencies": _("Partner agencies (codes)"),
        "funding_partners": _("Funding partners (codes)"),
        "supporting_partners": _("Technical partners (codes)"),
        "provinces": _("Provinces"),
        "planned_start": _("Planned start (month)"),
        "planned_end": _("Planned end (month)"),
        "line": _("Line ID"),
        "activity": _("Activity code"),
        "year": _("Year"),
        "source": _("Funding source"),
        "funder": _("Funder (code)"),
        "description_vi": _("Item (Vietnamese)"),
        "description_en": _("Item (English)"),
        "amount_vnd": _("Amount (VND)"),
        "currency": _("Currency"),
        "original_amount": _("Amount in the original currency"),
        "exchange_rate": _("Exchange rate (VND per unit)"),
        "status": _("Funding status"),
    }


def activity_import_headers() -> dict[str, str]:
    """The Activities sheet's import headers, by field."""
    headers = import_headers()
    return {key: headers[key] for key in ACTIVITY_IMPORT_KEYS}


def budget_line_import_headers() -> dict[str, str]:
    """The Budget lines sheet's import headers, by field."""
    headers = import_headers()
    return {key: headers[key] for key in BUDGET_LINE_IMPORT_KEYS}


def subtask_code(activity) -> str:
    """'2.a': the task group's code and the sub-task's letter, as the import reads it back."""
    return f"{activity.task_group.code}.{activity.subtask.letter}" if activity.subtask_id else ""


def organisation_codes(organisations) -> str:
    """Organisations by their code, which names each one unambiguously for the import."""
    return text_list(organisation.code for organisation in organisations)


class ActivitiesSheet(ExportSheet):
    """One row per activity: the columns the import reads (code, both titles, output, task group,
    sub-task, agencies and provinces as codes, planned months), then what readers follow (status,
    progress, the timeline), which the import ignores. Download it, edit it, upload it again."""

    imported = len(ACTIVITY_IMPORT_KEYS)  # the first columns are the import's (activity_import_headers)
    fixed = imported + 3
    freeze_column = "C"

    @property
    def title(self):
        return _("Activities")

    def __init__(self, data, context_line):
        super().__init__(data, context_line)
        self.months = self.timeline_months()
        widths = (10, 40, 40, 10, 10, 10, 14, 22, 22, 22, 26, 11, 11, 18, 30, 10)
        self.widths = dict(enumerate(widths, start=1))
        self.widths.update({self.fixed + i: 4 for i in range(1, len(self.months) + 1)})

    def timeline_months(self) -> list[datetime.date]:
        plan, year = self.data.plan, self.data.year
        starts, ends = [datetime.date(year, 1, 1)], [datetime.date(year, 12, 1)]
        for activity in self.data.activities:
            starts.append(activity.planned_start)
            ends.append(activity.planned_end)
            found = self.data.progress.get(activity.pk)
            if found is not None and found.actual_start:
                starts.append(found.actual_start)
                ends.append(found.actual_end or found.actual_start)
        first = max(min(starts), datetime.date(plan.start_year, 1, 1))
        last = min(max(ends), datetime.date(plan.end_year, 12, 1))
        return months_between(first, last)

    def before_header(self):
        planned, actual = self.planned_mark(), self.actual_mark()
        return [
            Row(
                [
                    _("Legend"),
                    (
                        _("Shaded months: planned (%(planned)s) and actually run (%(actual)s), drafts included.")
                        if self.data.drafts
                        else _("Shaded months: planned (%(planned)s) and actually run (%(actual)s), as approved and published.")
                    )
                    % {"planned": planned, "actual": actual},
                ],
                bold=True,
            ),
            Row(["", f"{planned} = " + _("planned month")], fills={0: PLANNED_FILL}),
            Row(["", f"{actual} = " + _("actual month")], fills={0: ACTUAL_FILL}),
        ]

    def planned_mark(self):
        return pgettext("timeline: planned month", "P")

    def actual_mark(self):
        return pgettext("timeline: actual month", "A")

    def header_rows(self):
        years = []
        for month in self.months:
            years.append(month.year if month.month == 1 or month == self.months[0] else "")
        top = [""] * self.fixed + years
        top[self.fixed - 1] = _("Year")
        labels = [
            *activity_import_headers().values(),
            _("Status %(year)s") % {"year": self.data.year},
            _("Justification of the status"),
            _("Progress (%)"),
        ]
        return [top, [*labels, *(month.month for month in self.months)]]

    def rows(self):
        planned_mark, actual_mark = self.planned_mark(), self.actual_mark()
        for activity in self.data.activities:
            found = self.data.progress.get(activity.pk)
            cells = [
                activity.code,
                activity.title_vi,
                activity.title_en,  # as stored: the import writes back exactly what it reads
                activity.output.code,
                activity.task_group.code,
                subtask_code(activity),
                activity.lead_agency.code,
                organisation_codes(activity.partner_agencies.all()),
                organisation_codes(activity.funding_partners.all()),
                organisation_codes(activity.supporting_partners.all()),
                text_list(str(province) for province in activity.provinces.all()),
                activity.planned_start,
                activity.planned_end,
                found.get_status_display() if found else _("Not reported yet"),
                found.status_justification if found else "",
                found.progress if found else None,
            ]
            fills, fonts = {}, {}
            actual_end = None
            if found is not None and found.actual_start:
                actual_end = found.actual_end or min(datetime.date(self.data.year, 12, 1), self.months[-1])
            for index, month in enumerate(self.months, start=self.fixed):
                planned = activity.planned_start <= month <= activity.planned_end
                actual = found is not None and found.actual_start is not None and found.actual_start <= month <= actual_end
                if actual:
                    cells.append(actual_mark)
                    fills[index], fonts[index] = ACTUAL_FILL, ACTUAL_FONT
                elif planned:
                    cells.append(planned_mark)
                    fills[index] = PLANNED_FILL
                else:
                    cells.append("")
            formats = {0: TEXT_FORMAT, 3: TEXT_FORMAT, 4: TEXT_FORMAT, 5: TEXT_FORMAT, 11: MONTH_FORMAT, 12: MONTH_FORMAT, self.fixed - 1: PERCENT_FORMAT}
            yield Row(cells, formats=formats, fills=fills, fonts=fonts)

    def write(self, worksheet):
        super().write(worksheet)
        header_top = self.first_data_row - 2
        # one "year" label over each year's months
        start = None
        for index, month in enumerate(self.months):
            column = self.fixed + 1 + index
            if start is None or month.month == 1:
                start = column
            is_last = index == len(self.months) - 1 or self.months[index + 1].month == 1
            if is_last and column > start:
                worksheet.merge_cells(start_row=header_top, start_column=start, end_row=header_top, end_column=column)


class IndicatorsSheet(ExportSheet):
    fixed = 9
    freeze_column = "C"

    @property
    def title(self):
        return _("Indicators")

    def __init__(self, data, context_line):
        super().__init__(data, context_line)
        self.entries = list(data.indicator_entries())
        categories = {}
        for _indicator, periods in self.entries:
            for period in periods:
                for part in getattr(period.actual, "approved_breakdown", None) or []:
                    dimension = data.disaggregations.get(part.disaggregation_id)
                    if dimension is not None:
                        categories.setdefault((dimension.order, dimension.code, part.disaggregation_id, part.category), (dimension, part.category))
        self.categories = [categories[key] for key in sorted(categories)]
        self.fixed = 10 if data.drafts else 9  # with drafts, a "Data status" column after the standing
        self.widths = {1: 9, 2: 48, 3: 14, 4: 12, 5: 26, 6: 16, 7: 14, 8: 14, 9: 16, 10: 30}
        self.widths.update({self.fixed + i: 14 for i in range(1, len(self.categories) + 1)})

    def header_rows(self):
        labels = [_("Code"), _("Indicator"), _("Level"), _("Unit"), _("Responsible agency"), _("Period"), _("Target"), _("Approved result"), _("Standing")]
        if self.data.drafts:
            labels[7:] = [_("Result"), _("Standing"), _("Data status")]
        breakdown = [f"{dimension.name}: {category_label(dimension, category)}" for dimension, category in self.categories]
        return [[*labels, *breakdown]]

    def rows(self):
        for indicator, periods in self.entries:
            numeric = indicator.measure != Measure.QUALITATIVE
            percentage = indicator.measure == Measure.PERCENTAGE
            for period in periods or [None]:
                target = actual = ""
                if period is not None:
                    if period.target is not None:
                        target = period.target_value if numeric and period.target_value is not None else period.target.target_text
                    if period.actual is not None:
                        actual = period.actual_value if numeric and period.actual_value is not None else period.actual.actual_text
                parts = {(p.disaggregation_id, p.category): p.value for p in (getattr(period.actual, "approved_breakdown", None) or [])} if period else {}
                cells = [
                    indicator.code,
                    indicator.title,
                    indicator.get_level_display(),
                    indicator.unit,
                    str(self.data.agencies.get(indicator.responsible_agency_id, "")),
                    str(period.period) if period else "",
                    target,
                    actual,
                    standing_label(period.standing) if period else _("No target"),
                    *([self.data_status(period)] if self.data.drafts else []),
                    *(parts.get((dimension.pk, category)) for dimension, category in self.categories),
                ]
                formats = {index: quantity_format(value, percentage=percentage and index in (6, 7)) for index, value in enumerate(cells) if index >= 6}
                fills = {}
                if getattr(period, "draft_target", False):
                    fills[6] = DRAFT_FILL
                if getattr(period, "draft_actual", False):
                    fills.update(dict.fromkeys([7, *range(self.fixed, len(cells))], DRAFT_FILL))
                yield Row(cells, formats=formats, fills=fills)

    def data_status(self, period) -> str:
        """With drafts: which of the row's values are working values, with the draft mark."""
        drafts = [
            label for flag, label in ((getattr(period, "draft_target", False), _("target")), (getattr(period, "draft_actual", False), _("result"))) if flag
        ]
        if not drafts:
            return _("Published") if period is not None else ""
        return f"{draft_mark()}: {', '.join(str(label) for label in drafts)}"


class BudgetSheet(ExportSheet):
    widths = {1: 48, 2: 28, 3: 8, 4: 18, 5: 18, 6: 18, 7: 18}
    freeze_column = "D"
    indent_column = 0

    @property
    def title(self):
        return _("Budget")

    def header_rows(self):
        return [[_("Objective"), _("Funding source"), _("Year"), _("Estimated (VND)"), _("Committed (VND)"), _("Disbursed (VND)"), _("Funding gap (VND)")]]

    def rows(self):
        objectives = {node.objective.pk: (index, node.objective) for index, node in enumerate(self.data.tree)}
        sources = dict(FundingSource.choices)
        ordered = sorted(self.data.budget, key=lambda row: (objectives.get(row["objective"], (999, None))[0], list(sources).index(row["source"]), row["year"]))
        self.count = len(ordered)
        row_number = self.first_data_row
        draft = self.data.plan_is_draft
        for row in ordered:
            objective = objectives.get(row["objective"], (None, ""))[1]
            yield Row(
                [
                    f"{objective} {draft_mark()}" if draft else str(objective),
                    str(sources.get(row["source"], row["source"])),
                    row["year"],
                    row["estimated"],
                    row["committed"],
                    row["disbursed"],
                    Formula(f"=D{row_number}-E{row_number}"),
                ],
                formats={3: VND_FORMAT, 4: VND_FORMAT, 5: VND_FORMAT, 6: VND_FORMAT},
                fills=dict.fromkeys(range(7), DRAFT_FILL) if draft else {},
            )
            row_number += 1

    def after_rows(self, worksheet, row_number):
        first, last = self.first_data_row, max(self.last_data_row, self.first_data_row)
        if self.count == 0:
            empty = _("No budget line for these activities.") if self.data.drafts else _("No published budget line for these activities.")
            self.write_row(worksheet, row_number, Row([empty, "", "", None, None, None, None]))
            last, row_number = row_number, row_number + 1
        total = [_("Total"), "", "", *(Formula(f"=SUM({column}{first}:{column}{last})") for column in "DEF"), Formula(f"=D{row_number}-E{row_number}")]
        self.write_row(
            worksheet,
            row_number,
            Row(total, bold=True, formats={3: VND_FORMAT, 4: VND_FORMAT, 5: VND_FORMAT, 6: VND_FORMAT}, fills=dict.fromkeys(range(7), TOTAL_FILL)),
        )
        note = _(
            "Estimated: every published line; committed and disbursed: lines whose funding reached that stage. Gap = estimated − committed. Totals and gaps are formulas: edit the amounts and they follow."
        )
        if self.data.plan_is_draft:
            note = _(
                "Estimated: every line of the delivery plan, which is not published yet %(mark)s; committed and disbursed: lines whose funding reached that stage. Gap = estimated − committed. Totals and gaps are formulas: edit the amounts and they follow."
            ) % {"mark": draft_mark()}
        write_cell(worksheet, row_number + 2, 1, note).alignment = WRAP
        worksheet.merge_cells(start_row=row_number + 2, start_column=1, end_row=row_number + 2, end_column=7)
        worksheet.row_dimensions[row_number + 2].height = 45


def budget_lines_title() -> str:
    """The Budget lines sheet's title in the active language (the import looks for it in both)."""
    return _("Budget lines")


class BudgetLinesSheet(ExportSheet):
    """One row per budget line of the activities shown, as the import reads it back: its id (empty
    for a new line), the activity's code, the year, the source and status as labels in the reader's
    language, the funder's code, both items and the amounts. Edit it and upload it with the Activities
    sheet; the Budget sheet is the summary of these lines."""

    widths = {1: 9, 2: 10, 3: 7, 4: 24, 5: 14, 6: 36, 7: 36, 8: 18, 9: 9, 10: 16, 11: 14, 12: 14}
    freeze_column = "C"
    indent_column = 0
    AMOUNT_FORMAT = "#,##0.00"

    @property
    def title(self):
        return budget_lines_title()

    def before_header(self):
        return [
            Row(
                [
                    _("How to edit"),
                    _(
                        "One row per budget line. Keep the Line ID to change a line; leave it empty for a new line. A foreign-currency line needs its amount in that currency and the exchange rate: its amount in VND follows. Lines missing from the sheet are left as they are."
                    ),
                ],
                bold=True,
            )
        ]

    def header_rows(self):
        return [list(budget_line_import_headers().values())]

    def lines(self):
        order = {activity.pk: index for index, activity in enumerate(self.data.activities)}
        lines = self.data.budget_lines.select_related("activity", "delivery_plan", "funder")
        return sorted(lines, key=lambda line: (order.get(line.activity_id, len(order)), line.delivery_plan.year, line.pk))

    def rows(self):
        sources, statuses = dict(FundingSource.choices), dict(FundingStatus.choices)
        formats = {0: "0", 1: TEXT_FORMAT, 2: "0", 4: TEXT_FORMAT, 7: VND_FORMAT, 9: self.AMOUNT_FORMAT, 10: self.AMOUNT_FORMAT}
        for line in self.lines():
            yield Row(
                [
                    line.pk,
                    line.activity.code,
                    line.delivery_plan.year,
                    str(sources.get(line.source, line.source)),
                    line.funder.code if line.funder_id else "",
                    line.description_vi,
                    line.description_en,  # as stored: the import writes back exactly what it reads
                    line.amount_vnd,
                    line.currency,
                    line.original_amount,
                    line.exchange_rate,
                    str(statuses.get(line.status, line.status)),
                ],
                formats=formats,
            )


# The workbook ----------------------------------------------------------------------------------------


class LogframeWorkbook:
    """Cover, Logframe, Activities, Indicators, Budget and Budget lines of one published plan-year (or, with a
    `WorkingLogframeData`, of any plan-year with the working values marked as drafts)."""

    def __init__(self, *, plan, delivery_plan, filterset, filters_in_words: str, data: LogframeData | None = None):
        """`data`: the values to show (a `WorkingLogframeData` for the workspace); the public ones by default."""
        self.data = data or LogframeData(plan=plan, delivery_plan=delivery_plan, filterset=filterset)
        self.filters_in_words = filters_in_words

    def render(self) -> bytes:
        data = self.data
        status = _("Includes values not yet published") if data.drafts else _("Published data only")
        context_line = " · ".join([str(data.plan), _("Delivery plan %(year)s") % {"year": data.year}, self.filters_in_words, status])
        sheets = [
            LogframeSheet(data, context_line),
            ActivitiesSheet(data, context_line),
            IndicatorsSheet(data, context_line),
            BudgetSheet(data, context_line),
            BudgetLinesSheet(data, context_line),
        ]
        taken: set[str] = set()
        cover_title = sheet_title(_("Cover"), taken)
        titles = [sheet_title(sheet.title, taken) for sheet in sheets]
        cover = CoverSheet(data, context_line, filters_in_words=self.filters_in_words, sheet_titles=titles)
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, sheet in [(cover_title, cover), *zip(titles, sheets, strict=True)]:
            sheet.write(workbook.create_sheet(title))
        return save_workbook(workbook)


def filters_in_words(filterset, *, drafts: bool = False) -> str:
    """The filters applied, as the cover says them: "Lead agency: …; Province: …" (or none)."""
    parts = [f"{label}: {value}" for label, value in filterset.described()]
    if parts:
        return "; ".join(parts)
    return str(_("No filter: every activity of the year's delivery plan") if drafts else _("No filter: every published activity of the year"))
