"""The public indicators list and indicator pages: public indicators only, published actuals only."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from planning import services
from planning.models import FrameworkReference, Measure, PeriodKind, ReportingPeriod, ResultLevel
from planning.selectors import public
from planning.services import reporting
from tests.factories import DisaggregationFactory, IndicatorFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db


def url(name, *args, language="vi"):
    with translation.override(language):
        return reverse(name, args=args)


def page(client, name, *args, language="vi", **params):
    response = client.get(url(name, *args, language=language), params)
    assert response.status_code == 200
    return response.content.decode()


def assert_no_leak(html):
    for leak in leak_strings():
        assert leak not in html, leak


@pytest.fixture
def world():
    return public_world(activities=3)


def test_the_list_and_an_indicator_page_answer_anonymously_in_both_languages(client, world):
    for language in ("vi", "en"):
        html = page(client, "public:indicator-list", language=language)
        assert world.indicators[0].code in html
        assert url("public:indicator-detail", world.indicators[0].pk, language=language) in html
        html = page(client, "public:indicator-detail", world.indicators[0].pk, language=language)
        assert html.count("<h1") == 1
        assert world.indicators[0].title_vi in html


def test_the_list_shows_the_years_target_and_published_result_and_nothing_planted(client, world):
    html = page(client, "public:indicator-list", year=world.year)
    assert_no_leak(html)
    assert "standing-behind" in html  # 7 against a target of 10
    assert world.returned_indicator.code in html  # public (an activity of the published plan), but not reported
    assert "standing-not-reported" in html
    for hidden in (world.returned_indicator, world.unpublished_indicator):
        assert_no_leak(page(client, "public:indicator-detail", hidden.pk))


def test_the_list_filters_by_objective_and_level(client, world):
    other = IndicatorFactory(level=ResultLevel.OBJECTIVE, objective=world.objective, output=None, title_vi="Chỉ số mục tiêu")
    html = page(client, "public:indicator-list", level=ResultLevel.OBJECTIVE)
    assert other.title_vi in html and world.indicators[0].title_vi not in html
    html = page(client, "public:indicator-list", objective=world.objective.pk, level=ResultLevel.ACTIVITY)
    assert world.indicators[0].title_vi in html and other.title_vi not in html
    html = page(client, "public:indicator-list", objective=world.objective.pk + 999)
    assert other.title_vi in html  # an unknown objective is ignored


def test_the_page_shows_the_published_actual_not_the_draft_correction(client, world):
    html = page(client, "public:indicator-detail", world.indicators[0].pk)
    assert_no_leak(html)
    svg = html[html.index("<svg") : html.index("</svg>")]
    table = html[html.index("<details") : html.index("</details>")]
    for part in (svg, table):
        assert ": 7" in part or ">7<" in part
        assert ": 10" in part or ">10<" in part
    periods = html[html.index('class="table table-sm align-top indicator-periods"') :]
    assert ">7<" in periods.replace(" ", "") or "7\n" in periods
    assert "424242" not in html
    html = page(client, "public:indicator-detail", world.indicators[1].pk)
    assert_no_leak(html)  # the next year's target (868686) is not public while its delivery plan is not
    periods = html.split('class="table table-sm align-top indicator-periods"')[1].split("</table>")[0]
    assert str(world.year + 1) not in periods


def test_the_breakdown_of_the_published_actual_by_sex(client, world):
    html = page(client, "public:indicator-detail", world.indicators[0].pk)
    breakdown = html[html.index('id="indicator-breakdown"') :]
    assert "Nữ" in breakdown and "Nam" in breakdown
    tables = breakdown[breakdown.index("indicator-breakdown") :]
    assert '>Nữ</th><td class="number">4' in tables and '>Nam</th><td class="number">3' in tables
    assert "<svg" in breakdown  # the grouped bars by sex
    english = page(client, "public:indicator-detail", world.indicators[0].pk, language="en")
    assert '>Female</th><td class="number">4' in english and '>Male</th><td class="number">3' in english


def test_a_percentage_indicator_shows_percent(client, world):
    indicator = IndicatorFactory(
        level=ResultLevel.OBJECTIVE, objective=world.objective, output=None, measure=Measure.PERCENTAGE,
        numerator_vi="Số phụ nữ tham gia", denominator_vi="Tổng số người tham gia",
    )  # fmt: skip
    services.indicator_period_set(indicator=indicator, period=world.period, user=world.coordinator, target_value=Decimal(35))
    html = page(client, "public:indicator-detail", indicator.pk)
    assert "%" in html and "35" in html
    assert "Số phụ nữ tham gia" in html and "Tổng số người tham gia" in html
    assert "%" in page(client, "public:indicator-list")


def test_an_indicator_of_a_hidden_activity_is_not_found(client, world):
    hidden = IndicatorFactory(level=ResultLevel.ACTIVITY, activity=world.hidden_activity, output=None)
    assert client.get(url("public:indicator-detail", hidden.pk)).status_code == 404
    assert hidden.code not in page(client, "public:indicator-list")


def test_the_reference_sheet_shows_frameworks_and_baseline(client, world):
    indicator = world.indicators[0]
    indicator.references.add(FrameworkReference.objects.create(framework="sdg", code="5.5.1", title_vi="Tỷ lệ ghế nữ"))
    type(indicator).objects.filter(pk=indicator.pk).update(baseline_year=2020, baseline_value=Decimal(3), baseline_source_vi="Báo cáo 2020")
    html = page(client, "public:indicator-detail", indicator.pk)
    assert "5.5.1" in html and "Tỷ lệ ghế nữ" in html and "Báo cáo 2020" in html and "2020" in html
    assert url("public:activity-detail", indicator.activity_id) in html


def enrich(world, indicator):
    """More periods, references, disaggregations and public targets for the bigger page."""
    indicator.disaggregations.add(DisaggregationFactory(code="age", name_vi="Độ tuổi", categories=[["a", "18–35", "18–35"]]))
    for index in range(4):
        indicator.references.add(FrameworkReference.objects.create(framework="sdg", code=f"5.{index}", title_vi=f"Mục {index}"))
    reporting.reporting_calendar_ensure(plan=world.plan)
    for period in ReportingPeriod.objects.filter(plan=world.plan, kind__in=[PeriodKind.MID_TERM, PeriodKind.FINAL]):
        services.indicator_period_set(indicator=indicator, period=period, user=world.coordinator, target_value=Decimal(20))
    for year in (world.year + 1, world.year + 2):
        services.indicator_period_set(
            indicator=indicator, period=reporting.annual_period(plan=world.plan, year=year), user=world.coordinator, target_value=Decimal(15)
        )


def test_query_counts_do_not_grow_with_the_plan(client, django_assert_max_num_queries):
    world = public_world(activities=3)

    def count(name, *args):
        with CaptureQueriesContext(connection) as captured:
            page(client, name, *args)
        return len(captured)

    small_list = count("public:indicator-list")
    small_page = count("public:indicator-detail", world.indicators[0].pk)
    world.add_published(25)
    big = world.indicators[-1]
    enrich(world, big)
    shown = public.public_indicator_periods([big, world.indicators[0]], plan=world.plan)
    assert len(shown[big.pk]) > len(shown[world.indicators[0].pk])
    assert count("public:indicator-list") == small_list
    assert count("public:indicator-detail", big.pk) == small_page
    with django_assert_max_num_queries(small_page):
        page(client, "public:indicator-detail", world.indicators[1].pk)


def test_a_qualitative_indicator_shows_text_targets_and_no_chart(client, world):
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT, output=world.output, measure=Measure.QUALITATIVE)
    services.indicator_period_set(indicator=indicator, period=world.period, user=world.coordinator, target_text_vi="Ban hành hướng dẫn lồng ghép giới")
    html = page(client, "public:indicator-detail", indicator.pk)
    results = html[html.index('id="indicator-results"') :]
    assert "Ban hành hướng dẫn lồng ghép giới" in results
    assert "<svg" not in results.split("</section>")[0]
    assert world.output.code in html and url("public:objective-detail", world.objective.pk) in html
