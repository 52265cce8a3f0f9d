"""The employee front end at 200 % zoom on the 390×844 phone (issue 13 part 9): the layout gets 195 CSS pixels
of width; the sign-in and every page still read without sideways scrolling, and the bottom bar's tabs (in two
rows) stay on screen and 44 px touch targets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.conftest import DEMO_SECRETS, goto, login, wait_url

pytestmark = pytest.mark.e2e

ZOOMED = {"width": 195, "height": 422}  # 390×844 at 200 %: the same screen, every CSS pixel twice as large
PAGES = ("/employee", "/employee/documents", "/employee/profile", "/employee/faq", "/employee/calculators")


@pytest.fixture
def zoomed(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server, viewport=ZOOMED, device_scale_factor=4, is_mobile=True, has_touch=True, locale="nl-NL"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_every_employee_page_reads_at_200_percent_without_sideways_scrolling(zoomed: Page) -> None:
    login(zoomed, "employee", DEMO_SECRETS["employee"])  # the sign-in pages at 200 % too
    wait_url(zoomed, "/employee")
    for path in PAGES:
        goto(zoomed, path)
        zoomed.locator("main").first.wait_for()
        zoomed.wait_for_timeout(300)  # the page's data shown
        width = zoomed.evaluate("document.documentElement.scrollWidth")
        wide = zoomed.evaluate(
            "() => [...document.querySelectorAll('main *, nav *')]"
            ".filter(e => e.getBoundingClientRect().right > 195.5 && e.getClientRects().length)"
            ".map(e => e.tagName + ' ' + (e.textContent || '').slice(0, 30))"
            ".slice(0, 5)"
        )
        assert width <= 195 and wide == [], f"{path} at 200 %: {width}px wide; {wide}"
        tabs = zoomed.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").all()
        assert len(tabs) == 5
        for tab in tabs:
            box = tab.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 195.5
            assert box["width"] >= 44 and box["height"] >= 44  # still a touch target
