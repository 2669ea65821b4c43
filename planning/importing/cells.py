"""What a spreadsheet cell says, as text or as a value: the small functions every column uses."""

import datetime
import re
import unicodedata
from decimal import Decimal

from django.utils import translation

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial day 1 is 1 January 1900 (Excel's leap-year bug included)


def text(value) -> str:
    """A cell as text: NFC (so diacritics typed decomposed compare equal), spaces collapsed, numbers
    without a spurious '.0', dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float | Decimal):
        if value == int(value):
            return str(int(value))
        return format(value if isinstance(value, Decimal) else Decimal(repr(value)), "f").rstrip("0")
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y}" if value.time() == datetime.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, datetime.time):
        return f"{value:%H:%M}"
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def key(value) -> str:
    """How values are compared: case, dash style and spacing do not matter, diacritics do."""
    written = text(value).casefold().replace("–", "-").replace("—", "-")
    return re.sub(r"\s*-\s*", "-", written).strip(" .*")


def plain(value) -> str:
    """`key` without diacritics ('Đà Nẵng' -> 'da nang'): for suggesting the closest match."""
    decomposed = unicodedata.normalize("NFD", key(value).replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def labels(label) -> tuple[str, str]:
    """A translatable label in Vietnamese and in English."""
    with translation.override("vi"):
        vi = str(label)
    with translation.override("en"):
        en = str(label)
    return vi, en


def bilingual(label) -> str:
    """'Vietnamese (English)', or one label until it is translated."""
    vi, en = labels(label)
    return vi if vi == en else f"{vi} ({en})"


DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")  # day first, or ISO; never month first


def date(value) -> datetime.date | None:
    """A date however a Vietnamese sheet holds it: an Excel date, dd/mm/yyyy (also with - or .), or
    yyyy-mm-dd. '02/01/2025' is 2 January. None when it is not a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    written = text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(written, pattern).date()
        except ValueError:
            continue
    return None


MONTHS_EN = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"), ("july", "jul"),
         ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
MONTH_PATTERNS = (
    (r"(?:tháng|thang|th)?\s*(\d{1,2})\s*(?:/|-|\.|năm|nam)\s*(\d{4})", (1, 2)),  # 3/2025, tháng 3 năm 2025
    (r"(\d{4})\s*[-/.]\s*(\d{1,2})", (2, 1)),  # 2025-03
)


def month(value) -> datetime.date | None:
    """A month (its first day) however it is written: a date as `date` reads it, mm/yyyy, yyyy-mm,
    'tháng 3/2025', 'tháng 3 năm 2025', 'March 2025', 'Mar-2025', or an Excel day number. None when
    it is not a month."""
    found = date(value)
    if found is not None:
        return found.replace(day=1)
    written = text(value).casefold()
    for pattern, (month_group, year_group) in MONTH_PATTERNS:
        match = re.fullmatch(pattern, written)
        if match:
            number, year = int(match.group(month_group)), int(match.group(year_group))
            return datetime.date(year, number, 1) if 1 <= number <= 12 and 1900 <= year <= 9999 else None
    match = re.fullmatch(r"([a-z]+)\.?[\s,\-/]*(\d{4})", written)
    if match and match.group(1) in MONTHS_EN:
        return datetime.date(int(match.group(2)), MONTHS_EN[match.group(1)], 1)
    serial = excel_serial(value) if isinstance(value, int | float) and value > 3000 else None
    return serial.replace(day=1) if serial is not None else None


def excel_serial(value) -> datetime.date | None:
    """A date stored as Excel's day number (45658 is 1 January 2025), as a cell left without a date format holds it."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not 1 <= value < 2958466:  # up to 31/12/9999
        return None
    return EXCEL_EPOCH + datetime.timedelta(days=int(value))


def number(value, *, decimals: bool = True) -> Decimal | None:
    """A number written as a number or as text, in the Vietnamese or English way.

    '1.234.567' and '1,234,567' are both 1234567; '85,5' (a Vietnamese decimal comma) and '85.5' are
    85.5; a currency sign or 'VND', '₫', 'đồng' and '%' around it are dropped. A lone separator
    followed by exactly three digits ('1.234', '1,234') groups thousands, so with `decimals` such text
    is refused as ambiguous. None when it is not a number.
    """
    if isinstance(value, bool | datetime.date | datetime.time):
        return None
    if isinstance(value, int | Decimal):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        written = text(value).casefold()
        written = re.sub(r"(vnd|vnđ|đồng|dong|₫|đ|%)", "", written).replace(" ", "").replace("\u00a0", "")
        sign = ""
        if written.startswith("-"):
            sign, written = "-", written[1:]
        if re.fullmatch(r"\d{1,3}(\.\d{3}){2,}(,\d+)?", written) or re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+", written):
            written = written.replace(".", "").replace(",", ".")  # 1.234.567 or 1.234,5
        elif re.fullmatch(r"\d{1,3}(,\d{3}){2,}(\.\d+)?", written) or re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+", written):
            written = written.replace(",", "")  # 1,234,567 or 1,234.5
        elif re.fullmatch(r"\d{1,3}[.,]\d{3}", written):  # 1.234 or 1,234: thousands, unless decimals are expected
            if decimals:
                return None
            written = written.replace(".", "").replace(",", "")
        elif re.fullmatch(r"\d+,\d+", written):
            written = written.replace(",", ".")
        if not re.fullmatch(r"(\d+(\.\d*)?|\.\d+)", written):
            return None
        result = Decimal(sign + written)
    return result if result.is_finite() else None
