"""The calculators on a 390×844 phone (EE-6): the fifth tab, a deferral typed in gives the result in text and a
chart with its text summary, a bad amount gives a message at the field and no result, the projection's three
scenarios; nothing wider than the screen, tabs of 44 px at least, no serious accessibility violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_SECRETS, assert_fits_the_phone, goto, login, wait_url
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e

MONEY_NL = re.compile(r"€ \d{1,3}(\.\d{3})*,\d{2}")


def _open(phone: Page) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")
    phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Berekenen").click()
    wait_url(phone, "/employee/calculators")
    expect(phone.get_by_label("Uw brutoloon per jaar (€)")).to_have_value(re.compile(r"\d"))


def test_a_deferral_gives_the_result_and_a_chart_summary(phone: Page) -> None:
    _open(phone)
    phone.get_by_label("Bedrag per maand dat u inlegt, bruto (€)").fill("200")
    phone.locator("#deferral-submit").click()
    sentence = phone.locator("#deferral-sentence")
    expect(sentence).to_contain_text("U legt € 200,00 per maand in.")
    result = phone.locator("#deferral-result")
    expect(result).to_contain_text("Nettoloon per maand daarna")
    assert MONEY_NL.search(result.inner_text())
    figure = phone.get_by_role("figure", name="Uw brutoloon per maand, verdeeld")
    expect(figure).to_be_visible()
    expect(phone.locator("#chart-deferral-summary")).to_contain_text("naar pensioen € 200,00")
    expect(phone.locator("#chart-deferral .js-plotly-plot")).to_have_count(1)
    expect(phone.locator("main")).to_contain_text("Dit is een schatting")


def test_a_bad_amount_gives_a_message_at_the_field_and_no_result(phone: Page) -> None:
    _open(phone)
    amount = phone.get_by_label("Bedrag per maand dat u inlegt, bruto (€)")
    amount.fill("twee honderd")
    phone.locator("#deferral-submit").click()
    expect(phone.locator("#f-amount-error")).to_have_text("Vul een bedrag in cijfers in, bijvoorbeeld 150 of 1.250,50.")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(phone.locator("#deferral-result")).to_have_count(0)
    amount.fill("600")
    phone.locator("#deferral-submit").click()
    expect(phone.locator("#f-amount-error")).to_contain_text("hoogstens € 6.000,00 per jaar")
    expect(phone.locator("#deferral-result")).to_have_count(0)


def test_the_projection_under_three_scenarios(phone: Page) -> None:
    _open(phone)
    expect(phone.locator("main")).to_contain_text("staat niet in onze gegevens")
    phone.get_by_label("Extra inleg per maand (€)").fill("100")
    phone.get_by_label("Wat u nu al hebt opgebouwd (€, als u het weet)").fill("12.500")
    phone.locator("#projection-submit").click()
    result = phone.locator("#projection-result")
    for words in ("Somber (1 % per jaar)", "Neutraal (3 % per jaar)", "Gunstig (5 % per jaar)"):
        expect(result).to_contain_text(words)
    expect(phone.locator("#chart-projection-summary")).to_contain_text("Kapitaal bij 67 jaar")
    expect(phone.locator("#projection-sentence")).to_contain_text("Bij 67 jaar hebt u naar schatting tussen")


def test_nothing_wider_than_the_phone_five_tabs_and_no_serious_violations(phone: Page) -> None:
    _open(phone)
    phone.get_by_label("Bedrag per maand dat u inlegt, bruto (€)").fill("150")
    phone.locator("#deferral-submit").click()
    phone.locator("#projection-submit").click()
    expect(phone.locator("#chart-projection .js-plotly-plot")).to_have_count(1)
    expect(phone.locator("#chart-deferral .js-plotly-plot")).to_have_count(1)
    assert_fits_the_phone(phone, tabs=5)
    current = phone.get_by_role("link", name="Berekenen")
    expect(current).to_have_attribute("aria-current", "page")
    assert serious_violations(phone) == []


def test_in_english(phone: Page) -> None:
    _open(phone)
    phone.locator("#language-switch").click()
    phone.wait_for_function("document.cookie.includes('portal_lang=en')")
    try:
        goto(phone, "/employee/calculators")
        # the wage field is filled anew in English notation
        expect(phone.get_by_label("Your gross pay per year (€)")).to_have_value(
            re.compile(r"^\d{1,3}(,\d{3})*\.\d{2}$")
        )
        phone.get_by_label("Amount per month you put in, gross (€)").fill("200")
        phone.locator("#deferral-submit").click()
        expect(phone.locator("#deferral-sentence")).to_contain_text("You put in €200.00 per month.")
        expect(phone.locator("#chart-deferral-summary")).to_contain_text("to pension €200.00")
        expect(phone.get_by_role("link", name="Calculators")).to_be_visible()
    finally:
        phone.locator("#language-switch").click()
        phone.wait_for_function("document.cookie.includes('portal_lang=nl')")
