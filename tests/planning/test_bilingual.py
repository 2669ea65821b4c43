"""napwps.bilingual: a text is read in the active language, and a missing English text falls back
to Vietnamese and says so."""

from django.utils import translation

from planning.models import Objective


def objective(**titles):
    return Objective(code="1", title_vi=titles.get("title_vi", "Sự tham gia của phụ nữ"), title_en=titles.get("title_en", ""))


def test_title_in_english_gives_the_english_text():
    item = objective(title_en="Women's participation")

    with translation.override("en"):
        title = item.title

    assert title == "Women's participation"
    assert title.language == "en"
    assert title.is_fallback is False


def test_title_in_english_falls_back_to_vietnamese_when_english_is_empty():
    item = objective(title_en="")

    with translation.override("en"):
        title = item.title

    assert title == "Sự tham gia của phụ nữ"
    assert title.language == "vi"
    assert title.is_fallback is True


def test_title_in_vietnamese_is_never_a_fallback():
    for english in ("Women's participation", ""):
        item = objective(title_en=english)

        with translation.override("vi"):
            title = item.title

        assert title == "Sự tham gia của phụ nữ"
        assert title.language == "vi"
        assert title.is_fallback is False


def test_title_follows_the_language_active_when_it_is_read():
    item = objective(title_en="Women's participation")

    with translation.override("vi"):
        assert item.title == "Sự tham gia của phụ nữ"
    with translation.override("en"):
        assert item.title == "Women's participation"
