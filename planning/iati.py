"""The published plan as IATI 2.03 activity XML (issue 10 §4), valid against the official schema.

Read ONLY through `planning.selectors.public`, like the open data CSVs: published delivery plans and
values approved AND published. Built with `xml.etree.ElementTree` (no string concatenation), in the
order the schema's sequences ask for (`tests/iati/schema/` holds the schema; the tests validate).

What goes where:
- The NAP itself is an umbrella activity (hierarchy 1); every activity of a published delivery plan
  is its child (hierarchy 2); `related-activity` links them both ways (1 parent, 2 child).
- `iati-identifier` = the reporting organisation's identifier + "-" + the activity's code (the
  plan's code for the umbrella). The reporting organisation is the plan's coordinator (MOFA). While
  it has no IATI organisation identifier (the sources give none: DOMAIN.md §7), the plan's code
  stands in for it (`reporting_org_ref`); the open data page says so. It is not a registered
  identifier: enter MOFA's in the admin as soon as it has one, and every identifier follows.
- Titles, descriptions and names carry a narrative per language (vi, en) with `xml:lang`.
- participating-org: the lead agency is accountable (2) and implementing (4); partner agencies and
  technical partners implementing (4); funding partners and the funders of the activity's
  published budget lines funding (1). The umbrella: the coordinator, accountable (2).
- activity-status: the latest published year's status (`IATI_ACTIVITY_STATUS`); none published yet
  counts as not started (1). The umbrella: 2 while the plan runs (1 before, 3 after).
- activity-date: planned start (1) and end (3) from the planned months; actual start (2) and end
  (4) from the published progress (the end only once the latest published year says it ended).
- recipient-country VN; sector: the activity's DAC 5-digit code (vocabulary 1), one per activity,
  so no percentage (it is 100).
- budget: one per published year (type 1 original): the estimated cost of the year's published lines
  in VND; status 2 committed when every one of those lines is committed or further, else 1
  indicative. Period the calendar year, value-date its first day.
- transaction: only from published budget execution: committed (2), disbursed (3), spent (4), each
  on its own date (also its value-date).
- result: an activity's own indicators on the activity; the general objective's (impact, 3), the
  specific objectives' (outcome, 2) and the outputs' (output, 1) on the umbrella. Baseline (year,
  value), periods with public targets and published actuals; an actual's breakdown is one more
  `actual` per category, with a `dimension` (the disaggregation's code and the category's code).
"""

import datetime
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from planning.models import IATI_ACTIVITY_STATUS, SECURED_STATUSES, ActivityStatus, Direction, Disaggregation, Plan, month_end
from planning.models.indicators import percentage
from planning.selectors import public

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("vi", "en")
CURRENCY = "VND"
RECIPIENT_COUNTRY = "VN"
SECTOR_VOCABULARY_DAC5 = "1"
HIERARCHY_PLAN, HIERARCHY_ACTIVITY = "1", "2"
RELATED_PARENT, RELATED_CHILD = "1", "2"
ROLE_FUNDING, ROLE_ACCOUNTABLE, ROLE_IMPLEMENTING = "1", "2", "4"
DATE_PLANNED_START, DATE_ACTUAL_START, DATE_PLANNED_END, DATE_ACTUAL_END = "1", "2", "3", "4"
BUDGET_ORIGINAL, BUDGET_INDICATIVE, BUDGET_COMMITTED = "1", "1", "2"
TRANSACTIONS = (("committed_vnd", "committed_on", "2"), ("disbursed_vnd", "disbursed_on", "3"), ("spent_vnd", "spent_on", "4"))
DESCRIPTION_GENERAL, DESCRIPTION_OBJECTIVES = "1", "2"
STATUS_PIPELINE, STATUS_IMPLEMENTATION, STATUS_FINALISATION = "1", "2", "3"


def reporting_org_ref(plan: Plan) -> tuple[str, bool]:
    """The reporting organisation's identifier and whether it is the stand-in (the plan's code)."""
    identifier = plan.coordinator.iati_identifier
    return (identifier, False) if identifier else (plan.code, True)


def plan_identifier(plan: Plan) -> str:
    ref, stand_in = reporting_org_ref(plan)
    return ref if stand_in else f"{ref}-{plan.code}"


def activity_identifier(plan: Plan, activity) -> str:
    return f"{reporting_org_ref(plan)[0]}-{activity.code}"


def activity_status_code(status: str | None) -> int:
    """The IATI activity-status code of a published yearly status (None: not reported, as not started)."""
    return IATI_ACTIVITY_STATUS[status or ActivityStatus.NOT_STARTED]


# Small builders -------------------------------------------------------------------------------------


def _number(value) -> str:
    """A decimal without exponent or trailing zeros: 16.00 -> "16", 12.50 -> "12.5"."""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date(day: datetime.date) -> str:
    return day.isoformat()


def _sub(parent, tag: str, **attributes) -> ET.Element:
    return ET.SubElement(parent, tag, {name.replace("_", "-"): str(value) for name, value in attributes.items() if value not in (None, "")})


def _narratives(parent, texts: dict[str, str]) -> int:
    """One narrative per language with text; returns how many."""
    count = 0
    for language in LANGUAGES:
        text = (texts.get(language) or "").strip()
        if text:
            _sub(parent, "narrative").text = text
            parent[-1].set(XML_LANG, language)
            count += 1
    return count


def _texts(obj, name: str) -> dict[str, str]:
    return {language: getattr(obj, f"{name}_{language}", "") for language in LANGUAGES}


def _text_element(parent, tag: str, texts: dict[str, str], fallback: dict[str, str] | None = None, **attributes):
    """An element whose narratives are required: falls back to `fallback` when `texts` are empty."""
    element = _sub(parent, tag, **attributes)
    if not _narratives(element, texts) and fallback is not None:
        _narratives(element, fallback)
    return element


def _org(parent, tag: str, organisation, **attributes) -> ET.Element:
    element = _sub(parent, tag, ref=organisation.iati_identifier, type=organisation.type, **attributes)
    _narratives(element, _texts(organisation, "name"))
    return element


# The data -------------------------------------------------------------------------------------------


class IatiData:
    """Everything the file shows, read through the public selectors in a fixed number of queries."""

    def __init__(self, plan: Plan, *, year: int | None = None):
        self.plan, self.year = plan, year
        self.coordinator = plan.coordinator
        self.activities = list(public.public_activity_queryset(plan, year=year).select_related("sector").order_by("order", "code"))
        self.years = public.activity_years(self.activities)
        self.progress = public.public_progress_by_year(self.activities)
        lines = list(public.public_budget_lines(plan, year=year).select_related("delivery_plan", "funder").order_by("delivery_plan__year", "source", "pk"))
        self.executions = public.public_budget_executions(lines)
        self.lines = defaultdict(list)
        for line in lines:
            self.lines[line.activity_id].append(line)
        activity_ids = [activity.pk for activity in self.activities]
        indicators = list(public.public_indicators(plan, year=year).filter(Q(activity__isnull=True) | Q(activity__in=activity_ids)))
        self.periods = public.public_indicator_periods(indicators, plan=plan)
        self.indicators = indicators
        self.dimensions = {dimension.pk: dimension for dimension in Disaggregation.objects.all()}

    def latest_progress(self, activity):
        years = [year for year in self.years.get(activity.pk, []) if (activity.pk, year) in self.progress]
        return self.progress[(activity.pk, max(years))] if years else None

    def actual_dates(self, activity) -> tuple[datetime.date | None, datetime.date | None]:
        rows = [self.progress[(activity.pk, year)] for year in self.years.get(activity.pk, []) if (activity.pk, year) in self.progress]
        starts = [row.actual_start for row in rows if row.actual_start]
        latest = self.latest_progress(activity)
        end = month_end(latest.actual_end) if latest is not None and latest.actual_end else None
        return (min(starts) if starts else None), end


# The document ---------------------------------------------------------------------------------------


def iati_activities(plan: Plan, *, year: int | None = None, now: datetime.datetime | None = None) -> ET.Element:
    """The `iati-activities` element of the plan's published data (of `year`, else every published year)."""
    now = (now or timezone.now()).replace(microsecond=0)
    data = IatiData(plan, year=year)
    root = ET.Element("iati-activities", {"version": VERSION, "generated-datetime": now.isoformat()})
    _umbrella(root, data, now.date())
    for activity in data.activities:
        _activity(root, data, activity)
    return root


def iati_xml(plan: Plan, *, year: int | None = None, now=None) -> bytes:
    root = iati_activities(plan, year=year, now=now)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _header(root, data: IatiData, identifier: str, hierarchy: str) -> ET.Element:
    element = _sub(root, "iati-activity", default_currency=CURRENCY, hierarchy=hierarchy)
    element.set(XML_LANG, "vi")
    _sub(element, "iati-identifier").text = identifier
    ref, _stand_in = reporting_org_ref(data.plan)
    reporting = _sub(element, "reporting-org", ref=ref, type=data.coordinator.type)
    _narratives(reporting, _texts(data.coordinator, "name"))
    return element


def _umbrella(root, data: IatiData, today: datetime.date):
    plan = data.plan
    element = _header(root, data, plan_identifier(plan), HIERARCHY_PLAN)
    _text_element(element, "title", _texts(plan, "name"))
    _text_element(element, "description", _texts(plan, "general_objective"), _texts(plan, "name"), type=DESCRIPTION_OBJECTIVES)
    _org(element, "participating-org", data.coordinator, role=ROLE_ACCOUNTABLE)
    status = STATUS_PIPELINE if today < plan.period_start else STATUS_FINALISATION if today > plan.period_end else STATUS_IMPLEMENTATION
    _sub(element, "activity-status", code=status)
    _sub(element, "activity-date", type=DATE_PLANNED_START, iso_date=_date(plan.period_start))
    _sub(element, "activity-date", type=DATE_PLANNED_END, iso_date=_date(plan.period_end))
    _sub(element, "recipient-country", code=RECIPIENT_COUNTRY)
    for activity in data.activities:
        _sub(element, "related-activity", ref=activity_identifier(plan, activity), type=RELATED_CHILD)
    results = _plan_results(data)
    for result_type, texts, entries in results:
        _result(element, data, result_type, texts, entries)


def _plan_results(data: IatiData) -> list:
    """The general objective's, the specific objectives' and the outputs' indicators, one result each."""
    groups: dict[tuple, list] = {}
    titles: dict[tuple, dict] = {}
    for indicator in data.indicators:
        if indicator.activity_id:
            continue
        if indicator.plan_level_of_id:
            key, texts = ("plan", indicator.plan_level_of_id), _texts(data.plan, "general_objective")
        elif indicator.objective_id:
            key, texts = ("objective", indicator.objective.order, indicator.objective.code), _texts(indicator.objective, "title")
        elif indicator.output_id:
            key, texts = ("output", indicator.output.order, indicator.output.code), _texts(indicator.output, "title")
        else:
            continue
        key = (indicator.iati_result_type, *key)
        groups.setdefault(key, []).append(indicator)
        titles[key] = texts
    order = sorted(groups, key=lambda key: (-key[0], key[1:]))  # impact, then outcomes, then outputs
    return [(key[0], titles[key], groups[key]) for key in order]


def _activity(root, data: IatiData, activity):
    plan = data.plan
    element = _header(root, data, activity_identifier(plan, activity), HIERARCHY_ACTIVITY)
    _text_element(element, "title", _texts(activity, "title"))
    _text_element(element, "description", _texts(activity, "description"), _texts(activity, "title"), type=DESCRIPTION_GENERAL)
    _participants(element, data, activity)
    latest = data.latest_progress(activity)
    _sub(element, "activity-status", code=activity_status_code(latest.status if latest else None))
    start, end = activity.period()
    actual_start, actual_end = data.actual_dates(activity)
    _sub(element, "activity-date", type=DATE_PLANNED_START, iso_date=_date(start))
    if actual_start:
        _sub(element, "activity-date", type=DATE_ACTUAL_START, iso_date=_date(actual_start))
    _sub(element, "activity-date", type=DATE_PLANNED_END, iso_date=_date(end))
    if actual_end:
        _sub(element, "activity-date", type=DATE_ACTUAL_END, iso_date=_date(actual_end))
    _sub(element, "recipient-country", code=RECIPIENT_COUNTRY)
    if activity.sector_id:
        sector = _sub(element, "sector", vocabulary=SECTOR_VOCABULARY_DAC5, code=activity.sector.code)
        _narratives(sector, _texts(activity.sector, "name"))
    lines = data.lines.get(activity.pk, [])
    _budgets(element, lines)
    _transactions(element, data, activity, lines)
    _sub(element, "related-activity", ref=plan_identifier(plan), type=RELATED_PARENT)
    indicators = [indicator for indicator in data.indicators if indicator.activity_id == activity.pk]
    by_type: dict[int, list] = {}
    for indicator in indicators:
        by_type.setdefault(indicator.iati_result_type, []).append(indicator)
    for result_type in sorted(by_type, reverse=True):
        _result(element, data, result_type, _texts(activity, "title"), by_type[result_type])


def _participants(element, data: IatiData, activity):
    funders = [*activity.funding_partners.all(), *(line.funder for line in data.lines.get(activity.pk, []) if line.funder_id)]
    roles = [
        (ROLE_FUNDING, funders),
        (ROLE_ACCOUNTABLE, [activity.lead_agency]),
        (ROLE_IMPLEMENTING, [activity.lead_agency, *activity.partner_agencies.all(), *activity.supporting_partners.all()]),
    ]
    for role, organisations in roles:
        seen = set()
        for organisation in organisations:
            if organisation.pk not in seen:
                seen.add(organisation.pk)
                _org(element, "participating-org", organisation, role=role)


def _budgets(element, lines):
    totals: dict[int, Decimal] = defaultdict(Decimal)
    secured: dict[int, bool] = {}
    for line in lines:
        year = line.delivery_plan.year
        totals[year] += line.amount_vnd or 0
        secured[year] = secured.get(year, True) and line.status in SECURED_STATUSES
    for year in sorted(totals):
        budget = _sub(element, "budget", type=BUDGET_ORIGINAL, status=BUDGET_COMMITTED if secured[year] else BUDGET_INDICATIVE)
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        _sub(budget, "period-start", iso_date=_date(first))
        _sub(budget, "period-end", iso_date=_date(last))
        _sub(budget, "value", currency=CURRENCY, value_date=_date(first)).text = _number(totals[year])


def _transactions(element, data: IatiData, activity, lines):
    for line in lines:
        execution = data.executions.get(line.pk)
        if execution is None:
            continue
        for amount_field, date_field, code in TRANSACTIONS:
            amount, day = getattr(execution, amount_field), getattr(execution, date_field)
            if amount is None or day is None:
                continue
            transaction = _sub(element, "transaction")
            _sub(transaction, "transaction-type", code=code)
            _sub(transaction, "transaction-date", iso_date=_date(day))
            _sub(transaction, "value", currency=CURRENCY, value_date=_date(day)).text = _number(amount)
            description = {language: text for language, text in _texts(line, "description").items() if text}
            if description:
                _text_element(transaction, "description", description)
            if code == "4":  # spent by the lead agency
                _org(transaction, "provider-org", activity.lead_agency)
            else:  # committed or disbursed by the funder, to the lead agency
                if line.funder_id:
                    _org(transaction, "provider-org", line.funder)
                _org(transaction, "receiver-org", activity.lead_agency)


# Results --------------------------------------------------------------------------------------------


def _result(element, data: IatiData, result_type: int, texts: dict, indicators: list):
    result = _sub(element, "result", type=result_type)
    _text_element(result, "title", texts)
    for indicator in indicators:
        _indicator(result, data, indicator)


def _value(value, numerator, denominator):
    found = value if value is not None else percentage(numerator, denominator)
    return _number(found) if found is not None else None


def _comment(parent, texts: dict[str, str]):
    if any((text or "").strip() for text in texts.values()):
        _text_element(parent, "comment", texts)


def _indicator(result, data: IatiData, indicator):
    element = _sub(result, "indicator", measure=indicator.iati_measure, ascending="0" if indicator.direction == Direction.DECREASE else "1")
    _text_element(element, "title", _texts(indicator, "title"))
    definition = _texts(indicator, "definition")
    if any(definition.values()):
        _text_element(element, "description", definition)
    if indicator.baseline_year:
        baseline = _sub(
            element,
            "baseline",
            year=indicator.baseline_year,
            value=_value(indicator.baseline_value, indicator.baseline_numerator, indicator.baseline_denominator),
        )
        _comment(baseline, _texts(indicator, "baseline_text"))
    for period in data.periods.get(indicator.pk, []):
        target, actual = period.target, period.actual
        if target is None and actual is None:
            continue
        element_period = _sub(element, "period")
        _sub(element_period, "period-start", iso_date=_date(period.period.start))
        _sub(element_period, "period-end", iso_date=_date(period.period.end))
        if target is not None:
            target_element = _sub(element_period, "target", value=_value(target.target_value, target.target_numerator, target.target_denominator))
            _comment(target_element, {"vi": target.target_text_vi, "en": target.target_text_en})
        if actual is not None:
            actual_element = _sub(element_period, "actual", value=_value(actual.actual_value, actual.actual_numerator, actual.actual_denominator))
            _comment(actual_element, {"vi": actual.actual_text_vi, "en": actual.actual_text_en})
            for part in getattr(actual, "approved_breakdown", None) or []:
                dimension = data.dimensions.get(part.disaggregation_id)
                value = _value(part.value, part.numerator, part.denominator)
                if dimension is None or value is None:
                    continue
                part_element = _sub(element_period, "actual", value=value)
                _sub(part_element, "dimension", name=dimension.code, value=part.category)
