"""Writes of events. Every one validates, runs in one transaction, and keeps the indicators that
are computed from attendance up to date."""

import datetime
import threading
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history

from napwps import formatting, history
from planning import roles
from planning import services as planning_services
from planning.models import DisaggregatedValue, Disaggregation, Frequency, IndicatorPeriod, ValueKind
from planning.services import reporting

from . import selectors
from .models import (
    SECTOR_IATI_TYPES,
    Attendance,
    Certificate,
    Event,
    Feedback,
    IndicatorRule,
    Participation,
    Person,
    RegistrationStatus,
    Role,
    Session,
)


def check_manages(user, event: Event) -> None:
    """Only the event's organising staff and coordinators change it. Remembered on the user for the
    request, so a view that fetched the event through Event.objects.managed_by pays for it once."""
    if user is None:
        return
    checked = user.__dict__.setdefault("_events_managed", set())
    if event.pk in checked:
        return
    if not Event.objects.managed_by(user).filter(pk=event.pk).exists():
        raise PermissionDenied("Only the event's organising staff and coordinators may change its participants.")
    checked.add(event.pk)


def mark_managed(user, event: Event) -> None:
    """Record that `user` was found to manage `event` (views fetch it through Event.objects.managed_by)."""
    if user is not None:
        user.__dict__.setdefault("_events_managed", set()).add(event.pk)


def event_create(*, user, organisers: Iterable, co_organisers: Iterable = (), activities: Iterable = (), managers: Iterable = (), **fields) -> Event:
    """Create an event; its creator is one of its organising staff."""
    with transaction.atomic():
        event = Event(**fields)
        event.full_clean()
        event._history_user = user
        event.save()
        _set_relations(event, organisers=organisers, co_organisers=co_organisers, activities=activities, managers={*managers, user} - {None})
    return event


@transaction.atomic
def event_update(
    *, event: Event, user, organisers: Iterable, co_organisers: Iterable, activities: Iterable, managers: Iterable | None = None, **fields
) -> Event:
    check_manages(user, event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean()
    event._history_user = user
    event.save()
    if managers is not None and user is not None and not roles.is_coordinator(user):
        managers = {*managers, user}  # an organiser cannot take themselves off the staff and lose the event
    _set_relations(event, organisers=organisers, co_organisers=co_organisers, activities=activities, managers=managers)
    return event


def _set_relations(event: Event, *, organisers, co_organisers, activities, managers) -> None:
    """The event's organisations, the activities it delivers and, when given, its organising staff."""
    event.organisers.set(organisers)
    event.co_organisers.set(co_organisers)
    event.activities.set(activities)
    if managers is not None:
        event.managers.set(managers)


@transaction.atomic
def agenda_save(*, event: Event, user, sessions: Iterable[tuple[Session | None, dict]], deleted: Iterable[Session] = ()) -> None:
    """Add or change agenda sessions (existing session or None, with its fields) and delete others."""
    check_manages(user, event)
    for session in deleted:
        if session.event_id == event.pk:
            session.delete()
    for session, data in sessions:
        session = session or Session(event=event)
        for name, value in data.items():
            if name in ("day", "start_time", "end_time", "title_vi", "title_en", "speakers", "facilitators"):
                setattr(session, name, value)
        session.full_clean()
        session._history_user = user
        session.save()


def participant_register(*, event: Event, user, person: Person | None = None, person_fields: dict | None = None, **participation_fields) -> Participation:
    """Register someone: an existing person, or a new one from `person_fields`.

    Done once however often it is asked: registrations of one event are made one at a time (the
    event's row is locked), and a new person with the same name and organisation as someone
    registered at this event, with no contact telling them apart, is that registration: it is
    returned, not created again (reinstated if it was withdrawn). `participation.already_registered`
    says which happened. An existing `person` already registered is refused with a ValidationError.
    """
    check_manages(user, event)
    try:
        with transaction.atomic():
            return _register(event=event, user=user, person=person, person_fields=person_fields, **participation_fields)
    except IntegrityError as error:
        # Another request registered the same person between our check and our write.
        if person is None:
            raise
        raise ValidationError(_("This person is already registered."), code="unique") from error


def _register(*, event: Event, user, person: Person | None, person_fields: dict | None, **participation_fields) -> Participation:
    Event.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True).first()
    existing = None
    if person is None:  # someone chosen on purpose and already registered is refused below ("already registered")
        person_fields = dict(person_fields or {})
        existing = selectors.registered_twin(
            event,
            full_name=person_fields.get("full_name", ""),
            organisation=participation_fields.get("organisation"),
            organisation_name=participation_fields.get("organisation_name", ""),
            email=person_fields.get("email", ""),
            phone=person_fields.get("phone", ""),
        )
    if existing is not None:
        if existing.status == RegistrationStatus.CANCELLED:
            existing.status = RegistrationStatus.REGISTERED
            existing.full_clean()
            existing._history_user = user
            existing._change_reason = history.reason(gettext_noop("Registration reinstated"))
            existing.save()
        existing.already_registered = True
        return existing
    if person is None:
        person = Person(**person_fields)
        person.full_clean()
        person.save()
    participation = Participation(event=event, person=person, **participation_fields)
    if participation.organisation is not None and participation.organisation_type is None:
        participation.organisation_type = participation.organisation.type  # the type it had when they came, kept as it was
    elif participation.organisation_type is None and participation.sector:
        participation.organisation_type = SECTOR_IATI_TYPES.get(participation.sector)
    participation.full_clean()
    participation._history_user = user
    participation.save()
    participation.already_registered = False
    return participation


PERSON_CORRECTABLE = ("full_name", "sex", "age_band", "email", "phone", *Person.WG_FIELDS)
PARTICIPATION_CORRECTABLE = ("organisation", "organisation_name", "organisation_type", "sector", "position", "province", "role", "accessibility_needs")


@transaction.atomic
def participation_correct(*, participation: Participation, user, **changes) -> Participation:
    """Correct a registration: the person's name, sex or contacts, and who they came as (organisation,
    sector, role...). A name or sex is the person's, so it is corrected at every event they came to.

    The participation's history records who corrected which fields (their names, not the old values,
    so no personal data is kept in the log). The indicators follow after the commit.
    """
    check_manages(user, participation.event)
    unknown = set(changes) - {*PERSON_CORRECTABLE, *PARTICIPATION_CORRECTABLE}
    if unknown:
        raise ValueError(f"Not correctable here: {', '.join(sorted(unknown))}")
    person = participation.person
    changed = []
    for name, value in changes.items():
        target = person if name in PERSON_CORRECTABLE else participation
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    if "organisation" in changed and participation.organisation is not None:
        participation.organisation_type = participation.organisation.type
        participation.organisation_name = ""
    elif "organisation" in changed or "organisation_name" in changed or ("sector" in changed and participation.organisation is None):
        participation.organisation_type = SECTOR_IATI_TYPES.get(participation.sector)
    if not changed:
        return participation
    if any(name in PERSON_CORRECTABLE for name in changed):
        person.full_clean()
        person.save()
    participation.full_clean()
    participation._history_user = user
    participation._change_reason = history.reason(gettext_noop("Registration corrected"))  # the history shows which fields
    participation.save()
    return participation


def _registration_status_set(participation: Participation, *, status: str, user, reason: str) -> Participation:
    check_manages(user, participation.event)
    if participation.status != status:
        participation.status = status
        participation._history_user = user
        participation._change_reason = reason
        participation.save(update_fields=["status"])
    return participation


@transaction.atomic
def participation_withdraw(*, participation: Participation, user) -> Participation:
    """Withdraw a registration: off the lists, sign-in sheets, certificates and counts, kept in the history."""
    reason = history.reason(gettext_noop("Registration withdrawn"))
    return _registration_status_set(participation, status=RegistrationStatus.CANCELLED, user=user, reason=reason)


@transaction.atomic
def participation_reinstate(*, participation: Participation, user) -> Participation:
    """Put a withdrawn registration back; a registration that is not withdrawn stays as it is."""
    if participation.status != RegistrationStatus.CANCELLED:
        check_manages(user, participation.event)
        return participation
    reason = history.reason(gettext_noop("Registration reinstated"))
    return _registration_status_set(participation, status=RegistrationStatus.REGISTERED, user=user, reason=reason)


@transaction.atomic
def certificates_issue(*, event: Event, user) -> list[Participation]:
    """Give everyone who has earned a certificate its number, and return them, by name, each with
    `.certificate`. Numbers are unique in the event and never change once issued; a person who earns
    one later gets the next number. Only once the event's last day has begun."""
    check_manages(user, event)
    if not event.certificates_open:
        raise ValidationError(
            _("Certificates can be issued from %(day)s, the event's last day.") % {"day": formatting.short_date(event.end_date)}, code="not_yet"
        )
    Event.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True).first()
    recipients = list(selectors.certificate_recipients(event))
    issued = {certificate.participation_id: certificate for certificate in Certificate.objects.filter(event=event)}
    number = max((certificate.number for certificate in issued.values()), default=0)
    today = timezone.localdate()
    new = []
    for participation in recipients:
        if participation.pk not in issued:
            number += 1
            issued[participation.pk] = Certificate(event=event, participation=participation, number=number, issued_on=today)
            new.append(issued[participation.pk])
    Certificate.objects.bulk_create(new)
    for participation in recipients:
        participation.certificate = issued[participation.pk]
    return recipients


@transaction.atomic
def event_delete(*, event: Event, user) -> None:
    check_manages(user, event)
    event._history_user = user
    event.delete()


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person, user) -> Person:
    """Make two records of one human one: the duplicate's participations move to `keep`, then it goes.

    Deliberate only: whoever merges must manage every event of both records (coordinators do). Each
    moved participation keeps a history entry saying so; `keep`'s empty contacts and answers are
    filled from the duplicate. The indicators computed from events follow after the commit.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    moving = list(duplicate.participations.select_related("event"))
    for participation in [*moving, *keep.participations.select_related("event")]:
        check_manages(user, participation.event)
    clash = keep.participations.filter(event__in=[participation.event for participation in moving]).select_related("event").first()
    if clash is not None:
        raise ValidationError(_("Both records are registered for %(event)s: remove one registration first.") % {"event": clash.event})
    for participation in moving:
        participation.person = keep
        participation._history_user = user
        participation._change_reason = history.reason(gettext_noop("Merged person #%(duplicate)s into #%(keep)s"), duplicate=duplicate.pk, keep=keep.pk)
        participation.save(update_fields=["person"])
    for field in ("email", "phone", "age_band", *Person.WG_FIELDS):
        if getattr(keep, field) in ("", None) and getattr(duplicate, field) not in ("", None):
            setattr(keep, field, getattr(duplicate, field))
    keep.full_clean()
    keep.save()
    duplicate.delete()
    return keep


def attendance_set(*, participation: Participation, day: datetime.date, present: bool, user, session: Session | None = None) -> bool:
    """Mark someone present (or not) on a day of their event, or at one session of it.

    Present at any session of a day counts as present that day. Unmarking a day clears its sessions
    too; unmarking a session clears only that session.
    """
    event = participation.event
    check_manages(user, event)
    if day not in event.days:
        raise ValidationError(_("%(day)s is not a day of this event.") % {"day": formatting.short_date(day)})
    if not event.has_begun(day):
        raise ValidationError(_("Check-in for %(day)s opens on that day.") % {"day": formatting.short_date(day)}, code="not_yet")
    if participation.status == RegistrationStatus.CANCELLED:
        raise ValidationError(_("This registration was withdrawn."), code="withdrawn")
    if session is not None and (session.event_id != event.pk or session.day != day):
        raise ValidationError(_("This session is not on %(day)s of this event.") % {"day": formatting.short_date(day)})
    with transaction.atomic():
        if present:
            Attendance.objects.get_or_create(participation=participation, day=day, session=session, defaults={"checked_in_by": user})
        elif session is not None:
            Attendance.objects.filter(participation=participation, session=session).delete()
        else:
            Attendance.objects.filter(participation=participation, day=day).delete()
    return present


@transaction.atomic
def scores_record(*, participation: Participation, user, pre_test_score=None, post_test_score=None) -> Participation:
    check_manages(user, participation.event)
    participation.pre_test_score = pre_test_score
    participation.post_test_score = post_test_score
    participation.full_clean()
    participation._history_user = user
    participation.save()
    return participation


@transaction.atomic
def feedback_record(*, event: Event, user, satisfaction: int, relevance: int, comments: str = "", participation: Participation | None = None) -> Feedback:
    check_manages(user, event)
    feedback = Feedback(event=event, participation=participation, satisfaction=satisfaction, relevance=relevance, comments=comments)
    feedback.full_clean()
    feedback.save()
    return feedback


def rule_participations(rule: IndicatorRule, year: int | None = None, *, start: datetime.date | None = None, end: datetime.date | None = None) -> QuerySet:
    """The participations an indicator rule counts in a year, or in the events starting from `start` to `end`."""
    events = Event.objects.filter(start_date__year=year) if year is not None else Event.objects.filter(start_date__gte=start, start_date__lte=end)
    if rule.event_types:
        events = events.filter(type__in=rule.event_types)
    activities, objectives = list(rule.activities.all()), list(rule.objectives.all())
    if activities or objectives:
        events = events.filter(Q(activities__in=activities) | Q(activities__output__objective__in=objectives)).distinct()
    participations = Participation.objects.filter(event__in=events)
    if rule.sectors:
        participations = participations.filter(sector__in=rule.sectors)
    return selectors.counted_participations(participations, min_days=rule.min_days, roles=rule.roles or (Role.PARTICIPANT,))


COMPUTED_REASON = history.reason(gettext_noop("Computed from event attendance"))


def indicator_recompute(rule: IndicatorRule, *, years: Iterable[int] | None = None) -> None:
    """Count the rule's indicator for every year of its plan that has a delivery plan (or those of `years`).

    The count is a proposal: it is written as the period's `proposed_value` and its sex and sector
    breakdown as proposed values, which the responsible agency confirms as its actual in its report
    (planning.services.reporting.proposed_actual_confirm); it never bypasses review. Writes only
    what moved: a year whose total and breakdown are as stored is left alone (no empty history rows),
    and of a breakdown only the categories that changed are written.
    """
    indicator = rule.indicator
    dimensions = {d.code: d for d in Disaggregation.objects.filter(code__in=("sex", "sector"))}
    delivery_plans = indicator.plan.delivery_plans.all()
    if years is not None:
        delivery_plans = delivery_plans.filter(year__in=years)
    years_open = sorted({delivery_plan.year for delivery_plan in delivery_plans})
    if not years_open:
        return
    # Each period the indicator reports in (a year, its halves or quarters, the mid-term and final
    # reviews, which look back over the plan so far) counts the events that started within it.
    if indicator.frequency == Frequency.MID_TERM_AND_FINAL:
        years_open = range(indicator.plan.start_year, indicator.plan.end_year + 1)
    periods = sorted(reporting.periods_of_indicator(indicator=indicator, years=years_open), key=lambda period: (period.end, period.start))
    existing_periods = {item.period_id: item for item in IndicatorPeriod.objects.filter(indicator=indicator, period__in=periods)}
    stored: dict[int, dict[tuple[str, str], DisaggregatedValue]] = {}
    for value in DisaggregatedValue.objects.filter(
        period__in=existing_periods.values(), kind=ValueKind.PROPOSED, disaggregation__in=dimensions.values()
    ).select_related("disaggregation"):
        stored.setdefault(value.period_id, {})[(value.disaggregation.code, value.category)] = value
    for reporting_period in periods:
        figures = selectors.people_figures(rule_participations(rule, start=reporting_period.start, end=reporting_period.end))
        period = existing_periods.get(reporting_period.pk)
        if figures.total == 0 and period is None:
            continue
        computed = {(code, category): count for code in dimensions for category, count in figures.by[code].items()}
        if period is None:
            period = planning_services.indicator_period_set(
                indicator=indicator, period=reporting_period, proposed_value=figures.total, proposed_at=timezone.now(), reason=COMPUTED_REASON, computed=True
            )
        elif period.proposed_value != figures.total:
            period.proposed_value, period.proposed_at = figures.total, timezone.now()
            period._change_reason = COMPUTED_REASON
            period.save(update_fields=["proposed_value", "proposed_at", "version"])
        _breakdown_write(period, stored.get(period.pk, {}), computed, dimensions)


def _breakdown_write(period: IndicatorPeriod, stored: dict, computed: dict, dimensions: dict) -> None:
    """Make the period's proposed sex and sector breakdown `computed`, touching only the categories that changed."""
    for key, value in stored.items():
        if key not in computed:
            value._change_reason = COMPUTED_REASON
            value.delete()
        elif value.value != computed[key]:
            value.value = computed[key]
            value._change_reason = COMPUTED_REASON
            value.save(update_fields=["value"])
    new = [
        DisaggregatedValue(period=period, kind=ValueKind.PROPOSED, disaggregation=dimensions[code], category=category, value=count)
        for (code, category), count in computed.items()
        if (code, category) not in stored
    ]
    if new:  # with their history rows, like the changed and deleted ones above
        bulk_create_with_history(new, DisaggregatedValue, default_change_reason=COMPUTED_REASON)


_pending = threading.local()
ALL_YEARS = "all"


def indicators_recompute_on_commit(years: Iterable[int] | str = ALL_YEARS) -> None:
    """Recompute the indicators fed by events for these years once the current transaction commits.

    Called for every change that can move a count (attendance, participations, people, events, rules);
    however many changes a transaction makes, the work is done once, after it succeeds.
    """
    pending = getattr(_pending, "years", None)
    if pending is None:
        pending = _pending.years = set()
    pending.update([ALL_YEARS] if years == ALL_YEARS else years)
    # Each call schedules a callback, so whichever savepoint survives still runs it; the first to run
    # takes every pending year and the others find nothing left to do.
    transaction.on_commit(_recompute_pending, robust=True)


def _recompute_pending() -> None:
    """Runs after the commit: the change itself is saved whatever happens here. A failure is logged
    and its years stay pending, so the next committed change tries them again."""
    years, _pending.years = getattr(_pending, "years", None) or set(), set()
    if not years:
        return
    try:
        indicators_recompute(years=None if ALL_YEARS in years else years)
    except Exception:
        _pending.years |= years
        raise  # robust=True: Django logs it (django.db.backends.base) and the request goes on


@transaction.atomic
def indicators_recompute(*, years: Iterable[int] | None = None) -> None:
    """Recompute the indicators fed by events now, for some years or all of them."""
    for rule in IndicatorRule.objects.select_related("indicator__plan").prefetch_related("activities", "objectives"):
        indicator_recompute(rule, years=years)


@transaction.atomic
def participants_anonymise(*, before: datetime.date) -> int:
    """Remove names and contacts of people whose last event ended before `before`, everywhere.

    Covers people whose events were deleted (no participation left), the participations' history,
    the admin log's object names and messages, feedback comments and agenda speakers that name them,
    and the import previews kept in the session table. Sex, age band, disability answers and every
    participation and attendance stay, so the counts that indicators use do not change. Returns how
    many people were anonymised.
    """
    people = list(selectors.anonymisable_people(before=before))
    today = timezone.localdate()
    all_traces = []
    for person in people:
        traces = [text for text in (person.full_name, person.email, person.phone) if text]
        all_traces += traces
        old_labels = {participation.pk: str(participation) for participation in person.participations.select_related("event")}
        person.full_name = _("Anonymised person #%(id)s") % {"id": person.pk}
        person.email = ""
        person.phone = ""
        person.anonymised_on = today
        person.save(update_fields=["full_name", "email", "phone", "anonymised_on"])
        person.participations.update(position="", accessibility_needs="", consent_follow_up=False, consent_photos=False)
        Participation.history.filter(person_id=person.pk).update(position="", accessibility_needs="")
        _redact_admin_log(person, old_labels)
        _redact_free_text(traces, person.full_name)
    _drop_session_import_previews()
    _drop_import_previews(all_traces)
    return len(people)


def _redact_admin_log(person: Person, old_labels: dict[int, str]) -> None:
    """The admin log names the objects it records: rename the person's and their participations' entries."""
    import json

    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk)).update(
        object_repr=person.full_name[:200], change_message=""
    )
    participation_type = ContentType.objects.get_for_model(Participation)
    for participation in person.participations.select_related("event"):
        LogEntry.objects.filter(content_type=participation_type, object_id=str(participation.pk)).update(object_repr=str(participation)[:200])
    # Entries of other objects (an event's page listing a participation inline) may quote the old labels.
    for old in set(old_labels.values()):
        for form in {old, json.dumps(old)[1:-1]}:
            for entry in LogEntry.objects.filter(Q(object_repr__contains=form) | Q(change_message__contains=form)):
                entry.object_repr = entry.object_repr.replace(form, person.full_name)
                entry.change_message = entry.change_message.replace(form, person.full_name)
                entry.save(update_fields=["object_repr", "change_message"])


def _redact_free_text(traces: list[str], label: str) -> None:
    """Free text that may quote a person: feedback comments, agenda speakers (and their history), the admin log."""
    import json

    from django.contrib.admin.models import LogEntry
    from django.db.models import Value
    from django.db.models.functions import Replace

    places = [
        (Feedback.objects, "comments"),
        (Session.objects, "speakers"),
        (Session.objects, "facilitators"),
        (Session.history, "speakers"),
        (Session.history, "facilitators"),
        (LogEntry.objects, "object_repr"),
        (LogEntry.objects, "change_message"),
    ]
    for trace in traces:
        for form in {trace, json.dumps(trace)[1:-1]}:
            for manager, field in places:
                manager.filter(**{f"{field}__contains": form}).update(**{field: Replace(field, Value(form), Value(label))})


def _drop_import_previews(traces: list[str]) -> None:
    """Import previews not yet applied hold the uploaded rows: drop expired ones and any naming these people."""
    import json

    from planning.models import ImportPreview

    ImportPreview.objects.purge_expired()
    if not traces:
        return
    for preview in ImportPreview.objects.only("pk", "data", "result"):
        text = json.dumps([preview.data, preview.result], ensure_ascii=False)
        if any(trace in text for trace in traces):
            preview.delete()


def _drop_session_import_previews() -> None:
    """Import previews kept in sessions hold names and contacts from the uploaded file: drop them all.

    Whoever was looking at one uploads the file again; their session (and login) stays.
    """
    from importlib import import_module

    from django.conf import settings

    engine = import_module(settings.SESSION_ENGINE)
    if not settings.SESSION_ENGINE.endswith(("db", "cached_db")):
        return
    store = engine.SessionStore
    model = store.get_model_class()
    for row in model.objects.iterator():
        data = row.get_decoded()
        stale = [key for key in data if key.startswith("events-") and "import" in key]
        if not data and row.session_data:
            row.delete()  # undecodable: nothing a person can use, possibly a preview
        elif stale:
            for key in stale:
                del data[key]
            model.objects.filter(pk=row.pk).update(session_data=store().encode(data))


def may_organise(user) -> bool:
    """Organisers and coordinators may create events."""
    return user.is_authenticated and (roles.is_coordinator(user) or roles.is_organiser(user))


# Writes the admin makes (events.admin): the same rules as the pages -----------------------------


def check_coordinator(user) -> None:
    if user is not None and not roles.is_coordinator(user):
        raise PermissionDenied("Only coordinators change this.")


@transaction.atomic
def person_save(*, person: Person, user) -> Person:
    """Create or change a person record as a whole (coordinators, in the admin)."""
    check_coordinator(user)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_delete(*, person: Person, user) -> None:
    check_coordinator(user)
    person.delete()


@transaction.atomic
def participation_save(*, participation: Participation, user) -> Participation:
    """Create or change a registration as a whole (the admin); a new one goes through participant_register."""
    if participation.pk is None:
        fields = {
            field.name: getattr(participation, field.name) for field in Participation._meta.concrete_fields if field.name not in ("id", "event", "person")
        }
        return participant_register(event=participation.event, user=user, person=participation.person, **fields)
    check_manages(user, participation.event)
    participation.full_clean()
    participation._history_user = user
    participation.save()
    return participation


@transaction.atomic
def participation_delete(*, participation: Participation, user) -> None:
    check_manages(user, participation.event)
    participation._history_user = user
    participation.delete()


@transaction.atomic
def feedback_save(*, feedback: Feedback, user) -> Feedback:
    check_manages(user, feedback.event)
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_delete(*, feedback: Feedback, user) -> None:
    check_manages(user, feedback.event)
    feedback.delete()


@transaction.atomic
def indicator_rule_save(*, rule: IndicatorRule, user, activities: Iterable, objectives: Iterable) -> IndicatorRule:
    """A rule and its links; the indicator's actual follows after the commit (signals)."""
    check_coordinator(user)
    rule.full_clean()
    rule.save()
    rule.activities.set(activities)
    rule.objectives.set(objectives)
    return rule


@transaction.atomic
def indicator_rule_delete(*, rule: IndicatorRule, user) -> None:
    check_coordinator(user)
    rule.delete()
