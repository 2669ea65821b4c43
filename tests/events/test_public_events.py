"""The public events list and event pages: anyone may read them; aggregates only, never a person."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.models import EventType, Role, Sex
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    FeedbackFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    ProvinceFactory,
    public_world,
)

pytestmark = pytest.mark.django_db

PAST_START = datetime.date(2025, 3, 10)


def url(name, *args, language="vi"):
    with translation.override(language):
        return reverse(name, args=args)


def attend(event, count, *, sex=Sex.FEMALE, role=Role.PARTICIPANT, **person):
    """`count` people of `sex` registered and present on the event's first day."""
    participations = []
    for _ in range(count):
        participation = ParticipationFactory(event=event, person=PersonFactory(sex=sex, **person), role=role)
        AttendanceFactory(participation=participation)
        participations.append(participation)
    return participations


@pytest.fixture
def event():
    return EventFactory(
        type=EventType.TRAINING, title_vi="Tập huấn WPS", title_en="WPS training", description_vi="Mô tả sự kiện",
        start_date=PAST_START, end_date=PAST_START + datetime.timedelta(days=1), province=ProvinceFactory(name_vi="Tỉnh Mẫu", name_en="Sample Province"),
        organisers=[OrganisationFactory(name_vi="Bộ Tổ chức Mẫu", name_en="Sample Ministry")],
    )  # fmt: skip


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_list_and_an_event_page_answer_anonymously_in_both_languages(client, event, language):
    listing = client.get(url("events:public-list", language=language))
    page = client.get(url("events:public-detail", event.pk, language=language))

    assert listing.status_code == 200 and page.status_code == 200
    assert url("events:public-detail", event.pk, language=language) in listing.content.decode()
    title = "WPS training" if language == "en" else "Tập huấn WPS"
    assert title in page.content.decode()
    assert "<h1" in page.content.decode() and page.content.decode().count("<h1") == 1


def test_the_list_shows_type_dates_province_and_organisers(client, event):
    html = client.get(url("events:public-list", language="en")).content.decode()

    assert "Training" in html
    assert "10/03/2025" in html or "10 Mar 2025" in html
    assert "Sample Province" in html
    assert "Sample Ministry" in html


def test_the_list_filters_by_year_and_type_in_the_url(client, event):
    other = EventFactory(type=EventType.LAUNCH, title_en="Launch of 2024", start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 5, 1))

    by_year = client.get(url("events:public-list", language="en"), {"year": 2024}).content.decode()
    by_type = client.get(url("events:public-list", language="en"), {"type": EventType.TRAINING}).content.decode()

    assert other.title_en in by_year and event.title_en not in by_year
    assert event.title_en in by_type and other.title_en not in by_type


def test_the_list_is_paginated_and_keeps_the_filters(client):
    for n in range(30):
        day = datetime.date(2025, 1, 1) + datetime.timedelta(days=n)
        EventFactory(type=EventType.FORUM, title_en=f"Forum {n:02d}", start_date=day, end_date=day)

    html = client.get(url("events:public-list", language="en"), {"type": EventType.FORUM}).content.decode()

    assert "1 / 2" in html
    assert "type=forum&amp;page=2" in html


def test_an_upcoming_event_shows_title_dates_and_place_only(client):
    start = timezone.localdate() + datetime.timedelta(days=30)
    upcoming = EventFactory(title_en="Future forum", description_en="UPCOMING-DESCRIPTION", start_date=start, end_date=start, venue_en="Hall A")
    attend(upcoming, 6)

    listing = client.get(url("events:public-list", language="en")).content.decode()
    page = client.get(url("events:public-detail", upcoming.pk, language="en")).content.decode()

    assert "Future forum" in listing and "upcoming" in listing
    assert "Hall A" in page and "UPCOMING-DESCRIPTION" not in page
    assert 'id="people-trained"' not in page


def test_no_personal_data_or_feedback_comment_reaches_the_public_pages(client, event):
    person = PersonFactory(full_name="Zyxwvu Plantedname", email="planted.person@leak.example", phone="0987 654 321")
    participation = ParticipationFactory(
        event=event, person=person, organisation_name="PLANTED-ORGANISATION-AS-WRITTEN", position="PLANTED-POSITION",
        pre_test_score=Decimal("12.5"), post_test_score=Decimal("87.5"),
    )  # fmt: skip
    AttendanceFactory(participation=participation)
    attend(event, 6)
    FeedbackFactory(event=event, participation=participation, comments="PLANTED-FEEDBACK-COMMENT")
    event.sessions.create(day=event.start_date, start_time=datetime.time(8), end_time=datetime.time(9), title_vi="Khai mạc", speakers="PLANTED-SPEAKER")

    for language in ("vi", "en"):
        for page in (url("events:public-list", language=language), url("events:public-detail", event.pk, language=language)):
            html = client.get(page).content.decode()
            for leak in ("Zyxwvu", "Plantedname", "planted.person@leak.example", "0987 654 321", "0987654321", "PLANTED-", "87,5", "87.5"):
                assert leak not in html, (page, leak)


def test_a_group_of_three_women_shows_as_fewer_than_five(client, event):
    attend(event, 3, sex=Sex.FEMALE)
    attend(event, 7, sex=Sex.MALE)

    html = client.get(url("events:public-detail", event.pk, language="en")).content.decode()

    sex_table = html.split('data-dimension="sex"')[1].split("</table>")[0]
    assert "&lt; 5" in sex_table
    assert 'id="figures-legend"' in html and "worked out by subtracting" in html


def test_numbers_of_people_by_sex_are_drawn_as_a_chart(client, event):
    attend(event, 6, sex=Sex.FEMALE)
    attend(event, 7, sex=Sex.MALE)

    html = client.get(url("events:public-detail", event.pk, language="en")).content.decode()

    assert "<svg" in html and "People trained by sex" in html


def test_only_activities_of_a_published_delivery_plan_are_shown(client, event):
    world = public_world(activities=2)
    event.activities.add(world.hidden_activity, world.activities[0])

    for language in ("vi", "en"):
        html = client.get(url("events:public-detail", event.pk, language=language)).content.decode()
        assert url("public:activity-detail", world.activities[0].pk, language=language) in html
        assert "LEAK-UNPUBLISHED-ACTIVITY" not in html
        assert url("public:activity-detail", world.hidden_activity.pk, language=language) not in html


def test_synthetic_participants_and_sample_content_are_marked(client, event):
    event.synthetic_participants = event.is_sample = True
    event.save()

    listing = client.get(url("events:public-list", language="en")).content.decode()
    page = client.get(url("events:public-detail", event.pk, language="en")).content.decode()

    assert "synthetic-badge" in listing and "sample-badge" in listing
    assert 'id="synthetic-note"' in page and "made up to demonstrate the portal" in page
    assert 'id="sample-note"' in page


def test_unconfirmed_organisers_are_marked(client, event):
    event.organisers_unconfirmed = True
    event.save()

    html = client.get(url("events:public-detail", event.pk, language="en")).content.decode()

    assert 'id="organisers-unconfirmed"' in html


def test_the_list_costs_the_same_queries_with_more_events(client, django_assert_max_num_queries):
    def add(count):
        for _ in range(count):
            EventFactory(province=ProvinceFactory(), organisers=[OrganisationFactory(), OrganisationFactory()])

    add(3)
    with django_assert_max_num_queries(30) as small:
        client.get(url("events:public-list"))
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("events:public-list"))


def test_an_event_page_costs_the_same_queries_with_more_people_and_activities(client, event, django_assert_max_num_queries):
    world = public_world(activities=2, plant=False)
    event.activities.add(*world.activities)
    attend(event, 6)

    with django_assert_max_num_queries(60) as small:
        client.get(url("events:public-detail", event.pk))
    world.add_published(5)
    event.activities.add(*world.activities)
    attend(event, 30, sex=Sex.MALE)
    FeedbackFactory.create_batch(6, event=event)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url("events:public-detail", event.pk))


def test_an_unknown_event_is_not_found(client):
    assert client.get(url("events:public-detail", 999999)).status_code == 404
