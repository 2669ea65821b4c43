"""Test scores (Kirkpatrick level 2) from the participant list the portal exports, with its pre-test
and post-test columns filled in. A blank cell leaves a score as it is; a row is a CHANGE (old -> new)
when a score changes, else UNCHANGED."""

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from planning.importing import CHANGE, UNCHANGED, Change, DecimalColumn, Importer, IntegerColumn, Row, RowPreview
from planning.importing.cells import text

from .. import exports, services
from ..models import Participation

SCORE_KEYS = ("pre_test_score", "post_test_score")


def export_headers(language: str) -> dict[str, str]:
    """The headers `exports.participant_list` writes over the ID (its first column) and the scores."""
    with translation.override(language):
        return {
            "id": exports.participant_header()[0],
            "pre_test_score": exports.label(Participation, "pre_test_score"),
            "post_test_score": exports.label(Participation, "post_test_score"),
        }


def score_columns() -> tuple:
    """The columns a scores file needs, as the participant list names them in Vietnamese and English."""
    vi, en = export_headers("vi"), export_headers("en")
    return (
        IntegerColumn(key="id", header_vi=vi["id"], header_en=en["id"], required=True),
        *(DecimalColumn(key=name, header_vi=vi[name], header_en=en[name], required=True, minimum=0, maximum=100, places=2) for name in SCORE_KEYS),
    )


class ScoresImporter(Importer):
    kind = "events.scores"

    def __init__(self, *, user, target=None):
        super().__init__(user=user, target=target)
        self.columns = score_columns()

    def check_permission(self) -> None:
        services.check_manages(self.user, self.target)

    def missing_columns_message(self, sheet: str, columns: str) -> str:
        return _("Row 1 of sheet “%(sheet)s” lacks the columns %(columns)s: use the participant list downloaded from this event.") % {
            "sheet": sheet, "columns": columns,
        }  # fmt: skip

    def empty_message(self, sheet: str) -> str:
        return _("The sheet “%(sheet)s” has no participants.") % {"sheet": sheet}

    def prepare(self) -> None:
        self.participations = {participation.pk: participation for participation in self.target.participations.select_related("person")}
        self.seen: dict[int, int] = {}

    def check_row(self, row: Row) -> None:
        preview = row.preview
        scores = {}
        for name in SCORE_KEYS:
            column = self.column(name)
            scores[name] = None if column.is_blank(row.cell(name)) else row.clean(name)
        participation = participation_of(row, "id", self.participations, self.seen)
        if participation is None and not text(row.cell("id")) and any(score is not None for score in scores.values()):
            row.fail("id", _("Without its ID a row cannot be matched to a participant: copy it from this event's participant list."))
        preview.values = {name: None if score is None else str(score) for name, score in scores.items()}
        preview.display = {"id": text(row.cell("id")), "name": participation.person.full_name if participation else ""}
        for name in SCORE_KEYS:
            current = getattr(participation, name) if participation else None
            preview.display[name] = text(scores[name]) if scores[name] is not None else text(current)
            if participation and scores[name] is not None and scores[name] != current:
                preview.changes.append(Change(label=str(self.column(name).label), old=text(current) or "–", new=text(scores[name])))
        if participation is not None:
            preview.ref["participation"] = participation.pk
        if preview.changes:
            preview.action = CHANGE
        else:
            preview.action = UNCHANGED
            if participation is None:
                preview.note = _("No ID and no score: nothing to import.")

    def apply(self, preview):
        self.by_pk = self.target.participations.in_bulk([row.ref["participation"] for row in preview.rows if row.action == CHANGE])
        return super().apply(preview)

    def apply_row(self, row: RowPreview, values: dict) -> None:
        participation = self.by_pk.get(row.ref["participation"])
        if participation is None:
            raise ValidationError(_("the data changed since the preview. Upload the file again."))
        scores = {name: getattr(participation, name) if values[name] is None else values[name] for name in SCORE_KEYS}
        services.scores_record(participation=participation, user=self.user, **scores)


def participation_of(row: Row, key: str, participations: dict, seen: dict[int, int]) -> Participation | None:
    """The participation whose ID the row's `key` column holds, when it is one of the event's not seen
    on an earlier row; None (with an error on the row) otherwise, or when the cell is blank."""
    written = text(row.cell(key))
    if not written:
        return None
    pk = row.clean(key)
    if pk is None:
        return None
    if pk not in participations:
        row.fail(key, _("“%(value)s” is not the ID of a participant of this event: copy it from this event's participant list.") % {"value": written})
        return None
    if pk in seen:
        row.fail(key, _("The ID %(id)s is also on row %(row)s.") % {"id": pk, "row": seen[pk]})
        return None
    seen[pk] = row.number
    return participations[pk]
