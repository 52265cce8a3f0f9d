"""Page state belongs to the signed-in session, not to the tab's token (security issue, finding 1).

Each test lets HR open a participant, so that the tab's server-side states hold that participant's BSN, name
and salary, and then checks every websocket message a browser receives afterwards: a browser that has only
the tab's token, the same tab after logging out or after the session expired, and another user signing in in
the same tab must receive none of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from portal.models import AuthSession, Participation, Person
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready, wait_url

pytestmark = pytest.mark.e2e

NUMBER = "100001"


class Frames:
    """Every websocket message the page receives, from the moment it is attached."""

    def __init__(self, page: Page) -> None:
        self.received: list[str] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._add))

    def _add(self, payload: str | bytes) -> None:
        self.received.append(payload.decode(errors="replace") if isinstance(payload, bytes) else payload)

    def text(self) -> str:
        return "\n".join(self.received)


@pytest.fixture
def secrets_of_100001() -> list[str]:
    """The BSN and last name of participant 100001 (what HR sees on the detail page)."""
    with e2e_database() as db:
        part = db.exec(select(Participation).where(Participation.participant_number == NUMBER)).first()
        assert part is not None
        person = db.get(Person, part.person_id)
        assert person is not None
        return [person.bsn, person.last_name]


@pytest.fixture
def hr_tab(page: Page, server: str, secrets_of_100001: list[str]) -> Iterator[Page]:
    """HR signed in (a session of its own) with participant 100001's detail open: the tab's states hold the
    BSN."""
    page.context.add_cookies([{"name": "portal_session", "value": own_session("employer.hr"), "url": server}])
    frames = Frames(page)
    goto(page, f"/employer/participants/{NUMBER}")
    expect(page.get_by_text(secrets_of_100001[1]).first).to_be_visible()
    page.wait_for_timeout(300)
    assert secrets_of_100001[0] in frames.text(), "the detail page itself must receive the BSN"
    yield page


def own_session(username: str) -> str:
    """A new server-side session of ``username`` (as after a full sign-in), for tests that end it."""
    from portal.models import UserAccount
    from portal.services import accounts

    with e2e_database() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
        ticket = accounts.create_session(db, user.id)
        redeemed = accounts.redeem_ticket(db, *ticket)
        assert redeemed is not None
        return redeemed[0]


def _assert_nothing_of(frames: Frames, secrets: list[str]) -> None:
    text = frames.text()
    assert frames.received, "the page must have talked to the server"
    for secret in secrets:
        assert secret not in text, f"{secret!r} reached a browser that is not the session that loaded it"


def test_the_tab_token_alone_gets_nothing(hr_tab: Page, browser: Browser, server: str, secrets_of_100001) -> None:
    token = hr_tab.evaluate("window.sessionStorage.getItem('token')")
    assert token
    hr_tab.close()  # the victim's tab is gone; its token stays on the server with its states
    thief = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        thief.add_init_script(f"window.sessionStorage.setItem('token', {token!r})")
        page = thief.new_page()
        frames = Frames(page)
        goto(page, "/login")
        assert page.evaluate("window.sessionStorage.getItem('token')") == token, "the stolen token was used"
        page.wait_for_timeout(500)
        _assert_nothing_of(frames, secrets_of_100001)
        expect(page.get_by_text(secrets_of_100001[1])).to_have_count(0)
    finally:
        thief.close()


def test_logout_then_reload_gets_nothing(hr_tab: Page, secrets_of_100001: list[str]) -> None:
    hr_tab.get_by_role("button", name="Uitloggen").click()
    wait_url(hr_tab, "/login")
    wait_ready(hr_tab, "/login")
    frames = Frames(hr_tab)
    hr_tab.reload()
    wait_ready(hr_tab, "/login")
    hr_tab.wait_for_timeout(500)
    _assert_nothing_of(frames, secrets_of_100001)


def test_idle_expiry_then_reload_gets_nothing(hr_tab: Page, secrets_of_100001: list[str]) -> None:
    cookie = next(c["value"] for c in hr_tab.context.cookies() if c["name"] == "portal_session")
    from portal.services.accounts._common import _hash

    with e2e_database() as db:
        session = db.exec(select(AuthSession).where(AuthSession.token_hash == _hash(f"session:{cookie}"))).one()
        session.last_seen_at = session.last_seen_at - timedelta(hours=5)
        db.add(session)
    frames = Frames(hr_tab)
    hr_tab.reload()
    wait_url(hr_tab, "/login")
    wait_ready(hr_tab, "/login")
    hr_tab.wait_for_timeout(500)
    _assert_nothing_of(frames, secrets_of_100001)


def test_another_user_in_the_same_tab_never_sees_the_previous_users_data(
    hr_tab: Page, secrets_of_100001: list[str]
) -> None:
    # the adviser's session cookie replaces HR's in the same tab, without a logout
    hr_tab.context.clear_cookies()
    frames = Frames(hr_tab)
    login(hr_tab, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(hr_tab, "/intermediary")
    hr_tab.wait_for_timeout(500)
    _assert_nothing_of(frames, secrets_of_100001)
