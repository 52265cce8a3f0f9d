"""Sign-in with the national eID on a 390×844 phone (AUTH-6), against the real OpenID provider the e2e session
starts (``tests/eid.py``): "Inloggen met eID" on the login page, the provider's sign-in, and the demo employee
lands on their own contracts at /employee, without password or TOTP. A number the portal does not know gets
the login page with the reason (NL and EN), nothing linked, an audit entry."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import AuditEvent, EidLink, UserAccount
from tests.e2e.conftest import e2e_database, goto, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e


def _no_sideways_scrolling(phone: Page) -> None:
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _at_provider_as(phone: Page, name: str) -> None:
    goto(phone, "/login")
    button = phone.get_by_role("link", name="Inloggen met eID")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    button.click()
    expect(phone.get_by_text("Test eID provider")).to_be_visible()  # the stand-in says what it is
    phone.get_by_role("button", name=f"Sign in as {name}").click()


def test_eid_sign_in_lands_on_the_employees_own_contracts(phone: Page) -> None:
    goto(phone, "/login")
    _no_sideways_scrolling(phone)
    assert serious_violations(phone) == []
    _at_provider_as(phone, "Gijs ter Assob")
    wait_url(phone, "/employee")
    wait_ready(phone, "/employee")
    cards = phone.get_by_role("list", name="Uw contracten").get_by_role("listitem")
    expect(cards.first).to_be_visible()
    with e2e_database() as db:
        employee = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
        link = db.exec(select(EidLink).where(EidLink.subject == "gijs")).one()
        assert link.user_id == employee.id
    text = phone.locator("main").inner_text()
    assert "100001" in text  # the demo employee's participant number at the demo employer
    _no_sideways_scrolling(phone)


def test_an_unknown_national_id_gets_a_clear_page_in_dutch_and_english(phone: Page) -> None:
    _at_provider_as(phone, "Nobody Known")
    wait_url(phone, "/login")
    wait_ready(phone, "/login")
    assert phone.url.endswith("?eid=unknown_person")
    alert = phone.locator("#eid-refused")
    expect(alert).to_contain_text("Inloggen met eID is niet gelukt")
    expect(alert).to_contain_text("Wij kennen geen deelnemer met dit nummer")
    expect(alert).to_contain_text("Er is niets gekoppeld")
    _no_sideways_scrolling(phone)
    assert serious_violations(phone) == []
    phone.locator("#language-switch").click()
    expect(alert).to_contain_text("We know no participant with this number")
    with e2e_database() as db:
        assert db.exec(select(EidLink).where(EidLink.subject == "unknown")).first() is None
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "login.eid_refused")).all()
        assert any(json.loads(e.detail)["reason"] == "unknown_person" for e in events)
