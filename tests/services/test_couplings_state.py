"""The couplings page's state without a browser: a forged scope of another office (by event argument) is refused by
the service and audited the common way; a non-adviser is refused on load; the adviser's switch off is saved."""

from __future__ import annotations

import json
from collections.abc import Callable

import reflex as rx
from sqlmodel import Session, select

from portal.models import AuditEvent, CompanyGroup, CouplingSetting
from portal.state.intermediary.couplings import CouplingsState
from tests.services.task_world import World, world_fixture  # noqa: F401


async def _state() -> CouplingsState:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(CouplingsState)
    await state.load()
    return state


def _denied(db: Session, route: str) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.action == "access.denied", AuditEvent.object_id == route)
    return list(db.exec(query).all())


async def test_another_offices_group_is_refused_and_audited(
    db: Session, world: World, sign_in: Callable[[str], None]
) -> None:
    theirs = CompanyGroup(name="Zuidkade Groep", office_id=world.other.office_id)
    db.add(theirs)
    db.commit()
    sign_in("adviser")
    state = await _state()
    insurer = next(r["insurer"] for r in state.rows if r["type"] == "insurer")
    assert any(r["type"] == "scheme" for r in state.rows)
    assert "/no-access" in str(await state.switch_off(insurer, f"group:{theirs.id}"))
    [event] = _denied(db, "/intermediary/couplings#set")
    assert event.actor_name == "adviser" and json.loads(event.detail) == {"reason": "other_office"}
    await state.check(insurer, f"group:{theirs.id}", "x")
    assert state.check_rows == [] and len(_denied(db, "/intermediary/couplings#check")) == 1
    assert db.exec(select(CouplingSetting)).all() == []

    await state.switch_off(insurer, "portfolio")  # the office's own scope: saved
    [setting] = db.exec(select(CouplingSetting)).all()
    assert (setting.scope, setting.enabled, setting.office_id) == ("portfolio", False, world.office_id)
    assert state.message == "De koppeling staat uit."


async def test_an_employer_user_is_refused(db: Session, world: World, sign_in: Callable[[str], None]) -> None:
    sign_in("employer.hr")
    state = await _state()
    assert state.rows == []
    assert len(_denied(db, "/intermediary/couplings")) == 1
