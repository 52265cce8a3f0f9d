"""My contracts on a 390×844 phone (EE-1, EE-7): the demo employee's contracts as cards with their status in
words and the figures the service computes, the former employer's passive contract, nothing wider than the
screen, no serious accessibility violations; English too."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from portal.core import clock
from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.domain.dates import add_months
from portal.i18n import formatting as fmt
from portal.models import Employer, Participation, Person, UserAccount
from portal.services import employee
from tests.e2e.conftest import (
    DEMO_SECRETS,
    assert_fits_the_phone,
    e2e_database,
    goto,
    login,
    server_date,
    wait_url,
)
from tests.e2e.test_accessibility import serious_violations
from tests.services.employer_fixtures import principal_of

pytestmark = pytest.mark.e2e

MONEY_NL = re.compile(r"€ \d{1,3}(\.\d{3})*,\d{2}")


def _expected() -> employee.MyContracts:
    """What the service gives the demo employee today, read from the e2e server's database."""
    with e2e_database() as db:
        return employee.my_contracts(db, principal_of(db, "employee"), clock.today())


def _open(phone: Page) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")
    goto(phone, "/employee")
    phone.locator("#contracts > li").first.wait_for()


def test_contracts_as_cards_with_status_words_and_amounts(phone: Page) -> None:
    _open(phone)
    expected = _expected()
    cards = phone.get_by_role("list", name="Uw contracten").get_by_role("listitem")
    contracts = {(c.status, c.employer_name, c.contract_number) for c in expected.contracts}
    assert cards.count() == len(contracts) >= 2  # one card per contract, its schemes inside
    assert phone.locator("table").count() == 0
    expect_words = {"active": "Actief", "passive": "Passief", "ended": "Beëindigd"}
    bodies = [cards.nth(i).inner_text() for i in range(cards.count())]
    for c in expected.contracts:
        (body,) = [b for b in bodies if c.contract_number in b and c.employer_name in b]
        assert expect_words[c.status] in body and c.participant_number in body and c.scheme_name in body
        if c.status == "active":
            assert fmt.money(c.yearly_premium, "nl") in body and "Jaarpremie" in body
            assert fmt.money(c.amount, "nl") in body
        if c.status == "passive":
            assert "Geen premie" in body and "Vorige werkgever" in body
    statuses = {c.status for c in expected.contracts}
    assert {"active", "passive"} <= statuses
    assert {c.employer_name for c in expected.contracts} >= {DEMO_EMPLOYER_NAME, SMALL_NAME}
    text = phone.locator("main").inner_text()
    assert MONEY_NL.search(text)
    assert f"Stand per {fmt.day(expected.as_of, 'nl')}" in text


def test_an_ended_contract_shows_five_months_after_its_end_and_is_gone_at_seven(phone: Page) -> None:
    """EE-7 on the running server: the former employer's contract ended (value transferred) eight months ago,
    arranged once in its rows; the server's date is then moved back to five months after that end (shown, as
    ended) and to seven (hidden). Only the server's date moves between the two looks."""
    today = date.today()
    ended = add_months(today, -8)
    with e2e_database() as db:
        me = db.get(Person, db.exec(select(UserAccount.person_id).where(UserAccount.username == "employee")).one())
        assert me is not None
        old = db.exec(
            select(Participation)
            .join(Employer, col(Employer.id) == Participation.employer_id)
            .join(Person, col(Person.id) == Participation.person_id)
            .where(Employer.name == SMALL_NAME, Person.bsn == me.bsn, Participation.status == "dormant")
        ).all()
        assert old
        kept = [(p.id, p.status, p.end_date) for p in old]
        for p in old:
            p.status, p.end_date = "terminated", ended
    try:
        _open(phone)
        cards = phone.get_by_role("list", name="Uw contracten").get_by_role("listitem")
        with server_date(add_months(ended, 5)):
            goto(phone, "/employee")
            card = cards.filter(has_text=SMALL_NAME)
            expect(card).to_have_count(1)
            expect(card).to_contain_text("Beëindigd")
            shown = cards.count()
        with server_date(add_months(ended, 7)):
            goto(phone, "/employee")
            expect(cards).to_have_count(shown - 1)
            expect(cards.filter(has_text=SMALL_NAME)).to_have_count(0)
    finally:
        with e2e_database() as db:
            for pid, status, end in kept:
                row = db.get(Participation, pid)
                assert row is not None
                row.status, row.end_date = status, end


def test_nothing_wider_than_the_phone_and_no_serious_violations(phone: Page) -> None:
    _open(phone)
    assert_fits_the_phone(phone)
    assert serious_violations(phone) == []


def test_in_english(phone: Page) -> None:
    """The language is kept on the account as well: the test switches back even when it fails."""
    _open(phone)
    phone.locator("#language-switch").click()
    phone.wait_for_function("document.cookie.includes('portal_lang=en')")
    try:
        goto(phone, "/employee")
        main = phone.locator("main")
        # the cards of the previous load stay until the new one has formatted the figures in English
        expect(main).to_contain_text(re.compile(r"€\d{1,3}(,\d{3})*\.\d{2}"))
        for words in ("My contracts", "Active", "Passive", "Yearly premium", "Former employer"):
            expect(main).to_contain_text(words)
    finally:
        phone.locator("#language-switch").click()  # back to Dutch for the other tests
        phone.wait_for_function("document.cookie.includes('portal_lang=nl')")
