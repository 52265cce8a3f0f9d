"""Changing tasks (INT-3): create by hand, update with optimistic locking, comment, complete with a second
adviser's check, reassign many at once. Each use case takes ``(db, principal, ...)`` with untrusted arguments,
writes in the caller's transaction (flushed, not committed) with an audit event; a refusal or a bad field
raises before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select, update

from portal.core import clock
from portal.domain import tasks as rules
from portal.models import Employer, Task, TaskComment
from portal.services import audit
from portal.services.errors import FieldError, by_rules
from portal.services.principal import NoAccess, Principal
from portal.services.tasks import access


@dataclass(frozen=True)
class Saved:
    """A saved task: its id, its new lock version and the warnings that did not block saving (keys)."""

    task_id: int
    lock_version: int
    warnings: tuple[str, ...] = ()
    awaiting_check: bool = False  # handed in for a second adviser's check (``complete``)


def _today(today: date | None) -> date:
    return today if isinstance(today, date) else clock.today()


def _audit(db: Session, p: Principal, action: str, task: Task, **detail: Any) -> None:
    audit.record(db, action, actor=p, object_type="task", object_id=task.id, employer_id=task.employer_id, **detail)


def _claim(db: Session, task: Task, expected: object) -> None:
    """Optimistic lock: the task must still be at lock version ``expected``; the UPDATE checks it again, so of
    two advisers saving the same version one wins and the other gets a clear message, nothing saved."""
    changed = FieldError("lock_version", "task_changed_elsewhere")
    if isinstance(expected, bool) or not isinstance(expected, int | str):
        raise changed
    try:
        version = int(expected)
    except ValueError:
        raise changed from None
    if version != task.lock_version:
        raise changed
    claimed = db.exec(  # type: ignore[call-overload]
        update(Task)
        .where(col(Task.id) == task.id, col(Task.lock_version) == version)
        .values(lock_version=version + 1, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise changed
    task.lock_version = version + 1


def create(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    kind: object,
    title: object,
    due_date: object = None,
    follow_up_date: object = None,
    assignee_id: object = None,
    participation_id: object = None,
    today: date | None = None,
) -> Saved:
    """Create a task by hand for an employer (and one of its participations) in the office's portfolio."""
    p = access.adviser(principal)
    employer = access.office_employer(db, p, employer_id)
    assert employer.id is not None and p.office_id is not None
    part = access.office_participation(db, p, employer.id, participation_id)
    task_kind = by_rules(rules.check_kind, kind)
    clean_title = by_rules(rules.check_title, title)
    dates = by_rules(rules.check_dates, due_date, follow_up_date, _today(today))
    who = access.assignee(db, p, assignee_id)
    task = Task(
        office_id=p.office_id,
        kind=task_kind,
        title=clean_title,
        employer_id=employer.id,
        participation_id=part.id if part else None,
        person_id=part.person_id if part else None,
        assignee_id=who,
        due_date=dates.due,
        follow_up_date=dates.follow_up,
        needs_check=rules.needs_check(task_kind),
        created_by=p.user_id,
    )
    db.add(task)
    db.flush()
    _audit(db, p, "task.created", task, kind=task_kind, assignee_id=who)
    assert task.id is not None
    return Saved(task.id, task.lock_version, dates.warnings)


def update_task(
    db: Session,
    principal: Principal | None,
    task_id: object,
    expected_version: object,
    *,
    title: object,
    due_date: object,
    follow_up_date: object,
    assignee_id: object,
    status: object,
    today: date | None = None,
) -> Saved:
    """Change a task's title, dates, assignee and status (``done`` only through ``complete``). A status change
    by hand withdraws a completion that waits for its check."""
    p = access.adviser(principal)
    task = access.office_task(db, p, task_id)
    if task.title_key and (title is None or (isinstance(title, str) and not title.strip())):
        clean_title = ""  # a task made by an event keeps its title from the event's key
    else:
        clean_title = by_rules(rules.check_title, title)
    dates = by_rules(rules.check_dates, due_date, follow_up_date, _today(today))
    new_status = by_rules(rules.check_transition, task.status, status)
    who = access.assignee(db, p, assignee_id)
    _claim(db, task, expected_version)
    if new_status != task.status:
        task.completed_by = None
        task.checked_by = None
        task.closed_at = clock.now() if new_status == rules.CANCELLED else None
    task.title, task.due_date, task.follow_up_date = clean_title, dates.due, dates.follow_up
    task.assignee_id, task.status, task.updated_at = who, new_status, clock.now()
    db.add(task)
    db.flush()
    _audit(db, p, "task.updated", task, status=new_status, assignee_id=who)
    assert task.id is not None
    return Saved(task.id, task.lock_version, dates.warnings)


def comment(db: Session, principal: Principal | None, task_id: object, text: object) -> int:
    """Add a comment (at most 5,000 characters) to a task; returns its id."""
    p = access.adviser(principal)
    task = access.office_task(db, p, task_id)
    clean = by_rules(rules.check_comment, text)
    note = TaskComment(task_id=task.id or 0, author_id=p.user_id, author_name=p.display_name or p.username, text=clean)
    db.add(note)
    db.flush()
    _audit(db, p, "task.commented", task, comment_id=note.id)
    assert note.id is not None
    return note.id


def complete(db: Session, principal: Principal | None, task_id: object, expected_version: object) -> Saved:
    """Complete an open task: done at once, or — for a kind that needs it — handed in for a second adviser's
    check (status ``waiting`` with ``completed_by`` set) until ``check`` approves it."""
    p = access.adviser(principal)
    task = access.office_task(db, p, task_id)
    if not rules.completable(task.status, task.completed_by):
        raise FieldError("status", "task_not_completable")
    _claim(db, task, expected_version)
    task.completed_by = p.user_id
    task.status = rules.status_on_completion(task.needs_check)
    task.closed_at = clock.now() if task.status == rules.DONE else None
    task.updated_at = clock.now()
    db.add(task)
    db.flush()
    _audit(db, p, "task.completed", task, status=task.status, needs_check=task.needs_check)
    assert task.id is not None
    handed_in = rules.awaiting_check(task.needs_check, task.status, task.completed_by)
    return Saved(task.id, task.lock_version, awaiting_check=handed_in)


def check(
    db: Session, principal: Principal | None, task_id: object, expected_version: object, approve: object
) -> Saved:
    """A second adviser checks a task handed in for its check: approved → done; not approved → open again.
    The assignee and the adviser who handed it in cannot check it."""
    p = access.adviser(principal)
    task = access.office_task(db, p, task_id)
    if not rules.awaiting_check(task.needs_check, task.status, task.completed_by):
        raise FieldError("check", "task_not_awaiting_check")
    if not isinstance(approve, bool):
        raise FieldError("check", "decision_invalid")
    by_rules(rules.check_checker, p.user_id, task.assignee_id, task.completed_by)
    _claim(db, task, expected_version)
    if approve:
        task.status, task.checked_by, task.closed_at = rules.DONE, p.user_id, clock.now()
    else:
        task.status, task.completed_by = rules.OPEN, None
    task.updated_at = clock.now()
    db.add(task)
    db.flush()
    _audit(db, p, "task.checked", task, approved=approve)
    assert task.id is not None
    return Saved(task.id, task.lock_version)


def reassign(db: Session, principal: Principal | None, task_ids: object, assignee_id: object) -> int:
    """Give many tasks at once to one adviser of the office (or to nobody); all or nothing: one task of another
    office, or about an employer outside the portfolio, refuses the whole request. Returns how many changed."""
    p = access.adviser(principal)
    ids = access.task_ids(task_ids)
    who = access.assignee(db, p, assignee_id)
    rows = db.exec(
        select(Task, Employer.office_id)
        .join(Employer, col(Employer.id) == Task.employer_id)
        .where(col(Task.id).in_(ids))
    ).all()
    if len(rows) != len(ids):
        raise NoAccess("not_found")
    found = [task for task, _office in rows]
    refused = [reason for task, office in rows if (reason := access.in_scope(p, task, office)) is not None]
    if refused:
        raise NoAccess(refused[0])
    now = clock.now()
    db.exec(  # type: ignore[call-overload]
        update(Task)
        .where(col(Task.id).in_(ids))
        .values(assignee_id=who, lock_version=Task.lock_version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    for task in found:
        _audit(db, p, "task.reassigned", task, assignee_id=who)
        db.expire(task)  # its row changed under it
    db.flush()
    return len(found)
