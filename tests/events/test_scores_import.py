"""events.importing.ScoresImporter and FeedbackImporter: test scores come back in the participant list the portal exports, evaluation
forms in their own template; all or nothing, every problem named by sheet, row and column."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from events import exports, importing
from events.models import Feedback, Participation
from planning.importing import Preview
from tests.factories import EventFactory, FeedbackFactory, ParticipationFactory, PersonFactory, UserFactory, coordinator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def organiser(db):
    return UserFactory(username="organiser")


@pytest.fixture
def event(reference_data, organiser):
    return EventFactory(managers=[organiser])


def saved(workbook, name="list.xlsx") -> SimpleUploadedFile:
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(name, content.getvalue(), content_type=XLSX)


def score_columns(sheet) -> tuple[int, int]:
    """The pre-test and post-test columns of an exported participant list, found by their headers."""
    header = [cell.value for cell in sheet[1]]
    titles = {}
    for language in ("vi", "en"):
        with translation.override(language):
            titles.update({exports.label(Participation, "pre_test_score"): "pre", exports.label(Participation, "post_test_score"): "post"})
    found = {titles[title]: index for index, title in enumerate(header, start=1) if title in titles}
    return found["pre"], found["post"]


def filled_in(event, scores: dict, *, extra_rows=(), language="vi") -> SimpleUploadedFile:
    """The event's participant list as the portal exports it, with `scores` typed in: {participation pk: (pre, post)}.
    `extra_rows` are appended as (ID, pre, post)."""
    with translation.override(language):
        workbook = openpyxl.load_workbook(io.BytesIO(exports.participant_list(event)))
    sheet = workbook.worksheets[0]
    pre, post = score_columns(sheet)
    for row in range(2, sheet.max_row + 1):
        pk = sheet.cell(row=row, column=1).value
        if pk in scores:
            sheet.cell(row=row, column=pre, value=scores[pk][0])
            sheet.cell(row=row, column=post, value=scores[pk][1])
    for pk, pre_score, post_score in extra_rows:
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=pk)
        sheet.cell(row=row, column=pre, value=pre_score)
        sheet.cell(row=row, column=post, value=post_score)
    return saved(workbook)


def scores_preview(event, file, user=None) -> Preview:
    return importing.ScoresImporter(user=user, target=event).preview(file)


def scores_apply(event, result, user) -> int:
    with transaction.atomic():
        return importing.ScoresImporter(user=user, target=event).apply(result)["change"]


def feedback_preview(event, file, user=None) -> Preview:
    return importing.FeedbackImporter(user=user, target=event).preview(file)


def feedback_apply(event, result, user) -> int:
    with transaction.atomic():
        return importing.FeedbackImporter(user=user, target=event).apply(result)["create"]


def row_of(upload: SimpleUploadedFile, pk) -> int:
    sheet = openpyxl.load_workbook(io.BytesIO(upload.read())).worksheets[0]
    upload.seek(0)
    return next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row=row, column=1).value == pk)


def scores(participation) -> tuple:
    participation.refresh_from_db()
    return participation.pre_test_score, participation.post_test_score


def feedback_file(rows) -> SimpleUploadedFile:
    """The feedback template with `rows` typed in: (satisfaction, relevance, comments, participation ID)."""
    workbook = openpyxl.load_workbook(io.BytesIO(importing.feedback_template()))
    sheet = workbook.worksheets[0]
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    return saved(workbook, "feedback.xlsx")


# Test scores -------------------------------------------------------------------------------------


def test_participant_list_filled_in_with_scores_and_uploaded_back_sets_them(event, organiser):
    lan, minh = ParticipationFactory(event=event), ParticipationFactory(event=event)

    result = scores_preview(event, filled_in(event, {lan.pk: (45, 82.5), minh.pk: ("60", "91,25")}))

    assert result.errors == []
    assert (result.counts["change"], result.counts["unchanged"], result.counts["error"]) == (2, 0, 0)
    assert scores(lan) == (None, None)  # a preview saves nothing
    assert scores_apply(event, result, organiser) == 2
    assert scores(lan) == (Decimal("45"), Decimal("82.5"))
    assert scores(minh) == (Decimal("60"), Decimal("91.25"))


def test_participant_list_exported_in_english_is_read_too(event, organiser):
    lan = ParticipationFactory(event=event)

    result = scores_preview(event, filled_in(event, {lan.pk: (30, 70)}, language="en"))

    assert result.errors == []
    scores_apply(event, result, organiser)
    assert scores(lan) == (Decimal(30), Decimal(70))


def test_foreign_id_out_of_range_and_text_scores_are_errors_with_row_and_column_and_nothing_is_saved(event, organiser):
    lan, minh, hoa = (ParticipationFactory(event=event) for _ in range(3))
    stranger = ParticipationFactory(event=EventFactory())
    upload = filled_in(event, {lan.pk: (120, 80), minh.pk: (50, "tám mươi"), hoa.pk: (40, 70)}, extra_rows=[(stranger.pk, 50, 60)])
    rows = {pk: row_of(upload, pk) for pk in (lan.pk, minh.pk, stranger.pk)}

    result = scores_preview(event, upload)

    assert result.has_errors
    assert {(error.row, error.column) for error in result.errors} == {(rows[lan.pk], "S"), (rows[minh.pk], "T"), (rows[stranger.pk], "A")}
    by_row = {error.row: error for error in result.errors}
    assert by_row[rows[lan.pk]].header == "Điểm kiểm tra trước (%)"
    assert by_row[rows[minh.pk]].header == "Điểm kiểm tra sau (%)"
    assert by_row[rows[stranger.pk]].header == "Mã số"
    assert str(by_row[rows[lan.pk]]).startswith(f"{result.sheet}!S{rows[lan.pk]} (Điểm kiểm tra trước (%)): ")
    assert str(stranger.pk) in by_row[rows[stranger.pk]].reason
    with pytest.raises(ValidationError):
        scores_apply(event, result, organiser)
    assert [scores(participation) for participation in (lan, minh, hoa)] == [(None, None)] * 3


def test_blank_cells_leave_scores_unchanged(event, organiser):
    lan = ParticipationFactory(event=event, pre_test_score=40, post_test_score=70)
    minh = ParticipationFactory(event=event, pre_test_score=55, post_test_score=65)

    result = scores_preview(event, filled_in(event, {lan.pk: (None, 90), minh.pk: (None, "  ")}))

    assert result.errors == []
    assert {row.ref["participation"]: row.action for row in result.rows} == {lan.pk: "change", minh.pk: "unchanged"}
    assert [(change.old, change.new) for change in result.rows[0].changes] == [("70", "90")]
    assert scores_apply(event, result, organiser) == 1
    assert scores(lan) == (Decimal(40), Decimal(90))
    assert scores(minh) == (Decimal(55), Decimal(65))


def test_the_list_uploaded_back_untouched_changes_nothing(event):
    ParticipationFactory(event=event, pre_test_score=40, post_test_score=70)

    result = scores_preview(event, filled_in(event, {}))

    assert result.errors == []
    assert (result.counts["change"], result.counts["unchanged"]) == (0, 1)
    assert not result.applicable


def test_the_same_id_twice_is_an_error_on_the_second_row(event):
    lan = ParticipationFactory(event=event)
    upload = filled_in(event, {lan.pk: (40, 60)}, extra_rows=[(lan.pk, 45, 65)])

    result = scores_preview(event, upload)

    assert [(error.row, error.column) for error in result.errors] == [(3, "A")]


def test_scores_without_an_id_are_an_error(event):
    ParticipationFactory(event=event)

    result = scores_preview(event, filled_in(event, {}, extra_rows=[(None, 50, 60)]))

    assert [(error.row, error.column) for error in result.errors] == [(3, "A")]


def test_a_file_without_the_score_columns_or_not_a_workbook_is_refused_without_raising(event):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Mã số", "Họ và tên"])
    workbook.active.append([1, "Lan"])

    missing = scores_preview(event, saved(workbook))
    garbage = scores_preview(event, SimpleUploadedFile("list.xlsx", b"not a workbook"))

    assert missing.rows == []
    assert "Điểm kiểm tra trước (%)" in missing.file_errors[0].reason
    assert "Pre-test" not in missing.file_errors[0].reason
    assert garbage.has_errors
    assert garbage.file_errors[0].row is None


def test_scores_preview_survives_a_json_round_trip_and_can_then_be_applied(event, organiser):
    lan = ParticipationFactory(event=event)
    result = scores_preview(event, filled_in(event, {lan.pk: (35.5, 88)}))

    restored = Preview.from_dict(json.loads(json.dumps(result.to_dict())))

    assert restored == result
    assert restored.counts == {"create": 0, "change": 1, "unchanged": 0, "error": 0}
    scores_apply(event, restored, organiser)
    assert scores(lan) == (Decimal("35.5"), Decimal(88))


def test_only_the_events_organising_staff_may_import_scores(event):
    lan = ParticipationFactory(event=event)
    result = scores_preview(event, filled_in(event, {lan.pk: (35, 88)}))

    with pytest.raises(PermissionDenied):
        scores_apply(event, result, UserFactory(username="stranger"))
    assert scores(lan) == (None, None)


# Evaluation forms --------------------------------------------------------------------------------


def test_feedback_template_has_bilingual_headers_and_a_guide():
    workbook = openpyxl.load_workbook(io.BytesIO(importing.feedback_template()))

    assert workbook.sheetnames == ["Phản hồi (Feedback)", "Hướng dẫn (Guide)"]
    assert [cell.value for cell in workbook.worksheets[0][1]] == [
        "Mức độ hài lòng (Satisfaction) *", "Mức độ phù hợp (Relevance) *", "Ý kiến góp ý (Comments)", "Mã số (ID)",
    ]  # fmt: skip


def test_feedback_import_creates_the_forms(event, organiser):
    lan = ParticipationFactory(event=event)

    result = feedback_preview(event, feedback_file([(5, 4, "Rất hữu ích\nCần thêm thời gian", lan.pk), (3, 2.0, None, None)]))

    assert result.errors == []
    assert (result.counts["create"], result.counts["error"]) == (2, 0)
    assert not Feedback.objects.exists()
    assert feedback_apply(event, result, organiser) == 2
    linked = Feedback.objects.get(participation=lan)
    assert (linked.event, linked.satisfaction, linked.relevance, linked.comments) == (event, 5, 4, "Rất hữu ích\nCần thêm thời gian")
    anonymous = Feedback.objects.get(participation=None)
    assert (anonymous.event, anonymous.satisfaction, anonymous.relevance, anonymous.comments) == (event, 3, 2, "")


def test_feedback_import_refuses_a_satisfaction_of_7(event, organiser):
    result = feedback_preview(event, feedback_file([(4, 4, "Tốt", None), (7, 4, None, None)]))

    assert [(error.row, error.column, error.header) for error in result.errors] == [(3, "A", "Mức độ hài lòng")]
    with pytest.raises(ValidationError):
        feedback_apply(event, result, organiser)
    assert not Feedback.objects.exists()


def test_feedback_for_another_events_participant_or_someone_who_already_answered_is_an_error(event):
    answered = ParticipationFactory(event=event)
    FeedbackFactory(event=event, participation=answered)
    stranger = ParticipationFactory(event=EventFactory(), person=PersonFactory())

    result = feedback_preview(event, feedback_file([(4, 4, None, answered.pk), (4, 4, None, stranger.pk), (4, "", None, None)]))

    assert [(error.row, error.column) for error in result.errors] == [(2, "D"), (3, "D"), (4, "B")]


def test_feedback_preview_survives_a_json_round_trip(event):
    result = feedback_preview(event, feedback_file([(4, 5, "Tốt", None)]))

    restored = Preview.from_dict(json.loads(json.dumps(result.to_dict())))

    assert restored == result
    assert restored.counts == {"create": 1, "change": 0, "unchanged": 0, "error": 0}


# The pages ---------------------------------------------------------------------------------------


IMPORT_PAGES = ("scores-import", "feedback-import", "feedback-template")


def test_import_pages_answer_the_events_organiser_and_a_coordinator(event, organiser, client):
    for user in (organiser, coordinator()):
        client.force_login(user)
        for name in IMPORT_PAGES:
            assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 200


def test_import_pages_are_not_found_for_an_organiser_of_another_event(event, client):
    other = UserFactory(username="other-organiser")
    EventFactory(managers=[other])
    client.force_login(other)

    for name in IMPORT_PAGES:
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 404
    for name in ("scores-import-apply", "feedback-import-apply"):
        assert client.post(reverse(f"events:{name}", args=[event.pk])).status_code == 404


def test_scores_are_imported_through_the_pages(event, organiser, client):
    lan = ParticipationFactory(event=event)
    client.force_login(organiser)

    page = client.post(reverse("events:scores-import", args=[event.pk]), {"file": filled_in(event, {lan.pk: (20, 75)})})
    assert page.status_code == 200
    assert reverse("events:scores-import-apply", args=[event.pk]) in page.content.decode()
    assert client.get(reverse("events:scores-import-apply", args=[event.pk])).status_code == 405
    response = client.post(reverse("events:scores-import-apply", args=[event.pk]), {"preview": page.context["stored"].pk})

    assert response.status_code == 302
    assert response["Location"] == reverse("events:scores-edit", args=[event.pk])
    assert scores(lan) == (Decimal(20), Decimal(75))


def test_apply_is_refused_while_errors_remain(event, organiser, client):
    lan = ParticipationFactory(event=event)
    client.force_login(organiser)

    page = client.post(reverse("events:scores-import", args=[event.pk]), {"file": filled_in(event, {lan.pk: (20, 120)})})
    assert page.context["preview"].has_errors
    assert reverse("events:scores-import-apply", args=[event.pk]) not in page.content.decode()
    response = client.post(reverse("events:scores-import-apply", args=[event.pk]), {"preview": page.context["stored"].pk})
    assert response["Location"] == reverse("events:scores-import", args=[event.pk])
    assert scores(lan) == (None, None)

    page = client.post(reverse("events:feedback-import", args=[event.pk]), {"file": feedback_file([(7, 4, None, None)])})
    assert page.context["preview"].has_errors
    assert reverse("events:feedback-import-apply", args=[event.pk]) not in page.content.decode()
    response = client.post(reverse("events:feedback-import-apply", args=[event.pk]), {"preview": page.context["stored"].pk})
    assert response["Location"] == reverse("events:feedback-import", args=[event.pk])
    assert not Feedback.objects.exists()


def test_feedback_is_imported_through_the_pages(event, organiser, client):
    client.force_login(organiser)

    page = client.post(reverse("events:feedback-import", args=[event.pk]), {"file": feedback_file([(5, 5, "Rất tốt", None)])})
    response = client.post(reverse("events:feedback-import-apply", args=[event.pk]), {"preview": page.context["stored"].pk})

    assert response["Location"] == reverse("events:feedback-create", args=[event.pk])
    assert Feedback.objects.get(event=event).comments == "Rất tốt"
    assert Participation.objects.count() == 0
