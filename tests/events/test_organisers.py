"""The organisers' loose ends (issue 7 §3): corrections and withdrawals, days that have begun,
certificates with numbers, registration that presets nothing and happens once, cheap check-in taps,
comments that reach the organiser, Vietnamese name order, bounded events, the admin through services."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from events import exports, selectors, services
from events.forms import EventForm, RegistrationForm
from events.importing import ParticipantImporter
from events.models import MAX_EVENT_DAYS, Attendance, Certificate, Event, EventType, IndicatorRule, Participation, Person, RegistrationStatus, Sector
from napwps.history import render_reason
from planning import roles
from planning.models import DeliveryPlan, IndicatorPeriod, Organisation
from tests.events.test_import import person_row, upload
from tests.factories import AttendanceFactory, EventFactory, FeedbackFactory, IndicatorFactory, ParticipationFactory, PersonFactory, UserFactory, coordinator

pytestmark = pytest.mark.django_db

PAST = (datetime.date(2025, 3, 10), datetime.date(2025, 3, 12))


@pytest.fixture
def organiser():
    user = UserFactory(username="organiser")
    user.groups.add(Group.objects.get(name=roles.ORGANISERS))
    return user


@pytest.fixture
def event(organiser, reference_data):
    return EventFactory(managers=[organiser], start_date=PAST[0], end_date=PAST[1])


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[index].iter_rows(values_only=True))


# 1. Correct or withdraw a registration --------------------------------------------------------


def test_a_misspelt_name_corrected_on_the_page_reaches_the_certificate_with_history(event, organiser, client):
    participation = ParticipationFactory(event=event, person=PersonFactory(full_name="Nguyen Thi Hông"))
    AttendanceFactory(participation=participation)
    client.force_login(organiser)
    url = reverse("events:participation-edit", args=[event.pk, participation.pk])
    assert client.get(url).status_code == 200

    data = {"full_name": "Nguyễn Thị Hồng", "sex": "female", "organisation": "Bộ Ngoại giao", "sector": Sector.GOVERNMENT, "role": "speaker"}
    assert client.post(url, data).status_code == 302

    participation.refresh_from_db()
    assert (participation.person.full_name, participation.role) == ("Nguyễn Thị Hồng", "speaker")
    assert participation.organisation == Organisation.objects.get(code="mofa")  # the one field names a known organisation
    latest = participation.history.first()
    assert latest.history_user == organiser and render_reason(latest.history_change_reason) == "Đã sửa thông tin đăng ký"
    assert "role" in latest.diff_against(latest.prev_record).changed_fields  # the history shows what was corrected
    text = pdf_text(client.post(reverse("events:certificates", args=[event.pk])).content)
    assert "Nguyễn Thị Hồng" in text and "Nguyen Thi Hông" not in text


def test_a_withdrawn_registration_leaves_lists_sheets_certificates_and_counts(event, organiser, client, django_capture_on_commit_callbacks):
    indicator = IndicatorFactory()
    DeliveryPlan.objects.create(plan=indicator.plan, year=2025)
    rule = IndicatorRule.objects.create(indicator=indicator)
    stays, leaves = (ParticipationFactory(event=event, person=PersonFactory(full_name=name)) for name in ("Lê Văn Ở", "Phạm Thị Đi"))
    for participation in (stays, leaves):
        AttendanceFactory(participation=participation)
    client.force_login(organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:participation-withdraw", args=[event.pk, leaves.pk]))
    assert response.status_code == 302

    leaves.refresh_from_db()
    assert leaves.status == RegistrationStatus.CANCELLED
    assert render_reason(leaves.history.first().history_change_reason) == "Đã rút đăng ký"  # stored as what happened, read in Vietnamese
    listing = client.get(reverse("events:participant-list", args=[event.pk]))
    assert [p.pk for p in listing.context["participations"]] == [stays.pk]
    assert [p.pk for p in listing.context["withdrawn"]] == [leaves.pk]
    checkin = client.get(reverse("events:checkin", args=[event.pk, event.start_date.isoformat()]))
    assert [p.pk for p in checkin.context["participations"]] == [stays.pk]
    sheet = pdf_text(client.get(reverse("events:sign-in-sheet", args=[event.pk, event.start_date.isoformat()])).content)
    assert "Lê Văn Ở" in sheet and "Phạm Thị Đi" not in sheet
    certificates = pdf_text(client.post(reverse("events:certificates", args=[event.pk])).content)
    assert "Lê Văn Ở" in certificates and "Phạm Thị Đi" not in certificates
    assert list(services.rule_participations(rule, 2025)) == [stays]
    assert IndicatorPeriod.objects.get(indicator=indicator).proposed_value == 1  # the count, for the agency to confirm
    # ... and a withdrawn person cannot be checked in
    with pytest.raises(ValidationError):
        services.attendance_set(participation=leaves, day=event.days[1], present=True, user=organiser)

    client.post(reverse("events:participation-reinstate", args=[event.pk, leaves.pk]))
    assert Participation.objects.get(pk=leaves.pk).status == RegistrationStatus.REGISTERED


def test_another_organisers_registration_cannot_be_corrected(event, client):
    other = UserFactory(username="other")
    other.groups.add(Group.objects.get(name=roles.ORGANISERS))
    participation = ParticipationFactory(event=event)
    client.force_login(other)
    assert client.get(reverse("events:participation-edit", args=[event.pk, participation.pk])).status_code == 404
    assert client.post(reverse("events:participation-withdraw", args=[event.pk, participation.pk])).status_code == 404
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied from the service itself
        services.participation_correct(participation=participation, user=other, full_name="X")


# 2. Days that have begun; certificates with number, date of issue and signatory ----------------


def test_check_in_for_a_day_to_come_answers_a_message_not_a_form(organiser, client, reference_data):
    today = datetime.date.today()
    event = EventFactory(managers=[organiser], start_date=today, end_date=today + datetime.timedelta(days=1))
    participation = ParticipationFactory(event=event)
    client.force_login(organiser)
    tomorrow = reverse("events:checkin", args=[event.pk, event.end_date.isoformat()])

    response = client.get(tomorrow)
    assert response.status_code == 409
    assert '<form method="post"' not in response.content.decode().split('id="not-yet"')[1]
    assert client.post(tomorrow, {"participation": participation.pk, "present": "1"}).status_code == 409
    assert not Attendance.objects.exists()
    with pytest.raises(ValidationError):
        services.attendance_set(participation=participation, day=event.end_date, present=True, user=organiser)
    assert client.get(reverse("events:checkin", args=[event.pk, today.isoformat()])).status_code == 200


def test_certificates_wait_for_the_last_day(organiser, client, reference_data):
    today = datetime.date.today()
    event = EventFactory(managers=[organiser], start_date=today, end_date=today + datetime.timedelta(days=1))
    AttendanceFactory(participation=ParticipationFactory(event=event))
    client.force_login(organiser)
    assert client.post(reverse("events:certificates", args=[event.pk])).status_code == 409
    assert not Certificate.objects.exists()
    assert 'id="certificates-not-yet"' in client.get(reverse("events:event-detail", args=[event.pk])).content.decode()


def test_certificates_carry_a_stable_number_a_date_of_issue_and_the_events_signatory(event, organiser, client):
    event.signatory_name, event.signatory_title = "Lê Thị Thu Hằng", "Vụ trưởng Vụ các Tổ chức quốc tế"
    event.save()
    first, second = (ParticipationFactory(event=event, person=PersonFactory(full_name=name)) for name in ("Trần Văn Bảo", "Hồ Thị Cúc"))
    for participation in (first, second):
        AttendanceFactory(participation=participation)
    client.force_login(organiser)

    content = client.post(reverse("events:certificates", args=[event.pk])).content
    assert len(PdfReader(io.BytesIO(content)).pages) == 2  # one page each, signature included
    text = pdf_text(content)
    numbers = dict(Certificate.objects.values_list("participation_id", "number"))
    assert sorted(numbers.values()) == [1, 2]
    assert numbers == {first.pk: 1, second.pk: 2}  # in name order: Bảo before Cúc
    assert f"001/{event.code}" in text and f"002/{event.code}" in text
    assert "Lê Thị Thu Hằng" in text and "Vụ trưởng Vụ các Tổ chức quốc tế" in text
    assert datetime.date.today().strftime("%d/%m/%Y") in text

    late = ParticipationFactory(event=event, person=PersonFactory(full_name="Đỗ Văn An"))  # sorts first, comes last
    AttendanceFactory(participation=late)
    client.post(reverse("events:certificates", args=[event.pk]))
    assert dict(Certificate.objects.values_list("participation_id", "number")) == {first.pk: 1, second.pk: 2, late.pk: 3}


# 3. The registration form -----------------------------------------------------------------------


def test_the_registration_form_presets_no_sex_or_sector_and_has_one_organisation_field(event, organiser, client):
    client.force_login(organiser)
    url = reverse("events:participant-create", args=[event.pk])
    form = client.get(url).context["form"]
    assert form["sex"].value() in (None, "") and form["sector"].value() in (None, "")
    assert "organisation" in form.fields and not {"organisation_name", "organisation_type", "same_person"} & set(form.fields)

    response = client.post(url, {"full_name": "Mai Anh", "organisation": "Báo Phụ nữ", "role": "participant"})
    assert response.status_code == 200
    assert {"sex", "sector"} <= set(response.context["form"].errors)
    assert "same_person" not in response.context["form"].fields  # no record shown, no box
    assert not Person.objects.filter(full_name="Mai Anh").exists()


def test_a_new_organisation_keeps_its_name_and_takes_its_type_from_the_sector(event, organiser):
    form = RegistrationForm(
        {"full_name": "Mai Anh", "sex": "female", "organisation": "Báo Phụ nữ Việt Nam", "sector": Sector.MEDIA, "role": "participant"},
        event=event, user=organiser,
    )  # fmt: skip
    assert form.is_valid(), form.errors
    participation = services.participant_register(event=event, user=organiser, person_fields=form.person_fields(), **form.participation_fields())
    assert (participation.organisation, participation.organisation_name, participation.organisation_type) == (None, "Báo Phụ nữ Việt Nam", 90)


def registration_form(event, organiser, typed) -> RegistrationForm:
    data = {"full_name": "Mai Anh", "sex": "female", "organisation": typed, "sector": Sector.UN_DIPLOMATIC, "role": "participant"}
    form = RegistrationForm(data, event=event, user=organiser)
    assert form.is_valid(), form.errors
    return form


@pytest.mark.parametrize("typed", ["UN Women", "un  women", "Co quan Lien hop quoc ve Binh dang gioi va Trao quyen cho phu nu"])
def test_the_registration_form_links_an_organisation_as_the_participant_import_does(event, organiser, typed):
    un_women = Organisation.objects.get(code="un-women")
    imported = ParticipantImporter(user=organiser, target=event).preview(participants_file([typed])).rows[0]

    assert registration_form(event, organiser, typed).organisation_fields() == {"organisation": un_women, "organisation_name": ""}
    assert (imported.values["organisation"], imported.values["organisation_name"]) == (un_women.pk, "")


def test_the_registration_form_keeps_as_typed_an_organisation_closed_before_the_event(event, organiser):
    closed = Organisation.objects.get(code="molisa")
    assert closed.active_to < event.start_date

    fields = registration_form(event, organiser, closed.name_vi).organisation_fields()

    assert fields == {"organisation": None, "organisation_name": closed.name_vi}
    assert selectors.organisations_named(closed.name_vi, day=closed.active_to) == [closed]


def participants_file(organisations):
    return upload([person_row(full_name=f"Người {index}", organisation=typed) for index, typed in enumerate(organisations)])


# 7. Feedback comments ---------------------------------------------------------------------------


def test_comments_reach_the_event_page_and_the_report(event, organiser, client):
    FeedbackFactory(event=event, comments="Cần thêm thời gian thảo luận nhóm")
    FeedbackFactory(event=event, comments="")
    client.force_login(organiser)
    assert "Cần thêm thời gian thảo luận nhóm" in client.get(reverse("events:event-detail", args=[event.pk])).content.decode()
    assert "Cần thêm thời gian thảo luận nhóm" in client.get(reverse("events:feedback-create", args=[event.pk])).content.decode()
    assert "Cần thêm thời gian thảo luận nhóm" in pdf_text(client.get(reverse("events:report-pdf", args=[event.pk])).content)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(reverse("events:report-xlsx", args=[event.pk])).content))
    comments = [row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) if "Cần thêm thời gian thảo luận nhóm" in row]
    assert comments == [(1, "Cần thêm thời gian thảo luận nhóm")]


def test_an_overlong_comment_gets_a_message_not_a_500(event, organiser, client):
    client.force_login(organiser)
    response = client.post(reverse("events:feedback-create", args=[event.pk]), {"satisfaction": "4", "relevance": "4", "comments": "x" * 5000})
    assert response.status_code == 200
    assert "comments" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.feedback_record(event=event, user=organiser, satisfaction=4, relevance=4, comments="x" * 5000)
    assert not event.feedback.exists()


# 8. Who is signed in, and a way out ---------------------------------------------------------------


def test_events_pages_show_who_is_signed_in_and_log_out_by_post(event, organiser, client):
    client.force_login(organiser)
    page = client.get(reverse("events:event-list")).content.decode()
    assert 'id="signed-in-as"' in page and "organiser" in page
    assert f'action="{reverse("admin:logout")}" method="post"' in page
    assert "site-header" in page
    client.post(reverse("admin:logout"))
    assert client.get(reverse("events:event-list")).status_code == 302


# 9. Vietnamese name order ---------------------------------------------------------------------------

NAMES = ["Vũ Thị Mai", "Nguyễn Thị Mai", "Lê Văn Anh", "Đặng Thị Mai"]
IN_ORDER = ["Lê Văn Anh", "Đặng Thị Mai", "Nguyễn Thị Mai", "Vũ Thị Mai"]  # by given name, then family name: Đ after D, before N


def test_people_are_listed_by_given_name_then_family_name_everywhere(event, organiser, client):
    for name in NAMES:
        AttendanceFactory(participation=ParticipationFactory(event=event, person=PersonFactory(full_name=name)))
    client.force_login(organiser)
    day = event.start_date.isoformat()

    def names(response, key="participations"):
        return [p.person.full_name for p in response.context[key]]

    assert names(client.get(reverse("events:participant-list", args=[event.pk]))) == IN_ORDER
    assert names(client.get(reverse("events:checkin", args=[event.pk, day]))) == IN_ORDER
    assert [participation.person.full_name for _form, participation in client.get(reverse("events:scores-edit", args=[event.pk])).context["rows"]] == IN_ORDER
    for content in (
        client.get(reverse("events:sign-in-sheet", args=[event.pk, day])).content,
        client.post(reverse("events:certificates", args=[event.pk])).content,
    ):
        text = pdf_text(content)
        assert sorted(IN_ORDER, key=text.index) == IN_ORDER
    rows = sheet_rows(client.get(reverse("events:participant-export", args=[event.pk])).content)
    assert [row[1] for row in rows[1:]] == IN_ORDER
    assert [person.full_name for person in Person.objects.filter(full_name__in=NAMES)] == IN_ORDER  # the model's own order


def test_the_sort_key_follows_a_corrected_name(event):
    person = PersonFactory(full_name="Trần Văn Bình")
    person.full_name = "Trần Văn An"
    person.save(update_fields=["full_name"])
    assert Person.objects.get(pk=person.pk).sort_name < PersonFactory(full_name="Bùi Thị Bình").sort_name


# 10. Event length ----------------------------------------------------------------------------------


def event_data(**overrides):
    data = {
        "code": "su-kien", "type": "training", "title_vi": "Tập huấn", "start_date": "2025-10-10", "end_date": "2025-10-12",
        "modality": "in_person", "organisers": [Organisation.objects.get(code="mofa").pk], "certificate_min_days": 2,
    }  # fmt: skip
    return {**data, **overrides}


def test_an_end_before_the_start_gets_one_clear_message(organiser, reference_data):
    form = EventForm(event_data(start_date="2025-10-10", end_date="2025-10-02", certificate_min_days=2))
    assert not form.is_valid()
    messages = [message for errors in form.errors.values() for message in errors]
    assert len(messages) == 1 and "-" not in messages[0]  # not also "The event has only -8 days"


def test_an_oversized_event_is_refused_by_the_form_and_by_the_service(organiser, client, reference_data):
    form = EventForm(event_data(start_date="0001-01-01", end_date="9999-12-31", certificate_min_days=1))
    assert not form.is_valid()
    assert list(form.errors) == ["end_date"]
    client.force_login(organiser)
    response = client.post(reverse("events:event-create"), event_data(start_date="2025-01-01", end_date="2025-02-01"))
    assert response.status_code == 200 and "end_date" in response.context["form"].errors
    with pytest.raises(ValidationError):
        services.event_create(user=organiser, organisers=[], type=EventType.TRAINING, code="x", title_vi="x",
                              start_date=datetime.date(1, 1, 1), end_date=datetime.date(9999, 12, 31))  # fmt: skip
    assert services.event_create(
        user=organiser, organisers=[], type=EventType.TRAINING, code="thirty-one", title_vi="x",
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 1, MAX_EVENT_DAYS),
    ).day_count == MAX_EVENT_DAYS  # fmt: skip
    assert not Event.objects.filter(code__in=["x", "su-kien"]).exists()


def test_the_database_refuses_an_oversized_event_and_days_stay_bounded(reference_data):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2025, 2, 1))
    assert len(Event(start_date=datetime.date(1, 1, 1), end_date=datetime.date(9999, 12, 31)).days) == MAX_EVENT_DAYS


# 11. A registration happens once --------------------------------------------------------------------


def test_a_double_post_of_the_registration_form_creates_one_person_and_one_participation(event, organiser, client):
    client.force_login(organiser)
    url = reverse("events:participant-create", args=[event.pk])
    data = {"full_name": "Hà Thị Lan", "sex": "female", "organisation": "Hội LHPN tỉnh Quảng Trị", "sector": Sector.WOMENS_MACHINERY, "role": "participant"}
    people = Person.objects.count()
    assert client.post(url, data).status_code == 302
    assert client.post(url, {**data, "full_name": "Hà  Thị Lan"}).status_code == 302  # the second click, spaces and all

    assert Person.objects.count() == people + 1
    assert event.participations.filter(person__full_name="Hà Thị Lan").count() == 1


def test_namesakes_told_apart_by_their_contacts_are_two_people(event, organiser):
    fields = {"sector": Sector.GOVERNMENT, "organisation_name": "Bộ Y tế"}
    first = services.participant_register(
        event=event, user=organiser, person_fields={"full_name": "Nguyễn Thị Mai", "sex": "female", "email": "mai1@example.org"}, **fields
    )
    second = services.participant_register(
        event=event, user=organiser, person_fields={"full_name": "Nguyễn Thị Mai", "sex": "female", "email": "mai2@example.org"}, **fields
    )
    assert first.pk != second.pk and not second.already_registered


# 5 and 6. A check-in tap: few queries, no empty history ---------------------------------------------


@pytest.fixture
def counted_event(event, django_capture_on_commit_callbacks):
    """30 people present on day 2 of an event an indicator counts, its figure computed (as after a commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        indicator = IndicatorFactory()
        DeliveryPlan.objects.create(plan=indicator.plan, year=2025)
        IndicatorRule.objects.create(indicator=indicator)
        for _ in range(30):
            AttendanceFactory(participation=ParticipationFactory(event=event), day=event.days[1])
    return event, indicator


def test_a_check_in_tap_costs_a_small_bounded_number_of_queries(
    counted_event, organiser, client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    event, indicator = counted_event
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = ParticipationFactory(event=event)
    client.force_login(organiser)
    url = reverse("events:checkin", args=[event.pk, event.start_date.isoformat()])
    # The tap and the recomputation after its commit, which here moves the figure (30 -> 31) and writes it.
    with django_assert_max_num_queries(32), django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"participation": newcomer.pk, "present": "1"}).status_code == 302
    assert IndicatorPeriod.objects.get(indicator=indicator).proposed_value == 31


def test_taps_that_do_not_move_the_figure_add_no_history(counted_event, organiser, client, django_capture_on_commit_callbacks):
    event, indicator = counted_event
    client.force_login(organiser)
    url = reverse("events:checkin", args=[event.pk, event.start_date.isoformat()])
    first, second = event.participations.all()[:2]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"participation": first.pk, "present": "1"})  # already counted (day 2): the figure stays 30
    period = IndicatorPeriod.objects.get(indicator=indicator)
    history = period.history.count()
    for participation in (first, second):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"participation": participation.pk, "present": "1" if participation == second else "0"})
    assert period.history.count() == history
    assert IndicatorPeriod.objects.get(indicator=indicator).proposed_value == 30


def test_every_computed_breakdown_value_has_its_history_from_the_first(counted_event):
    from planning.models import DisaggregatedValue

    _event, indicator = counted_event
    services.indicators_recompute()
    values = DisaggregatedValue.objects.filter(period__indicator=indicator)
    assert values.exists()
    for value in values:
        first = value.history.earliest()
        assert first.history_type == "+" and render_reason(first.history_change_reason) == "Tính từ dữ liệu tham dự sự kiện"


def test_the_recomputation_runs_once_per_transaction(counted_event, organiser, django_capture_on_commit_callbacks, monkeypatch):
    event, _indicator = counted_event
    runs = []
    real = services.indicators_recompute
    monkeypatch.setattr(services, "indicators_recompute", lambda **kwargs: runs.append(kwargs) or real(**kwargs))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for participation in event.participations.all()[:5]:
            services.attendance_set(participation=participation, day=event.start_date, present=True, user=organiser)
    assert runs == [{"years": {2025}}]  # once, for the event's year only


# 12. The admin saves through the services ------------------------------------------------------------


def test_the_events_admin_saves_and_deletes_through_the_services(event, client, monkeypatch):
    calls = []
    for name in ("event_update", "event_delete", "participation_save", "agenda_save"):
        real = getattr(services, name)
        monkeypatch.setattr(services, name, lambda *args, _real=real, _name=name, **kwargs: calls.append(_name) or _real(*args, **kwargs))
    client.force_login(coordinator())
    participation = ParticipationFactory(event=event)
    response = client.post(
        reverse("admin:events_participation_change", args=[participation.pk]),
        {
            "event": event.pk,
            "person": participation.person.pk,
            "sector": Sector.MEDIA,
            "role": "participant",
            "status": "registered",
            "organisation_name": "Báo",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Participation.objects.get(pk=participation.pk).sector == Sector.MEDIA

    form = client.get(reverse("admin:events_event_change", args=[event.pk])).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, [])}
    data |= {name: [getattr(item, "pk", item) for item in value] for name, value in data.items() if isinstance(value, list)}
    data |= {"title_vi": "Đổi tên trong trang quản trị", "start_date": "2025-03-10", "end_date": "2025-03-12",
             "organisers": [o.pk for o in event.organisers.all()], "audience": "[]", "sessions-TOTAL_FORMS": 0, "sessions-INITIAL_FORMS": 0}  # fmt: skip
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Event.objects.get(pk=event.pk).title_vi == "Đổi tên trong trang quản trị"

    client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})
    assert not Event.objects.filter(pk=event.pk).exists()
    assert calls[:1] == ["participation_save"] and {"event_update", "agenda_save", "event_delete"} <= set(calls)


# 13. Shared reads ------------------------------------------------------------------------------------


def test_event_registrations_leave_out_the_withdrawn_and_put_names_in_order(event):
    for name in NAMES:
        ParticipationFactory(event=event, person=PersonFactory(full_name=name))
    ParticipationFactory(event=event, person=PersonFactory(full_name="An Văn Rút"), status=RegistrationStatus.CANCELLED)
    assert [p.person.full_name for p in selectors.event_registrations(event)] == IN_ORDER
    assert [p.person.full_name for p in selectors.event_registrations(event, withdrawn=True)] == ["An Văn Rút"]
    assert [row[1] for row in exports.participant_rows(event)] == [*IN_ORDER, "An Văn Rút"]  # the Excel list says who withdrew


def test_a_coordinator_adds_an_event_with_its_agenda_in_the_admin(reference_data, client):
    user = coordinator()
    client.force_login(user)
    data = {
        "code": "admin-event", "type": "workshop", "title_vi": "Hội thảo thêm trong trang quản trị", "start_date": "2025-05-05", "end_date": "2025-05-06",
        "modality": "in_person", "organisers": [Organisation.objects.get(code="mofa").pk], "audience": "[]", "certificate_min_days": 1,
        "sessions-TOTAL_FORMS": 1, "sessions-INITIAL_FORMS": 0,
        "sessions-0-day": "2025-05-05", "sessions-0-start_time": "08:30", "sessions-0-end_time": "10:00", "sessions-0-title_vi": "Khai mạc",
    }  # fmt: skip
    response = client.post(reverse("admin:events_event_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = Event.objects.get(code="admin-event")
    assert list(event.sessions.values_list("title_vi", flat=True)) == ["Khai mạc"]
    assert user in event.managers.all() and event.history.first().history_user == user  # as event_create does it


def test_a_check_in_tap_naming_no_registration_answers_404(event, organiser, client):
    client.force_login(organiser)
    url = reverse("events:checkin", args=[event.pk, event.start_date.isoformat()])
    for chosen in ("²", "abc", "999999999"):
        assert client.post(url, {"participation": chosen, "present": "1"}).status_code == 404


def test_service_messages_write_dates_the_readers_way(organiser, reference_data):
    from django.utils import translation

    event = EventFactory(managers=[organiser], start_date=datetime.date(2999, 1, 2), end_date=datetime.date(2999, 1, 3))
    participation = ParticipationFactory(event=event)
    for language, day in (("vi", "02/01/2999"), ("en", "2 Jan 2999")):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            services.attendance_set(participation=participation, day=event.start_date, present=True, user=organiser)
        assert day in " ".join(refused.value.messages)
