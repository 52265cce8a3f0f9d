"""Reading tasks (INT-3): the to-do list with server-side filters, sort and paging, the office board's counts
by status, the counts a dashboard shows, one task with its comments, and the office's advisers."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import tasks as rules
from portal.models import Employer, Participation, Task, TaskComment, UserAccount
from portal.services.principal import Principal, id_of
from portal.services.tasks import access

PAGE_SIZES = (10, 25, 50, 100)
SORTS: dict[str, Any] = {
    "due_date": col(Task.due_date),
    "follow_up_date": col(Task.follow_up_date),
    "created_at": col(Task.created_at),
    "status": col(Task.status),
    "kind": col(Task.kind),
    "employer": col(Employer.name),
}
STATUS_FILTERS = ("", "open_any", *rules.STATUSES)  # "": every status; open_any: open, in progress, waiting


@dataclass(frozen=True)
class TaskFilter:
    """The to-do list's filters (untrusted values are checked by ``filter_of``)."""

    mine: bool = True
    employer_id: int | None = None
    kind: str = ""
    assignee_id: int | None = None
    status: str = "open_any"
    overdue: bool = False


@dataclass(frozen=True)
class TaskRow:
    id: int
    kind: str
    title: str
    title_key: str
    employer_id: int
    employer_name: str
    participant_number: str
    assignee_id: int | None
    assignee_name: str
    due_date: date | None
    follow_up_date: date | None
    status: str
    overdue: bool
    needs_check: bool
    awaiting_check: bool
    completable: bool
    lock_version: int


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskRow]
    total: int
    page: int
    size: int


@dataclass(frozen=True)
class CommentRow:
    author_name: str
    at: datetime
    text: str


@dataclass(frozen=True)
class TaskDetail:
    row: TaskRow
    detail: dict[str, Any]
    completed_by: int | None
    checked_by: int | None
    comments: list[CommentRow] = field(default_factory=list)


def _optional_id(raw: object) -> int | None:
    return None if raw is None or raw == "" else id_of(raw)


def filter_of(
    mine: object = True,
    employer_id: object = None,
    kind: object = "",
    assignee_id: object = None,
    status: object = "open_any",
    overdue: object = False,
) -> TaskFilter:
    """Filters from untrusted input: unknown kinds and statuses fall back to none (ids must be ids)."""
    return TaskFilter(
        mine=mine is True,
        employer_id=_optional_id(employer_id),
        kind=kind if isinstance(kind, str) and kind in rules.KINDS else "",
        assignee_id=_optional_id(assignee_id),
        status=status if isinstance(status, str) and status in STATUS_FILTERS else "open_any",
        overdue=overdue is True,
    )


def _office(query: Any, p: Principal) -> Any:
    """The tasks ``p`` may see: of ``p``'s office, about an employer in ``p``'s portfolio now (the portfolio is the
    office's employers, read in the same query: a subquery, not an IN-list of ids, which would steer SQLite off
    the task index)."""
    portfolio = select(Employer.id).where(Employer.office_id == p.office_id)
    return query.where(Task.office_id == p.office_id, col(Task.employer_id).in_(portfolio))


def _counted(*columns: Any) -> Any:
    """A count over the tasks (narrowed by ``_office``)."""
    return select(*columns).select_from(Task)


def _where(query: Any, p: Principal, f: TaskFilter, today: date, with_status: bool = True) -> Any:
    query = _office(query, p)
    if f.mine:
        query = query.where(Task.assignee_id == p.user_id)
    elif f.assignee_id is not None:
        query = query.where(Task.assignee_id == f.assignee_id)
    if f.employer_id is not None:
        query = query.where(Task.employer_id == f.employer_id)
    if f.kind:
        query = query.where(Task.kind == f.kind)
    if with_status and f.status == "open_any":
        query = query.where(col(Task.status).in_(rules.OPEN_STATUSES))
    elif with_status and f.status:
        query = query.where(Task.status == f.status)
    if f.overdue:
        query = query.where(col(Task.status).in_(rules.OPEN_STATUSES), col(Task.due_date) < today)
    return query


def _row(task: Task, employer_name: str, number: str | None, assignee_name: str | None, today: date) -> TaskRow:
    assert task.id is not None
    return TaskRow(
        id=task.id,
        kind=task.kind,
        title=task.title,
        title_key=task.title_key,
        employer_id=task.employer_id,
        employer_name=employer_name,
        participant_number=number or "",
        assignee_id=task.assignee_id,
        assignee_name=assignee_name or "",
        due_date=task.due_date,
        follow_up_date=task.follow_up_date,
        status=task.status,
        overdue=rules.is_overdue(task.status, task.due_date, today),
        needs_check=task.needs_check,
        awaiting_check=rules.awaiting_check(task.needs_check, task.status, task.completed_by),
        completable=rules.completable(task.status, task.completed_by),
        lock_version=task.lock_version,
    )


def _rows_query() -> Any:
    user = aliased(UserAccount)
    return (
        select(Task, Employer.name, Participation.participant_number, user.display_name)
        .join(Employer, col(Employer.id) == Task.employer_id)
        .outerjoin(Participation, col(Participation.id) == Task.participation_id)
        .outerjoin(user, col(user.id) == Task.assignee_id)
    )


def list_tasks(
    db: Session,
    principal: Principal | None,
    filters: TaskFilter | None = None,
    sort: object = "due_date",
    descending: object = False,
    page: object = 1,
    size: object = 25,
    today: date | None = None,
) -> TaskPage:
    """One page of the office's tasks matching ``filters`` ("mine" by default), sorted on an allowed column
    (unknown: due date), ties broken by id; the total for paging."""
    p = access.adviser(principal)
    f = filters or TaskFilter()
    day = today if isinstance(today, date) else clock.today()
    per = size if isinstance(size, int) and size in PAGE_SIZES else 25
    number = page if isinstance(page, int) and not isinstance(page, bool) and 1 <= page <= 100_000 else 1
    order = SORTS.get(sort if isinstance(sort, str) else "", SORTS["due_date"])
    order = order.desc().nulls_last() if descending is True else order.asc().nulls_last()
    total = db.exec(_where(_counted(func.count()), p, f, day)).one()
    query = _where(_rows_query(), p, f, day).order_by(order, col(Task.id)).offset((number - 1) * per).limit(per)
    rows = [_row(task, name, num, who, day) for task, name, num, who in db.exec(query).all()]
    return TaskPage(rows, int(total), number, per)


def board_counts(db: Session, principal: Principal | None, filters: TaskFilter | None = None) -> dict[str, int]:
    """The office board: how many tasks per status under ``filters`` (its status filter left out)."""
    p = access.adviser(principal)
    f = filters or TaskFilter(mine=False)
    query = _where(_counted(Task.status, func.count()), p, f, clock.today(), with_status=False)
    found = dict(db.exec(query.group_by(Task.status)).all())
    return {status: int(found.get(status, 0)) for status in rules.STATUSES}


def task_counts(db: Session, principal: Principal | None, today: date | None = None) -> dict[str, int]:
    """Counts for a dashboard: the office's ``open`` and ``overdue`` tasks, the principal's own ``mine_open``
    and ``mine_overdue``, and ``follow_up_today`` (open tasks of the office to follow up today or before)."""
    p = access.adviser(principal)
    day = today if isinstance(today, date) else clock.today()
    is_open = col(Task.status).in_(rules.OPEN_STATUSES)
    late = is_open & (col(Task.due_date) < day)
    mine = Task.assignee_id == p.user_id
    follow = is_open & (col(Task.follow_up_date) <= day)

    query = _office(
        _counted(
            func.count().filter(is_open),
            func.count().filter(late),
            func.count().filter(is_open & mine),
            func.count().filter(late & mine),
            func.count().filter(follow),
        ),
        p,
    )
    values = db.exec(query).one()
    keys = ("open", "overdue", "mine_open", "mine_overdue", "follow_up_today")
    return {k: int(v or 0) for k, v in zip(keys, values, strict=True)}


def task_detail(db: Session, principal: Principal | None, task_id: object, today: date | None = None) -> TaskDetail:
    """One task of the office with its comments (oldest first)."""
    p = access.adviser(principal)
    task = access.office_task(db, p, task_id)
    day = today if isinstance(today, date) else clock.today()
    _task, name, number, who = db.exec(_rows_query().where(Task.id == task.id)).one()
    comments = db.exec(
        select(TaskComment).where(TaskComment.task_id == task.id).order_by(col(TaskComment.at), col(TaskComment.id))
    ).all()
    return TaskDetail(
        row=_row(task, name, number, who, day),
        detail=json.loads(task.detail or "{}"),
        completed_by=task.completed_by,
        checked_by=task.checked_by,
        comments=[CommentRow(c.author_name, c.at, c.text) for c in comments],
    )


def advisers(db: Session, principal: Principal | None) -> list[tuple[int, str]]:
    """The office's active advisers (id, name): who a task can be given to."""
    p = access.adviser(principal)
    assert p.office_id is not None
    return [(u.id or 0, u.display_name or u.username or "") for u in access.office_advisers(db, p.office_id)]


def employers(db: Session, principal: Principal | None) -> list[tuple[int, str]]:
    """The employers of the office's portfolio (id, name) that a task can be about."""
    p = access.adviser(principal)
    query = (
        select(Employer.id, Employer.name)
        .where(Employer.office_id == p.office_id, col(Employer.id).in_(p.employer_ids))
        .order_by(col(Employer.name), col(Employer.id))
    )
    return [(i or 0, name) for i, name in db.exec(query).all()]


def subject_of(
    db: Session, principal: Principal | None, employer_id: object, participation_id: object = None
) -> tuple[int, int | None, str]:
    """What a new task is to be about, from a link (``?employer=..&participation=..``): the employer's id, the
    participation's id and participant number; refused (audited) outside the office's portfolio."""
    p = access.adviser(principal)
    employer = access.office_employer(db, p, employer_id)
    assert employer.id is not None
    part = access.office_participation(db, p, employer.id, participation_id)
    return employer.id, part.id if part else None, part.participant_number if part else ""


def counts_by_assignee(db: Session, principal: Principal | None) -> list[tuple[int | None, str, int]]:
    """The office's open tasks per assignee (id, name, count), most first; ``None`` / "" for tasks of nobody
    (for a dashboard's "tasks by adviser")."""
    p = access.adviser(principal)
    query = (
        _office(_counted(Task.assignee_id, UserAccount.display_name, func.count()), p)
        .outerjoin(UserAccount, col(UserAccount.id) == Task.assignee_id)
        .where(col(Task.status).in_(rules.OPEN_STATUSES))
        .group_by(Task.assignee_id, UserAccount.display_name)
    )
    rows = [(uid, name or "", int(n)) for uid, name, n in db.exec(query).all()]
    return sorted(rows, key=lambda r: (-r[2], r[1]))
