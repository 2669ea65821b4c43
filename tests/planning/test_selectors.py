"""planning.selectors: budget figures on a small example checked by hand, and the logframe's queries.

The example (amounts in million VND):

    activity  objective  year  source      status      amount
    A1        O1         2024  central     spent          100
    A1        O1         2025  central     committed      200
    A1        O1         2025  oda_grant   pledged         50
    A2        O1         2024  un_agency   disbursed       30
    A2        O1         2025  central     estimated       70
    A3        O2         2024  un_agency   pledged         10
    A3        O2         2025  oda_grant   committed      400
    A3        O2         2025  central     estimated       25

Estimated counts every line (885); committed counts committed, disbursed and spent lines (730);
the gap is estimated - committed (155).
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planning import selectors
from planning.models import Activity, BudgetLine, DeliveryPlan, FundingSource, FundingStatus, Measure, Objective, Output, ResultLevel
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OutputFactory,
    PlanFactory,
    ProvinceFactory,
)

pytestmark = pytest.mark.django_db

M = 1_000_000
CENTRAL, ODA, UN = FundingSource.CENTRAL_BUDGET, FundingSource.ODA_GRANT, FundingSource.UN_AGENCY
ESTIMATED, PLEDGED, COMMITTED, DISBURSED, SPENT = (
    FundingStatus.ESTIMATED,
    FundingStatus.PLEDGED,
    FundingStatus.COMMITTED,
    FundingStatus.DISBURSED,
    FundingStatus.SPENT,
)


@dataclass
class Example:
    o1: Objective
    o2: Objective
    a1: Activity
    a2: Activity
    a3: Activity
    partners: list


def figures(estimated, committed, *, pledged=0, disbursed=0, spent=0) -> dict:
    return {
        "estimated": Decimal(estimated * M),
        "pledged": Decimal(pledged * M),
        "committed": Decimal(committed * M),
        "disbursed": Decimal(disbursed * M),
        "spent": Decimal(spent * M),
        "gap": Decimal((estimated - committed) * M),
    }


@pytest.fixture
def example() -> Example:
    plan = PlanFactory()
    o1, o2 = ObjectiveFactory(plan=plan, code="1"), ObjectiveFactory(plan=plan, code="2")
    out1, out2 = OutputFactory(objective=o1, code="1.1"), OutputFactory(objective=o2, code="2.1")
    years = {year: DeliveryPlanFactory(plan=plan, year=year) for year in (2024, 2025)}
    partners = [OrganisationFactory(code="moha"), OrganisationFactory(code="vwu")]
    a1 = ActivityFactory(output=out1, code="1.1.1")
    a2 = ActivityFactory(output=out1, code="1.1.2")
    a3 = ActivityFactory(output=out2, code="2.1.1")
    for activity in (a1, a2, a3):
        activity.delivery_plans.set(years.values())
    a1.partner_agencies.set(partners)
    a1.provinces.set([ProvinceFactory(), ProvinceFactory()])
    for activity, year, source, status, millions in [
        (a1, 2024, CENTRAL, SPENT, 100),
        (a1, 2025, CENTRAL, COMMITTED, 200),
        (a1, 2025, ODA, PLEDGED, 50),
        (a2, 2024, UN, DISBURSED, 30),
        (a2, 2025, CENTRAL, ESTIMATED, 70),
        (a3, 2024, UN, PLEDGED, 10),
        (a3, 2025, ODA, COMMITTED, 400),
        (a3, 2025, CENTRAL, ESTIMATED, 25),
    ]:
        BudgetLineFactory(activity=activity, delivery_plan=years[year], source=source, status=status, amount_vnd=Decimal(millions * M))
    return Example(o1=o1, o2=o2, a1=a1, a2=a2, a3=a3, partners=partners)


# budget_totals and budget_summary -------------------------------------------------------------


def test_budget_totals_of_all_lines(example):
    assert selectors.budget_totals() == figures(885, 730, pledged=60, disbursed=130, spent=100)


def test_budget_totals_of_one_year(example):
    assert selectors.budget_totals(selectors.budget_lines(year=2025)) == figures(745, 600, pledged=50)


def test_budget_totals_of_one_agency(example):
    lines = selectors.budget_lines(agency=example.a3.lead_agency)

    assert selectors.budget_totals(lines) == figures(435, 400, pledged=10)


def test_budget_totals_of_no_lines_are_zero(example):
    assert selectors.budget_totals(BudgetLine.objects.none()) == figures(0, 0)


def test_budget_summary_by_objective_and_year(example):
    rows = selectors.budget_summary(by=("objective", "year"))

    assert rows == [
        {"objective": example.o1.pk, "year": 2024, **figures(130, 130, disbursed=130, spent=100)},
        {"objective": example.o1.pk, "year": 2025, **figures(320, 200, pledged=50)},
        {"objective": example.o2.pk, "year": 2024, **figures(10, 0, pledged=10)},
        {"objective": example.o2.pk, "year": 2025, **figures(425, 400)},
    ]


def test_budget_summary_by_source(example):
    rows = selectors.budget_summary(by=("source",))

    assert rows == [
        {"source": CENTRAL, **figures(395, 300, disbursed=100, spent=100)},
        {"source": ODA, **figures(450, 400, pledged=50)},
        {"source": UN, **figures(40, 30, pledged=10, disbursed=30)},
    ]


def test_budget_summary_rows_add_up_to_the_totals(example):
    totals = selectors.budget_totals()

    for by in (("objective", "year"), ("source",), ("activity",), ("status",)):
        rows = selectors.budget_summary(by=by)
        for figure, total in totals.items():
            assert sum(row[figure] for row in rows) == total, (by, figure)


# with_budget_totals ---------------------------------------------------------------------------


def annotated(activities) -> list[tuple]:
    return sorted((a.code, a.budget_estimated, a.budget_committed, a.budget_gap) for a in activities)


EXPECTED_PER_ACTIVITY = [
    ("1.1.1", Decimal(350 * M), Decimal(300 * M), Decimal(50 * M)),
    ("1.1.2", Decimal(100 * M), Decimal(30 * M), Decimal(70 * M)),
    ("2.1.1", Decimal(435 * M), Decimal(400 * M), Decimal(35 * M)),
]


def totals_of(rows) -> dict:
    return {row.pk: (row.budget_estimated, row.budget_committed, row.budget_gap) for row in rows}


def test_with_budget_totals_of_outputs_and_objectives_add_up_their_activities(example):
    o1 = (Decimal(450 * M), Decimal(330 * M), Decimal(120 * M))
    o2 = (Decimal(435 * M), Decimal(400 * M), Decimal(35 * M))

    assert totals_of(selectors.with_budget_totals(Objective.objects.all())) == {example.o1.pk: o1, example.o2.pk: o2}
    assert totals_of(selectors.with_budget_totals(Output.objects.all())) == {example.a1.output_id: o1, example.a3.output_id: o2}


def test_with_budget_totals_of_delivery_plans_add_up_their_years_lines(example):
    rows = {row.year: (row.budget_estimated, row.budget_committed, row.budget_gap) for row in selectors.with_budget_totals(DeliveryPlan.objects.all())}

    assert rows == {2024: (Decimal(140 * M), Decimal(130 * M), Decimal(10 * M)), 2025: (Decimal(745 * M), Decimal(600 * M), Decimal(145 * M))}


def test_with_budget_totals_of_objectives_in_one_year(example):
    rows = totals_of(selectors.with_budget_totals(Objective.objects.all(), year=2024))

    assert rows == {example.o1.pk: (Decimal(130 * M), Decimal(130 * M), Decimal(0)), example.o2.pk: (Decimal(10 * M), Decimal(0), Decimal(10 * M))}


def test_with_budget_totals_gives_each_activitys_estimate_commitment_and_gap(example):
    assert annotated(selectors.with_budget_totals(Activity.objects.all())) == EXPECTED_PER_ACTIVITY


def test_with_budget_totals_of_one_year(example):
    assert annotated(selectors.with_budget_totals(Activity.objects.all(), year=2025)) == [
        ("1.1.1", Decimal(250 * M), Decimal(200 * M), Decimal(50 * M)),
        ("1.1.2", Decimal(70 * M), Decimal(0), Decimal(70 * M)),
        ("2.1.1", Decimal(425 * M), Decimal(400 * M), Decimal(25 * M)),
    ]


def test_with_budget_totals_is_zero_for_an_activity_without_lines(example):
    ActivityFactory(output=example.a1.output, code="1.1.9")

    rows = annotated(selectors.with_budget_totals(Activity.objects.filter(code="1.1.9")))

    assert rows == [("1.1.9", Decimal(0), Decimal(0), Decimal(0))]


def test_with_budget_totals_is_not_doubled_by_a_filter_on_delivery_plans(example):
    before = annotated(selectors.with_budget_totals(Activity.objects.filter(delivery_plans__year=2025)))
    after = annotated(selectors.with_budget_totals(Activity.objects.all()).filter(delivery_plans__year=2025))
    both_years = annotated(selectors.with_budget_totals(Activity.objects.filter(delivery_plans__year__in=[2024, 2025])).distinct())

    assert before == EXPECTED_PER_ACTIVITY
    assert after == EXPECTED_PER_ACTIVITY
    assert both_years == EXPECTED_PER_ACTIVITY


def test_with_budget_totals_is_not_doubled_by_a_filter_on_partner_agencies(example):
    """A1 has two partners, so the join gives it two rows: each must still carry A1's own sums."""
    rows = annotated(selectors.with_budget_totals(Activity.objects.filter(partner_agencies__in=example.partners)))
    rows_filtered_after = annotated(selectors.with_budget_totals(Activity.objects.all()).filter(partner_agencies__in=example.partners))

    assert rows == [EXPECTED_PER_ACTIVITY[0]] * 2
    assert rows_filtered_after == [EXPECTED_PER_ACTIVITY[0]] * 2


def test_with_budget_totals_is_not_doubled_by_joining_provinces_and_partners(example):
    activities = Activity.objects.filter(partner_agencies__isnull=False, provinces__isnull=False).distinct()

    assert annotated(selectors.with_budget_totals(activities)) == [EXPECTED_PER_ACTIVITY[0]]


# logframe -------------------------------------------------------------------------------------


def build_plan(plan_code: str, activities_per_output: int):
    """A plan of two objectives, two outputs each, with indicators at every level and yearly values."""
    plan = PlanFactory(code=plan_code)
    years = [DeliveryPlanFactory(plan=plan, year=year) for year in (2024, 2025)]
    partners = [OrganisationFactory(code=f"{plan_code}-partner-{n}") for n in range(2)]
    provinces = [ProvinceFactory() for _ in range(2)]
    for o in range(1, 3):
        objective = ObjectiveFactory(plan=plan, code=str(o))
        indicator = IndicatorFactory(level=ResultLevel.OBJECTIVE, objective=objective, output=None, code=f"{o}.I", measure=Measure.PERCENTAGE)
        for year in years:
            IndicatorPeriodFactory(indicator=indicator, year=year.year, target_numerator=Decimal(1), target_denominator=Decimal(2))
        for u in range(1, 3):
            output = OutputFactory(objective=objective, code=f"{o}.{u}")
            IndicatorPeriodFactory(indicator=IndicatorFactory(output=output, code=f"{o}.{u}.I"), year=years[1].year, target_value=Decimal(3))
            for a in range(1, activities_per_output + 1):
                activity = ActivityFactory(output=output, code=f"{o}.{u}.{a}")
                activity.delivery_plans.set(years)
                activity.partner_agencies.set(partners)
                activity.supporting_partners.set(partners[:1])
                activity.provinces.set(provinces)
                activity_indicator = IndicatorFactory(level=ResultLevel.ACTIVITY, activity=activity, output=None, code=f"{o}.{u}.{a}.I")
                IndicatorPeriodFactory(indicator=activity_indicator, year=years[0].year, actual_value=Decimal(1))
                for year in years:
                    BudgetLineFactory(activity=activity, delivery_plan=year, amount_vnd=Decimal(10 * M), status=COMMITTED)
    return plan


def walk(objectives, *, budget=Decimal(20 * M)) -> int:
    """Read everything a logframe page shows; return how many activities it saw."""
    seen = 0
    for objective in objectives:
        str(objective.title)
        for indicator in objective.indicators.all():
            [str(indicator.responsible_agency), *(period.period.year for period in indicator.periods.all())]
        for output in objective.outputs.all():
            for indicator in output.indicators.all():
                [str(indicator.responsible_agency), *(period.period.year for period in indicator.periods.all())]
            for activity in output.activities.all():
                seen += 1
                str(activity.lead_agency), str(activity.task_group)
                [str(org) for org in (*activity.partner_agencies.all(), *activity.supporting_partners.all())]
                [str(province) for province in activity.provinces.all()]
                list(activity.means.all())
                assert activity.budget_estimated == budget
                assert activity.budget_gap == Decimal(0)
                for indicator in activity.indicators.all():
                    [str(indicator.responsible_agency), *(period.period.year for period in indicator.periods.all())]
    return seen


def queries_to_walk(plan, year) -> int:
    with CaptureQueriesContext(connection) as queries:
        walk(selectors.logframe(plan, year=year), budget=Decimal((10 if year else 20) * M))
    return len(queries)


@pytest.mark.parametrize("year", [None, 2025])
def test_logframe_runs_in_a_fixed_number_of_queries_whatever_the_size_of_the_plan(django_assert_max_num_queries, year):
    small, large = build_plan("small", activities_per_output=1), build_plan("large", activities_per_output=6)
    budget = Decimal((10 if year else 20) * M)

    with django_assert_max_num_queries(13):
        assert walk(selectors.logframe(small, year=year), budget=budget) == 4
    with django_assert_max_num_queries(13):
        assert walk(selectors.logframe(large, year=year), budget=budget) == 24
    assert queries_to_walk(large, year) == queries_to_walk(small, year)


def test_logframe_lists_each_activity_once_and_only_the_years_activities(example):
    ActivityFactory(output=example.a1.output, code="1.1.9").delivery_plans.set([DeliveryPlanFactory(plan=example.a1.plan, year=2024)])

    def codes(year):
        return [a.code for o in selectors.logframe(example.a1.plan, year=year) for out in o.outputs.all() for a in out.activities.all()]

    assert codes(None) == ["1.1.1", "1.1.2", "1.1.9", "2.1.1"]
    assert codes(2025) == ["1.1.1", "1.1.2", "2.1.1"]
