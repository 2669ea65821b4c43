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


# The real events, truthfully ------------------------------------------------------------------

REAL = ["launch-da-nang-2024-08", "technical-exchange-ha-noi-2024-11"]


def test_the_real_events_are_marked_as_having_synthetic_participants(demo_data):
    from events.models import Event

    for event in Event.objects.filter(code__in=REAL):
        assert event.synthetic_participants, event.code
        assert not event.participations.filter(person__is_sample=False).exists()
    assert Event.objects.get(code=REAL[1]).organisers_unconfirmed
    assert not Event.objects.get(code=REAL[0]).organisers_unconfirmed


def test_every_synthetic_participant_has_an_organisation_with_its_type(demo_data):
    from events.models import Participation

    participations = Participation.objects.filter(person__is_sample=True)
    assert participations.count() > 150
    assert not participations.filter(organisation_type__isnull=True).exists()
    assert not participations.filter(organisation__isnull=True, organisation_name="").exists()


def test_da_nang_gathered_ministries_and_provinces_with_un_women_organising_and_facilitating(demo_data):
    from events.models import Event, Role, Sector

    event = Event.objects.get(code=REAL[0])
    participants = event.participations.filter(role=Role.PARTICIPANT)
    assert set(participants.values_list("sector", flat=True)) == {Sector.GOVERNMENT, Sector.WOMENS_MACHINERY}
    assert participants.filter(organisation__level="provincial").count() > participants.count() / 3
    assert participants.filter(organisation__level="central").count() > participants.count() / 5
    staff = event.participations.filter(role__in=[Role.ORGANISER, Role.FACILITATOR])
    assert set(staff.filter(role=Role.FACILITATOR).values_list("organisation__code", flat=True)) == {"un-women"}
    assert "un-women" in set(staff.filter(role=Role.ORGANISER).values_list("organisation__code", flat=True))


def test_ha_noi_gathered_social_organisations_machinery_ngos_academia_media_and_business(demo_data):
    from events.models import Event, Role, Sector

    event = Event.objects.get(code=REAL[1])
    sectors = set(event.participations.filter(role=Role.PARTICIPANT).values_list("sector", flat=True))
    assert sectors == {
        Sector.SOCIAL_ORGANISATION, Sector.WOMENS_MACHINERY, Sector.INGO, Sector.NGO, Sector.ACADEMIA, Sector.MEDIA, Sector.PRIVATE_SECTOR,
    }  # fmt: skip
    assert not event.participations.filter(role=Role.PARTICIPANT, sector=Sector.GOVERNMENT).exists()


def test_the_real_events_are_linked_to_activities_planned_for_their_dates(demo_data):
    from events import selectors
    from events.models import Event

    da_nang = Event.objects.get(code=REAL[0])
    assert [activity.code for activity in da_nang.activities.all()] == ["4.2.1"]
    assert "Kế hoạch triển khai năm 2024" in da_nang.activities.get().title_vi
    for event in Event.objects.filter(code__in=REAL):
        assert event.activities.exists()
        assert selectors.activities_not_covering(event) == [], event.code


def test_an_event_outside_its_activitys_months_is_warned_about_on_its_pages(demo_data, client):
    from django.urls import reverse

    from events import selectors
    from events.models import Event

    event = Event.objects.get(code=REAL[0])
    late = Activity.objects.get(code="2.1.3")  # planned 02–11/2025
    event.activities.add(late)

    assert selectors.activities_not_covering(event) == [late]
    client.force_login(get_user_model().objects.get(username="coordinator"))
    for name in ("events:event-detail", "events:event-update"):
        page = client.get(reverse(name, args=[event.pk])).content.decode()
        assert 'id="activities-not-covering"' in page and "2.1.3" in page, name


def test_pages_and_reports_say_the_participants_are_synthetic(demo_data, client):
    from django.urls import reverse

    from events.exports import event_report_pdf, event_report_xlsx
    from events.models import Event, IndicatorRule

    event = Event.objects.get(code=REAL[1])
    client.force_login(get_user_model().objects.get(username="coordinator"))

    assert 'id="synthetic-note"' in client.get(reverse("events:figures")).content.decode()
    detail = client.get(reverse("events:event-detail", args=[event.pk])).content.decode()
    assert 'id="synthetic-note"' in detail
    assert 'id="organisers-unconfirmed"' in detail
    assert "giả lập" in workbook_text(event_report_xlsx(event))
    assert "giả lập" in pdf_text(event_report_pdf(event))
    rule = IndicatorRule.objects.get(indicator__code="1.2.I2")
    page = client.get(reverse("admin:events_indicatorrule_change", args=[rule.pk])).content.decode()
    assert REAL[0] in page and REAL[1] in page


def test_figures_of_real_participants_only_carry_no_synthetic_note(demo_data, client):
    from django.urls import reverse

    from events.models import Event

    client.force_login(get_user_model().objects.get(username="coordinator"))
    Event.objects.update(synthetic_participants=False)
    assert 'id="synthetic-note"' not in client.get(reverse("events:figures")).content.decode()


def workbook_text(content: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return " ".join(str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
