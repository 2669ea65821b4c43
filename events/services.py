"""Writes of events. Every one validates, runs in one transaction, and keeps the indicators that
are computed from attendance up to date."""

import datetime
import threading
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from napwps import history
from planning import roles
from planning import services as planning_services
from planning.models import DisaggregatedValue, Disaggregation, IndicatorPeriod, ValueKind

from . import selectors
from .models import Attendance, Event, Feedback, IndicatorRule, Participation, Person, Role, Session


def check_manages(user, event: Event) -> None:
    if user is not None and not Event.objects.managed_by(user).filter(pk=event.pk).exists():
        raise PermissionDenied("Only the event's organising staff and coordinators may change its participants.")


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


@transaction.atomic
def participant_register(*, event: Event, user, person: Person | None = None, person_fields: dict | None = None, **participation_fields) -> Participation:
    """Register someone: an existing person, or a new one from `person_fields`."""
    check_manages(user, event)
    if person is None:
        person_fields = dict(person_fields or {})
        person = Person(**person_fields)
        person.full_clean()
        person.save()
    participation = Participation(event=event, person=person, **participation_fields)
    if participation.organisation is not None and participation.organisation_type is None:
        participation.organisation_type = participation.organisation.type  # the type it had when they came, kept as it was
    participation.full_clean()
    participation._history_user = user
    participation.save()
    return participation


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
        raise ValidationError(_("%(day)s is not a day of this event.") % {"day": day.strftime("%d/%m/%Y")})
    if session is not None and (session.event_id != event.pk or session.day != day):
        raise ValidationError(_("This session is not on %(day)s of this event.") % {"day": day.strftime("%d/%m/%Y")})
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


def rule_participations(rule: IndicatorRule, year: int) -> QuerySet:
    """The participations an indicator rule counts in a year."""
    events = Event.objects.filter(start_date__year=year)
    if rule.event_types:
        events = events.filter(type__in=rule.event_types)
    activities, objectives = list(rule.activities.all()), list(rule.objectives.all())
    if activities or objectives:
        events = events.filter(Q(activities__in=activities) | Q(activities__output__objective__in=objectives)).distinct()
    participations = Participation.objects.filter(event__in=events)
    if rule.sectors:
        participations = participations.filter(sector__in=rule.sectors)
    return selectors.counted_participations(participations, min_days=rule.min_days, roles=rule.roles or (Role.PARTICIPANT,))


def indicator_recompute(rule: IndicatorRule, *, years: Iterable[int] | None = None) -> None:
    """Write the rule's indicator actual for every year of its plan that has a delivery plan (or those of `years`)."""
    indicator = rule.indicator
    dimensions = {d.code: d for d in Disaggregation.objects.filter(code__in=("sex", "sector"))}
    delivery_plans = indicator.plan.delivery_plans.all()
    if years is not None:
        delivery_plans = delivery_plans.filter(year__in=years)
    for delivery_plan in delivery_plans:
        figures = selectors.people_figures(rule_participations(rule, delivery_plan.year))
        existing = IndicatorPeriod.objects.filter(indicator=indicator, delivery_plan=delivery_plan).first()
        if figures.total == 0 and existing is None:
            continue
        period = planning_services.indicator_period_set(
            indicator=indicator,
            delivery_plan=delivery_plan,
            actual_value=figures.total,
            reason=history.reason(gettext_noop("Computed from event attendance")),
            computed=True,
        )
        DisaggregatedValue.objects.filter(period=period, kind=ValueKind.ACTUAL, disaggregation__in=dimensions.values()).delete()
        DisaggregatedValue.objects.bulk_create(
            DisaggregatedValue(period=period, kind=ValueKind.ACTUAL, disaggregation=dimensions[code], category=category, value=count)
            for code in dimensions
            for category, count in figures.by[code].items()
        )


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
    return user.is_authenticated and user.is_active and (roles.is_coordinator(user) or user.groups.filter(name=roles.ORGANISERS).exists())
