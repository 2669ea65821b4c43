"""The public portal in Chromium, as an anonymous visitor: axe-core finds no WCAG 2.1 AA violation on the
home, plan, activity, indicator and events pages in both languages; the main menu is reached by keyboard
with a visible focus; on a phone (390 px) the home and plan pages scroll nothing sideways and axe-core finds
nothing there either; the language switcher keeps the page."""

import pytest
from django.urls import reverse
from django.utils import translation

from planning.models import Activity, Indicator, ReviewStatus

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2024  # the demo's published delivery plan
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def visitor(browser, live_server, language: str):
    """An anonymous visitor's browser context (the strict CSP of step 7 would refuse the injected axe-core)."""
    context = browser.new_context(base_url=live_server.url, locale="vi-VN" if language == "vi" else "en-GB", bypass_csp=True)
    context.set_default_timeout(15_000)
    return context


def public_urls(language: str) -> dict[str, str]:
    activity = Activity.objects.filter(delivery_plans__year=YEAR, delivery_plans__status=ReviewStatus.PUBLISHED).order_by("code").first()
    indicator = Indicator.objects.filter(periods__period__year=YEAR, periods__target_value__isnull=False).order_by("code").first()
    with translation.override(language):
        return {
            "home": reverse("public:home"),
            "plan": reverse("public:plan", args=[YEAR]),
            "activity": reverse("public:activity-detail", args=[activity.pk]),
            "indicator": reverse("public:indicator-detail", args=[indicator.pk]),
            "events": reverse("events:public-list"),
        }


def first_event_url(page) -> str:
    """The first event the public events list links to."""
    href = page.evaluate("""() => {
        const link = [...document.querySelectorAll('main a[href]')].find((a) => /\\/events\\/public\\/\\d+\\/$/.test(new URL(a.href).pathname));
        return link ? new URL(link.href).pathname : null;
    }""")
    assert href, f"the public events list {page.url} links to no event"
    return href


def open_page(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, f"{url} answers {response.status}"


def open_all_details(page) -> None:
    """Open every <details> (the charts' tables among them) so that axe-core checks what they hold too,
    and let the page's scripts answer the "toggle" events (static/js/scroll-regions.js)."""
    page.evaluate("document.querySelectorAll('details').forEach((details) => { details.open = true; })")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))")


def test_public_pages_have_no_wcag_violations_in_either_language(browser, live_server, demo_data):
    for language in ("vi", "en"):
        context = visitor(browser, live_server, language)
        try:
            page = context.new_page()
            page.set_viewport_size(LAPTOP)
            for url in public_urls(language).values():
                open_page(page, url)
                assert page.get_attribute("html", "lang") == language
                open_all_details(page)
                assert_accessible(page)
            open_page(page, first_event_url(page))  # the events list is the last page opened
            open_all_details(page)
            assert_accessible(page)
        finally:
            context.close()


def test_public_pages_work_by_keyboard_on_a_phone_and_across_languages(browser, live_server, demo_data):
    context = visitor(browser, live_server, "vi")
    try:
        page = context.new_page()
        urls = public_urls("vi")

        # Tab from the top of the page reaches the main menu, and the focused link shows where it is.
        page.set_viewport_size(LAPTOP)
        open_page(page, urls["home"])
        for _press in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('#main-nav .nav-link')"):
                break
        else:
            pytest.fail("ten presses of Tab never reach the main menu")
        focus = page.evaluate("""() => {
            const style = getComputedStyle(document.activeElement);
            return {outline: style.outlineStyle === 'none' ? 'none' : style.outlineWidth, shadow: style.boxShadow};
        }""")
        assert focus["outline"] not in ("none", "0px") or focus["shadow"] != "none", f"the focused menu link shows no focus: {focus}"

        # A phone scrolls the home and plan pages up and down only; a table wider than the phone scrolls in
        # its own box, which the keyboard can reach (axe-core's scrollable-region-focusable).
        page.set_viewport_size(PHONE)
        for name in ("home", "plan"):
            open_page(page, urls[name])
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the {name} page is {width} px wide on a {PHONE['width']} px phone"
            open_all_details(page)
            assert_accessible(page)

        # The language switcher keeps the page.
        page.set_viewport_size(LAPTOP)
        open_page(page, urls["plan"])
        page.click("#language-switch")
        with translation.override("en"):
            english_plan = reverse("public:plan", args=[YEAR])
        page.wait_for_url(f"**{english_plan}")
        assert page.get_attribute("html", "lang") == "en"
    finally:
        context.close()
