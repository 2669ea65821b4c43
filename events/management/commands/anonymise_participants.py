"""manage.py anonymise_participants --before YYYY-MM-DD [--yes]

Removes names and contacts of people whose last event ended before the date, keeping the counts
that indicators use (sex, age band, sector, attendance).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from events import selectors, services


class Command(BaseCommand):
    help = "Remove names and contacts of people whose last event ended before --before (keeps the counts)."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: people whose last event ended before this day.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, before, yes, **options):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError as error:
            raise CommandError(f"--before must be a date as YYYY-MM-DD, not {before!r}.") from error
        count = selectors.anonymisable_people(before=day).count()
        if count == 0:
            self.stdout.write("Nobody to anonymise.")
            return
        if not yes:
            answer = input(f"Anonymise {count} people whose last event ended before {day:%d/%m/%Y}? This cannot be undone. [y/N] ")
            if answer.strip().lower() not in ("y", "yes", "c", "có"):
                self.stdout.write("Nothing changed.")
                return
        done = services.participants_anonymise(before=day)
        self.stdout.write(self.style.SUCCESS(f"Anonymised {done} people."))
