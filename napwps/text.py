"""Text as Vietnamese users expect it: stored in Unicode NFC, people ordered by given name.

`nfc` and `normalise_text_fields` make whatever the keyboard sent (decomposed or composed
diacritics) one form before it is stored, so that search and duplicate checks find it.

`name_sort_key` orders people the way Vietnamese lists do (DOMAIN.md §6): by given name — the
last word of the full name — then by the family and middle names, in the Vietnamese alphabet
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, a syllable's tones after the
syllable itself (ngang, huyền, hỏi, ngã, sắc, nặng). The key is a string of digits, so a
database orders it the same way under any collation and it can be stored in a column.
"""

import unicodedata

from django.db import models

# The Vietnamese alphabet, with the Latin letters it lacks (f j w z) where the Latin order puts them.
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
LETTER_CODES = {letter: f"{20 + index:02d}" for index, letter in enumerate(ALPHABET)}
DIGIT_CODES = {str(digit): f"{10 + digit:02d}" for digit in range(10)}
OTHER = "99"  # any other character sorts after the letters
END_OF_WORD = "00"

# Combining marks of the five tones, in the order a dictionary lists them after the toneless form.
TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
# Combining marks that make a letter of its own (ă â ê ô ơ ư); đ is a letter of its own in Unicode.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def nfc(value):
    """`value` in Unicode NFC if it is a string, else unchanged."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _word_key(word: str) -> str:
    letters, tone = [], "0"
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in TONES:
            tone = TONES[char]
        elif char in LETTER_MARKS and letters:
            # Re-compose the base letter with its letter-making mark: a + ̆ -> ă.
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + char)
        elif unicodedata.category(char).startswith("M"):
            continue  # other marks carry no order
        elif char.isalnum():
            letters.append(char)
    codes = [LETTER_CODES.get(letter) or DIGIT_CODES.get(letter) or OTHER for letter in letters]
    return "".join(codes) + END_OF_WORD + tone


def name_sort_key(full_name: str) -> str:
    """A key that orders full names by given name, then family and middle names (see above)."""
    words = [word for word in (full_name or "").split() if any(char.isalnum() for char in word)]
    if not words:
        return ""
    return "".join(_word_key(word) for word in [words[-1], *words[:-1]])


def sorted_by_name(items, *, name=lambda item: item.full_name):
    """Items ordered by `name_sort_key` of their name (people, participations, rows)."""
    return sorted(items, key=lambda item: name_sort_key(name(item)))


def normalise_text_fields(sender, instance, **kwargs):
    """pre_save: store every character and text field of any model in NFC."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname, None)
            if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
                setattr(instance, field.attname, unicodedata.normalize("NFC", value))


def fold(value) -> str:
    """`value` as search compares it: without diacritics (đ → d), lower-case, single-spaced.

    "Tập huấn  về Bình đẳng" → "tap huan ve binh dang". Store the folded text in a column and filter with
    `column__contains=fold(word)`: the same on SQLite and PostgreSQL, whatever the collation.
    """
    text = unicodedata.normalize("NFD", str(value or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.replace("đ", "d").replace("Đ", "d").lower()
    return " ".join(text.split())


def vi_sort_key(text) -> str:
    """Orders names (of agencies, provinces, places) word by word as written, in the Vietnamese alphabet,
    a syllable's tones after the toneless syllable: "Bộ Công an" < "Bộ Y tế" < "Đà Nẵng" < "Hà Nội".
    For people, who are listed by given name, use `name_sort_key`."""
    return " ".join(_word_key(word) for word in str(text or "").split())
