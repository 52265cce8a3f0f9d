"""The login hand-over route ``/auth/complete``: ticket bound to its browser, session cookie with a Max-Age."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from portal.api.routes import SESSION_COOKIE, api
from portal.core.config import get_settings
from portal.models import AuditEvent, AuthSession, Employer, RoleGrant, UserAccount
from portal.services import accounts


def _ticket(db: Session) -> accounts.LoginTicket:
    """A finished login of an HR user (an employer's account, so the home is /employer)."""
    employer = Employer(name="Alpha BV", kvk_number="11111111")
    user = UserAccount(username="hr", email="hr@example.nl", status="active", password_hash="x")
    db.add_all([employer, user])
    db.flush()
    db.add(RoleGrant(user_id=user.id or 0, role="hr", employer_id=employer.id))
    issued = accounts.create_session(db, user.id or 0, ip="10.0.0.1")
    db.commit()
    return issued


def test_ticket_with_its_browser_key_gives_a_session_cookie_that_ends_with_the_session(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_SESSION_HOURS", "9")
    get_settings.cache_clear()
    try:
        issued = _ticket(db)
        client = TestClient(api, base_url="http://localhost")
        client.cookies.set(accounts.BROWSER_COOKIE, issued.browser_key, path="/auth/complete")
        answer = client.get(f"/auth/complete?ticket={issued.ticket}", follow_redirects=False)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert (answer.status_code, answer.headers["location"]) == (303, "/employer")
    cookies = answer.headers.get_list("set-cookie")
    (session_cookie,) = [c for c in cookies if c.startswith(f"{SESSION_COOKIE}=")]
    assert "Max-Age=32400" in session_cookie and "HttpOnly" in session_cookie
    (cleared,) = [c for c in cookies if c.startswith(f"{accounts.BROWSER_COOKIE}=")]
    assert "Max-Age=0" in cleared and "Path=/auth/complete" in cleared


def test_ticket_url_opened_in_another_browser_gives_no_session(db: Session) -> None:
    issued = _ticket(db)
    other = TestClient(api, base_url="http://localhost")  # no browser key: not the browser that signed in
    answer = other.get(f"/auth/complete?ticket={issued.ticket}", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")
    assert not any(c.startswith(f"{SESSION_COOKIE}=") for c in answer.headers.get_list("set-cookie"))
    db.expire_all()
    session = db.exec(select(AuthSession)).one()
    assert (session.end_reason, session.token_hash) == ("ticket_foreign", None)
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "login.ticket_refused")).one().ip == "testclient"
    # the right browser comes too late: the ticket is spent
    mine = TestClient(api, base_url="http://localhost")
    mine.cookies.set(accounts.BROWSER_COOKIE, issued.browser_key, path="/auth/complete")
    assert mine.get(f"/auth/complete?ticket={issued.ticket}", follow_redirects=False).headers["location"] == "/login"
