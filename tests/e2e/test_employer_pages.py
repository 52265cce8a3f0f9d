"""End-to-end: the employer's scheme page (EMP-7), company page (EMP-8), accounts page (EMP-9) and home counts."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import AuditEvent, Employer, UserAccount
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.smtp import SmtpCapture, body_of

pytestmark = pytest.mark.e2e

DEMO_EMPLOYER = "Noordkade Logistiek B.V."


def employer_login(page: Page, username: str) -> None:
    """Sign in as a demo employer user and wait for the home page's server check."""
    login(page, username, DEMO_SECRETS[username])
    wait_ready(page, "/employer")


def sign_in(page: Page, username: str, path: str) -> None:
    employer_login(page, username)
    goto(page, path)


def test_home_tiles_show_counts(page: Page) -> None:
    employer_login(page, "employer.hr")
    tiles = page.locator("#home-tiles")
    expect(tiles.get_by_role("link", name=re.compile(r"Documenten"))).to_contain_text(re.compile(r"\d+ ongelezen"))
    expect(tiles.get_by_role("link", name=re.compile(r"^Deelnemers"))).to_contain_text(re.compile(r"\d+ actief"))


def test_scheme_page_shows_parameters_formatted_and_switches_scheme(page: Page) -> None:
    sign_in(page, "employer.finance", "/employer/scheme")
    expect(page.get_by_text("niet via het portaal doorgeven")).to_be_visible()
    details = page.locator("#scheme-details")
    expect(details).to_contain_text("Ouderdomspensioen (OP)")
    expect(details).to_contain_text("a.s.r. Levensverzekering N.V.")
    expect(details).to_contain_text("01-01-2016")
    expect(details).to_contain_text("Nieuwe medewerkers automatisch aanmelden")  # shown; only an adviser changes it
    expect(page.get_by_role("checkbox", name="Nieuwe medewerkers automatisch aanmelden")).to_have_count(0)
    years = page.get_by_role("table", name="Parameters per jaar")
    expect(years.get_by_role("row")).to_have_count(4)  # header + 2026, 2025, 2024
    row_2025 = years.get_by_role("row").filter(has_text="2025")
    expect(row_2025).to_contain_text("€ 137.800,00")
    expect(row_2025).to_contain_text("€ 18.475,00")
    expect(row_2025).to_contain_text("23,500%")
    bands = page.get_by_role("table", name="Premiestaffel")
    expect(bands.get_by_role("row").filter(has_text="45 – 49")).to_contain_text("11,700%")

    page.get_by_label("Kies een regeling").click()
    page.get_by_role("option", name=re.compile("Nabestaandenpensioen")).click()
    expect(details).to_contain_text("Nabestaandenpensioen (NP)")
    expect(details).to_contain_text("02")
    expect(years.get_by_role("columnheader", name="Opbouw per dienstjaar")).to_be_visible()
    expect(years.get_by_role("row").filter(has_text="2026")).to_contain_text("1,225%")


def _restore_demo_employer(address: dict[str, str]) -> None:
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER)).one()
        for name, value in address.items():
            setattr(employer, name, value)
        db.add(employer)


def test_company_address_bad_postcode_at_the_field_then_saved(page: Page) -> None:
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER)).one()
        before = {
            k: getattr(employer, k) for k in ("postal_street", "postal_house_number", "postal_code", "postal_city")
        }
    try:
        sign_in(page, "employer.finance", "/employer/company")
        company = page.locator("#company")
        expect(company).to_contain_text("24345678")
        expect(page.locator("#adviser")).to_contain_text("Van Leeuwen Pensioenadvies B.V.")
        expect(page.locator("#me")).to_contain_text("Frank Bakker")
        page.get_by_role("button", name="Adres en contactpersoon aanpassen").click()
        page.get_by_label("Straat of postbus").fill("Wilhelminakade")
        page.get_by_label("Nummer", exact=True).fill("77")
        postcode = page.get_by_label("Postcode")
        postcode.fill("3000 SA")
        page.get_by_label("Plaats").fill("Rotterdam")
        page.get_by_role("button", name="Opslaan").click()
        error = page.locator("#f-postal_code-error")
        expect(error).to_contain_text("Vul een geldige postcode in")
        expect(postcode).to_have_attribute("aria-invalid", "true")
        with e2e_database() as db:
            unchanged = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER)).one()
            assert unchanged.postal_code == before["postal_code"], "nothing may be saved on an error"

        postcode.fill("3072 ap")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("Uw wijzigingen zijn opgeslagen.")).to_be_visible()
        expect(company).to_contain_text("3072 AP")
        page.reload()
        wait_ready(page, "/employer/company")
        expect(company).to_contain_text("Wilhelminakade 77")
        expect(company).to_contain_text("3072 AP")
        with e2e_database() as db:
            event = db.exec(
                select(AuditEvent).where(AuditEvent.action == "company.contact_changed").order_by(AuditEvent.id.desc())
            ).first()
        assert event is not None and event.actor_name == "employer.finance"
        assert json.loads(event.detail)["new"]["postal_code"] == "3072 AP"
    finally:
        _restore_demo_employer(before)


def test_users_page_creates_an_account_that_receives_the_invitation(page: Page, smtp: SmtpCapture) -> None:
    email = "lotte.smit@noordkade-logistiek.example"
    sign_in(page, "employer.hr", "/employer/users")
    accounts = page.get_by_role("table", name="Accounts van uw bedrijf")
    expect(accounts.get_by_role("row").filter(has_text="Hanna de Vries")).to_contain_text("Dit bent u")
    expect(accounts.get_by_role("row").filter(has_text="Frank Bakker")).to_contain_text("Finance")

    form = page.locator("#new-account-form")
    form.get_by_label("Naam").fill("Lotte Smit")
    form.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.locator("#new-roles-error")).to_have_text("Kies minstens één rol.")

    page.get_by_role("checkbox", name="HR").check()
    page.get_by_role("checkbox", name="Finance").check()
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.get_by_text(f"Er is een e-mail gestuurd naar {email}")).to_be_visible()
    row = accounts.get_by_role("row").filter(has_text="Lotte Smit")
    expect(row).to_contain_text("Uitgenodigd")
    expect(row).to_contain_text("HR")
    expect(row).to_contain_text("Finance")
    expect(row.get_by_role("cell").nth(0)).to_have_text("—")  # no username before activation
    expect(form.get_by_label("Naam")).to_have_value("")  # the form is cleared after a success

    mail = smtp.wait_for(email, subject_contains="account", timeout=20)
    assert "/activate" in body_of(mail)
    with e2e_database() as db:
        user = db.exec(select(UserAccount).where(UserAccount.email == email)).one()
        assert user.status == "invited"

    # Change the roles (drop Finance), then disable the account.
    row.get_by_role("button", name=re.compile("Rollen wijzigen")).click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("checkbox", name="Finance")).to_be_checked()
    dialog.get_by_role("checkbox", name="Finance").uncheck()
    dialog.get_by_role("button", name="Rollen opslaan").click()
    expect(page.get_by_text("De rollen van Lotte Smit zijn opgeslagen.")).to_be_visible()
    expect(row).not_to_contain_text("Finance")
    row.get_by_role("button", name=re.compile("Uitschakelen")).click()
    page.get_by_role("alertdialog").get_by_role("button", name="Uitschakelen").click()
    expect(row).to_contain_text("Uitgeschakeld")
    with e2e_database() as db:
        actions = [
            e.action
            for e in db.exec(select(AuditEvent).where(AuditEvent.object_id == str(user.id))).all()
            if e.object_type == "user_account"
        ]
    assert {"account.invited", "account.roles_changed", "account.disabled"} <= set(actions)


def test_finance_user_gets_no_access_to_the_accounts_page(page: Page) -> None:
    employer_login(page, "employer.finance")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Portaalaccounts")).to_have_count(0)
    page.goto("/employer/users")
    wait_url(page, "/no-access")
    expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    expect(page.get_by_text("Accounts van uw bedrijf")).to_have_count(0)


@pytest.mark.parametrize("path", ["/employer/scheme", "/employer/company", "/employer/users"])
def test_employer_pages_have_no_serious_violations(page: Page, path: str) -> None:
    sign_in(page, "employer.hr", path)
    expect(page.locator("main h2").first).to_be_visible()
    assert serious_violations(page) == []
    if path == "/employer/company":  # the open form with a message at a field
        page.get_by_role("button", name="Adres en contactpersoon aanpassen").click()
        page.get_by_label("Postcode").fill("12")
        page.get_by_role("button", name="Opslaan").click()
        expect(page.locator("#f-postal_code-error")).not_to_be_empty()
        assert serious_violations(page) == []
    if path == "/employer/users":  # the role dialog
        page.get_by_role("table", name="Accounts van uw bedrijf").get_by_role(
            "button", name=re.compile("Rollen wijzigen")
        ).first.click()
        expect(page.get_by_role("dialog")).to_be_visible()
        # the opening animations (dialog and overlay) have finished: half-transparent text fails contrast
        page.evaluate(
            "Promise.all(document.getAnimations()"
            ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)"
            ".map(a => a.finished.catch(() => null)))"
        )
        assert serious_violations(page) == []
