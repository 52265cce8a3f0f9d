"""End-to-end: login with TOTP per demo account, role menus, no-access guard, lock-out, activation."""

from __future__ import annotations

import re

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import AuditEvent, UserAccount
from portal.services import accounts
from portal.services.errors import FieldError
from tests.e2e.conftest import (
    DEMO_PASSWORD,
    DEMO_SECRETS,
    TOTP,
    e2e_database,
    goto,
    login,
    wait_ready,
    wait_url,
)
from tests.smtp import SmtpCapture, body_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("username", "home", "role_text"),
    [
        ("employer.hr", "/employer", "HR"),
        ("employer.finance", "/employer", "Finance"),
        ("adviser", "/intermediary", "Adviseur"),
        ("employee", "/employee", None),
    ],
)
def test_demo_account_lands_on_own_front_end(page: Page, username: str, home: str, role_text: str | None) -> None:
    login(page, username, DEMO_SECRETS[username], fresh=True)
    wait_url(page, home)
    wait_ready(page, home)
    expect(page.locator("#user-name")).not_to_be_empty()
    if role_text:
        expect(page.locator("#user-role")).to_contain_text(role_text)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


def test_finance_user_sees_no_hr_entries_and_server_refuses(page: Page) -> None:
    login(page, "employer.finance", DEMO_SECRETS["employer.finance"])
    wait_ready(page, "/employer")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Documenten")).to_be_visible()
    expect(nav.get_by_role("link", name="Pensioenregeling")).to_be_visible()
    for hidden in ("Deelnemers", "Nieuwe deelnemer", "Collectieve wijzigingen", "Export", "Portaalaccounts"):
        expect(nav.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    # Typing the address of an HR page is refused by the server, not just hidden.
    page.goto("/employer/participants")
    wait_url(page, "/no-access")
    expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()


def test_hr_user_sees_hr_and_user_management_entries(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    for shown in ("Deelnemers", "Collectieve wijzigingen", "Export", "Portaalaccounts"):
        expect(nav.get_by_role("link", name=shown, exact=True)).to_be_visible()


def test_employee_opening_employer_gets_no_access_and_audit(page: Page) -> None:
    login(page, "employee", DEMO_SECRETS["employee"])
    wait_ready(page, "/employee")
    page.goto("/employer")
    wait_url(page, "/no-access")
    expect(page.get_by_role("heading", name="Geen toegang")).to_be_visible()
    expect(page.get_by_text("Deelnemers", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Naar mijn startpagina")).to_have_attribute("href", "/employee")
    with e2e_database() as db:
        denied = db.exec(
            select(AuditEvent).where(AuditEvent.action == "access.denied", AuditEvent.object_id == "/employer")
        ).all()
    assert denied, "a refused route must leave an audit entry"


def test_not_signed_in_is_sent_to_login(page: Page) -> None:
    page.goto("/intermediary")
    wait_url(page, "/login")
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()


def test_replayed_totp_code_is_refused(page: Page) -> None:
    secret = DEMO_SECRETS["adviser"]
    login(page, "adviser", secret, fresh=True)
    wait_ready(page, "/intermediary")
    used = pyotp.TOTP(secret).at(TOTP.last_step[secret] * 30)
    page.get_by_role("button", name="Uitloggen").click()
    wait_url(page, "/login")
    wait_ready(page, "/login")
    page.get_by_label("Gebruikersnaam").fill("adviser")
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Verificatiecode").fill(used)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile(r"\S"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login/?$"))


def test_five_wrong_passwords_lock_the_account(page: Page) -> None:
    goto(page, "/login")
    for _ in range(5):
        page.get_by_label("Gebruikersnaam").fill("employer.finance")
        page.get_by_label("Wachtwoord", exact=True).fill("wrong-password-123")
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("alert").filter(has_text=re.compile(r"\S"))).to_be_visible()
    locked = page.get_by_role("alert").filter(has_text="tijdelijk geblokkeerd")
    expect(locked).to_be_visible()

    # Even the right password is refused while locked (wait for the refusal's audit entry, not a fixed time).
    def locked_refusals() -> int:
        with e2e_database() as db:
            failed = db.exec(
                select(AuditEvent).where(
                    AuditEvent.action == "login.failed", AuditEvent.object_id == "employer.finance"
                )
            ).all()
            return sum('"reason": "locked"' in (e.detail or "") for e in failed)

    before = locked_refusals()
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    for _ in range(100):
        if locked_refusals() > before:
            break
        page.wait_for_timeout(100)
    assert locked_refusals() > before, "the attempt with the right password was not refused as locked"
    expect(locked).to_be_visible()
    expect(page.get_by_label("Verificatiecode")).to_have_count(0)
    with e2e_database() as db:
        from portal.models import LoginThrottle

        locks = db.exec(
            select(AuditEvent).where(AuditEvent.action == "login.locked", AuditEvent.object_id == "employer.finance")
        ).all()
        assert locks and '"scope": "client"' in locks[-1].detail
        this_browser = locks[-1].ip
        with pytest.raises(FieldError) as refused:
            accounts.check_password(db, "employer.finance", DEMO_PASSWORD, ip=this_browser)
        assert refused.value.key == "login_locked"
        # the lock holds for this client only: the same user signing in from elsewhere is not locked out
        assert accounts.check_password(db, "employer.finance", DEMO_PASSWORD, ip="192.0.2.50").user_id
        # unlock again so that other tests can use the finance account
        for row in db.exec(select(LoginThrottle).where(LoginThrottle.username == "employer.finance")).all():
            db.delete(row)


def test_ticket_url_opened_in_another_browser_gives_no_session(browser, server) -> None:
    """The one-time ticket of a finished login counts only in the browser that finished it."""
    mine = browser.new_context(base_url=server, locale="nl-NL")
    page = mine.new_page()
    page.set_default_timeout(20_000)
    tickets: list[str] = []

    def hold(route) -> None:  # the browser that signed in never gets to use its ticket
        tickets.append(route.request.url)
        route.abort()

    page.route(re.compile(r".*/auth/complete\?ticket=.*"), hold)
    login(page, "employer.finance", DEMO_SECRETS["employer.finance"], fresh=True)
    for _ in range(60):
        if tickets:
            break
        page.wait_for_timeout(250)
    assert tickets, "the login did not hand over a ticket"
    assert any(c["name"] == accounts.BROWSER_COOKIE for c in mine.cookies(tickets[0]))
    other = browser.new_context(base_url=server, locale="nl-NL")
    stranger = other.new_page()
    stranger.goto(tickets[0])
    wait_url(stranger, "/login")
    assert not [c for c in other.cookies() if c["name"] == "portal_session"]
    stranger.goto("/employer")
    wait_url(stranger, "/login")
    with e2e_database() as db:
        refused = db.exec(select(AuditEvent).where(AuditEvent.action == "login.ticket_refused")).all()
    assert refused and "browser_key_missing" in refused[-1].detail
    other.close()
    mine.close()


def test_language_switch_and_dark_mode(page: Page) -> None:
    goto(page, "/login")
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    page.get_by_role("button", name="Language: English").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_label("Username")).to_be_visible()
    page.reload()
    wait_ready(page, "/login")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # remembered
    html = page.locator("html")
    before = html.get_attribute("class") or ""
    page.get_by_role("button", name="Toggle light/dark").click()
    expect(html).to_have_class(re.compile("dark" if "dark" not in before else "light"))
    page.get_by_role("button", name="Taal: Nederlands").click()
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()


def test_language_is_remembered_per_user(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    page.get_by_role("button", name="Language: English").click()
    expect(page.get_by_role("navigation", name="Main navigation")).to_be_visible()
    with e2e_database() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
        assert user.language == "en"
        user.language = "nl"  # leave the demo account as it was
        db.add(user)


def test_activation_with_code_from_mail_then_totp_setup(page: Page, smtp: SmtpCapture) -> None:
    email = "new.colleague@e2e.example"
    with e2e_database() as db:
        employer_id = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one().id
        from portal.models import RoleGrant

        grant = db.exec(select(RoleGrant).where(RoleGrant.user_id == employer_id)).first()
        accounts.invite_user(db, email, "New Colleague", [("hr", {"employer_id": grant.employer_id})])
    goto(page, "/activate")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur verificatiecode").click()
    mail = smtp.wait_for(email, subject_contains="code", timeout=20)
    code = re.search(r"\b(\d{6})\b", body_of(mail)).group(1)
    page.get_by_label("Verificatiecode").fill(code)
    page.get_by_role("button", name="Code controleren").click()
    page.get_by_label("Gebruikersnaam").fill("new.colleague")
    pw = page.get_by_label("Wachtwoord", exact=True)
    pw.fill("short")
    expect(page.locator("#password-strength")).to_have_text("Wachtwoord zwak")
    pw.fill("Another-strong-pass-2026")
    expect(page.locator("#password-strength")).to_have_text("Wachtwoord sterk")
    page.get_by_role("button", name="Account activeren").click()
    expect(page.get_by_text("Uw account is geactiveerd")).to_be_visible()
    for _ in range(40):  # the confirmation mail follows the code mail
        if len(smtp.messages_to(email)) >= 2:
            break
        page.wait_for_timeout(250)
    assert len(smtp.messages_to(email)) >= 2, "no confirmation mail"

    # First login: set up TOTP from the QR code's key, see ten recovery codes once, land on the employer front end.
    goto(page, "/login")
    page.get_by_label("Gebruikersnaam").fill("new.colleague")
    page.get_by_label("Wachtwoord", exact=True).fill("Another-strong-pass-2026")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("img", name="QR-code om de tweestapsverificatie in te stellen")).to_be_visible()
    secret = page.locator("#totp-setup-key").inner_text().replace(" ", "")
    page.get_by_label("Verificatiecode").fill(TOTP.code(secret))
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="Ik heb de codes bewaard, verder").click()
    wait_url(page, "/employer")
    wait_ready(page, "/employer")
    expect(page.locator("#user-role")).to_contain_text("HR")


def test_dark_mode_is_remembered_per_user_across_browsers(browser, server) -> None:
    first = browser.new_context(base_url=server)
    page = first.new_page()
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    html = page.locator("html")
    if "dark" in (html.get_attribute("class") or ""):
        page.get_by_role("button", name="Wissel licht/donker").click()
        expect(html).not_to_have_class(re.compile(r"\bdark\b"))
    page.get_by_role("button", name="Wissel licht/donker").click()
    expect(html).to_have_class(re.compile(r"\bdark\b"))
    _wait_for_stored_theme(page, "employer.hr", "dark")  # the preference has reached the server
    first.close()
    second = browser.new_context(base_url=server)  # a fresh browser profile: nothing in local storage
    other = second.new_page()
    login(other, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(other, "/employer")
    expect(other.locator("html")).to_have_class(re.compile(r"\bdark\b"))
    other.get_by_role("button", name="Wissel licht/donker").click()  # back to light for the other tests
    expect(other.locator("html")).not_to_have_class(re.compile(r"\bdark\b"))
    _wait_for_stored_theme(other, "employer.hr", "light")
    second.close()


def _wait_for_stored_theme(page: Page, username: str, theme: str) -> None:
    """Wait until the server has stored ``theme`` as the user's preference (the toggle goes over the websocket)."""
    for _ in range(100):
        with e2e_database() as db:
            if db.exec(select(UserAccount.theme).where(UserAccount.username == username)).one() == theme:
                return
        page.wait_for_timeout(100)
    raise AssertionError(f"the server did not store {theme!r} for {username}")


def test_adviser_sees_portfolio_and_opens_an_employer(page: Page) -> None:
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    table = page.get_by_role("table", name="Werkgevers in uw portefeuille")
    expect(table.get_by_role("row")).to_have_count(4)  # header + three employers
    table.get_by_role("link", name="Noordkade Logistiek B.V.").click()
    expect(page.get_by_role("heading", name="Noordkade Logistiek B.V.")).to_be_visible()
    expect(page.get_by_role("table", name="Regelingen").get_by_role("row")).to_have_count(3)


def test_adviser_cannot_open_an_employer_outside_the_portfolio(page: Page) -> None:
    from portal.models import Employer, IntermediaryOffice

    with e2e_database() as db:
        office = IntermediaryOffice(name="Another office", kvk_number="11223344")
        db.add(office)
        db.flush()
        foreign = Employer(name="Not Yours B.V.", kvk_number="44332211", office_id=office.id)
        db.add(foreign)
        db.flush()
        foreign_id = foreign.id
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    page.goto(f"/intermediary/employers/{foreign_id}")
    wait_url(page, "/no-access")
    expect(page.get_by_text("Not Yours B.V.")).to_have_count(0)
    with e2e_database() as db:
        denied = db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "access.denied",
                AuditEvent.object_id == f"/intermediary/employers/{foreign_id}",
            )
        ).all()
    assert denied and "out_of_portfolio" in denied[-1].detail  # the address names the employer (INT-2)
