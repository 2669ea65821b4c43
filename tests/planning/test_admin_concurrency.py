"""Nothing lost between two people in the admin (issue 8 §4): every change form and inline of a row
with a version carries it; a save from an outdated form is refused with what the other person
changed, and the user's own input stays in the form."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from planning.models import Activity, ActivityProgress, BudgetExecution, BudgetLine, DeliveryPlan, IndicatorPeriod, ReportStatus
from tests.factories import ActivityFactory, ActivityProgressFactory, BudgetLineFactory, IndicatorPeriodFactory, coordinator
from tests.planning.test_admin import change_post_data, change_url, with_progress

pytestmark = pytest.mark.django_db


def label(model, field) -> str:
    return str(model._meta.get_field(field).verbose_name)


@pytest.fixture
def two_sessions(client):
    """Two coordinators, each with the same page open in their own browser."""
    first, second = client, Client()
    first.force_login(coordinator("first"))
    second.force_login(coordinator("second"))
    return first, second


@pytest.fixture
def activity():
    activity = ActivityFactory(title_vi="Tập huấn cán bộ")
    year = DeliveryPlan.objects.create(plan=activity.plan, year=2025)
    activity.delivery_plans.set([year])
    BudgetLineFactory(activity=activity, delivery_plan=year, amount_vnd=Decimal(100_000_000))
    ActivityProgressFactory(activity=activity, delivery_plan=year, progress=10)
    return activity


def inline_prefix(data, prefix, pk) -> str:
    for index in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        if str(data.get(f"{prefix}-{index}-id")) == str(pk):
            return f"{prefix}-{index}"
    raise AssertionError(f"No row {pk} in {prefix}")


def errors_text(errors) -> str:
    return " ".join(str(message) for message in errors)


def test_every_versioned_form_of_the_activity_page_carries_its_version_hidden(activity, two_sessions):
    first, _second = two_sessions

    page = first.get(change_url(activity)).content.decode()

    line, progress = activity.budget_lines.get(), activity.yearly_progress.get()
    assert f'type="hidden" name="version" value="{activity.version}"' in page
    assert f'type="hidden" name="budget_lines-0-version" value="{line.version}"' in page
    assert f'type="hidden" name="yearly_progress-0-version" value="{progress.version}"' in page


def test_the_second_save_of_an_activity_is_refused_naming_the_first_change_and_keeping_its_input(activity, two_sessions):
    first, second = two_sessions
    first_data = change_post_data(first, activity, title_vi="Tập huấn cán bộ nữ", change_reason="Tên đầy đủ")
    second_data = change_post_data(second, activity, description_vi="Hai lớp tại Hà Nội", change_reason="Mô tả")

    assert first.post(change_url(activity), first_data).status_code == 302
    response = second.post(change_url(activity), second_data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    message = errors_text(form.non_field_errors())
    assert label(Activity, "title_vi") in message and "Tập huấn cán bộ" in message and "Tập huấn cán bộ nữ" in message
    assert form["description_vi"].value() == "Hai lớp tại Hà Nội"  # their input stays
    assert "Hai lớp tại Hà Nội" in response.content.decode()
    activity.refresh_from_db()
    assert (activity.title_vi, activity.description_vi) == ("Tập huấn cán bộ nữ", "")


def test_after_a_refused_save_the_page_saves_once_reloaded(activity, two_sessions):
    first, second = two_sessions
    stale = change_post_data(second, activity, description_vi="Hai lớp", change_reason="Mô tả")
    first.post(change_url(activity), change_post_data(first, activity, title_vi="Tên mới", change_reason="Tên"))
    assert second.post(change_url(activity), stale).status_code == 200

    fresh = change_post_data(second, activity, description_vi="Hai lớp", change_reason="Mô tả")

    assert second.post(change_url(activity), fresh).status_code == 302
    activity.refresh_from_db()
    assert (activity.title_vi, activity.description_vi) == ("Tên mới", "Hai lớp")


def test_the_second_save_of_an_inline_budget_line_is_refused_beside_the_line(activity, two_sessions):
    first, second = two_sessions
    line = activity.budget_lines.get()
    first_data = change_post_data(first, activity, change_reason="Dự toán mới")
    second_data = change_post_data(second, activity, change_reason="Dự toán khác")
    first_data[f"{inline_prefix(first_data, 'budget_lines', line.pk)}-amount_vnd"] = "120000000"
    row = inline_prefix(second_data, "budget_lines", line.pk)
    second_data[f"{row}-amount_vnd"] = "90000000"

    assert first.post(change_url(activity), first_data).status_code == 302
    response = second.post(change_url(activity), second_data)

    assert response.status_code == 200
    [inline] = [inline for inline in response.context["inline_admin_formsets"] if inline.formset.model is BudgetLine]
    [form] = [form for form in inline.formset.forms if form.instance.pk == line.pk]
    assert label(BudgetLine, "amount_vnd") in errors_text(form.non_field_errors())
    assert form["amount_vnd"].value() == "90000000"
    line.refresh_from_db()
    assert line.amount_vnd == Decimal(120_000_000)


def test_the_second_save_of_a_yearly_progress_is_refused_beside_the_row(activity, two_sessions):
    first, second = two_sessions
    progress = activity.yearly_progress.get()
    first_data = with_progress(change_post_data(first, activity, change_reason="Quý III"), 2025, progress=40)
    second_data = with_progress(change_post_data(second, activity, change_reason="Quý III"), 2025, progress=35)

    assert first.post(change_url(activity), first_data).status_code == 302
    response = second.post(change_url(activity), second_data)

    assert response.status_code == 200
    [inline] = [inline for inline in response.context["inline_admin_formsets"] if inline.formset.model is ActivityProgress]
    [form] = inline.formset.forms
    message = errors_text(form.non_field_errors())
    assert label(ActivityProgress, "progress") in message and "40" in message
    assert form["progress"].value() == "35"
    progress.refresh_from_db()
    assert progress.progress == 40


def test_a_change_to_another_row_of_the_page_does_not_stop_the_second_save(activity, two_sessions):
    first, second = two_sessions
    first_data = with_progress(change_post_data(first, activity, change_reason="Quý III"), 2025, progress=40)
    second_data = change_post_data(second, activity, description_vi="Hai lớp", change_reason="Mô tả")

    assert first.post(change_url(activity), first_data).status_code == 302
    assert second.post(change_url(activity), second_data).status_code == 302

    activity.refresh_from_db()
    assert (activity.description_vi, activity.yearly_progress.get().progress) == ("Hai lớp", 40)


def test_a_save_between_the_check_and_the_save_is_refused_too_and_nothing_of_the_page_is_kept(activity, two_sessions, monkeypatch):
    """The forms found the versions current, but another save commits before this one writes: the
    service's own check (django-concurrency) refuses, and the page comes back with the conflict."""
    from planning import forms as planning_forms

    _first, second = two_sessions
    data = with_progress(change_post_data(second, activity, title_vi="Tên của người thứ hai", change_reason="Tên"), 2025, progress=55)
    real_clean = planning_forms.VersionedForm.clean
    calls = []

    def clean_then_someone_saves(form):
        cleaned = real_clean(form)
        if isinstance(form.instance, Activity) and not calls:
            calls.append(form)
            Activity.objects.filter(pk=activity.pk).update(version=activity.version + 100)  # another save meanwhile
        return cleaned

    monkeypatch.setattr(planning_forms.VersionedForm, "clean", clean_then_someone_saves)

    response = second.post(change_url(activity), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert response.context["adminform"].form["title_vi"].value() == "Tên của người thứ hai"
    activity.refresh_from_db()
    assert activity.title_vi == "Tập huấn cán bộ"
    assert activity.yearly_progress.get().progress == 10  # the rest of the page was not kept either


def test_a_form_without_its_version_is_refused_with_a_message(activity, two_sessions):
    first, _second = two_sessions
    data = change_post_data(first, activity, title_vi="Tên mới", change_reason="Tên")
    del data["version"]

    response = first.post(change_url(activity), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    activity.refresh_from_db()
    assert activity.title_vi == "Tập huấn cán bộ"


def test_a_forged_version_is_a_message_not_an_error_page(activity, two_sessions):
    first, _second = two_sessions
    data = change_post_data(first, activity, title_vi="Tên mới", change_reason="Tên", version="abc")

    response = first.post(change_url(activity), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()


def test_the_second_save_of_an_indicator_period_is_refused(two_sessions):
    first, second = two_sessions
    period = IndicatorPeriodFactory(target_value=Decimal(10))
    first_data = change_post_data(first, period, target_value="12", change_reason="Chỉ tiêu mới")
    second_data = change_post_data(second, period, target_value="15", change_reason="Chỉ tiêu khác")

    assert first.post(change_url(period), first_data).status_code == 302
    response = second.post(change_url(period), second_data)

    assert response.status_code == 200
    assert label(IndicatorPeriod, "target_value") in errors_text(response.context["adminform"].form.non_field_errors())
    period.refresh_from_db()
    assert period.target_value == Decimal(12)


def test_the_second_save_of_a_budget_execution_is_refused_beside_it(two_sessions):
    first, second = two_sessions
    line = BudgetLineFactory()
    first_data = change_post_data(first, line, change_reason="Giải ngân")
    second_data = change_post_data(second, line, change_reason="Giải ngân")
    for data, amount in ((first_data, "50000000"), (second_data, "60000000")):
        data.update({"execution-0-disbursed_vnd": amount, "execution-0-disbursed_on": "2025-05-20"})
    assert first.post(change_url(line), first_data).status_code == 302
    # The execution exists now: the second person opens the page, the first changes it again, the second saves.
    stale = change_post_data(second, line, change_reason="Giải ngân")
    stale["execution-0-disbursed_vnd"] = "60000000"
    again = change_post_data(first, line, change_reason="Giải ngân thêm")
    again["execution-0-disbursed_vnd"] = "70000000"
    assert first.post(change_url(line), again).status_code == 302

    response = second.post(change_url(line), stale)

    assert response.status_code == 200
    [inline] = [inline for inline in response.context["inline_admin_formsets"] if inline.formset.model is BudgetExecution]
    assert label(BudgetExecution, "disbursed_vnd") in errors_text(inline.formset.forms[0].non_field_errors())
    execution = BudgetExecution.objects.get(line=line)
    assert (execution.disbursed_vnd, execution.disbursed_on) == (Decimal(70_000_000), datetime.date(2025, 5, 20))
    assert ReportStatus.DRAFT in line.activity.lead_agency.progress_reports.values_list("status", flat=True)
