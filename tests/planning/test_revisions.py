"""Revisions of an approved delivery plan (issue 8 §2) and the yearly carry-over (§5)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from planning import services
from planning.models import (
    ActivityProgress,
    ActivityStatus,
    BudgetLine,
    ChangeAction,
    DeliveryPlan,
    FundingSource,
    IndicatorPeriod,
    PlanChange,
    ReportKind,
    ReportStatus,
    ResultLevel,
    ReviewStatus,
)
from planning.services import reporting
from planning.services import revisions as revision_services
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DeliveryPlanFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OutputFactory,
    PlanFactory,
    coordinator,
    focal_point,
)

pytestmark = pytest.mark.django_db

REASON = "Ngân sách điều chỉnh theo Quyết định 12/QĐ-BCA"


class World:
    """An approved 2025 delivery plan with one activity, budget line and indicator target of agency A."""

    def __init__(self):
        self.plan = PlanFactory()
        self.delivery_plan = DeliveryPlanFactory(
            plan=self.plan, year=2025, status=ReviewStatus.APPROVED, approval_number="12/QĐ-BNG", approval_date=datetime.date(2025, 1, 15)
        )
        self.agency_a = OrganisationFactory(code="agency-a")
        self.agency_b = OrganisationFactory(code="agency-b")
        self.output = OutputFactory(objective=ObjectiveFactory(plan=self.plan))
        self.activity = ActivityFactory(output=self.output, lead_agency=self.agency_a, title_vi="Tập huấn cũ")
        self.activity.delivery_plans.add(self.delivery_plan)
        self.line = BudgetLineFactory(activity=self.activity, delivery_plan=self.delivery_plan, amount_vnd=Decimal(100_000_000))
        self.indicator = IndicatorFactory(level=ResultLevel.ACTIVITY, output=None, responsible_agency=self.agency_a, activity=self.activity)
        self.period = reporting.annual_period(plan=self.plan, year=2025)
        self.target = IndicatorPeriod.objects.create(indicator=self.indicator, period=self.period, target_value=Decimal(10))
        self.focal_a = focal_point(self.agency_a, username="focal-a")
        self.focal_b = focal_point(self.agency_b, username="focal-b")
        self.coordinator = coordinator("coord-1")
        self.other_coordinator = coordinator("coord-2")

    def revision(self, user=None, agency=None):
        return revision_services.revision_open(agency=agency or self.agency_a, delivery_plan=self.delivery_plan, user=user or self.focal_a)


@pytest.fixture
def world():
    return World()


def propose_both(world):
    revision = world.revision()
    revision_services.plan_change_propose(
        revision=revision, obj=world.activity, model=type(world.activity), data={"title_vi": "Tập huấn mới"}, user=world.focal_a
    )
    revision_services.plan_change_propose(revision=revision, obj=world.line, model=BudgetLine, data={"amount_vnd": Decimal(150_000_000)}, user=world.focal_a)
    return revision


# Proposing -------------------------------------------------------------------------------------------


def test_a_revision_is_a_report_of_kind_revision_for_the_plans_year(world):
    revision = world.revision()

    assert revision.kind == ReportKind.REVISION
    assert revision.agency == world.agency_a
    assert revision.period == world.period
    assert revision.status == ReportStatus.DRAFT
    assert world.revision() == revision  # the open one, not a second


def test_proposed_changes_are_kept_apart_until_approval(world):
    revision = propose_both(world)

    world.activity.refresh_from_db()
    world.line.refresh_from_db()
    assert world.activity.title_vi == "Tập huấn cũ"
    assert world.line.amount_vnd == Decimal(100_000_000)
    changes = {change.target_type.model: change for change in revision.plan_changes.all()}
    assert changes["activity"].data == {"title_vi": "Tập huấn mới"}
    assert changes["activity"].before["title_vi"] == "Tập huấn cũ"
    assert changes["budgetline"].data == {"amount_vnd": "150000000"}
    assert changes["budgetline"].target_version == world.line.version


def test_a_second_proposal_for_the_same_row_replaces_the_first(world):
    revision = propose_both(world)
    revision_services.plan_change_propose(revision=revision, obj=world.line, model=BudgetLine, data={"amount_vnd": Decimal(120_000_000)}, user=world.focal_a)

    assert revision.plan_changes.count() == 2
    assert revision.plan_changes.get(target_id=world.line.pk, target_type__model="budgetline").data == {"amount_vnd": "120000000"}


def test_a_proposal_is_checked_by_the_models_rules_without_saving(world):
    revision = world.revision()

    with pytest.raises(ValidationError) as error:
        revision_services.plan_change_propose(
            revision=revision, obj=world.activity, model=type(world.activity), data={"planned_end": datetime.date(2024, 6, 1)}, user=world.focal_a
        )

    assert "planned_end" in error.value.message_dict
    assert not revision.plan_changes.exists()


def test_a_proposal_is_checked_by_the_services_rules(world):
    revision = world.revision()

    with pytest.raises(ValidationError) as error:
        revision_services.plan_change_propose(
            revision=revision, obj=world.activity, model=type(world.activity), data={"partner_agencies": [world.agency_a]}, user=world.focal_a
        )

    assert "partner_agencies" in error.value.message_dict


def test_a_proposal_that_changes_nothing_is_refused(world):
    with pytest.raises(ValidationError):
        revision_services.plan_change_propose(
            revision=world.revision(), obj=world.line, model=BudgetLine, data={"amount_vnd": Decimal(100_000_000)}, user=world.focal_a
        )


def test_a_draft_plan_is_edited_directly_not_revised(world):
    world.delivery_plan.status, world.delivery_plan.approval_number, world.delivery_plan.approval_date = ReviewStatus.DRAFT, "", None
    world.delivery_plan.save()

    with pytest.raises(ValidationError):
        world.revision()


def test_agency_b_cannot_propose_a_change_to_agency_as_rows(world):
    revision_b = world.revision(user=world.focal_b, agency=world.agency_b)

    with pytest.raises(PermissionDenied):
        revision_services.plan_change_propose(revision=revision_b, obj=world.line, model=BudgetLine, data={"amount_vnd": 1}, user=world.focal_b)
    with pytest.raises(PermissionDenied):
        revision_services.plan_change_propose(revision=world.revision(), obj=world.line, model=BudgetLine, data={"amount_vnd": 1}, user=world.focal_b)
    with pytest.raises(PermissionDenied):
        world.revision(user=world.focal_b)  # opening agency A's revision


def test_the_owner_of_a_row_is_not_revised(world):
    with pytest.raises(ValidationError):
        revision_services.plan_change_propose(
            revision=world.revision(), obj=world.activity, model=type(world.activity), data={"lead_agency": world.agency_b}, user=world.focal_a
        )


# Submitting, returning, approving ----------------------------------------------------------------------


def test_a_revision_is_submitted_with_its_reason(world):
    revision = propose_both(world)

    with pytest.raises(ValidationError) as error:
        revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi="  ")
    assert "reason_vi" in error.value.message_dict

    revision = revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)
    assert revision.status == ReportStatus.SUBMITTED
    assert revision.reason_vi == REASON
    assert revision.submitted_by == world.focal_a


def test_an_empty_revision_cannot_be_submitted(world):
    with pytest.raises(ValidationError):
        revision_services.revision_submit(revision=world.revision(), user=world.focal_a, reason_vi=REASON)


def test_approval_applies_every_change_with_the_reason_in_their_history(world):
    revision = propose_both(world)
    revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)

    revision = revision_services.revision_approve(revision=revision, user=world.coordinator, reason="Phù hợp")

    assert revision.status == ReportStatus.APPROVED
    assert revision.decided_by == world.coordinator
    world.activity.refresh_from_db()
    world.line.refresh_from_db()
    assert world.activity.title_vi == "Tập huấn mới"
    assert world.line.amount_vnd == Decimal(150_000_000)
    for row in (world.activity, world.line):
        record = row.history.order_by("-history_date").first()
        assert "Revision approved: %(reason)s" in record.history_change_reason
        assert "Phù hợp" in record.history_change_reason
        assert record.history_user == world.coordinator


def test_approval_adds_a_new_budget_line_and_changes_a_target(world):
    revision = world.revision()
    revision_services.plan_change_propose(
        revision=revision,
        model=BudgetLine,
        data={
            "activity": world.activity,
            "delivery_plan": world.delivery_plan,
            "source": FundingSource.ODA_GRANT,
            "amount_vnd": Decimal(5_000_000),
            "funder": world.agency_b,
        },
        user=world.focal_a,
    )
    revision_services.plan_change_propose(revision=revision, obj=world.target, model=IndicatorPeriod, data={"target_value": Decimal(12)}, user=world.focal_a)
    revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)
    assert world.activity.budget_lines.count() == 1

    revision_services.revision_approve(revision=revision, user=world.coordinator, reason="Đồng ý")

    new_line = world.activity.budget_lines.get(source=FundingSource.ODA_GRANT)
    assert new_line.amount_vnd == Decimal(5_000_000)
    assert new_line.funder == world.agency_b
    assert revision.plan_changes.get(action=ChangeAction.CREATE).target_id == new_line.pk
    world.target.refresh_from_db()
    assert world.target.target_value == Decimal(12)


def test_the_proposer_cannot_approve_but_another_coordinator_can(world):
    revision = world.revision(user=world.coordinator)  # a coordinator proposing on the agency's behalf
    revision_services.plan_change_propose(revision=revision, obj=world.line, model=BudgetLine, data={"amount_vnd": Decimal(1)}, user=world.coordinator)
    revision_services.revision_submit(revision=revision, user=world.coordinator, reason_vi=REASON)

    with pytest.raises(PermissionDenied):
        revision_services.revision_approve(revision=revision, user=world.coordinator, reason="Tự duyệt")
    with pytest.raises(PermissionDenied):
        revision_services.revision_approve(revision=revision, user=world.focal_a, reason="Tự duyệt")
    world.line.refresh_from_db()
    assert world.line.amount_vnd == Decimal(100_000_000)

    revision_services.revision_approve(revision=revision, user=world.other_coordinator, reason="Đồng ý")
    world.line.refresh_from_db()
    assert world.line.amount_vnd == Decimal(1)


def test_a_stale_proposal_is_refused_and_nothing_is_applied(world):
    revision = propose_both(world)
    revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)
    world.line.amount_vnd = Decimal(90_000_000)  # a coordinator edits the line meanwhile
    services.budget_line_save(line=world.line, user=world.coordinator, reason="Sửa trực tiếp")

    with pytest.raises(ValidationError) as error:
        revision_services.revision_approve(revision=revision, user=world.other_coordinator, reason="Đồng ý")

    assert str(world.line) in " ".join(error.value.messages)
    world.activity.refresh_from_db()
    world.line.refresh_from_db()
    revision.refresh_from_db()
    assert world.activity.title_vi == "Tập huấn cũ"
    assert world.line.amount_vnd == Decimal(90_000_000)
    assert revision.status == ReportStatus.SUBMITTED


def test_a_returned_revision_takes_changes_again_and_is_resubmitted(world):
    revision = propose_both(world)
    revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)
    with pytest.raises(ValidationError):  # submitted: locked
        revision_services.plan_change_propose(revision=revision, obj=world.line, model=BudgetLine, data={"amount_vnd": 7}, user=world.focal_a)

    revision = revision_services.revision_return(revision=revision, user=world.coordinator, comment="Thiếu căn cứ")

    assert revision.status == ReportStatus.RETURNED
    revision_services.plan_change_propose(revision=revision, obj=world.line, model=BudgetLine, data={"amount_vnd": 7}, user=world.focal_a)
    assert revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON).status == ReportStatus.SUBMITTED


# Deleting from an approved plan ------------------------------------------------------------------------


def test_focal_points_cannot_delete_activities_or_budget_lines_of_an_approved_plan(world):
    with pytest.raises(ValidationError):
        services.record_delete(obj=world.line, user=world.focal_a)
    with pytest.raises(ValidationError):
        services.record_delete(obj=world.activity, user=world.focal_a)

    assert BudgetLine.objects.filter(pk=world.line.pk).exists()
    assert type(world.activity).objects.filter(pk=world.activity.pk).exists()


def test_focal_points_cannot_add_to_or_move_out_of_an_approved_plan_without_a_revision(world):
    draft = DeliveryPlanFactory(plan=world.plan, year=2026)
    world.activity.delivery_plans.add(draft)
    with pytest.raises(ValidationError):  # a new budget line in the approved year
        services.budget_line_create(activity=world.activity, delivery_plan=world.delivery_plan, source="central_budget", amount_vnd=5, user=world.focal_a)
    world.line.delivery_plan = draft
    with pytest.raises(ValidationError):  # the approved year's line moved to the draft year
        services.budget_line_save(line=world.line, user=world.focal_a, reason="Chuyển năm")
    second = IndicatorFactory(level=ResultLevel.ACTIVITY, output=None, responsible_agency=world.agency_a, activity=world.activity, code="I.2")
    with pytest.raises(ValidationError):  # a first target in the approved year
        services.indicator_period_set(indicator=second, period=world.period, target_value=Decimal(3), user=world.focal_a)
    other = ActivityFactory(output=world.output, lead_agency=world.agency_a, code="9.9.9")
    other.delivery_plans.add(draft)
    with pytest.raises(ValidationError):  # an activity of the draft year added to the approved one
        services.activity_update(activity=other, user=world.focal_a, reason="Thêm năm", delivery_plans=[draft, world.delivery_plan])

    assert not BudgetLine.objects.filter(delivery_plan=world.delivery_plan).exclude(pk=world.line.pk).exists()
    assert BudgetLine.objects.get(pk=world.line.pk).delivery_plan == world.delivery_plan
    assert not IndicatorPeriod.objects.filter(indicator=second).exists()
    assert list(other.delivery_plans.all()) == [draft]
    # A draft year stays the agency's to change directly.
    assert services.budget_line_create(activity=world.activity, delivery_plan=draft, source="central_budget", amount_vnd=5, user=world.focal_a).pk


@pytest.mark.parametrize("what", ["budgetline", "activity"])
def test_the_admin_refuses_a_focal_points_delete(client, world, what):
    if what == "budgetline":
        row = world.line
    else:  # an activity nothing else protects from deletion (an indicator would)
        row = ActivityFactory(output=world.output, lead_agency=world.agency_a)
        row.delivery_plans.add(world.delivery_plan)
    client.force_login(world.focal_a)

    response = client.post(reverse(f"admin:planning_{what}_delete", args=[row.pk]), {"post": "yes"})

    assert response.status_code == 403  # the admin offers focal points no delete on an approved plan's rows
    assert type(row).objects.filter(pk=row.pk).exists()


# The yearly carry-over -----------------------------------------------------------------------------------


def test_opening_next_year_carries_unfinished_activities_and_their_targets_once(world):
    finished = ActivityFactory(output=world.output, lead_agency=world.agency_a)
    finished.delivery_plans.add(world.delivery_plan)
    ActivityProgress.objects.create(activity=finished, delivery_plan=world.delivery_plan, status=ActivityStatus.COMPLETED, progress=100)
    ActivityProgress.objects.create(activity=world.activity, delivery_plan=world.delivery_plan, status=ActivityStatus.ON_TRACK, progress=50)

    with pytest.raises(PermissionDenied):
        revision_services.delivery_plan_open_next(plan=world.plan, year=2026, user=world.focal_a)
    next_year = revision_services.delivery_plan_open_next(plan=world.plan, year=2026, user=world.coordinator)

    assert next_year.status == ReviewStatus.DRAFT and next_year.year == 2026
    assert set(next_year.activities.all()) == {world.activity}
    carried = IndicatorPeriod.objects.get(indicator=world.indicator, period=reporting.annual_period(plan=world.plan, year=2026))
    assert carried.target_value == Decimal(10)
    versions = (world.activity.__class__.objects.get(pk=world.activity.pk).version, carried.version)

    again = revision_services.delivery_plan_open_next(plan=world.plan, year=2026, user=world.coordinator)

    assert again == next_year
    assert DeliveryPlan.objects.filter(plan=world.plan, year=2026).count() == 1
    assert IndicatorPeriod.objects.filter(indicator=world.indicator, period__year=2026).count() == 1
    carried.refresh_from_db()
    assert (world.activity.__class__.objects.get(pk=world.activity.pk).version, carried.version) == versions


def test_carry_over_keeps_a_target_already_set_for_the_new_year(world):
    later = reporting.annual_period(plan=world.plan, year=2026)
    IndicatorPeriod.objects.create(indicator=world.indicator, period=later, target_value=Decimal(20))

    revision_services.delivery_plan_open_next(plan=world.plan, year=2026, user=world.coordinator)

    assert IndicatorPeriod.objects.get(indicator=world.indicator, period=later).target_value == Decimal(20)


def test_plan_change_rows_belong_to_their_revision(world):
    revision = propose_both(world)
    assert PlanChange.objects.for_agency(world.agency_a).count() == 2
    assert PlanChange.objects.for_agency(world.agency_b).count() == 0
    assert revision.plan_changes.first().get_absolute_url() == reverse("planning:revision-detail", args=[revision.pk])


# Pages ------------------------------------------------------------------------------------------------------


def test_a_focal_point_proposes_through_the_pages_and_submits(client, world):
    client.force_login(world.focal_a)
    url = reverse("planning:revision-propose-budget-line", args=[world.line.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["version"] == world.line.version
    data = {
        "source": world.line.source, "amount_vnd": "150000000", "currency": "VND", "status": world.line.status,
        "version": world.line.version, "change_reason": "Tăng quy mô",
    }  # fmt: skip
    response = client.post(url, data)

    revision = PlanChange.objects.get().revision
    assert response.status_code == 302 and response["Location"] == reverse("planning:revision-detail", args=[revision.pk])
    world.line.refresh_from_db()
    assert world.line.amount_vnd == Decimal(100_000_000)
    detail = client.get(response["Location"])
    assert "150.000.000" in detail.content.decode() and "100.000.000" in detail.content.decode()

    client.post(response["Location"], {"reason_vi": REASON})
    revision.refresh_from_db()
    assert revision.status == ReportStatus.SUBMITTED


def test_an_outdated_proposal_form_is_refused_with_the_input_kept(client, world):
    client.force_login(world.focal_a)
    url = reverse("planning:revision-propose-budget-line", args=[world.line.pk])
    opened = world.line.version
    world.line.description_vi = "Đổi bởi người khác"
    services.budget_line_save(line=world.line, user=world.coordinator, reason="Sửa")

    response = client.post(url, {"source": world.line.source, "amount_vnd": "7", "currency": "VND", "status": world.line.status, "version": opened})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert response.context["form"]["amount_vnd"].value() == "7"
    assert not PlanChange.objects.exists()


def test_a_new_budget_line_and_a_target_are_proposed_through_the_pages(client, world):
    client.force_login(world.focal_a)
    client.post(
        reverse("planning:revision-propose-new-budget-line", args=[world.activity.pk]),
        {"source": FundingSource.UN_AGENCY, "amount_vnd": "3000000", "currency": "VND", "status": world.line.status},
    )
    client.post(reverse("planning:revision-propose-target", args=[world.target.pk]), {"target_value": "15", "version": world.target.version})

    changes = {change.target_type.model: change for change in PlanChange.objects.all()}
    assert changes["budgetline"].action == ChangeAction.CREATE
    assert changes["budgetline"].data["activity"] == world.activity.pk
    assert changes["indicatorperiod"].data == {"target_value": "15"}


def test_a_coordinator_approves_on_the_review_page_and_the_proposer_cannot(client, world):
    revision = propose_both(world)
    revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)
    url = reverse("planning:revision-review", args=[revision.pk])

    client.force_login(world.focal_a)
    assert client.post(url, {"decision": "approve", "text": "Tự duyệt"}).status_code == 403
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 405
    response = client.post(url, {"decision": "approve", "text": "Phù hợp"})

    assert response.status_code == 302
    revision.refresh_from_db()
    world.line.refresh_from_db()
    assert revision.status == ReportStatus.APPROVED
    assert world.line.amount_vnd == Decimal(150_000_000)


def test_a_coordinator_returns_on_the_review_page_with_a_comment(client, world):
    revision = propose_both(world)
    revision_services.revision_submit(revision=revision, user=world.focal_a, reason_vi=REASON)
    client.force_login(world.coordinator)

    client.post(reverse("planning:revision-review", args=[revision.pk]), {"decision": "return", "text": "Thiếu căn cứ"})

    revision.refresh_from_db()
    assert revision.status == ReportStatus.RETURNED
    assert revision.transitions.filter(to_status=ReportStatus.RETURNED, comment="Thiếu căn cứ").exists()


def test_agency_b_never_sees_agency_as_revisions(client, world):
    revision = propose_both(world)
    change = revision.plan_changes.first()
    client.force_login(world.focal_b)

    assert revision not in client.get(reverse("planning:revision-list")).context["revisions"]
    assert client.get(reverse("planning:revision-detail", args=[revision.pk])).status_code == 404
    assert client.post(reverse("planning:revision-detail", args=[revision.pk]), {"reason_vi": REASON}).status_code == 404
    assert client.post(reverse("planning:revision-change-withdraw", args=[change.pk])).status_code == 404
    for name, pk in [
        ("revision-propose-activity", world.activity.pk),
        ("revision-propose-budget-line", world.line.pk),
        ("revision-propose-target", world.target.pk),
        ("revision-propose-new-budget-line", world.activity.pk),
    ]:
        assert client.get(reverse(f"planning:{name}", args=[pk])).status_code == 404, name
    assert revision.plan_changes.count() == 2


def test_the_revision_list_reads_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for number in range(15):
        activity = ActivityFactory(output=world.output, lead_agency=world.agency_a)
        activity.delivery_plans.add(world.delivery_plan)
        BudgetLineFactory(activity=activity, delivery_plan=world.delivery_plan)
        indicator = IndicatorFactory(level=ResultLevel.ACTIVITY, output=None, responsible_agency=world.agency_a, activity=activity)
        IndicatorPeriod.objects.create(indicator=indicator, period=world.period, target_value=number)
        agency = OrganisationFactory(code=f"agency-x{number}")
        coordinator_user = world.coordinator
        revision_services.revision_open(agency=agency, delivery_plan=world.delivery_plan, user=coordinator_user)
    propose_both(world)

    for user in (world.focal_a, world.coordinator):
        client.force_login(user)
        with django_assert_max_num_queries(15):
            response = client.get(reverse("planning:revision-list"))
        assert response.status_code == 200
    client.force_login(world.focal_a)
    assert len(client.get(reverse("planning:revision-list")).context["activities"]) == 16


def test_a_coordinator_opens_next_year_from_the_page_and_a_focal_point_cannot(client, world):
    client.force_login(world.focal_a)
    assert client.post(reverse("planning:plan-open-next"), {"plan": world.plan.pk, "year": 2026}).status_code == 403
    client.force_login(world.coordinator)

    response = client.post(reverse("planning:plan-open-next"), {"plan": world.plan.pk, "year": 2026})

    assert response.status_code == 302
    assert DeliveryPlan.objects.get(plan=world.plan, year=2026).activities.filter(pk=world.activity.pk).exists()
    assert client.post(reverse("planning:plan-open-next"), {"plan": world.plan.pk, "year": 2099}).status_code == 302
    assert not DeliveryPlan.objects.filter(year=2099).exists()
    assert 'action="' + reverse("planning:plan-open-next") in client.get(reverse("planning:revision-list")).content.decode()


def test_the_revision_pages_speak_vietnamese(client, world):
    revision = propose_both(world)
    client.force_login(world.focal_a)

    with translation.override("vi"):
        listing = client.get(reverse("planning:revision-list")).content.decode()
        detail = client.get(reverse("planning:revision-detail", args=[revision.pk])).content.decode()

    assert "Điều chỉnh kế hoạch triển khai" in listing
    assert "Đề xuất thay đổi kế hoạch đã phê duyệt của cơ quan bạn" in listing
    assert "Các thay đổi đề xuất" in detail and "Gửi bản điều chỉnh" in detail
    for english in ("Proposed changes", "Submit the revision", "Withdraw this change", "Revisions of the delivery plan"):
        assert english not in listing + detail


def test_a_value_typed_as_it_is_stored_is_not_a_change(world):
    change = revision_services.plan_change_propose(
        revision=world.revision(),
        obj=world.target,
        model=IndicatorPeriod,
        data={"target_value": Decimal("10"), "target_text_vi": "Mười lớp"},
        user=world.focal_a,
    )

    assert change.data == {"target_text_vi": "Mười lớp"}  # the stored 10.00 is the typed 10


def test_the_list_offers_only_targets_of_approved_years(client, world):
    DeliveryPlanFactory(plan=world.plan, year=2026)  # a draft: edited directly
    draft_year = IndicatorPeriod.objects.create(indicator=world.indicator, period=reporting.annual_period(plan=world.plan, year=2026), target_value=3)
    client.force_login(world.focal_a)

    content = client.get(reverse("planning:revision-list")).content.decode()

    assert reverse("planning:revision-propose-target", args=[world.target.pk]) in content
    assert reverse("planning:revision-propose-target", args=[draft_year.pk]) not in content
    assert client.get(reverse("planning:revision-propose-target", args=[draft_year.pk])).status_code == 404
