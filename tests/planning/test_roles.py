"""Who may do what in the reporting cycle, decided once in planning/roles.py and cached per request."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from planning import roles, services
from planning.models import ActivityProgress, Evidence, IndicatorPeriod, ProgressReport, ReportStatus
from planning.services import reporting
from tests.factories import UserFactory, reload, reporting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference_data):
    return reporting_world()


def submitted_report(world, user):
    """Agency A's report with an actual written by `user`, submitted by A's focal point."""
    services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=user, actual_value=Decimal(3))
    report = ProgressReport.objects.get(agency=world.agency_a)
    return reporting.report_submit(report=report, user=world.focal_a)


def test_nobody_approves_a_report_they_submitted(world):
    services.indicator_period_set(indicator=world.indicator_a, period=world.period, user=world.focal_a, actual_value=Decimal(3))
    report = ProgressReport.objects.get(agency=world.agency_a)
    report = reporting.report_submit(report=report, user=world.coordinator)  # on the agency's behalf
    with pytest.raises(PermissionDenied):
        reporting.report_approve(report=report, user=world.coordinator)
    assert reporting.report_approve(report=report, user=world.other_coordinator).status == ReportStatus.APPROVED


def test_a_coordinator_who_edited_an_item_cannot_approve_or_return_but_another_can(world):
    report = submitted_report(world, world.coordinator)
    with pytest.raises(PermissionDenied):
        reporting.report_approve(report=report, user=world.coordinator)
    with pytest.raises(PermissionDenied):
        reporting.report_return(report=report, user=world.coordinator, comment="Sửa")
    assert reload(report).status == ReportStatus.SUBMITTED
    assert reporting.report_approve(report=report, user=world.other_coordinator).decided_by == world.other_coordinator


def test_a_coordinator_who_wrote_the_narrative_cannot_approve(world):
    report = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    reporting.report_narrative_save(report=report, user=world.coordinator, narrative_vi="Thay mặt cơ quan")
    report = reporting.report_submit(report=reload(report), user=world.focal_a)
    with pytest.raises(PermissionDenied):
        reporting.report_approve(report=report, user=world.coordinator)


def test_agency_a_cannot_write_agency_bs_items_or_report(world):
    with pytest.raises(PermissionDenied):
        services.indicator_period_set(indicator=world.indicator_b, period=world.period, user=world.focal_a, actual_value=Decimal(3))
    progress = reporting.activity_progress_for(activity=world.activity_b, delivery_plan=world.delivery_plan)
    progress.progress = 10
    with pytest.raises(PermissionDenied):
        reporting.activity_progress_save(progress=progress, user=world.focal_a)
    execution = reporting.budget_execution_for(line=world.line_b)
    execution.committed_vnd, execution.committed_on = Decimal(1), datetime.date(2025, 1, 2)
    with pytest.raises(PermissionDenied):
        reporting.budget_execution_save(execution=execution, user=world.focal_a)
    with pytest.raises(PermissionDenied):
        reporting.report_open(agency=world.agency_b, period=world.period, user=world.focal_a)
    assert not ProgressReport.objects.exists()
    assert not IndicatorPeriod.objects.exists() and not ActivityProgress.objects.exists()

    services.indicator_period_set(indicator=world.indicator_b, period=world.period, user=world.focal_b, actual_value=Decimal(3))
    report_b = ProgressReport.objects.get(agency=world.agency_b)
    with pytest.raises(PermissionDenied):
        reporting.report_narrative_save(report=report_b, user=world.focal_a, narrative_vi="Không phải của tôi")
    with pytest.raises(PermissionDenied):
        reporting.report_submit(report=report_b, user=world.focal_a)
    with pytest.raises(PermissionDenied):
        reporting.report_delete_draft(report=report_b, user=world.focal_a)
    assert reload(report_b).status == ReportStatus.DRAFT and reload(report_b).narrative_vi == ""


def evidence(report, *, public=False):
    item = Evidence(report=report, title_vi="Biên bản", original_name="bien-ban.pdf", content_type="application/pdf", size=4, is_public=public)
    item.file.save("bien-ban.pdf", ContentFile(b"%PDF"), save=False)
    item.save()
    return item


def test_visible_reports_and_evidence_are_scoped_to_the_agency(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report_a = reporting.report_open(agency=world.agency_a, period=world.period, user=world.focal_a)
    report_b = reporting.report_open(agency=world.agency_b, period=world.period, user=world.focal_b)
    private_a, private_b, public_b = evidence(report_a), evidence(report_b), evidence(report_b, public=True)
    reports, files = ProgressReport.objects.all(), Evidence.objects.all()

    assert set(roles.visible_reports(world.focal_a, reports)) == {report_a}
    assert set(roles.visible_reports(world.coordinator, reports)) == {report_a, report_b}
    assert set(roles.visible_evidence(world.focal_a, files)) == {private_a, public_b}
    assert set(roles.visible_evidence(world.coordinator, files)) == {private_a, private_b, public_b}
    assert set(roles.visible_evidence(AnonymousUser(), files)) == {public_b}
    assert not roles.visible_reports(AnonymousUser(), reports).exists()

    nobody = UserFactory(username="no.role")  # signed in, without a portal role or an agency
    assert not roles.visible_reports(nobody, reports).exists()
    assert set(roles.visible_evidence(nobody, files)) == {public_b}
    world.focal_a.is_active = False
    assert not roles.visible_reports(world.focal_a, reports).exists()


def test_only_coordinators_review_and_focal_points_write_their_own_agencys_report(world):
    assert roles.can_review(world.coordinator) and not roles.can_review(world.focal_a)
    assert roles.can_write_report(world.focal_a, world.agency_a.pk)
    assert not roles.can_write_report(world.focal_a, world.agency_b.pk)
    assert roles.can_write_report(world.coordinator, world.agency_b.pk)
    assert roles.can_use_workspace(world.focal_a) and roles.can_use_workspace(world.coordinator)
    assert not roles.can_use_workspace(UserFactory(username="no.role")) and not roles.can_use_workspace(AnonymousUser())


@pytest.mark.parametrize("who", ["focal_a", "coordinator"])
def test_permissions_cost_no_query_after_the_first_call_on_the_same_user(world, who, django_assert_num_queries):
    user = reload(getattr(world, who))  # as a request loads it
    report = ProgressReport(agency=world.agency_a, period=world.period)
    progress = ActivityProgress(activity=world.activity_a, delivery_plan=world.delivery_plan)

    def ask():
        return [
            roles.is_coordinator(user),
            roles.is_focal_point(user),
            roles.is_organiser(user),
            roles.agency_id_of(user),
            roles.user_agency(user),
            roles.can_review(user),
            roles.can_write_report(user, world.agency_a.pk),
            roles.can_write_report(user, world.agency_b.pk),
            roles.can_use_workspace(user),
            roles.can_edit(user, report),
            roles.can_edit(user, progress),
        ]

    first = ask()
    with django_assert_num_queries(0):
        again = ask()
        roles.visible_reports(user, ProgressReport.objects.all())
        roles.visible_evidence(user, Evidence.objects.all())
    assert again == first
    assert first[0] == (who == "coordinator")
    assert first[6] is True and first[7] is (who == "coordinator")
