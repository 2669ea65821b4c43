"""The demo loader never touches a real deployment, and its events tell the truth about themselves."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from planning import roles
from planning.models import Activity, Plan

pytestmark = pytest.mark.django_db

PRODUCTION = {"DEBUG": False, "DEMO_DATA_WITHOUT_DEBUG": False}


@override_settings(**PRODUCTION)
def test_load_demo_data_refuses_to_run_with_debug_off(reference_data):
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo_data", stdout=io.StringIO())

    assert not get_user_model().objects.filter(username="coordinator").exists()
    assert not Activity.objects.exists()


@override_settings(**PRODUCTION)
def test_load_demo_data_never_changes_an_existing_account_even_when_allowed(reference_data):
    User = get_user_model()
    real = User.objects.create_user(username="coordinator", password="the-real-secret-1")
    real.groups.add(Group.objects.get(name=roles.FOCAL_POINTS))

    out = io.StringIO()
    call_command("load_demo_data", "--allow-production", stdout=out)

    real.refresh_from_db()
    assert real.check_password("the-real-secret-1")
    assert not real.check_password("demo-password")
    assert list(real.groups.values_list("name", flat=True)) == [roles.FOCAL_POINTS]
    assert not real.is_staff
    assert "left unchanged" in out.getvalue()
    assert User.objects.get(username="organiser").check_password("demo-password")  # missing ones are created
    assert Plan.objects.exists()


def test_a_second_load_does_not_reset_a_changed_demo_password(demo_data):
    user = get_user_model().objects.get(username="coordinator")
    user.set_password("changed-by-its-owner-1")
    user.save()
    user.groups.clear()

    call_command("load_demo_data", stdout=io.StringIO())

    user.refresh_from_db()
    assert user.check_password("changed-by-its-owner-1")
    assert not user.groups.exists()
