"""End-to-end: a signed form (DOC-5, EE-5). The employer prepares a deferred-compensation agreement for the demo
employee, who reviews and signs it on a 390 × 844 phone with a fresh code of the authenticator app; the employer
countersigns and verifies both signatures; an exit gives the employee the pre-filled exit form."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from portal.models import Form, Mutation, Participation, Person
from portal.services import forms
from tests.e2e.conftest import (
    DEMO_SECRETS,
    TOTP,
    assert_fits_the_phone,
    e2e_database,
    goto,
    login,
    server_files,
    wait_url,
)
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e

DC = "deferred_compensation"
SCREENSHOT = "/tmp/forms_phone.png"


def _gijs_forms(kind: str) -> list[Form]:
    with e2e_database() as db:
        people = db.exec(select(Person.id).where(Person.first_name == "Gijs", Person.last_name == "Assob")).all()
        return list(
            db.exec(select(Form).where(col(Form.person_id).in_(people), Form.kind == kind).order_by(col(Form.id))).all()
        )


def _arrange_exit() -> int:
    """The demo employee's exit at their former employer (ended 2021, now dormant), processed: ``on_exit`` prepares
    and sends the pre-filled exit form (the hook every processed exit runs), in the server's database and folder."""
    with server_files() as db:
        old = db.exec(
            select(Participation)
            .join(Person, col(Person.id) == Participation.person_id)
            .where(Person.first_name == "Gijs", Person.last_name == "Assob", Participation.status == "dormant")
        ).first()
        assert old is not None and old.end_date is not None
        exit_ = Mutation(
            employer_id=old.employer_id,
            scheme_id=old.scheme_id,
            participation_id=old.id,
            person_id=old.person_id,
            kind="exit",
            effective_date=old.end_date,
            status="processed",
            requested_by_name="E2E",
        )
        db.add(exit_)
        db.flush()
        form = forms.on_exit(db, exit_)
        assert form is not None
        db.commit()
        return form.id or 0


def test_deferred_compensation_is_prepared_signed_on_the_phone_countersigned_and_verified(
    page: Page, phone: Page, browser: Browser, server: str
) -> None:
    # the employer prepares the agreement for the demo employee (a bad amount first: said at the field)
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    goto(page, "/employer/forms")
    expect(page.get_by_label("Soort formulier")).to_have_value(DC)
    page.get_by_label("Deelnemer zoeken (naam of nummer)").fill("100001")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("checkbox", name="100001").click()  # the server holds the choice: checked after its answer
    expect(page.get_by_role("checkbox", name="100001")).to_be_checked()
    expect(page.locator("#form-picked")).to_contain_text("100001")
    page.get_by_label("Bedrag per maand (voorstel)").fill("abc")
    page.get_by_role("button", name="Opstellen en versturen").click()
    expect(page.locator("#form-amount-error")).not_to_be_empty()
    assert _gijs_forms(DC) == [], "refused input prepares nothing"
    page.get_by_label("Bedrag per maand (voorstel)").fill("150,00")
    page.get_by_role("button", name="Opstellen en versturen").click()
    expect(page.locator("#form-notice")).to_contain_text("1 formulier(en) opgesteld")
    [form] = _gijs_forms(DC)
    row = page.locator("#form-table tbody tr", has_text="Assob")
    expect(row.locator(".form-status")).to_have_text("Wacht op medewerker")

    # the employee finds it from My documents, reviews, fills in the start date and signs at 390 × 844
    login(phone, "employee", DEMO_SECRETS["employee"])
    goto(phone, "/employee/documents")
    expect(phone.locator("#forms-waiting")).to_have_text("1 wacht op u")
    phone.locator("#forms-entry").click()
    wait_url(phone, "/employee/forms")
    assert_fits_the_phone(phone)
    phone.locator(".my-form-link", has_text="salarisuitruil").click()
    wait_url(phone, f"/employee/forms/{form.id}")
    expect(phone.locator("#form-title")).to_contain_text("salarisuitruil")
    href = phone.locator("#form-open-pdf").get_attribute("href") or ""
    assert href.startswith("/files/")
    pdf = phone.request.get(href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    expect(phone.get_by_label("Bedrag per maand")).to_have_value("150,00")  # the employer's proposal
    phone.get_by_label("Ingangsdatum").fill(date.today().replace(day=1).isoformat())
    phone.get_by_role("button", name="Opslaan").click()
    expect(phone.locator("#form-notice")).to_contain_text("Opgeslagen")
    expect(phone.locator("#form-open-pdf")).not_to_have_attribute("href", href)  # the new rendering to review
    phone.get_by_label("Verificatiecode").fill("000000")
    phone.get_by_role("button", name="Ondertekenen").click()
    expect(phone.locator("#form-code-error")).not_to_be_empty()
    assert_fits_the_phone(phone)
    assert serious_violations(phone) == []
    phone.get_by_label("Verificatiecode").fill(TOTP.code(DEMO_SECRETS["employee"]))
    phone.locator("#form-sign").scroll_into_view_if_needed()
    phone.screenshot(path=SCREENSHOT)
    phone.get_by_role("button", name="Ondertekenen").click()
    expect(phone.locator("#form-notice")).to_contain_text("Ondertekend")
    expect(phone.locator(".form-status")).to_have_text("Wacht op medeondertekening")
    expect(phone.get_by_label("Verificatiecode")).to_have_count(0)  # signed once: no second signature
    assert_fits_the_phone(phone)

    # the employer countersigns (after a confirm) and verifies both signatures
    goto(page, "/employer/forms")
    row = page.locator("#form-table tbody tr", has_text="Assob")
    expect(row.locator(".form-status")).to_have_text("Wacht op medeondertekening")
    row.get_by_role("button", name="Medeondertekenen").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Medeondertekenen").click()
    expect(page.locator("#form-notice")).to_contain_text("Medeondertekend")
    expect(row.locator(".form-status")).to_have_text("Afgerond")
    row.get_by_role("button", name="Controleren").click()
    checks = page.locator("#form-checks .form-check")
    expect(checks).to_have_count(2)
    expect(checks.nth(0)).to_contain_text("Handtekening medewerker")
    expect(checks.nth(1)).to_contain_text("Handtekening werkgever")
    for i in range(2):
        expect(checks.nth(i).locator(".check-result")).to_have_text("Intact")
        expect(checks.nth(i)).to_contain_text("Certificaat")
    assert serious_violations(page) == []
    with e2e_database() as db:
        done = db.get(Form, form.id)
        assert done is not None and done.status == "completed" and done.completed_sha256

    # the adviser sees the same forms acting for the employer (INT-2), and verifies them there too
    adviser = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="nl-NL").new_page()
    try:
        login(adviser, "adviser", DEMO_SECRETS["adviser"])
        goto(adviser, f"/intermediary/employers/{form.employer_id}/forms")
        acted = adviser.locator("#form-table tbody tr", has_text="Assob")
        expect(acted.locator(".form-status")).to_have_text("Afgerond")
        acted.get_by_role("button", name="Controleren").click()
        expect(adviser.locator("#form-checks .check-result")).to_have_text(["Intact", "Intact"])
    finally:
        adviser.context.close()

    # an exit: the pre-filled exit form waits in the employee's list, and opens
    exit_id = _arrange_exit()
    goto(phone, "/employee/forms")
    card = phone.locator(".my-form-link", has_text="Uitdienstformulier")
    expect(card).to_contain_text("Wacht op uw handtekening")
    card.click()
    wait_url(phone, f"/employee/forms/{exit_id}")
    expect(phone.get_by_label("Uw keuze")).to_be_visible()
    assert_fits_the_phone(phone)


def test_a_form_of_someone_else_in_the_url_is_not_shown(phone: Page) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    goto(phone, "/employee/forms/99999999")
    expect(phone.locator("#form-message")).to_have_text("Dit formulier is niet beschikbaar.")
    expect(phone.locator("#form-sign")).to_have_count(0)
