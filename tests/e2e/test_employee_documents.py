"""My documents and My profile on a 390×844 phone (EE-3, EE-4): the latest statement opens (its PDF fetched
through the signed link), someone else's statement by URL is refused and audited, the private e-mail address is
changed and confirmed with the link read from the real SMTP server, the first-sign-in step is asked once;
nothing wider than the screen, no serious accessibility violations on either page."""

from __future__ import annotations

import json
import re
import secrets
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from portal.models import AuditEvent, Participation, Person, Scheme, UserAccount
from portal.services.documents import statements
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, server_files, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.services.employer_fixtures import demo_employer, participation_of, principal_of, schemes_of
from tests.smtp import SmtpCapture, body_of

pytestmark = pytest.mark.e2e

TODAY = date(2026, 11, 1)
LINK = re.compile(r"https?://[^/\s]+(/confirm-email\?token=[A-Za-z0-9_-]+)")


def _statements() -> tuple[int, int]:
    """Gijs's 2026 OP statement and someone else's, made by HR in the server's database and folder."""
    with server_files() as db:
        hr = principal_of(db, "employer.hr")
        op = schemes_of(db, demo_employer(db).id)["OP"]
        mine = statements.request_statement(db, hr, participation_of(db, op).id, 2026, today=TODAY)
        other = db.exec(
            select(Participation)
            .join(Scheme, col(Scheme.id) == Participation.scheme_id)
            .where(Participation.scheme_id == op.id, Participation.status == "active")
            .where(Participation.start_date <= date(2026, 1, 1), Participation.participant_number != "100001")
            .order_by(col(Participation.id))
        ).first()
        theirs = statements.request_statement(db, hr, other.id, 2026, today=TODAY)
        db.commit()
        return mine.id or 0, theirs.id or 0


def _signed_in(phone: Page, path: str) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")
    goto(phone, path)


def _fits(phone: Page) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    assert phone.locator("main table").count() == 0
    assert serious_violations(phone) == []


def test_the_latest_statement_opens_and_its_pdf_downloads(phone: Page) -> None:
    mine, _theirs = _statements()
    _signed_in(phone, "/employee/documents")
    cards = phone.get_by_role("list", name="Laatste pensioenoverzichten").get_by_role("listitem")
    expect(cards.first).to_contain_text("Pensioenoverzicht 2026")
    _fits(phone)
    cards.first.get_by_role("button", name=re.compile("^Bekijken: Pensioenoverzicht 2026")).click()
    viewer = phone.locator("#statement-viewer")
    expect(viewer).to_be_visible()
    download = phone.locator("#statement-download")
    box = download.bounding_box()
    assert box is not None and box["height"] >= 44
    href = download.get_attribute("href") or ""
    assert href.startswith("/files/")
    answer = phone.request.get(href)  # the browser's own cookies: the signed link serves the employee
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF") and "attachment" in answer.headers.get("content-disposition", "")
    view = phone.request.get(phone.locator("#statement-open-tab").get_attribute("href") or "")
    assert view.ok and view.body().startswith(b"%PDF")
    _fits(phone)
    with e2e_database() as db:
        opened = db.exec(select(AuditEvent).where(AuditEvent.action == "document.opened")).all()
        assert str(mine) in {e.object_id for e in opened}


def test_someone_elses_statement_by_url_is_refused_and_audited(phone: Page) -> None:
    _mine, theirs = _statements()
    login(phone, "employee", DEMO_SECRETS["employee"])
    wait_url(phone, "/employee")
    phone.goto(f"/employee/documents?doc={theirs}")
    wait_ready(phone, "/employee/documents")
    expect(phone.locator("#mydocs-message")).to_contain_text("niet beschikbaar")
    expect(phone.locator("#statement-viewer")).to_have_count(0)
    with e2e_database() as db:
        denied = db.exec(
            select(AuditEvent).where(AuditEvent.action == "access.denied", AuditEvent.object_id == str(theirs))
        ).all()
        assert [json.loads(e.detail)["path"] for e in denied] == ["/employee/documents"]


def test_change_the_private_address_and_confirm_it_with_the_mailed_link(phone: Page, smtp: SmtpCapture) -> None:
    address = f"gijs.{secrets.token_hex(3)}@prive.example"
    _signed_in(phone, "/employee/profile")
    with e2e_database() as db:
        bsn = db.get(Person, principal_of(db, "employee").person_id).bsn
    expect(phone.locator("#profile-national-id")).to_have_text("•" * (len(bsn) - 3) + bsn[-3:])
    expect(phone.locator("#personal")).to_contain_text("Deze gegevens beheert uw werkgever")
    _fits(phone)
    phone.get_by_label("Nieuw privé-e-mailadres").fill(address)
    phone.get_by_role("button", name="Bevestigingsmail sturen").click()
    expect(phone.locator("#pending-email")).to_contain_text(address)
    mail = smtp.wait_for(address, "Bevestig")
    found = LINK.search(body_of(mail))
    assert found is not None
    expect(phone.locator("#private-email-current")).not_to_contain_text(address)  # not before it is confirmed
    phone.goto(found.group(1))
    wait_ready(phone, "/confirm-email")
    expect(phone.locator("#confirmed-email")).to_have_text(address)
    goto(phone, "/employee/profile")
    expect(phone.locator("#private-email-current")).to_contain_text(address)
    phone.goto(found.group(1))  # the link works once
    wait_ready(phone, "/confirm-email")
    expect(phone.get_by_text("Deze link werkt niet meer")).to_be_visible()
    assert len(smtp.messages_to(address)) == 1
    with e2e_database() as db:
        account = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
        assert account.private_email == address


def test_the_first_sign_in_asks_for_the_private_address_once(phone: Page) -> None:
    with e2e_database() as db:
        account = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
        account.private_email_asked_at, kept = None, account.private_email
        account.private_email = ""
        db.add(account)
        db.commit()
    try:
        login(phone, "employee", DEMO_SECRETS["employee"])  # the home sends on to the question
        wait_url(phone, "/employee/welcome")
        expect(phone.get_by_label("Privé-e-mailadres")).to_be_visible()
        _fits(phone)
        phone.get_by_role("button", name="Nu niet").click()
        wait_url(phone, "/employee")
        phone.locator("#contracts > li").first.wait_for()
        goto(phone, "/employee")  # not asked again
        phone.locator("#contracts > li").first.wait_for()
        assert "/employee/welcome" not in phone.url
    finally:
        with e2e_database() as db:
            account = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
            account.private_email = kept
            db.add(account)
            db.commit()
