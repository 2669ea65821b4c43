"""manage.py load_demo_data: reference data, the SAMPLE delivery plan, the events and demo logins.

Idempotent. Lives in the events app because it loads both apps' demo content (events depend on
the plan, never the reverse).
"""

from django.core.management.base import BaseCommand

from events import demo as events_demo
from planning import demo as planning_demo


class Command(BaseCommand):
    help = "Load reference data, a SAMPLE delivery plan for 2024–2025, the events and the demo accounts (idempotent)."

    def handle(self, *args, **options):
        plan = planning_demo.load()
        events_demo.load(plan)
        self.stdout.write(self.style.SUCCESS("Reference data, the SAMPLE delivery plan and the events are loaded."))
        self.stdout.write(f"Demo logins (password: {planning_demo.DEMO_PASSWORD}):")
        for username, group, agency, *_name in planning_demo.DEMO_USERS:
            self.stdout.write(f"  {username:<12} {group} · {agency.upper()}")
