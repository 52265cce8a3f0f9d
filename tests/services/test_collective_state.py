"""The collective page's upload events run without a browser: the browser is told to post the file to our own
route with this session's CSRF token, and the route's answer, which comes back through the browser, is not
trusted (a batch is read again through the service with the session's principal)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import reflex as rx
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.core import csrf
from portal.models import Batch, Scheme, UserAccount
from portal.services import accounts
from portal.state.auth import SessionState
from portal.state.employer.collective import UPLOAD_ROUTE, CollectiveState
from tests.services.bulk_files import World, world


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    return world(db)


@pytest.fixture
def hr_session(db: Session, w: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A live session of employer.hr, carried by the cookie of the state's websocket."""
    user = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
    assert redeemed is not None
    db.commit()
    monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
    yield redeemed[0]


async def _page() -> CollectiveState:
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    await session.guard()
    state = await root.get_state(CollectiveState)
    await state.load()
    return state


async def test_upload_asks_the_browser_to_post_to_our_route_with_the_sessions_token(hr_session: str) -> None:
    state = await _page()
    state.set_tab("email")
    spec = await state.upload_file()
    script = next(str(value) for name, value in spec.args if str(name) == "javascript_code")
    token = csrf.token_for(hr_session)
    assert token in script and UPLOAD_ROUTE in script and "business_email" in script
    assert "same-origin" in script and csrf.HEADER in script and "/_upload" not in script
    assert state.busy


async def test_the_routes_answer_is_not_trusted(db: Session, w: World, hr_session: str) -> None:
    state = await _page()
    other_scheme = db.exec(select(Scheme).where(Scheme.employer_id != w.employer_id)).first()
    assert other_scheme is not None
    foreign = Batch(employer_id=other_scheme.employer_id, scheme_id=other_scheme.id or 0, kind="business_email")
    db.add(foreign)
    db.commit()
    # a forged "success" for another employer's batch shows nothing of it
    await state.uploaded({"ok": True, "batch": foreign.id})
    assert state.batch == {} and state._batch_id == 0 and not state.busy
    # anything else is a refusal with a message at the file field (a bad batch id, or no answer at all)
    for answer in ({"ok": True, "batch": "1 OR 1=1"}, {"ok": True, "batch": True}, None, "x", {}):
        await state.uploaded(answer)  # type: ignore[arg-type]
        assert set(state.errors) == {"file"} and state.errors["file"], json.dumps(answer)
        assert state.batch == {}
    await state.uploaded({"ok": False, "field": "effective", "error": "x" * 2000})
    assert state.errors == {"effective": "x" * 500}
    await state.uploaded({"ok": False, "field": "file", "code": "no_file"})
    assert state.errors == {"file": "Kies eerst een bestand."}
