"""Agencies add new activities and their budget in the workspace (issue 8 §5): directly in a draft
delivery plan, as a revision change in an approved one."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from planning import roles
from planning.models import Activity, BudgetLine, ChangeAction, PlanChange, ReportStatus, ReviewStatus, SubTask
from planning.services import reporting
from planning.services import revisions as revision_services
from tests.factories import (
    ActivityFactory,
    DeliveryPlanFactory,
    ObjectiveFactory,
    OrganisationFactory,
    OutputFactory,
    PlanFactory,
    ProvinceFactory,
    TaskGroupFactory,
    UserFactory,
    coordinator,
    focal_point,
)

pytestmark = pytest.mark.django_db

REASON = "Bổ sung hoạt động theo chỉ đạo"


class World:
    """A 2026 draft delivery plan and an approved 2025 one, with an output and a task group (two
    sub-tasks) of the plan, two agencies with a focal point each, and two coordinators."""

    def __init__(self):
        self.plan = PlanFactory()
        self.draft = DeliveryPlanFactory(plan=self.plan, year=2026, status=ReviewStatus.DRAFT)
        self.approved = DeliveryPlanFactory(
            plan=self.plan, year=2025, status=ReviewStatus.APPROVED, approval_number="12/QĐ-BNG", approval_date=datetime.date(2025, 1, 15)
        )
        self.output = OutputFactory(objective=ObjectiveFactory(plan=self.plan))
        self.task_group = TaskGroupFactory(plan=self.plan)
        self.other_group = TaskGroupFactory(plan=self.plan)
        self.subtask = SubTask.objects.create(task_group=self.task_group, letter="a", title_vi="Nhiệm vụ a")
        self.foreign_subtask = SubTask.objects.create(task_group=self.other_group, letter="b", title_vi="Nhiệm vụ b")
        self.province = ProvinceFactory(code="01")
        self.agency_a = OrganisationFactory(code="agency-a")
        self.agency_b = OrganisationFactory(code="agency-b")
        self.partner = OrganisationFactory(code="partner")
        self.focal_a = focal_point(self.agency_a, username="focal-a")
        self.focal_b = focal_point(self.agency_b, username="focal-b")
        self.coordinator = coordinator("coord-1")
        self.other_coordinator = coordinator("coord-2")

    def data(self, year=2026, **changes):
        data = {
            "output": self.output.pk,
            "code": "9.9.1",
            "task_group": self.task_group.pk,
            "subtask": self.subtask.pk,
            "title_vi": "Tập huấn về phụ nữ, hòa bình và an ninh",
            "title_en": "Training on women, peace and security",
            "description_vi": "",
            "description_en": "",
            "partner_agencies": [self.partner.pk],
            "provinces": [self.province.pk],
            "planned_start": f"{year}-03",
            "planned_end": f"{year}-09",
        }
        data.update(changes)
        return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def world():
    return World()


def new_url(delivery_plan):
    return reverse("planning:activity-new", args=[delivery_plan.pk])


# A draft delivery plan: added directly ----------------------------------------------------------------


def test_a_focal_point_adds_an_activity_to_a_draft_plan_with_its_history(client, world):
    client.force_login(world.focal_a)
    assert client.get(new_url(world.draft)).status_code == 200

    response = client.post(new_url(world.draft), world.data())

    activity = Activity.objects.get(code="9.9.1")
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:activity-budget-line-new", args=[world.draft.pk, activity.pk])
    assert activity.lead_agency == world.agency_a
    assert list(activity.delivery_plans.all()) == [world.draft]
    assert list(activity.partner_agencies.all()) == [world.partner]
    assert list(activity.provinces.all()) == [world.province]
    assert activity.subtask == world.subtask
    assert activity.planned_start == datetime.date(2026, 3, 1)
    record = activity.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == world.focal_a
    assert record.history_change_reason
    assert not PlanChange.objects.exists()


def test_the_new_activity_appears_in_the_workspace_of_its_year(client, world):
    client.force_login(world.focal_a)
    client.post(new_url(world.draft), world.data())
    period = reporting.annual_period(plan=world.plan, year=2026)

    page = client.get(reverse("planning:workspace"), {"period": period.pk})

    assert [row.obj.code for row in page.context["work"].activities] == ["9.9.1"]
    assert reverse("planning:activity-new-for-period", args=[period.pk]) in page.content.decode()
    assert client.get(reverse("planning:activity-new-for-period", args=[period.pk]))["Location"] == new_url(world.draft)


def test_a_budget_line_is_added_in_vnd_or_in_a_foreign_currency(client, world):
    client.force_login(world.focal_a)
    client.post(new_url(world.draft), world.data())
    activity = Activity.objects.get(code="9.9.1")
    url = reverse("planning:activity-budget-line-new", args=[world.draft.pk, activity.pk])

    client.post(url, {"source": "central_budget", "amount_vnd": "150000000", "currency": "VND", "status": "estimated"})
    response = client.post(url, {"source": "oda_grant", "currency": "usd", "original_amount": "1000", "exchange_rate": "25000", "status": "pledged"})

    assert response.status_code == 302
    lines = {line.source: line for line in BudgetLine.objects.filter(activity=activity, delivery_plan=world.draft)}
    assert lines["central_budget"].amount_vnd == Decimal(150_000_000)
    assert lines["oda_grant"].amount_vnd == Decimal(25_000_000)
    assert lines["oda_grant"].currency == "USD"
    assert lines["oda_grant"].history.get().history_user == world.focal_a
    assert "150.000.000" in client.get(url).content.decode()


def test_a_foreign_currency_line_without_a_rate_is_refused_beside_the_field(client, world):
    client.force_login(world.focal_a)
    activity = ActivityFactory(
        output=world.output,
        task_group=world.task_group,
        lead_agency=world.agency_a,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 1),
    )
    activity.delivery_plans.add(world.draft)
    url = reverse("planning:activity-budget-line-new", args=[world.draft.pk, activity.pk])

    response = client.post(url, {"source": "oda_grant", "currency": "USD", "original_amount": "1000", "status": "pledged"})

    assert response.status_code == 200
    assert "exchange_rate" in response.context["form"].errors
    assert not BudgetLine.objects.exists()


def test_agency_a_cannot_create_for_agency_b_even_by_forging_the_lead_agency(client, world):
    client.force_login(world.focal_a)

    client.post(new_url(world.draft), world.data(lead_agency=world.agency_b.pk))

    assert Activity.objects.get(code="9.9.1").lead_agency == world.agency_a
    assert "lead_agency" not in client.get(new_url(world.draft)).context["form"].fields


def test_agency_a_gets_a_404_for_agency_bs_activity_budget_page(client, world):
    activity = ActivityFactory(
        output=world.output,
        task_group=world.task_group,
        lead_agency=world.agency_b,
        planned_start=datetime.date(2026, 1, 1),
        planned_end=datetime.date(2026, 12, 1),
    )
    activity.delivery_plans.add(world.draft)
    url = reverse("planning:activity-budget-line-new", args=[world.draft.pk, activity.pk])
    client.force_login(world.focal_a)

    assert client.get(url).status_code == 404
    assert client.post(url, {"source": "central_budget", "amount_vnd": "1", "currency": "VND", "status": "estimated"}).status_code == 404
    assert not BudgetLine.objects.exists()


def test_a_coordinator_chooses_the_lead_agency(client, world):
    client.force_login(world.coordinator)

    client.post(new_url(world.draft), world.data(lead_agency=world.agency_b.pk))

    assert Activity.objects.get(code="9.9.1").lead_agency == world.agency_b


def test_organisers_are_refused_and_anonymous_users_sent_to_sign_in(client, world):
    organiser = UserFactory(username="organiser")
    organiser.groups.add(Group.objects.get(name=roles.ORGANISERS))
    client.force_login(organiser)
    assert client.get(new_url(world.draft)).status_code == 403
    assert client.post(new_url(world.draft), world.data()).status_code == 403
    client.logout()
    assert client.get(new_url(world.draft)).status_code == 302
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "taken"}, "code"),
        ({"output": "999999"}, "output"),
        ({"output": "abc"}, "output"),
        ({"subtask": "foreign"}, "subtask"),
        ({"planned_start": "2026-09", "planned_end": "2026-03"}, "planned_end"),
        ({"planned_start": "2019-01"}, "planned_start"),
        ({"planned_end": "not a month"}, "planned_end"),
        ({"title_vi": ""}, "title_vi"),
    ],
)
def test_bad_input_is_shown_beside_its_field(client, world, changes, field):
    ActivityFactory(output=world.output, task_group=world.task_group, lead_agency=world.agency_b, code="9.9.1")
    changes = dict(changes)
    if changes.get("code") == "taken":
        changes["code"] = "9.9.1"
    else:
        changes.setdefault("code", "9.9.2")
    if changes.get("subtask") == "foreign":
        changes["subtask"] = world.foreign_subtask.pk
    client.force_login(world.focal_a)

    response = client.post(new_url(world.draft), world.data(**changes))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Activity.objects.filter(lead_agency=world.agency_a).count() == 0


def test_an_unknown_delivery_plan_is_a_404(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("planning:activity-new", args=[999999])).status_code == 404


def test_a_plan_submitted_for_approval_takes_no_new_activity(client, world):
    world.draft.status = ReviewStatus.SUBMITTED
    world.draft.save()
    client.force_login(world.focal_a)

    page = client.get(new_url(world.draft))

    assert page.status_code == 200 and page.context["form"] is None
    assert client.post(new_url(world.draft), world.data()).status_code == 403
    assert not Activity.objects.exists()


def test_the_new_activity_page_makes_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for number in range(15):
        OutputFactory(objective=world.output.objective)
        TaskGroupFactory(plan=world.plan)
        ProvinceFactory(code=f"{number + 10}")
        OrganisationFactory(code=f"org-{number}")
    client.force_login(world.coordinator)

    with django_assert_max_num_queries(20):
        assert client.get(new_url(world.draft)).status_code == 200


# An approved delivery plan: proposed as a revision change ------------------------------------------------


def propose(client, world, user=None):
    user = user or world.focal_a
    client.force_login(user)
    agency = {"lead_agency": world.agency_a.pk} if roles.is_coordinator(user) else {}
    return client.post(new_url(world.approved), {**world.data(year=2025), **agency, "change_reason": "Cần thiết"})


def test_in_an_approved_plan_the_activity_is_proposed_and_created_on_approval(client, world):
    response = propose(client, world)

    change = PlanChange.objects.get()
    assert change.action == ChangeAction.CREATE
    assert change.target_id is None
    assert change.revision.agency == world.agency_a
    assert change.data["delivery_plans"] == [world.approved.pk]
    assert change.data["partner_agencies"] == [world.partner.pk]
    assert change.data["lead_agency"] == world.agency_a.pk
    assert response["Location"] == reverse("planning:revision-detail", args=[change.revision_id])
    assert not Activity.objects.exists()
    detail = client.get(response["Location"]).content.decode()
    assert "9.9.1" in detail and "Tập huấn về phụ nữ" in detail and world.partner.name_vi in detail

    revision = revision_services.revision_submit(revision=change.revision, user=world.focal_a, reason_vi=REASON)
    assert not Activity.objects.exists()
    client.force_login(world.coordinator)
    client.post(reverse("planning:revision-review", args=[revision.pk]), {"decision": "approve", "text": "Phù hợp"})

    revision.refresh_from_db()
    assert revision.status == ReportStatus.APPROVED
    activity = Activity.objects.get(code="9.9.1")
    assert activity.lead_agency == world.agency_a
    assert list(activity.delivery_plans.all()) == [world.approved]
    assert list(activity.partner_agencies.all()) == [world.partner]
    assert list(activity.provinces.all()) == [world.province]
    assert activity.subtask == world.subtask
    record = activity.history.order_by("-history_date", "-history_id").first()
    assert "Phù hợp" in record.history_change_reason
    assert record.history_user == world.coordinator
    change.refresh_from_db()
    assert change.target_id == activity.pk


def test_the_proposer_cannot_approve_the_new_activity(client, world):
    propose(client, world, user=world.coordinator)
    change = PlanChange.objects.get()
    revision = revision_services.revision_submit(revision=change.revision, user=world.coordinator, reason_vi=REASON)

    client.force_login(world.coordinator)
    client.post(reverse("planning:revision-review", args=[revision.pk]), {"decision": "approve", "text": "Tự duyệt"})
    client.force_login(world.focal_a)
    assert client.post(reverse("planning:revision-review", args=[revision.pk]), {"decision": "approve", "text": "Tự duyệt"}).status_code == 403

    revision.refresh_from_db()
    assert revision.status == ReportStatus.SUBMITTED
    assert not Activity.objects.exists()


def test_a_second_new_activity_with_the_same_code_is_refused_beside_the_field(client, world):
    propose(client, world)

    response = propose(client, world)

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert PlanChange.objects.count() == 1


def test_a_proposal_for_another_year_is_refused(world):
    revision = revision_services.revision_open(agency=world.agency_a, delivery_plan=world.approved, user=world.focal_a)
    data = {
        "output": world.output, "code": "9.9.3", "task_group": world.task_group, "title_vi": "Hoạt động", "lead_agency": world.agency_a,
        "planned_start": datetime.date(2025, 1, 1), "planned_end": datetime.date(2025, 6, 1), "delivery_plans": [world.draft],
    }  # fmt: skip
    with pytest.raises(revision_services.ValidationError):
        revision_services.plan_change_propose(revision=revision, model=Activity, data=data, user=world.focal_a)
    assert not PlanChange.objects.exists()


def test_the_proposal_page_says_the_budget_comes_after_approval(client, world):
    client.force_login(world.focal_a)

    page = client.get(new_url(world.approved))

    assert page.context["proposing"]
    assert b'id="new-activity-budget-later"' in page.content
    assert "change_reason" in page.context["form"].fields


def test_the_budget_page_of_an_approved_year_leads_to_a_proposed_line(client, world):
    activity = ActivityFactory(output=world.output, task_group=world.task_group, lead_agency=world.agency_a)
    activity.delivery_plans.add(world.approved)
    client.force_login(world.focal_a)

    response = client.get(reverse("planning:activity-budget-line-new", args=[world.approved.pk, activity.pk]))

    assert response["Location"] == f"{reverse('planning:revision-propose-new-budget-line', args=[activity.pk])}?year=2025"


def test_the_pages_speak_vietnamese(client, world):
    client.force_login(world.focal_a)
    with translation.override("vi"):
        proposal = client.get(new_url(world.approved)).content.decode()
        draft = client.get(new_url(world.draft)).content.decode()

    assert "Hoạt động mới trong" in draft and "Thêm hoạt động" in draft
    assert "Đề xuất hoạt động mới này" in proposal and "Không thể đề xuất kinh phí cùng với hoạt động" in proposal
