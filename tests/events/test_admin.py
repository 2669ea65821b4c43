"""The events in the coordinators' admin: flat query counts, and the indicator rule edited with checkboxes."""

import pytest
from django.urls import reverse

from events.models import EventType, IndicatorRule, Sector
from tests.factories import AttendanceFactory, EventFactory, FeedbackFactory, IndicatorFactory, ParticipationFactory, coordinator

pytestmark = pytest.mark.django_db


def add_events(count):
    for _ in range(count):
        event = EventFactory()
        participation = ParticipationFactory(event=event)
        AttendanceFactory(participation=participation)
        FeedbackFactory(event=event, participation=participation)
        IndicatorRule.objects.create(indicator=IndicatorFactory())


@pytest.mark.parametrize("model", ["event", "person", "participation", "feedback", "indicatorrule"])
def test_events_changelists_keep_their_query_count(reference_data, client, django_assert_max_num_queries, model):
    client.force_login(coordinator())
    url = reverse(f"admin:events_{model}_changelist")
    add_events(2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    add_events(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_coordinator_sets_an_indicator_rule_with_checkboxes(reference_data, client):
    indicator = IndicatorFactory()
    client.force_login(coordinator())
    url = reverse("admin:events_indicatorrule_add")
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="event_types" value="training"' in page

    response = client.post(url, {"indicator": indicator.pk, "event_types": [EventType.TRAINING, EventType.WORKSHOP], "sectors": [Sector.MEDIA], "min_days": 2})

    assert response.status_code == 302
    rule = IndicatorRule.objects.get(indicator=indicator)
    assert (rule.event_types, rule.sectors, rule.roles, rule.min_days) == (["training", "workshop"], ["media"], [], 2)
