"""Accessibility audit (axe-core, injected into the page) of the login page and of each shell; phone fit."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import DEMO_SECRETS, goto, login, wait_ready, wait_url

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / ".tools" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page: Page) -> list[str]:
    """Run axe-core in the page; return the serious and critical violations, described. (Evaluated through the
    browser's devtools protocol: a script tag would be refused by the portal's Content-Security-Policy.)"""
    page.evaluate(AXE.read_text() + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("path", ["/login", "/activate", "/forgot"])
def test_public_pages_have_no_serious_violations(page: Page, path: str) -> None:
    goto(page, path)
    assert serious_violations(page) == []


@pytest.mark.parametrize(
    ("username", "home"),
    [("employer.hr", "/employer"), ("adviser", "/intermediary"), ("employee", "/employee")],
)
def test_shells_have_no_serious_violations(page: Page, username: str, home: str) -> None:
    login(page, username, DEMO_SECRETS[username])
    wait_url(page, home)
    wait_ready(page, home)
    assert serious_violations(page) == []


def test_dark_mode_shell_has_no_serious_violations(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    page.get_by_role("button", name="Wissel licht/donker").click()
    page.wait_for_function("document.documentElement.classList.contains('dark')")
    assert serious_violations(page) == []


def test_employee_shell_fits_a_phone(phone: Page) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")
    wait_ready(phone, "/employee")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    nav = phone.get_by_role("navigation", name="Hoofdmenu")
    box = nav.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 + 1, "tab bar must sit on the screen"
    assert serious_violations(phone) == []
