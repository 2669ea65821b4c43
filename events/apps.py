from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_init, post_migrate, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


def grant_coordinators(**kwargs):
    """post_migrate: MOFA coordinators change everything, events included."""
    from django.contrib.auth.models import Group, Permission

    from planning import roles

    coordinators, _created = Group.objects.get_or_create(name=roles.COORDINATORS)
    coordinators.permissions.add(*Permission.objects.filter(content_type__app_label="events"))


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from planning import selectors as planning_selectors

        from . import selectors, signals

        if selectors.activity_deliveries not in planning_selectors.DELIVERY_SOURCES:
            planning_selectors.DELIVERY_SOURCES.append(selectors.activity_deliveries)
        from planning.selectors import public as public_selectors

        if selectors.public_year_summary not in public_selectors.PUBLIC_EVENT_FIGURES:
            public_selectors.PUBLIC_EVENT_FIGURES.append(selectors.public_year_summary)
        from .models import Attendance, Event, IndicatorRule, Participation, Person, Session

        post_migrate.connect(grant_coordinators, sender=self)
        for model, receiver in ((Attendance, signals.attendance_changed), (Participation, signals.attendance_changed), (Event, signals.event_changed)):
            post_save.connect(receiver, sender=model, dispatch_uid=f"recompute-{model.__name__}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"recompute-{model.__name__}-delete")
        pre_delete.connect(signals.keep_the_day_of_session_attendance, sender=Session, dispatch_uid="session-attendance-delete")
        pre_save.connect(signals.keep_the_day_of_session_attendance, sender=Session, dispatch_uid="session-attendance-move")
        post_init.connect(signals.remember_counted_year, sender=Event, dispatch_uid="recompute-event-year")
        m2m_changed.connect(signals.event_activities_changed, sender=Event.activities.through, dispatch_uid="recompute-event-activities")
        # Rules select events by activity or objective, and write one actual per delivery plan.
        from planning.models import Activity, DeliveryPlan, Output

        for sender in (Person, IndicatorRule, Activity, Output, DeliveryPlan):
            post_save.connect(signals.anything_changed, sender=sender, dispatch_uid=f"recompute-{sender.__name__}-save")
            post_delete.connect(signals.anything_changed, sender=sender, dispatch_uid=f"recompute-{sender.__name__}-delete")
        for sender in (IndicatorRule.activities.through, IndicatorRule.objectives.through):
            m2m_changed.connect(signals.anything_changed, sender=sender, dispatch_uid=f"recompute-{sender.__name__}")
