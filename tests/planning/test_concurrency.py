"""Nothing lost between two people: a save from an outdated copy is refused with what the other person
changed, and a move asked twice is done once."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from planning import services
from planning.models import ActivityStatus, ApprovedValue, IndicatorPeriod, ProgressReport, ReportStatus, ReportTransition
from planning.services import reporting
from tests.factories import reload, reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    return reporting_world()


def refused(save, obj):
    """Save the outdated copy; return the conflict's changes, checking nothing was saved."""
    before = reload(obj)
    with pytest.raises(services.EditConflict) as conflict:
        save()
    after = reload(obj)
    assert after.version == before.version
    assert {field.attname: getattr(after, field.attname) for field in after._meta.concrete_fields} == {
        field.attname: getattr(before, field.attname) for field in before._meta.concrete_fields
    }
    return conflict.value.changes


def test_an_outdated_activity_is_refused_with_what_changed(world):
    mine, theirs = reload(world.activity_a), reload(world.activity_a)
    services.activity_update(activity=theirs, user=world.coordinator, reason="Đổi tên", title_vi="Tên mới")
    mine.title_en = "My title"
    changes = refused(lambda: services.activity_update(activity=mine, user=world.focal_a, reason="Sửa", title_en="My title"), mine)
    assert ("tiêu đề (tiếng Việt)", world.activity_a.title_vi, "Tên mới") in changes
    assert mine.title_en == "My title"  # the user's input stays on the object the form holds


def test_an_outdated_yearly_progress_is_refused(world):
    item = reporting.activity_progress_for(activity=world.activity_a, delivery_plan=world.delivery_plan)
    item.progress = 10
    item = reporting.activity_progress_save(progress=item, user=world.focal_a)
    mine, theirs = reload(item), reload(item)
    theirs.progress = 30
    reporting.activity_progress_save(progress=theirs, user=world.coordinator)
    mine.status = ActivityStatus.ON_TRACK
    changes = refused(lambda: reporting.activity_progress_save(progress=mine, user=world.focal_a), item)
    assert [label for label, _before, _after in changes] == ["tiến độ (%)"]
    assert changes[0][1:] == ("10", "30")


def test_an_outdated_indicator_period_is_refused_and_its_breakdown_is_not_saved(world):
    from planning.models import DisaggregatedValue, ValueKind

    item = services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=world.focal_a, target_value=Decimal(10))
    mine, theirs = reload(item), reload(item)
    theirs.target_value = Decimal("12.5")
    services.indicator_period_save(period=theirs, user=world.coordinator, reason="Sửa chỉ tiêu")
    mine.actual_value = Decimal(4)
    breakdown = [DisaggregatedValue(period=mine, kind=ValueKind.ACTUAL, disaggregation=world.sex, category="female", value=4)]
    changes = refused(lambda: services.indicator_period_save(period=mine, user=world.focal_a, reason="Báo cáo", disaggregated_values=breakdown), item)
    assert changes == [("chỉ tiêu", "10", "12,5")]
    assert not DisaggregatedValue.objects.filter(period=item).exists()
    assert not ProgressReport.objects.exists()  # the draft the actual would have opened is rolled back with it


def test_an_outdated_budget_line_is_refused(world):
    mine, theirs = reload(world.line_a), reload(world.line_a)
    theirs.amount_vnd = Decimal(250_000_000)
    services.budget_line_save(line=theirs, user=world.coordinator, reason="Sửa")
    mine.note_vi = "Ghi chú"
    changes = refused(lambda: services.budget_line_save(line=mine, user=world.focal_a, reason="Sửa"), world.line_a)
    assert changes == [("số tiền (VND)", "100.000.000 ₫", "250.000.000 ₫")]


def test_an_outdated_budget_execution_is_refused(world):
    item = reporting.budget_execution_for(line=world.line_a)
    item.note_vi = "Bắt đầu"
    item = reporting.budget_execution_save(execution=item, user=world.focal_a)
    mine, theirs = reload(item), reload(item)
    theirs.committed_vnd, theirs.committed_on = Decimal(5_000_000), datetime.date(2025, 2, 3)
    reporting.budget_execution_save(execution=theirs, user=world.coordinator)
    mine.note_vi = "Của tôi"
    changes = {label: (before, after) for label, before, after in refused(lambda: reporting.budget_execution_save(execution=mine, user=world.focal_a), item)}
    assert changes["đã cam kết (VND)"] == ("—", "5.000.000 ₫")
    assert changes["ngày cam kết"] == ("—", "03/02/2025")


def test_an_outdated_report_is_refused(world):
    report = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    mine, theirs = reload(report), reload(report)
    reporting.report_narrative_save(report=theirs, user=world.coordinator, narrative_vi="Của điều phối viên")
    changes = refused(lambda: reporting.report_narrative_save(report=mine, user=world.focal_a, narrative_vi="Của tôi"), report)
    assert [(label, after) for label, _before, after in changes] == [("thuyết minh (tiếng Việt)", "Của điều phối viên")]
    assert mine.narrative_vi == "Của tôi"


def test_a_report_submitted_meanwhile_shows_its_status_in_the_conflict(world):
    report = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    report = reporting.report_narrative_save(report=report, user=world.focal_a, narrative_vi="Tường thuật")
    mine = reload(report)
    reporting.report_submit(report=reload(report), user=world.focal_a)
    changes = refused(lambda: reporting.report_narrative_save(report=mine, user=world.focal_a, narrative_vi="Thêm"), report)
    assert ("trạng thái", "Dự thảo", "Đã gửi") in changes


def filled(world):
    item = services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=world.focal_a, actual_value=Decimal(3))
    return ProgressReport.objects.get(agency=world.agency_a), item


def test_a_double_submit_does_the_work_once(world):
    report, _item = filled(world)
    reporting.report_submit(report=report, user=world.focal_a)
    with pytest.raises(ValidationError, match="đã ở trạng thái"):
        reporting.report_submit(report=report, user=world.focal_a)  # the same (now outdated) object, as a second click sends
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.SUBMITTED).count() == 1


def test_a_double_approve_does_the_work_once(world):
    report, _item = filled(world)
    reporting.report_submit(report=report, user=world.focal_a)
    reporting.report_approve(report=report, user=world.coordinator)
    count = ApprovedValue.objects.filter(report=report).count()
    assert count == 1
    with pytest.raises(ValidationError, match="đã ở trạng thái"):
        reporting.report_approve(report=report, user=world.coordinator)
    with pytest.raises(ValidationError):
        reporting.report_approve(report=report, user=world.other_coordinator)
    assert ApprovedValue.objects.filter(report=report).count() == count
    assert ReportTransition.objects.filter(report=report, to_status=ReportStatus.APPROVED).count() == 1


def test_opening_the_draft_twice_yields_one_report(world):
    first = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    second = reporting.report_open(agency=world.agency_a, period=world.period, user=world.coordinator)
    assert first.pk == second.pk
    assert ProgressReport.objects.filter(agency=world.agency_a, period=world.period).count() == 1


def test_two_open_revisions_are_refused_by_the_database(world):
    from django.db import IntegrityError, transaction

    report = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(agency=world.agency_a, period=world.period, revision=report.revision + 1)


def test_items_saved_by_two_people_one_after_the_other_join_one_report(world):
    services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=world.focal_a, actual_value=Decimal(3))
    item = reporting.activity_progress_for(activity=world.activity_a, delivery_plan=world.delivery_plan)
    item.progress = 10
    reporting.activity_progress_save(progress=item, user=world.coordinator)
    report = ProgressReport.objects.get(agency=world.agency_a)
    assert set(report.editors.all()) == {world.focal_a, world.coordinator}
    assert IndicatorPeriod.objects.filter(indicator=world.indicator_a).count() == 1


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Two requests at once need two connections and row locks: PostgreSQL's, not SQLite's single writer.

    @pytest.mark.django_db(transaction=True)
    def test_two_first_saves_at_once_open_one_draft(reference_data):
        world = reporting_world()
        start = threading.Barrier(2)
        opened, failed = [], []

        def open_draft(user):
            try:
                start.wait(timeout=10)
                opened.append(reporting.report_open(agency=world.agency_a, period=world.period, user=user).pk)
            except Exception as error:  # reported by the assertion below
                failed.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=open_draft, args=(user,)) for user in (world.focal_a, world.coordinator)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert failed == []
        assert len(opened) == 2 and opened[0] == opened[1]
        assert ProgressReport.objects.filter(agency=world.agency_a, period=world.period).count() == 1

    @pytest.mark.django_db(transaction=True)
    def test_an_item_saved_while_its_report_is_being_submitted_waits_and_is_refused(reference_data):
        world = reporting_world()
        item = services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=world.focal_a, actual_value=Decimal(3))
        report = ProgressReport.objects.get(agency=world.agency_a)
        submitting = threading.Event()
        outcome = {}

        def submit():
            try:
                with transaction.atomic():
                    reporting.report_submit(report=report, user=world.focal_a)
                    submitting.set()
                    time.sleep(1)  # the correction below arrives before this submission commits
            finally:
                submitting.set()
                connection.close()

        def correct():
            try:
                submitting.wait(timeout=10)
                period = reload(item)
                period.actual_value = Decimal(4)
                services.indicator_period_save(period=period, user=world.focal_a, reason="Sửa")
                outcome["saved"] = True
            except ValidationError as error:
                outcome["refused"] = error.messages
            finally:
                connection.close()

        threads = [threading.Thread(target=submit), threading.Thread(target=correct)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert "saved" not in outcome
        assert "khoá" in outcome["refused"][0]
        assert reload(item).actual_value == 3
        assert reload(report).status == ReportStatus.SUBMITTED
