"""An indicator computed from events follows every change that can move its count, once the change commits."""

import datetime

import pytest

from events import services
from events.models import EventType, IndicatorRule, Sector, Sex
from planning.models import DeliveryPlan, IndicatorPeriod, PeriodKind, ProgressReport, ReportStatus, ValueKind
from planning.services import reporting
from tests.factories import ActivityFactory, AttendanceFactory, EventFactory, IndicatorFactory, ParticipationFactory, PersonFactory, coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(reference_data):
    indicator = IndicatorFactory()
    DeliveryPlan.objects.create(plan=indicator.plan, year=2025)
    return IndicatorRule.objects.create(indicator=indicator, event_types=[EventType.WORKSHOP, EventType.TRAINING])


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed: the recomputation scheduled for then happens."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def actual(rule, year=2025):
    """The count from events proposed for the year and its proposed breakdown; (None, {}) while nothing
    was ever counted that year. The actual itself is set only when the agency confirms the count."""
    period = IndicatorPeriod.objects.filter(indicator=rule.indicator, period__year=year, period__kind=PeriodKind.ANNUAL).first()
    if period is None:
        return None, {}
    by = {(value.disaggregation.code, value.category): value.value for value in period.disaggregated_values.filter(kind=ValueKind.PROPOSED)}
    return period.proposed_value, by


def test_the_count_is_only_proposed_until_the_agency_confirms_it_as_the_actual(rule, committed):
    event = EventFactory(type=EventType.WORKSHOP)
    hoa = ParticipationFactory(event=event, person=PersonFactory(sex=Sex.FEMALE), sector=Sector.MEDIA)
    committed(services.attendance_set, participation=hoa, day=event.start_date, present=True, user=coordinator())
    period = IndicatorPeriod.objects.get(indicator=rule.indicator)

    assert (period.proposed_value, period.actual_value) == (1, None)
    assert not period.disaggregated_values.filter(kind=ValueKind.ACTUAL).exists()

    reporting.proposed_actual_confirm(period=period, user=None)

    period.refresh_from_db()
    assert period.actual_value == 1
    actual_breakdown = {(value.disaggregation.code, value.category): value.value for value in period.disaggregated_values.filter(kind=ValueKind.ACTUAL)}
    assert actual_breakdown == {("sex", "female"): 1, ("sector", "media"): 1}
    assert ProgressReport.objects.filter(agency=rule.indicator.responsible_agency, period=period.period, status=ReportStatus.DRAFT).exists()


def test_computed_indicator_changes_when_attendance_changes(rule, committed):
    event = EventFactory(type=EventType.WORKSHOP)
    user = coordinator()
    hoa = ParticipationFactory(event=event, person=PersonFactory(sex=Sex.FEMALE), sector=Sector.MEDIA)
    nam = ParticipationFactory(event=event, person=PersonFactory(sex=Sex.MALE), sector=Sector.GOVERNMENT)

    committed(services.attendance_set, participation=hoa, day=event.start_date, present=True, user=user)
    assert actual(rule) == (1, {("sex", "female"): 1, ("sector", "media"): 1})

    committed(services.attendance_set, participation=nam, day=event.days[1], present=True, user=user)
    value, by = actual(rule)
    assert value == 2
    assert by[("sex", "male")] == 1

    committed(services.attendance_set, participation=hoa, day=event.start_date, present=False, user=user)
    assert actual(rule)[0] == 1


def test_nothing_is_recomputed_before_the_change_commits(rule, django_capture_on_commit_callbacks):
    event = EventFactory(type=EventType.WORKSHOP)
    with django_capture_on_commit_callbacks() as callbacks:
        AttendanceFactory(participation=ParticipationFactory(event=event))
    assert not IndicatorPeriod.objects.filter(indicator=rule.indicator).exists()
    for callback in callbacks:
        callback()
    assert actual(rule)[0] == 1


def test_computed_indicator_ignores_other_event_types_and_follows_admin_edits(rule, committed):
    forum = EventFactory(type=EventType.FORUM)
    committed(AttendanceFactory, participation=ParticipationFactory(event=forum))
    assert not IndicatorPeriod.objects.filter(indicator=rule.indicator).exists()

    workshop = EventFactory(type=EventType.WORKSHOP)
    attendance = committed(AttendanceFactory, participation=ParticipationFactory(event=workshop))  # saved directly, as the admin does
    assert actual(rule)[0] == 1
    committed(attendance.delete)
    assert actual(rule)[0] == 0


def test_changing_an_events_type_or_year_moves_its_people(rule, committed):
    DeliveryPlan.objects.create(plan=rule.indicator.plan, year=2024)
    event = EventFactory(type=EventType.WORKSHOP)
    committed(AttendanceFactory, participation=ParticipationFactory(event=event))
    assert actual(rule)[0] == 1

    event.type = EventType.FORUM
    committed(event.save)
    assert actual(rule)[0] == 0

    event.type = EventType.TRAINING
    event.start_date, event.end_date = datetime.date(2024, 11, 26), datetime.date(2024, 11, 28)
    committed(event.save)
    assert actual(rule, 2024)[0] == 1
    assert actual(rule, 2025)[0] == 0


def test_rule_limited_to_activities_follows_the_events_links_and_the_rules_own(rule, committed):
    activity = ActivityFactory()
    committed(rule.activities.add, activity)
    linked, unlinked = EventFactory(), EventFactory()
    committed(AttendanceFactory, participation=ParticipationFactory(event=unlinked))
    committed(AttendanceFactory, participation=ParticipationFactory(event=linked))
    assert actual(rule)[0] is None

    committed(linked.activities.add, activity)
    assert actual(rule)[0] == 1

    committed(rule.activities.clear)
    assert actual(rule)[0] == 2

    rule.sectors = [Sector.MEDIA]
    committed(rule.save)
    assert actual(rule)[0] == 0


def test_correcting_a_persons_sex_or_merging_two_records_updates_the_counts(rule, committed):
    first, second = EventFactory(), EventFactory(start_date=datetime.date(2025, 6, 2), end_date=datetime.date(2025, 6, 2))
    person = PersonFactory(sex=Sex.MALE, phone="0912345678")
    twin = PersonFactory(sex=Sex.FEMALE, email="", phone="0912345678")
    committed(AttendanceFactory, participation=ParticipationFactory(event=first, person=person))
    committed(AttendanceFactory, participation=ParticipationFactory(event=second, person=twin))
    assert actual(rule) == (2, {("sex", "male"): 1, ("sex", "female"): 1, ("sector", "government"): 2})

    person.sex = Sex.FEMALE
    committed(person.save)
    assert actual(rule)[1][("sex", "female")] == 2

    committed(services.person_merge, keep=person, duplicate=twin, user=coordinator())
    assert actual(rule) == (1, {("sex", "female"): 1, ("sector", "government"): 1})


def test_admin_shows_a_computed_actual_read_only(rule, client, committed):
    from django.urls import reverse

    committed(AttendanceFactory, participation=ParticipationFactory(event=EventFactory(type=EventType.TRAINING)))
    client.force_login(coordinator())
    page = client.get(reverse("admin:planning_indicator_change", args=[rule.indicator.pk])).content.decode()
    assert 'name="periods-0-target_value"' in page
    assert 'name="periods-0-actual_value"' not in page
    assert 'name="periods-0-proposed_value"' not in page


def test_only_a_number_indicator_can_be_counted_from_events(reference_data, client):
    from django.urls import reverse

    from planning.models import Measure

    percentage = IndicatorFactory(measure=Measure.PERCENTAGE)
    client.force_login(coordinator())
    response = client.post(reverse("admin:events_indicatorrule_add"), {"indicator": percentage.pk, "min_days": 1})
    assert response.status_code == 200
    assert "indicator" in response.context["adminform"].form.errors
    assert not IndicatorRule.objects.exists()


def test_a_failed_recomputation_keeps_the_change_and_is_tried_again_later(rule, committed, monkeypatch):
    event = EventFactory(type=EventType.WORKSHOP)
    real = services.indicator_recompute

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "indicator_recompute", broken)
    attendance = committed(AttendanceFactory, participation=ParticipationFactory(event=event))  # logged, not raised
    assert attendance.pk is not None
    assert actual(rule)[0] is None

    monkeypatch.setattr(services, "indicator_recompute", real)
    committed(services.indicators_recompute_on_commit, [2030])  # any later change: the pending years come along
    assert actual(rule)[0] == 1


def test_moving_an_activity_to_another_objective_or_opening_a_year_updates_the_counts(rule, committed):
    from tests.factories import OutputFactory

    activity = ActivityFactory()
    committed(rule.objectives.add, activity.output.objective)
    event = EventFactory(start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 3, 2))
    event.activities.add(activity)
    committed(AttendanceFactory, participation=ParticipationFactory(event=event))
    assert actual(rule, 2026)[0] is None  # no delivery plan for 2026 yet

    committed(DeliveryPlan.objects.create, plan=rule.indicator.plan, year=2026)
    assert actual(rule, 2026)[0] == 1

    activity.output = OutputFactory(objective__plan=activity.plan)
    committed(activity.save)
    assert actual(rule, 2026)[0] == 0


def test_a_quarterly_or_review_indicator_is_counted_in_each_of_its_periods(rule, committed):
    """An indicator reported each quarter gets a count per quarter; one reported at the mid-term and
    final reviews gets the people counted from the start of the plan to each review."""
    user = coordinator()
    rule.indicator.frequency = "quarterly"
    rule.indicator.save()
    march = EventFactory(type=EventType.WORKSHOP, start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 11))
    may = EventFactory(type=EventType.WORKSHOP, start_date=datetime.date(2025, 5, 6), end_date=datetime.date(2025, 5, 6))
    for event, sex in ((march, Sex.FEMALE), (march, Sex.MALE), (may, Sex.FEMALE)):
        participation = ParticipationFactory(event=event, person=PersonFactory(sex=sex))
        committed(services.attendance_set, participation=participation, day=event.start_date, present=True, user=user)

    counted = {item.period.number: item.proposed_value for item in IndicatorPeriod.objects.filter(indicator=rule.indicator, period__kind=PeriodKind.QUARTER)}
    assert counted == {1: 2, 2: 1}

    rule.indicator.frequency = "review"
    rule.indicator.save()
    committed(services.indicators_recompute)
    reviews = {
        item.period.kind: item.proposed_value for item in IndicatorPeriod.objects.filter(indicator=rule.indicator, period__kind__in=["mid_term", "final"])
    }
    assert reviews == {PeriodKind.MID_TERM: 3, PeriodKind.FINAL: 3}
