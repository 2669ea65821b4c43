"""Every page template keeps its styles and scripts in static files (the strict Content Security
Policy of step 7 forbids inline ones): no `style=` attribute, no `<style>` element and no `<script>`
with a body. PDF templates are exempt: WeasyPrint renders them on the server, no browser reads them."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
INLINE = re.compile(r"""\sstyle\s*=|<style\b|<script\b(?![^>]*\bsrc=)[^>]*>\s*\S""", re.IGNORECASE)


def page_templates():
    return [path for path in TEMPLATES.rglob("*.html") if "pdf" not in path.relative_to(TEMPLATES).parts]


def test_no_page_template_has_an_inline_style_or_script():
    found = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()[:80]}"
        for path in page_templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE.search(line)
    ]

    assert len(page_templates()) > 50
    assert found == []


def test_the_check_finds_an_inline_style_and_a_script_body():
    assert INLINE.search('<p style="color: red">')
    assert INLINE.search("<script>alert(1)</script>")
    assert INLINE.search("<STYLE>p {}</STYLE>")
    assert not INLINE.search('<script src="/static/js/site.js"></script>')
    assert not INLINE.search('<p class="lead">')
