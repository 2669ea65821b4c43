"""Accounts: a coordinator-made account signs in at once, every role lands on its start page, an
unsafe `next` never leads to a missing page, and roles are read once per request."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from planning import roles
from tests.factories import UserFactory, coordinator
from tests.planning.test_admin import new_user_data

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "a-long-demo-password-2"


def sign_in(client, username, password=PASSWORD, **params):
    url = reverse("login")
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return client.post(url, {"username": username, "password": password, **params}, follow=True)


def test_account_a_coordinator_creates_with_a_portal_group_signs_in_at_once(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    data = new_user_data()
    data.pop("is_staff")  # no box to tick: the group is enough

    response = client.post(reverse("admin:auth_user_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    client.logout()
    landed = sign_in(client, "focal.mps2")
    assert landed.redirect_chain[-1][0] == reverse("planning:workspace")  # a focal point's start page
    assert landed.status_code == 200
    assert landed.context["user"].username == "focal.mps2"


def test_coordinators_do_not_see_the_staff_status_box(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    focal = User.objects.get(username="focal.mps")

    add_form = client.get(reverse("admin:auth_user_add")).context["adminform"].form
    change_form = client.get(reverse("admin:auth_user_change", args=[focal.pk])).context["adminform"].form

    assert "is_staff" not in add_form.fields and "is_staff" not in change_form.fields


def test_leaving_the_portals_groups_ends_admin_access(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    from tests.planning.test_admin import change_post_data, change_url

    focal = User.objects.get(username="focal.mps")
    data = change_post_data(client, focal, groups=[], change_reason="Left the ministry")
    assert client.post(change_url(focal), data).status_code == 302

    focal.refresh_from_db()
    assert not focal.is_staff


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil", "https:///evil.example"])
def test_login_with_an_unsafe_next_lands_on_the_start_page(demo_data, client, unsafe):
    response = client.post(reverse("login"), {"username": "focal.mps", "password": "demo-password", "next": unsafe})

    assert response.status_code == 302
    assert response["Location"] == reverse("planning:workspace")


def test_login_with_a_safe_next_goes_there(demo_data, client):
    target = reverse("admin:planning_activity_changelist")

    response = client.post(reverse("login"), {"username": "focal.mps", "password": "demo-password", "next": target})

    assert response["Location"] == target


def test_organiser_lands_on_the_events_after_login(demo_data, client):
    response = client.post(reverse("login"), {"username": "organiser", "password": "demo-password"})

    assert response["Location"] == reverse("events:event-list")


def test_admin_login_page_is_the_portals_login(demo_data, client):
    assert reverse("admin:login") == reverse("login")
    response = client.post(reverse("admin:login"), {"username": "organiser", "password": "demo-password", "next": "//evil"})

    assert response["Location"] == reverse("events:event-list")


def test_start_page_sends_each_role_to_its_work(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    assert client.get(reverse("start"))["Location"] == reverse("admin:index")
    client.login(username="organiser", password="demo-password")
    assert client.get(reverse("start"))["Location"] == reverse("events:event-list")


def test_signed_in_user_opening_the_login_page_goes_to_the_start_page(demo_data, client):
    client.login(username="organiser", password="demo-password")

    assert client.get(reverse("login"))["Location"] == reverse("events:event-list")


def test_start_page_roles_in_one_function(db):
    organiser = UserFactory(username="org")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    both = UserFactory(username="both")
    both.groups.add(Group.objects.get(name=roles.ORGANISERS), Group.objects.get(name=roles.FOCAL_POINTS))

    assert roles.start_page(organiser) == reverse("events:event-list")
    assert roles.start_page(both) == reverse("admin:index")
    assert roles.start_page(coordinator()) == reverse("admin:index")


def test_roles_read_the_groups_once_per_user_object(db, django_assert_num_queries):
    user = coordinator()
    user = User.objects.get(pk=user.pk)

    with django_assert_num_queries(1):
        assert roles.is_coordinator(user)
        assert roles.is_coordinator(user)
        assert not roles.is_focal_point(user)
        assert roles.has_portal_role(user)
