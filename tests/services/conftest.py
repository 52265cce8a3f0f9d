"""Fixtures for service tests: a real SMTP server that the portal's mail service delivers to, and signing in a
demo user for a state test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.core.config import get_settings
from portal.models import UserAccount
from portal.services import accounts
from tests.smtp import SmtpCapture


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpCapture]:
    """An aiosmtpd server on a free port; PORTAL_SMTP_URL points at it for the duration of the test."""
    with SmtpCapture() as server:
        monkeypatch.setenv("PORTAL_SMTP_URL", server.url)
        get_settings.cache_clear()
        try:
            yield server
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()


@pytest.fixture
def sign_in(db: Session, demo_data: None, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Sign a demo user in for a state test: a real session, whose token the states read as the browser's."""

    def on(username: str) -> None:
        user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
        redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
        assert redeemed is not None
        db.commit()
        monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])

    return on
