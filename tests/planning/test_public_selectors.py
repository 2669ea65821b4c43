"""The public portal's reads (planning.selectors.public): only published plans and published values."""

from decimal import Decimal

import pytest

from planning.models import ActivityStatus, PeriodKind
from planning.selectors import public
from tests.factories import public_world

pytestmark = pytest.mark.django_db


def test_only_activities_of_published_delivery_plans_are_public():
    world = public_world(activities=2)
    shown = set(public.public_activities(world.plan))
    assert set(world.activities) <= shown
    assert world.hidden_activity not in shown
    assert not public.public_activities(world.plan, year=world.year + 1).exists()


def test_progress_is_the_published_value_not_the_draft_correction():
    world = public_world(activities=2)
    progress = public.public_progress(public.public_activities(world.plan, year=world.year), year=world.year)
    first = progress[world.activities[0].pk]
    assert first.status == ActivityStatus.ON_TRACK and first.progress == 50
    assert "LEAK" not in first.narrative_vi and "LEAK" not in first.status_justification_vi
    # Returned and approved-but-unpublished reports publish nothing.
    assert world.returned_activity.pk not in progress and world.unpublished_activity.pk not in progress


def test_indicator_periods_carry_published_actuals_and_public_targets_only():
    world = public_world(activities=2)
    indicators = [*world.indicators, world.returned_indicator, world.unpublished_indicator]
    periods = public.public_indicator_periods(indicators, plan=world.plan)
    first = [p for p in periods[world.indicators[0].pk] if p.period.kind == PeriodKind.ANNUAL]
    assert [(p.period.year, p.target_value, p.actual_value) for p in first] == [(world.year, Decimal(10), Decimal(7))]
    assert {(b.category, b.value) for b in first[0].actual.approved_breakdown} == {("female", 4), ("male", 3)}
    assert first[0].standing == public.Standing.BEHIND
    # The next year's target is not public while its delivery plan is not.
    second = periods[world.indicators[1].pk]
    assert all(p.period.year == world.year for p in second if p.period.kind == PeriodKind.ANNUAL)
    for hidden in (world.returned_indicator, world.unpublished_indicator):
        assert all(p.actual is None and p.standing == public.Standing.NOT_REPORTED for p in periods[hidden.pk])


def test_summaries_count_published_figures():
    world = public_world(activities=3)
    activities = public.public_activities(world.plan, year=world.year)
    counts, unreported = public.status_counts(activities, public.public_progress(activities, year=world.year))
    assert {c.status: c.count for c in counts}[ActivityStatus.ON_TRACK] == 3
    assert unreported == 2  # the returned and the unpublished agencies' activities
    totals = public.public_budget_totals(world.plan, year=world.year)
    assert totals["estimated"] == Decimal(500_000_000)  # five committed lines of 100.000.000; not next year's
    assert totals["gap"] == 0
    rows = public.public_budget_rows(world.activities[0])
    assert rows[0].execution.committed_vnd == Decimal(90_000_000)


def test_the_logframe_holds_public_rows_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    world = public_world(activities=2, plant=False)
    with django_assert_max_num_queries(20) as small:
        public.public_logframe(world.plan, year=world.year)
    world.add_published(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        tree = public.public_logframe(world.plan, year=world.year)
    activities = [node for objective in tree for output in objective.outputs for node in output.activities]
    assert len(activities) == 14 and all(node.progress is not None for node in activities)
