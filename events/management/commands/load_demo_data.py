"""manage.py load_demo_data: reference data, the SAMPLE delivery plan, the events and demo logins.

Idempotent. Lives in the events app because it loads both apps' demo content (events depend on
the plan, never the reverse).

Demo content has no place in a real deployment: with DEBUG off the command refuses unless told
`--allow-production` (or the settings say `DEMO_DATA_WITHOUT_DEBUG`, as the test settings do).
It never changes an account that exists: demo accounts are created only when missing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from events import demo as events_demo
from planning import demo as planning_demo


class Command(BaseCommand):
    help = "Load reference data, a SAMPLE delivery plan for 2024–2025, the events and the demo accounts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo data even though DEBUG is off (a real deployment). Existing accounts are never changed.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not (settings.DEBUG or allow_production or getattr(settings, "DEMO_DATA_WITHOUT_DEBUG", False)):
            raise CommandError(
                "DEBUG is off: this looks like a real deployment, and demo data (sample plan, synthetic participants, "
                "demo logins) does not belong there. Run with --allow-production if you really mean it."
            )
        existing = set(get_user_model().objects.filter(username__in=[u[0] for u in planning_demo.DEMO_USERS]).values_list("username", flat=True))
        plan = planning_demo.load()
        events_demo.load(plan)
        self.stdout.write(self.style.SUCCESS("Reference data, the SAMPLE delivery plan and the events are loaded."))
        self.stdout.write(f"Demo logins (password: {planning_demo.DEMO_PASSWORD}, set only on accounts created now):")
        for username, group, agency, *_name in planning_demo.DEMO_USERS:
            note = "" if username not in existing else " (existing account, left unchanged)"
            self.stdout.write(f"  {username:<12} {group} · {agency.upper()}{note}")
