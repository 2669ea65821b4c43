"""Reasons the system writes into history are stored as what happened and read in the reader's language."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from napwps.history import reason, render_reason
from planning import services
from planning.models import DeliveryPlan, ReviewStatus
from tests.factories import DeliveryPlanFactory, DisaggregatedValueFactory, PlanFactory, coordinator


def test_a_system_reason_is_stored_as_a_message_and_parameters():
    stored = reason("Approved by %(number)s of %(date)s", number="25/KH-BNG", date=datetime.date(2025, 2, 1))
    assert json.loads(stored) == {"napwps": "Approved by %(number)s of %(date)s", "params": {"date": {"__date__": "2025-02-01"}, "number": "25/KH-BNG"}}
    with translation.override("vi"):
        assert render_reason(stored) == "Phê duyệt theo văn bản số 25/KH-BNG ngày 01/02/2025"
    with translation.override("en"):
        assert render_reason(stored) == "Approved by 25/KH-BNG of 1 Feb 2025"


def test_a_persons_reason_is_shown_as_typed():
    with translation.override("vi"):
        assert render_reason("Budget table incomplete") == "Budget table incomplete"
        assert render_reason("Cập nhật quý") == "Cập nhật quý"
        assert render_reason('{"not": "ours"}') == '{"not": "ours"}'
        assert render_reason("") == ""
        assert render_reason(None) == ""


@pytest.mark.parametrize(
    ("old", "vi", "en"),
    [
        ("Delivery plan opened", "Mở kế hoạch triển khai", "Delivery plan opened"),
        ("Approved by 25/KH-BNG of 01/02/2025", "Phê duyệt theo văn bản số 25/KH-BNG ngày 01/02/2025", "Approved by 25/KH-BNG of 1 Feb 2025"),
        ("Merged person #12 into #34", "Gộp người #12 vào #34", "Merged person #12 into #34"),
        ("Tạo mới", "Tạo mới", "Created"),  # the admin's default, written in the language of the request
    ],
)
def test_reasons_written_before_as_plain_english_are_still_translated(old, vi, en):
    with translation.override("vi"):
        assert render_reason(old) == vi
    with translation.override("en"):
        assert render_reason(old) == en


@pytest.fixture
def approved_plan(reference_data):
    user = coordinator(username="approver")
    delivery_plan = services.delivery_plan_create(plan=PlanFactory(), year=2029, user=user)
    services.delivery_plan_submit(delivery_plan=delivery_plan, user=user)
    services.delivery_plan_approve(delivery_plan=delivery_plan, approval_number="25/KH-BNG", approval_date=datetime.date(2025, 2, 1), user=user)
    return user, delivery_plan


def test_the_history_page_reads_in_vietnamese(client, approved_plan):
    user, delivery_plan = approved_plan
    client.force_login(user)
    page = client.get(reverse("admin:planning_deliveryplan_history", args=[delivery_plan.pk])).content.decode()
    assert "Phê duyệt theo văn bản số 25/KH-BNG ngày 01/02/2025" in page
    assert "Trình phê duyệt" in page and "Mở kế hoạch triển khai" in page
    # The status change shows labels, not codes: "Đã trình → Đã phê duyệt".
    submitted, approved = ReviewStatus.SUBMITTED.label, ReviewStatus.APPROVED.label
    with translation.override("vi"):
        assert f"{submitted}&nbsp;&rarr;&nbsp;&nbsp;{approved}" in page
    assert "submitted&nbsp;" not in page and "napwps" not in page
    assert "Lý do thay đổi" in page and "Sửa đổi" in page


def test_the_history_page_reads_in_english(client, approved_plan):
    user, delivery_plan = approved_plan
    client.force_login(user)
    page = client.get(reverse("admin:planning_deliveryplan_history", args=[delivery_plan.pk]).replace("/vi/", "/en/")).content.decode()
    assert "Approved by 25/KH-BNG of 1 Feb 2025" in page
    assert "Submitted&nbsp;&rarr;&nbsp;&nbsp;Approved" in page
    assert "Change reason" in page


def test_history_shows_dates_and_numbers_the_readers_way(client, reference_data):
    user = coordinator(username="dates")
    delivery_plan = DeliveryPlanFactory(plan=PlanFactory(), year=2028)
    delivery_plan.approval_date = datetime.date(2025, 1, 2)
    delivery_plan._change_reason = "Sửa ngày"
    delivery_plan.save()
    client.force_login(user)
    page = client.get(reverse("admin:planning_deliveryplan_history", args=[delivery_plan.pk])).content.decode()
    assert "—&nbsp;&rarr;&nbsp;&nbsp;02/01/2025" in page
    assert "2025-01-02" not in page


def test_history_of_a_choice_never_shows_its_code(reference_data):
    from napwps.history import changes_for
    from planning.models import ValueKind

    value = DisaggregatedValueFactory(kind=ValueKind.TARGET)
    value.kind = ValueKind.ACTUAL
    value._change_reason = "Sửa"
    value.save()
    records = list(value.history.all())  # newest first, as on the history page

    class Page:
        object_list = records

    with translation.override("vi"):
        (change,) = changes_for(records[0], Page, type(value))
        assert (change["old"], change["new"]) == (str(ValueKind.TARGET.label), str(ValueKind.ACTUAL.label))
        assert "target" not in (change["old"], change["new"])
    assert changes_for(records[1], Page, type(value)) == []  # the oldest on the page has nothing to compare with


def test_delivery_plan_model_is_the_one_approved(approved_plan):
    _user, delivery_plan = approved_plan
    assert DeliveryPlan.objects.get(pk=delivery_plan.pk).status == ReviewStatus.APPROVED
