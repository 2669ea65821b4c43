"""Mark the demo's real events (synthetic participants; the Hà Nội event's organisers unconfirmed),
move 2025 events in Huế to the city of Huế, and drop sample activity links whose dates did not fit.
A fresh database has nothing to correct."""

from django.db import migrations


def correct(apps, schema_editor):
    from events.demo import correct_event_data

    correct_event_data(apps, flag_real_events=True)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_synthetic_participants_and_unconfirmed_organisers"),
        ("planning", "0007_correct_reference_data"),
    ]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
