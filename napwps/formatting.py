"""Numbers, money and dates in the reader's language: one place for every page, admin column and PDF.

`number(1234567.5)` is "1.234.567,5" in Vietnamese and "1,234,567.5" in English; whole numbers never
get ",00". `money(1234567)` is "1.234.567 ₫" / "VND 1,234,567" (VND has no decimals). The template
filters of the same names (napwps/templatetags.py, built into every template) wrap these.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import get_language

PLACEHOLDER = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _places(amount: Decimal, at_most: int) -> int:
    """Decimal places worth showing: none for a whole number, up to `at_most` otherwise."""
    if amount == amount.to_integral_value():
        return 0
    exponent = amount.normalize().as_tuple().exponent
    return min(max(0, -exponent), at_most)


def number(value, decimal_places: int | None = None, *, at_most: int = 2) -> str:
    """A quantity, with the reader's thousands and decimal separators and no ",00" when whole.

    `decimal_places` fixes the decimals shown (rounded half up); otherwise only the significant ones,
    at most `at_most`. Returns "" for None and anything that is not a number (shown as it is).
    """
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    places = _places(amount, at_most) if decimal_places is None else decimal_places
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if decimal_places is None:
        places = _places(amount, places)  # 0.999 rounds to 1, shown without ",00"
    if amount == 0:
        amount = abs(amount)  # no "-0"
    return formats.number_format(amount, decimal_pos=places, force_grouping=True)


def money(amount, currency: str = "VND") -> str:
    """An amount with its currency: "1.234.567 ₫" in Vietnamese, "VND 1,234,567" in English.

    VND is shown without decimals; other currencies keep cents when there are any.
    """
    if _decimal(amount) is None:
        return "" if amount is None else str(amount)
    currency = (currency or "VND").upper()
    figures = number(amount, 0) if currency == "VND" else number(amount, at_most=2)
    if (get_language() or "").startswith("vi"):
        return f"{figures} {'₫' if currency == 'VND' else currency}"
    return f"{currency} {figures}"


def percent(value, decimal_places: int | None = None) -> str:
    """A percentage: "12,5%" / "12.5%", "100%" (never "100,00%")."""
    figures = number(value, decimal_places, at_most=1)
    return f"{figures}%" if figures and _decimal(value) is not None else figures


def short_date(value) -> str:
    """A date (or datetime, in local time) as the reader writes it: 30/11/2026, or 30 Nov 2026 in English."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def field_value(field, value, *, related=None) -> str:
    """A stored value of a model field as the reader writes it: a choice's label, `1.500.000 ₫` for a
    `*_vnd` amount, `03/2025` for a month, `03/02/2025`, `12,5`, or PLACEHOLDER.

    Values read back from JSON (approved copies, proposed changes) are converted by the field first.
    `related(model, pk)` names a related row (or a many-to-many list of them); without it, the row is read.
    """
    if value is None or value == "" or value == []:
        return PLACEHOLDER
    if field.is_relation:
        name = related or (lambda model, pk: model._default_manager.filter(pk=pk).first() or pk)
        values = value if field.many_to_many else [value]
        return ", ".join(str(name(field.related_model, pk)) for pk in values)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    value = field.to_python(value)
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("yes") if value else gettext("no")
    if isinstance(value, Decimal | int | float):
        return money(value) if field.name.endswith("_vnd") else number(value)
    if isinstance(value, datetime.date):
        month_format = getattr(field, "display_format", None)
        return value.strftime(month_format) if month_format else short_date(value)
    return str(value)
