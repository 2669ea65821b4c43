"""Correct reference rows that earlier fixtures got wrong, where they still hold the wrong value:
Thừa Thiên Huế (a province until 31/12/2024, the city of Huế from 1/1/2025) and its People's
Committee, Ho Chi Minh City's committee name, the Women's Union's date under the Fatherland Front,
and the Vietnamese texts that are our own translations. A fresh database has nothing to correct."""

from django.db import migrations


def correct(apps, schema_editor):
    from planning.demo import correct_reference_data

    correct_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("planning", "0006_dated_parents_and_unofficial_translations")]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
