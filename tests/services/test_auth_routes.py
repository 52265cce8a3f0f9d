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


def test_every_sign_in_gets_a_new_session_id_and_ends_the_one_the_browser_held(db: Session) -> None:
    """Session fixation (ASVS 3.2.1, 3.3.1): the server makes the session id at sign-in, never takes one the
    browser brings, and a session the browser held before (another user's, or a planted one) ends then."""
    first = _ticket(db)
    browser = TestClient(api, base_url="http://localhost")
    browser.cookies.set(SESSION_COOKIE, "planted-by-an-attacker", path="/")
    browser.cookies.set(accounts.BROWSER_COOKIE, first.browser_key, path="/auth/complete")
    answer = browser.get(f"/auth/complete?ticket={first.ticket}", follow_redirects=False)
    old = answer.cookies.get(SESSION_COOKIE)
    assert old and old != "planted-by-an-attacker"
    user_id = db.exec(select(UserAccount).where(UserAccount.username == "hr")).one().id or 0
    # the same browser signs in again (the cookie of the first session is still there)
    second = accounts.create_session(db, user_id, ip="10.0.0.1")
    db.commit()
    browser.cookies.set(SESSION_COOKIE, old, path="/")
    browser.cookies.set(accounts.BROWSER_COOKIE, second.browser_key, path="/auth/complete")
    answer = browser.get(f"/auth/complete?ticket={second.ticket}", follow_redirects=False)
    new = answer.cookies.get(SESSION_COOKIE)
    assert new and new != old
    db.expire_all()
    assert accounts.resolve_session(db, old) is None  # the id known before the sign-in is worth nothing now
    assert accounts.resolve_session(db, new) is not None
    ended = db.exec(select(AuthSession).where(AuthSession.end_reason == "replaced")).one()
    assert ended.user_id == user_id
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "session.ended")).all()
    assert [e.object_id for e in events] == [str(ended.id)]
