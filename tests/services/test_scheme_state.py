"""The scheme page's state (EMP-7) with a real session: an employer's own user sees auto-enrolment but has no editor,
and a forged call of the editor's event is refused and audited, nothing changed."""

from __future__ import annotations

import json
from collections.abc import Callable

import reflex as rx
from sqlmodel import Session, select

from portal.models import AuditEvent, Scheme
from portal.state.employer.scheme import SchemeState


async def test_an_employer_user_cannot_switch_auto_enrolment(db: Session, sign_in: Callable[[str], None]) -> None:
    sign_in("employer.hr")
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(SchemeState)
    await state.load()
    assert state.loaded and state.may_change is False and state.facts["auto_enrol"] == "Nee"
    event = await state.save_auto_enrol(True)  # not offered on the page: sent by hand
    assert "/no-access" in str(event)
    [denied] = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert denied.object_id == "/employer/scheme#auto_enrol"
    assert json.loads(denied.detail) == {"reason": "wrong_front_end"}
    db.expire_all()
    assert db.get(Scheme, int(state.scheme_id)).auto_enrol is False  # type: ignore[union-attr]
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "scheme.auto_enrol")).all()
