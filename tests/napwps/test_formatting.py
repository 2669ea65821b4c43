"""Numbers and money follow the reader's language, in the admin lists, the events pages and the PDFs."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from napwps.formatting import money, number, percent
from planning.admin import vnd
from tests.factories import BudgetLineFactory, IndicatorPeriodFactory


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (1234567, "1.234.567", "1,234,567"),
        (Decimal("1234567.00"), "1.234.567", "1,234,567"),  # no ",00" on a whole number
        (Decimal("1234.50"), "1.234,5", "1,234.5"),
        (Decimal("0.125"), "0,13", "0.13"),
        (40, "40", "40"),
        (Decimal("-0.001"), "0", "0"),
        (None, "", ""),
    ],
)
def test_number(value, vi, en):
    with translation.override("vi"):
        assert number(value) == vi
    with translation.override("en"):
        assert number(value) == en


def test_money_in_both_languages():
    with translation.override("vi"):
        assert money(1234567) == "1.234.567 ₫"
        assert money(Decimal("1234567.40")) == "1.234.567 ₫"  # VND has no decimals
        assert money(Decimal("1500.50"), "USD") == "1.500,5 USD"
        assert vnd(None) == "0 ₫"
    with translation.override("en"):
        assert money(1234567) == "VND 1,234,567"
        assert money(Decimal("1500.00"), "usd") == "USD 1,500"


def test_percent_never_shows_decimals_of_a_whole_number():
    with translation.override("vi"):
        assert percent(Decimal("100.00")) == "100%"
        assert percent(Decimal("12.50")) == "12,5%"
        assert percent(None) == ""
    with translation.override("en"):
        assert percent(Decimal("12.5")) == "12.5%"


def test_the_filters_are_in_every_template_without_load():
    template = Template("{{ amount|money }} · {{ count|number }} · {{ share|percent }} · {{ usd|money:'USD' }}")
    context = Context({"amount": Decimal("1234567"), "count": 12000, "share": Decimal("33.30"), "usd": Decimal("10")})
    with translation.override("vi"):
        assert template.render(context) == "1.234.567 ₫ · 12.000 · 33,3% · 10 USD"
    with translation.override("en"):
        assert template.render(context) == "VND 1,234,567 · 12,000 · 33.3% · USD 10"


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "demo-password"))
    return client


def test_admin_budget_lists_show_money_right_aligned(superuser_client):
    line = BudgetLineFactory(amount_vnd=Decimal(1234567))
    page = superuser_client.get(reverse("admin:planning_budgetline_changelist") + f"?q={line.activity.code}").content.decode()
    assert '<td class="field-amount_display">1.234.567 ₫</td>' in page
    page = superuser_client.get(reverse("admin:planning_activity_changelist").replace("/vi/", "/en/") + f"?q={line.activity.code}").content.decode()
    assert '<td class="field-budget_total">VND 1,234,567</td>' in page
    css = superuser_client.get("/static/css/admin.css")
    assert ".field-amount_display" in b"".join(css.streaming_content).decode()


def test_admin_indicator_values_show_no_decimals_when_whole(superuser_client):
    period = IndicatorPeriodFactory(target_value=Decimal("1500.00"), actual_value=Decimal("12.50"))
    page = superuser_client.get(reverse("admin:planning_indicatorperiod_changelist") + f"?q={period.indicator.code}").content.decode()
    assert '<td class="field-target_display">1.500</td>' in page
    assert '<td class="field-actual_display">12,5</td>' in page
    assert "1500,00" not in page and "12,50" not in page


def test_years_are_never_grouped(superuser_client):
    period = IndicatorPeriodFactory()
    page = superuser_client.get(reverse("admin:planning_indicatorperiod_changelist") + f"?q={period.indicator.code}").content.decode()
    assert "2025" in page
    assert "2.025" not in page


def test_admin_forms_and_inlines_show_whole_values_without_decimals(superuser_client):
    period = IndicatorPeriodFactory(target_value=Decimal("25.00"), actual_value=Decimal("12.50"))
    page = superuser_client.get(reverse("admin:planning_indicator_change", args=[period.indicator.pk])).content.decode()
    assert 'value="25"' in page and 'value="12.5"' in page  # the yearly values inline
    assert 'value="25.00"' not in page and 'value="12.50"' not in page
    page = superuser_client.get(reverse("admin:planning_indicatorperiod_change", args=[period.pk])).content.decode()
    assert 'value="25"' in page and 'value="25.00"' not in page


def test_read_only_values_in_the_admin_show_no_decimals_when_whole(superuser_client):
    from events.models import IndicatorRule

    period = IndicatorPeriodFactory(actual_value=Decimal("12.00"), target_value=Decimal("1500.00"))
    IndicatorRule.objects.create(indicator=period.indicator)  # counted from events: its actual is read-only
    page = superuser_client.get(reverse("admin:planning_indicatorperiod_change", args=[period.pk])).content.decode()
    assert '<div class="readonly">12</div>' in page
    assert "12,00" not in page
