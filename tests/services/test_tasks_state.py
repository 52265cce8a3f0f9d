"""The tasks page's state without a browser: forged event arguments (another office's task id, a foreign id
among the selected ones, nonsense filters) are refused by the services and audited; the opened task's lock
version stays on the server, so a second adviser's save in between is reported, not overwritten."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import reflex as rx
from sqlalchemy import func
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.core import clock
from portal.models import AuditEvent, Task, UserAccount
from portal.services import accounts, tasks
from portal.state.intermediary.tasks import TasksState
from tests.services.task_world import TODAY, World, world_fixture  # noqa: F401


@pytest.fixture
def signed_in(db: Session, world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The demo adviser signed in on the demo's day."""
    with clock.frozen(TODAY):
        user = db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one()
        redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
        assert redeemed is not None
        db.commit()
        monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
        yield


async def _state() -> TasksState:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(TasksState)
    await state.load()
    return state


def _refusals(db: Session) -> int:
    return db.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "task.access_refused")).one()


async def test_another_offices_task_by_event_argument_is_refused_and_audited(
    db: Session, world: World, signed_in: None
) -> None:
    theirs = tasks.create(db, world.other, world.other_employer_id, "general", "Geheim", today=TODAY).task_id
    mine = tasks.create(db, world.adviser, world.employer_id, "general", "Eigen", today=TODAY).task_id
    db.commit()
    state = await _state()
    await state.open(str(theirs))
    assert state.task == {} and state.notice == "U heeft geen toegang tot deze taak."
    assert _refusals(db) == 1  # kept although the use case was refused
    state.toggle(str(mine), True)
    state.toggle(str(theirs), True)  # a forged selection
    await state.reassign({"assignee": str(world.colleague.user_id)})
    assert state.notice == "U heeft geen toegang tot deze taak."
    db.expire_all()
    assert db.get(Task, mine).assignee_id is None  # type: ignore[union-attr]
    assert _refusals(db) == 2


async def test_nonsense_filters_fall_back_and_a_stale_save_is_reported(
    db: Session, world: World, signed_in: None
) -> None:
    saved = tasks.create(db, world.adviser, world.employer_id, "general", "Eigen", None, None, world.adviser.user_id)
    db.commit()
    state = await _state()
    assert [r["title"] for r in state.rows] == ["Eigen"]
    await state.filter({"employer": "1 OR 1=1", "kind": "<script>", "status": "all", "assignee": {"x": 1}})
    assert (state.f_employer, state.f_kind, state.f_status) == ("", "", "open_any")
    assert [r["title"] for r in state.rows] == ["Eigen"]
    await state.sort("title; DROP TABLE task")
    assert state.sort_by == "due_date"
    await state.open(str(saved.task_id))
    form = {"title": "Mijn versie", "due_date": "", "follow_up_date": "", "assignee": "", "status": "in_progress"}
    tasks.update_task(db, world.colleague, saved.task_id, 1, title="Hun versie", due_date="", follow_up_date="",
                      assignee_id="", status="open")  # fmt: skip
    db.commit()
    await state.save(form)
    assert state.task_errors["lock_version"].startswith("Iemand anders heeft deze taak intussen gewijzigd.")
    db.expire_all()
    assert db.get(Task, saved.task_id).title == "Hun versie"  # type: ignore[union-attr]
