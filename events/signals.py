"""Indicators computed from events follow every change that can move their counts, whatever path made
it (pages, admin, import): attendance, participations, people, events and their activities, and the
rules themselves. The work is done once per transaction, after it commits (services.indicators_recompute_on_commit)."""

from . import services
from .models import Attendance


def _year_of_cached_event(instance):
    """The year of the event a row belongs to, when it is at hand without a query; else every year."""
    participation = instance if hasattr(instance, "event_id") else None
    if participation is None and "participation" in instance._state.fields_cache:
        participation = instance.participation
    if participation is not None and "event" in participation._state.fields_cache:
        return [participation.event.start_date.year]
    return services.ALL_YEARS


def attendance_changed(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        services.indicators_recompute_on_commit(_year_of_cached_event(instance))


def event_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    # A changed date can move the event from one year to another: both years are recomputed.
    previous = getattr(instance, "_counted_year", None)
    services.indicators_recompute_on_commit({instance.start_date.year, previous} - {None})
    instance._counted_year = instance.start_date.year


def remember_counted_year(sender, instance, **kwargs):
    """post_init: the year the event was counted in before any change."""
    start = instance.__dict__.get("start_date")  # never load a deferred field here
    instance._counted_year = start.year if start else None


def event_activities_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        years = [instance.start_date.year] if hasattr(instance, "start_date") else services.ALL_YEARS
        services.indicators_recompute_on_commit(years)


def anything_changed(sender, **kwargs):
    """People (sex), rules and their links, where activities sit in the plan, delivery plans: every year."""
    if kwargs.get("raw"):
        return
    if "action" in kwargs and kwargs["action"] not in ("post_add", "post_remove", "post_clear"):
        return
    services.indicators_recompute_on_commit()


def keep_the_day_of_session_attendance(sender, instance, **kwargs):
    """A session deleted, or moved to another day: whoever was checked in at it stays present that day.

    pre_delete and pre_save of Session, so the agenda page and the admin behave alike.
    """
    if kwargs.get("raw") or instance.pk is None:
        return
    if "update_fields" in kwargs:  # pre_save: only a change of day matters
        old_day = type(instance).objects.filter(pk=instance.pk).values_list("day", flat=True).first()
        if old_day is None or old_day == instance.day:
            return
    attended = Attendance.objects.filter(session=instance)
    Attendance.objects.bulk_create(
        [
            Attendance(participation_id=participation, day=day, checked_in_by_id=by)
            for participation, day, by in attended.values_list("participation", "day", "checked_in_by")
        ],
        ignore_conflicts=True,  # already present that day
    )
    attended.delete()
