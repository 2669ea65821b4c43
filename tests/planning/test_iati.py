"""The published plan as IATI 2.03 activity XML: valid against the official schema (tests/iati/schema),
every published activity and nothing else, statuses, roles, narratives, the umbrella and its children."""

import datetime
import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from lxml import etree

from planning import iati
from planning.models import (
    IATI_ACTIVITY_STATUS,
    STATUS_COLOURS,
    Activity,
    ActivityProgress,
    ActivityStatus,
    ApprovedValue,
    BudgetLine,
    FundingStatus,
    Organisation,
    Sector,
)
from planning.selectors import approved_values
from tests.factories import ActivityFactory, BudgetLineFactory, OrganisationFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "iati" / "schema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd")))


def url(language="vi", **query):
    with translation.override(language):
        address = reverse("public:open-data-iati")
    return address + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def download(client, language="vi", **query):
    response = client.get(url(language, **query))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return response.content


def parse(content, schema):
    document = etree.fromstring(content)
    assert schema.validate(document), schema.error_log
    return document


def activities_by_id(document):
    return {element.findtext("iati-identifier"): element for element in document.findall("iati-activity")}


@pytest.fixture
def world():
    return public_world(activities=3)


def test_the_file_of_a_published_world_validates_and_holds_every_published_activity_and_nothing_else(client, world, schema):
    content = download(client)
    text = content.decode("utf-8")
    for leak in leak_strings():
        assert leak not in text, leak
    document = parse(content, schema)
    assert document.get("version") == "2.03"
    found = activities_by_id(document)
    plan_id = iati.plan_identifier(world.plan)
    expected = {iati.activity_identifier(world.plan, activity) for activity in Activity.objects.filter(delivery_plans=world.delivery_plan)}
    assert set(found) == {plan_id, *expected}
    assert found[plan_id].get("hierarchy") == "1"
    for identifier in expected:
        assert found[identifier].get("hierarchy") == "2"


def test_the_umbrella_and_its_children_point_to_each_other(client, world, schema):
    document = parse(download(client), schema)
    found = activities_by_id(document)
    plan_id = iati.plan_identifier(world.plan)
    children = {element.get("ref") for element in found[plan_id].findall("related-activity") if element.get("type") == "2"}
    assert children == set(found) - {plan_id}
    for identifier in children:
        parents = [(element.get("ref"), element.get("type")) for element in found[identifier].findall("related-activity")]
        assert parents == [(plan_id, "1")]


def test_an_activity_carries_its_status_roles_sector_budget_transactions_and_results(client, world, schema):
    activity = world.activities[0]
    donor = OrganisationFactory(name_vi="Nhà tài trợ", name_en="Donor", iati_identifier="XM-DAC-99999", type=40)
    adviser = OrganisationFactory(name_vi="Tổ chức hỗ trợ kỹ thuật", type=21)
    activity.funding_partners.add(donor)
    activity.supporting_partners.add(adviser)
    activity.sector = Sector.objects.get(code="15180")
    activity.save()
    document = parse(download(client), schema)
    element = activities_by_id(document)[iati.activity_identifier(world.plan, activity)]
    assert element.find("activity-status").get("code") == "2"  # on track
    roles = {(org.get("role"), org.findtext("narrative")) for org in element.findall("participating-org")}
    assert ("1", "Nhà tài trợ") in roles
    assert ("2", activity.lead_agency.name_vi) in roles
    assert ("4", activity.lead_agency.name_vi) in roles
    assert ("4", "Tổ chức hỗ trợ kỹ thuật") in roles
    assert element.find("participating-org[@role='1']").get("ref") == "XM-DAC-99999"
    assert element.find("sector").attrib == {"vocabulary": "1", "code": "15180"}
    assert element.find("recipient-country").get("code") == "VN"
    budget = element.find("budget")
    assert budget.find("period-start").get("iso-date") == f"{world.year}-01-01"
    assert budget.find("value").text == "100000000"
    assert budget.attrib == {"type": "1", "status": "2"}  # original; committed, as its one line is
    transaction = element.find("transaction")
    assert transaction.find("transaction-type").get("code") == "2"
    assert transaction.find("value").text == "90000000"
    assert transaction.find("transaction-date").get("iso-date") == f"{world.year}-03-01"
    result = element.find("result")
    assert result.get("type") == "1"
    actuals = result.findall("indicator/period/actual")
    assert actuals[0].get("value") == "7"
    assert {(a.find("dimension").get("name"), a.find("dimension").get("value"), a.get("value")) for a in actuals[1:]} == {
        (world.sex.code, "female", "4"),
        (world.sex.code, "male", "3"),
    }
    assert result.find("indicator/period/target").get("value") == "10"


def test_the_demo_plan_validates_with_narratives_in_both_languages(client, demo_data, schema):
    document = parse(download(client, "en"), schema)
    found = activities_by_id(document)
    assert len(found) == 15  # the umbrella and the 14 activities of the published 2024 plan
    for element in found.values():
        languages = {narrative.get(XML_LANG) for narrative in element.find("title").findall("narrative")}
        assert languages == {"vi", "en"}
    umbrella = next(element for element in found.values() if element.get("hierarchy") == "1")
    assert {result.get("type") for result in umbrella.findall("result")} >= {"2", "3"}
    assert all(element.find("participating-org") is not None for element in found.values())
    assert any(element.find("sector") is not None for element in found.values())
    assert any(element.find("transaction") is not None for element in found.values())


def test_a_year_narrows_the_file_and_a_year_not_published_is_a_400(client, world, schema):
    document = parse(download(client, year=world.year), schema)
    assert len(document.findall("iati-activity")) == 1 + Activity.objects.filter(delivery_plans=world.delivery_plan).count()
    assert client.get(url(year=world.year + 1)).status_code == 400
    assert client.get(url(year="abc")).status_code == 400


def test_without_a_published_delivery_plan_the_file_is_a_404(client, db):
    assert client.get(url()).status_code == 404
    assert client.get(url("en")).status_code == 404


def test_the_reporting_organisation_is_the_coordinator_with_the_plans_code_standing_in_until_it_has_an_identifier(client, world, schema):
    coordinator = world.plan.coordinator
    document = parse(download(client), schema)
    assert document.find("iati-activity/reporting-org").get("ref") == world.plan.code
    assert document.find("iati-activity/iati-identifier").text == world.plan.code
    assert world.plan.code in client.get(reverse("public:open-data")).content.decode()
    Organisation.objects.filter(pk=coordinator.pk).update(iati_identifier="XM-DAC-12345")
    document = parse(download(client), schema)
    assert document.find("iati-activity/reporting-org").get("ref") == "XM-DAC-12345"
    assert document.find("iati-activity/iati-identifier").text == f"XM-DAC-12345-{world.plan.code}"
    assert document.findall("iati-activity")[1].findtext("iati-identifier").startswith("XM-DAC-12345-")


def test_the_open_data_page_links_the_file_in_both_languages(client, world):
    for language in ("vi", "en"):
        with translation.override(language):
            page = client.get(reverse("public:open-data"))
        assert page.status_code == 200
        assert url(language) in page.content.decode()


def test_every_status_has_a_colour_and_an_iati_code():
    assert set(STATUS_COLOURS) == set(ActivityStatus.values) == set(IATI_ACTIVITY_STATUS)
    assert IATI_ACTIVITY_STATUS[ActivityStatus.NOT_STARTED] == 1
    assert {IATI_ACTIVITY_STATUS[s] for s in (ActivityStatus.ON_TRACK, ActivityStatus.AT_RISK, ActivityStatus.OFF_TRACK)} == {2}
    assert IATI_ACTIVITY_STATUS[ActivityStatus.COMPLETED] == 3
    assert IATI_ACTIVITY_STATUS[ActivityStatus.CANCELLED] == 5
    assert IATI_ACTIVITY_STATUS[ActivityStatus.SUSPENDED] == 6
    assert iati.activity_status_code(None) == 1


def test_a_cancelled_activity_is_status_5_and_the_file_still_validates(client, schema):
    """The published copy says cancelled (set on the approved value: the services' path is tested with reporting)."""
    world = public_world(activities=2, plant=False)
    activity = world.activities[0]
    progress = ActivityProgress.objects.get(activity=activity, delivery_plan=world.delivery_plan)
    approved = ApprovedValue.objects.get(item_id=progress.pk, item_type__model="activityprogress")
    approved.data = {**approved.data, "status": ActivityStatus.CANCELLED}
    approved.save()
    assert approved_values([progress], published=True)[progress.pk].status == ActivityStatus.CANCELLED
    document = parse(download(client), schema)
    element = activities_by_id(document)[iati.activity_identifier(world.plan, activity)]
    assert element.find("activity-status").get("code") == "5"


def test_a_cancelled_or_suspended_status_needs_a_justification(world):
    progress = ActivityProgress(activity=world.activities[0], delivery_plan=world.delivery_plan, status=ActivityStatus.SUSPENDED, progress=10)
    with pytest.raises(ValidationError) as error:
        progress.clean()
    assert "status_justification_vi" in error.value.message_dict


def test_an_organisation_identifier_is_checked_loosely_and_unique_when_set():
    first = OrganisationFactory(iati_identifier="XM-DAC-41146-X")
    first.full_clean()
    OrganisationFactory(iati_identifier="")
    OrganisationFactory(iati_identifier="")  # empty twice is fine
    for wrong in ("xm-dac-1", "XM DAC 1", "XM-DAC/1", "VN"):
        first.iati_identifier = wrong
        with pytest.raises(ValidationError):
            first.full_clean()
    second = OrganisationFactory.build(iati_identifier="XM-DAC-41146-X")
    with pytest.raises(ValidationError):
        second.validate_constraints()


def test_the_migration_seeds_the_sectors_and_moves_the_funders_among_the_supporting_partners(db):
    assert set(Sector.objects.values_list("code", flat=True)) >= {"15170", "15180", "15220"}
    assert Sector.objects.get(code="15170").name_en == "Women's rights organisations and movements, and government institutions"
    migration = importlib.import_module("planning.migrations.0015_iati")
    activity = ActivityFactory()
    funder, adviser = OrganisationFactory(), OrganisationFactory()
    activity.supporting_partners.add(funder, adviser)
    BudgetLineFactory(activity=activity, funder=funder)
    migration.split_funding_partners(django_apps)
    assert list(activity.funding_partners.all()) == [funder]
    assert list(activity.supporting_partners.all()) == [adviser]
    migration.backwards(django_apps, None)
    assert set(activity.supporting_partners.all()) == {funder, adviser}
    assert not activity.funding_partners.exists()
    assert BudgetLine.objects.filter(funder=funder).exists()


def test_query_counts_stay_the_same_whatever_the_size(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as captured:
        download(client)
    small = len(captured.captured_queries)
    world.add_published(25)
    with django_assert_max_num_queries(small):
        content = download(client)
    published = Activity.objects.filter(delivery_plans=world.delivery_plan).count()
    assert published >= 28
    assert content.count(b"<iati-activity ") == 1 + published


def test_numbers_print_without_exponent_or_trailing_zeros():
    assert iati._number(Decimal("16.00")) == "16"
    assert iati._number(Decimal("12.50")) == "12.5"
    assert iati._number(Decimal("1E+8")) == "100000000"
    assert iati._number(0) == "0"
    assert datetime.date(2024, 1, 1).isoformat() == "2024-01-01"


def test_a_cancelled_or_suspended_activity_shows_its_status_with_text_and_colour_on_its_page(client):
    world = public_world(activities=2, plant=False)
    donor = OrganisationFactory(name_vi="Nhà tài trợ công khai")
    for activity, status, label, colour in (
        (world.activities[0], ActivityStatus.CANCELLED, "Đã hủy", "black"),
        (world.activities[1], ActivityStatus.SUSPENDED, "Tạm dừng", "purple"),
    ):
        activity.funding_partners.add(donor)
        progress = ActivityProgress.objects.get(activity=activity, delivery_plan=world.delivery_plan)
        ApprovedValue.objects.filter(item_id=progress.pk, item_type__model="activityprogress").update(data={**progress_data(progress), "status": status})
        with translation.override("vi"):
            page = client.get(reverse("public:activity-detail", args=[activity.pk])).content.decode()
        assert f"status-{colour}" in page
        assert label in page
        assert "Nhà tài trợ công khai" in page
    with translation.override("vi"):
        agencies = client.get(reverse("public:agency-list")).content.decode()
    assert "Nhà tài trợ công khai" in agencies


def progress_data(progress) -> dict:
    return ApprovedValue.objects.get(item_id=progress.pk, item_type__model="activityprogress").data


def test_a_year_with_a_line_not_yet_committed_is_an_indicative_budget(client, world, schema):
    committed, mixed = world.activities[0], world.activities[1]
    BudgetLineFactory(activity=mixed, delivery_plan=world.delivery_plan, status=FundingStatus.ESTIMATED, amount_vnd=50_000_000)

    document = parse(download(client), schema)

    by_id = activities_by_id(document)
    assert by_id[iati.activity_identifier(world.plan, committed)].find("budget").get("status") == "2"
    budget = by_id[iati.activity_identifier(world.plan, mixed)].find("budget")
    assert budget.get("status") == "1"
    assert budget.find("value").text == "150000000"
