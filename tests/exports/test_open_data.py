"""Open data: the page with its dictionary, and every dataset read back as CSV and JSON."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Sector, Sex
from planning import opendata
from tests.factories import AttendanceFactory, EventFactory, ParticipationFactory, PersonFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db

DATASETS = ("activities", "indicators", "indicator-breakdowns", "budget-lines", "event-figures")


def url(name, *args, language="vi"):
    with translation.override(language):
        return reverse(name, args=args)


def download(client, name, format, language="vi"):
    response = client.get(url("public:open-data-file", name, format, language=language))
    assert response.status_code == 200
    return response.content.decode("utf-8")


def read_csv(client, name, language="vi"):
    text = download(client, name, "csv", language)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    return text, rows


def read_json(client, name, language="vi"):
    text = download(client, name, "json", language)
    return text, json.loads(text)


def assert_no_leak(text):
    for leak in leak_strings():
        assert leak not in text, leak


@pytest.fixture
def world():
    return public_world(activities=3)


@pytest.fixture
def workshop():
    """A past workshop of an activity of the published plan: six women and two men trained, one registered who never came."""
    event = EventFactory(code="wps-workshop", title_vi="Hội thảo PNHBAN", start_date=datetime.date(2024, 5, 6), end_date=datetime.date(2024, 5, 7))
    for index in range(8):
        sex, sector = (Sex.FEMALE, Sector.GOVERNMENT) if index < 6 else (Sex.MALE, Sector.MEDIA)
        participation = ParticipationFactory(event=event, person=PersonFactory(full_name=f"Người tham dự {index}", sex=sex), sector=sector)
        AttendanceFactory(participation=participation, day=event.start_date)
    ParticipationFactory(event=event, person=PersonFactory(full_name="Vắng Mặt"))
    return event


def by_code(rows, key="activity_code"):
    return {row[key]: row for row in rows}


def test_every_dataset_answers_in_csv_and_json_in_both_languages_without_a_planted_value(client, world):
    for name in DATASETS:
        for language in ("vi", "en"):
            text, rows = read_csv(client, name, language)
            assert_no_leak(text)
            header = text[1:].splitlines()[0].split(",")
            assert header == [column.name for column in opendata.DATASETS[name].get_columns()]
            text, content = read_json(client, name, language)
            assert_no_leak(text)
            assert content["dataset"] == name
            assert content["generated_at"]
            assert [column["name"] for column in content["columns"]] == header
            assert len(content["rows"]) == len(rows)


def test_the_activities_hold_the_published_progress_and_budget(client, world):
    first, returned = world.activities[0], world.returned_activity
    _text, rows = read_csv(client, "activities")
    row = by_code(rows)[first.code]
    assert (row["status"], row["progress"], row["year"]) == ("on_track", "50", str(world.year))  # not the draft off_track
    assert row["status_label"] == "Đúng tiến độ"
    assert (row["budget_estimated_vnd"], row["budget_committed_vnd"], row["budget_gap_vnd"]) == ("100000000", "100000000", "0")
    assert row["lead_agency_code"] == world.agency.code
    assert row["planned_start"] == f"{world.year}-01"
    assert by_code(rows)[returned.code]["status"] == ""  # in the published plan, its progress never published
    assert world.hidden_activity.code not in by_code(rows)
    _text, content = read_json(client, "activities", "en")
    row = by_code(content["rows"])[first.code]
    assert (row["status"], row["status_label"], row["progress"], row["budget_estimated_vnd"]) == ("on_track", "On track", 50, 100000000)
    assert by_code(content["rows"])[returned.code]["progress"] is None
    assert isinstance(row["partner_agency_codes"], list)


def test_the_indicators_hold_targets_and_published_actuals(client, world):
    indicator = world.indicators[0]
    _text, rows = read_csv(client, "indicators")
    row = next(row for row in rows if row["indicator_code"] == indicator.code and row["period_year"] == str(world.year))
    assert (row["target_value"], row["actual_value"], row["period_kind"]) == ("10", "7", "annual")  # not the draft 424242
    assert row["approved_on"] == datetime.date.today().isoformat()
    returned = next(row for row in rows if row["indicator_code"] == world.returned_indicator.code)
    assert (returned["target_value"], returned["actual_value"]) == ("10", "")
    _text, content = read_json(client, "indicators")
    row = next(row for row in content["rows"] if row["indicator_code"] == indicator.code and row["period_year"] == world.year)
    assert (row["target_value"], row["actual_value"]) == (10, 7)


def test_the_breakdowns_hold_the_published_categories(client, world):
    _text, rows = read_csv(client, "indicator-breakdowns")
    mine = {row["category"]: row for row in rows if row["indicator_code"] == world.indicators[0].code}
    assert (mine["female"]["value"], mine["male"]["value"]) == ("4", "3")  # not the draft 424238
    assert mine["female"]["category_label"] == "Nữ"
    assert mine["female"]["disaggregation"] == "sex"
    assert not [row for row in rows if row["indicator_code"] in (world.returned_indicator.code, world.unpublished_indicator.code)]
    _text, content = read_json(client, "indicator-breakdowns", "en")
    female = next(row for row in content["rows"] if row["indicator_code"] == world.indicators[0].code and row["category"] == "female")
    assert (female["value"], female["category_label"]) == (4, "Female")


def test_the_budget_lines_hold_the_published_execution(client, world):
    _text, rows = read_csv(client, "budget-lines")
    row = by_code(rows)[world.activities[0].code]
    assert (row["amount_vnd"], row["committed_vnd"], row["committed_on"]) == ("100000000", "90000000", f"{world.year}-03-01")
    assert (row["source"], row["funding_status"]) == ("central_budget", "committed")
    assert by_code(rows)[world.returned_activity.code]["committed_vnd"] == ""  # returned: never published
    assert world.hidden_activity.code not in by_code(rows)
    _text, content = read_json(client, "budget-lines")
    row = by_code(content["rows"])[world.activities[0].code]
    assert (row["amount_vnd"], row["committed_vnd"], row["disbursed_vnd"]) == (100000000, 90000000, None)


def test_the_event_figures_are_suppressed_aggregates(client, world, workshop):
    workshop.activities.add(world.activities[0], world.hidden_activity)
    text, rows = read_csv(client, "event-figures")
    row = by_code(rows, "event_code")["wps-workshop"]
    # two men show as "< 5", and the six women are hidden ("x"): the total would give the men away
    assert (row["people_trained"], row["sex_female"], row["sex_male"], row["sex_other"]) == ("8", "x", "< 5", "0")
    assert (row["sector_government"], row["sector_media"]) == ("x", "< 5")
    assert row["activity_codes"] == world.activities[0].code  # the unpublished activity stays out
    assert "Người tham dự" not in text and "Vắng Mặt" not in text and "@example.org" not in text
    text, content = read_json(client, "event-figures", "en")
    row = by_code(content["rows"], "event_code")["wps-workshop"]
    assert (row["people_trained"], row["sex_female"], row["sex_male"], row["synthetic_participants"]) == (8, "x", "< 5", False)
    assert "Người tham dự" not in text


def test_an_upcoming_event_has_no_row(client, world):
    today = datetime.date.today()
    EventFactory(code="next-workshop", start_date=today + datetime.timedelta(days=3), end_date=today + datetime.timedelta(days=4))
    _text, rows = read_csv(client, "event-figures")
    assert "next-workshop" not in by_code(rows, "event_code")


def test_a_title_that_looks_like_a_formula_stays_text_in_csv(client, world):
    activity = world.activities[1]
    activity.title_vi, activity.title_en = '=HYPERLINK("http://evil.example","x")', "-1+2"
    activity.save()
    _text, rows = read_csv(client, "activities")
    row = by_code(rows)[activity.code]
    assert row["title_vi"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["title_en"] == "'-1+2"
    _text, content = read_json(client, "activities")
    assert by_code(content["rows"])[activity.code]["title_vi"].startswith("=HYPERLINK(")  # JSON keeps the text as it is


def test_the_page_lists_every_dataset_with_its_dictionary_in_both_languages(client, world):
    for language, meaning in (("vi", "Tiến độ được công bố trong năm."), ("en", "Progress published for the year.")):
        response = client.get(url("public:open-data", language=language))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        for name in DATASETS:
            assert url("public:open-data-file", name, "csv", language=language) in html
            assert url("public:open-data-file", name, "json", language=language) in html
            for column in opendata.DATASETS[name].get_columns():
                assert f"<code>{column.name}</code>" in html
        assert meaning in html
        assert "on_track" in html  # allowed values are listed
        assert url("public:open-data", language=language) in html  # the main menu links here
    assert "CSV" in html and "'" in html


def test_the_vietnamese_page_is_translated(client, world):
    html = client.get(url("public:open-data")).content.decode()
    for english in ("Open data", "Data dictionary", "Whole number", "Allowed values", "People trained of sex", "Funding source."):
        assert english not in html, english


@pytest.mark.parametrize("path", ["data/nothing.csv", "data/activities.xml", "data/activities.xlsx", "data/event-figures.txt"])
def test_an_unknown_dataset_or_format_is_not_found(client, path):
    assert client.get(f"/vi/{path}").status_code == 404


def test_query_counts_stay_the_same_whatever_the_size(client, django_assert_max_num_queries, world, workshop):
    small = {}
    for name in DATASETS:
        for format in opendata.FORMATS:
            with django_assert_max_num_queries(20) as captured:
                download(client, name, format)
            small[name, format] = len(captured.captured_queries)
    world.add_published(25)
    for index in range(5):
        event = EventFactory(start_date=datetime.date(2024, 6, 1 + index), end_date=datetime.date(2024, 6, 2 + index))
        event.activities.add(world.activities[index])
        AttendanceFactory(participation=ParticipationFactory(event=event), day=event.start_date)
    for (name, format), count in small.items():
        with django_assert_max_num_queries(count):
            download(client, name, format)


def test_the_demo_plan_downloads_with_its_published_year_only(client, demo_data):
    _text, rows = read_csv(client, "activities")
    assert {row["year"] for row in rows} == {"2024"}  # 2025 is submitted, not published
    assert len(rows) == 14
    for name in DATASETS:
        text, content = read_json(client, name, "en")
        assert content["rows"] or name in ("indicator-breakdowns", "event-figures")
        assert "@" not in text  # no e-mail address
    _text, content = read_json(client, "event-figures")
    assert all(row["synthetic_participants"] for row in content["rows"] if row["event_code"])
