"""Personal data is seen only by the event's organising staff and coordinators."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events import selectors, services
from events.models import Attendance, Participation, Person
from napwps.history import render_reason
from planning import roles
from planning.models import PREVIEW_LIFETIME, ImportPreview
from tests.factories import AttendanceFactory, EventFactory, ParticipationFactory, PersonFactory, UserFactory, coordinator

pytestmark = pytest.mark.django_db


def organiser(username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=roles.ORGANISERS))
    return user


@pytest.fixture
def two_events():
    alice, bob = organiser("alice"), organiser("bob")
    return EventFactory(managers=[alice]), EventFactory(managers=[bob]), alice, bob


def test_organiser_sees_only_their_own_events_participants(two_events):
    own, other, alice, _bob = two_events
    mine = ParticipationFactory(event=own)
    ParticipationFactory(event=other)
    assert list(selectors.participations_of(alice)) == [mine]
    assert set(selectors.visible_events(coordinator())) == {own, other}


@pytest.mark.parametrize(
    "name",
    [
        "event-detail",
        "participant-list",
        "participant-export",
        "follow-up-export",
        "participant-import",
        "scores-edit",
        "certificates",
        "report-pdf",
        "report-xlsx",
    ],
)
def test_organiser_cannot_open_another_organisers_event_pages(two_events, client, name):
    _own, other, alice, _bob = two_events
    client.force_login(alice)
    assert client.get(reverse(f"events:{name}", args=[other.pk])).status_code == 404


def test_organiser_cannot_check_someone_in_at_another_organisers_event(two_events, client):
    _own, other, alice, _bob = two_events
    participation = ParticipationFactory(event=other)
    client.force_login(alice)
    url = reverse("events:checkin", args=[other.pk, other.start_date.isoformat()])
    assert client.post(url, {"participation": participation.pk, "present": "1"}).status_code == 404
    assert not Attendance.objects.exists()


def test_anonymous_users_are_sent_to_log_in(two_events, client):
    own, *_ = two_events
    response = client.get(reverse("events:participant-list", args=[own.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_anonymisation_removes_names_and_keeps_the_counts():
    old = EventFactory(start_date=datetime.date(2024, 8, 8), end_date=datetime.date(2024, 8, 9))
    recent = EventFactory(start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 3, 1))
    gone, still = PersonFactory(full_name="Nguyễn Thị Hồng", phone="0912345678"), PersonFactory(full_name="Trần Văn Nam")
    AttendanceFactory(participation=ParticipationFactory(event=old, person=gone, position="Vụ trưởng"))
    AttendanceFactory(participation=ParticipationFactory(event=old, person=still))
    AttendanceFactory(participation=ParticipationFactory(event=recent, person=still))
    before = selectors.people_figures(selectors.counted_participations())

    out = io.StringIO()
    call_command("anonymise_participants", "--before", "2025-01-01", "--yes", stdout=out)

    gone.refresh_from_db()
    assert "Nguyễn Thị Hồng" not in gone.full_name and gone.email == "" and gone.phone == "" and gone.anonymised_on
    assert Person.objects.get(pk=still.pk).full_name == "Trần Văn Nam"
    assert Participation.objects.get(person=gone).position == ""
    assert not Participation.history.filter(person_id=gone.pk, position="Vụ trưởng").exists()
    after = selectors.people_figures(selectors.counted_participations())
    assert (after.total, after.by) == (before.total, before.by)
    assert "1" in out.getvalue()


def test_anonymisation_asks_for_confirmation(monkeypatch):
    event = EventFactory(start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2024, 1, 1))
    person = PersonFactory(full_name="Lê Thị Mai")
    ParticipationFactory(event=event, person=person)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    call_command("anonymise_participants", "--before", "2025-01-01", stdout=io.StringIO())
    person.refresh_from_db()
    assert person.full_name == "Lê Thị Mai"


def test_merging_people_is_deliberate_and_keeps_their_events():
    first, second = EventFactory(), EventFactory(start_date=datetime.date(2025, 5, 5), end_date=datetime.date(2025, 5, 5))
    keep, duplicate = PersonFactory(email="hong@example.org"), PersonFactory(email="", phone="0912345678")
    ParticipationFactory(event=first, person=keep)
    ParticipationFactory(event=second, person=duplicate)
    assert selectors.matching_people(phone="+84 912 345 678") == [duplicate]

    services.person_merge(keep=keep, duplicate=duplicate, user=coordinator())

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert keep.participations.count() == 2
    keep.refresh_from_db()
    assert keep.phone == "0912345678"


def test_organisers_cannot_browse_people_in_the_admin(two_events, client):
    _own, _other, alice, _bob = two_events
    client.force_login(alice)
    assert client.get(reverse("admin:events_person_changelist")).status_code == 403
    assert client.get(reverse("admin:events_participation_changelist")).status_code == 403
    client.force_login(coordinator())
    assert client.get(reverse("admin:events_person_changelist")).status_code == 200


def test_registering_a_contact_known_from_another_organisers_event_neither_reveals_nor_links_the_person(two_events, client):
    own, other, alice, _bob = two_events
    ParticipationFactory(event=other, person=PersonFactory(full_name="Bùi Hồng Phương", email="phuong@example.org"))
    client.force_login(alice)
    data = {"full_name": "P. Bùi", "sex": "female", "email": "phuong@example.org", "organisation": "Báo Phụ nữ", "sector": "media", "role": "participant"}

    response = client.post(reverse("events:participant-create", args=[own.pk]), data, follow=True)

    page = response.content.decode()
    assert "Bùi Hồng Phương" not in page
    assert "P. Bùi" in page
    registered = own.participations.get().person
    assert registered.full_name == "P. Bùi"
    assert registered.pk != other.participations.get().person.pk  # a new record, for a coordinator to merge
    assert [[person.full_name for person in group] for group in selectors.possible_duplicates()] == [["Bùi Hồng Phương", "P. Bùi"]]


def test_a_merge_refuses_organisers_who_do_not_run_every_event_of_both_records(two_events):
    own, other, alice, _bob = two_events
    keep, duplicate = PersonFactory(phone="0912345678"), PersonFactory(email="", phone="0912345678")
    ParticipationFactory(event=own, person=keep)
    ParticipationFactory(event=other, person=duplicate)
    with pytest.raises(PermissionDenied):
        services.person_merge(keep=keep, duplicate=duplicate, user=alice)
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_coordinator_lists_possible_duplicates_compares_and_merges_them(two_events, client):
    own, other, _alice, _bob = two_events
    keep = PersonFactory(full_name="Nguyễn Thị Hồng", email="Hong@Example.org", phone="")
    by_email = PersonFactory(full_name="Nguyễn T. Hồng", email="hong@example.org", phone="0912345678")
    by_phone = PersonFactory(full_name="Hồng Nguyễn", email="", phone="0912345678")
    PersonFactory(full_name="Someone Else", email="else@example.org")
    ParticipationFactory(event=own, person=keep)
    moved = ParticipationFactory(event=other, person=by_email)
    client.force_login(coordinator())

    listing = client.get(reverse("events:people-duplicates"))
    assert [[person.pk for person in group] for group in listing.context["groups"]] == [[keep.pk, by_email.pk, by_phone.pk]]

    url = reverse("events:person-merge")
    comparison = client.get(url, {"keep": keep.pk, "duplicate": by_email.pk})
    assert comparison.status_code == 200
    assert Person.objects.filter(pk=by_email.pk).exists()  # looking never merges

    response = client.post(url, {"keep": keep.pk, "duplicate": by_email.pk})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=by_email.pk).exists()
    moved.refresh_from_db()
    assert moved.person == keep
    assert render_reason(moved.history.first().history_change_reason) == f"Gộp người #{by_email.pk} vào #{keep.pk}"
    keep.refresh_from_db()
    assert keep.phone == "0912345678"


def test_organisers_cannot_open_the_duplicates_or_merge_pages(two_events, client):
    _own, _other, alice, _bob = two_events
    keep, duplicate = PersonFactory(phone="0912345678"), PersonFactory(email="", phone="0912345678")
    client.force_login(alice)
    assert client.get(reverse("events:people-duplicates")).status_code == 403
    assert client.post(reverse("events:person-merge"), {"keep": keep.pk, "duplicate": duplicate.pk}).status_code == 403
    assert Person.objects.filter(pk=duplicate.pk).exists()


def test_possible_duplicates_join_people_linked_through_one_another():
    a = PersonFactory(full_name="A", email="lan@example.org", phone="")
    b = PersonFactory(full_name="B", email="", phone="0912000111")
    c = PersonFactory(full_name="C", email="LAN@example.org", phone="+84 912 000 111")
    PersonFactory(full_name="D", email="other@example.org", phone="0988000000")

    assert [[person.pk for person in group] for group in selectors.possible_duplicates()] == [[a.pk, b.pk, c.pk]]


# Anonymisation leaves nothing behind ----------------------------------------------------------

NAME, EMAIL, PHONE = "Vương Thị Bích Ngọc", "bichngoc.vuong@example.org", "0987654321"


def everything_in_the_database() -> str:
    """Every row of every table as text, JSON-escaped text included, and every session decoded."""
    import json

    from django.contrib.sessions.models import Session as StoredSession
    from django.db import connection

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    parts = [dump.getvalue()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                parts.append(" ".join(bytes(value).decode("utf-8", "replace") if isinstance(value, bytes | memoryview) else str(value) for value in row))
    parts.extend(json.dumps(stored.get_decoded(), ensure_ascii=False) for stored in StoredSession.objects.all())
    return "\n".join(parts)


def traces_of_the_person(text: str) -> list[str]:
    import json

    forms = {NAME, EMAIL, PHONE, json.dumps(NAME)[1:-1], "Bích Ngọc"}
    return [form for form in forms if form in text]


def test_after_anonymisation_no_name_or_contact_is_anywhere_in_the_database(client):
    import json

    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.sessions.backends.db import SessionStore

    from events.models import Feedback, Session
    from tests.factories import FeedbackFactory, SessionFactory

    old = EventFactory(start_date=datetime.date(2024, 8, 8), end_date=datetime.date(2024, 8, 9))
    deleted = EventFactory(start_date=datetime.date(2024, 5, 5), end_date=datetime.date(2024, 5, 5))
    person = PersonFactory(full_name=NAME, email=EMAIL, phone=PHONE)
    left_without_event = PersonFactory(full_name="Lò Văn Bích Ngọc", email="lo@example.org", phone="0911222333")
    participation = ParticipationFactory(event=old, person=person, position="Phó Vụ trưởng", accessibility_needs="xe lăn")
    ParticipationFactory(event=deleted, person=left_without_event, position="Chuyên viên")
    participation.position = "Vụ trưởng"
    participation.save()  # a second history row
    FeedbackFactory(event=old, participation=participation, comments=f"Tôi là {NAME}, liên hệ {EMAIL} hoặc {PHONE}.")
    FeedbackFactory(event=old, comments=f"Chị {NAME} trình bày rất hay.")
    session = SessionFactory(event=old, day=old.start_date, speakers=f"{NAME} (Bộ Ngoại giao)")
    session.speakers = f"{NAME}, UN Women"
    session.save()
    user = coordinator()
    LogEntry.objects.log_actions(user.pk, [person], CHANGE, change_message=[{"changed": {"fields": ["email"]}}], single_object=True)
    LogEntry.objects.log_actions(
        user.pk,
        [old],
        CHANGE,
        change_message=[{"changed": {"name": "participation", "object": str(participation), "fields": ["position"]}}],
        single_object=True,
    )
    LogEntry.objects.log_actions(user.pk, [participation], CHANGE, change_message="", single_object=True)
    stored = SessionStore()
    stored[f"events-import-{old.pk}"] = {"rows": [{"full_name": NAME, "email": EMAIL, "phone": PHONE}]}
    stored["_language"] = "vi"
    stored.create()
    ImportPreview.objects.create(
        uploader=user, kind="events.participants", target_id=old.pk, file_sha256="0" * 64,
        expires=timezone.now() + PREVIEW_LIFETIME, data={"rows": [{"values": {"full_name": NAME, "email": EMAIL, "phone": PHONE}}]},
    )  # fmt: skip
    deleted.delete()
    assert traces_of_the_person(everything_in_the_database())  # the test can see them before

    call_command("anonymise_participants", "--before", "2025-01-01", "--yes", stdout=io.StringIO())

    everything = everything_in_the_database()
    assert traces_of_the_person(everything) == []
    assert "Lò Văn" not in everything and "0911222333" not in everything
    left_without_event.refresh_from_db()
    assert left_without_event.anonymised_on is not None
    assert Feedback.objects.filter(event=old).count() == 2  # the feedback stays, without the names
    assert "trình bày rất hay" in Feedback.objects.exclude(participation=participation).get().comments
    assert Session.objects.get(pk=session.pk).speakers.endswith(", UN Women")
    assert SessionStore(stored.session_key).load() == {"_language": "vi"}  # the session (and a login) stays
    assert not ImportPreview.objects.exists()
    assert json.loads(LogEntry.objects.get(content_type__model="event", object_id=str(old.pk)).change_message)[0]["changed"]["fields"] == ["position"]
