"""Reasons the system writes into history, stored as what happened and shown in the reader's language.

A service records `reason(gettext_noop("Approved by %(number)s of %(date)s"), number=..., date=day)`:
the stored text is a small JSON object holding the English message id and its parameters (dates as
ISO), never a sentence in one language. `render_reason()` translates it when the page is read and
writes dates and numbers the reader's way. A reason a person typed is stored and shown as typed.
Rows written before this (plain English sentences) are recognised and translated too.
"""

import datetime
import json
import re

from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from simple_history.template_utils import HistoricalRecordContextHelper

from napwps import formatting

MARKER = "napwps"  # {"napwps": "<message id>", "params": {...}}
DATE_PARAM = "__date__"

# Sentences the services wrote as plain English before reasons were stored as messages. The admin
# also wrote its default reason "Created" in the language of the request that made the change.
LEGACY_MESSAGES = [
    gettext_noop("Created"),
    gettext_noop("Delivery plan opened"),
    gettext_noop("Submitted for approval"),
    gettext_noop("Published"),
    gettext_noop("Output created"),
    gettext_noop("Activity created"),
    gettext_noop("Budget line added"),
    gettext_noop("Indicator created"),
    gettext_noop("Target and actual recorded"),
    gettext_noop("Computed from event attendance"),
]
LEGACY_PATTERNS = [
    (re.compile(r"^Approved by (?P<number>.+) of (?P<date>\d{2}/\d{2}/\d{4})$"), gettext_noop("Approved by %(number)s of %(date)s")),
    (re.compile(r"^Merged person #(?P<duplicate>\d+) into #(?P<keep>\d+)$"), gettext_noop("Merged person #%(duplicate)s into #%(keep)s")),
]


def reason(message: str, **params) -> str:
    """What happened, for `_change_reason`: an English message id (marked with gettext_noop) and its parameters."""
    encoded = {}
    for key, value in params.items():
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            encoded[key] = {DATE_PARAM: value.isoformat()}
        else:
            encoded[key] = value if isinstance(value, int | float | bool) or value is None else str(value)
    return json.dumps({MARKER: message, "params": encoded}, ensure_ascii=False, sort_keys=True)


def _display(value) -> str:
    if isinstance(value, dict) and DATE_PARAM in value:
        try:
            return formatting.short_date(datetime.date.fromisoformat(value[DATE_PARAM]))
        except ValueError:
            return str(value[DATE_PARAM])
    return "" if value is None else str(value)


def _decode(stored: str) -> tuple[str, dict] | None:
    if not stored.startswith("{"):
        return None
    try:
        data = json.loads(stored)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get(MARKER), str):
        return None
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    return data[MARKER], params


def _interpolate(message: str, params: dict) -> str:
    translated = gettext(message)
    values = {key: _display(value) for key, value in params.items()}
    try:
        return translated % values if values else translated
    except (KeyError, TypeError, ValueError):
        return message % values if values else message


def _legacy(stored: str) -> str | None:
    text = stored.strip()
    for message in LEGACY_MESSAGES:
        if text == message or any(text == _in(language, message) for language in ("vi", "en")):
            return gettext(message)
    for pattern, message in LEGACY_PATTERNS:
        match = pattern.match(text)
        if match:
            params = match.groupdict()
            if "date" in params:
                params["date"] = {DATE_PARAM: datetime.datetime.strptime(params["date"], "%d/%m/%Y").date().isoformat()}
            return _interpolate(message, params)
    return None


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return gettext(message)


def render_reason(stored) -> str:
    """A history reason in the reader's language: a system message translated, a person's words as typed."""
    if not stored:
        return ""
    stored = str(stored)
    decoded = _decode(stored)
    if decoded is not None:
        return _interpolate(*decoded)
    legacy = _legacy(stored)
    return legacy if legacy is not None else stored


# The "Changes" column of the history pages ---------------------------------------------------


class LabelledChanges(HistoricalRecordContextHelper):
    """simple-history's change list, with choice labels (never internal codes), local dates and numbers."""

    def __init__(self, model, record, older):
        super().__init__(model, record)
        self.older = older

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        if value is None or value == "":
            return formatting.PLACEHOLDER
        if field.choices:
            labels = {str(code): label for code, label in field.flatchoices}
            return str(labels.get(str(value), value))
        source = self.older if value is change.old else self.record
        custom = getattr(type(source.instance), f"get_{field.name}_display", None) if source is not None else None
        if custom is not None:
            instance = source.instance
            setattr(instance, field.attname, value)
            return str(custom(instance))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, datetime.date):
            return formatting.short_date(value)
        if field.get_internal_type() == "DecimalField" or isinstance(value, float):
            return formatting.number(value)
        return value


def changes_for(record, page_obj, model) -> list[dict]:
    """The changes `record` made against the next older record on the page (as simple-history's view diffs)."""
    records = list(page_obj.object_list) if page_obj is not None else []
    try:
        index = next(i for i, candidate in enumerate(records) if candidate.pk == record.pk)
    except StopIteration:
        return []
    if index + 1 >= len(records):
        return []
    older = records[index + 1]
    delta = record.diff_against(older, foreign_keys_are_objs=True)
    return LabelledChanges(model, record, older).context_for_delta_changes(delta)
