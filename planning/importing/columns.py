"""Columns of an import: each reads one cell, checks it and says what is wrong in words.

A column knows its headers in Vietnamese and English (a file may use either, or both as the
template writes them), whether it is required, how the template presents it (width, text format,
a dropdown of values, a guide line) and how to turn a cell into a value (`parse`). `parse` raises
`CellProblem` with the reason; the importer adds the sheet, row and column. Values are kept in the
preview as JSON (`dump`) and read back for the apply (`load`).
"""

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import cells


class CellProblem(Exception):
    """Why a cell cannot be imported, in words for the person who typed it."""


@dataclass(frozen=True, kw_only=True)
class Column:
    key: str
    header_vi: str
    header_en: str
    guide_vi: str = ""
    guide_en: str = ""
    required: bool = False
    width: int = 18
    aliases: tuple[str, ...] = ()  # other headers that name this column
    text_format: bool = False  # the template formats the column as text, so Excel keeps what is typed

    @property
    def header(self) -> str:
        return self.header_vi if self.header_vi == self.header_en else f"{self.header_vi} ({self.header_en})"

    @property
    def label(self) -> str:
        """The header in the reader's language, as messages name the column (a Vietnamese page
        says "Mã", never "Mã (Code)")."""
        return self.header_en if get_language() == "en" and self.header_en else self.header_vi

    def names(self) -> tuple[str, ...]:
        return (self.header, self.header_vi, self.header_en, self.key, *self.aliases)

    def is_blank(self, value) -> bool:
        return cells.text(value) == ""

    def clean(self, value, importer=None):
        """The cell's value, None when blank; raises CellProblem."""
        if self.is_blank(value):
            if self.required:
                raise CellProblem(_("This column is required."))
            return self.empty()
        return self.parse(value, importer)

    def empty(self):
        return None

    def parse(self, value, importer=None):
        return cells.text(value)

    def dump(self, value):
        return value

    def load(self, value):
        return value

    def display(self, value) -> str:
        return "" if value is None else cells.text(value)

    def template_values(self) -> list[str]:
        """What the template's dropdown offers (none: a free cell)."""
        return []

    def template_validation(self) -> dict | None:
        """openpyxl DataValidation arguments for a typed value (a whole number between...), if any."""
        return None


@dataclass(frozen=True, kw_only=True)
class TextColumn(Column):
    max_length: int | None = None
    multiline: bool = False  # a comment keeps its line breaks

    def empty(self):
        return ""

    def parse(self, value, importer=None) -> str:
        written = cells.text(value)
        if self.multiline and isinstance(value, str):  # a comment keeps its line breaks
            written = unicodedata.normalize("NFC", value).replace("\r\n", "\n").strip()
        if self.max_length is not None and len(written) > self.max_length:
            raise CellProblem(_("At most %(limit)s characters.") % {"limit": self.max_length})
        return written


@dataclass(frozen=True, kw_only=True)
class CodeColumn(TextColumn):
    """A code kept as written: '1.10' stays '1.10' (the template formats the column as text; a
    number Excel stored anyway is written as it shows, 1.1 as '1.1')."""

    text_format: bool = True

    def parse(self, value, importer=None) -> str:
        if isinstance(value, datetime.date | datetime.time):
            raise CellProblem(_("Excel turned this code into a date: format the column as text and type it again."))
        written = cells.text(value).replace(" ", "")
        if self.max_length is not None and len(written) > self.max_length:
            raise CellProblem(_("At most %(limit)s characters.") % {"limit": self.max_length})
        return written


@dataclass(frozen=True, kw_only=True)
class IntegerColumn(Column):
    minimum: int | None = None
    maximum: int | None = None

    def parse(self, value, importer=None) -> int:
        written = cells.text(value)
        number = cells.number(value, decimals=False)
        if number is None or number != int(number):
            raise CellProblem(_("“%(value)s” is not a whole number.") % {"value": written})
        number = int(number)
        self._check_range(number, written)
        return number

    def _check_range(self, number, written) -> None:
        if self.minimum is not None and self.maximum is not None and not self.minimum <= number <= self.maximum:
            raise CellProblem(_("%(value)s is not between %(min)s and %(max)s.") % {"value": written, "min": self.minimum, "max": self.maximum})
        if self.minimum is not None and number < self.minimum:
            raise CellProblem(_("%(value)s is less than %(min)s.") % {"value": written, "min": self.minimum})
        if self.maximum is not None and number > self.maximum:
            raise CellProblem(_("%(value)s is more than %(max)s.") % {"value": written, "max": self.maximum})

    def template_validation(self) -> dict | None:
        if self.minimum is None or self.maximum is None:
            return None
        return {"type": "whole", "operator": "between", "formula1": str(self.minimum), "formula2": str(self.maximum)}


@dataclass(frozen=True, kw_only=True)
class DecimalColumn(IntegerColumn):
    """A number with decimals: 85.5, '85,5' (the Vietnamese comma), '85%'. Rounded to `places`.
    With `thousands`, a lone separator before three digits groups thousands ('25.000' and '25,000'
    are 25000, as an exchange rate in đồng is written) instead of being refused as ambiguous."""

    places: int = 2
    thousands: bool = False

    def parse(self, value, importer=None) -> Decimal:
        written = cells.text(value)
        number = cells.number(value, decimals=not self.thousands)
        if number is None:
            raise CellProblem(_("“%(value)s” is not a number.") % {"value": written})
        self._check_range(number, written)
        return number.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)

    def dump(self, value):
        return None if value is None else str(value)

    def load(self, value):
        return None if value is None else Decimal(value)

    def template_validation(self) -> dict | None:
        return None


@dataclass(frozen=True, kw_only=True)
class AmountColumn(IntegerColumn):
    """An amount in đồng, which has no decimals: 1234567, '1.234.567 ₫', 'VND 1,234,567'."""

    minimum: int | None = 0

    def parse(self, value, importer=None) -> int:
        written = cells.text(value)
        number = cells.number(value, decimals=False)
        if number is None:
            raise CellProblem(_("“%(value)s” is not an amount in đồng.") % {"value": written})
        if number != int(number):
            raise CellProblem(_("An amount in đồng has no decimals: “%(value)s”.") % {"value": written})
        self._check_range(int(number), written)
        return int(number)

    def template_validation(self) -> dict | None:
        return None


@dataclass(frozen=True, kw_only=True)
class DateColumn(Column):
    """A date as dd/mm/yyyy, yyyy-mm-dd or an Excel date; never read month first. With `month`, a
    month kept as its first day and shown mm/yyyy, also written 03/2025, 'tháng 3/2025', 'March 2025'."""

    month: bool = False

    def parse(self, value, importer=None) -> datetime.date:
        found = cells.month(value) if self.month else cells.date(value) or cells.excel_serial(value)
        if found is None:
            if self.month:
                raise CellProblem(_("“%(value)s” is not a month: write it as mm/yyyy (03/2025) or dd/mm/yyyy.") % {"value": cells.text(value)})
            raise CellProblem(_("“%(value)s” is not a date: write it as dd/mm/yyyy (30/11/2026) or yyyy-mm-dd.") % {"value": cells.text(value)})
        return found

    def dump(self, value):
        return None if value is None else value.isoformat()

    def load(self, value):
        return None if value is None else datetime.date.fromisoformat(value)

    def display(self, value) -> str:
        return "" if value is None else f"{value:%m/%Y}" if self.month else f"{value:%d/%m/%Y}"


YES_WORDS = {"có", "co", "c", "yes", "y", "x", "1", "true", "đồng ý", "dong y"}
NO_WORDS = {"không", "khong", "k", "no", "n", "0", "false", "không đồng ý"}


@dataclass(frozen=True, kw_only=True)
class YesNoColumn(Column):
    """Yes or no in Vietnamese or English (có, không, x, 1, 0); blank is no unless required."""

    def empty(self):
        return False

    def parse(self, value, importer=None) -> bool:
        if isinstance(value, bool):
            return value
        written = cells.key(value)
        if written in YES_WORDS:
            return True
        if written in NO_WORDS:
            return False
        raise CellProblem(_("Write “có” or “không” (yes or no)."))

    def display(self, value) -> str:
        return _("yes") if value else _("no")

    def template_values(self) -> list[str]:
        return ["có", "không"]


@dataclass(frozen=True, kw_only=True)
class ChoiceColumn(Column):
    """One of a Django `choices` enumeration, written as its code, its label in Vietnamese or English,
    both ('Nữ (Female)') or, for numbered choices, 'code label'. `words` adds other spellings."""

    choices: type = None
    words: dict = field(default_factory=dict)
    values: tuple[str, ...] = ()  # the template's dropdown; by default every label in both languages
    default: object = None

    def empty(self):
        return self.default

    def lookup(self) -> dict:
        found = {}
        for value, label in self.choices.choices:
            numbered = (f"{value} {cells.bilingual(label)}",) if isinstance(value, int) else ()
            for name in (str(value), *cells.labels(label), cells.bilingual(label), *numbered):
                found.setdefault(cells.key(name), value)
        for name, value in self.words.items():
            found.setdefault(cells.key(name), value)
        return found

    def listed(self) -> str:
        return ", ".join(self.values) if self.values else ", ".join(cells.bilingual(label) for label in self.choices.labels)

    def parse(self, value, importer=None):
        written = cells.text(value)
        found = self.lookup().get(cells.key(written))
        if found is None:
            raise CellProblem(_("“%(value)s” is not one of: %(choices)s.") % {"value": written, "choices": self.listed()})
        return found

    def display(self, value) -> str:
        return "" if value in (None, "") else str(self.choices(value).label)

    def template_values(self) -> list[str]:
        if self.values:
            return list(self.values)
        return [f"{value} {cells.bilingual(label)}" if isinstance(value, int) else cells.bilingual(label) for value, label in self.choices.choices]


@dataclass(frozen=True, kw_only=True)
class LookupColumn(Column):
    """A row of the database named by its code or a name (organisation, province...). An unknown
    name is an error that suggests the closest names; `options(importer)` yields (names, pk, label)."""

    options: object = None  # callable(importer) -> iterable of (names, pk, label)
    allow_unknown: bool = False  # keep an unknown name as written instead (parse returns None)

    def index(self, importer) -> tuple[dict, dict]:
        cache = getattr(importer, "_lookup_cache", None)
        if cache is None:
            cache = {}
            if importer is not None:
                importer._lookup_cache = cache
        if self.key not in cache:
            by_key: dict[str, set] = {}
            label_of = {}
            for names, pk, label in self.options(importer):
                label_of[pk] = label
                for name in names:
                    if name:
                        by_key.setdefault(cells.key(name), set()).add(pk)
            cache[self.key] = (by_key, label_of)
        return cache[self.key]

    def parse(self, value, importer=None):
        written = cells.text(value)
        by_key, label_of = self.index(importer)
        found = by_key.get(cells.key(written), set())
        if len(found) == 1:
            return next(iter(found))
        if len(found) > 1:
            raise CellProblem(_("“%(value)s” names several: give the code.") % {"value": written})
        if self.allow_unknown:
            return None
        raise CellProblem(self.unknown(written, by_key, label_of))

    def unknown(self, written: str, by_key: dict, label_of: dict) -> str:
        plain = {cells.plain(name): pks for name, pks in by_key.items()}
        close = difflib.get_close_matches(cells.plain(written), list(plain), n=3, cutoff=0.6)
        suggestions = []
        for name in close:
            for pk in plain[name]:
                if label_of[pk] not in suggestions:
                    suggestions.append(label_of[pk])
        if suggestions:
            return _("Unknown: “%(value)s”. Did you mean %(suggestions)s?") % {"value": written, "suggestions": " / ".join(suggestions[:3])}
        return _("Unknown: “%(value)s”: give the code or the name as the portal writes it.") % {"value": written}

    def display(self, value) -> str:
        return "" if value is None else str(value)


def strip_code(written: str) -> str:
    """'Hà Nội (01)' -> '01'; anything else unchanged."""
    found = re.fullmatch(r".*\(\s*(\w+)\s*\)", written)
    return found.group(1) if found else written
