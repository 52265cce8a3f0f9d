"""/employee's first view on a 390×844 phone (issue 13's speed): the contract cards come with the page's HTML, so
an employee whose phone has not yet loaded the app's scripts sees them (and can use the tab bar); once the app has
started it takes over without a trace: one list of cards, its "i"s working, no hydration or CSP error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from portal.core import clock
from portal.services import employee
from tests.e2e.conftest import DEMO_SECRETS, assert_fits_the_phone, e2e_database, login, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.services.employer_fixtures import principal_of

pytestmark = pytest.mark.e2e

APP_SCRIPTS = re.compile(r"/assets/.*\.js(\?.*)?$")


def _contracts() -> set[tuple[str, str, str]]:
    """The demo employee's contracts today (one card each), read from the e2e server's database."""
    with e2e_database() as db:
        mine = employee.my_contracts(db, principal_of(db, "employee"), clock.today())
    return {(c.status, c.employer_name, c.contract_number) for c in mine.contracts}


def _signed_in(phone: Page) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")


def test_the_cards_come_with_the_page_before_the_apps_scripts(phone: Page) -> None:
    _signed_in(phone)
    phone.route(APP_SCRIPTS, lambda route: route.abort())  # a slow phone: the app's scripts have not arrived
    phone.goto("/employee")
    contracts = _contracts()
    cards = phone.get_by_role("list", name="Uw contracten").get_by_role("listitem")
    expect(cards).to_have_count(len(contracts))
    bodies = [cards.nth(i).inner_text() for i in range(cards.count())]
    words = {"active": "Actief", "passive": "Passief", "ended": "Beëindigd"}
    for status, name, number in contracts:
        (body,) = [b for b in bodies if name in b and number in b]
        assert words[status] in body
    expect(phone.get_by_role("heading", name="Mijn contracten", level=1)).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^Stand per \d{2}-\d{2}-\d{4}$"))).to_be_visible()
    assert phone.locator("#page-loading").is_hidden()  # the app's root stays out of sight meanwhile
    assert_fits_the_phone(phone, tabs=5)
    assert serious_violations(phone) == []
    phone.set_viewport_size({"width": 195, "height": 422})  # 200 % zoom: still no sideways scrolling
    assert phone.evaluate("document.documentElement.scrollWidth") <= 195
    phone.set_viewport_size({"width": 390, "height": 844})
    # the tab bar is made of plain links: it works before the app does
    phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Profiel").click()
    wait_url(phone, "/employee/profile")


def test_the_app_takes_over_without_a_trace(phone: Page) -> None:
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    phone.on("console", on_console)
    phone.on("pageerror", lambda error: errors.append(str(error)))
    _signed_in(phone)
    response = phone.goto("/employee")
    assert response is not None and response.headers["cache-control"] == "no-store"
    assert "fv-contracts" in response.text()  # this very page came with the first view
    phone.locator("#contracts > li").first.wait_for()
    expect(phone.locator("#first-view")).to_have_count(0)
    expect(phone.get_by_role("list", name="Uw contracten")).to_have_count(1)
    expect(phone.get_by_role("list", name="Uw contracten").get_by_role("listitem")).to_have_count(len(_contracts()))
    # the app's own cards: their "i"s open an explanation; its stylesheet is applied
    phone.locator("#contracts").get_by_role("button", name=re.compile("^Uitleg")).first.click()
    expect(phone.get_by_role("dialog")).to_be_visible()
    assert phone.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.media !== 'print')")
    assert errors == []  # no hydration error, no script refused by the CSP
