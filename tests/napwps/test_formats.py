"""Dates typed and shown the Vietnamese way (dd/mm/yyyy, never month-first), unambiguous in English."""

import datetime
import json
import re

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from events.forms import EventForm
from planning.models import DeliveryPlan
from tests.factories import DeliveryPlanFactory, PlanFactory


def admin_post_data(response) -> dict:
    """What the admin change form would send back as it is shown (one form, no inlines)."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value if isinstance(value, list) else str(value)
    return data


@pytest.fixture
def coordinator_client(client, demo_data):
    client.force_login(get_user_model().objects.get(username="coordinator"))
    return client


@pytest.fixture
def delivery_plan(db):
    return DeliveryPlanFactory(plan=PlanFactory(), year=2027)


def change_approval_date(client, delivery_plan, typed, language="vi"):
    url = reverse("admin:planning_deliveryplan_change", args=[delivery_plan.pk]).replace("/vi/", f"/{language}/")
    form_page = client.get(url)
    data = {**admin_post_data(form_page), "approval_date": typed, "approval_number": "25/KH-BNG", "change_reason": "Ngày phê duyệt"}
    return client.post(url, data)


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("02/01/2025", datetime.date(2025, 1, 2)),  # 2 January, not 1 February
        ("15/01/2025", datetime.date(2025, 1, 15)),  # refused when read month-first
        ("2025-01-15", datetime.date(2025, 1, 15)),  # ISO still accepted
    ],
)
def test_the_admin_in_vietnamese_reads_day_before_month(coordinator_client, delivery_plan, typed, saved):
    response = change_approval_date(coordinator_client, delivery_plan, typed)
    assert response.status_code == 302, response.context["adminform"].form.errors
    delivery_plan.refresh_from_db()
    assert delivery_plan.approval_date == saved


def test_the_admin_in_vietnamese_shows_dates_as_typed(coordinator_client, delivery_plan):
    delivery_plan.approval_date = datetime.date(2025, 1, 2)
    delivery_plan.save()
    page = coordinator_client.get(reverse("admin:planning_deliveryplan_change", args=[delivery_plan.pk]))
    assert re.search(r'name="approval_date"[^>]*value="02/01/2025"', page.content.decode())
    listing = coordinator_client.get(reverse("admin:planning_deliveryplan_changelist"))
    assert "02/01/2025" in listing.content.decode()


def test_an_impossible_date_is_refused_beside_the_field(coordinator_client, delivery_plan):
    response = change_approval_date(coordinator_client, delivery_plan, "31/02/2025")
    assert response.status_code == 200
    assert "approval_date" in response.context["adminform"].form.errors
    delivery_plan.refresh_from_db()
    assert delivery_plan.approval_date is None


def test_the_admin_in_english_takes_iso_and_refuses_slashes(coordinator_client, delivery_plan):
    response = change_approval_date(coordinator_client, delivery_plan, "02/01/2025", language="en")
    assert response.status_code == 200  # ambiguous: neither 2 January nor 1 February is guessed
    assert "approval_date" in response.context["adminform"].form.errors
    response = change_approval_date(coordinator_client, delivery_plan, "2025-01-15", language="en")
    assert response.status_code == 302
    delivery_plan.refresh_from_db()
    assert delivery_plan.approval_date == datetime.date(2025, 1, 15)
    response = change_approval_date(coordinator_client, delivery_plan, "2 Jan 2025", language="en")
    assert response.status_code == 302
    delivery_plan.refresh_from_db()
    assert delivery_plan.approval_date == datetime.date(2025, 1, 2)


def test_english_lists_show_an_unambiguous_date(coordinator_client, delivery_plan):
    delivery_plan.approval_date = datetime.date(2025, 1, 2)
    delivery_plan.save()
    listing = coordinator_client.get(reverse("admin:planning_deliveryplan_changelist").replace("/vi/", "/en/"))
    assert "2 Jan 2025" in listing.content.decode()


@pytest.mark.parametrize(("language", "first"), [("vi", "%d/%m/%Y"), ("en", "%Y-%m-%d")])
def test_the_admin_calendar_fills_in_the_languages_format(coordinator_client, language, first):
    """The calendar's "Today" writes the first DATE_INPUT_FORMATS of the JavaScript catalogue."""
    response = coordinator_client.get(f"/{language}/admin/jsi18n/")
    assert response.status_code == 200
    formats = json.loads(re.search(r"django\.formats = (\{.*?\});", response.content.decode(), re.S).group(1))
    assert formats["DATE_INPUT_FORMATS"][0] == first
    assert not any(fmt.startswith("%m") for fmt in formats["DATE_INPUT_FORMATS"])


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_events_date_pickers_still_send_iso(reference_data, language):
    """The events pages use <input type="date">, which always sends yyyy-mm-dd."""
    with translation.override(language):
        form = EventForm(data={"start_date": "2025-03-10", "end_date": "2025-03-12"})
        form.is_valid()
        assert "start_date" not in form.errors and "end_date" not in form.errors
        assert form.cleaned_data["start_date"] == datetime.date(2025, 3, 10)
        assert 'value="2025-03-10"' in str(form["start_date"])


def test_no_month_first_input_format_in_any_language():
    from django.utils.formats import get_format

    for language in ("vi", "en"):
        with translation.override(language):
            assert not [fmt for fmt in get_format("DATE_INPUT_FORMATS") if fmt.startswith("%m")]
            assert not [fmt for fmt in get_format("DATETIME_INPUT_FORMATS") if fmt.startswith("%m")]


def test_delivery_plan_dates_shown_in_vietnamese_short_date():
    from napwps.formatting import short_date

    with translation.override("vi"):
        assert short_date(datetime.date(2026, 11, 30)) == "30/11/2026"
    with translation.override("en"):
        assert short_date(datetime.date(2026, 11, 30)) == "30 Nov 2026"
    assert DeliveryPlan  # the model the admin tests change
