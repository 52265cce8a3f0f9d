"""Tasks made by events (INT-3, INT-6), in the event's own transaction and never twice for one event: an exit,
a change that needs review (closed when the review is done), an acknowledged advice warning, a failed
collective batch, a new participant whose data is incomplete for the insurer."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.domain import bulk as bulk_rules
from portal.models import AuditEvent, Batch, Employer, Mutation, Scheme, Task
from portal.services import mutations as mut
from portal.services import tasks
from portal.services.collective import applying
from tests.services.task_world import TODAY, World, world_fixture  # noqa: F401


def task_audit(db: Session, action: str) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))).all())


def event_tasks(db: Session, employer_id: int | None = None) -> list[Task]:
    query = select(Task).where(col(Task.source_key).is_not(None)).order_by(col(Task.id))
    if employer_id is not None:
        query = query.where(Task.employer_id == employer_id)
    return list(db.exec(query).all())


def person(**kw: Any) -> dict[str, Any]:
    form = {
        "bsn": "111222333", "initials": "E.", "first_name": "Eva", "name_prefix": "", "last_name": "Jansen",
        "birth_date": "14-02-1990", "gender": "F", "nationality": "NL", "street": "Kerkstraat", "house_number": "1",
        "postcode": "1234ab", "city": "Utrecht", "country": "NL", "business_email": "eva@noordkade.example",
        "private_email": "", "language": "nl", "start_date": "2026-11-01", "salary": "48.000", "parttime": "80",
    }  # fmt: skip
    return form | kw


def op_scheme(db: Session, employer_id: int) -> int:
    scheme = db.exec(select(Scheme).where(Scheme.employer_id == employer_id, Scheme.kind == "OP")).one()
    assert scheme.id is not None
    return scheme.id


def test_an_exit_makes_an_exit_advice_task_for_the_office(db: Session, world: World) -> None:
    m = mut.submit_exit(db, world.hr, world.part.id, "2026-11-30", world.part.version, today=TODAY)
    db.commit()
    [task] = event_tasks(db)
    assert (task.kind, task.title_key, task.source_key) == (
        "advice_exit",
        "task.title.advice_exit",
        f"mutation:{m.id}:exit",
    )
    assert (task.office_id, task.employer_id, task.participation_id) == (
        world.office_id,
        world.employer_id,
        world.part.id,
    )
    assert task.needs_check and task.status == "open" and task.due_date == date(2026, 11, 15)
    assert tasks.list_tasks(db, world.adviser, tasks.filter_of(mine=False, kind="advice_exit")).total == 1
    assert tasks.list_tasks(db, world.other, tasks.filter_of(mine=False, status="")).total == 0  # other office


def test_never_twice_for_one_event(db: Session, world: World) -> None:
    m = mut.submit_exit(db, world.hr, world.part.id, "2026-11-30", world.part.version, today=TODAY)
    assert tasks.on_mutation(db, m, TODAY) == []
    db.commit()
    assert len(event_tasks(db)) == 1


def test_the_task_is_in_the_events_transaction(db: Session, world: World) -> None:
    mut.submit_exit(db, world.hr, world.part.id, "2026-11-30", world.part.version, today=TODAY)
    db.flush()
    assert len(event_tasks(db)) == 1  # made with the exit, before any commit
    db.rollback()
    assert event_tasks(db) == []
    assert db.exec(select(func.count()).select_from(Mutation).where(Mutation.kind == "exit")).one() == 0


def test_a_change_that_needs_review_makes_a_review_task_closed_by_the_review(db: Session, world: World) -> None:
    args = {"salary": "53000", "parttime": None, "expected_version": world.part.version, "today": TODAY}
    m = mut.submit_salary_parttime(db, world.hr, world.part.id, "2026-04-30", **args)
    db.commit()
    [task] = event_tasks(db)
    assert (task.kind, task.status, task.source_key) == ("review", "open", f"mutation:{m.id}:review")
    mut.review(db, world.adviser, m.id, True, "Checked", today=TODAY)
    db.commit()
    db.refresh(task)
    assert task.status == "done" and task.closed_at is not None and task.lock_version == 2
    assert len(event_tasks(db)) == 1


def test_closing_the_review_task_is_audited_with_the_reviewer(db: Session, world: World) -> None:
    args = {"salary": "53000", "parttime": None, "expected_version": world.part.version, "today": TODAY}
    m = mut.submit_salary_parttime(db, world.hr, world.part.id, "2026-04-30", **args)
    db.commit()
    [task] = event_tasks(db)
    mut.review(db, world.adviser, m.id, True, "Checked", today=TODAY)
    db.commit()
    [event] = task_audit(db, "task.closed")
    assert (event.object_id, event.actor_user_id, event.employer_id) == (
        str(task.id), world.adviser.user_id, world.employer_id)  # fmt: skip
    assert json.loads(event.detail) == {"reason": "review_done", "mutation_id": m.id, "review": "processed"}


def far_back_exit(db: Session, world: World) -> Mutation:
    """An exit that reaches back too far: it waits for review (MUT-6)."""
    m = mut.submit_exit(db, world.hr, world.part.id, "2026-04-30", world.part.version, ["exit_far_back"], TODAY)
    db.commit()
    assert m.status == "needs_review"
    return m


def test_an_exit_waiting_for_review_makes_no_exit_advice_until_approved(db: Session, world: World) -> None:
    m = far_back_exit(db, world)
    assert [t.kind for t in event_tasks(db)] == ["review"]
    mut.review(db, world.adviser, m.id, True, "", today=TODAY)
    db.flush()
    kinds = {t.kind: t for t in event_tasks(db)}
    assert set(kinds) == {"review", "advice_exit"}  # made with the approval, in its transaction
    advice = kinds["advice_exit"]
    assert (advice.source_key, advice.status, advice.participation_id) == (
        f"mutation:{m.id}:exit",
        "open",
        world.part.id,
    )
    db.rollback()
    assert [t.kind for t in event_tasks(db)] == ["review"]  # nothing of the approval kept without its commit
    mut.review(db, world.adviser, m.id, True, "", today=TODAY)
    db.commit()
    stored = db.get(Mutation, m.id)
    assert stored is not None
    tasks.on_review_done(db, stored, world.adviser, TODAY)  # told twice: still one advice task
    tasks.on_mutation(db, stored, TODAY)
    db.commit()
    assert sorted(t.kind for t in event_tasks(db)) == ["advice_exit", "review"]


def test_a_rejected_exit_makes_no_exit_advice(db: Session, world: World) -> None:
    m = far_back_exit(db, world)
    mut.review(db, world.adviser, m.id, False, "Wrong date", today=TODAY)
    db.commit()
    assert {t.kind: t.status for t in event_tasks(db)} == {"review": "done"}
    assert task_audit(db, "task.cancelled") == []


def test_a_rejected_exit_cancels_an_exit_advice_made_before_with_a_comment(db: Session, world: World) -> None:
    m = far_back_exit(db, world)
    old = Task(office_id=world.office_id, kind="advice_exit", title_key="task.title.advice_exit",
               employer_id=world.employer_id, participation_id=world.part.id, needs_check=True,
               source_key=f"mutation:{m.id}:exit")  # fmt: skip
    db.add(old)
    db.commit()
    mut.review(db, world.adviser, m.id, False, "Wrong date", today=TODAY)
    db.commit()
    db.refresh(old)
    assert (old.status, old.lock_version) == ("cancelled", 2) and old.closed_at is not None
    [note] = tasks.task_detail(db, world.adviser, old.id, TODAY).comments
    assert note.author_name == world.adviser.display_name
    assert note.text == "Geannuleerd: de wijziging is bij de beoordeling afgewezen (Wrong date)."  # reviewer's language
    [event] = task_audit(db, "task.cancelled")
    assert (event.object_id, event.actor_user_id) == (str(old.id), world.adviser.user_id)
    assert json.loads(event.detail) == {"reason": "change_rejected", "mutation_id": m.id}
    assert {t.kind: t.status for t in event_tasks(db)} == {"advice_exit": "cancelled", "review": "done"}


def test_an_acknowledged_advice_warning_makes_an_advice_task_with_the_warning(db: Session, world: World) -> None:
    scheme = op_scheme(db, world.employer_id)
    form = person(start_date="2026-11-01", takes_over_previous_contract=True)
    m = mut.submit_new_participant(
        db, world.hr, world.employer_id, scheme, **form, acknowledged=["previous_employer_contract"], today=TODAY
    )
    db.commit()
    kinds = {t.kind: t for t in event_tasks(db)}
    assert set(kinds) == {"review", "advice_warning"}
    advice = kinds["advice_warning"]
    assert json.loads(advice.detail) == {"warning": "previous_employer_contract", "params": {}}
    assert advice.source_key == f"mutation:{m.id}:warning:previous_employer_contract" and advice.needs_check
    mut.review(db, world.adviser, m.id, True, "", today=TODAY)  # applied now: complete data, no data task
    db.commit()
    assert sorted(t.kind for t in event_tasks(db)) == ["advice_warning", "review"]


def test_a_rejected_change_cancels_the_advice_task_of_its_warning(db: Session, world: World) -> None:
    scheme = op_scheme(db, world.employer_id)
    form = person(start_date="2026-11-01", takes_over_previous_contract=True)
    m = mut.submit_new_participant(
        db, world.hr, world.employer_id, scheme, **form, acknowledged=["previous_employer_contract"], today=TODAY
    )
    db.commit()
    mut.review(db, world.adviser, m.id, False, "No such contract", today=TODAY)
    db.commit()
    assert {t.kind: t.status for t in event_tasks(db)} == {"advice_warning": "cancelled", "review": "done"}
    [event] = task_audit(db, "task.cancelled")
    assert json.loads(event.detail) == {"reason": "change_rejected", "mutation_id": m.id}


def test_a_new_participant_without_communication_email_makes_a_data_task(db: Session, world: World) -> None:
    scheme = op_scheme(db, world.employer_id)
    m = mut.submit_new_participant(
        db, world.hr, world.employer_id, scheme, **person(business_email="", private_email=""), today=TODAY
    )
    db.commit()
    [task] = event_tasks(db)
    assert (task.kind, task.source_key, task.person_id) == ("data_missing", f"mutation:{m.id}:data", m.person_id)
    assert json.loads(task.detail) == {"missing": ["communication_email"]}


def test_a_complete_new_participant_makes_no_task(db: Session, world: World) -> None:
    scheme = op_scheme(db, world.employer_id)
    mut.submit_new_participant(db, world.hr, world.employer_id, scheme, **person(), today=TODAY)
    db.commit()
    assert event_tasks(db) == []


def test_a_failed_batch_makes_a_task_once(db: Session, world: World) -> None:
    batch = Batch(employer_id=world.employer_id, scheme_id=op_scheme(db, world.employer_id), kind="salary_parttime",
                  status="processing")  # fmt: skip
    db.add(batch)
    db.commit()
    assert batch.id is not None
    issues = [bulk_rules.Issue(3, "salary", "participant_dormant", "100002")]
    applying._fail(batch.id, issues, 5)
    applying._fail(batch.id, issues, 5)  # a second report of the same failure: nothing more
    db.expire_all()
    [task] = event_tasks(db)
    assert (task.kind, task.source_key, task.employer_id) == (
        "batch_failed",
        f"batch:{batch.id}:failed",
        world.employer_id,
    )
    assert json.loads(task.detail) == {"batch_kind": "salary_parttime", "message": "rows_failed", "rows_failed": 1}


def test_an_employer_outside_any_office_gets_no_task(db: Session, world: World) -> None:
    employer = db.get(Employer, world.employer_id)
    assert employer is not None
    employer.office_id = None
    db.add(employer)
    db.commit()
    mut.submit_exit(db, world.hr, world.part.id, "2026-11-30", world.part.version, today=TODAY)
    db.commit()
    assert event_tasks(db) == []
