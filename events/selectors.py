"""Reads of events: who may see whom, the figures of one event or many, and the public view.

Pages, exports and the indicators computed from events call these, so a figure is counted one way
everywhere. A person is counted once however many days and events they came to; their sector,
province and role are those of their latest counted participation.

Two groups are counted. *People trained* are participants (role "participant") present on enough
days: the headline figure and its breakdowns by sex, sector, province and age band, which the
indicators use. *Everyone who took part* adds speakers, facilitators and organisers: the breakdown
by role counts them, each person once under the role of their latest participation.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from planning import roles
from planning.importing.cells import plain
from planning.models import Organisation, Province, ProvinceSuccession

from .models import (
    AgeBand,
    Attendance,
    Event,
    Feedback,
    Participation,
    Person,
    RegistrationStatus,
    Role,
    Sector,
    Sex,
    contact_keys,
    normalise_phone,
    search_key,
)

SMALL_GROUP = 5  # public figures show groups smaller than this as "< 5"
SMALL = f"< {SMALL_GROUP}"
HIDDEN = "x"  # a group of five or more, hidden so that a smaller one cannot be worked out from the total
UNKNOWN = "unknown"
CHOICES = {"sex": Sex, "sector": Sector, "role": Role, "age_band": AgeBand}
TRAINED_DIMENSIONS = ("sex", "sector", "province", "age_band")  # of the people trained; "role" is of everyone
TITLES = {
    "sex": gettext_lazy("People trained by sex"),
    "sector": gettext_lazy("People trained by sector"),
    "province": gettext_lazy("People trained by province"),
    "age_band": gettext_lazy("People trained by age band"),
    "role": gettext_lazy("Everyone who took part, by role"),
}


def visible_events(user) -> QuerySet:
    """Events whose personal data `user` may see: coordinators all, organising staff their own."""
    return Event.objects.managed_by(user)


def participations_of(user) -> QuerySet:
    return Participation.objects.filter(event__in=visible_events(user))


def people_visible_to(user, people) -> set[int]:
    """Which of these people `user` may see by name: those at an event they manage (all, for a coordinator).

    Anyone else is only 'a person already in the portal': a matching e-mail or phone never reveals
    who registered at another organiser's event.
    """
    ids = {person.pk for person in people}
    if user is None or not ids:
        return set()
    if roles.is_coordinator(user):
        return ids
    return set(participations_of(user).filter(person_id__in=ids).values_list("person_id", flat=True))


def people_for_merge(ids) -> dict[int, Person]:
    """People with their participations (event, organisation, days present), to compare before a merge."""
    participations = Participation.objects.select_related("event", "organisation").annotate(days_present=Count("attendances__day", distinct=True))
    people = Person.objects.filter(pk__in=ids).prefetch_related(Prefetch("participations", queryset=participations.order_by("event__start_date")))
    return {person.pk: person for person in people}


def people_by_contact(keys) -> dict[str, list[Person]]:
    """People still named in the portal who have any of these contact keys (models.contact_keys), by key, oldest first."""
    keys = set(keys)
    emails = [key.removeprefix("email:") for key in keys if key.startswith("email:")]
    phones = [key.removeprefix("phone:") for key in keys if key.startswith("phone:")]
    found: dict[str, list[Person]] = {}
    if not keys:
        return found
    people = Person.objects.filter(anonymised_on__isnull=True).annotate(email_key=Lower("email"))
    for person in people.filter(Q(email_key__in=emails) | Q(phone__in=phones)).order_by("pk"):
        for key in contact_keys(email=person.email, phone=person.phone):
            if key in keys:
                found.setdefault(key, []).append(person)
    return found


def matching_people(*, email: str = "", phone: str = "") -> list[Person]:
    """People who may be the same human as someone with this e-mail or phone, oldest record first."""
    found = {person.pk: person for people in people_by_contact(contact_keys(email=email, phone=phone)).values() for person in people}
    return [found[pk] for pk in sorted(found)]


def possible_duplicates(limit: int = 200) -> list[list[Person]]:
    """Groups of people linked by a shared e-mail (any case) or phone, directly or through one another:
    for a coordinator to merge or leave apart. Oldest record first; anonymised people are left out."""
    people = Person.objects.filter(anonymised_on__isnull=True)
    shared_emails = people.exclude(email="").annotate(key=Lower("email")).values("key").annotate(n=Count("pk")).filter(n__gt=1).values("key")
    shared_phones = people.exclude(phone="").values("phone").annotate(n=Count("pk")).filter(n__gt=1).values("phone")
    candidates = list(
        people.annotate(email_key=Lower("email"))
        .filter(Q(email_key__in=shared_emails) | Q(phone__in=shared_phones))
        .prefetch_related(Prefetch("participations", queryset=Participation.objects.select_related("event").order_by("event__start_date")))
        .order_by("pk")
    )
    parent = {person.pk: person.pk for person in candidates}  # union-find over people sharing a contact

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    first_with: dict[str, int] = {}
    for person in candidates:
        for key in contact_keys(email=person.email, phone=person.phone):
            other = first_with.setdefault(key, person.pk)
            parent[root(person.pk)] = root(other)
    groups: dict[int, list[Person]] = {}
    for person in candidates:
        groups.setdefault(root(person.pk), []).append(person)
    return [group for group in groups.values() if len(group) > 1][:limit]


BY_NAME = ("person__sort_name", "pk")  # Vietnamese order: given name, then family and middle names (Person.sort_name)


def event_registrations(event: Event, *, withdrawn: bool | None = False) -> QuerySet:
    """An event's registrations with their person and organisation, in Vietnamese name order.

    Withdrawn (cancelled) registrations are left out unless `withdrawn` is None (all) or True (only them).
    """
    registrations = Participation.objects.filter(event=event).select_related("person", "organisation", "province").order_by(*BY_NAME)
    if withdrawn is False:
        registrations = registrations.exclude(status=RegistrationStatus.CANCELLED)
    elif withdrawn is True:
        registrations = registrations.filter(status=RegistrationStatus.CANCELLED)
    return registrations


def search_registrations(registrations: QuerySet, query: str) -> QuerySet:
    """Registrations whose person's name (typed with or without diacritics), organisation or e-mail holds `query`."""
    query = (query or "").replace("\x00", "").strip()
    if not query:
        return registrations
    return registrations.filter(Q(person__search_name__contains=search_key(query)) | Q(organisation_name__icontains=query) | Q(person__email__icontains=query))


def event_participants(event: Event, *, withdrawn: bool | None = None) -> QuerySet:
    """An event's participations with their person, organisation, province and days present, by name
    (withdrawn ones too unless `withdrawn` is False: the Excel list says so in its status column)."""
    return event_registrations(event, withdrawn=withdrawn).annotate(days_present=Count("attendances__day", distinct=True))


def checkin_list(event: Event, *, day, session=None, query: str = "") -> QuerySet:
    """The registrations (not withdrawn) to tick on a day or at one session, each with `present` (0 or 1), by name."""
    here = Q(attendances__session=session) if session else Q(attendances__day=day)
    registrations = event_registrations(event).annotate(present=Count("attendances", filter=here))
    if query:
        registrations = registrations.filter(person__search_name__contains=search_key(query))
    return registrations


def present_count(event: Event, *, day, session=None) -> int:
    """People (registrations not withdrawn) present on a day, or at one session."""
    here = Q(attendances__session=session) if session else Q(attendances__day=day)
    return event_registrations(event).filter(here).distinct().count()


def organisation_key(name) -> str:
    """How a typed organisation is compared: case, spacing, dash style and diacritics aside."""
    return plain(name or "")


def organisation_lookup(organisations: Iterable[Organisation]) -> dict[str, list[Organisation]]:
    """Organisations by each way of writing them (code, acronym, Vietnamese or English name): load once, look up often."""
    lookup: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        for name in {organisation_key(name) for name in (organisation.code, organisation.acronym, organisation.name_vi, organisation.name_en) if name}:
            lookup.setdefault(name, []).append(organisation)
    return lookup


def organisations_in(lookup: dict[str, list[Organisation]], typed: str) -> list[Organisation]:
    """The organisations of `lookup` that `typed` names, once each (several when the name is ambiguous)."""
    found = {organisation.pk: organisation for organisation in lookup.get(organisation_key(typed), [])} if organisation_key(typed) else {}
    return [found[pk] for pk in sorted(found)]


def organisations_named(typed: str, *, day) -> list[Organisation]:
    """The portal's organisations active on `day` whose code, acronym or name is `typed` (case and diacritics aside)."""
    if not organisation_key(typed):
        return []
    return organisations_in(organisation_lookup(Organisation.objects.active_on(day)), typed)


def twin_key(full_name: str, organisation_id: int | None, organisation_name: str = "") -> tuple:
    """Who a registration is without contacts: the name and the organisation, however typed (case and diacritics aside)."""
    return (search_key(full_name), organisation_id, "" if organisation_id else organisation_key(organisation_name))


def contacts_differ(email_a: str, phone_a: str, email_b: str, phone_b: str) -> bool:
    """Two records with the same name and organisation are two people when their e-mails, or their phones, differ."""
    emails = (email_a or "").strip().lower(), (email_b or "").strip().lower()
    phones = normalise_phone(phone_a), normalise_phone(phone_b)
    return bool((all(emails) and emails[0] != emails[1]) or (all(phones) and phones[0] != phones[1]))


def same_registration(key: tuple, email: str, phone: str, participation: Participation) -> bool:
    """Whether someone of `twin_key` `key` with this e-mail and phone is `participation` made again
    (its person loaded): the one rule for the registration form, the services and the import."""
    person = participation.person
    return twin_key(person.full_name, participation.organisation_id, participation.organisation_name) == key and not contacts_differ(
        email, phone, person.email, person.phone
    )


def registered_twin(event: Event, *, full_name: str, organisation=None, organisation_name: str = "", email: str = "", phone: str = ""):
    """A registration at this event, withdrawn or not, of someone with the same name and organisation
    (however typed) whose e-mail and phone do not tell them apart: the same submission made twice."""
    key = twin_key(full_name, organisation.pk if organisation is not None else None, organisation_name)
    candidates = Participation.objects.filter(event=event, person__search_name=key[0]).select_related("person").order_by("pk")
    return next((participation for participation in candidates if same_registration(key, email, phone, participation)), None)


@dataclass
class PersonMatch:
    """Who someone being registered may already be, as `user` may know it."""

    person: Person | None  # someone with this e-mail or phone at one of the user's own events (any, for a coordinator)
    unknown: bool  # someone with it only another organiser has met: never revealed nor linked to

    @property
    def name(self) -> str | None:
        return self.person.full_name if self.person else None


def person_match(user, *, email: str = "", phone: str = "") -> PersonMatch:
    """Who this person may be: the oldest record sharing this e-mail or phone that `user` may see."""
    matches = matching_people(email=email, phone=phone)
    visible = people_visible_to(user, matches)
    known = [person for person in matches if person.pk in visible]
    return PersonMatch(person=known[0] if known else None, unknown=bool(matches) and not known)


def is_registered(event: Event, person: Person) -> bool:
    return Participation.objects.filter(event=event, person=person).exists()


def event_comments(event: Event) -> QuerySet:
    """The evaluation forms of an event that carry a comment, oldest first: for the organisers and the report."""
    return Feedback.objects.filter(event=event).exclude(comments="").order_by("pk")


def follow_up_contacts(event: Event) -> QuerySet:
    """Only the people who agreed to be contacted after the event."""
    return event_participants(event, withdrawn=False).filter(consent_follow_up=True)


def counted_participations(participations: QuerySet | None = None, *, min_days: int = 1, roles=(Role.PARTICIPANT,)) -> QuerySet:
    """Participations of people who came on at least `min_days` days (cancelled ones never count)."""
    participations = Participation.objects.all() if participations is None else participations
    participations = participations.exclude(status=RegistrationStatus.CANCELLED)
    if roles:
        participations = participations.filter(role__in=roles)
    return participations.annotate(days_present=Count("attendances__day", distinct=True)).filter(days_present__gte=min_days)


@dataclass
class PeopleFigures:
    total: int = 0
    by: dict[str, dict[str, int]] = field(default_factory=dict)

    def public(self) -> "PeopleFigures":
        """The same figures safe to publish: groups under five as "< 5", and what would give them away as "x"."""
        return PeopleFigures(total=suppress(self.total), by={dimension: suppress_breakdown(counts) for dimension, counts in self.by.items()})


def category_labels(dimension: str, keys) -> dict:
    """Readable names of a breakdown's keys, in the keys' order (provinces by id: codes changed in 2025)."""
    if dimension == "province":
        names = {province.pk: str(province) for province in Province.objects.filter(pk__in=[key for key in keys if key != UNKNOWN])}
    else:
        names = {value: str(label) for value, label in CHOICES[dimension].choices}
    return {key: names.get(key) or (gettext("Not recorded") if key == UNKNOWN else str(key)) for key in keys}


def is_small(count: int) -> bool:
    return 0 < count < SMALL_GROUP


def suppress(count: int):
    return SMALL if is_small(count) else count


def suppress_breakdown(counts: dict) -> dict:
    """One breakdown, whose groups add up to the total, made safe to publish.

    Groups under five show as "< 5" (primary suppression). When the hidden groups together come to
    fewer than five people, the total minus the groups shown would give them away (a lone hidden
    group always does: total 8, female 6, so male is 2), so the next-smallest group is hidden as
    well, as "x", until the hidden groups add up to five or more (secondary suppression).
    """
    hidden = [key for key, count in counts.items() if is_small(count)]
    shown = sorted((key for key, count in counts.items() if count and key not in hidden), key=counts.get)
    while hidden and shown and sum(counts[key] for key in hidden) < SMALL_GROUP:
        hidden.append(shown.pop(0))
    return {key: (SMALL if is_small(count) else HIDDEN) if key in hidden else count for key, count in counts.items()}


def people_figures(participations: QuerySet) -> PeopleFigures:
    """Unique people among some participations, by sex, sector, province (rolled up to the current units), role and age band."""
    rows = participations.order_by("event__start_date", "pk").values(
        "person_id", "person__sex", "person__age_band", "sector", "province_id", "province__valid_to", "role"
    )  # fmt: skip
    latest = {row["person_id"]: row for row in rows}  # later participations overwrite earlier ones
    if any(row["province__valid_to"] for row in latest.values()):
        units = province_roll_up()
        for row in latest.values():
            row["province_id"] = units.get(row["province_id"], row["province_id"])
    keys = {"sex": "person__sex", "sector": "sector", "province": "province_id", "role": "role", "age_band": "person__age_band"}
    return PeopleFigures(
        total=len(latest),
        by={dimension: dict(Counter(row[key] or UNKNOWN for row in latest.values()).most_common()) for dimension, key in keys.items()},
    )


def province_roll_up() -> dict[int, int]:
    """Each former province -> the current unit (one of the 34 since 1 July 2025) it is counted under.

    A province still valid counts as itself (so a person's recorded province is kept when it is
    current). A former one follows its successions until it reaches a current unit, taking at each
    step the first link not marked partial (by the successor's code), else the first partial link:
    Tiền Giang, split at ward level, counts under Đồng Tháp, which it joined whole, not Tây Ninh,
    which took only some of its wards. One unit per province, so no one is counted twice.
    """
    links = ProvinceSuccession.objects.filter(predecessor__valid_to__isnull=False).order_by("predecessor_id", "partial", "successor__code", "successor_id")
    successor = {}
    for predecessor_id, successor_id in links.values_list("predecessor_id", "successor_id"):
        successor.setdefault(predecessor_id, successor_id)
    units = {}
    for province_id in successor:
        unit, seen = province_id, set()
        while unit in successor and unit not in seen:  # `seen` guards against a loop in edited data
            seen.add(unit)
            unit = successor[unit]
        units[province_id] = unit
    return units


def provinces_counted_under(province: Province) -> set[int]:
    """A province and every former province that rolls up to it."""
    return {province.pk, *(former for former, unit in province_roll_up().items() if unit == province.pk)}


@dataclass
class DayAttendance:
    day: object
    present: int
    expected: int
    event: Event | None = None

    @property
    def is_past(self) -> bool:
        """Only days that have begun count towards attendance rates; a day to come has no rate yet."""
        return self.day <= timezone.localdate()

    @property
    def rate(self) -> Decimal | None:
        return percent(self.present, self.expected) if self.is_past else None


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def attendance_by_event_day(events: Iterable[Event]) -> list[DayAttendance]:
    """Each day of each event: people present of those registered (not cancelled), in date order."""
    events = sorted(events, key=lambda event: (event.start_date, event.pk))
    ids = [event.pk for event in events]
    expected = dict(
        Participation.objects.filter(event_id__in=ids).exclude(status=RegistrationStatus.CANCELLED)
        .values("event_id").annotate(people=Count("pk")).values_list("event_id", "people")
    )  # fmt: skip
    present = {
        (row["participation__event_id"], row["day"]): row["people"]
        for row in Attendance.objects.filter(participation__event_id__in=ids).values("participation__event_id", "day").annotate(
            people=Count("participation", distinct=True)
        )
    }  # fmt: skip
    return [
        DayAttendance(day=day, present=present.get((event.pk, day), 0), expected=expected.get(event.pk, 0), event=event)
        for event in events
        for day in event.days
    ]


def attendance_by_day(event: Event) -> list[DayAttendance]:
    return attendance_by_event_day([event])


@dataclass
class AttendanceSummary:
    """Across events: every event day, and person-days present of person-days expected."""

    days: list[DayAttendance]

    @property
    def present(self) -> int:
        return sum(day.present for day in self.days if day.is_past)

    @property
    def expected(self) -> int:
        return sum(day.expected for day in self.days if day.is_past)

    @property
    def rate(self) -> Decimal | None:
        return percent(self.present, self.expected)


def attendance_across(events: Iterable[Event]) -> AttendanceSummary:
    return AttendanceSummary(days=attendance_by_event_day(events))


@dataclass
class KnowledgeGain:
    pairs: int
    mean_pre: Decimal | None
    mean_post: Decimal | None
    improved: int

    @property
    def mean_gain(self) -> Decimal | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return self.mean_post - self.mean_pre

    @property
    def improved_share(self) -> Decimal | None:
        return percent(self.improved, self.pairs)


def knowledge_gain(participations: QuerySet) -> KnowledgeGain:
    """Paired pre/post tests: only people with both scores count."""
    paired = participations.filter(pre_test_score__isnull=False, post_test_score__isnull=False)
    figures = paired.aggregate(
        pairs=Count("pk"), mean_pre=Avg("pre_test_score"), mean_post=Avg("post_test_score"),
        improved=Count("pk", filter=Q(post_test_score__gt=F("pre_test_score"))),
    )  # fmt: skip

    def rounded(value):
        return None if value is None else Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return KnowledgeGain(pairs=figures["pairs"], mean_pre=rounded(figures["mean_pre"]), mean_post=rounded(figures["mean_post"]), improved=figures["improved"])


@dataclass
class Satisfaction:
    responses: int
    satisfaction: Decimal | None
    relevance: Decimal | None


def satisfaction(events: QuerySet) -> Satisfaction:
    figures = Feedback.objects.filter(event__in=events).aggregate(responses=Count("pk"), satisfaction=Avg("satisfaction"), relevance=Avg("relevance"))

    def rounded(value):
        return None if value is None else Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    return Satisfaction(responses=figures["responses"], satisfaction=rounded(figures["satisfaction"]), relevance=rounded(figures["relevance"]))


def filter_events(events: QuerySet, *, year=None, type=None, province=None, objective=None) -> QuerySet:
    """The filters of the figures pages: year, type, province and linked objective.

    A province matches the events held in it and in the former provinces that roll up to it
    (`province_roll_up`): Tây Ninh since 1 July 2025 also matches events held in Long An and in the
    former Tây Ninh, as the province breakdown counts them.
    """
    if year:
        events = events.filter(start_date__year=year)
    if type:
        events = events.filter(type=type)
    if province:
        events = events.filter(province__in=provinces_counted_under(province))
    if objective:
        events = events.filter(activities__output__objective=objective)
    return events.distinct()


@dataclass
class Breakdown:
    """One breakdown as pages and reports show it: readable categories, of the people trained or of everyone."""

    dimension: str
    title: str
    total: int | str  # the people the rows add up to
    rows: list[tuple[str, int | str]]  # category, people


def breakdowns(trained: PeopleFigures, everyone: PeopleFigures) -> list[Breakdown]:
    """The people trained by sex, sector, province and age band, then everyone who took part by role."""
    parts = [*((dimension, trained) for dimension in TRAINED_DIMENSIONS), ("role", everyone)]
    result = []
    for dimension, figures in parts:
        counts = figures.by.get(dimension, {})
        rows = [(label, counts[key]) for key, label in category_labels(dimension, counts).items()]
        result.append(Breakdown(dimension=dimension, title=str(TITLES[dimension]), total=figures.total, rows=rows))
    return result


@dataclass
class EventFigures:
    people: PeopleFigures  # people trained: participants present on at least `min_days` days
    everyone: PeopleFigures  # every role: participants, speakers, facilitators and organisers
    knowledge: KnowledgeGain
    satisfaction: Satisfaction
    events: int
    synthetic_events: int = 0  # events among them whose participants are synthetic: the figures say so

    def breakdowns(self) -> list[Breakdown]:
        return breakdowns(self.people, self.everyone)


def event_figures(events: QuerySet, *, min_days: int = 1) -> EventFigures:
    """Figures across some events: people trained and everyone who took part, learning, satisfaction."""
    participations = Participation.objects.filter(event__in=events)
    counts = Event.objects.filter(pk__in=events.values("pk")).aggregate(events=Count("pk"), synthetic=Count("pk", filter=Q(synthetic_participants=True)))
    return EventFigures(
        people=people_figures(counted_participations(participations, min_days=min_days)),
        everyone=people_figures(counted_participations(participations, min_days=min_days, roles=())),
        knowledge=knowledge_gain(participations.exclude(status=RegistrationStatus.CANCELLED)),
        satisfaction=satisfaction(events),
        events=counts["events"],
        synthetic_events=counts["synthetic"],
    )


def certificate_recipients(event: Event) -> QuerySet:
    """Everyone (any role) present on at least the event's certificate number of days."""
    return (
        counted_participations(event.participations.all(), min_days=event.certificate_min_days, roles=())
        .select_related("person", "organisation", "certificate")
        .order_by(*BY_NAME)
    )


def anonymisable_people(*, before) -> QuerySet:
    """People not yet anonymised whose last event ended before `before`, and people left with no event
    at all (their events were deleted): nothing needs their names any more."""
    return (
        Person.objects.filter(anonymised_on__isnull=True)
        .annotate(last_event_end=Max("participations__event__end_date"))
        .filter(Q(last_event_end__lt=before) | Q(last_event_end__isnull=True))
    )


def activities_not_covering(event: Event) -> list:
    """The event's linked activities whose planned months do not hold all of the event's days.

    An event delivers an activity; one held outside the months the activity was planned for is
    probably linked to the wrong activity (or the plan's months need updating): pages warn.
    """
    from planning.models.fields import month_end

    return [activity for activity in event.activities.all() if event.start_date < activity.planned_start or event.end_date > month_end(activity.planned_end)]


def rule_synthetic_events(rule) -> QuerySet:
    """Events with synthetic participants among those an indicator rule counts people from."""
    from .services import rule_participations

    events = set()
    for year in rule.indicator.plan.delivery_plans.values_list("year", flat=True):
        events.update(rule_participations(rule, year).values_list("event_id", flat=True).distinct())
    return Event.objects.filter(pk__in=events, synthetic_participants=True)


# Public figures -----------------------------------------------------------------------------------


@dataclass
class PublicDay:
    event: str  # the event's code
    title: str
    day: object
    rate: Decimal | None  # None when fewer than five people were registered


@dataclass
class PublicKnowledge:
    pairs: int | str
    mean_gain: Decimal | None  # None when fewer than five people have both scores
    improved_share: Decimal | None  # None also when fewer than five improved, or fewer than five did not


@dataclass
class PublicSatisfaction:
    responses: int | str
    satisfaction: Decimal | None  # None when fewer than five forms
    relevance: Decimal | None


@dataclass
class PublicFigures:
    """What a public page may show of some events: aggregates only, never a name, a contact or a model."""

    events: int
    people: int | str  # people trained
    everyone: int | str  # everyone who took part, any role
    breakdowns: list[Breakdown]
    attendance: list[PublicDay]
    attendance_rate: Decimal | None
    knowledge: PublicKnowledge
    satisfaction: PublicSatisfaction


def safe_rate(present: int, expected: int, rate):
    """A rate only when neither those present nor those absent are a group under five (nor fewer than five expected)."""
    return rate if expected >= SMALL_GROUP and not (is_small(present) or is_small(expected - present)) else None


def enough(count: int, value):
    """`value` if at least five people contributed to it, else None."""
    return value if count >= SMALL_GROUP else None


def public_event_figures(events: QuerySet) -> PublicFigures:
    """The figures of some events as the public pages show them, with small groups suppressed.

    People by sex, sector, province (rolled up to the current units) and age band, everyone by role:
    each breakdown through `suppress_breakdown`. Attendance per event day as a rate only, shown when
    at least five people were registered. Knowledge gain and satisfaction only when at least five
    people contributed; their counts below five show as "< 5".
    """
    figures = event_figures(events)
    attendance = attendance_across(events)
    knowledge, feedback = figures.knowledge, figures.satisfaction
    improved_share = knowledge.improved_share if not (is_small(knowledge.improved) or is_small(knowledge.pairs - knowledge.improved)) else None
    people, everyone = figures.people.public(), figures.everyone.public()
    if is_small(figures.everyone.total - figures.people.total):
        # Both totals shown would give away the few who came as speakers, facilitators or organisers.
        everyone = replace(everyone, total=HIDDEN)
    return PublicFigures(
        events=figures.events,
        people=people.total,
        everyone=everyone.total,
        breakdowns=breakdowns(people, everyone),
        attendance=[
            PublicDay(event=row.event.code, title=str(row.event.title), day=row.day, rate=safe_rate(row.present, row.expected, row.rate))
            for row in attendance.days
        ],
        attendance_rate=safe_rate(attendance.present, attendance.expected, attendance.rate),
        knowledge=PublicKnowledge(
            pairs=suppress(knowledge.pairs), mean_gain=enough(knowledge.pairs, knowledge.mean_gain), improved_share=enough(knowledge.pairs, improved_share)
        ),
        satisfaction=PublicSatisfaction(
            responses=suppress(feedback.responses),
            satisfaction=enough(feedback.responses, feedback.satisfaction),
            relevance=enough(feedback.responses, feedback.relevance),
        ),
    )


def activity_deliveries(*, activity, years: list[int]) -> list:
    """The events that delivered an activity in some years, for planning's yearly progress and public
    activity page (registered in planning.selectors.DELIVERY_SOURCES by events.apps). Events, never people."""
    from planning.selectors import Delivery

    events = Event.objects.filter(activities=activity, start_date__year__in=years).select_related("province").order_by("start_date", "pk")
    return [
        Delivery(
            title=str(event.title), kind=event.get_type_display(), start=event.start_date, end=event.end_date, pk=event.pk,
            province=str(event.province.name) if event.province else "",
        )
        for event in events
    ]  # fmt: skip


# step 5: home page figures ------------------------------------------------------------------------


@dataclass
class PublicYearSummary:
    """The public home page's events figures for a year: events held and the people trained by sex."""

    year: int
    events: int
    people: int | str  # people trained, "< 5" when fewer than five
    by_sex: list[tuple[str, int | str]]  # (sex, people), suppressed like every public breakdown

    @property
    def drawable(self) -> bool:
        """True when every figure by sex is a number (none hidden as "< 5" or "x")."""
        return all(isinstance(count, int) for _label, count in self.by_sex)


def public_year_summary(*, year: int) -> PublicYearSummary:
    """The events held in `year` (ended that year, and not after today) and the people they trained,
    by sex, as `public_event_figures` publishes them (registered in planning.selectors.public by events.apps)."""
    events = Event.objects.filter(end_date__year=year, end_date__lte=timezone.localdate())
    figures = public_event_figures(events)
    by_sex = next((breakdown.rows for breakdown in figures.breakdowns if breakdown.dimension == "sex"), [])
    return PublicYearSummary(year=year, events=figures.events, people=figures.people, by_sex=by_sex)
