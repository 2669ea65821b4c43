"""Evaluation forms (Kirkpatrick level 1) typed into their template, one form per row: each row is a
new form (CREATE), linked to a participant when it gives their ID, anonymous otherwise."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from planning.importing import CREATE, Importer, IntegerColumn, Row, RowPreview, TextColumn
from planning.importing.cells import labels, text
from planning.importing.template import template_workbook

from .. import services
from ..models import Feedback
from .scores import export_headers, participation_of

SHEET = "Phản hồi (Feedback)"
MARK_KEYS = ("satisfaction", "relevance")


def _aliases(name: str) -> tuple[str, ...]:
    return labels(Feedback._meta.get_field(name).verbose_name)


def feedback_columns() -> tuple:
    """The template's columns; a file may also use the form's labels and the participant list's ID header."""
    return (
        IntegerColumn(
            key="satisfaction", header_vi="Mức độ hài lòng", header_en="Satisfaction", required=True, width=18, minimum=1, maximum=5,
            guide_vi="Số nguyên từ 1 (rất không hài lòng) đến 5 (rất hài lòng).", guide_en="A whole number from 1 (very dissatisfied) to 5 (very satisfied).",
            aliases=_aliases("satisfaction"),
        ),
        IntegerColumn(
            key="relevance", header_vi="Mức độ phù hợp", header_en="Relevance", required=True, width=18, minimum=1, maximum=5,
            guide_vi="Số nguyên từ 1 (không phù hợp) đến 5 (rất phù hợp) với công việc của người trả lời.",
            guide_en="A whole number from 1 (not relevant) to 5 (very relevant) to the respondent's work.",
            aliases=_aliases("relevance"),
        ),
        TextColumn(
            key="comments", header_vi="Ý kiến góp ý", header_en="Comments", guide_vi="Không bắt buộc.", guide_en="Optional.", width=60,
            multiline=True, max_length=4000, aliases=_aliases("comments"),
        ),
        IntegerColumn(
            key="participation", header_vi="Mã số", header_en="ID", width=12,
            guide_vi="Không bắt buộc: mã số của người tham dự, như trong danh sách người tham dự tải từ hệ thống. Để trống nếu phiếu không ghi tên.",
            guide_en="Optional: the participant's ID, as in the participant list downloaded from the portal. Blank for an anonymous form.",
            aliases=(export_headers("vi")["id"], export_headers("en")["id"]),
        ),
    )  # fmt: skip


def feedback_template() -> bytes:
    """The .xlsx to type evaluation forms into: one form per row, bilingual headers, and a guide."""
    return template_workbook(
        feedback_columns(), sheet=SHEET,
        title="Hướng dẫn nhập phiếu đánh giá (How to fill in the evaluation forms)",
        intro=(
            "Mỗi dòng là một phiếu đánh giá. Không sửa dòng tiêu đề; các cột có dấu * là bắt buộc; dòng trống được bỏ qua. "
            "(One evaluation form per row. Do not change the header row; columns marked * are required; empty rows are skipped.)"
        ),
    )  # fmt: skip


class FeedbackImporter(Importer):
    kind = "events.feedback"
    sheet_names = (SHEET,)
    skip_sheets = ("Hướng dẫn (Guide)",)

    def __init__(self, *, user, target=None):
        super().__init__(user=user, target=target)
        self.columns = feedback_columns()

    def check_permission(self) -> None:
        services.check_manages(self.user, self.target)

    def empty_message(self, sheet: str) -> str:
        return _("The sheet “%(sheet)s” has no evaluation forms.") % {"sheet": sheet}

    def prepare(self) -> None:
        self.participations = {participation.pk: participation for participation in self.target.participations.select_related("person")}
        self.answered = set(Feedback.objects.filter(participation__event=self.target).values_list("participation_id", flat=True))
        self.seen: dict[int, int] = {}

    def check_row(self, row: Row) -> None:
        preview = row.preview
        for name in (*MARK_KEYS, "comments"):
            preview.values[name] = row.clean(name)
            preview.display[name] = text(row.cell(name)) if name in MARK_KEYS else preview.values[name] or ""
        participation = participation_of(row, "participation", self.participations, self.seen) if row.has("participation") else None
        if participation is not None and participation.pk in self.answered:
            row.fail("participation", _("%(person)s already has an evaluation form.") % {"person": participation.person.full_name})
            participation = None
        preview.values["participation"] = participation.pk if participation else None
        preview.display["id"] = text(row.cell("participation"))
        preview.display["participant"] = participation.person.full_name if participation else ("" if preview.display["id"] else _("Anonymous"))
        preview.action = CREATE

    def apply(self, preview):
        self.by_pk = self.target.participations.in_bulk([row.values["participation"] for row in preview.rows if row.values.get("participation")])
        return super().apply(preview)

    def apply_row(self, row: RowPreview, values: dict) -> None:
        participation = None
        if values.get("participation"):
            participation = self.by_pk.get(values["participation"])
            if participation is None:
                raise ValidationError(_("the data changed since the preview. Upload the file again."))
        services.feedback_record(
            event=self.target, user=self.user, participation=participation,
            satisfaction=values["satisfaction"], relevance=values["relevance"], comments=values["comments"] or "",
        )  # fmt: skip
