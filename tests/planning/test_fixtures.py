"""The reference fixtures (the NAP, agencies, provinces) and the demo data command."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from planning.demo import REFERENCE_FIXTURES, load_missing_reference_data
from planning.models import (
    Activity,
    BudgetLine,
    DeliveryPlan,
    Disaggregation,
    FrameworkReference,
    Indicator,
    IndicatorPeriod,
    MeansOfImplementation,
    Membership,
    Objective,
    Organisation,
    Output,
    Pillar,
    Plan,
    Province,
    ProvinceSuccession,
    SubTask,
    TaskGroup,
)

NAP = "nap-wps-2024-2030"
REFERENCE_MODELS = [Plan, Objective, TaskGroup, SubTask, Organisation, Province, ProvinceSuccession, MeansOfImplementation, Disaggregation, FrameworkReference]
DEMO_MODELS = [*REFERENCE_MODELS, DeliveryPlan, Output, Activity, BudgetLine, Indicator, IndicatorPeriod, Membership, get_user_model()]


def counts(models) -> dict[str, int]:
    table = {model._meta.label: model.objects.count() for model in models}
    table["organisation successors"] = Organisation.successors.through.objects.count()
    return table


# Provinces ------------------------------------------------------------------------------------


def test_34_provinces_are_valid_from_1_july_2025(reference_data):
    assert Province.objects.valid_on(datetime.date(2025, 7, 1)).count() == 34


def test_63_provinces_were_valid_on_30_june_2025(reference_data):
    assert Province.objects.valid_on(datetime.date(2025, 6, 30)).count() == 63


def test_ha_giang_became_tuyen_quang_on_1_july_2025(reference_data):
    ha_giang = Province.objects.get(code="02")

    assert ha_giang.name_vi == "Hà Giang"
    assert ha_giang.valid_to == datetime.date(2025, 6, 30)
    [successor] = ha_giang.successors.all()
    assert (successor.code, successor.name_vi, successor.valid_from, successor.valid_to) == ("08", "Tuyên Quang", datetime.date(2025, 7, 1), None)


def test_every_province_that_ended_on_30_june_2025_has_a_successor(reference_data):
    ended = Province.objects.filter(valid_to=datetime.date(2025, 6, 30))

    assert ended.count() == 63 - 11
    assert list(ended.filter(successors__isnull=True)) == []


def test_only_tien_giang_split_between_two_new_provinces(reference_data):
    """Research §5.2: Tiền Giang (old 82) formed Đồng Tháp (new 82) with Đồng Tháp (87), as the merger
    lists say; at ward level some of it went to Tây Ninh (new 80): that link alone is partial."""
    links = ProvinceSuccession.objects.filter(predecessor__code="82")

    assert sorted((link.successor.code, link.partial) for link in links) == [("80", True), ("82", False)]
    assert list(ProvinceSuccession.objects.filter(partial=True).values_list("predecessor__code", "successor__code")) == [("82", "80")]


def test_loading_the_reference_fixtures_twice_changes_nothing(reference_data):
    before = counts(REFERENCE_MODELS)

    call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)

    assert counts(REFERENCE_MODELS) == before
    assert before["planning.Province"] == 87  # 63 + 34 - 11 unchanged, and Huế as province then city


# The NAP --------------------------------------------------------------------------------------


def test_nap_is_decision_101_of_25_january_2024_for_2024_to_2030_coordinated_by_mofa(reference_data):
    plan = Plan.objects.get(code=NAP)

    assert plan.decision_number == "101/QĐ-TTg"
    assert plan.decision_date == datetime.date(2024, 1, 25)
    assert (plan.start_year, plan.end_year) == (2024, 2030)
    assert plan.coordinator.code == "mofa"
    assert plan.coordinator.acronym == "MOFA"


def test_nap_has_four_objectives_one_per_pillar(reference_data):
    objectives = Objective.objects.filter(plan__code=NAP).order_by("code")

    assert [(o.code, o.pillar) for o in objectives] == [
        ("1", Pillar.PARTICIPATION),
        ("2", Pillar.PREVENTION_PROTECTION),
        ("3", Pillar.RELIEF_RECOVERY),
        ("4", Pillar.INTERNATIONAL_COOPERATION),
    ]


def test_nap_has_five_task_groups_and_group_1_has_sub_tasks_a_b_c(reference_data):
    groups = TaskGroup.objects.filter(plan__code=NAP)

    assert sorted(groups.values_list("code", flat=True)) == ["1", "2", "3", "4", "5"]
    assert list(groups.get(code="1").subtasks.order_by("letter").values_list("letter", flat=True)) == ["a", "b", "c"]


def test_every_objective_and_task_group_has_vietnamese_and_english_titles(reference_data):
    parts = [*Objective.objects.filter(plan__code=NAP), *TaskGroup.objects.filter(plan__code=NAP)]

    assert len(parts) == 9
    for part in parts:
        assert part.title_vi.strip(), part
        assert part.title_en.strip(), part


# Organisations --------------------------------------------------------------------------------


def test_molisa_was_succeeded_by_moha_moh_and_moet(reference_data):
    molisa = Organisation.objects.get(code="molisa")

    assert molisa.active_to is not None
    assert set(molisa.successors.values_list("code", flat=True)) == {"moha", "moh", "moet"}


def test_every_provinces_peoples_committee_is_there_before_and_after_1_july_2025(reference_data):
    committees = Organisation.objects.filter(code__startswith="ppc-")
    assert committees.active_on(datetime.date(2025, 6, 30)).count() == 63
    assert committees.active_on(datetime.date(2025, 7, 1)).count() == 34
    for committee in committees.filter(active_to=datetime.date(2025, 6, 30)).prefetch_related("successors__province", "province__successors"):
        assert {successor.province for successor in committee.successors.all()} == set(committee.province.successors.all()), committee


def test_quang_nams_committee_was_succeeded_by_da_nangs(reference_data):
    quang_nam = Organisation.objects.get(code="ppc-49-to-2025")
    assert quang_nam.name_vi == "Ủy ban nhân dân tỉnh Quảng Nam"
    assert [successor.name_vi for successor in quang_nam.successors.all()] == ["Ủy ban nhân dân thành phố Đà Nẵng"]


# Demo data ------------------------------------------------------------------------------------


def test_demo_data_is_idempotent(demo_data):
    before = counts(DEMO_MODELS)

    call_command("load_demo_data", stdout=io.StringIO())

    assert counts(DEMO_MODELS) == before
    assert before["planning.Activity"] == 30
    for label in ("planning.BudgetLine", "planning.Indicator", "planning.IndicatorPeriod", get_user_model()._meta.label):
        assert before[label] > 0, label


def test_rerunning_load_demo_data_keeps_coordinators_edits_to_reference_data(demo_data):
    plan = Plan.objects.get(code=NAP)
    plan.general_objective_en = "Edited by a coordinator"
    plan.save()
    objective = Objective.objects.get(plan=plan, code="1")
    objective.title_en = "Edited objective"
    objective.save()
    molisa = Organisation.objects.get(code="molisa")
    molisa.successors.remove(Organisation.objects.get(code="moet"))

    call_command("load_demo_data", stdout=io.StringIO())

    assert Plan.objects.get(code=NAP).general_objective_en == "Edited by a coordinator"
    assert Objective.objects.get(plan=plan, code="1").title_en == "Edited objective"
    assert set(molisa.successors.values_list("code", flat=True)) == {"moha", "moh"}


def test_reference_rows_that_are_missing_are_added_again(reference_data):
    Organisation.objects.filter(code="ppc-02-to-2025").delete()
    Province.objects.filter(code="02").delete()
    before = Province.objects.count()

    assert load_missing_reference_data() == 3  # Hà Giang, its link to Tuyên Quang and its People's Committee

    ha_giang = Province.objects.get(code="02")
    assert Province.objects.count() == before + 1
    assert [p.code for p in ha_giang.successors.all()] == ["08"]
    assert [o.code for o in Organisation.objects.get(code="ppc-02-to-2025").successors.all()] == ["ppc-08"]


def test_demo_users_can_log_in_with_the_demo_password_even_after_a_second_load(demo_data, client):
    call_command("load_demo_data", stdout=io.StringIO())

    for username in ("coordinator", "focal.mps", "organiser"):
        assert client.login(username=username, password="demo-password"), username
        client.logout()
    assert not client.login(username="coordinator", password="wrong-password")


def test_every_sample_activity_is_flagged_and_titled_as_a_sample(demo_data):
    activities = Activity.objects.all()

    assert activities.count() == 30
    for activity in activities:
        assert activity.is_sample, activity.code
        assert activity.title_vi.startswith("[Mẫu]"), activity.code


def test_most_sample_indicators_have_a_baseline_labelled_as_a_sample(demo_data):
    indicators = Indicator.objects.filter(is_sample=True)
    with_baseline = indicators.filter(baseline_year__isnull=False)

    assert with_baseline.count() >= 0.8 * indicators.count()
    for indicator in with_baseline:
        assert indicator.baseline_value is not None or indicator.baseline_text_vi, indicator.code
        assert indicator.baseline_source_vi and indicator.baseline_source_en, indicator.code
    sample_sources = with_baseline.exclude(baseline_source_en__icontains="Hanoi Times")
    assert all("Sample" in i.baseline_source_en and "mẫu" in i.baseline_source_vi for i in sample_sources)
    assert IndicatorPeriod.objects.filter(indicator__in=with_baseline, target_value__isnull=False, actual_value__isnull=False).exists()


# Corrections (DOMAIN.md §2, §1) -----------------------------------------------------------------


def test_thua_thien_hue_was_a_province_until_2024_and_hue_a_city_from_2025(reference_data):
    province = Province.objects.valid_on(datetime.date(2024, 12, 31)).get(code="46")
    city = Province.objects.valid_on(datetime.date(2025, 1, 1)).get(code="46")

    assert (province.name_vi, province.kind, province.valid_to) == ("Thừa Thiên Huế", "province", datetime.date(2024, 12, 31))
    assert (city.name_vi, city.kind, city.valid_from, city.valid_to) == ("Huế", "city", datetime.date(2025, 1, 1), None)
    assert list(province.successors.all()) == [city]
    assert Province.objects.valid_on(datetime.date(2025, 7, 1)).get(code="46") == city


def test_hues_peoples_committee_is_named_after_the_same_dates(reference_data):
    committees = Organisation.objects.filter(code__in=["ppc-46", "ppc-46-to-2024"])

    assert committees.active_on(datetime.date(2024, 8, 8)).get().name_vi == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    assert committees.active_on(datetime.date(2025, 1, 1)).get().name_vi == "Ủy ban nhân dân thành phố Huế"
    assert [o.code for o in Organisation.objects.get(code="ppc-46-to-2024").successors.all()] == ["ppc-46"]


def test_no_committee_name_repeats_the_word_city(reference_data):
    assert not Organisation.objects.filter(name_vi__icontains="thành phố Thành phố").exists()
    assert Organisation.objects.get(code="ppc-79-to-2025").name_vi == "Ủy ban nhân dân Thành phố Hồ Chí Minh"


def test_the_womens_union_is_under_the_fatherland_front_only_from_1_july_2025(reference_data):
    union = Organisation.objects.get(code="vwu")

    assert union.parent_on(datetime.date(2025, 6, 30)) is None
    assert union.parent_on(datetime.date(2025, 7, 1)).code == "vff"


def test_our_own_vietnamese_translations_are_marked_unofficial(reference_data):
    plan = Plan.objects.get(code=NAP)

    assert plan.general_objective_vi_unofficial
    assert list(SubTask.objects.filter(task_group__plan=plan).values_list("letter", "title_vi_unofficial")) == [("a", True), ("b", True), ("c", True)]


def test_the_loader_corrects_a_database_loaded_from_the_old_fixtures_but_keeps_edits(demo_data):
    from events.models import Event, Participation

    hue = Province.objects.get(code="46", valid_from=None)
    city = Province.objects.get(code="46", valid_from=datetime.date(2025, 1, 1))
    # The database as the old fixtures left it: one Huế row, valid throughout, with its committee.
    Participation.objects.filter(organisation__code="ppc-46-to-2024").update(organisation=Organisation.objects.get(code="ppc-46"))
    Organisation.objects.filter(code="ppc-46-to-2024").delete()
    Organisation.objects.filter(code="ppc-46").update(province=hue, active_from=None)
    event = Event.objects.get(code="sample-training-da-nang-2026-12")
    Event.objects.filter(pk=event.pk).update(province=hue, start_date=datetime.date(2026, 12, 8))
    ProvinceSuccession.objects.filter(predecessor=hue).delete()
    Participation.objects.filter(province=city).update(province=hue)
    for activity in Activity.objects.filter(provinces=city):
        activity.provinces.add(hue)
    Province.objects.filter(pk=city.pk).delete()
    Province.objects.filter(pk=hue.pk).update(name_vi="Huế", name_en="Hue", kind="city", valid_to=None, former_name="Thừa Thiên Huế")
    Organisation.objects.filter(code="ppc-79-to-2025").update(name_vi="Ủy ban nhân dân thành phố Thành phố Hồ Chí Minh")
    Organisation.objects.filter(code="vwu").update(parent_from=None)
    Plan.objects.filter(code=NAP).update(general_objective_vi_unofficial=False)
    SubTask.objects.filter(letter="a").update(title_vi="Edited by a coordinator", title_vi_unofficial=False)
    SubTask.objects.filter(letter="b").update(title_vi_unofficial=False)

    call_command("load_demo_data", stdout=io.StringIO())

    test_thua_thien_hue_was_a_province_until_2024_and_hue_a_city_from_2025(None)
    test_hues_peoples_committee_is_named_after_the_same_dates(None)
    test_no_committee_name_repeats_the_word_city(None)
    test_the_womens_union_is_under_the_fatherland_front_only_from_1_july_2025(None)
    assert Plan.objects.get(code=NAP).general_objective_vi_unofficial
    assert list(SubTask.objects.order_by("letter").values_list("letter", "title_vi_unofficial")) == [("a", False), ("b", True), ("c", True)]
    event.refresh_from_db()
    assert event.province.valid_from == datetime.date(2025, 1, 1)  # a 2026 event is in the city of Huế
    assert not Participation.objects.filter(event=event, province__code="46", province__valid_from=None).exists()
    before = counts(REFERENCE_MODELS)
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts(REFERENCE_MODELS) == before


def test_a_coordinators_own_name_for_a_committee_is_kept(reference_data):
    Organisation.objects.filter(code="ppc-79-to-2025").update(name_vi="UBND TP.HCM (tên do điều phối viên sửa)")

    call_command("load_demo_data", stdout=io.StringIO())

    assert Organisation.objects.get(code="ppc-79-to-2025").name_vi == "UBND TP.HCM (tên do điều phối viên sửa)"
