"""End-to-end: a signed form (DOC-5, EE-5). The employer prepares a deferred-compensation agreement for the demo
employee, who reviews and signs it on a 390 × 844 phone with a fresh code of the authenticator app; the employer
countersigns with a fresh code of their own and verifies both signatures; the filed PDF opens in the employer's
document list and the employee's archive, and the amount is a change in the participant's history; an exit gives
the employee the pre-filled exit form."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, select

from portal.i18n import formatting as fmt
from portal.models import Document, Employer, Form, JobRun, Mutation, Participation, Person
from portal.services import background, forms
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
AMOUNT = Decimal("150.00")
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
        # the job the commit queued (the PDF rendered, the form sent), run here: this process's queue is not the
        # server's
        for run_id in db.exec(select(JobRun.id).where(JobRun.kind == forms.EXIT_JOB, JobRun.status == "queued")):
            with contextlib.suppress(background.MailsNotSent):
                background.execute(run_id, forms.EXIT_JOB, forms.exit_job)
        return form.id or 0


def _is_the_pdf(page: Page, link: str | None) -> None:
    """The link the page shows serves a PDF (with the browser's own cookies)."""
    assert link and link.startswith("/files/")
    answer = page.request.get(link)
    assert answer.ok and answer.headers["content-type"] == "application/pdf" and answer.body().startswith(b"%PDF")


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

    # the employer countersigns with a fresh code of their own app (a wrong one is said at the field) and
    # verifies both signatures
    goto(page, "/employer/forms")
    row = page.locator("#form-table tbody tr", has_text="Assob")
    expect(row.locator(".form-status")).to_have_text("Wacht op medeondertekening")
    row.get_by_role("button", name="Medeondertekenen").click()
    dialog = page.get_by_role("alertdialog")
    dialog.get_by_label("Verificatiecode").fill("000000")
    dialog.get_by_role("button", name="Medeondertekenen").click()
    expect(dialog.locator("#countersign-code-error")).not_to_be_empty()  # the dialog stays open
    assert serious_violations(page) == []  # with the dialog and its message
    dialog.get_by_label("Verificatiecode").fill(TOTP.code(DEMO_SECRETS["employer.hr"]))
    dialog.get_by_role("button", name="Medeondertekenen").click()
    expect(page.locator("#form-notice")).to_contain_text("Medeondertekend")
    expect(dialog).to_have_count(0)
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
        filed = db.get(Document, done.document_id)
        assert filed is not None
        title, employer = filed.title, db.get(Employer, filed.employer_id)
        assert employer is not None

    # the filed PDF opens in the employer's document list (legal documents), through the page's own viewer
    goto(page, "/employer/documents")
    page.get_by_role("button", name=re.compile(r"^Juridisch")).click()
    listed = page.get_by_role("table", name="Documenten").get_by_role("row").filter(has_text=title)
    listed.get_by_role("button", name=f"{title} openen").click()
    frame = page.get_by_title(f"PDF: {title}")
    expect(frame).to_be_visible()
    _is_the_pdf(page, frame.get_attribute("src"))

    # the deferral is a change in the participant's history, its amount in words of money
    goto(page, "/employer/participants/100001")
    change = page.locator("#history tr", has_text="Salarisuitruil")
    expect(change.locator(".history-changes")).to_contain_text(f"Salarisuitruil per maand: {fmt.money(AMOUNT, 'nl')}")

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

    # the filed PDF opens in the employee's own archive too (on the phone: the viewer's links)
    goto(phone, "/employee/documents")
    archived = phone.get_by_role("list", name="Mijn archief").get_by_role("listitem").filter(has_text=title)
    archived.get_by_role("button", name=re.compile("^Bekijken: " + re.escape(title))).click()
    expect(phone.locator("#statement-viewer")).to_be_visible()
    _is_the_pdf(phone, phone.locator("#statement-open-tab").get_attribute("href"))
    assert_fits_the_phone(phone)

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
