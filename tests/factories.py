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
