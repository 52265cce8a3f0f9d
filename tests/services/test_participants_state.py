"""The overview's Reflex state (EMP-2, MUT-3, AUTH-5) run without a browser: every event resolves the principal
from the server-side session, a bad "as of" day changes nothing, a past day shows that day's values."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import reflex as rx
from sqlmodel import select

import portal.state.auth as auth
from portal.core.db import session_scope
from portal.models import AuditEvent, RoleGrant, UserAccount
from portal.services import accounts
from portal.state.employer.participants import PAGE_SIZE, ParticipantRowsState, ParticipantsState
from tests.services.participants_world import ASSOB_NUMBER, TODAY, World, w, world

__all__ = ["w", "world"]  # fixtures


@pytest.fixture
def signed_in(w: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, str]]:
    """An HR user of employer A with a live session; the state's websocket cookie carries its token."""
    with session_scope() as db:
        name = f"hr.{secrets.token_hex(4)}"
        user = UserAccount(username=name, email="hr@groot.example", status="active", password_hash="x")
        db.add(user)
        db.flush()
        db.add(RoleGrant(user_id=user.id, role="hr", employer_id=w.a))
        db.flush()
        user_id = user.id or 0
        ticket = accounts.create_session(db, user_id)
    with session_scope() as db:
        redeemed = accounts.redeem_ticket(db, *ticket)
    assert redeemed is not None
    monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
    yield user_id, redeemed[0]
    with session_scope() as db:  # the next test signs in afresh
        for grant in db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)).all():
            db.delete(grant)
        accounts.end_session(db, redeemed[0])


async def _overview() -> tuple[ParticipantsState, ParticipantRowsState]:
    """The overview state after its on_load, and the state that holds its rows and paging."""
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(ParticipantsState)
    await state.load()
    return state, await root.get_state(ParticipantRowsState)


async def test_every_event_resolves_the_principal_an_ended_session_is_refused(
    w: World, signed_in: tuple[int, str]
) -> None:
    state, table = await _overview()
    assert not state.denied and len(table.rows) == PAGE_SIZE and table.total > PAGE_SIZE
    await state.next_page()
    assert table.page == 2 and not state.denied
    with session_scope() as db:
        accounts.end_session(db, signed_in[1])
    await state.next_page()
    assert state.denied and table.rows == [] and table.total == 0
    await state.sort_by("salary")
    assert state.denied and table.rows == []


async def test_a_removed_role_is_refused_on_the_next_event(w: World, signed_in: tuple[int, str]) -> None:
    state, table = await _overview()
    assert not state.denied and table.rows
    with session_scope() as db:
        grant = db.exec(select(RoleGrant).where(RoleGrant.user_id == signed_in[0])).one()
        grant.role = "finance"  # no participant data for finance (AUTH-4)
    await state.set_status("dormant")
    assert state.denied and table.rows == []


async def test_each_event_is_audited(w: World, signed_in: tuple[int, str]) -> None:
    state, _ = await _overview()
    await state.next_page()
    await state.sort_by("salary")
    listed = select(AuditEvent).where(AuditEvent.action == "participants.listed")
    with session_scope() as db:
        mine = db.exec(listed.where(AuditEvent.actor_user_id == signed_in[0])).all()
    assert len(mine) == 3 and '"sort": "salary"' in mine[-1].detail


async def test_as_of_shows_that_day_and_a_bad_day_changes_nothing(w: World, signed_in: tuple[int, str]) -> None:
    state, table = await _overview()
    assert state.as_of == TODAY.isoformat() and state.shown_day == ""
    await state.apply_search({"search": ASSOB_NUMBER})
    assert [r[3] for r in table.rows] == ["€ 52.242,28"]
    await state.apply_as_of({"as_of": "2025-03-01"})
    assert state.shown_day == "01-03-2025" and state.as_of == "2025-03-01" and state.as_of_error == ""
    assert [r[3] for r in table.rows] == ["€ 50.000,00"]
    await state.sort_by("salary")  # sort, filter and paging keep the day
    await state.set_status("active")
    await state.go_page(1)
    assert state.shown_day == "01-03-2025" and [r[3] for r in table.rows] == ["€ 50.000,00"]
    before = (list(table.rows), table.total, state.as_of, state.shown_day)
    for bad in ("2025-02-30", "gisteren", "01-03-2025", 12, None, {"x": 1}):
        await state.apply_as_of({"as_of": bad})
        assert state.as_of_error, bad
        assert (table.rows, table.total, state.as_of, state.shown_day) == before
    await state.apply_as_of({"as_of": ""})  # empty: today
    assert state.as_of_error == "" and state.shown_day == "" and state.as_of == TODAY.isoformat()
    assert [r[3] for r in table.rows] == ["€ 52.242,28"]
    await state.apply_as_of({"as_of": "2025-03-01"})
    await state.load()  # opening the page again shows today
    assert state.shown_day == "" and state.as_of == TODAY.isoformat()
