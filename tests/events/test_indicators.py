"""An indicator computed from events follows attendance."""

import pytest

from events import services
from events.models import EventType, IndicatorRule, Sector, Sex
from planning.models import DeliveryPlan, IndicatorPeriod
from tests.factories import AttendanceFactory, EventFactory, IndicatorFactory, ParticipationFactory, PersonFactory, coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def rule(reference_data):
    indicator = IndicatorFactory()
    DeliveryPlan.objects.create(plan=indicator.plan, year=2025)
    return IndicatorRule.objects.create(indicator=indicator, event_types=[EventType.WORKSHOP, EventType.TRAINING])


def actual(rule, year=2025):
    period = IndicatorPeriod.objects.get(indicator=rule.indicator, delivery_plan__year=year)
    by = {(value.disaggregation.code, value.category): value.value for value in period.disaggregated_values.all()}
    return period.actual_value, by


def test_computed_indicator_changes_when_attendance_changes(rule):
    event = EventFactory(type=EventType.WORKSHOP)
    user = coordinator()
    hoa = ParticipationFactory(event=event, person=PersonFactory(sex=Sex.FEMALE), sector=Sector.MEDIA)
    nam = ParticipationFactory(event=event, person=PersonFactory(sex=Sex.MALE), sector=Sector.GOVERNMENT)

    services.attendance_set(participation=hoa, day=event.start_date, present=True, user=user)
    assert actual(rule) == (1, {("sex", "female"): 1, ("sector", "media"): 1})

    services.attendance_set(participation=nam, day=event.days[1], present=True, user=user)
    value, by = actual(rule)
    assert value == 2
    assert by[("sex", "male")] == 1

    services.attendance_set(participation=hoa, day=event.start_date, present=False, user=user)
    assert actual(rule)[0] == 1


def test_computed_indicator_ignores_other_event_types_and_follows_admin_edits(rule):
    launch = EventFactory(type=EventType.FORUM)
    AttendanceFactory(participation=ParticipationFactory(event=launch))
    assert not IndicatorPeriod.objects.filter(indicator=rule.indicator).exists()

    workshop = EventFactory(type=EventType.WORKSHOP)
    attendance = AttendanceFactory(participation=ParticipationFactory(event=workshop))  # saved directly, as the admin does
    assert actual(rule)[0] == 1
    attendance.delete()
    assert actual(rule)[0] == 0


def test_rule_limited_to_activities_counts_only_their_events(rule):
    from tests.factories import ActivityFactory

    activity = ActivityFactory()
    rule.activities.add(activity)
    linked, unlinked = EventFactory(), EventFactory()
    linked.activities.add(activity)
    AttendanceFactory(participation=ParticipationFactory(event=linked))
    AttendanceFactory(participation=ParticipationFactory(event=unlinked))
    services.indicators_recompute()
    assert actual(rule)[0] == 1


def test_admin_shows_a_computed_actual_read_only(rule, client):
    from django.urls import reverse

    AttendanceFactory(participation=ParticipationFactory(event=EventFactory(type=EventType.TRAINING)))
    client.force_login(coordinator())
    page = client.get(reverse("admin:planning_indicator_change", args=[rule.indicator.pk])).content.decode()
    assert 'name="periods-0-target_value"' in page
    assert 'name="periods-0-actual_value"' not in page
