"""Input that no page should ever see: answered 400 before any view or database is reached.

- A NUL character anywhere in the query string or form data (keys or values): PostgreSQL refuses
  it in text ("A string literal cannot contain NUL"), so a search for `%00` was a 500.
- A single field longer than `MAX_FIELD_LENGTH` characters: no text the portal stores is that
  long, and every page that searches or saves one would do needless work on it.

Everything else is made Unicode NFC, as the database stores it (napwps.text), so that a name typed
in decomposed form finds the same rows. Too many fields (a formset count of a billion, say) is
bounded by Django itself: DATA_UPLOAD_MAX_NUMBER_FIELDS and each formset's absolute_max.
"""

import unicodedata

from django.http import QueryDict
from django.shortcuts import render

MAX_FIELD_LENGTH = 100_000


def _items(data: QueryDict):
    return data.lists()


def is_hostile(data: QueryDict) -> bool:
    for key, values in _items(data):
        if "\x00" in key or len(key) > MAX_FIELD_LENGTH:
            return True
        for value in values:
            if isinstance(value, str) and ("\x00" in value or len(value) > MAX_FIELD_LENGTH):
                return True
    return False


def normalised(data: QueryDict) -> QueryDict | None:
    """A copy of `data` in NFC, or None when it is NFC already (the usual case: no copy made)."""
    if all(
        unicodedata.is_normalized("NFC", key) and all(unicodedata.is_normalized("NFC", v) for v in values if isinstance(v, str)) for key, values in _items(data)
    ):
        return None
    copy = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in _items(data):
        copy.setlist(unicodedata.normalize("NFC", key), [unicodedata.normalize("NFC", v) if isinstance(v, str) else v for v in values])
    copy._mutable = False
    return copy


class HostileInputMiddleware:
    """Answer 400, in the reader's language, to input no page can use; store the rest as NFC.

    Sits after LocaleMiddleware (the page's language) and before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_hostile(request.GET) or (request.method == "POST" and is_hostile(request.POST)):
            return render(request, "400.html", {"reason": "hostile-input"}, status=400)
        query = normalised(request.GET)
        if query is not None:
            request.GET = query
        if request.method == "POST":
            form = normalised(request.POST)
            if form is not None:
                request.POST = form
        return self.get_response(request)
