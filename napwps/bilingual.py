"""Content stored in Vietnamese and English.

Every text people read is stored twice, as `<name>_vi` and `<name>_en`. `TranslatedText` reads the
one for the active language; a missing English text falls back to Vietnamese and says so, so pages
can mark it (`{% bilingual obj.title %}` wraps it in `<span lang="vi" class="fallback">`).
"""

from django.utils import translation

DEFAULT = "vi"


class Translated(str):
    """A string that knows which language it is in and whether it stands in for a missing one."""

    language: str
    is_fallback: bool

    def __new__(cls, value: str, language: str, is_fallback: bool = False):
        text = super().__new__(cls, value)
        text.language = language
        text.is_fallback = is_fallback
        return text


class TranslatedText:
    """Descriptor: `title = TranslatedText()` on a model with `title_vi` and `title_en` fields."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        return translate(instance, self.name)


def translate(instance, name: str, language: str | None = None) -> Translated:
    language = (language or translation.get_language() or DEFAULT)[:2]
    text = getattr(instance, f"{name}_{language}", "") or ""
    if text or language == DEFAULT:
        return Translated(text, language)
    return Translated(getattr(instance, f"{name}_{DEFAULT}", "") or "", DEFAULT, is_fallback=True)


def render(text) -> str:
    """HTML for a translated text: a fallback is wrapped so that readers see it is Vietnamese."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    if getattr(text, "is_fallback", False):
        return format_html('<span lang="vi" class="fallback" title="{}">{}</span>', gettext("No English text yet: shown in Vietnamese"), text)
    return format_html("{}", text)
