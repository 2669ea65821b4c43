"""planning.services: writes validate, check who may write, and record who and why in the history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from napwps.history import render_reason
from planning import services
from planning.models import (
    Activity,
    ActivityProgress,
    BudgetLine,
    DeliveryPlan,
    FundingSource,
    IndicatorPeriod,
    Measure,
    PeriodKind,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from planning.services import reporting
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    IndicatorFactory,
    OrganisationFactory,
    OutputFactory,
    PlanFactory,
    ProvinceFactory,
    TaskGroupFactory,
    coordinator,
    focal_point,
)

pytestmark = pytest.mark.django_db


def new_activity(**fields):
    """activity_create's arguments for a valid activity, overridden by `fields`."""
    output = fields.pop("output", None) or OutputFactory()
    plan = output.objective.plan
    arguments = {
        "output": output,
        "code": "1.1.1",
        "title_vi": "Tập huấn",
        "lead_agency": OrganisationFactory(code="moh"),
        "task_group": TaskGroupFactory(plan=plan),
        "planned_start": datetime.date(2025, 3, 1),
        "planned_end": datetime.date(2025, 9, 1),
        "delivery_plans": [DeliveryPlanFactory(plan=plan, year=2025)],
    }
    return {**arguments, **fields}


# activity_create ------------------------------------------------------------------------------


def test_activity_create_saves_the_activity_with_its_relations():
    partner = OrganisationFactory(code="moha")

    activity = services.activity_create(**new_activity(partner_agencies=[partner]))

    activity.refresh_from_db()
    assert activity.code == "1.1.1"
    assert list(activity.partner_agencies.all()) == [partner]
    assert list(activity.delivery_plans.values_list("year", flat=True)) == [2025]
    assert activity.plan == activity.output.objective.plan


def test_activity_create_records_the_user_and_the_reason_in_the_history():
    user = coordinator()

    activity = services.activity_create(**new_activity(user=user, reason="Agreed at the 2025 planning meeting"))

    record = activity.history.first()
    assert record.history_change_reason == "Agreed at the 2025 planning meeting"
    assert record.history_user == user
    assert record.history_type in ("+", "~")
    assert activity.history.earliest().history_type == "+"


def test_activity_create_refuses_an_end_before_the_start_and_saves_nothing():
    with pytest.raises(ValidationError) as error:
        services.activity_create(**new_activity(planned_start=datetime.date(2025, 9, 1), planned_end=datetime.date(2025, 3, 1)))

    assert "planned_end" in error.value.message_dict
    assert not Activity.objects.exists()


def test_activity_create_refuses_months_outside_the_plan_period():
    with pytest.raises(ValidationError) as error:
        services.activity_create(**new_activity(planned_start=datetime.date(2023, 12, 1), planned_end=datetime.date(2031, 1, 1)))

    assert sorted(error.value.message_dict) == ["planned_end", "planned_start"]
    assert not Activity.objects.exists()


def test_activity_create_refuses_the_lead_agency_as_a_partner():
    lead = OrganisationFactory(code="moh")

    with pytest.raises(ValidationError) as error:
        services.activity_create(**new_activity(lead_agency=lead, partner_agencies=[lead]))

    assert list(error.value.message_dict) == ["partner_agencies"]
    assert not Activity.objects.exists()


def test_activity_create_refuses_a_province_that_no_longer_existed_on_its_dates():
    ha_giang = ProvinceFactory(code="02", name_vi="Hà Giang", valid_to=datetime.date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        services.activity_create(**new_activity(planned_start=datetime.date(2025, 8, 1), planned_end=datetime.date(2025, 12, 1), provinces=[ha_giang]))

    assert list(error.value.message_dict) == ["provinces"]
    assert "Hà Giang" in error.value.message_dict["provinces"][0]
    assert not Activity.objects.exists()


def test_activity_create_accepts_a_province_that_existed_for_part_of_its_dates():
    ha_giang = ProvinceFactory(code="02", name_vi="Hà Giang", valid_to=datetime.date(2025, 6, 30))

    activity = services.activity_create(**new_activity(planned_start=datetime.date(2025, 3, 1), planned_end=datetime.date(2025, 12, 1), provinces=[ha_giang]))

    assert list(activity.provinces.all()) == [ha_giang]


def test_focal_point_cannot_create_an_activity_for_another_agency():
    own, other = OrganisationFactory(code="mps"), OrganisationFactory(code="moh")
    user = focal_point(own)

    with pytest.raises(PermissionDenied):
        services.activity_create(**new_activity(lead_agency=other, user=user, reason="New"))

    assert not Activity.objects.exists()


# activity_update ------------------------------------------------------------------------------


def test_activity_update_records_the_user_and_the_reason_in_the_history():
    activity = ActivityFactory()
    user = coordinator()

    services.activity_update(activity=activity, user=user, reason="Mid-year review", title_vi="Tập huấn mới")

    activity.refresh_from_db()
    assert activity.title_vi == "Tập huấn mới"
    record = activity.history.first()
    assert record.history_change_reason == "Mid-year review"
    assert record.history_user == user
    assert record.title_vi == "Tập huấn mới"


def progress_of(activity, year=2025, **fields):
    """The activity's progress record for a year of its delivery plans (unsaved), with `fields`."""
    delivery_plan = DeliveryPlanFactory(plan=activity.plan, year=year)
    activity.delivery_plans.add(delivery_plan)
    progress = reporting.activity_progress_for(activity=activity, delivery_plan=delivery_plan)
    for field, value in fields.items():
        setattr(progress, field, value)
    return progress


def test_yearly_progress_records_the_user_and_the_reason_in_the_history():
    activity = ActivityFactory()
    user = coordinator()

    reporting.activity_progress_save(progress=progress_of(activity, progress=40), user=user, reason="Mid-year review")

    progress = ActivityProgress.objects.get(activity=activity)
    assert progress.progress == 40
    record = progress.history.first()
    assert (record.history_change_reason, record.history_user, record.progress) == ("Mid-year review", user, 40)


def test_activity_update_records_the_reason_when_only_relations_change():
    activity = ActivityFactory()
    partner = OrganisationFactory(code="vwu")
    user = coordinator()

    services.activity_update(activity=activity, user=user, reason="VWU joins", partner_agencies=[partner])

    assert list(activity.partner_agencies.all()) == [partner]
    record = activity.history.first()
    assert record.history_change_reason == "VWU joins"
    assert record.history_user == user


def test_activity_update_needs_a_reason():
    activity = ActivityFactory(title_vi="Cũ")

    with pytest.raises(ValueError):
        services.activity_update(activity=activity, user=coordinator(), reason="  ", title_vi="Mới")

    activity.refresh_from_db()
    assert activity.title_vi == "Cũ"


def test_yearly_progress_validates_and_leaves_the_row_unchanged():
    activity = ActivityFactory()
    reporting.activity_progress_save(progress=progress_of(activity, progress=10), user=None)
    progress = ActivityProgress.objects.get(activity=activity)
    progress.progress = 150

    with pytest.raises(ValidationError) as error:
        reporting.activity_progress_save(progress=progress, user=coordinator(), reason="Typo")

    assert "progress" in error.value.message_dict
    progress.refresh_from_db()
    assert progress.progress == 10


def test_yearly_progress_refuses_a_province_that_had_ended_before_the_activity_actually_started():
    ended = ProvinceFactory(valid_to=datetime.date(2025, 6, 30))
    activity = services.activity_create(**new_activity(provinces=[ended]))  # planned 03–09/2025

    with pytest.raises(ValidationError) as error:
        reporting.activity_progress_save(progress=progress_of(activity, status="on_track", actual_start=datetime.date(2025, 7, 1)), user=None)

    assert list(error.value.message_dict) == ["actual_start"]
    assert not ActivityProgress.objects.filter(activity=activity).exists()


def test_yearly_progress_accepts_actual_dates_while_the_province_existed():
    ended = ProvinceFactory(valid_to=datetime.date(2025, 6, 30))
    activity = services.activity_create(**new_activity(provinces=[ended]))

    reporting.activity_progress_save(progress=progress_of(activity, status="on_track", actual_start=datetime.date(2025, 3, 1)), user=None)

    assert ActivityProgress.objects.get(activity=activity).actual_start == datetime.date(2025, 3, 1)


def test_activity_update_refuses_a_province_that_had_ended_before_the_activity_actually_started():
    ended = ProvinceFactory(valid_to=datetime.date(2025, 6, 30))
    activity = services.activity_create(**new_activity())  # planned 03–09/2025
    reporting.activity_progress_save(progress=progress_of(activity, status="on_track", actual_start=datetime.date(2025, 7, 1)), user=None)

    with pytest.raises(ValidationError) as error:
        services.activity_update(activity=activity, user=None, reason="Province", provinces=[ended])

    assert list(error.value.message_dict) == ["provinces"]
    assert not activity.provinces.exists()


def test_activity_update_refuses_the_lead_agency_as_a_partner():
    activity = ActivityFactory()

    with pytest.raises(ValidationError) as error:
        services.activity_update(activity=activity, user=coordinator(), reason="Partners", partner_agencies=[activity.lead_agency])

    assert list(error.value.message_dict) == ["partner_agencies"]
    assert not activity.partner_agencies.exists()


def test_focal_point_cannot_edit_other_agencys_activity():
    own, other = OrganisationFactory(code="mps"), OrganisationFactory(code="moh")
    activity = ActivityFactory(lead_agency=other, title_vi="Cũ")
    history = activity.history.count()

    with pytest.raises(PermissionDenied):
        services.activity_update(activity=activity, user=focal_point(own), reason="Progress", title_vi="Mới")

    activity.refresh_from_db()
    assert activity.title_vi == "Cũ"
    assert activity.history.count() == history


def test_focal_point_cannot_report_progress_of_other_agencys_activity():
    own, other = OrganisationFactory(code="mps"), OrganisationFactory(code="moh")
    activity = ActivityFactory(lead_agency=other)

    with pytest.raises(PermissionDenied):
        reporting.activity_progress_save(progress=progress_of(activity, progress=50), user=focal_point(own))

    assert not ActivityProgress.objects.exists()


def test_focal_point_can_edit_own_agencys_activity():
    own = OrganisationFactory(code="mps")
    activity = ActivityFactory(lead_agency=own, title_vi="Cũ")
    user = focal_point(own)

    services.activity_update(activity=activity, user=user, reason="Quarterly progress", title_vi="Mới")

    activity.refresh_from_db()
    assert activity.title_vi == "Mới"
    assert activity.history.first().history_user == user


def test_focal_point_reports_own_agencys_progress_in_their_agencys_draft_report():
    own = OrganisationFactory(code="mps")
    activity = ActivityFactory(lead_agency=own)
    user = focal_point(own)

    reporting.activity_progress_save(progress=progress_of(activity, progress=50), user=user, reason="Quarterly progress")

    progress = ActivityProgress.objects.get(activity=activity)
    assert (progress.progress, progress.history.first().history_user) == (50, user)
    report = ProgressReport.objects.get(agency=own)
    assert (report.status, report.period.year, list(report.editors.all())) == (ReportStatus.DRAFT, 2025, [user])


def test_focal_point_cannot_hand_own_activity_to_another_agency():
    own, other = OrganisationFactory(code="mps"), OrganisationFactory(code="moh")
    activity = ActivityFactory(lead_agency=own)

    with pytest.raises(PermissionDenied):
        services.activity_update(activity=activity, user=focal_point(own), reason="Hand over", lead_agency=other)

    activity.refresh_from_db()
    assert activity.lead_agency == own


# budget_line_create ---------------------------------------------------------------------------


def activity_of_2025(**fields):
    activity = ActivityFactory(**fields)
    activity.delivery_plans.set([DeliveryPlanFactory(plan=activity.plan, year=2025)])
    return activity


def test_budget_line_create_converts_usd_to_vnd_at_the_rate():
    activity = activity_of_2025()

    line = services.budget_line_create(
        activity=activity,
        delivery_plan=DeliveryPlanFactory(plan=activity.plan, year=2025),
        source=FundingSource.ODA_GRANT,
        amount_vnd=None,
        currency="USD",
        original_amount=Decimal(20_000),
        exchange_rate=Decimal(25_400),
    )

    line.refresh_from_db()
    assert line.amount_vnd == Decimal(508_000_000)
    assert (line.currency, line.original_amount, line.exchange_rate) == ("USD", Decimal(20_000), Decimal(25_400))


def test_budget_line_create_needs_the_rate_for_a_foreign_currency():
    activity = activity_of_2025()

    with pytest.raises(ValidationError) as error:
        services.budget_line_create(
            activity=activity,
            delivery_plan=DeliveryPlanFactory(plan=activity.plan, year=2025),
            source=FundingSource.ODA_GRANT,
            amount_vnd=None,
            currency="USD",
            original_amount=Decimal(20_000),
        )

    assert "exchange_rate" in error.value.message_dict
    assert not BudgetLine.objects.exists()


def test_budget_line_create_records_the_user_and_the_reason():
    activity = activity_of_2025()
    user = coordinator()

    line = services.budget_line_create(
        activity=activity,
        delivery_plan=DeliveryPlanFactory(plan=activity.plan, year=2025),
        source=FundingSource.CENTRAL_BUDGET,
        amount_vnd=Decimal(150_000_000),
        user=user,
        reason="State budget allocation 2025",
    )

    record = line.history.first()
    assert (record.history_user, record.history_change_reason) == (user, "State budget allocation 2025")


def test_focal_point_cannot_add_a_budget_line_to_other_agencys_activity():
    own, other = OrganisationFactory(code="mps"), OrganisationFactory(code="moh")
    activity = activity_of_2025(lead_agency=other)

    with pytest.raises(PermissionDenied):
        services.budget_line_create(
            activity=activity,
            delivery_plan=DeliveryPlanFactory(plan=activity.plan, year=2025),
            source=FundingSource.CENTRAL_BUDGET,
            amount_vnd=Decimal(1_000_000),
            user=focal_point(own),
        )

    assert not BudgetLine.objects.exists()


def test_budget_line_create_refuses_a_year_that_is_not_one_of_the_activitys():
    activity = activity_of_2025()

    with pytest.raises(ValidationError) as error:
        services.budget_line_create(
            activity=activity, delivery_plan=DeliveryPlanFactory(plan=activity.plan, year=2026), source=FundingSource.CENTRAL_BUDGET, amount_vnd=Decimal(1)
        )

    assert list(error.value.message_dict) == ["delivery_plan"]
    assert not BudgetLine.objects.exists()


# indicator_period_set -------------------------------------------------------------------------


def test_indicator_period_set_computes_the_percentage_from_numerator_and_denominator():
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE)
    year = reporting.annual_period(plan=indicator.plan, year=2025)

    period = services.indicator_period_set(
        indicator=indicator,
        period=year,
        target_numerator=Decimal(70),
        target_denominator=Decimal(100),
        actual_numerator=Decimal(18),
        actual_denominator=Decimal(40),
    )

    period.refresh_from_db()
    assert period.target_value == Decimal("70.00")
    assert period.actual_value == Decimal("45.00")


def test_indicator_period_set_updates_the_same_years_row_instead_of_adding_one():
    indicator = IndicatorFactory(measure=Measure.NUMBER)
    year = reporting.annual_period(plan=indicator.plan, year=2025)
    first = services.indicator_period_set(indicator=indicator, period=year, target_value=Decimal(5))

    second = services.indicator_period_set(indicator=indicator, period=year, actual_value=Decimal(3))

    assert second.pk == first.pk
    assert IndicatorPeriod.objects.filter(indicator=indicator).count() == 1
    second.refresh_from_db()
    assert (second.target_value, second.actual_value) == (Decimal(5), Decimal(3))


def test_indicator_period_set_adds_a_row_for_another_year():
    indicator = IndicatorFactory(measure=Measure.NUMBER)
    services.indicator_period_set(indicator=indicator, period=reporting.annual_period(plan=indicator.plan, year=2024), target_value=Decimal(5))

    services.indicator_period_set(indicator=indicator, period=reporting.annual_period(plan=indicator.plan, year=2025), target_value=Decimal(8))

    assert list(indicator.periods.order_by("period__year").values_list("period__year", "target_value")) == [
        (2024, Decimal(5)),
        (2025, Decimal(8)),
    ]


def test_indicator_period_set_stores_a_2030_and_a_mid_term_target_before_those_years_have_a_delivery_plan():
    indicator = IndicatorFactory(measure=Measure.NUMBER)
    final_year = reporting.annual_period(plan=indicator.plan, year=2030)
    mid_term = ReportingPeriod.objects.get(plan=indicator.plan, kind=PeriodKind.MID_TERM)

    services.indicator_period_set(indicator=indicator, period=final_year, target_value=Decimal(30))
    services.indicator_period_set(indicator=indicator, period=mid_term, target_value=Decimal(15))

    assert not DeliveryPlan.objects.filter(plan=indicator.plan, year__in=[2030, mid_term.year]).exists()
    assert set(indicator.periods.values_list("period__kind", "target_value")) == {(PeriodKind.ANNUAL, Decimal(30)), (PeriodKind.MID_TERM, Decimal(15))}


def test_indicator_period_set_refuses_a_numerator_above_the_denominator():
    indicator = IndicatorFactory(measure=Measure.PERCENTAGE)
    year = reporting.annual_period(plan=indicator.plan, year=2025)

    with pytest.raises(ValidationError) as error:
        services.indicator_period_set(indicator=indicator, period=year, actual_numerator=Decimal(50), actual_denominator=Decimal(40))

    assert "actual_numerator" in error.value.message_dict
    assert not IndicatorPeriod.objects.exists()


def test_indicator_period_set_refuses_a_period_of_another_plan():
    indicator = IndicatorFactory(measure=Measure.NUMBER)
    other_year = reporting.annual_period(plan=PlanFactory(code="other-plan"), year=2025)

    with pytest.raises(ValidationError) as error:
        services.indicator_period_set(indicator=indicator, period=other_year, target_value=Decimal(5))

    assert list(error.value.message_dict) == ["period"]
    assert not IndicatorPeriod.objects.exists()


def test_focal_point_cannot_set_values_of_other_agencys_indicator():
    own, other = OrganisationFactory(code="mps"), OrganisationFactory(code="moh")
    indicator = IndicatorFactory(responsible_agency=other)
    year = reporting.annual_period(plan=indicator.plan, year=2025)

    with pytest.raises(PermissionDenied):
        services.indicator_period_set(indicator=indicator, period=year, user=focal_point(own), actual_value=Decimal(3))

    assert not IndicatorPeriod.objects.exists()


def test_a_focal_point_changing_an_actual_opens_their_agencys_draft_report():
    own = OrganisationFactory(code="mps")
    indicator = IndicatorFactory(responsible_agency=own)
    year = reporting.annual_period(plan=indicator.plan, year=2025)
    user = focal_point(own)

    services.indicator_period_set(indicator=indicator, period=year, user=user, actual_value=Decimal(3))

    report = ProgressReport.objects.get(agency=own, period=year)
    assert (report.status, list(report.editors.all())) == (ReportStatus.DRAFT, [user])


def test_an_actual_is_refused_while_the_agencys_report_is_submitted():
    own = OrganisationFactory(code="mps")
    indicator = IndicatorFactory(responsible_agency=own)
    year = reporting.annual_period(plan=indicator.plan, year=2025)
    user = focal_point(own)
    services.indicator_period_set(indicator=indicator, period=year, user=user, actual_value=Decimal(3))
    reporting.report_submit(report=ProgressReport.objects.get(agency=own, period=year), user=user)

    with pytest.raises(ValidationError):
        services.indicator_period_set(indicator=indicator, period=year, user=user, actual_value=Decimal(4))

    assert IndicatorPeriod.objects.get(indicator=indicator).actual_value == Decimal(3)


def test_a_foreign_currency_line_keeps_its_vnd_amount_in_step_with_amount_and_rate():
    activity = activity_of_2025()
    year = DeliveryPlanFactory(plan=activity.plan, year=2025)
    line = services.budget_line_create(
        activity=activity, delivery_plan=year, source=FundingSource.ODA_GRANT, amount_vnd=None,
        currency="USD", original_amount=Decimal(20_000), exchange_rate=Decimal(25_400),
    )  # fmt: skip
    line.original_amount = Decimal(30_000)
    line.amount_vnd = Decimal(1)  # typed by hand: the rate decides
    line.full_clean()
    assert line.amount_vnd == Decimal(762_000_000)


def test_activity_months_are_compared_and_stored_as_months():
    activity = ActivityFactory()
    activity.planned_start, activity.planned_end = datetime.date(2025, 6, 15), datetime.date(2025, 6, 1)
    activity.full_clean()
    assert (activity.planned_start, activity.planned_end) == (datetime.date(2025, 6, 1), datetime.date(2025, 6, 1))


# The delivery plan's workflow: draft → submitted → approved → published -----------------------


def submitted_plan():
    return services.delivery_plan_submit(delivery_plan=DeliveryPlanFactory(), user=coordinator())


def test_delivery_plan_goes_from_draft_to_published_recording_who_and_why():
    user = coordinator()
    delivery_plan = DeliveryPlanFactory()

    services.delivery_plan_submit(delivery_plan=delivery_plan, user=user, reason="Ready")
    services.delivery_plan_approve(delivery_plan=delivery_plan, approval_number="12/QĐ-BNG", approval_date=datetime.date(2025, 3, 1), user=user)
    services.delivery_plan_publish(delivery_plan=delivery_plan, user=user, reason="Public")

    delivery_plan.refresh_from_db()
    assert (delivery_plan.status, delivery_plan.approval_number, delivery_plan.approval_date) == ("published", "12/QĐ-BNG", datetime.date(2025, 3, 1))
    steps = [(h.status, h.history_user, render_reason(h.history_change_reason)) for h in delivery_plan.history.order_by("history_id")][1:]
    assert steps == [
        ("submitted", user, "Ready"),
        ("approved", user, "Phê duyệt theo văn bản số 12/QĐ-BNG ngày 01/03/2025"),
        ("published", user, "Public"),
    ]


def test_delivery_plan_approval_needs_the_approval_number_and_date():
    delivery_plan = submitted_plan()

    with pytest.raises(ValidationError) as error:
        services.delivery_plan_approve(delivery_plan=delivery_plan, approval_number=" ", approval_date=datetime.date(2025, 3, 1), user=coordinator())

    assert "approval_number" in error.value.message_dict
    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "submitted"


@pytest.mark.parametrize(
    ("status", "service"),
    [
        ("draft", services.delivery_plan_publish),
        ("submitted", services.delivery_plan_publish),
        ("published", services.delivery_plan_submit),
        ("approved", services.delivery_plan_submit),
        ("published", services.delivery_plan_return_to_draft),
    ],
)
def test_delivery_plan_refuses_to_skip_or_repeat_a_step(status, service):
    delivery_plan = DeliveryPlanFactory(status=status, approval_number="1/KH", approval_date=datetime.date(2025, 1, 2))

    with pytest.raises(ValidationError):
        service(delivery_plan=delivery_plan, user=coordinator(), reason="Try")

    delivery_plan.refresh_from_db()
    assert delivery_plan.status == status


def test_delivery_plan_approval_refuses_a_draft():
    with pytest.raises(ValidationError):
        services.delivery_plan_approve(delivery_plan=DeliveryPlanFactory(), approval_number="1/KH", approval_date=datetime.date(2025, 1, 2), user=coordinator())


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_coordinator_returns_a_delivery_plan_to_draft_saying_why(status):
    delivery_plan = DeliveryPlanFactory(status=status, approval_number="1/KH", approval_date=datetime.date(2025, 1, 2))

    services.delivery_plan_return_to_draft(delivery_plan=delivery_plan, user=coordinator(), reason="Budget missing")

    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "draft"
    assert delivery_plan.history.first().history_change_reason == "Budget missing"


def test_return_to_draft_needs_a_reason():
    delivery_plan = submitted_plan()

    with pytest.raises(ValidationError):
        services.delivery_plan_return_to_draft(delivery_plan=delivery_plan, user=coordinator(), reason=" ")


@pytest.mark.parametrize(
    ("service", "extra"),
    [
        (services.delivery_plan_approve, {"approval_number": "1/KH", "approval_date": datetime.date(2025, 1, 2)}),
        (services.delivery_plan_return_to_draft, {"reason": "No"}),
    ],
)
def test_focal_point_cannot_approve_or_return_a_delivery_plan(service, extra):
    delivery_plan = submitted_plan()
    user = focal_point(OrganisationFactory(code="mps"))

    with pytest.raises(PermissionDenied):
        service(delivery_plan=delivery_plan, user=user, **extra)

    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "submitted"


def test_focal_point_cannot_publish_a_delivery_plan():
    delivery_plan = DeliveryPlanFactory(status="approved", approval_number="1/KH", approval_date=datetime.date(2025, 1, 2))

    with pytest.raises(PermissionDenied):
        services.delivery_plan_publish(delivery_plan=delivery_plan, user=focal_point(OrganisationFactory(code="mps")))


def test_activity_update_refuses_to_drop_a_year_that_still_has_budget_lines():
    line = BudgetLineFactory()
    activity = line.activity
    other_year = DeliveryPlanFactory(plan=activity.plan, year=line.delivery_plan.year + 1)

    with pytest.raises(ValidationError) as error:
        services.activity_update(activity=activity, user=None, reason="Moved to next year", delivery_plans=[other_year])

    assert list(error.value.message_dict) == ["delivery_plans"]
    assert str(line.delivery_plan.year) in error.value.message_dict["delivery_plans"][0]
    assert list(activity.delivery_plans.all()) == [line.delivery_plan]
    services.activity_update(activity=activity, user=None, reason="Both years", delivery_plans=[line.delivery_plan, other_year])
    assert activity.delivery_plans.count() == 2
