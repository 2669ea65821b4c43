"""The plan's invariants, twice over: the database refuses a bad row even when Python validation is
skipped (queryset.update, bulk_create), and the admin's form shows the message beside the field."""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import IntegrityError, transaction
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from planning.models import (
    Activity,
    ActivityProgress,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Indicator,
    IndicatorPeriod,
    Measure,
    Objective,
    Organisation,
    Output,
    Pillar,
    Plan,
    Province,
    ResultLevel,
    SubTask,
    TaskGroup,
)
from planning.services import reporting
from tests.factories import (
    ActivityFactory,
    ActivityProgressFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    DisaggregatedValueFactory,
    DisaggregationFactory,
    IndicatorFactory,
    IndicatorPeriodFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OutputFactory,
    PlanFactory,
    ProvinceFactory,
    TaskGroupFactory,
    coordinator,
)

pytestmark = pytest.mark.django_db

NEGATIVE_AMOUNT = "An amount cannot be negative."
NUMERATOR_ABOVE_DENOMINATOR = "The numerator cannot be larger than the denominator."
NOT_A_PERCENTAGE = "A percentage is between 0 and 100."
CODE_USED = "This code is already used in this plan."


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English, whatever the default language of the site."""
    with translation.override("en"):
        yield


def refused_by_database(model, pk, **values):
    """Write `values` to one row with a bare UPDATE; return whether the database refused it."""
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**values)
    except IntegrityError:
        return True
    return False


def assert_refused_by_database(model, pk, **values):
    before = model.objects.filter(pk=pk).values(*values).get()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=pk).update(**values)
    assert model.objects.filter(pk=pk).values(*values).get() == before


def form_data(obj, form_class) -> dict:
    """What the admin's form would post back unchanged for `obj`."""
    data = {}
    for name, value in model_to_dict(obj, fields=list(form_class.base_fields)).items():
        if isinstance(value, list):
            value = [item.pk for item in value]
        if value is not None:
            data[name] = value
    return data


def admin_request():
    request = RequestFactory().get("/")
    request.user = coordinator()
    return request


def admin_form(model, *, instance=None, like=None, **changes):
    """The admin's form for `model` as a coordinator submits it.

    With `instance`, the change form posting back that row; with `like`, the add form filled with a
    copy of another row. `changes` go on top.
    """
    form_class = admin.site._registry[model].get_form(admin_request(), instance, change=instance is not None)
    source = instance or like
    data = form_data(source, form_class) if source is not None else {}
    data["change_reason"] = "Checked by the test suite"
    data.update(changes)
    form = form_class(data=data, instance=instance)
    form.is_valid()
    return form


def usd_line(**fields):
    return BudgetLineFactory(currency="USD", original_amount=Decimal(20_000), exchange_rate=Decimal(25_400), amount_vnd=Decimal(508_000_000), **fields)


# Amounts are never negative -------------------------------------------------------------------


def test_budget_amount_cannot_be_negative_in_the_database():
    line = BudgetLineFactory()

    assert_refused_by_database(BudgetLine, line.pk, amount_vnd=Decimal(-1))


def test_budget_original_amount_cannot_be_negative_in_the_database():
    line = usd_line()

    assert_refused_by_database(BudgetLine, line.pk, original_amount=Decimal(-20_000))


def test_budget_amount_of_zero_is_allowed_in_the_database():
    line = BudgetLineFactory()

    assert not refused_by_database(BudgetLine, line.pk, amount_vnd=Decimal(0))


def test_budget_form_shows_a_negative_amount_beside_the_amount():
    form = admin_form(BudgetLine, instance=BudgetLineFactory(), amount_vnd="-1")

    assert form.errors["amount_vnd"] == [NEGATIVE_AMOUNT]


def test_budget_form_shows_a_negative_original_amount_beside_the_original_amount():
    form = admin_form(BudgetLine, instance=usd_line(), original_amount="-20000")

    assert form.errors["original_amount"] == [NEGATIVE_AMOUNT]
    assert "amount_vnd" not in form.errors


def test_budget_form_accepts_the_line_unchanged():
    """The form data the other budget tests start from is valid: only the changed field fails."""
    assert admin_form(BudgetLine, instance=usd_line()).errors == {}


# A budget line's year is one of its activity's delivery plans -----------------------------------

NOT_THE_ACTIVITYS_YEAR = "Choose one of the activity's years: tick this year among its delivery plans first."


def test_budget_form_shows_a_year_that_is_not_the_activitys_beside_the_year():
    line = BudgetLineFactory()
    other_year = DeliveryPlanFactory(plan=line.activity.plan, year=2026)

    form = admin_form(BudgetLine, instance=line, delivery_plan=other_year.pk)

    assert form.errors == {"delivery_plan": [NOT_THE_ACTIVITYS_YEAR]}


def inline_budget_line(delivery_plan, **fields) -> dict:
    line = {"delivery_plan": delivery_plan.pk, "source": "central_budget", "amount_vnd": "1000000", "currency": "VND", "status": "estimated", **fields}
    return {"budget_lines-TOTAL_FORMS": "1", **{f"budget_lines-0-{name}": value for name, value in line.items()}}


def test_admin_add_activity_page_shows_a_budget_line_of_an_unticked_year_beside_the_year(client):
    template = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))
    unticked = DeliveryPlanFactory(plan=template.plan, year=2026)
    client.force_login(coordinator())

    response = client.post(reverse("admin:planning_activity_add"), admin_add_activity_post(template, **inline_budget_line(unticked)))

    assert response.status_code == 200
    assert inline_errors(response, BudgetLine) == {"delivery_plan": [NOT_THE_ACTIVITYS_YEAR]}
    assert not Activity.objects.filter(code="1.1.9").exists()


def test_admin_add_activity_page_saves_a_budget_line_of_a_year_ticked_on_the_same_page(client):
    template = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))
    ticked = DeliveryPlanFactory(plan=template.plan, year=2026)
    client.force_login(coordinator())

    post = admin_add_activity_post(template, delivery_plans=[ticked.pk], planned_end="2026-03", **inline_budget_line(ticked))
    response = client.post(reverse("admin:planning_activity_add"), post)

    assert response.status_code == 302
    [line] = Activity.objects.get(code="1.1.9").budget_lines.all()
    assert line.delivery_plan == ticked


def test_admin_add_activity_page_shows_a_negative_inline_amount_and_saves_nothing(client):
    template = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))
    year = template.delivery_plans.get()
    client.force_login(coordinator())
    lines_before = BudgetLine.objects.count()

    response = client.post(reverse("admin:planning_activity_add"), admin_add_activity_post(template, **inline_budget_line(year, amount_vnd="-5")))

    assert response.status_code == 200
    assert inline_errors(response, BudgetLine)["amount_vnd"] == [NEGATIVE_AMOUNT]
    assert not Activity.objects.filter(code="1.1.9").exists()
    assert BudgetLine.objects.count() == lines_before


# The exchange rate is above zero --------------------------------------------------------------


@pytest.mark.parametrize("rate", [Decimal(0), Decimal(-25_400)])
def test_exchange_rate_must_be_above_zero_in_the_database(rate):
    line = usd_line()

    assert_refused_by_database(BudgetLine, line.pk, exchange_rate=rate)


@pytest.mark.parametrize("rate", ["0", "-25400"])
def test_budget_form_shows_a_rate_of_zero_or_less_beside_the_rate(rate):
    form = admin_form(BudgetLine, instance=usd_line(), exchange_rate=rate)

    assert form.errors["exchange_rate"] == ["The exchange rate must be above zero."]


def test_foreign_currency_line_without_a_rate_is_refused_by_the_database():
    line = usd_line()

    assert_refused_by_database(BudgetLine, line.pk, exchange_rate=None)


# The end is never before the start ------------------------------------------------------------


def test_activity_planned_end_cannot_be_before_its_start_in_the_database():
    activity = ActivityFactory(planned_start=datetime.date(2025, 6, 1), planned_end=datetime.date(2025, 9, 1))

    assert_refused_by_database(Activity, activity.pk, planned_end=datetime.date(2025, 5, 1))


def test_activity_planned_start_and_end_may_be_the_same_month_in_the_database():
    activity = ActivityFactory(planned_start=datetime.date(2025, 6, 1), planned_end=datetime.date(2025, 9, 1))

    assert not refused_by_database(Activity, activity.pk, planned_end=datetime.date(2025, 6, 1))


def test_yearly_progress_actual_end_cannot_be_before_its_actual_start_in_the_database():
    progress = ActivityProgressFactory(actual_start=datetime.date(2025, 6, 1), actual_end=datetime.date(2025, 8, 1))

    assert_refused_by_database(ActivityProgress, progress.pk, actual_end=datetime.date(2025, 3, 1))


def test_activity_form_shows_a_planned_end_before_the_start_beside_the_planned_end():
    activity = ActivityFactory(planned_start=datetime.date(2025, 6, 1), planned_end=datetime.date(2025, 9, 1))

    form = admin_form(Activity, instance=activity, planned_end="2025-05")

    assert form.errors["planned_end"] == ["The end cannot be before the start."]
    assert "planned_start" not in form.errors


def progress_form(row, **changes):
    """The yearly-progress inline of the admin's activity page, for one existing row."""
    request = admin_request()
    activity_admin = admin.site._registry[Activity]
    [inline] = [inline for inline in activity_admin.get_inline_instances(request, row.activity) if inline.model is ActivityProgress]
    form_class = inline.get_formset(request, row.activity).form
    data = {**form_data(row, form_class), **changes}
    form = form_class(data=data, instance=row)
    form.is_valid()
    return form


def test_yearly_progress_form_shows_an_actual_end_before_the_actual_start_beside_the_actual_end():
    progress = ActivityProgressFactory(actual_start=datetime.date(2025, 6, 1), actual_end=datetime.date(2025, 8, 1))

    form = progress_form(progress, actual_end="2025-03")

    assert form.errors["actual_end"] == ["The end cannot be before the start."]
    assert "actual_start" not in form.errors


def test_organisation_active_until_cannot_be_before_active_from_in_the_database():
    organisation = OrganisationFactory(active_from=datetime.date(2025, 3, 1))

    assert_refused_by_database(Organisation, organisation.pk, active_to=datetime.date(2025, 2, 28))


def test_organisation_form_shows_an_end_before_the_start_beside_active_until():
    organisation = OrganisationFactory(active_from=datetime.date(2025, 3, 1))

    form = admin_form(Organisation, instance=organisation, active_to="2025-02-28")

    assert form.errors["active_to"] == ["The end date cannot be before the start date."]


def test_province_valid_until_cannot_be_before_valid_from_in_the_database():
    province = ProvinceFactory(valid_from=datetime.date(2025, 7, 1))

    assert_refused_by_database(Province, province.pk, valid_to=datetime.date(2025, 6, 30))


def test_province_form_shows_an_end_before_the_start_beside_valid_until():
    province = ProvinceFactory(valid_from=datetime.date(2025, 7, 1))

    form = admin_form(Province, instance=province, valid_to="2025-06-30")

    assert form.errors["valid_to"] == ["The end date cannot be before the start date."]


# Years are inside the plan period -------------------------------------------------------------


def test_delivery_plan_form_shows_a_year_outside_the_plan_beside_the_year():
    plan = PlanFactory()

    for year in (2023, 2031):
        form = admin_form(DeliveryPlan, plan=plan.pk, year=str(year), status="draft")

        assert form.errors["year"] == ["The year must be inside the plan period, 2024–2030."]


def test_delivery_plan_form_accepts_the_plans_first_and_last_years():
    plan = PlanFactory()

    for year in (2024, 2030):
        assert admin_form(DeliveryPlan, plan=plan.pk, year=str(year), status="draft").errors == {}


@pytest.mark.parametrize(("field", "month"), [("planned_start", "2023-12"), ("planned_end", "2031-01")])
def test_activity_form_shows_a_month_outside_the_plan_beside_the_field(field, month):
    activity = ActivityFactory(planned_start=datetime.date(2024, 1, 1), planned_end=datetime.date(2030, 12, 1))

    form = admin_form(Activity, instance=activity, **{field: month})

    assert form.errors[field] == ["The date must be inside the plan period, 2024–2030."]


@pytest.mark.parametrize(("field", "month"), [("actual_start", "2023-12"), ("actual_end", "2031-01")])
def test_yearly_progress_form_shows_a_month_outside_the_plan_beside_the_field(field, month):
    activity = ActivityFactory(planned_start=datetime.date(2024, 1, 1), planned_end=datetime.date(2030, 12, 1))
    progress = ActivityProgressFactory(activity=activity, status="on_track", actual_start=datetime.date(2024, 1, 1), actual_end=datetime.date(2030, 12, 1))

    form = progress_form(progress, **{field: month})

    assert form.errors[field] == ["The date must be inside the plan period, 2024–2030."]


def test_activity_form_accepts_the_plans_first_and_last_months():
    activity = ActivityFactory()

    form = admin_form(
        Activity,
        instance=activity,
        planned_start="2024-01",
        planned_end="2030-12",
        delivery_plans=[DeliveryPlanFactory(plan=activity.plan, year=2024).pk],
    )

    assert form.errors == {}


def test_indicator_period_form_shows_a_period_of_another_plan_beside_the_period():
    indicator = IndicatorFactory()
    other_plan = PlanFactory(code="other-plan")

    form = admin_form(IndicatorPeriod, indicator=indicator.pk, period=reporting.annual_period(plan=other_plan, year=2025).pk)

    assert form.errors["period"] == ["Choose a period of the indicator's own plan."]


def test_indicator_period_form_accepts_a_period_of_the_indicators_plan():
    indicator = IndicatorFactory()

    form = admin_form(IndicatorPeriod, indicator=indicator.pk, period=reporting.annual_period(plan=indicator.plan, year=2025).pk)

    assert form.errors == {}


def test_budget_form_shows_a_delivery_plan_of_another_plan_beside_the_delivery_plan():
    line = BudgetLineFactory()
    other_year = DeliveryPlanFactory(plan=PlanFactory(code="other-plan"), year=2025)

    form = admin_form(BudgetLine, instance=line, delivery_plan=other_year.pk)

    assert form.errors["delivery_plan"] == ["Choose a delivery plan of the activity's own plan."]


@pytest.mark.parametrize("status", ["approved", "published"])
@pytest.mark.parametrize("missing", [{"approval_number": ""}, {"approval_date": None}])
def test_approved_delivery_plan_has_its_approval_document_in_the_database(status, missing):
    delivery_plan = DeliveryPlanFactory(status="draft")
    values = {"status": status, "approval_number": "1/KH", "approval_date": datetime.date(2025, 1, 2), **missing}

    assert_refused_by_database(DeliveryPlan, delivery_plan.pk, **values)


def test_database_accepts_a_submitted_delivery_plan_without_approval_document():
    assert not refused_by_database(DeliveryPlan, DeliveryPlanFactory().pk, status="submitted")


# Percentages are between 0 and 100; a numerator is never above its denominator ---------------


@pytest.mark.parametrize("progress", [101, -1])
def test_activity_progress_is_a_percentage_in_the_database(progress):
    row = ActivityProgressFactory(progress=50)

    assert_refused_by_database(ActivityProgress, row.pk, progress=progress)


def test_yearly_progress_form_shows_progress_above_100_beside_progress():
    form = progress_form(ActivityProgressFactory(), progress="101")

    assert form.errors["progress"] == ["Progress is a percentage between 0 and 100."]


def test_yearly_progress_form_accepts_progress_of_100():
    assert progress_form(ActivityProgressFactory(), progress="100").errors == {}


def test_yearly_progress_form_shows_a_completed_year_below_100_percent_beside_progress():
    form = progress_form(ActivityProgressFactory(), status="completed", progress="80")

    assert form.errors["progress"][0].startswith("A completed activity is at 100 percent")


def test_indicator_form_shows_a_baseline_percentage_above_100_beside_the_baseline_value():
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE)

    form = admin_form(Indicator, instance=indicator, baseline_value="150")

    assert form.errors["baseline_value"] == [NOT_A_PERCENTAGE]


@pytest.mark.parametrize("value", [Decimal(150), Decimal(-1)])
def test_indicator_baseline_percentage_is_between_0_and_100_in_the_database(value):
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE, baseline_value=Decimal(40))

    assert_refused_by_database(Indicator, indicator.pk, baseline_value=value)


def test_database_accepts_a_baseline_above_100_for_a_number_indicator():
    indicator = IndicatorFactory(measure=Measure.NUMBER)

    assert not refused_by_database(Indicator, indicator.pk, baseline_value=Decimal(150))


def test_database_refuses_turning_an_indicator_with_a_baseline_above_100_into_a_percentage():
    indicator = IndicatorFactory(measure=Measure.NUMBER, baseline_value=Decimal(150))

    assert_refused_by_database(Indicator, indicator.pk, measure=Measure.PERCENTAGE)


def test_indicator_form_accepts_a_baseline_above_100_for_a_number_indicator():
    indicator = IndicatorFactory(measure=Measure.NUMBER)

    assert admin_form(Indicator, instance=indicator, baseline_value="150").errors == {}


@pytest.mark.parametrize(("field", "value"), [("target_value", "120"), ("actual_value", "-5")])
def test_indicator_period_form_shows_a_percentage_outside_0_to_100_beside_the_value(field, value):
    period = IndicatorPeriodFactory(indicator=IndicatorFactory(measure=Measure.PERCENTAGE))

    form = admin_form(IndicatorPeriod, instance=period, **{field: value})

    assert form.errors[field] == [NOT_A_PERCENTAGE]


def test_indicator_baseline_numerator_cannot_be_above_its_denominator_in_the_database():
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE, baseline_numerator=Decimal(16), baseline_denominator=Decimal(100))

    assert_refused_by_database(Indicator, indicator.pk, baseline_numerator=Decimal(101))


def test_indicator_baseline_denominator_must_be_above_zero_in_the_database():
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE, baseline_numerator=Decimal(0), baseline_denominator=Decimal(100))

    assert_refused_by_database(Indicator, indicator.pk, baseline_denominator=Decimal(0))


def test_indicator_form_shows_a_baseline_numerator_above_the_denominator_beside_the_numerator():
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE, baseline_numerator=Decimal(16), baseline_denominator=Decimal(100))

    form = admin_form(Indicator, instance=indicator, baseline_numerator="101")

    assert form.errors["baseline_numerator"] == [NUMERATOR_ABOVE_DENOMINATOR]


@pytest.mark.parametrize("prefix", ["target_", "actual_"])
def test_indicator_period_numerator_cannot_be_above_its_denominator_in_the_database(prefix):
    period = IndicatorPeriodFactory(
        indicator=IndicatorFactory(measure=Measure.PERCENTAGE), **{f"{prefix}numerator": Decimal(18), f"{prefix}denominator": Decimal(40)}
    )

    assert_refused_by_database(IndicatorPeriod, period.pk, **{f"{prefix}numerator": Decimal(41)})


@pytest.mark.parametrize("prefix", ["target_", "actual_"])
def test_indicator_period_denominator_must_be_above_zero_in_the_database(prefix):
    period = IndicatorPeriodFactory(
        indicator=IndicatorFactory(measure=Measure.PERCENTAGE), **{f"{prefix}numerator": Decimal(0), f"{prefix}denominator": Decimal(40)}
    )

    assert_refused_by_database(IndicatorPeriod, period.pk, **{f"{prefix}denominator": Decimal(0)})


@pytest.mark.parametrize("prefix", ["target_", "actual_"])
def test_indicator_period_form_shows_a_numerator_above_the_denominator_beside_the_numerator(prefix):
    period = IndicatorPeriodFactory(
        indicator=IndicatorFactory(measure=Measure.PERCENTAGE), **{f"{prefix}numerator": Decimal(18), f"{prefix}denominator": Decimal(40)}
    )

    form = admin_form(IndicatorPeriod, instance=period, **{f"{prefix}numerator": "41"})

    assert form.errors[f"{prefix}numerator"] == [NUMERATOR_ABOVE_DENOMINATOR]


def percentage_value(**fields):
    period = IndicatorPeriodFactory(indicator=IndicatorFactory(measure=Measure.PERCENTAGE))
    return DisaggregatedValueFactory(period=period, disaggregation=DisaggregationFactory(), **fields)


def test_disaggregated_numerator_cannot_be_above_its_denominator_in_the_database():
    value = percentage_value(numerator=Decimal(9), denominator=Decimal(20))

    assert_refused_by_database(DisaggregatedValue, value.pk, numerator=Decimal(21))


def disaggregated_value_form(row, **changes):
    """The disaggregated-values inline of the admin's yearly target and actual page, for one existing row."""
    request = admin_request()
    period_admin = admin.site._registry[IndicatorPeriod]
    [inline] = [inline for inline in period_admin.get_inline_instances(request, row.period) if inline.model is DisaggregatedValue]
    formset_class = inline.get_formset(request, row.period)
    prefix = formset_class.get_default_prefix()
    fields = {**form_data(row, formset_class.form), "id": row.pk, **changes}
    data = {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "1", **{f"{prefix}-0-{name}": value for name, value in fields.items()}}
    formset = formset_class(data=data, instance=row.period, prefix=prefix)
    formset.is_valid()
    return formset.forms[0]


def test_disaggregated_value_form_shows_a_numerator_above_the_denominator_beside_the_numerator():
    value = percentage_value(numerator=Decimal(9), denominator=Decimal(20))

    form = disaggregated_value_form(value, numerator="21")

    assert form.errors["numerator"] == [NUMERATOR_ABOVE_DENOMINATOR]


def test_disaggregated_value_form_shows_a_percentage_above_100_beside_the_value():
    value = percentage_value(value=Decimal(40))

    form = disaggregated_value_form(value, value="140")

    assert form.errors["value"] == [NOT_A_PERCENTAGE]


def test_disaggregated_value_form_accepts_the_value_unchanged():
    value = percentage_value(numerator=Decimal(9), denominator=Decimal(20))

    assert disaggregated_value_form(value).errors == {}


# Codes are unique within a plan ---------------------------------------------------------------


def two_plans():
    return PlanFactory(), PlanFactory(code="other-plan")


def test_objective_code_is_unique_within_a_plan_in_the_database():
    plan, other = two_plans()
    ObjectiveFactory(plan=plan, code="1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Objective.objects.bulk_create([Objective(plan=plan, code="1", pillar=Pillar.PARTICIPATION, title_vi="Trùng mã")])

    Objective.objects.bulk_create([Objective(plan=other, code="1", pillar=Pillar.PARTICIPATION, title_vi="Chương trình khác")])
    assert Objective.objects.filter(code="1").count() == 2


def test_task_group_code_is_unique_within_a_plan_in_the_database():
    plan, other = two_plans()
    TaskGroupFactory(plan=plan, code="1")
    second = TaskGroupFactory(plan=plan, code="2")
    TaskGroupFactory(plan=other, code="2")

    assert_refused_by_database(TaskGroup, second.pk, code="1")
    assert TaskGroup.objects.filter(code="2").count() == 2


def test_task_group_form_shows_a_code_used_in_the_plan_beside_the_code():
    plan, other = two_plans()
    first = TaskGroupFactory(plan=plan, code="1")

    assert admin_form(TaskGroup, like=first, title_vi="Nhóm khác").errors == {"code": [CODE_USED]}
    assert admin_form(TaskGroup, like=first, plan=other.pk, title_vi="Nhóm khác").errors == {}


def test_subtask_letter_is_unique_within_its_task_group_in_the_database():
    group, other_group = TaskGroupFactory(), TaskGroupFactory()
    SubTask.objects.create(task_group=group, letter="a", title_vi="Nhiệm vụ a")
    b = SubTask.objects.create(task_group=group, letter="b", title_vi="Nhiệm vụ b")
    SubTask.objects.create(task_group=other_group, letter="b", title_vi="Nhiệm vụ b của nhóm khác")

    assert_refused_by_database(SubTask, b.pk, letter="a")


def test_subtask_form_shows_a_letter_used_in_the_group_beside_the_letter():
    group = TaskGroupFactory()
    first = SubTask.objects.create(task_group=group, letter="a", title_vi="Nhiệm vụ a")

    assert admin_form(SubTask, like=first).errors == {"letter": ["This letter is already used in this task group."]}
    assert admin_form(SubTask, like=first, letter="b").errors == {}


def test_plan_last_year_cannot_be_before_its_first_year_in_the_database():
    plan = PlanFactory()

    assert_refused_by_database(Plan, plan.pk, end_year=2023)
    assert not refused_by_database(Plan, plan.pk, end_year=2024)


def test_plan_form_shows_a_last_year_before_the_first_beside_the_last_year():
    plan = PlanFactory()

    form = admin_form(Plan, instance=plan, end_year="2020")

    assert form.errors == {"end_year": ["The last year cannot be before the first year."]}


def test_output_code_is_unique_within_a_plan_in_the_database():
    plan, other = two_plans()
    first = OutputFactory(objective__plan=plan, code="1.1")
    second = OutputFactory(objective__plan=plan, code="1.2")
    OutputFactory(objective__plan=other, code="1.2")

    assert_refused_by_database(Output, second.pk, code=first.code)
    assert Output.objects.filter(code="1.2").count() == 2


def test_activity_code_is_unique_within_a_plan_in_the_database():
    plan, other = two_plans()
    first = ActivityFactory(output__objective__plan=plan, code="1.1.1")
    twin = Activity(
        plan=plan,
        output=first.output,
        task_group=first.task_group,
        code="1.1.1",
        title_vi="Trùng mã",
        lead_agency=first.lead_agency,
        planned_start=first.planned_start,
        planned_end=first.planned_end,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.bulk_create([twin])

    ActivityFactory(output__objective__plan=other, code="1.1.1")
    assert Activity.objects.filter(code="1.1.1").count() == 2


def test_indicator_code_is_unique_within_a_plan_in_the_database():
    plan, other = two_plans()
    first = IndicatorFactory(output__objective__plan=plan, code="1.1.I1")
    second = IndicatorFactory(output=first.output, code="1.1.I2")
    IndicatorFactory(output__objective__plan=other, code="1.1.I2")

    assert_refused_by_database(Indicator, second.pk, code=first.code)
    assert Indicator.objects.filter(code="1.1.I2").count() == 2


def test_objective_form_shows_a_code_used_in_the_plan_beside_the_code():
    existing = ObjectiveFactory(code="1")

    form = admin_form(Objective, like=existing)

    assert form.errors["code"] == [CODE_USED]


def test_objective_form_accepts_a_code_used_in_another_plan():
    existing = ObjectiveFactory(code="1")
    other = PlanFactory(code="other-plan")

    assert admin_form(Objective, like=existing, plan=other.pk).errors == {}


def test_output_form_shows_a_code_used_in_the_plan_beside_the_code():
    existing = OutputFactory(code="1.1")
    sibling = ObjectiveFactory(plan=existing.plan)

    form = admin_form(Output, like=existing, objective=sibling.pk)

    assert form.errors["code"] == [CODE_USED]


def test_output_form_accepts_a_code_used_in_another_plan():
    existing = OutputFactory(code="1.1")
    elsewhere = ObjectiveFactory(plan=PlanFactory(code="other-plan"))

    assert admin_form(Output, like=existing, objective=elsewhere.pk).errors == {}


def test_activity_form_shows_a_code_used_in_the_plan_beside_the_code():
    existing = ActivityFactory(code="1.1.1")
    sibling = OutputFactory(objective__plan=existing.plan)

    form = admin_form(Activity, like=existing, output=sibling.pk, delivery_plans=[DeliveryPlanFactory(plan=existing.plan).pk])

    assert form.errors["code"] == [CODE_USED]


def test_activity_form_accepts_a_code_used_in_another_plan():
    existing = ActivityFactory(code="1.1.1")
    other = PlanFactory(code="other-plan")
    elsewhere = OutputFactory(objective__plan=other)

    form = admin_form(
        Activity,
        like=existing,
        output=elsewhere.pk,
        task_group=TaskGroupFactory(plan=other).pk,
        delivery_plans=[DeliveryPlanFactory(plan=other).pk],
    )

    assert form.errors == {}


def test_indicator_form_shows_a_code_used_in_the_plan_beside_the_code():
    existing = IndicatorFactory(code="1.1.I1")
    sibling = OutputFactory(objective__plan=existing.plan)

    form = admin_form(Indicator, like=existing, output=sibling.pk)

    assert form.errors["code"] == [CODE_USED]


def test_indicator_form_accepts_a_code_used_in_another_plan():
    existing = IndicatorFactory(code="1.1.I1")
    elsewhere = OutputFactory(objective__plan=PlanFactory(code="other-plan"))

    assert admin_form(Indicator, like=existing, output=elsewhere.pk).errors == {}


# A province must exist during the activity's dates --------------------------------------------


@pytest.fixture
def provinces():
    """Hà Giang ended on 30 June 2025; it became part of the new Tuyên Quang from 1 July 2025."""
    return {
        "ha_giang": ProvinceFactory(code="02", name_vi="Hà Giang", name_en="Ha Giang", valid_to=datetime.date(2025, 6, 30)),
        "tuyen_quang": ProvinceFactory(code="08", name_vi="Tuyên Quang", name_en="Tuyen Quang", valid_from=datetime.date(2025, 7, 1)),
    }


def activity_in(start, end):
    activity = ActivityFactory(planned_start=start, planned_end=end)
    activity.delivery_plans.set([DeliveryPlanFactory(plan=activity.plan, year=2025)])
    return activity


def test_activity_form_shows_a_province_that_had_ended_beside_provinces(provinces):
    activity = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))

    form = admin_form(Activity, instance=activity, provinces=[provinces["ha_giang"].pk])

    assert list(form.errors) == ["provinces"]
    [message] = form.errors["provinces"]
    assert message.startswith("Not a province during the activity's dates:")
    assert "Ha Giang (02, until 30/06/2025)" in message


def test_activity_form_shows_a_province_that_did_not_exist_yet_beside_provinces(provinces):
    activity = activity_in(datetime.date(2025, 1, 1), datetime.date(2025, 5, 1))

    form = admin_form(Activity, instance=activity, provinces=[provinces["tuyen_quang"].pk])

    assert list(form.errors) == ["provinces"]
    assert "Tuyen Quang (08)" in form.errors["provinces"][0]


def test_activity_form_accepts_a_province_valid_on_its_dates(provinces):
    activity = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))

    form = admin_form(Activity, instance=activity, provinces=[provinces["tuyen_quang"].pk])

    assert form.errors == {}


def test_activity_form_shows_a_province_that_had_ended_before_the_actual_dates_beside_provinces(provinces):
    activity = activity_in(datetime.date(2025, 3, 1), datetime.date(2025, 6, 1))
    ActivityProgressFactory(activity=activity, status="on_track", actual_start=datetime.date(2025, 8, 1), actual_end=datetime.date(2025, 10, 1))

    form = admin_form(Activity, instance=activity, provinces=[provinces["ha_giang"].pk])

    assert list(form.errors) == ["provinces"]
    assert "Ha Giang" in form.errors["provinces"][0]


def test_yearly_progress_form_shows_actual_dates_after_a_province_of_the_activity_ended_beside_the_start(provinces):
    activity = activity_in(datetime.date(2025, 3, 1), datetime.date(2025, 6, 1))
    activity.provinces.set([provinces["ha_giang"]])
    progress = ActivityProgressFactory(activity=activity, delivery_plan=activity.delivery_plans.get())

    form = progress_form(progress, status="on_track", actual_start="2025-08", actual_end="2025-10")

    assert list(form.errors) == ["actual_start"]
    assert "Ha Giang" in form.errors["actual_start"][0]


def test_activity_form_accepts_a_province_valid_on_both_planned_and_actual_dates(provinces):
    activity = activity_in(datetime.date(2025, 3, 1), datetime.date(2025, 6, 1))
    ActivityProgressFactory(activity=activity, status="on_track", actual_start=datetime.date(2025, 4, 1), actual_end=datetime.date(2025, 6, 1))

    form = admin_form(Activity, instance=activity, provinces=[provinces["ha_giang"].pk])

    assert form.errors == {}


def admin_add_activity_post(activity, **changes) -> dict:
    """What the admin's add-activity page posts for a copy of `activity`, as the browser sends it."""
    return {
        "output": activity.output.pk,
        "code": "1.1.9",
        "order": "0",
        "task_group": activity.task_group.pk,
        "subtask": "",
        "delivery_plans": [dp.pk for dp in activity.delivery_plans.all()],
        "title_vi": "Hoạt động mới",
        "title_en": "",
        "description_vi": "",
        "description_en": "",
        "lead_agency": activity.lead_agency.pk,
        "planned_start": "2025-08",
        "planned_end": "2025-12",
        "change_reason": "",
        "yearly_progress-TOTAL_FORMS": "0",
        "yearly_progress-INITIAL_FORMS": "0",
        "budget_lines-TOTAL_FORMS": "0",
        "budget_lines-INITIAL_FORMS": "0",
        **changes,
    }


def test_admin_add_activity_page_shows_a_province_that_had_ended_beside_provinces(client, provinces):
    template = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))
    client.force_login(coordinator())

    response = client.post(reverse("admin:planning_activity_add"), admin_add_activity_post(template, provinces=[provinces["ha_giang"].pk]))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["provinces"]
    assert "Ha Giang" in errors["provinces"][0]
    assert not Activity.objects.filter(code="1.1.9").exists()


def test_admin_add_activity_page_saves_an_activity_in_a_province_valid_on_its_dates(client, provinces):
    template = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))
    client.force_login(coordinator())

    response = client.post(reverse("admin:planning_activity_add"), admin_add_activity_post(template, provinces=[provinces["tuyen_quang"].pk]))

    assert response.status_code == 302
    assert list(Activity.objects.get(code="1.1.9").provinces.all()) == [provinces["tuyen_quang"]]


# An agency is not both lead and partner of one activity ---------------------------------------


def test_activity_form_shows_the_lead_agency_as_partner_beside_partner_agencies():
    activity = activity_in(datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))

    form = admin_form(Activity, instance=activity, partner_agencies=[activity.lead_agency.pk, OrganisationFactory().pk])

    assert list(form.errors) == ["partner_agencies"]
    assert form.errors["partner_agencies"] == [f"{activity.lead_agency} is the lead agency; it cannot also be a partner agency."]


def test_activity_form_shows_the_lead_agency_as_supporting_partner_beside_supporting_partners():
    activity = activity_in(datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))

    form = admin_form(Activity, instance=activity, supporting_partners=[activity.lead_agency.pk])

    assert list(form.errors) == ["supporting_partners"]


def test_admin_add_activity_page_shows_the_lead_agency_as_partner_beside_partner_agencies(client):
    template = activity_in(datetime.date(2025, 8, 1), datetime.date(2025, 12, 1))
    client.force_login(coordinator())

    response = client.post(reverse("admin:planning_activity_add"), admin_add_activity_post(template, partner_agencies=[template.lead_agency.pk]))

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["partner_agencies"]


# An indicator is attached to exactly what its level says ---------------------------------------


def test_indicator_cannot_be_attached_to_two_levels_in_the_database():
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT)

    assert_refused_by_database(Indicator, indicator.pk, objective=indicator.output.objective)


def test_indicator_cannot_name_one_level_and_be_attached_to_another_in_the_database():
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT)

    assert_refused_by_database(Indicator, indicator.pk, level=ResultLevel.OBJECTIVE)


def test_indicator_cannot_be_attached_to_nothing_in_the_database():
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT)

    assert_refused_by_database(Indicator, indicator.pk, output=None)


def test_indicator_at_each_level_is_allowed_in_the_database():
    output = OutputFactory()
    activity = ActivityFactory(output=output)
    for level, attachment in [
        (ResultLevel.PLAN, {"plan_level_of": output.plan}),
        (ResultLevel.OBJECTIVE, {"objective": output.objective}),
        (ResultLevel.OUTPUT, {"output": output}),
        (ResultLevel.ACTIVITY, {"activity": activity}),
    ]:
        IndicatorFactory(level=level, **{"output": None, **attachment})

    assert Indicator.objects.count() == 4


def test_indicator_form_shows_a_missing_attachment_beside_the_levels_field_and_a_wrong_one_beside_its_own():
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT)

    form = admin_form(Indicator, instance=indicator, level=ResultLevel.OBJECTIVE)

    assert sorted(form.errors) == ["objective", "output"]
    assert form.errors["objective"][0].startswith("Choose what this")
    assert form.errors["output"][0].startswith("Leave empty")


def test_indicator_form_shows_an_extra_attachment_beside_that_field():
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT)
    activity = ActivityFactory(output=indicator.output)

    form = admin_form(Indicator, instance=indicator, activity=activity.pk)

    assert list(form.errors) == ["activity"]
    assert form.errors["activity"][0].startswith("Leave empty")


def test_indicator_form_accepts_an_indicator_attached_to_its_level():
    indicator = IndicatorFactory(level=ResultLevel.OUTPUT)

    form = admin_form(Indicator, instance=indicator, level=ResultLevel.OBJECTIVE, output="", objective=indicator.output.objective.pk)

    assert form.errors == {}


# The same rules on the admin's add pages, where yearly values are typed inline -----------------
# A new indicator (or yearly value) has no primary key while its inline rows are validated, so the
# rows' checks must not depend on the parent being saved already.


def admin_add_indicator_post(output, agency, **period) -> dict:
    """The admin's add-indicator page: a new percentage indicator with one yearly row inline."""
    return {
        "code": "1.1.I9",
        "order": "0",
        "level": ResultLevel.OUTPUT,
        "output": output.pk,
        "title_vi": "Tỷ lệ cán bộ nữ được tập huấn",
        "measure": Measure.PERCENTAGE,
        "direction": "increase",
        "aggregation": "incremental",
        "frequency": "annual",
        "responsible_agency": agency.pk,
        "change_reason": "",
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        **{f"periods-0-{name}": value for name, value in period.items()},
    }


def inline_errors(response, model) -> dict:
    [formset] = [inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is model]
    return formset.forms[0].errors


def test_admin_add_indicator_page_shows_a_yearly_percentage_above_100_beside_the_value(client):
    output = OutputFactory()
    year = reporting.annual_period(plan=output.plan, year=2025)
    client.force_login(coordinator())

    response = client.post(reverse("admin:planning_indicator_add"), admin_add_indicator_post(output, OrganisationFactory(), period=year.pk, target_value="150"))

    assert not IndicatorPeriod.objects.filter(target_value=150).exists()
    assert response.status_code == 200
    assert inline_errors(response, IndicatorPeriod)["target_value"] == [NOT_A_PERCENTAGE]


def test_admin_add_indicator_page_shows_a_yearly_numerator_above_the_denominator_beside_the_numerator(client):
    output = OutputFactory()
    year = reporting.annual_period(plan=output.plan, year=2025)
    client.force_login(coordinator())

    response = client.post(
        reverse("admin:planning_indicator_add"),
        admin_add_indicator_post(output, OrganisationFactory(), period=year.pk, actual_numerator="50", actual_denominator="40"),
    )

    assert response.status_code == 200
    assert inline_errors(response, IndicatorPeriod)["actual_numerator"] == [NUMERATOR_ABOVE_DENOMINATOR]


def test_admin_add_indicator_page_shows_a_period_of_another_plan_beside_the_period(client):
    output = OutputFactory()
    other_year = reporting.annual_period(plan=PlanFactory(code="other-plan"), year=2025)
    client.force_login(coordinator())

    response = client.post(
        reverse("admin:planning_indicator_add"), admin_add_indicator_post(output, OrganisationFactory(), period=other_year.pk, target_value="50")
    )

    assert not IndicatorPeriod.objects.filter(period=other_year).exists()
    assert response.status_code == 200
    assert inline_errors(response, IndicatorPeriod)["period"] == ["Choose a period of the indicator's own plan."]


def test_admin_add_yearly_value_page_shows_a_disaggregated_percentage_above_100_beside_the_value(client):
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE)
    year = reporting.annual_period(plan=indicator.plan, year=2025)
    client.force_login(coordinator())

    response = client.post(
        reverse("admin:planning_indicatorperiod_add"),
        {
            "indicator": indicator.pk,
            "period": year.pk,
            "change_reason": "",
            "disaggregated_values-TOTAL_FORMS": "1",
            "disaggregated_values-INITIAL_FORMS": "0",
            "disaggregated_values-0-kind": "actual",
            "disaggregated_values-0-disaggregation": DisaggregationFactory().pk,
            "disaggregated_values-0-category": "female",
            "disaggregated_values-0-value": "140",
        },
    )

    assert not DisaggregatedValue.objects.exists()
    assert response.status_code == 200
    assert inline_errors(response, DisaggregatedValue)["value"] == [NOT_A_PERCENTAGE]


def test_admin_add_plan_page_saves_a_new_plan_with_its_objectives(client):
    """The code check of an objective typed inline runs before its new plan has a primary key."""
    client.force_login(coordinator())

    response = client.post(
        reverse("admin:planning_plan_add"),
        {
            "code": "nap-2031-2035",
            "name_vi": "Chương trình giai đoạn sau",
            "decision_number": "1/QĐ-TTg",
            "decision_date": "2031-01-15",
            "start_year": "2031",
            "end_year": "2035",
            "coordinator": OrganisationFactory(code="mofa").pk,
            "general_objective_vi": "Mục tiêu chung",
            "change_reason": "",
            "objectives-TOTAL_FORMS": "1",
            "objectives-INITIAL_FORMS": "0",
            "objectives-0-code": "1",
            "objectives-0-order": "1",
            "objectives-0-pillar": Pillar.PARTICIPATION,
            "objectives-0-title_vi": "Sự tham gia",
            "task_groups-TOTAL_FORMS": "0",
            "task_groups-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert list(Objective.objects.filter(plan__code="nap-2031-2035").values_list("code", flat=True)) == ["1"]
