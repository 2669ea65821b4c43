"""The public objective, task group and agency pages: published figures only, in both languages."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from napwps.text import vi_sort_key
from planning.models import Activity, OrganisationLevel, SubTask
from tests.factories import ObjectiveFactory, OrganisationFactory, PlanFactory, TaskGroupFactory, leak_strings, public_world

pytestmark = pytest.mark.django_db

LANGUAGES = ("vi", "en")


def url(name, language="vi", *args, query=""):
    with translation.override(language):
        return reverse(f"public:{name}", args=args) + query


def pages(world):
    """Every page of this package for the world's published plan."""
    task_group = world.activities[0].task_group
    return [
        ("objective-detail", (world.objective.pk,)),
        ("taskgroup-detail", (task_group.pk,)),
        ("agency-list", ()),
        ("agency-detail", (world.agency.pk,)),
        ("agency-detail", (world.returned_activity.lead_agency_id,)),
        ("agency-detail", (world.unpublished_activity.lead_agency_id,)),
    ]


def text_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def world():
    return public_world(activities=3)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_answers_anonymously_and_shows_no_unpublished_value(client, world, language):
    for name, args in pages(world):
        response = client.get(url(name, language, *args))
        assert response.status_code == 200, name
        html = text_of(response)
        for leak in leak_strings():
            assert leak not in html, (name, args, leak)
        assert f"/activities/{world.hidden_activity.pk}/" not in html
        assert html.count("<h1") == 1
        assert '<meta name="description" content="' in html


def test_the_vietnamese_pages_show_the_vietnamese_labels(client, world):
    html = text_of(client.get(url("agency-detail", "vi", world.agency.pk)))
    assert "Hoạt động chủ trì năm 2024" in html and "Not reported yet" not in html and "Funding gap" not in html
    assert "Not reported yet" not in html and "Estimated budget" not in html


def test_an_agency_leading_only_the_unpublished_activity_has_no_page(client, world):
    world.hidden_activity.lead_agency = OrganisationFactory(name_vi="Chỉ kế hoạch chưa công bố")
    world.hidden_activity.save()
    lonely = world.hidden_activity.lead_agency
    assert client.get(url("agency-detail", "vi", lonely.pk)).status_code == 404
    assert "Chỉ kế hoạch chưa công bố" not in text_of(client.get(url("agency-list", "vi")))
    never = OrganisationFactory()
    assert client.get(url("agency-detail", "en", never.pk)).status_code == 404


def test_rows_of_another_plan_are_not_found(client, world):
    other_plan = PlanFactory(code="other-plan")
    objective = ObjectiveFactory(plan=other_plan)
    task_group = TaskGroupFactory(plan=other_plan)
    assert client.get(url("objective-detail", "vi", objective.pk)).status_code == 404
    assert client.get(url("taskgroup-detail", "vi", task_group.pk)).status_code == 404


def test_the_objective_page_shows_the_published_figures(client, world):
    html = text_of(client.get(url("objective-detail", "vi", world.objective.pk)))
    first = world.activities[0]
    assert f"/activities/{first.pk}/" in html
    assert "50%" in html and "51%" in html and "52%" in html  # the published progress
    assert "100.000.000 ₫" in html  # each activity's estimated budget
    assert "500.000.000 ₫" in html  # the year's total by source (five published lines)
    assert f"?objective={world.objective.pk}&amp;year={world.year}" in html
    assert "Đúng tiến độ: 3" in html  # the published statuses, not the drafted "off track" correction


def test_the_objective_page_lists_the_indicators_of_its_outputs_with_their_standing(client, world):
    world.indicators[0].level = "output"
    world.indicators[0].output, world.indicators[0].activity = world.output, None
    world.indicators[0].save()
    html = text_of(client.get(url("objective-detail", "en", world.objective.pk)))
    assert f"/indicators/{world.indicators[0].pk}/" in html
    assert "Behind target" in html  # published actual 7 against the target 10


def test_the_task_group_page_marks_an_unofficial_translation(client, world):
    task_group = world.activities[0].task_group
    SubTask.objects.create(task_group=task_group, letter="a", title_vi="Nhiệm vụ dịch tạm", title_vi_unofficial=True)
    SubTask.objects.create(task_group=task_group, letter="b", title_vi="Nhiệm vụ chính thức", title_en="Official task")
    vi = text_of(client.get(url("taskgroup-detail", "vi", task_group.pk)))
    en = text_of(client.get(url("taskgroup-detail", "en", task_group.pk)))
    assert "Nhiệm vụ dịch tạm" in vi and "Official task" in en
    assert vi.count("unofficial-translation") == 1 and en.count("unofficial-translation") == 1
    assert f"/activities/{world.activities[0].pk}/" in vi
    assert f"/activities/{world.activities[1].pk}/" not in vi


def test_the_agency_page_shows_what_it_leads_and_partners(client, world):
    partner = OrganisationFactory(name_vi="Hội Liên hiệp Phụ nữ Việt Nam", acronym="HLHPN")
    world.activities[1].partner_agencies.add(partner)
    html = text_of(client.get(url("agency-detail", "vi", world.agency.pk)))
    for activity in world.activities:
        assert f"/activities/{activity.pk}/" in html
    assert "300.000.000 ₫" in html  # estimated over the three activities it leads
    assert "Đúng tiến độ: 3" in html and "90.000.000" not in html  # execution is not a line amount
    assert f"/indicators/{world.indicators[0].pk}/" in html
    partner_html = text_of(client.get(url("agency-detail", "vi", partner.pk)))
    assert "Hội Liên hiệp Phụ nữ Việt Nam" in partner_html and "(HLHPN)" in partner_html
    assert f"/activities/{world.activities[1].pk}/" in partner_html
    assert f"/activities/{world.activities[0].pk}/" not in partner_html


def test_the_agency_page_names_a_renamed_ministry(client, world):
    old = OrganisationFactory(name_vi="Bộ Lao động - Thương binh và Xã hội", name_en="Ministry of Labour, Invalids and Social Affairs")
    newer = OrganisationFactory(name_vi="Bộ Nội vụ", name_en="Ministry of Home Affairs")
    old.successors.add(world.agency)
    world.agency.successors.add(newer)
    html = text_of(client.get(url("agency-detail", "en", world.agency.pk)))
    assert "Formerly" in html and "Ministry of Labour, Invalids and Social Affairs" in html
    assert "Became" in html and "Ministry of Home Affairs" in html
    # Neither leads a public activity: named, not linked.
    assert f"/agencies/{old.pk}/" not in html


def test_the_agency_list_groups_by_level_and_sorts_the_vietnamese_way(client, world):
    names = ["Bộ Y tế", "Bộ Công an", "Bộ Quốc phòng", "Ủy ban nhân dân tỉnh An Giang"]
    for name in names:
        level = OrganisationLevel.PROVINCIAL if name.startswith("Ủy") else OrganisationLevel.CENTRAL
        world.activities[2].partner_agencies.add(OrganisationFactory(name_vi=name, level=level))
    un = OrganisationFactory(name_vi="Cơ quan Liên hợp quốc về Phụ nữ", level=OrganisationLevel.INTERNATIONAL)
    world.activities[2].supporting_partners.add(un)
    html = text_of(client.get(url("agency-list", "vi")))
    positions = [html.index(name) for name in ("Bộ Công an", "Bộ Quốc phòng", "Bộ Y tế")]
    assert positions == sorted(positions)
    assert html.index('id="group-central"') < html.index("Bộ Công an") < html.index('id="group-provincial"')
    assert html.index('id="group-provincial"') < html.index("Ủy ban nhân dân tỉnh An Giang") < html.index('id="group-international"')
    assert html.index('id="group-international"') < html.index("Cơ quan Liên hợp quốc về Phụ nữ")
    # The lead agency: three activities led this year, three on track, 300.000.000 ₫.
    row = re.search(rf'agencies/{world.agency.pk}/\?year={world.year}".*?</tr>', html, re.S).group(0)
    assert ">3</td>" in row and "300.000.000 ₫" in row and ": 3" in row


def test_the_vietnamese_sort_key_follows_the_vietnamese_alphabet():
    names = ["Bộ Y tế", "Bộ Công an", "Bộ Công Thương", "Ban Dân vận", "Bộ Đối ngoại", "Bộ Dân tộc"]
    assert sorted(names, key=vi_sort_key) == ["Ban Dân vận", "Bộ Công an", "Bộ Công Thương", "Bộ Dân tộc", "Bộ Đối ngoại", "Bộ Y tế"]


def test_no_personal_data_on_the_agency_pages(client, world):
    html = text_of(client.get(url("agency-detail", "vi", world.agency.pk))) + text_of(client.get(url("agency-list", "vi")))
    assert world.focal.username not in html and (world.focal.email or "@") not in html


@pytest.mark.parametrize("name", ["objective-detail", "taskgroup-detail", "agency-list", "agency-detail"])
def test_query_counts_stay_the_same_whatever_the_size(client, django_assert_max_num_queries, name):
    world = public_world(activities=2, plant=False)
    args = {
        "objective-detail": (world.objective.pk,),
        "taskgroup-detail": (world.activities[0].task_group_id,),
        "agency-list": (),
        "agency-detail": (world.agency.pk,),
    }[name]
    page = url(name, "vi", *args)
    client.get(page)  # warm the caches (session, translations)
    with django_assert_max_num_queries(40) as small:
        assert client.get(page).status_code == 200
    world.add_published(25)
    added = Activity.objects.filter(pk__in=[activity.pk for activity in world.activities[2:]])
    if name == "taskgroup-detail":
        added.update(task_group_id=world.activities[0].task_group_id)
    if name == "agency-detail":
        added.update(lead_agency=world.agency)
    for index, activity in enumerate(world.activities[2:]):
        activity.partner_agencies.add(OrganisationFactory(level=OrganisationLevel.PROVINCIAL if index % 2 else OrganisationLevel.INTERNATIONAL))
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page)
    assert response.status_code == 200
    if name != "agency-list":
        assert text_of(response).count("/activities/") >= 27


def test_budget_totals_match_the_published_lines(client, world):
    from planning.selectors import public

    totals = public.public_budget_totals(world.plan, year=world.year)
    assert totals["estimated"] == Decimal(500_000_000)
    html = text_of(client.get(url("objective-detail", "vi", world.objective.pk)))
    assert "500.000.000 ₫" in html
