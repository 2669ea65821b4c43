from django.db import migrations


class Migration(migrations.Migration):
    """Drop what the yearly progress and reporting periods replaced, once 0010 has copied it over."""

    dependencies = [
        ("planning", "0010_copy_yearly_progress_and_periods"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='activity',
            name='activity_actual_dates_in_order',
        ),
        migrations.RemoveConstraint(
            model_name='activity',
            name='activity_progress_is_a_percentage',
        ),
        migrations.RemoveConstraint(
            model_name='indicatorperiod',
            name='indicatorperiod_one_per_year',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='actual_end',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='actual_start',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='progress',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='status',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='status_justification_en',
        ),
        migrations.RemoveField(
            model_name='activity',
            name='status_justification_vi',
        ),
        migrations.RemoveField(
            model_name='historicalactivity',
            name='actual_end',
        ),
        migrations.RemoveField(
            model_name='historicalactivity',
            name='actual_start',
        ),
        migrations.RemoveField(
            model_name='historicalactivity',
            name='progress',
        ),
        migrations.RemoveField(
            model_name='historicalactivity',
            name='status',
        ),
        migrations.RemoveField(
            model_name='historicalactivity',
            name='status_justification_en',
        ),
        migrations.RemoveField(
            model_name='historicalactivity',
            name='status_justification_vi',
        ),
        migrations.RemoveField(
            model_name='historicalindicatorperiod',
            name='actual_status',
        ),
        migrations.RemoveField(
            model_name='historicalindicatorperiod',
            name='delivery_plan',
        ),
        migrations.RemoveField(
            model_name='indicatorperiod',
            name='actual_status',
        ),
        migrations.RemoveField(
            model_name='indicatorperiod',
            name='delivery_plan',
        ),
    ]
