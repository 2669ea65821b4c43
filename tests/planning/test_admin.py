"""The coordinators' admin: every page answers, anonymous users are refused, focal points change
only their own agency's rows, and list pages do not grow their query count with the plan."""

import datetime

import pytest
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from planning import roles
from planning.admin import HistoryReasonMixin
from planning.models import (
    Activity,
    ActivityStatus,
    BudgetLine,
    DeliveryPlan,
    Disaggregation,
    FrameworkReference,
    Indicator,
    MeansOfImplementation,
    Membership,
    Objective,
    Organisation,
    Province,
    ProvinceSuccession,
    TaskGroup,
)
from planning.models.fields import MonthFormField
from tests.factories import ActivityFactory, BudgetLineFactory, DeliveryPlanFactory, ObjectiveFactory, OutputFactory, PlanFactory, coordinator

pytestmark = pytest.mark.django_db

User = get_user_model()


# Moved only by the reporting services: the admin shows them and has no add page (tests/planning/test_admin_reporting.py);
# evidence is uploaded on the report's page (tests/planning/test_evidence.py).
SHOWN_ONLY = {"progressreport", "approvedvalue", "reporttransition", "evidence"}


def admin_urls():
    """(label, url) of every changelist, add and change page of the plan's models."""
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in ("planning", "events"):
            continue
        yield f"{opts.model_name} list", reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        if opts.model_name not in SHOWN_ONLY:
            yield f"{opts.model_name} add", reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        first = model.objects.first()
        if first is not None:
            yield f"{opts.model_name} change", reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            if hasattr(model_admin, "history_view"):
                yield f"{opts.model_name} history", reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[first.pk])


def test_every_admin_page_answers_for_a_coordinator(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    urls = list(admin_urls())
    assert len(urls) > 60
    answers = {label: client.get(url).status_code for label, url in urls}
    assert {label: code for label, code in answers.items() if code != 200} == {}


def test_admin_is_in_vietnamese_by_default_and_english_on_request(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    vietnamese = client.get(reverse("admin:planning_activity_changelist")).content.decode()
    assert "Hoạt động" in vietnamese
    with_english = client.get(reverse("admin:planning_activity_changelist").replace("/vi/", "/en/")).content.decode()
    assert "Activities" in with_english
    assert "[Sample]" in with_english


def test_every_admin_page_refuses_anonymous_users(demo_data, client):
    for label, url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, label
        assert reverse("admin:login") in response["Location"], label


def test_admin_shows_the_real_nap_structure(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    objectives = client.get(reverse("admin:planning_objective_changelist")).content.decode()
    for title in ["Phòng ngừa và ứng phó với bạo lực trên cơ sở giới", "Hợp tác quốc tế về Phụ nữ, hòa bình và an ninh"]:
        assert title in objectives
    plan = client.get(reverse("admin:planning_plan_changelist")).content.decode()
    assert "101/QĐ-TTg" in plan


def activity_of(agency_code):
    return Activity.objects.filter(lead_agency__code=agency_code).order_by("code").first()


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def change_post_data(client, obj, **changes):
    """The change form's own initial data, as a browser would send it back."""
    response = client.get(change_url(obj))
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "__iter__") and not isinstance(value, str):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif isinstance(field, forms.SplitDateTimeField):
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.time().isoformat()
        elif isinstance(value, datetime.date):
            data[name] = value.strftime("%Y-%m") if isinstance(field, MonthFormField) else value.isoformat()
        else:
            data[name] = getattr(value, "pk", value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for index, inline_form in enumerate(formset.formset.forms):
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name)
                if isinstance(value, datetime.date):
                    value = value.strftime("%Y-%m") if isinstance(field, MonthFormField) else value.isoformat()
                if value is not None:
                    data[f"{inline_form.prefix}-{name}"] = getattr(value, "pk", value)
            if inline_form.instance.pk is not None:
                data[f"{inline_form.prefix}-id"] = inline_form.instance.pk
            del index
    data.update(changes)
    return data


def progress_row(data, year) -> str:
    """The prefix of the yearly-progress inline row of `year` in a change form's data."""
    for index in range(int(data["yearly_progress-TOTAL_FORMS"])):
        if DeliveryPlan.objects.filter(pk=data.get(f"yearly_progress-{index}-delivery_plan"), year=year).exists():
            return f"yearly_progress-{index}"
    raise AssertionError(f"No yearly progress row for {year}")


def with_progress(data, year, **fields) -> dict:
    prefix = progress_row(data, year)
    return {**data, **{f"{prefix}-{name}": value for name, value in fields.items()}}


def test_focal_point_can_change_own_agencys_activity(demo_data, client):
    activity = activity_of("mps")
    client.login(username="focal.mps", password="demo-password")
    data = change_post_data(client, activity, change_reason="Cập nhật quý")
    data = with_progress(data, 2025, status=ActivityStatus.AT_RISK, status_justification_vi="Thiếu cán bộ")
    response = client.post(reverse("admin:planning_activity_change", args=[activity.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    progress = activity.yearly_progress.get(delivery_plan__year=2025)
    assert progress.status == ActivityStatus.AT_RISK
    record = progress.history.first()
    assert record.history_user.username == "focal.mps"
    assert record.history_change_reason == "Cập nhật quý"


REFERENCE_MODELS = [Province, ProvinceSuccession, MeansOfImplementation, Disaggregation, FrameworkReference, Membership]


@pytest.mark.parametrize("model", REFERENCE_MODELS, ids=lambda model: model.__name__)
def test_reference_data_keeps_a_history_and_its_admin_asks_why(model):
    assert hasattr(model, "history")
    if model is not ProvinceSuccession:  # changed inline, under its province
        assert isinstance(admin.site._registry[model], HistoryReasonMixin)


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Province, "name_en", "Renamed"),
        (MeansOfImplementation, "name_en", "Renamed"),
        (FrameworkReference, "title_en", "Renamed"),
        (Membership, "position", "Head"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_coordinator_edit_of_reference_data_is_kept_with_the_reason(demo_data, client, model, field, value):
    obj = model.objects.order_by("pk").first()
    client.login(username="coordinator", password="demo-password")

    response = client.post(change_url(obj), change_post_data(client, obj, **{field: value}, change_reason="Corrected spelling"))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    record = obj.history.first()
    assert getattr(record, field) == value
    assert (record.history_user.username, record.history_change_reason) == ("coordinator", "Corrected spelling")


def new_inline_line(data, delivery_plan):
    index = int(data["budget_lines-TOTAL_FORMS"])
    line = {"delivery_plan": delivery_plan.pk, "source": "central_budget", "amount_vnd": "2000000", "currency": "VND", "status": "estimated"}
    return {**data, "budget_lines-TOTAL_FORMS": index + 1, **{f"budget_lines-{index}-{name}": value for name, value in line.items()}}


@pytest.mark.parametrize("tick_the_year", [True, False])
def test_activity_page_checks_new_budget_lines_against_the_years_ticked_on_the_same_page(demo_data, client, tick_the_year):
    activity = Activity.objects.get(code="1.1.3")  # 2024–2025
    year_2026 = DeliveryPlanFactory(plan=activity.plan, year=2026)
    client.login(username="coordinator", password="demo-password")
    data = change_post_data(client, activity, planned_end="2026-06", change_reason="Extended into 2026")
    if tick_the_year:
        data["delivery_plans"] = [*data["delivery_plans"], year_2026.pk]

    response = client.post(change_url(activity), new_inline_line(data, year_2026))

    saved = activity.budget_lines.filter(delivery_plan=year_2026).exists()
    if tick_the_year:
        assert response.status_code == 302
        assert saved
    else:
        assert response.status_code == 200
        [formset] = [inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is BudgetLine]
        assert list(formset.forms[-1].errors) == ["delivery_plan"]
        assert not saved


def test_focal_point_cannot_change_other_agencys_activity_in_the_admin(demo_data, client):
    other = activity_of("mod")
    client.login(username="focal.mps", password="demo-password")
    page = client.get(reverse("admin:planning_activity_change", args=[other.pk]))
    assert page.status_code == 200  # focal points see the whole plan...
    assert 'name="_save"' not in page.content.decode()  # ...read-only
    data = change_post_data(client, activity_of("mps"), change_reason="x")
    data = with_progress(data, 2025, status=ActivityStatus.OFF_TRACK, status_justification_vi="x")
    response = client.post(reverse("admin:planning_activity_change", args=[other.pk]), data)
    assert response.status_code == 403
    assert not other.yearly_progress.filter(status=ActivityStatus.OFF_TRACK, status_justification_vi="x").exists()


def test_focal_point_cannot_give_an_activity_to_another_agency(demo_data, client):
    activity = activity_of("mps")
    mod = Organisation.objects.get(code="mod")
    client.login(username="focal.mps", password="demo-password")
    data = change_post_data(client, activity, lead_agency=mod.pk, change_reason="x")
    response = client.post(reverse("admin:planning_activity_change", args=[activity.pk]), data)
    assert response.status_code == 200
    assert "lead_agency" in response.context["adminform"].form.errors
    activity.refresh_from_db()
    assert activity.lead_agency.code == "mps"


def test_focal_point_cannot_delete_other_agencys_rows(demo_data, client):
    client.login(username="focal.mps", password="demo-password")
    other = activity_of("mod")
    assert client.post(reverse("admin:planning_activity_delete", args=[other.pk]), {"post": "yes"}).status_code == 403
    line = BudgetLine.objects.exclude(activity__lead_agency__code="mps").first()
    assert client.post(reverse("admin:planning_budgetline_delete", args=[line.pk]), {"post": "yes"}).status_code == 403
    bulk = client.post(reverse("admin:planning_activity_changelist"), {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"})
    assert Activity.objects.filter(pk=other.pk).exists()
    assert bulk.status_code in (200, 302)


def test_focal_point_cannot_change_other_agencys_indicator_or_budget_line(demo_data, client):
    client.login(username="focal.mps", password="demo-password")
    indicator = Indicator.objects.exclude(responsible_agency__code="mps").first()
    assert client.post(reverse("admin:planning_indicator_change", args=[indicator.pk]), {"title_vi": "x"}).status_code == 403
    line = BudgetLine.objects.exclude(activity__lead_agency__code="mps").first()
    assert client.post(reverse("admin:planning_budgetline_change", args=[line.pk]), {"amount_vnd": "1"}).status_code == 403
    own = Indicator.objects.filter(responsible_agency__code="mps").first()
    page = client.get(reverse("admin:planning_indicator_change", args=[own.pk])).content.decode()
    assert 'name="_save"' in page


def test_focal_point_cannot_change_the_nap_itself(demo_data, client):
    client.login(username="focal.mps", password="demo-password")
    objective = demo_objective()
    response = client.post(reverse("admin:planning_objective_change", args=[objective.pk]), {"title_vi": "x"})
    assert response.status_code == 403


def demo_objective():
    from planning.models import Objective

    return Objective.objects.order_by("code").first()


def add_activities(count):
    template = Activity.objects.select_related("output", "task_group", "lead_agency").first()
    for _ in range(count):
        ActivityFactory(output=template.output, task_group=template.task_group, lead_agency=template.lead_agency)


@pytest.mark.parametrize("model", ["activity", "indicator", "budgetline", "indicatorperiod", "organisation", "output"])
def test_changelist_query_count_does_not_grow_with_the_plan(demo_data, client, django_assert_max_num_queries, model):
    client.login(username="coordinator", password="demo-password")
    url = reverse(f"admin:planning_{model}_changelist")
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    add_activities(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def budgeted_activity(output, delivery_plan, template):
    activity = ActivityFactory(output=output, task_group=template.task_group, lead_agency=template.lead_agency)
    BudgetLineFactory(activity=activity, delivery_plan=delivery_plan)


def add_budgeted_rows(model, count):
    """`count` more rows of `model`, each with budget lines, so an N+1 on the budget columns would show."""
    template = Activity.objects.select_related("output__objective", "task_group", "lead_agency").first()
    year = DeliveryPlan.objects.get(plan=template.plan, year=2025)
    if model == "deliveryplan":
        for delivery_plan in [
            *(DeliveryPlanFactory(plan=template.plan, year=y) for y in range(2026, 2031)),
            *(DeliveryPlanFactory(plan=PlanFactory(code=f"p{n}"), year=2025) for n in range(count)),
        ]:
            budgeted_activity(template.output, delivery_plan, template)
        return
    for n in range(count):
        objective = ObjectiveFactory(plan=template.plan, code=f"X{n}") if model == "objective" else template.output.objective
        budgeted_activity(OutputFactory(objective=objective, code=f"X.{n}"), year, template)


@pytest.mark.parametrize("model", ["output", "objective", "deliveryplan"])
def test_budget_columns_cost_no_query_per_row(demo_data, client, django_assert_max_num_queries, model):
    client.login(username="coordinator", password="demo-password")
    url = reverse(f"admin:planning_{model}_changelist")
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    add_budgeted_rows(model, 15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    rows = page.context["cl"].result_list
    assert len(rows) > 15
    assert all(row.budget_estimated >= row.budget_gap for row in rows)


def test_indicator_objective_filter_finds_indicators_at_every_level_below_it(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    objective = Objective.objects.get(plan__code="nap-wps-2024-2030", code="1")

    page = client.get(reverse("admin:planning_indicator_changelist"), {"under_objective": objective.pk})

    codes = {indicator.code for indicator in page.context["cl"].queryset}
    assert {"1.I1", "1.1.I1", "1.2.I1", "1.1.2.I1", "1.2.2.I1"} <= codes
    assert not any(code.startswith(("2.", "3.", "4.", "G.")) for code in codes)


def test_indicator_and_budget_line_lists_filter_by_task_group(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    group = TaskGroup.objects.get(plan__code="nap-wps-2024-2030", code="3")

    indicators = client.get(reverse("admin:planning_indicator_changelist"), {"activity__task_group__id__exact": group.pk})
    lines = client.get(reverse("admin:planning_budgetline_changelist"), {"activity__task_group__id__exact": group.pk})

    assert {i.code for i in indicators.context["cl"].queryset} == {"1.2.2.I1"}
    assert lines.context["cl"].queryset.count() == BudgetLine.objects.filter(activity__task_group=group).count() > 0
    assert {line.activity.task_group_id for line in lines.context["cl"].queryset} == {group.pk}


def test_budget_line_list_filters_by_objective(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    objective = Objective.objects.get(plan__code="nap-wps-2024-2030", code="2")

    page = client.get(reverse("admin:planning_budgetline_changelist"), {"activity__output__objective__id__exact": objective.pk})

    assert page.context["cl"].queryset.count() == BudgetLine.objects.filter(activity__output__objective=objective).count() > 0
    assert {line.activity.code[0] for line in page.context["cl"].queryset} == {"2"}


def test_delivery_plans_can_be_searched_by_approval_number(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    page = client.get(reverse("admin:planning_deliveryplan_changelist"), {"q": "MẪU-01"})

    assert [delivery_plan.year for delivery_plan in page.context["cl"].queryset] == [2024]


def test_user_admin_is_not_open_to_focal_points(demo_data, client):
    client.login(username="focal.mps", password="demo-password")
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert User.objects.filter(username="focal.mps").exists()


def run_action(client, action, delivery_plan, reason="Agreed at the coordination meeting"):
    """Choose the action, then confirm it on the page that asks why."""
    url = reverse("admin:planning_deliveryplan_changelist")
    data = {"action": action, "_selected_action": [delivery_plan.pk]}
    confirmation = client.post(url, data)
    assert confirmation.status_code == 200
    assert confirmation.context["form"].fields["reason"]
    return client.post(url, {**data, "apply": "1", "reason": reason}, follow=True)


def test_a_workflow_action_asks_why_before_it_moves_anything(client):
    client.force_login(coordinator())
    delivery_plan = DeliveryPlanFactory()

    page = client.post(reverse("admin:planning_deliveryplan_changelist"), {"action": "delivery_plan_submit", "_selected_action": [delivery_plan.pk]})

    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "draft"
    assert 'name="reason"' in page.content.decode()


def test_returning_a_delivery_plan_to_draft_needs_a_reason_and_keeps_it(client):
    client.force_login(coordinator())
    delivery_plan = DeliveryPlanFactory(status="submitted")

    refused = run_action(client, "delivery_plan_return_to_draft", delivery_plan, reason="")
    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "submitted"
    assert "reason" in refused.context["form"].errors

    run_action(client, "delivery_plan_return_to_draft", delivery_plan, reason="Budget table incomplete")
    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "draft"
    assert delivery_plan.history.first().history_change_reason == "Budget table incomplete"


def test_coordinator_moves_a_delivery_plan_through_the_admin_actions(client):
    user = coordinator()
    client.force_login(user)
    delivery_plan = DeliveryPlanFactory(approval_number="15/QĐ-BNG", approval_date=datetime.date(2025, 2, 1))

    for action, status in [("delivery_plan_submit", "submitted"), ("delivery_plan_approve", "approved"), ("delivery_plan_publish", "published")]:
        assert run_action(client, action, delivery_plan).status_code == 200
        delivery_plan.refresh_from_db()
        assert delivery_plan.status == status, action
    assert delivery_plan.history.first().history_user == user


def test_admin_action_reports_a_refused_step_and_changes_nothing(client):
    client.force_login(coordinator())
    delivery_plan = DeliveryPlanFactory(status="submitted")

    response = run_action(client, "delivery_plan_approve", delivery_plan)

    delivery_plan.refresh_from_db()
    assert delivery_plan.status == "submitted"
    assert [message.level for message in response.context["messages"]] == [messages.ERROR]


def test_delivery_plan_status_cannot_be_typed_in_the_admin_form(client):
    client.force_login(coordinator())
    delivery_plan = DeliveryPlanFactory()

    form = client.get(change_url(delivery_plan)).context["adminform"].form

    assert "status" not in form.fields


# Accounts -------------------------------------------------------------------------------------


def new_user_data(**changes):
    mps = Organisation.objects.get(code="mps")
    data = {
        "username": "focal.mps2",
        "usable_password": "true",
        "password1": "a-long-demo-password-2",
        "password2": "a-long-demo-password-2",
        "first_name": "Đầu mối",
        "is_staff": "on",
        "groups": [Group.objects.get(name=roles.FOCAL_POINTS).pk],
        "membership-TOTAL_FORMS": "1",
        "membership-INITIAL_FORMS": "0",
        "membership-MIN_NUM_FORMS": "0",
        "membership-MAX_NUM_FORMS": "1",
        "membership-0-organisation": mps.pk,
        "membership-0-position": "Chuyên viên",
    }
    return {**data, **changes}


def test_coordinator_creates_a_focal_point_who_can_then_edit_their_agencys_activity(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    response = client.post(reverse("admin:auth_user_add"), new_user_data())

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    user = User.objects.get(username="focal.mps2")
    assert (user.is_staff, user.is_superuser, user.membership.organisation.code) == (True, False, "mps")
    assert [group.name for group in user.groups.all()] == [roles.FOCAL_POINTS]
    client.logout()
    assert client.login(username="focal.mps2", password="a-long-demo-password-2")
    activity = activity_of("mps")
    data = with_progress(change_post_data(client, activity, change_reason="Quarterly update"), 2025, progress=80)
    assert client.post(change_url(activity), data).status_code == 302
    progress = activity.yearly_progress.get(delivery_plan__year=2025)
    assert progress.progress == 80
    assert progress.history.first().history_user == user


def test_coordinator_cannot_make_anyone_superuser_or_give_permissions(demo_data, client):
    client.login(username="coordinator", password="demo-password")
    permission = Permission.objects.get(codename="delete_plan")

    client.post(reverse("admin:auth_user_add"), new_user_data(is_superuser="on", user_permissions=[permission.pk]))
    organiser = User.objects.get(username="organiser")
    data = change_post_data(client, organiser, is_superuser="on", user_permissions=[permission.pk], change_reason="Try")
    response = client.post(change_url(organiser), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    coordinator_user = User.objects.get(username="coordinator")
    client.post(change_url(coordinator_user), change_post_data(client, coordinator_user, is_superuser="on", change_reason="Try"))

    assert not User.objects.filter(is_superuser=True).exists()
    assert not Permission.objects.filter(user__isnull=False).exists()
    form = client.get(change_url(organiser)).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields


def test_coordinator_moves_a_focal_point_to_another_agency_saying_why(demo_data, client):
    focal = User.objects.get(username="focal.mps")
    moh = Organisation.objects.get(code="moh")
    client.login(username="coordinator", password="demo-password")

    without_reason = client.post(change_url(focal), change_post_data(client, focal, **{"membership-0-organisation": moh.pk}))
    response = client.post(change_url(focal), change_post_data(client, focal, **{"membership-0-organisation": moh.pk}, change_reason="Moved to MOH"))

    assert without_reason.status_code == 200
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    record = Membership.objects.get(user=focal).history.first()
    assert (record.organisation, record.history_user.username, record.history_change_reason) == (moh, "coordinator", "Moved to MOH")


def test_coordinator_offers_only_the_portals_groups(demo_data, client):
    Group.objects.create(name="Site administrators")
    client.login(username="coordinator", password="demo-password")

    form = client.get(reverse("admin:auth_user_add")).context["adminform"].form

    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == set(roles.GROUP_LABELS)
    assert {label for _value, label in form.fields["groups"].choices} == {"Điều phối viên Bộ Ngoại giao", "Đầu mối cơ quan", "Người tổ chức sự kiện"}


def test_coordinator_cannot_change_a_superuser(demo_data, client):
    admin_user = User.objects.create_superuser("root", "root@example.org", "a-long-demo-password-2")
    client.login(username="coordinator", password="demo-password")

    page = client.get(change_url(admin_user))
    response = client.post(change_url(admin_user), {"username": "taken-over", "is_staff": "on"})
    password = client.post(reverse("admin:auth_user_password_change", args=[admin_user.pk]), {"password1": "x-y-z-123456", "password2": "x-y-z-123456"})

    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert (response.status_code, password.status_code) == (403, 403)
    admin_user.refresh_from_db()
    assert admin_user.username == "root" and admin_user.check_password("a-long-demo-password-2")


@pytest.mark.parametrize("power", ["own permission", "other group"])
def test_coordinator_cannot_take_over_an_account_with_powers_beyond_the_portals_roles(demo_data, client, power):
    from django.contrib.auth.models import Permission

    powerful = User.objects.create_user("ops", password="a-long-demo-password-3", is_staff=True)
    if power == "own permission":
        powerful.user_permissions.add(Permission.objects.get(codename="change_group"))
    else:
        powerful.groups.add(Group.objects.create(name="Site operators"))
    client.login(username="coordinator", password="demo-password")

    password = client.post(reverse("admin:auth_user_password_change", args=[powerful.pk]), {"password1": "x-y-z-123456", "password2": "x-y-z-123456"})
    delete = client.post(reverse("admin:auth_user_delete", args=[powerful.pk]), {"post": "yes"})

    assert (password.status_code, delete.status_code) == (403, 403)
    powerful.refresh_from_db()
    assert powerful.check_password("a-long-demo-password-3")


def test_membership_user_autocomplete_answers_a_coordinator(demo_data, client):
    client.login(username="coordinator", password="demo-password")

    response = client.get(reverse("admin:autocomplete"), {"app_label": "planning", "model_name": "membership", "field_name": "user", "term": "focal"})

    assert response.status_code == 200
    assert "focal.mps" in response.content.decode()
