from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        from . import signals
        from .models import Attendance, Participation

        post_migrate.connect(grant_coordinators, sender=self)
        for model in (Attendance, Participation):
            post_save.connect(signals.attendance_changed, sender=model, dispatch_uid=f"recompute-{model.__name__}-save")
            post_delete.connect(signals.attendance_changed, sender=model, dispatch_uid=f"recompute-{model.__name__}-delete")
