"""axe-core (vendored in static/vendor/, used only here) run in the page Chromium has open.

The script is injected as an inline <script>: once the strict Content-Security-Policy of step 7 is in,
open the browser context with `bypass_csp=True` (test_public_pages.py does).
"""

from django.conf import settings

AXE_JS = settings.BASE_DIR / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_violations(page, *, tags=WCAG_21_AA) -> list[dict]:
    """The violations axe-core finds in the whole document for rules with these tags."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations",
        list(tags),
    )


def describe(violations: list[dict], *, targets: int = 3) -> str:
    """One line per rule: id, impact, help and the first few offending elements."""
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        shown = ", ".join(" ".join(map(str, node["target"])) for node in nodes[:targets])
        more = f" (+{len(nodes) - targets} more)" if len(nodes) > targets else ""
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']}: {shown}{more}")
    return "\n".join(lines)


def assert_accessible(page, *, tags=WCAG_21_AA) -> None:
    violations = axe_violations(page, tags=tags)
    assert not violations, f"axe-core finds {len(violations)} WCAG violation(s) on {page.url}:\n{describe(violations)}"
