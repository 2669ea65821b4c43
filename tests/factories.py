"""One factory style for the whole suite (factory_boy). Factories build on the reference fixtures
when they are loaded (the `reference_data` fixture) and make their own rows otherwise."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from planning import roles
from planning.models import (
    Activity,
    ActivityProgress,
    BudgetLine,
    DeliveryPlan,
    DisaggregatedValue,
    Disaggregation,
    FundingSource,
    FundingStatus,
    Indicator,
    IndicatorPeriod,
    Measure,
    Membership,
    Objective,
    Organisation,
    OrganisationLevel,
    OrganisationType,
    Output,
    Pillar,
    Plan,
    Province,
    ProvinceKind,
    ResultLevel,
    TaskGroup,
    ValueKind,
)
from planning.services import reporting


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"agency-{n}")
    name_vi = factory.Sequence(lambda n: f"Cơ quan {n}")
    name_en = factory.Sequence(lambda n: f"Agency {n}")
    type = OrganisationType.GOVERNMENT
    level = OrganisationLevel.CENTRAL


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province

    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name_vi = factory.Sequence(lambda n: f"Tỉnh {n}")
    name_en = factory.Sequence(lambda n: f"Province {n}")
    kind = ProvinceKind.PROVINCE


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan
        django_get_or_create = ["code"]

    code = "test-plan"
    name_vi = "Chương trình thử nghiệm"
    name_en = "Test programme"
    decision_number = "1/QĐ-TEST"
    decision_date = datetime.date(2024, 1, 25)
    start_year = 2024
    end_year = 2030
    coordinator = factory.SubFactory(OrganisationFactory, code="test-coordinator")
    general_objective_vi = "Mục tiêu chung"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"{n + 1}")
    pillar = Pillar.PARTICIPATION
    title_vi = factory.Sequence(lambda n: f"Mục tiêu {n}")


class TaskGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskGroup

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"{n + 1}")
    title_vi = factory.Sequence(lambda n: f"Nhóm nhiệm vụ {n}")


class DeliveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPlan
        django_get_or_create = ["plan", "year"]

    plan = factory.SubFactory(PlanFactory)
    year = 2025


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    objective = factory.SubFactory(ObjectiveFactory)
    code = factory.Sequence(lambda n: f"{n + 1}.1")
    title_vi = factory.Sequence(lambda n: f"Đầu ra {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    output = factory.SubFactory(OutputFactory)
    task_group = factory.LazyAttribute(lambda o: TaskGroupFactory(plan=o.output.objective.plan))
    code = factory.Sequence(lambda n: f"A.{n + 1}")
    title_vi = factory.Sequence(lambda n: f"Hoạt động {n}")
    title_en = factory.Sequence(lambda n: f"Activity {n}")
    lead_agency = factory.SubFactory(OrganisationFactory)
    planned_start = datetime.date(2025, 1, 1)
    planned_end = datetime.date(2025, 12, 1)


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine
        skip_postgeneration_save = True

    activity = factory.SubFactory(ActivityFactory)
    delivery_plan = factory.LazyAttribute(lambda o: DeliveryPlanFactory(plan=o.activity.plan))
    source = FundingSource.CENTRAL_BUDGET
    amount_vnd = Decimal(100_000_000)
    status = FundingStatus.ESTIMATED

    @factory.post_generation
    def year_of_the_activity(self, create, extracted, **kwargs):
        """A line's year is one of its activity's delivery plans."""
        if create:
            self.activity.delivery_plans.add(self.delivery_plan)


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    level = ResultLevel.OUTPUT
    output = factory.SubFactory(OutputFactory)
    code = factory.Sequence(lambda n: f"I.{n + 1}")
    title_vi = factory.Sequence(lambda n: f"Chỉ số {n}")
    measure = Measure.NUMBER
    responsible_agency = factory.SubFactory(OrganisationFactory)


class IndicatorPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorPeriod

    class Params:
        year = 2025

    indicator = factory.SubFactory(IndicatorFactory)
    period = factory.LazyAttribute(lambda o: reporting.annual_period(plan=o.indicator.plan, year=o.year))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "demo-password")

    @factory.post_generation
    def save_password(self, create, extracted, **kwargs):
        if create:
            self.save()


def coordinator(username="coord", agency=None):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=roles.COORDINATORS))
    if agency is not None:
        Membership.objects.create(user=user, organisation=agency)
    return user


def focal_point(agency, username="focal"):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=roles.FOCAL_POINTS))
    Membership.objects.create(user=user, organisation=agency)
    return user


class DisaggregationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Disaggregation
        django_get_or_create = ["code"]

    code = "sex"
    name_vi = "Giới tính"
    name_en = "Sex"
    categories = factory.LazyFunction(lambda: [["female", "Nữ", "Female"], ["male", "Nam", "Male"]])


class DisaggregatedValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisaggregatedValue

    period = factory.SubFactory(IndicatorPeriodFactory)
    kind = ValueKind.ACTUAL
    disaggregation = factory.SubFactory(DisaggregationFactory)
    category = "female"


# Yearly progress (wp-fixup) ---------------------------------------------------------------------


class ActivityProgressFactory(factory.django.DjangoModelFactory):
    """An activity's progress in one year of its delivery plans (the year is added to the activity)."""

    class Meta:
        model = ActivityProgress
        skip_postgeneration_save = True

    activity = factory.SubFactory(ActivityFactory)
    delivery_plan = factory.LazyAttribute(lambda o: DeliveryPlanFactory(plan=o.activity.plan))

    @factory.post_generation
    def year_of_the_activity(self, create, extracted, **kwargs):
        if create:
            self.activity.delivery_plans.add(self.delivery_plan)


# Events -----------------------------------------------------------------------------------------

from events.models import Attendance, Event, EventType, Feedback, Participation, Person, Sector, Session, Sex  # noqa: E402


class EventFactory(factory.django.DjangoModelFactory):
    """A three-day workshop; pass `managers=[user]` to make someone its organising staff."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"event-{n}")
    type = EventType.WORKSHOP
    title_vi = factory.Sequence(lambda n: f"Hội thảo {n}")
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    start_date = datetime.date(2025, 3, 10)
    end_date = datetime.date(2025, 3, 12)
    venue_vi = "Hà Nội"

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if create:
            self.organisers.set(extracted or [OrganisationFactory()])

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        if create and extracted:
            self.managers.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    day = factory.LazyAttribute(lambda o: o.event.start_date)
    start_time = datetime.time(8, 30)
    end_time = datetime.time(10, 0)
    title_vi = "Khai mạc"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Nguyễn Thị Hồng {n}")
    sex = Sex.FEMALE
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    person = factory.SubFactory(PersonFactory)
    sector = Sector.GOVERNMENT
    organisation_name = "Bộ Ngoại giao"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    participation = factory.SubFactory(ParticipationFactory)
    day = factory.LazyAttribute(lambda o: o.participation.event.start_date)


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    event = factory.SubFactory(EventFactory)
    satisfaction = 4
    relevance = 5


# wp-review: reports moved through the services -----------------------------------------------------


def review_period(year=2025, due_date=None):
    """The test plan's reporting period for a year (opened through the services), with a deadline."""
    from planning.services import reporting

    period = reporting.annual_period(plan=PlanFactory(), year=year)
    if due_date is not None:
        period.due_date = due_date
        period.save(update_fields=["due_date"])
    return period


def reported_indicator(agency, period, user, value=5, indicator=None):
    """An indicator the agency answers for, its actual for the period reported by `user` (which opens
    the agency's report and makes `user` one of its editors)."""
    from planning import services

    indicator = indicator or IndicatorFactory(responsible_agency=agency, output=OutputFactory(objective=ObjectiveFactory(plan=period.plan)))
    services.indicator_period_set(indicator=indicator, period=period, user=user, actual_value=Decimal(value))
    return IndicatorPeriod.objects.get(indicator=indicator, period=period)


def submitted_report(agency, period, user, value=5):
    """The agency's report for the period, holding one reported actual, submitted by `user`."""
    from planning.services import reporting

    reported_indicator(agency, period, user, value)
    report = reporting.latest_report(agency_id=agency.pk, period=period)
    return reporting.report_submit(report=report, user=user)


# wp-core: the reporting cycle -------------------------------------------------------------------

import types  # noqa: E402


def reporting_world(*, year: int = 2025):
    """Two agencies of one plan, each with an activity of `year` (with a budget line), an indicator
    disaggregated by sex, a focal point, and two coordinators: the rows a progress report holds.

    Nothing is reported yet: tests write through the services."""
    from planning.services import reporting

    plan = PlanFactory()
    delivery_plan = DeliveryPlanFactory(plan=plan, year=year)
    period = reporting.annual_period(plan=plan, year=year)
    objective = ObjectiveFactory(plan=plan)
    output = OutputFactory(objective=objective)
    sex = DisaggregationFactory()
    world = types.SimpleNamespace(plan=plan, delivery_plan=delivery_plan, period=period, year=year, sex=sex)
    for name in ("a", "b"):
        agency = OrganisationFactory()
        activity = ActivityFactory(output=output, lead_agency=agency, planned_start=datetime.date(year, 1, 1), planned_end=datetime.date(year, 12, 1))
        activity.delivery_plans.add(delivery_plan)
        line = BudgetLineFactory(activity=activity, delivery_plan=delivery_plan)
        indicator = IndicatorFactory(output=output, responsible_agency=agency)
        indicator.disaggregations.add(sex)
        setattr(world, f"agency_{name}", agency)
        setattr(world, f"activity_{name}", activity)
        setattr(world, f"line_{name}", line)
        setattr(world, f"indicator_{name}", indicator)
        setattr(world, f"focal_{name}", focal_point(agency, username=f"focal.{name}"))
    world.coordinator = coordinator("coord.one")
    world.other_coordinator = coordinator("coord.two")
    return world


def reload(obj):
    """A fresh copy of a row, as another request would read it."""
    return type(obj)._default_manager.get(pk=obj.pk)
