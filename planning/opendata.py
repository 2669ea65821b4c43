"""Open data (issue 10 §4): the published plan as CSV and JSON files, with a data dictionary.

One small class per dataset. Each describes its columns once (`Column`: a stable English name, its
meaning in the reader's language, a type, a unit, the allowed values) and yields its rows as dicts
keyed by those names, read ONLY through `planning.selectors.public`: published delivery plans and
values approved and published. The open data page shows the dictionary and the files carry the
same columns, so the two cannot drift apart.

Files: CSV in UTF-8 with a byte-order mark (Excel opens Vietnamese correctly), a header row of the
column names, lists joined by ";", text that starts with = + - @ prefixed with an apostrophe (so
that a spreadsheet never runs it as a formula); JSON as {"dataset", "generated_at", "columns",
"rows"} with numbers as numbers and dates in ISO 8601. Each dataset costs a fixed number of
queries whatever the size of the plan.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from planning.models import ActivityStatus, Disaggregation, FundingSource, FundingStatus, Measure, PeriodKind, Plan, ResultLevel
from planning.models.indicators import category_label
from planning.selectors import public

FORMATS = ("csv", "json")
CSV_BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # as napwps.exporting: a cell a spreadsheet would compute
LIST_SEPARATOR = ";"

# Column types, with what they look like in the files.
TEXT, CODE, INTEGER, DECIMAL, DATE, MONTH, DATETIME, BOOLEAN, CODES, PEOPLE = (
    "text", "code", "integer", "decimal", "date", "month", "datetime", "boolean", "codes", "people",
)  # fmt: skip
TYPES = {
    TEXT: _("Text"),
    CODE: _("Code (stable, not translated)"),
    INTEGER: _("Whole number"),
    DECIMAL: _("Number (a dot before decimals)"),
    DATE: _("Date, YYYY-MM-DD"),
    MONTH: _("Month, YYYY-MM"),
    DATETIME: _("Date and time, ISO 8601"),
    BOOLEAN: _("true or false"),
    CODES: _("List of codes: separated by “;” in CSV, an array in JSON"),
    PEOPLE: _("Number of people; “< 5” when fewer than five and “x” when hidden so that a small group cannot be worked out (text, also in JSON)"),
}
VND = _("VND")
PERCENT = _("percent")


@dataclass(frozen=True)
class Column:
    """One column of a dataset, described once for the dictionary and the files."""

    name: str  # stable English identifier, the same in both languages
    meaning: str  # lazy: in the reader's language
    type: str = TEXT
    unit: str = ""
    values: Callable[[], Sequence[tuple[str, str]]] | None = None  # allowed codes with their labels

    @property
    def type_label(self) -> str:
        return str(TYPES[self.type])

    def allowed(self) -> list[tuple[str, str]]:
        return [(str(code), str(label)) for code, label in self.values()] if self.values else []


def choices(enum) -> Callable[[], list[tuple[str, str]]]:
    return lambda: list(enum.choices)


# Columns several datasets share.
ACTIVITY_CODE = Column("activity_code", _("The activity's code in the delivery plan, e.g. 1.2.3."), CODE)
YEAR = Column("year", _("Year of the delivery plan (published)."), INTEGER)
TITLE_VI = Column("title_vi", _("Title in Vietnamese."))
TITLE_EN = Column("title_en", _("Title in English (empty when not translated)."))
PERIOD_COLUMNS = [
    Column("period_kind", _("Kind of reporting period."), CODE, values=choices(PeriodKind)),
    Column("period_year", _("Year of the period (for a review, the year it takes place in)."), INTEGER),
    Column("period_number", _("Half-year (1–2) or quarter (1–4); 0 for a year or a review."), INTEGER),
]


class Dataset:
    """A downloadable table: `name` is its stable file name, `rows(plan)` yields dicts keyed by column name."""

    name: str = ""
    title: str = ""
    description: str = ""
    columns: list[Column] = []

    def get_columns(self) -> list[Column]:
        return self.columns

    def rows(self, plan: Plan | None) -> Iterable[dict]:
        raise NotImplementedError


def _codes(items) -> list[str]:
    return [item.code for item in items]


def _label(enum, value) -> str:
    return str(enum(value).label) if value else ""


class Activities(Dataset):
    name = "activities"
    title = _("Activities")
    description = _(
        "Every activity of every published delivery plan, one row per activity and year, with the progress "
        "published for that year and the budget of that year's published lines."
    )
    columns = [
        ACTIVITY_CODE,
        TITLE_VI,
        TITLE_EN,
        Column("objective_code", _("Code of the specific objective the activity serves."), CODE),
        Column("output_code", _("Code of the output the activity contributes to."), CODE),
        Column("task_group_code", _("Code of the task group of Decision 101/QĐ-TTg."), CODE),
        Column("lead_agency_code", _("Code of the lead agency."), CODE),
        Column("lead_agency_name_vi", _("Name of the lead agency in Vietnamese.")),
        Column("lead_agency_name_en", _("Name of the lead agency in English.")),
        Column("partner_agency_codes", _("Codes of the partner agencies."), CODES),
        Column("province_codes", _("Statistics office codes of the provinces where the activity takes place; empty: national."), CODES),
        Column("planned_start", _("Planned first month."), MONTH),
        Column("planned_end", _("Planned last month."), MONTH),
        YEAR,
        Column("status", _("Status published for the year; empty when no progress was published yet."), CODE, values=choices(ActivityStatus)),
        Column("status_label", _("The status in the language of the file's address (/vi/ or /en/).")),
        Column("progress", _("Progress published for the year."), INTEGER, PERCENT),
        Column("actual_start", _("Month the activity actually began, as published."), MONTH),
        Column("actual_end", _("Month the activity actually ended, as published."), MONTH),
        Column("budget_estimated_vnd", _("Estimated budget of the year: every published budget line."), INTEGER, VND),
        Column("budget_committed_vnd", _("Committed funding of the year: lines committed, disbursed or spent."), INTEGER, VND),
        Column("budget_gap_vnd", _("Funding gap of the year: estimated minus committed."), INTEGER, VND),
    ]

    def rows(self, plan):
        if plan is None:
            return
        activities = list(public.public_activity_queryset(plan).order_by("order", "code"))
        years = public.activity_years(activities)
        progress = public.public_progress_by_year(activities)
        budgets = {(row["activity"], row["year"]): row for row in public.public_budget_summary(plan, by=("activity", "year"))}
        for activity in activities:
            for year in years.get(activity.pk, []):
                found = progress.get((activity.pk, year))
                budget = budgets.get((activity.pk, year), {})
                yield {
                    "activity_code": activity.code,
                    "title_vi": activity.title_vi,
                    "title_en": activity.title_en,
                    "objective_code": activity.output.objective.code,
                    "output_code": activity.output.code,
                    "task_group_code": activity.task_group.code,
                    "lead_agency_code": activity.lead_agency.code,
                    "lead_agency_name_vi": activity.lead_agency.name_vi,
                    "lead_agency_name_en": activity.lead_agency.name_en,
                    "partner_agency_codes": _codes(activity.partner_agencies.all()),
                    "province_codes": _codes(activity.provinces.all()),
                    "planned_start": activity.planned_start,
                    "planned_end": activity.planned_end,
                    "year": year,
                    "status": found.status if found else None,
                    "status_label": _label(ActivityStatus, found.status) if found else "",
                    "progress": found.progress if found else None,
                    "actual_start": found.actual_start if found else None,
                    "actual_end": found.actual_end if found else None,
                    "budget_estimated_vnd": budget.get("estimated", 0),
                    "budget_committed_vnd": budget.get("committed", 0),
                    "budget_gap_vnd": budget.get("gap", 0),
                }


class Indicators(Dataset):
    name = "indicators"
    title = _("Indicators")
    description = _(
        "Every public indicator, one row per period with a public target or a published result "
        "(an indicator without either has one row with the period columns empty)."
    )
    columns = [
        Column("indicator_code", _("The indicator's code."), CODE),
        TITLE_VI,
        TITLE_EN,
        Column("level", _("Level of the logframe the indicator measures."), CODE, values=choices(ResultLevel)),
        Column("level_label", _("The level in the language of the file's address.")),
        Column("objective_code", _("Code of the specific objective it sits under; empty for the general objective."), CODE),
        Column("activity_code", _("Code of the activity, for an activity's indicator."), CODE),
        Column("responsible_agency_code", _("Code of the agency responsible for reporting it."), CODE),
        Column("measure", _("What the values count."), CODE, values=choices(Measure)),
        Column("unit_vi", _("Unit in Vietnamese.")),
        Column("unit_en", _("Unit in English.")),
        Column("baseline_year", _("Year of the baseline."), INTEGER),
        Column("baseline_value", _("Baseline value, in the indicator's unit."), DECIMAL),
        *PERIOD_COLUMNS,
        Column("target_value", _("Target for the period, in the indicator's unit."), DECIMAL),
        Column("target_text_vi", _("Qualitative target in Vietnamese.")),
        Column("target_text_en", _("Qualitative target in English.")),
        Column("actual_value", _("Result approved and published for the period, in the indicator's unit."), DECIMAL),
        Column("actual_text_vi", _("Qualitative result approved and published, in Vietnamese.")),
        Column("actual_text_en", _("Qualitative result approved and published, in English.")),
        Column("approved_on", _("Day the result was approved."), DATE),
    ]

    def rows(self, plan):
        if plan is None:
            return
        indicators = list(public.public_indicators(plan))
        periods = public.public_indicator_periods(indicators, plan=plan)
        for indicator in indicators:
            base = {
                "indicator_code": indicator.code,
                "title_vi": indicator.title_vi,
                "title_en": indicator.title_en,
                "level": indicator.level,
                "level_label": _label(ResultLevel, indicator.level),
                "objective_code": _objective_code(indicator),
                "activity_code": indicator.activity.code if indicator.activity_id else "",
                "responsible_agency_code": indicator.responsible_agency.code,
                "measure": indicator.measure,
                "unit_vi": indicator.unit_vi,
                "unit_en": indicator.unit_en,
                "baseline_year": indicator.baseline_year,
                "baseline_value": indicator.baseline_value,
            }
            found = periods.get(indicator.pk, [])
            if not found:
                yield base
            for period in found:
                target, actual = period.target, period.actual
                yield {
                    **base,
                    **_period(period.period),
                    "target_value": period.target_value,
                    "target_text_vi": target.target_text_vi if target else "",
                    "target_text_en": target.target_text_en if target else "",
                    "actual_value": period.actual_value,
                    "actual_text_vi": actual.actual_text_vi if actual else "",
                    "actual_text_en": actual.actual_text_en if actual else "",
                    "approved_on": timezone.localdate(actual.approved_at) if actual else None,
                }


def _objective_code(indicator) -> str:
    if indicator.objective_id:
        return indicator.objective.code
    if indicator.output_id:
        return indicator.output.objective.code
    if indicator.activity_id:
        return indicator.activity.output.objective.code
    return ""


def _period(period) -> dict:
    return {"period_kind": period.kind, "period_year": period.year, "period_number": period.number}


class IndicatorBreakdowns(Dataset):
    name = "indicator-breakdowns"
    title = _("Indicator breakdowns")
    description = _("The published results broken down by sex, age band, province…: one row per indicator, period and category.")
    columns = [
        Column("indicator_code", _("The indicator's code."), CODE),
        *PERIOD_COLUMNS,
        Column("disaggregation", _("The dimension of the breakdown, e.g. sex."), CODE),
        Column("disaggregation_label", _("The dimension in the language of the file's address.")),
        Column("category", _("The category's code, e.g. female; “not-recorded” for the rest of the total."), CODE),
        Column("category_label", _("The category in the language of the file's address.")),
        Column("value", _("Result for the category, approved and published, in the indicator's unit."), DECIMAL),
    ]

    def rows(self, plan):
        if plan is None:
            return
        indicators = list(public.public_indicators(plan))
        periods = public.public_indicator_periods(indicators, plan=plan)
        dimensions = {dimension.pk: dimension for dimension in Disaggregation.objects.all()}
        for indicator in indicators:
            for period in periods.get(indicator.pk, []):
                for part in getattr(period.actual, "approved_breakdown", None) or []:
                    dimension = dimensions.get(part.disaggregation_id)
                    yield {
                        "indicator_code": indicator.code,
                        **_period(period.period),
                        "disaggregation": dimension.code if dimension else "",
                        "disaggregation_label": str(dimension.name) if dimension else "",
                        "category": part.category,
                        "category_label": category_label(dimension, part.category),
                        "value": part.value,
                    }


class BudgetLines(Dataset):
    name = "budget-lines"
    title = _("Budget lines")
    description = _("Every budget line of the published delivery plans, with the execution the coordinators approved and published.")
    columns = [
        ACTIVITY_CODE,
        YEAR,
        Column("source", _("Funding source."), CODE, values=choices(FundingSource)),
        Column("source_label", _("The funding source in the language of the file's address.")),
        Column("funder_code", _("Code of the funding organisation, when one is named."), CODE),
        Column("funder_name_vi", _("Name of the funding organisation in Vietnamese.")),
        Column("funder_name_en", _("Name of the funding organisation in English.")),
        Column("item_vi", _("What the line pays for, in Vietnamese.")),
        Column("item_en", _("What the line pays for, in English.")),
        Column("amount_vnd", _("Amount planned."), INTEGER, VND),
        Column("funding_status", _("How far the line's funding has come, as planned."), CODE, values=choices(FundingStatus)),
        Column("funding_status_label", _("The funding status in the language of the file's address.")),
        Column("committed_vnd", _("Amount committed, as published."), INTEGER, VND),
        Column("committed_on", _("Day it was committed."), DATE),
        Column("disbursed_vnd", _("Amount disbursed, as published."), INTEGER, VND),
        Column("disbursed_on", _("Day it was disbursed."), DATE),
        Column("spent_vnd", _("Amount spent, as published."), INTEGER, VND),
        Column("spent_on", _("Day by which it was spent."), DATE),
    ]

    def rows(self, plan):
        if plan is None:
            return
        lines = list(
            public.public_budget_lines(plan)
            .select_related("activity", "delivery_plan", "funder")
            .order_by("delivery_plan__year", "activity__order", "activity__code", "source", "pk")
        )
        executions = public.public_budget_executions(lines)
        for line in lines:
            execution = executions.get(line.pk)
            yield {
                "activity_code": line.activity.code,
                "year": line.delivery_plan.year,
                "source": line.source,
                "source_label": _label(FundingSource, line.source),
                "funder_code": line.funder.code if line.funder else "",
                "funder_name_vi": line.funder.name_vi if line.funder else "",
                "funder_name_en": line.funder.name_en if line.funder else "",
                "item_vi": line.description_vi,
                "item_en": line.description_en,
                "amount_vnd": line.amount_vnd,
                "funding_status": line.status,
                "funding_status_label": _label(FundingStatus, line.status),
                **{
                    name: getattr(execution, name, None) for name in ("committed_vnd", "committed_on", "disbursed_vnd", "disbursed_on", "spent_vnd", "spent_on")
                },
            }


class EventFigures(Dataset):
    """Aggregates only, from the app that registered them (events), never a person."""

    name = "event-figures"
    title = _("Event figures")
    description = _(
        "One row per event that is over: where and when, and the people trained (participants present at least one day), "
        "by sex and by sector. Groups under five are never shown."
    )

    def get_columns(self):
        columns, _rows = public.public_open_data_events()
        return columns

    def rows(self, plan):
        _columns, rows = public.public_open_data_events()
        yield from rows


DATASETS: dict[str, Dataset] = {dataset.name: dataset for dataset in (Activities(), Indicators(), IndicatorBreakdowns(), BudgetLines(), EventFigures())}


# Writing the files ----------------------------------------------------------------------------------


def plain(value, column: Column):
    """A cell's value with JSON's types: numbers as numbers, dates as ISO text, lists as lists."""
    if value is None or (value == "" and column.type != TEXT):
        return None
    if column.type == MONTH and isinstance(value, datetime.date):
        return f"{value:%Y-%m}"
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def csv_cell(value, column: Column) -> str:
    value = plain(value, column)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif isinstance(value, int | float):
        return str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@dataclass
class Document:
    dataset: Dataset
    columns: list[Column] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)


def read(dataset: Dataset, plan: Plan | None) -> Document:
    return Document(dataset, dataset.get_columns(), list(dataset.rows(plan)))


def csv_text(document: Document) -> str:
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in document.columns])
    for row in document.rows:
        writer.writerow([csv_cell(row.get(column.name), column) for column in document.columns])
    return out.getvalue()


def json_text(document: Document) -> str:
    content = {
        "dataset": document.dataset.name,
        "generated_at": timezone.now().replace(microsecond=0).isoformat(),
        "columns": [
            {
                "name": column.name,
                "description": str(column.meaning),
                "type": column.type,
                "unit": str(column.unit),
                "values": [{"code": code, "label": label} for code, label in column.allowed()],
            }
            for column in document.columns
        ],
        "rows": [{column.name: plain(row.get(column.name), column) for column in document.columns} for row in document.rows],
    }
    return json.dumps(content, ensure_ascii=False, indent=1)
