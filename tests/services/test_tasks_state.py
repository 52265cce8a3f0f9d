"""The tasks page's state without a browser: forged event arguments (another office's task id, a foreign id
among the selected ones, nonsense filters) are refused by the services and audited; the opened task's lock
version stays on the server, so a second adviser's save in between is reported, not overwritten."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import reflex as rx
from sqlalchemy import func
from sqlmodel import Session, col, select

import portal.state.auth as auth
from portal.core import clock
from portal.domain import tasks as rules
from portal.i18n import t
from portal.models import AuditEvent, Employer, Task, TaskComment, UserAccount
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


def _denied(db: Session, route: str) -> list[AuditEvent]:
    """The refusals of ``route`` audited the common way (``access.denied``, by ``usecase.run``)."""
    query = select(AuditEvent).where(AuditEvent.action == "access.denied", AuditEvent.object_id == route)
    return list(db.exec(query).all())


def _no_access(event: object) -> bool:
    return "/no-access" in str(event)


async def test_another_offices_task_by_event_argument_is_refused_and_audited(
    db: Session, world: World, signed_in: None
) -> None:
    theirs = tasks.create(db, world.other, world.other_employer_id, "general", "Geheim", today=TODAY).task_id
    mine = tasks.create(db, world.adviser, world.employer_id, "general", "Eigen", today=TODAY).task_id
    db.commit()
    state = await _state()
    assert _no_access(await state.open(str(theirs)))
    assert state.task == {}
    [event] = _denied(db, f"/intermediary/tasks?task={theirs}")  # once, the common way
    assert event.actor_name == "adviser" and json.loads(event.detail) == {"reason": "other_office"}
    actions = db.exec(select(AuditEvent.action).where(col(AuditEvent.action).like("task.%"))).all()
    assert sorted(actions) == ["task.created", "task.created"]  # no refusal of its own
    await state.toggle(str(mine), True)
    await state.toggle(str(theirs), True)  # a forged selection
    assert _no_access(await state.reassign({"assignee": str(world.colleague.user_id)}))
    db.expire_all()
    assert db.get(Task, mine).assignee_id is None  # type: ignore[union-attr]
    assert len(_denied(db, "/intermediary/tasks#reassign")) == 1


async def test_an_employer_that_left_the_portfolio_takes_its_tasks_along(
    db: Session, world: World, signed_in: None
) -> None:
    """The portfolio is read on each request: once the employer moved to another office, its task is no longer
    listed, and opening or changing it by its id is refused and audited."""
    gone = tasks.create(db, world.adviser, world.small_id, "general", "Weg", None, None, world.adviser.user_id).task_id
    tasks.create(db, world.adviser, world.employer_id, "general", "Blijft", None, None, world.adviser.user_id)
    db.commit()
    state = await _state()
    await state.open(str(gone))
    assert {r["title"] for r in state.rows} == {"Weg", "Blijft"} and state.task["title"] == "Weg"
    employer = db.get(Employer, world.small_id)
    assert employer is not None
    employer.office_id = world.other.office_id
    db.add(employer)
    db.commit()
    assert _no_access(await state.add_comment({"comment": "Nog van ons?"}))  # the task still opened in the page
    assert state.task == {}
    assert _no_access(await state.open(str(gone)))
    await state.load()
    assert [r["title"] for r in state.rows] == ["Blijft"]
    assert [json.loads(e.detail) for e in _denied(db, f"/intermediary/tasks?task={gone}#comment")] == [
        {"reason": "out_of_scope"}
    ]
    assert len(_denied(db, f"/intermediary/tasks?task={gone}")) == 1
    db.expire_all()
    assert db.exec(select(func.count()).select_from(TaskComment)).one() == 0  # nothing added


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


async def test_a_selection_over_the_reassign_limit_is_refused_with_a_message(
    db: Session, world: World, signed_in: None
) -> None:
    state = await _state()
    for n in range(1, rules.REASSIGN_LIMIT + 1):
        await state.toggle(str(n), True)
    assert len(state.selected) == rules.REASSIGN_LIMIT and state.list_errors == {}
    await state.toggle("9999", True)  # one more: not selected, and said so
    assert len(state.selected) == rules.REASSIGN_LIMIT and "9999" not in state.selected
    assert state.list_errors == {"tasks": f"Selecteer hoogstens {rules.REASSIGN_LIMIT} taken."}
    await state.toggle("1", False)  # deselecting makes room again
    await state.toggle("9999", True)
    assert "9999" in state.selected and state.list_errors == {}


async def test_complete_says_handed_in_or_done_as_the_service_did(db: Session, world: World, signed_in: None) -> None:
    me = world.adviser.user_id
    advice = tasks.create(db, world.adviser, world.employer_id, "advice_exit", "Advies", None, None, me).task_id
    plain = tasks.create(db, world.adviser, world.employer_id, "general", "Bellen", None, None, me).task_id
    db.commit()
    state = await _state()
    await state.open(str(advice))
    assert state.task["completable"] == "1"
    state.task = {**state.task, "needs_check": ""}  # what the browser was shown does not decide the message
    await state.complete()
    assert state.notice == t("task.handed_in", "nl") and state.task["completable"] == ""
    assert state.task["awaiting_check"] == "1"
    await state.open(str(plain))
    state.task = {**state.task, "needs_check": "1"}
    await state.complete()
    assert state.notice == t("task.completed", "nl") and state.task["completable"] == ""
