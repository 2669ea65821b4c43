"""No input makes a 500: NUL bytes, overlong text, huge formset counts, decomposed Unicode.

Run against PostgreSQL too (`DATABASE_URL=postgres://... pytest tests/napwps/test_middleware.py`):
PostgreSQL is where a NUL byte in a search failed.
"""

import unicodedata

import pytest
from django.urls import reverse

from events.models import Session
from tests.factories import EventFactory, ParticipationFactory, PersonFactory, coordinator

pytestmark = pytest.mark.django_db

NUL = "\x00"
LONG = "a" * 100_001


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def signed_in(client, event):
    user = coordinator()
    event.managers.add(user)
    client.force_login(user)
    return client


def pages(event):
    """The main pages that read a search or filter from the query string, and that parameter."""
    return [
        (reverse("admin:events_person_changelist"), "q"),
        (reverse("admin:events_participation_changelist"), "q"),
        (reverse("admin:events_event_changelist"), "q"),
        (reverse("admin:planning_activity_changelist"), "q"),
        (reverse("admin:planning_organisation_changelist"), "q"),
        (reverse("events:event-list"), "q"),
        (reverse("events:participant-list", args=[event.pk]), "q"),
        (reverse("events:checkin", args=[event.pk, event.start_date.isoformat()]), "q"),
        (reverse("events:figures"), "year"),
        (reverse("events:figures"), "province"),
    ]


PAGE_COUNT = 10


@pytest.mark.parametrize("index", range(PAGE_COUNT))
@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param(lambda name: {name: f"Nguyễn{NUL}"}, id="nul-in-value"),
        pytest.param(lambda name: {name: NUL}, id="nul-alone"),
        pytest.param(lambda name: {f"{name}{NUL}": "x"}, id="nul-in-key"),
        pytest.param(lambda name: {name: LONG}, id="overlong"),
    ],
)
def test_hostile_query_strings_get_a_400_page_in_the_readers_language(signed_in, event, index, hostile):
    url, name = pages(event)[index]

    response = signed_in.get(url, hostile(name))

    assert response.status_code == 400
    assert "Không hiểu được yêu cầu" in response.content.decode()


@pytest.mark.parametrize("index", range(PAGE_COUNT))
def test_ordinary_and_odd_but_harmless_queries_still_work(signed_in, event, index):
    url, name = pages(event)[index]
    for value in ("Nguyễn", "%", "'; DROP TABLE x; --", "99999999999999999999", "\u200b", "a" * 5000):
        assert signed_in.get(url, {name: value}).status_code == 200, value


def test_the_400_page_is_in_english_on_english_pages(signed_in, event):
    with_nul = signed_in.get(reverse("events:event-list").replace("/vi/", "/en/"), {"q": NUL})
    assert with_nul.status_code == 400
    assert "The request could not be understood" in with_nul.content.decode()


def test_a_nul_byte_in_a_form_is_refused_before_anything_is_saved(signed_in, event):
    data = {"full_name": f"Lê Thị{NUL} Mai", "sex": "female", "organisation_name": "Báo Phụ nữ", "sector": "media", "role": "participant"}

    response = signed_in.post(reverse("events:participant-create", args=[event.pk]), data)

    assert response.status_code == 400
    assert not event.participations.exists()


def test_a_search_typed_in_decomposed_unicode_finds_the_person(signed_in, event):
    ParticipationFactory(event=event, person=PersonFactory(full_name="Đặng Thị Hồng"))
    decomposed = unicodedata.normalize("NFD", "Hồng")

    response = signed_in.get(reverse("events:participant-list", args=[event.pk]), {"q": decomposed})

    assert response.status_code == 200
    assert response.context["q"] == "Hồng"
    assert "Đặng Thị Hồng" in response.content.decode()


def agenda_post(count):
    return {"sessions-TOTAL_FORMS": str(count), "sessions-INITIAL_FORMS": "0", "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000"}


def test_a_huge_formset_count_on_the_agenda_editor_is_answered_without_work(signed_in, event):
    response = signed_in.post(reverse("events:agenda-edit", args=[event.pk]), agenda_post(999_999_999))

    assert response.status_code in (200, 400)
    assert not Session.objects.exists()


def test_a_huge_formset_count_on_an_admin_page_with_inlines_is_answered_without_work(signed_in, event):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = {"code": event.code, "title_vi": "x", "type": "workshop", "start_date": "10/03/2025", "end_date": "12/03/2025", **agenda_post(999_999_999)}

    response = signed_in.post(url, data)

    assert response.status_code in (200, 400)
    assert not Session.objects.exists()


def test_too_many_fields_are_answered_400_not_500(signed_in, event):
    data = {f"field-{number}": "x" for number in range(1500)}

    response = signed_in.post(reverse("events:participant-create", args=[event.pk]), data)

    assert response.status_code == 400
