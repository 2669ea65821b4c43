from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_save
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self):
        from napwps.text import normalise_text_fields

        from . import roles

        post_migrate.connect(roles.sync_groups, sender=self)
        # Every model's text is stored in NFC, whatever the keyboard sent (napwps.text).
        pre_save.connect(normalise_text_fields, dispatch_uid="napwps.text.normalise_text_fields")
