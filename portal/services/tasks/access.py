"""Who may touch which task: advisers of the task's own office only (a task belongs to the office whose
portfolio held its employer when it was made; the office's tasks are its work, whatever happens to the
portfolio later). Every id is untrusted input; a task,
employer, participation or assignee of another office is refused with an audit entry in ``db`` (a state runs
the use case with ``commit_on=(NoAccess,)`` so the entry is kept)."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.domain.roles import Perm, Role
from portal.models import Employer, Participation, RoleGrant, Task, UserAccount
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, id_of, require

MAX_IDS = 500  # tasks reassigned at once


def adviser(principal: Principal | None) -> Principal:
    """An adviser with an office (``Perm.PORTFOLIO_VIEW``); NoAccess for anyone else."""
    p = require(principal, Perm.PORTFOLIO_VIEW)
    if p.office_id is None:
        raise NoAccess("no_office")
    return p


def refuse(db: Session, p: Principal, object_type: str, object_id: object, reason: str = "other_office") -> NoAccess:
    """Record the refusal of ``object_type`` ``object_id`` to ``p`` and return the NoAccess to raise."""
    audit.record(db, "task.access_refused", actor=p, object_type=object_type, object_id=object_id, reason=reason)
    return NoAccess(reason)


def office_task(db: Session, p: Principal, task_id: object) -> Task:
    """The task ``task_id`` of ``p``'s office."""
    tid = id_of(task_id)
    task = db.get(Task, tid)
    if task is None:
        raise NoAccess("not_found")
    if task.office_id != p.office_id:
        raise refuse(db, p, "task", tid)
    return task


def office_employer(db: Session, p: Principal, employer_id: object) -> Employer:
    """An employer in ``p``'s office's portfolio."""
    eid = id_of(employer_id)
    employer = db.get(Employer, eid)
    if employer is None:
        raise NoAccess("not_found")
    if employer.office_id != p.office_id or eid not in p.employer_ids:
        raise refuse(db, p, "employer", eid)
    return employer


def office_participation(db: Session, p: Principal, employer_id: int, participation_id: object) -> Participation | None:
    """The participation ``participation_id`` (optional) of employer ``employer_id``."""
    if participation_id is None or participation_id == "":
        return None
    pid = id_of(participation_id)
    part = db.get(Participation, pid)
    if part is None:
        raise NoAccess("not_found")
    if part.employer_id != employer_id:
        raise refuse(db, p, "participation", pid)
    return part


def office_advisers(db: Session, office_id: int) -> list[UserAccount]:
    """The active advisers of office ``office_id``, by name."""
    query = (
        select(UserAccount)
        .join(RoleGrant, RoleGrant.user_id == UserAccount.id)
        .where(RoleGrant.role == Role.ADVISER, RoleGrant.office_id == office_id, UserAccount.status == "active")
        .order_by(UserAccount.display_name, UserAccount.id)
    )
    return list({u.id: u for u in db.exec(query).all()}.values())  # one row per account


def assignee(db: Session, p: Principal, user_id: object) -> int | None:
    """An assignee (optional): an active adviser of ``p``'s office. Not an adviser at all: a message at the
    field; an adviser of another office: refused and audited."""
    if user_id is None or user_id == "":
        return None
    try:
        uid = id_of(user_id)
    except NoAccess:
        raise FieldError("assignee", "task_assignee_unknown") from None
    offices = set(
        db.exec(
            select(RoleGrant.office_id)
            .join(UserAccount, UserAccount.id == RoleGrant.user_id)
            .where(RoleGrant.user_id == uid, RoleGrant.role == Role.ADVISER, UserAccount.status == "active")
        ).all()
    )
    if p.office_id in offices:
        return uid
    if offices:
        raise refuse(db, p, "user", uid)
    raise FieldError("assignee", "task_assignee_unknown")


def task_ids(raw: object) -> list[int]:
    """Task ids from untrusted input (a list of ids, at most ``MAX_IDS``), without repeats."""
    if not isinstance(raw, list | tuple) or not raw:
        raise FieldError("tasks", "task_none_selected")
    if len(raw) > MAX_IDS:
        raise FieldError("tasks", "task_too_many", {"limit": MAX_IDS})
    return list(dict.fromkeys(id_of(r) for r in raw))
