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


# step 5: a published plan for the public pages ---------------------------------------------------

# Values that must never reach a public page (draft, returned, approved-but-unpublished, an
# unpublished delivery plan), each in every form a page could print it.
LEAK_NUMBERS = (424242, 535353, 646464, 868686, 777777777)
LEAK_TEXTS = ("LEAK-DRAFT-NARRATIVE", "LEAK-RETURNED-NARRATIVE", "LEAK-UNPUBLISHED-NARRATIVE", "LEAK-UNPUBLISHED-ACTIVITY", "LEAK-UNPUBLISHED-PLAN-NOTE")


def leak_strings() -> list[str]:
    forms = list(LEAK_TEXTS)
    for number in LEAK_NUMBERS:
        forms += [str(number), f"{number:,}".replace(",", "."), f"{number:,}"]
    return forms


def public_world(*, activities: int = 3, year: int = 2024, plant: bool = True):
    """A plan whose delivery plan of `year` is published, with `activities` activities of one agency,
    each with an activity-level indicator (a target of 10 and a breakdown by sex), a committed budget
    line of 100.000.000 ₫ with its execution, all reported by the agency's focal point, approved and
    published through the services (`world.add_published(n)` adds n more, of a new agency, for query
    counts at two sizes): activity i is on track at 50 + i %, its indicator's actual is
    7 + i (women 4, men 3 + i), its line's committed execution 90.000.000 ₫.

    With `plant`, values that must never show publicly (`leak_strings()`), through the real services:
    a correction drafted after publication (actual 424242, narrative LEAK-DRAFT-NARRATIVE); another
    agency's returned report (535353, LEAK-RETURNED-NARRATIVE) and a third's approved but unpublished
    one (646464, LEAK-UNPUBLISHED-NARRATIVE), on activities of the published plan; and the next year's
    unpublished delivery plan (note LEAK-UNPUBLISHED-PLAN-NOTE) with an activity LEAK-UNPUBLISHED-ACTIVITY,
    its 777777777 ₫ line and its indicator's target of 868686.
    """
    from planning import services
    from planning.models import ActivityStatus, ReviewStatus

    plan = PlanFactory()
    delivery_plan = DeliveryPlanFactory(plan=plan, year=year)
    DeliveryPlan.objects.filter(pk=delivery_plan.pk).update(
        status=ReviewStatus.PUBLISHED, approval_number="01/KH-TEST", approval_date=datetime.date(year, 1, 15)
    )
    delivery_plan.refresh_from_db()
    period = reporting.annual_period(plan=plan, year=year)
    objective = ObjectiveFactory(plan=plan)
    output = OutputFactory(objective=objective)
    sex = DisaggregationFactory()
    agency = OrganisationFactory()
    focal = focal_point(agency, username="focal.public")
    reviewer = coordinator("coord.public")
    world = types.SimpleNamespace(
        plan=plan, delivery_plan=delivery_plan, period=period, year=year, objective=objective, output=output, sex=sex,
        agency=agency, focal=focal, coordinator=reviewer, activities=[], indicators=[], lines=[],
    )  # fmt: skip

    def reported_activity(lead, user, index, *, status=ActivityStatus.ON_TRACK, narrative="", actual=None):
        activity = ActivityFactory(output=output, lead_agency=lead, planned_start=datetime.date(year, 1, 1), planned_end=datetime.date(year, 12, 1))
        activity.delivery_plans.add(delivery_plan)
        line = BudgetLineFactory(activity=activity, delivery_plan=delivery_plan, status=FundingStatus.COMMITTED)
        indicator = IndicatorFactory(level=ResultLevel.ACTIVITY, activity=activity, output=None, responsible_agency=lead)
        indicator.disaggregations.add(sex)
        services.indicator_period_set(indicator=indicator, period=period, user=reviewer, target_value=Decimal(10))
        progress = reporting.activity_progress_for(activity=activity, delivery_plan=delivery_plan)
        progress.status, progress.progress = status, 50 + index
        progress.narrative_vi = narrative or f"Đã thực hiện phần {index}"
        progress.status_justification_vi = narrative if status != ActivityStatus.ON_TRACK else ""
        reporting.activity_progress_save(progress=progress, user=user)
        value = Decimal(actual if actual is not None else 7 + index)
        services.indicator_period_set(indicator=indicator, period=period, user=user, actual_value=value)
        row = IndicatorPeriod.objects.get(indicator=indicator, period=period)
        DisaggregatedValue.objects.create(period=row, disaggregation=sex, category="female", value=Decimal(4))
        DisaggregatedValue.objects.create(period=row, disaggregation=sex, category="male", value=value - 4)
        execution = reporting.budget_execution_for(line=line)
        execution.committed_vnd, execution.committed_on = Decimal(90_000_000), datetime.date(year, 3, 1)
        reporting.budget_execution_save(execution=execution, user=user)
        return activity, indicator, line

    def add_published(count: int, *, lead=None, user=None):
        """`count` more activities, reported by an agency (a new one by default), approved and published."""
        if lead is None:
            lead = OrganisationFactory()
            user = focal_point(lead, username=f"focal.public.{lead.pk}")
        for index in range(count):
            activity, indicator, line = reported_activity(lead, user, index)
            world.activities.append(activity)
            world.indicators.append(indicator)
            world.lines.append(line)
        report = reporting.latest_report(agency_id=lead.pk, period=period)
        reporting.report_submit(report=report, user=user)
        reporting.report_approve(report=report, user=reviewer)
        return reporting.report_publish(report=report, user=reviewer)

    world.add_published = add_published
    world.report = add_published(activities, lead=agency, user=focal)
    if not plant:
        return world

    # A correction after publication, still a draft.
    progress = reporting.activity_progress_for(activity=world.activities[0], delivery_plan=delivery_plan)
    progress.narrative_vi, progress.status = "LEAK-DRAFT-NARRATIVE", ActivityStatus.OFF_TRACK
    progress.status_justification_vi = "LEAK-DRAFT-NARRATIVE"
    reporting.activity_progress_save(progress=progress, user=focal)
    draft_row = IndicatorPeriod.objects.get(indicator=world.indicators[0], period=period)
    DisaggregatedValue.objects.filter(period=draft_row, category="male").update(value=Decimal(424238))
    services.indicator_period_set(indicator=world.indicators[0], period=period, user=focal, actual_value=Decimal(424242))
    # Another agency's report, returned; a third's, approved but not published.
    for key, number, text, ends in (
        ("returned", 535353, "LEAK-RETURNED-NARRATIVE", "return"),
        ("unpublished", 646464, "LEAK-UNPUBLISHED-NARRATIVE", "approve"),
    ):
        other = OrganisationFactory()
        other_focal = focal_point(other, username=f"focal.{key}")
        activity, indicator, _line = reported_activity(other, other_focal, 0, status=ActivityStatus.AT_RISK, narrative=text, actual=number)
        other_report = reporting.report_submit(report=reporting.latest_report(agency_id=other.pk, period=period), user=other_focal)
        if ends == "return":
            reporting.report_return(report=other_report, user=reviewer, comment="Xem lại")
        else:
            reporting.report_approve(report=other_report, user=reviewer)
        setattr(world, f"{key}_activity", activity)
        setattr(world, f"{key}_indicator", indicator)
    # Next year's delivery plan, not published.
    draft_plan = DeliveryPlanFactory(plan=plan, year=year + 1, note_vi="LEAK-UNPUBLISHED-PLAN-NOTE")
    hidden = ActivityFactory(
        output=output, lead_agency=agency, title_vi="LEAK-UNPUBLISHED-ACTIVITY", title_en="LEAK-UNPUBLISHED-ACTIVITY",
        planned_start=datetime.date(year + 1, 1, 1), planned_end=datetime.date(year + 1, 12, 1),
    )  # fmt: skip
    hidden.delivery_plans.add(draft_plan)
    BudgetLineFactory(activity=hidden, delivery_plan=draft_plan, amount_vnd=Decimal(777777777))
    services.indicator_period_set(
        indicator=world.indicators[1 % activities], period=reporting.annual_period(plan=plan, year=year + 1), user=reviewer, target_value=Decimal(868686)
    )
    world.draft_plan, world.hidden_activity = draft_plan, hidden
    return world
