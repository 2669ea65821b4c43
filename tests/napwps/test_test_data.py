"""The suite's data: loaded once per database, yet each test starts from the state it asks for and
leaves nothing behind (tests/conftest.py)."""

from django.contrib.auth import get_user_model

from events.models import Event
from planning.models import DeliveryPlan, Organisation, Plan, Province
from tests.factories import OrganisationFactory


def test_without_fixtures_the_database_is_as_migrated(db):
    assert not Plan.objects.exists()
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


def test_reference_data_holds_the_nap_but_not_the_sample_plan(reference_data):
    assert Plan.objects.filter(code="nap-wps-2024-2030").exists()
    assert Province.objects.count() > 63
    assert not DeliveryPlan.objects.exists()
    assert not Event.objects.exists()
    assert not get_user_model().objects.exists()


def test_demo_data_holds_the_sample_plan_the_events_and_the_accounts(demo_data):
    assert DeliveryPlan.objects.filter(year__in=[2024, 2025]).count() == 2
    assert Event.objects.count() >= 3
    assert get_user_model().objects.filter(username__in=["coordinator", "focal.mps", "organiser"]).count() == 3


def test_a_test_may_change_the_loaded_data(demo_data):
    Event.objects.all().delete()
    OrganisationFactory(code="left-behind")
    assert not Event.objects.exists()


def test_and_the_next_test_does_not_see_the_change(demo_data):
    assert Event.objects.exists()
    assert not Organisation.objects.filter(code="left-behind").exists()
