"""Delete expired import previews (and the names and contacts their rows hold). Safe to run from cron."""

from django.core.management.base import BaseCommand

from planning.models import ImportPreview


class Command(BaseCommand):
    help = "Delete import previews that have expired."

    def handle(self, *args, **options):
        count = ImportPreview.objects.purge_expired()
        self.stdout.write(f"{count} expired import previews deleted.")
