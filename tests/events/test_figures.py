"""Counting people trained: unique people across days and events, learning, satisfaction."""

import datetime
from dataclasses import asdict
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events import selectors
from events.models import Event, Participation, RegistrationStatus, Role, Sector, Sex
from planning.models import Province, ProvinceSuccession
from tests.factories import AttendanceFactory, EventFactory, FeedbackFactory, ParticipationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def attend(participation, *days):
    for day in days:
        AttendanceFactory(participation=participation, day=day)


def test_a_person_is_counted_once_however_many_days_and_events_they_came_to():
    first, second = EventFactory(), EventFactory(start_date=datetime.date(2025, 6, 2), end_date=datetime.date(2025, 6, 3))
    hoa, nam = PersonFactory(sex=Sex.FEMALE), PersonFactory(sex=Sex.MALE)
    attend(ParticipationFactory(event=first, person=hoa), *first.days)
    attend(ParticipationFactory(event=second, person=hoa), *second.days)
    attend(ParticipationFactory(event=first, person=nam), first.start_date)
    ParticipationFactory(event=second)  # registered, never came

    figures = selectors.people_figures(selectors.counted_participations(Participation.objects.all()))

    assert figures.total == 2
    assert figures.by["sex"] == {Sex.FEMALE: 1, Sex.MALE: 1}


def test_sector_and_role_come_from_the_latest_participation():
    first, later = EventFactory(), EventFactory(start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2025, 9, 1))
    person = PersonFactory()
    attend(ParticipationFactory(event=first, person=person, sector=Sector.NGO), first.start_date)
    attend(ParticipationFactory(event=later, person=person, sector=Sector.ACADEMIA), later.start_date)

    figures = selectors.people_figures(selectors.counted_participations())

    assert figures.by["sector"] == {Sector.ACADEMIA: 1}


def test_minimum_days_cancelled_registrations_and_roles_decide_who_counts():
    event = EventFactory()
    full, one_day = ParticipationFactory(event=event), ParticipationFactory(event=event)
    cancelled = ParticipationFactory(event=event, status=RegistrationStatus.CANCELLED)
    speaker = ParticipationFactory(event=event, role=Role.SPEAKER)
    attend(full, *event.days)
    attend(one_day, event.start_date)
    attend(cancelled, event.start_date)
    attend(speaker, *event.days)

    assert set(selectors.counted_participations(min_days=3)) == {full}
    assert set(selectors.counted_participations(min_days=1)) == {full, one_day}
    assert set(selectors.counted_participations(min_days=1, roles=())) == {full, one_day, speaker}


def test_attendance_rate_per_day():
    event = EventFactory()
    people = [ParticipationFactory(event=event) for _ in range(4)]
    attend(people[0], event.days[0], event.days[1])
    attend(people[1], event.days[0])
    ParticipationFactory(event=event, status=RegistrationStatus.CANCELLED)

    rows = selectors.attendance_by_day(event)

    assert [(row.present, row.expected, row.rate) for row in rows] == [(2, 4, Decimal("50.0")), (1, 4, Decimal("25.0")), (0, 4, Decimal("0.0"))]


def test_knowledge_gain_uses_only_people_with_both_scores():
    event = EventFactory()
    ParticipationFactory(event=event, pre_test_score=40, post_test_score=70)
    ParticipationFactory(event=event, pre_test_score=60, post_test_score=50)
    ParticipationFactory(event=event, pre_test_score=90)  # no post-test: left out
    ParticipationFactory(event=event, post_test_score=100)  # no pre-test: left out

    gain = selectors.knowledge_gain(event.participations.all())

    assert gain.pairs == 2
    assert (gain.mean_pre, gain.mean_post, gain.mean_gain) == (Decimal("50.0"), Decimal("60.0"), Decimal("10.0"))
    assert gain.improved == 1
    assert gain.improved_share == Decimal("50.0")


def test_satisfaction_averages_the_forms():
    event = EventFactory()
    FeedbackFactory(event=event, satisfaction=5, relevance=4)
    FeedbackFactory(event=event, satisfaction=4, relevance=4)
    FeedbackFactory(event=EventFactory(), satisfaction=1, relevance=1)  # another event

    result = selectors.satisfaction(Event.objects.filter(pk=event.pk))

    assert (result.responses, result.satisfaction, result.relevance) == (2, Decimal("4.50"), Decimal("4.00"))


def test_public_figures_show_small_groups_as_less_than_five_and_hide_what_gives_them_away():
    event = EventFactory()
    for _ in range(6):
        attend(ParticipationFactory(event=event, person=PersonFactory(sex=Sex.FEMALE), sector=Sector.GOVERNMENT), event.start_date)
    for _ in range(2):
        attend(ParticipationFactory(event=event, person=PersonFactory(sex=Sex.MALE), sector=Sector.GOVERNMENT), event.start_date)

    public = selectors.people_figures(selectors.counted_participations()).public()

    assert public.total == 8
    assert public.by["sex"] == {Sex.FEMALE: "x", Sex.MALE: "< 5"}  # 6 shown would give male = 8 - 6 away
    assert public.by["sector"] == {Sector.GOVERNMENT: 8}


@pytest.mark.parametrize(
    ("counts", "public"),
    [
        ({"a": 10, "b": 6, "c": 2}, {"a": 10, "b": "x", "c": "< 5"}),  # one small group: the next-smallest is hidden too
        ({"a": 10, "b": 7, "c": 1, "d": 2}, {"a": 10, "b": "x", "c": "< 5", "d": "< 5"}),  # small groups that add up to under five
        ({"a": 10, "c": 3, "d": 4}, {"a": 10, "c": "< 5", "d": "< 5"}),  # hidden groups add up to seven: nothing more to hide
        ({"a": 10, "b": 6}, {"a": 10, "b": 6}),
        ({"a": 3, "b": 1}, {"a": "< 5", "b": "< 5"}),  # the total is itself under five
    ],
)
def test_suppressing_a_breakdown_hides_small_groups_and_whatever_would_reveal_them(counts, public):
    assert selectors.suppress_breakdown(counts) == public


def small_event(people, *, improved, feedback):
    """An event with `people` participants present on its first day, all with paired scores."""
    event = EventFactory()
    for index in range(people):
        post = 80 if index < improved else 40
        attend(ParticipationFactory(event=event, person=PersonFactory(sex=Sex.FEMALE), pre_test_score=50, post_test_score=post), event.start_date)
    for _ in range(feedback):
        FeedbackFactory(event=event, satisfaction=4, relevance=5)
    return event


def test_public_event_figures_hide_measures_fewer_than_five_people_gave():
    small_event(4, improved=4, feedback=4)

    figures = selectors.public_event_figures(Event.objects.all())

    assert (figures.people, figures.everyone) == ("< 5", "< 5")
    assert (figures.knowledge.pairs, figures.knowledge.mean_gain, figures.knowledge.improved_share) == ("< 5", None, None)
    assert (figures.satisfaction.responses, figures.satisfaction.satisfaction, figures.satisfaction.relevance) == ("< 5", None, None)
    assert [day.rate for day in figures.attendance] == [None, None, None]
    assert figures.attendance_rate is None


def test_public_event_figures_show_measures_of_five_people_or_more():
    event = small_event(6, improved=6, feedback=5)

    figures = selectors.public_event_figures(Event.objects.all())

    assert figures.people == figures.everyone == 6
    assert (figures.knowledge.pairs, figures.knowledge.mean_gain, figures.knowledge.improved_share) == (6, Decimal("30.0"), Decimal("100.0"))
    assert (figures.satisfaction.responses, figures.satisfaction.satisfaction, figures.satisfaction.relevance) == (5, Decimal("4.00"), Decimal("5.00"))
    assert [(day.event, day.day, day.rate) for day in figures.attendance] == [
        (event.code, day, Decimal("100.0") if day == event.start_date else Decimal("0.0")) for day in event.days
    ]
    assert figures.attendance_rate == Decimal("33.3")


def test_public_share_who_improved_is_hidden_when_it_would_count_fewer_than_five():
    small_event(7, improved=2, feedback=0)

    knowledge = selectors.public_event_figures(Event.objects.all()).knowledge

    assert (knowledge.pairs, knowledge.mean_gain, knowledge.improved_share) == (7, Decimal("1.4"), None)  # mean post 51.4 of pre 50


def test_public_breakdowns_are_suppressed_and_count_every_role():
    event = small_event(6, improved=0, feedback=0)
    attend(ParticipationFactory(event=event, role=Role.SPEAKER, person=PersonFactory(sex=Sex.MALE)), event.start_date)

    with translation.override("en"):
        shown = {breakdown.dimension: breakdown for breakdown in selectors.public_event_figures(Event.objects.all()).breakdowns}

    assert dict(shown["role"].rows) == {"Participant": "x", "Speaker": "< 5"}
    assert (shown["role"].total, shown["sex"].total) == ("x", 6)  # 7 beside 6 would give away the one speaker
    assert dict(shown["sex"].rows) == {"Female": 6}  # the speaker is not among the people trained
    assert selectors.public_event_figures(Event.objects.all()).everyone == "x"


def test_public_attendance_rates_hide_days_when_few_were_present_or_few_were_absent():
    past = EventFactory(start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 3))
    people = [ParticipationFactory(event=past) for _ in range(12)]
    for participation in people[:2]:  # day 1: 2 of 12 present
        attend(participation, past.days[0])
    for participation in people[:9]:  # day 2: 9 present, 3 absent
        attend(participation, past.days[1])
    for participation in people[:6]:  # day 3: 6 present, 6 absent
        attend(participation, past.days[2])
    upcoming = EventFactory(start_date=timezone.localdate() + datetime.timedelta(days=9), end_date=timezone.localdate() + datetime.timedelta(days=9))
    for _ in range(10):
        ParticipationFactory(event=upcoming)

    figures = selectors.public_event_figures(Event.objects.all())

    assert [day.rate for day in figures.attendance] == [None, None, Decimal("50.0"), None]
    assert figures.attendance_rate == Decimal("47.2")  # 17 person-days of 36, the days to come left out


def test_public_event_figures_hold_no_names_contacts_or_records():
    event = small_event(6, improved=3, feedback=5)
    hong = PersonFactory(full_name="Nguyễn Thị Hồng", email="hong@example.vn", phone="0912345678")
    attend(ParticipationFactory(event=event, person=hong), event.start_date)

    figures = selectors.public_event_figures(Event.objects.all())

    def values(item):
        if isinstance(item, dict):
            return [value for pair in item.items() for part in pair for value in values(part)]
        if isinstance(item, list | tuple):
            return [value for part in item for value in values(part)]
        return [item]

    leaves = values(asdict(figures))
    assert all(isinstance(leaf, str | int | Decimal | datetime.date | None) for leaf in leaves)
    text = " ".join(map(str, leaves))
    for private in ("Nguyễn Thị Hồng", "hong@example.vn", "0912345678"):
        assert private not in text


def test_figures_filter_by_year_type_province_and_objective(reference_data):
    from planning.models import Objective, Province, TaskGroup
    from tests.factories import ActivityFactory, OutputFactory

    objective = Objective.objects.get(code="2")
    activity = ActivityFactory(output=OutputFactory(objective=objective), task_group=TaskGroup.objects.get(plan=objective.plan, code="2"))
    ha_noi = Province.objects.get(code="01")
    matching = EventFactory(type="training", province=ha_noi)
    matching.activities.add(activity)
    EventFactory(type="workshop", province=ha_noi)
    EventFactory(type="training", start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2024, 5, 1))

    events = selectors.filter_events(Event.objects.all(), year=2025, type="training", province=ha_noi, objective=objective)

    assert list(events) == [matching]


def test_people_trained_are_participants_while_the_role_breakdown_counts_every_role():
    event = EventFactory()
    for role in (Role.PARTICIPANT, Role.PARTICIPANT, Role.SPEAKER, Role.FACILITATOR, Role.ORGANISER):
        attend(ParticipationFactory(event=event, role=role), event.start_date)
    ParticipationFactory(event=event, role=Role.SPEAKER)  # never came: not counted in any group

    figures = selectors.event_figures(Event.objects.filter(pk=event.pk))

    assert figures.people.total == 2
    assert figures.everyone.total == 5
    assert figures.everyone.by["role"] == {Role.PARTICIPANT: 2, Role.SPEAKER: 1, Role.FACILITATOR: 1, Role.ORGANISER: 1}
    with translation.override("en"):
        shown = {breakdown.dimension: breakdown for breakdown in figures.breakdowns()}
    assert list(shown) == ["sex", "sector", "province", "age_band", "role"]
    assert sum(count for _, count in shown["sex"].rows) == shown["sex"].total == 2
    assert (shown["role"].title, shown["role"].total) == ("Everyone who took part, by role", 5)
    assert dict(shown["role"].rows) == {"Participant": 2, "Speaker": 1, "Facilitator": 1, "Organiser": 1}


def test_figures_page_labels_people_trained_apart_from_everyone_by_role(admin_client):
    event = EventFactory()
    attend(ParticipationFactory(event=event, role=Role.PARTICIPANT), event.start_date)
    attend(ParticipationFactory(event=event, role=Role.SPEAKER), event.start_date)

    with translation.override("en"):
        page = admin_client.get(reverse("events:figures")).content.decode()

    assert "people trained: participants who attended, counted once" in page
    assert "2 people took part in any role" in page
    assert "Everyone who took part, by role" in page
    assert "People trained by sex" in page


# Provinces: events keep the province they were held in; figures roll up to the 34 current units.


def province(code, valid_from=None):
    return Province.objects.get(code=code, valid_from=valid_from)


NEW = datetime.date(2025, 7, 1)


def test_former_provinces_roll_up_to_the_unit_they_joined_whole(reference_data):
    long_an, old_tay_ninh, tien_giang, ha_noi = province("80"), province("72"), province("82"), province("01")
    tay_ninh, dong_thap = province("80", NEW), province("82", NEW)

    units = selectors.province_roll_up()

    assert units[long_an.pk] == units[old_tay_ninh.pk] == tay_ninh.pk
    assert units[tien_giang.pk] == dong_thap.pk  # split at ward level: Tây Ninh took only part of it
    assert ha_noi.pk not in units  # unchanged: counts as itself
    assert len(set(units.values()) | set(Province.objects.filter(valid_to__isnull=True).values_list("pk", flat=True))) == 34


def test_a_province_with_only_partial_links_goes_to_its_first_successor_by_code(db):
    from tests.factories import ProvinceFactory

    old = ProvinceFactory(code="90", valid_to=datetime.date(2025, 6, 30))
    second, first = ProvinceFactory(code="92", valid_from=NEW), ProvinceFactory(code="91", valid_from=NEW)
    for successor in (second, first):
        ProvinceSuccession.objects.create(predecessor=old, successor=successor, partial=True)

    assert selectors.province_roll_up() == {old.pk: first.pk}


def test_province_breakdown_counts_people_under_the_current_units(reference_data):
    event = EventFactory()
    for code in ("80", "72", "82", "01"):  # Long An, old Tây Ninh, Tiền Giang, Hà Nội
        attend(ParticipationFactory(event=event, province=province(code)), event.start_date)
    attend(ParticipationFactory(event=event, province=province("80", NEW)), event.start_date)  # already the new Tây Ninh

    by_province = selectors.people_figures(selectors.counted_participations()).by["province"]

    assert by_province == {province("80", NEW).pk: 3, province("82", NEW).pk: 1, province("01").pk: 1}


def test_province_filter_matches_events_held_in_the_provinces_merged_into_a_unit(reference_data):
    in_long_an = EventFactory(province=province("80"))
    in_old_tay_ninh = EventFactory(province=province("72"))
    in_new_tay_ninh = EventFactory(province=province("80", NEW))
    in_tien_giang = EventFactory(province=province("82"))
    EventFactory(province=province("01"))

    def held_in(unit):
        return set(selectors.filter_events(Event.objects.all(), province=unit))

    assert held_in(province("80", NEW)) == {in_long_an, in_old_tay_ninh, in_new_tay_ninh}
    assert held_in(province("82", NEW)) == {in_tien_giang}
    assert held_in(province("80")) == {in_long_an}  # a former province still matches exactly


def test_attendance_rate_per_day_across_events():
    first = EventFactory(start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 2))
    later = EventFactory(start_date=datetime.date(2025, 5, 1), end_date=datetime.date(2025, 5, 1))
    a, b = ParticipationFactory(event=first), ParticipationFactory(event=first)
    attend(a, *first.days)
    attend(b, first.start_date)
    attend(ParticipationFactory(event=later), later.start_date)
    for _ in range(3):
        ParticipationFactory(event=later)

    summary = selectors.attendance_across(Event.objects.all())

    assert [(row.event, row.day, row.present, row.expected) for row in summary.days] == [
        (first, datetime.date(2025, 3, 1), 2, 2),
        (first, datetime.date(2025, 3, 2), 1, 2),
        (later, datetime.date(2025, 5, 1), 1, 4),
    ]
    assert (summary.present, summary.expected, summary.rate) == (4, 8, Decimal("50.0"))


def test_days_still_to_come_have_no_rate_and_do_not_lower_the_overall_one():
    past = EventFactory(start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 1))
    upcoming = EventFactory(start_date=timezone.localdate() + datetime.timedelta(days=30), end_date=timezone.localdate() + datetime.timedelta(days=30))
    attend(ParticipationFactory(event=past), past.start_date)
    ParticipationFactory(event=upcoming)

    summary = selectors.attendance_across(Event.objects.all())

    assert [row.rate for row in summary.days] == [Decimal("100.0"), None]
    assert (summary.present, summary.expected, summary.rate) == (1, 1, Decimal("100.0"))


def test_figures_page_lists_attendance_per_event_day(admin_client):
    event = EventFactory(code="tap-huan-ha-noi")
    attend(ParticipationFactory(event=event), event.start_date)
    ParticipationFactory(event=event)

    with translation.override("en"):
        page = admin_client.get(reverse("events:figures")).content.decode()

    assert event.title_en in page
    assert "10 Mar 2025" in page  # English dates are unambiguous (napwps/formats/en)
    assert "50%" in page
    assert "Across these events: 16.7% attendance (1 person-days present of 6 expected)." in page


# Query counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("filtered", [False, True])
def test_figures_page_keeps_its_query_count_as_events_and_people_grow(admin_client, django_assert_max_num_queries, filtered):
    from tests.factories import ProvinceFactory

    merged = ProvinceFactory(code="70", valid_to=datetime.date(2025, 6, 30))
    unit = ProvinceFactory(code="71", valid_from=datetime.date(2025, 7, 1))
    ProvinceSuccession.objects.create(predecessor=merged, successor=unit)
    provinces = [merged, unit, None]

    def grow(count):
        for _ in range(count):
            event = EventFactory(province=merged, start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 11))
            for index, role in enumerate((Role.PARTICIPANT, Role.PARTICIPANT, Role.PARTICIPANT, Role.SPEAKER)):
                participation = ParticipationFactory(
                    event=event, role=role, province=provinces[index % 3], sector=Sector.NGO if index else Sector.MEDIA, pre_test_score=50, post_test_score=60
                )  # fmt: skip
                attend(participation, *event.days[: 1 + index % 2])
            FeedbackFactory(event=event, satisfaction=4, relevance=5)

    url = reverse("events:figures") + (f"?province={unit.pk}" if filtered else "")
    grow(3)
    with django_assert_max_num_queries(30) as small:
        response = admin_client.get(url)
    assert response.context["figures"].people.total == 9
    grow(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(url)
    assert response.context["figures"].people.total == 54
    assert response.context["figures"].people.by["province"] == {unit.pk: 36, "unknown": 18}
    assert len(response.context["attendance"].days) == 36
