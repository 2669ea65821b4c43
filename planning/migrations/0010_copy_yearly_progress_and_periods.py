import datetime

from django.db import migrations


def forwards(apps, schema_editor):
    """Open each plan's calendar (a period per year, the mid-term and final reviews), move every
    indicator period onto its year, and copy each activity's status into a yearly progress record
    for every year of its delivery plans."""
    Plan = apps.get_model("planning", "Plan")
    ReportingPeriod = apps.get_model("planning", "ReportingPeriod")
    IndicatorPeriod = apps.get_model("planning", "IndicatorPeriod")
    Activity = apps.get_model("planning", "Activity")
    ActivityProgress = apps.get_model("planning", "ActivityProgress")
    for plan in Plan.objects.all():
        for year in range(plan.start_year, plan.end_year + 1):
            ReportingPeriod.objects.get_or_create(
                plan=plan, kind="annual", year=year, number=0, defaults={"start": datetime.date(year, 1, 1), "end": datetime.date(year, 12, 31)}
            )
        middle = (plan.start_year + plan.end_year) // 2
        for kind, year in (("mid_term", middle), ("final", plan.end_year)):
            ReportingPeriod.objects.get_or_create(
                plan=plan, kind=kind, year=year, number=0, defaults={"start": datetime.date(plan.start_year, 1, 1), "end": datetime.date(year, 12, 31)}
            )
    annual = {(p.plan_id, p.year): p for p in ReportingPeriod.objects.filter(kind="annual")}
    for period in IndicatorPeriod.objects.select_related("delivery_plan"):
        period.period = annual[(period.delivery_plan.plan_id, period.delivery_plan.year)]
        period.save(update_fields=["period"])
    rows = []
    for activity in Activity.objects.prefetch_related("delivery_plans"):
        for delivery_plan in activity.delivery_plans.all():
            rows.append(
                ActivityProgress(
                    activity=activity, delivery_plan=delivery_plan, status=activity.status, progress=activity.progress,
                    status_justification_vi=activity.status_justification_vi, status_justification_en=activity.status_justification_en,
                    actual_start=activity.actual_start, actual_end=activity.actual_end, version=1,
                )
            )  # fmt: skip
    ActivityProgress.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0009_reporting_cycle"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
