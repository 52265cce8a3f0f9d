"""End-to-end (BULK-3): an employee follows the invitation link from the mail read from the SMTP server on a
390×844 phone, chooses username and password (no e-mail or code step), sets up TOTP at the first sign-in and
lands on /employee; the employer's participant detail then shows "invitation sent" and "signed in"; a wrong
link shows the one neutral message; no serious accessibility violations on the invitation page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.core.config import get_settings
from portal.jobs.queue import get_huey
from portal.models import AuditEvent, JobRun, Participation, Person
from portal.services import background, invitations
from tests.e2e.conftest import DEMO_SECRETS, TOTP, e2e_database, goto, login, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.services.employer_fixtures import demo_employer
from tests.smtp import SmtpCapture, body_of

pytestmark = pytest.mark.e2e

NUMBER = "100377"  # a participant of the demo employer without an account, used by no other e2e test
ADDRESS = "uitgenodigd.e2e@noordkade-logistiek.example"
PASSWORD = "Uitnodiging-Kade-2026!"


def _invite(server: str, smtp: SmtpCapture, monkeypatch: pytest.MonkeyPatch) -> str:
    """Give participant NUMBER a business address (as the BULK-3 apply does) and run the invitation job as a
    worker would, mailing to the session's SMTP server; the link's path from the mail."""
    monkeypatch.setenv("PORTAL_SMTP_URL", smtp.url)
    monkeypatch.setenv("PORTAL_BASE_URL", server)
    get_settings.cache_clear()
    try:
        with e2e_database() as db:
            employer = demo_employer(db)
            part = db.exec(
                select(Participation).where(
                    Participation.employer_id == employer.id, Participation.participant_number == NUMBER
                )
            ).first()
            assert part is not None
            person = db.get(Person, part.person_id)
            assert person is not None
            person.business_email = ADDRESS
            db.add(person)
            assert len(invitations.invite_persons(db, [person.id or 0])) == 1
            db.commit()
            job = db.exec(select(JobRun).where(JobRun.kind == invitations.KIND).order_by(JobRun.id.desc())).first()  # type: ignore[union-attr]
            assert job is not None
            assert background.execute(job.id or 0, invitations.KIND, invitations.invitation_job) == 1
    finally:
        get_huey().flush()  # the copy queued in this process is not for this process's consumer
        monkeypatch.undo()
        get_settings.cache_clear()
    mail = smtp.wait_for(ADDRESS, timeout=20)
    found = re.search(r"https?://[^/\s]+(/activate\?invitation=[A-Za-z0-9_-]+)", body_of(mail))
    assert found is not None, body_of(mail)
    return found.group(1)


def test_follow_the_invitation_link_activate_and_land_on_my_contracts(
    phone: Page, page: Page, server: str, smtp: SmtpCapture, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = _invite(server, smtp, monkeypatch)
    phone.goto(link)
    wait_ready(phone, "/activate")
    expect(phone.get_by_text("Uw uitnodiging is geldig")).to_be_visible()
    expect(phone.get_by_label("E-mailadres")).to_have_count(0)  # no e-mail + code step
    eid = phone.locator("#activate-eid")
    expect(eid).to_have_attribute("href", "/login")
    assert eid.bounding_box()["height"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone) == []
    phone.get_by_label("Gebruikersnaam").fill("uitgenodigd.e2e")
    phone.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Account activeren").click()
    expect(phone.get_by_text("Uw account is geactiveerd")).to_be_visible()

    # the link is used up: the same link again shows the neutral message
    phone.goto(link)
    expect(phone.get_by_text("Deze link werkt niet (meer)")).to_be_visible()

    # first sign-in: TOTP set-up, then the employee's own front end
    goto(phone, "/login")
    phone.get_by_label("Gebruikersnaam").fill("uitgenodigd.e2e")
    phone.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    phone.get_by_role("button", name="Inloggen").click()
    secret = phone.locator("#totp-setup-key").inner_text().replace(" ", "")
    phone.get_by_label("Verificatiecode").fill(TOTP.code(secret))
    phone.get_by_role("button", name="Bevestigen").click()
    phone.get_by_role("button", name="Ik heb de codes bewaard, verder").click()
    # a first sign-in is asked for a private address once (EE-6); skipping it leads to my contracts
    wait_url(phone, "/employee/welcome")
    phone.get_by_role("button", name="Nu niet").click()
    wait_url(phone, "/employee")
    wait_ready(phone, "/employee")

    # the employer sees: invitation sent, signed in — nothing more
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"], land=False)
    goto(page, f"/employer/participants/{NUMBER}")
    access = page.locator("#participant-access")
    expect(access).to_contain_text("Verstuurd op")
    expect(access).to_contain_text("Ingelogd")
    expect(access).to_contain_text("Ja")
    expect(access).not_to_contain_text(ADDRESS)


def _refusals() -> int:
    with e2e_database() as db:
        return len(db.exec(select(AuditEvent).where(AuditEvent.action == "invitation.refused")).all())


def test_a_wrong_link_shows_one_neutral_message(phone: Page) -> None:
    before = _refusals()
    phone.goto("/activate?invitation=" + "A" * 43)
    wait_ready(phone, "/activate")
    expect(phone.get_by_text("Deze link werkt niet (meer)")).to_be_visible()
    assert _refusals() == before + 1  # audited
    expect(phone.get_by_label("Gebruikersnaam")).to_have_count(0)
    assert serious_violations(phone) == []
    phone.get_by_role("link", name="Activeren met e-mailadres en code").click()
    expect(phone.get_by_label("E-mailadres")).to_be_visible()
