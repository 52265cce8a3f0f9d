"""The couplings page's state without a browser: a forged scope of another office (by event argument) is refused by
the service and audited the common way; a non-adviser is refused on load; the adviser's switch off is saved."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import reflex as rx
from sqlalchemy import update
from sqlmodel import Session, col, select

from portal.core.config import get_settings
from portal.models import AuditEvent, CompanyGroup, CouplingSetting, Employer, Scheme
from portal.state.intermediary.couplings import CouplingsState
from tests.services.coupling_fixtures import insurer_address, uncouple  # noqa: F401
from tests.services.task_world import World, world_fixture  # noqa: F401


@pytest.fixture(autouse=True)
def _uncoupled(db: Session, world: World) -> None:
    """These states are shown from a portfolio without couplings (the demo couples the small employer)."""
    uncouple(db.connection())
    db.commit()


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


@pytest.mark.usefixtures("insurer_address")
async def test_auto_enrolment_is_switched_on_from_the_check(
    db: Session, world: World, sign_in: Callable[[str], None]
) -> None:
    """The small demo employer lacks only auto-enrolment: switched on from the check, the scope is ready."""
    scheme = db.exec(select(Scheme).where(Scheme.employer_id == world.small_id, Scheme.kind == "OP")).one()
    sign_in("adviser")
    state = await _state()
    insurer = next(r["insurer"] for r in state.rows if r.get("scope") == f"scheme:{scheme.id}")
    assert all(r["no_address"] == "" for r in state.rows if r["type"] == "insurer")  # PORTAL_INSURER_URLS set
    await state.check(insurer, f"scheme:{scheme.id}", "Bakkerij")
    assert not state.check_ready
    [row] = [r for r in state.check_rows if r["scheme"]]
    assert row["scheme"] == str(scheme.id)
    assert row["link"] == f"/intermediary/employers/{world.small_id}/scheme?scheme={scheme.id}"
    await state.auto_enrol(row["scheme"])
    assert state.check_ready and state.check_rows == []
    db.expire_all()
    assert db.get(Scheme, scheme.id).auto_enrol is True  # type: ignore[union-attr]
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "scheme.auto_enrol")).all()
    assert event.actor_name == "adviser" and event.employer_id == world.small_id
    await state.switch_on()
    assert state.message == "De koppeling staat aan."


async def test_auto_enrolment_of_another_offices_scheme_is_refused(
    db: Session, world: World, sign_in: Callable[[str], None]
) -> None:
    sign_in("adviser")
    state = await _state()
    theirs = Employer(name="Elders B.V.", kvk_number="99887766", office_id=world.other.office_id)
    db.add(theirs)
    db.commit()
    mine = db.exec(select(Scheme).where(Scheme.employer_id == world.small_id)).first()
    assert mine is not None
    db.exec(update(Scheme).where(col(Scheme.id) == mine.id).values(employer_id=theirs.id))  # type: ignore[call-overload]
    db.commit()
    assert "/no-access" in str(await state.auto_enrol(str(mine.id)))
    assert len(_denied(db, "/intermediary/couplings#auto_enrol")) == 1
    db.expire_all()
    assert db.get(Scheme, mine.id).auto_enrol is False  # type: ignore[union-attr]


async def test_an_insurer_without_an_address_is_a_line_of_the_check(
    db: Session, world: World, sign_in: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTAL_INSURER_URLS", raising=False)
    get_settings.cache_clear()
    scheme = db.exec(select(Scheme).where(Scheme.employer_id == world.small_id, Scheme.kind == "OP")).one()
    sign_in("adviser")
    state = await _state()
    insurer = next(r["insurer"] for r in state.rows if r.get("scope") == f"scheme:{scheme.id}")
    heading = next(r for r in state.rows if r["type"] == "insurer" and r["insurer"] == insurer)
    assert heading["no_address"].startswith("geen adres ingesteld")  # on the couplings page too
    await state.check(insurer, f"scheme:{scheme.id}", "Bakkerij")
    assert not state.check_ready
    first = state.check_rows[0]
    assert first["what"] == "a.s.r. Levensverzekering N.V." and first["missing"].startswith("geen adres ingesteld")
    await state.switch_on()
    assert "geen adres ingesteld" in state.error and db.exec(select(CouplingSetting)).all() == []
