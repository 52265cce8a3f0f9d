"""Terms explained and FAQ (EE-2) on a 390×844 phone, and Service & contact for employers (EMP-1): the "i" beside a
term is a named button that opens its explanation by keyboard, Escape closes it and focus returns; the FAQ is
searched on the server, accents and case aside; an employer's idea reaches the office as a task. Axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from portal.models import Employer, Task
from portal.services import contact
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.services.employer_fixtures import principal_of

pytestmark = pytest.mark.e2e


def _employee(phone: Page, path: str) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")
    goto(phone, path)


def _focused_name(page: Page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.getAttribute('aria-label')") or ""


def _no_sideways_scrolling(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_i_beside_a_term_opens_by_keyboard_and_escape_gives_focus_back(phone: Page) -> None:
    _employee(phone, "/employee")
    phone.locator("#contracts > li").first.wait_for()
    info = phone.get_by_role("button", name="Uitleg: pensioengevend salaris").first
    box = info.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    assert info.get_attribute("aria-expanded") == "false"
    info.focus()
    phone.keyboard.press("Enter")
    dialog = phone.get_by_role("dialog", name="pensioengevend salaris")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("franchise")
    assert info.get_attribute("aria-expanded") == "true"
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # the popover fits the phone
    assert serious_violations(phone) == []
    phone.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert _focused_name(phone) == "Uitleg: pensioengevend salaris"  # focus is back on the "i"
    # every term on the cards has one: the status, numbers, premium and each scheme's kind
    for name in ("actief contract", "passief contract", "contractnummer", "deelnemersnummer", "jaarpremie",
                 "beschikbarepremieregeling", "partnerpensioen", "regelingnummer"):  # fmt: skip
        expect(phone.get_by_role("button", name=f"Uitleg: {name}").first).to_be_attached()
    # Space opens it too, and its close button closes it
    slaper = phone.get_by_role("button", name="Uitleg: passief contract").first
    slaper.focus()
    phone.keyboard.press(" ")
    dialog = phone.get_by_role("dialog", name="passief contract")
    expect(dialog).to_contain_text("slapende")
    dialog.get_by_role("button", name="Uitleg sluiten").click()
    expect(dialog).to_have_count(0)
    _no_sideways_scrolling(phone)


def test_the_employee_faq_searches_on_the_server_accents_and_case_aside(phone: Page) -> None:
    _employee(phone, "/employee/faq")
    search = phone.get_by_label("Zoek in de vragen")
    count = phone.locator("#faq-count")
    expect(count).to_have_text("11 vragen en 21 begrippen gevonden")
    search.fill("BEEINDIGD")
    search.press("Enter")
    expect(count).to_have_text("2 vragen en 1 begrippen gevonden")
    question = phone.get_by_role("button", name="Hoe lang zie ik een beëindigd contract?")
    expect(question).to_be_visible()
    box = question.bounding_box()
    assert box is not None and box["height"] >= 44
    question.focus()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Zes maanden na de einddatum.")).to_be_visible()
    # the glossary's term, with its "i"
    expect(phone.locator("#faq-terms")).to_contain_text("beëindigd contract")  # shown with a capital (CSS)
    phone.get_by_role("button", name="Uitleg: beëindigd contract").click()
    expect(phone.get_by_role("dialog", name="beëindigd contract")).to_contain_text("zes maanden")
    phone.keyboard.press("Escape")
    search.fill("hypotheek")
    search.press("Enter")
    expect(phone.locator("#faq-none")).to_contain_text("Geen vragen gevonden")
    phone.get_by_role("button", name="Alles tonen").click()
    expect(count).to_have_text("11 vragen en 21 begrippen gevonden")
    expect(search).to_have_value("")
    _no_sideways_scrolling(phone)
    assert serious_violations(phone) == []
    # English at once, searched in English
    phone.locator("#language-switch").click()
    expect(phone.get_by_role("button", name="How long do I see an ended contract?")).to_be_visible()
    search = phone.get_by_label("Search the questions")
    search.fill("franchise")
    search.press("Enter")
    expect(phone.locator("#faq-count")).to_contain_text("questions and")
    expect(phone.get_by_role("button", name="Explanation: franchise")).to_be_visible()
    phone.locator("#language-switch").click()
    expect(phone.get_by_label("Zoek in de vragen")).to_be_visible()


def test_service_and_contact_for_an_employer_sends_an_idea_to_the_office(
    page: Page, browser: Browser, server: str
) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_url(page, "/employer")
    tile = page.locator("#home-tiles").get_by_role("link", name="Service & contact")
    expect(tile).to_be_visible()
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Service & contact")).to_be_visible()
    goto(page, "/employer/service")
    with e2e_database() as db:
        contacts = contact.service_contacts(db, principal_of(db, "employer.hr"))
        demo = db.get(Employer, contacts.employer_id)
        assert demo is not None
        office_id = demo.office_id
        before = len(db.exec(select(Task.id).where(Task.kind == "employer_idea")).all())
    assert contacts.office is not None and contacts.insurers
    office = page.locator("#service-office")
    expect(office).to_contain_text(contacts.office.name)
    expect(office.get_by_role("link", name=contacts.office.email)).to_have_attribute(
        "href", f"mailto:{contacts.office.email}"
    )
    for insurer in contacts.insurers:
        expect(page.locator("#service-insurers")).to_contain_text(insurer.name)
    # the employer's FAQ, searched
    page.get_by_label("Zoek in de vragen").fill("slaper")
    page.get_by_label("Zoek in de vragen").press("Enter")
    expect(page.get_by_role("button", name="Waarom kan ik een slaper niet wijzigen?")).to_be_visible()
    expect(page.locator("#faq-count")).to_have_text("1 vragen gevonden")
    # an empty form: a message at each field, nothing sent
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#idea-subject-error")).to_have_text("Geef een onderwerp op.")
    expect(page.locator("#idea-message-error")).to_have_text("Schrijf uw bericht.")
    expect(page.get_by_label("Onderwerp")).to_have_attribute("aria-invalid", "true")
    assert serious_violations(page) == []
    page.get_by_label("Onderwerp").fill("Export ook als CSV")
    page.get_by_label("Uw bericht").fill("Graag een CSV-export naast Excel.\nDank!")
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#idea-sent")).to_contain_text(f"Uw idee 'Export ook als CSV' is naar {contacts.office.name}")
    expect(page.locator("#idea-subject-error")).to_have_text("")
    expect(page.get_by_label("Onderwerp")).to_have_value("")
    with e2e_database() as db:
        made = db.exec(select(Task).where(Task.kind == "employer_idea").order_by(col(Task.id).desc())).first()
        assert made is not None
        assert len(db.exec(select(Task.id).where(Task.kind == "employer_idea")).all()) == before + 1
        assert (made.title, made.office_id, made.employer_id) == ("Export ook als CSV", office_id, demo.id)
        idea_id = made.id
    assert serious_violations(page) == []
    # the office's adviser opens it from the to-do list: the subject, who sent it, and the message
    adviser = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    desk = adviser.new_page()
    desk.set_default_timeout(20_000)
    login(desk, "adviser", DEMO_SECRETS["adviser"])
    desk.goto(f"/intermediary/tasks?task={idea_id}")
    wait_ready(desk, "/intermediary/tasks")
    detail = desk.locator("#task-detail")
    expect(detail.get_by_role("heading", name="Export ook als CSV")).to_be_visible()
    expect(detail).to_contain_text("Idee van Hanna de Vries via 'Service & contact'")
    expect(detail).to_contain_text("Graag een CSV-export naast Excel.")
    adviser.close()
