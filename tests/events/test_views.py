"""The organisers' pages answer, validate beside the field, and keep query counts flat."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from events.models import Attendance, Event, Feedback, Participation, Person, Sector
from planning import roles
from tests.factories import AttendanceFactory, EventFactory, ParticipationFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    user = UserFactory(username="organiser")
    user.groups.add(Group.objects.get(name=roles.ORGANISERS))
    return user


@pytest.fixture
def event(organiser, reference_data):
    return EventFactory(managers=[organiser])


def test_every_event_page_answers_for_its_organiser(event, organiser, client):
    AttendanceFactory(participation=ParticipationFactory(event=event))
    client.force_login(organiser)
    day = event.start_date.isoformat()
    pages = [
        reverse("events:event-list"), reverse("events:figures"), reverse("events:event-create"),
        *(reverse(f"events:{name}", args=[event.pk]) for name in (
            "event-detail", "event-update", "agenda-edit", "participant-list", "participant-create", "participant-import",
            "import-template", "participant-export", "follow-up-export", "scores-edit", "feedback-create", "report-pdf", "report-xlsx",
        )),
        reverse("events:checkin", args=[event.pk, day]), reverse("events:sign-in-sheet", args=[event.pk, day]),
    ]  # fmt: skip
    assert {url: client.get(url).status_code for url in pages} == dict.fromkeys(pages, 200)
    assert client.post(reverse("events:certificates", args=[event.pk])).status_code == 200  # issuing numbers is a change: POST


def test_a_day_outside_the_event_is_not_found(event, organiser, client):
    client.force_login(organiser)
    assert client.get(reverse("events:checkin", args=[event.pk, "2030-01-01"])).status_code == 404
    assert client.get(reverse("events:checkin", args=[event.pk, "not-a-date"])).status_code == 404


def test_organiser_creates_an_event_and_becomes_its_staff(organiser, client, reference_data):
    from planning.models import Organisation, Province

    client.force_login(organiser)
    data = {
        "code": "tap-huan-2025", "type": "training", "title_vi": "Tập huấn về PN, HB&AN", "start_date": "2025-10-01", "end_date": "2025-10-02",
        "province": Province.objects.get(code="01").pk, "modality": "in_person", "organisers": [Organisation.objects.get(code="mofa").pk],
        "audience": ["government", "media"], "certificate_min_days": 2,
    }  # fmt: skip
    response = client.post(reverse("events:event-create"), data)
    event = Event.objects.get(code="tap-huan-2025")
    assert response.status_code == 302
    assert organiser in event.managers.all()
    assert event.audience == ["government", "media"]


def test_event_form_shows_errors_beside_the_fields(organiser, client, reference_data):
    from planning.models import Organisation, Province

    client.force_login(organiser)
    old_da_nang = Province.objects.get(code="49")  # Quảng Nam, merged on 1 July 2025
    data = {
        "code": "bad", "type": "training", "title_vi": "x", "start_date": "2025-10-02", "end_date": "2025-10-01", "province": old_da_nang.pk,
        "modality": "in_person", "organisers": [Organisation.objects.get(code="mofa").pk], "certificate_min_days": 1,
    }  # fmt: skip
    response = client.post(reverse("events:event-create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end_date" in errors
    assert not Event.objects.filter(code="bad").exists()


def test_registering_someone_who_may_already_exist_asks_first(event, organiser, client):
    existing = PersonFactory(full_name="Nguyễn Thị Hồng", email="hong@example.org")
    ParticipationFactory(person=existing, event=EventFactory(managers=[organiser]))  # met at another of their events
    client.force_login(organiser)
    url = reverse("events:participant-create", args=[event.pk])
    data = {
        "full_name": "Nguyễn T. Hồng",
        "sex": "female",
        "email": "HONG@example.org",
        "organisation": "Hội LHPN",
        "sector": Sector.WOMENS_MACHINERY,
        "role": "participant",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "same_person" in response.context["form"].errors
    assert "Nguyễn Thị Hồng" in response.content.decode()
    assert not event.participations.exists()

    response = client.post(url, {**data, "same_person": "on"})
    assert response.status_code == 302
    assert event.participations.get().person == existing
    assert Person.objects.count() == 1


def test_check_in_marks_and_unmarks_a_person(event, organiser, client):
    participation = ParticipationFactory(event=event)
    client.force_login(organiser)
    url = reverse("events:checkin", args=[event.pk, event.start_date.isoformat()])
    client.post(url, {"participation": participation.pk, "present": "1"})
    assert Attendance.objects.filter(participation=participation, day=event.start_date).count() == 1
    client.post(url, {"participation": participation.pk, "present": "1"})
    assert Attendance.objects.filter(participation=participation).count() == 1
    client.post(url, {"participation": participation.pk, "present": "0"})
    assert not Attendance.objects.exists()


def test_scores_and_feedback_are_recorded_by_form(event, organiser, client):
    participation = ParticipationFactory(event=event)
    client.force_login(organiser)
    data = {
        "form-TOTAL_FORMS": 1,
        "form-INITIAL_FORMS": 1,
        "form-0-participation": participation.pk,
        "form-0-pre_test_score": "45",
        "form-0-post_test_score": "80",
    }
    assert client.post(reverse("events:scores-edit", args=[event.pk]), data).status_code == 302
    participation.refresh_from_db()
    assert (participation.pre_test_score, participation.post_test_score) == (Decimal(45), Decimal(80))

    bad = client.post(reverse("events:scores-edit", args=[event.pk]), {**data, "form-0-post_test_score": "120"})
    assert bad.status_code == 200
    assert "post_test_score" in bad.context["formset"].forms[0].errors

    client.post(reverse("events:feedback-create", args=[event.pk]), {"satisfaction": "5", "relevance": "4", "comments": "Rất hữu ích"})
    assert Feedback.objects.get(event=event).satisfaction == 5


@pytest.mark.parametrize("name", ["participant-list", "event-detail", "checkin", "scores-edit"])
def test_event_pages_keep_their_query_count_as_participants_grow(event, organiser, client, django_assert_max_num_queries, name):
    args = [event.pk, event.start_date.isoformat()] if name == "checkin" else [event.pk]
    url = reverse(f"events:{name}", args=args)

    def grow(count):
        for _ in range(count):
            AttendanceFactory(participation=ParticipationFactory(event=event))

    grow(5)
    client.force_login(organiser)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    grow(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_event_list_and_figures_keep_their_query_count(organiser, client, django_assert_max_num_queries, reference_data):
    for day in range(1, 4):
        event = EventFactory(managers=[organiser], start_date=datetime.date(2025, 1, day), end_date=datetime.date(2025, 1, day))
        AttendanceFactory(participation=ParticipationFactory(event=event))
    client.force_login(organiser)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("events:event-list"))
        client.get(reverse("events:figures"))
    for day in range(4, 20):
        EventFactory(managers=[organiser], start_date=datetime.date(2025, 1, day), end_date=datetime.date(2025, 1, day))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("events:event-list"))
        client.get(reverse("events:figures"))


def test_agenda_sessions_are_added_changed_and_deleted(event, organiser, client):
    from events.models import Session

    kept, dropped = (Session.objects.create(event=event, day=event.start_date, start_time=t, end_time=e, title_vi=n) for t, e, n in (
        (datetime.time(8), datetime.time(9), "Khai mạc"), (datetime.time(9), datetime.time(10), "Bỏ"),
    ))  # fmt: skip
    client.force_login(organiser)
    prefix = "sessions"
    data = {f"{prefix}-TOTAL_FORMS": 3, f"{prefix}-INITIAL_FORMS": 2}
    for index, session in enumerate((kept, dropped)):
        data |= {f"{prefix}-{index}-id": session.pk, f"{prefix}-{index}-day": session.day.isoformat(), f"{prefix}-{index}-start_time": "08:00",
                 f"{prefix}-{index}-end_time": "09:00", f"{prefix}-{index}-title_vi": session.title_vi}  # fmt: skip
    data |= {f"{prefix}-0-title_vi": "Khai mạc chính thức", f"{prefix}-1-DELETE": "on"}
    data |= {
        f"{prefix}-2-day": event.days[1].isoformat(),
        f"{prefix}-2-start_time": "13:30",
        f"{prefix}-2-end_time": "15:00",
        f"{prefix}-2-title_vi": "Thảo luận",
    }

    response = client.post(reverse("events:agenda-edit", args=[event.pk]), data)

    assert response.status_code == 302
    assert list(event.sessions.values_list("title_vi", flat=True)) == ["Khai mạc chính thức", "Thảo luận"]


def test_a_session_outside_the_event_days_is_refused_beside_its_day(event, organiser, client):
    client.force_login(organiser)
    data = {"sessions-TOTAL_FORMS": 1, "sessions-INITIAL_FORMS": 0, "sessions-0-day": "2031-01-01", "sessions-0-start_time": "08:00",
            "sessions-0-end_time": "09:00", "sessions-0-title_vi": "Sai ngày"}  # fmt: skip
    response = client.post(reverse("events:agenda-edit", args=[event.pk]), data)
    assert response.status_code == 200
    assert "day" in response.context["formset"].forms[0].errors
    assert not event.sessions.exists()


def test_organiser_edits_their_event(event, organiser, client):
    from planning.models import Organisation

    client.force_login(organiser)
    data = {
        "code": event.code, "type": event.type, "title_vi": "Hội thảo đã đổi tên", "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(), "modality": "hybrid", "organisers": [Organisation.objects.get(code="mofa").pk], "certificate_min_days": 2,
    }  # fmt: skip
    response = client.post(reverse("events:event-update", args=[event.pk]), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_vi, event.modality, event.certificate_min_days) == ("Hội thảo đã đổi tên", "hybrid", 2)
    assert event.history.first().history_user == organiser


def test_figures_name_categories_instead_of_codes(event, organiser, client):
    from planning.models import Province

    AttendanceFactory(participation=ParticipationFactory(event=event, person=PersonFactory(sex="female"), province=Province.objects.get(code="01")))
    client.force_login(organiser)
    page = client.get(reverse("events:figures")).content.decode()
    assert "Hà Nội (01)" in page
    assert ">Nữ<" in page and ">female<" not in page


@pytest.mark.parametrize("typed", ["dang thi", "ĐẶNG THỊ", "Đặng", "hong"])
def test_check_in_finds_a_name_typed_without_diacritics_or_in_capitals(event, organiser, client, typed):
    hong = ParticipationFactory(event=event, person=PersonFactory(full_name="Đặng Thị Hồng"))
    ParticipationFactory(event=event, person=PersonFactory(full_name="Lê Văn Nam"))
    client.force_login(organiser)
    response = client.get(reverse("events:checkin", args=[event.pk, event.start_date.isoformat()]), {"q": typed})
    assert [participation.pk for participation in response.context["participations"]] == [hong.pk]


def test_check_in_and_list_warn_about_people_who_refused_photos(event, organiser, client):
    ParticipationFactory(event=event, person=PersonFactory(full_name="Trần Thu Hà"), consent_photos=False)
    ParticipationFactory(event=event, person=PersonFactory(full_name="Lê Minh Anh"), consent_photos=True)
    client.force_login(organiser)
    for url in (reverse("events:checkin", args=[event.pk, event.start_date.isoformat()]), reverse("events:participant-list", args=[event.pk])):
        page = client.get(url).content.decode()
        assert page.count("no-photos") == 1
        assert page.index("Lê Minh Anh") < page.index("Trần Thu Hà") < page.index("no-photos")  # in Hà's row, the last one


def test_registration_records_disability_answers_and_the_organisations_type_at_the_time(event, organiser, client):
    from planning.models import Organisation

    mofa = Organisation.objects.get(code="mofa")
    client.force_login(organiser)
    data = {
        "full_name": "Hoàng Văn Tú", "sex": "male", "organisation": mofa.name_vi, "sector": Sector.GOVERNMENT, "role": "participant",
        "wg_seeing": "3", "wg_walking": "1",
    }  # fmt: skip
    assert client.post(reverse("events:participant-create", args=[event.pk]), data).status_code == 302
    participation = Participation.objects.get(event=event)
    assert participation.organisation_type == mofa.type
    assert (participation.person.wg_seeing, participation.person.wg_walking, participation.person.wg_hearing) == (3, 1, None)
    assert participation.person.has_disability is True

    mofa.type = 15
    mofa.save()
    participation.refresh_from_db()
    assert participation.organisation_type == 10  # kept as it was when they came


def test_check_in_per_session_counts_towards_the_day(event, organiser, client):
    from events import selectors
    from tests.factories import SessionFactory

    morning = SessionFactory(event=event, day=event.start_date, start_time=datetime.time(8, 30), end_time=datetime.time(10))
    afternoon = SessionFactory(event=event, day=event.start_date, start_time=datetime.time(14), end_time=datetime.time(16))
    participation = ParticipationFactory(event=event)
    client.force_login(organiser)
    url = reverse("events:checkin", args=[event.pk, event.start_date.isoformat()])

    response = client.post(url, {"participation": participation.pk, "present": "1", "session": morning.pk})
    assert response.url.endswith(f"?session={morning.pk}#p-{participation.pk}")  # back at the person's row
    client.post(url, {"participation": participation.pk, "present": "1", "session": afternoon.pk})
    assert set(Attendance.objects.values_list("session", flat=True)) == {morning.pk, afternoon.pk}
    assert selectors.event_participants(event).get().days_present == 1
    assert [p.present for p in client.get(url, {"session": morning.pk}).context["participations"]] == [1]

    client.post(url, {"participation": participation.pk, "present": "0", "session": morning.pk})
    assert list(Attendance.objects.values_list("session", flat=True)) == [afternoon.pk]
    assert selectors.event_participants(event).get().days_present == 1


def test_organiser_adds_a_colleague_to_the_events_staff_and_stays_on_it(event, organiser, client):
    colleague = UserFactory(username="colleague")
    colleague.groups.add(Group.objects.get(name=roles.ORGANISERS))
    client.force_login(organiser)
    form = client.get(reverse("events:event-update", args=[event.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        start_date=event.start_date.isoformat(), end_date=event.end_date.isoformat(), organisers=[o.pk for o in event.organisers.all()], managers=[colleague.pk]
    )

    assert client.post(reverse("events:event-update", args=[event.pk]), data).status_code == 302

    assert set(event.managers.all()) == {organiser, colleague}
    client.force_login(colleague)
    assert client.get(reverse("events:participant-list", args=[event.pk])).status_code == 200


def test_deleting_or_moving_a_session_keeps_its_people_present_that_day(event, organiser):
    from events import selectors, services
    from tests.factories import SessionFactory

    morning = SessionFactory(event=event, day=event.start_date)
    afternoon = SessionFactory(event=event, day=event.start_date, start_time=datetime.time(14), end_time=datetime.time(16))
    hoa, nam = ParticipationFactory(event=event), ParticipationFactory(event=event)
    services.attendance_set(participation=hoa, day=event.start_date, session=morning, present=True, user=organiser)
    services.attendance_set(participation=nam, day=event.start_date, session=afternoon, present=True, user=organiser)

    services.agenda_save(event=event, user=organiser, sessions=[], deleted=[morning])
    afternoon.day = event.days[1]
    afternoon.save()

    assert set(Attendance.objects.values_list("participation", "day", "session")) == {(hoa.pk, event.start_date, None), (nam.pk, event.start_date, None)}
    assert {p.pk: p.days_present for p in selectors.event_participants(event)} == {hoa.pk: 1, nam.pk: 1}
