"""Remind agencies of a report due soon. Run daily from cron, e.g.

    15 7 * * *  cd /srv/napwps && .venv/bin/python manage.py send_report_reminders

Each agency with work in a period (indicators it answers for with a row for the period, or
activities of that year) that has not submitted its report gets ONE reminder when the period's
deadline is REPORT_REMINDER_DAYS days away or fewer — and never a second one: not after a change of
the deadline, not after a return, not once the deadline has passed (see
`planning.notifications.report_reminders_send`). Running it twice a day, or from two machines,
sends nothing twice.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from planning import notifications

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def parse_date(value: str) -> datetime.date:
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), date_format).date()
        except ValueError:
            continue
    raise CommandError(f"Give --today as dd/mm/yyyy or yyyy-mm-dd, not {value!r}.")


class Command(BaseCommand):
    help = "E-mail each agency once about a report due within REPORT_REMINDER_DAYS days that it has not submitted. Run daily."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to act as today (dd/mm/yyyy or yyyy-mm-dd); by default the local date.")

    def handle(self, *args, **options):
        today = parse_date(options["today"]) if options["today"] else timezone.localdate()
        with translation.override(settings.LANGUAGE_CODE):
            reminded = notifications.report_reminders_send(today=today)
        for report in reminded:
            self.stdout.write(f"Reminded: {report}")
        self.stdout.write(f"{len(reminded)} reminder(s) sent for {today:%d/%m/%Y} (deadlines up to {settings.REPORT_REMINDER_DAYS} days ahead).")
