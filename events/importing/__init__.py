"""Spreadsheets an event takes in, on the import framework of planning.importing: participants
(from the template), test scores (in the participant list the portal exports) and evaluation forms
(from their template). Each importer is a set of columns, a row check and one service call per row;
events.import_views shows their previews and applies them once."""

from .feedback import FeedbackImporter, feedback_template
from .participants import COLUMNS, COLUMNS_BY_KEY, SHEET, ParticipantImporter, template_workbook
from .scores import ScoresImporter

__all__ = [
    "COLUMNS",
    "COLUMNS_BY_KEY",
    "SHEET",
    "FeedbackImporter",
    "ParticipantImporter",
    "ScoresImporter",
    "feedback_template",
    "template_workbook",
]
