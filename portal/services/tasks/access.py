"""Who may touch which task: advisers of the task's own office, and only while the task's employer is in their
portfolio — read on every request (the principal's portfolio is resolved anew for each one), so the tasks of an
employer that left the portfolio are neither listed, opened nor changed by the office it left. Every id is
untrusted input; a task, employer, participation or assignee outside that scope raises ``NoAccess`` before anything
is read or written. The refusal is audited the common way, by the caller (a state's ``usecase.run(...,
deny=...)`` records ``access.denied`` with the reason in its own transaction)."""

from __future__ import annotations

from sqlmodel import Session, select

from portal.domain import tasks as rules
from portal.domain.roles import Perm, Role
from portal.models import Employer, Participation, RoleGrant, Task, UserAccount
from portal.services.errors import FieldError, by_rules
from portal.services.principal import NoAccess, Principal, id_of, require

OTHER_OFFICE = "other_office"  # an object of another office
OUT_OF_SCOPE = "out_of_scope"  # an employer no longer (or never) in the adviser's portfolio


def adviser(principal: Principal | None) -> Principal:
    """An adviser with an office (``Perm.PORTFOLIO_VIEW``); NoAccess for anyone else."""
    p = require(principal, Perm.PORTFOLIO_VIEW)
    if p.office_id is None:
        raise NoAccess("no_office")
    return p


def in_scope(p: Principal, task: Task, employer_office: int | None) -> str | None:
    """Why ``p`` may not touch ``task`` (None: it may): another office's task, or one about an employer that is
    not in ``p``'s portfolio now (``employer_office``: the office whose portfolio holds the employer, as read
    now)."""
    if task.office_id != p.office_id:
        return OTHER_OFFICE
    if employer_office != p.office_id or task.employer_id not in p.employer_ids:
        return OUT_OF_SCOPE
    return None


def office_task(db: Session, p: Principal, task_id: object) -> Task:
    """The task ``task_id`` of ``p``'s office."""
    tid = id_of(task_id)
    task = db.get(Task, tid)
    if task is None:
        raise NoAccess("not_found")
    reason = in_scope(p, task, db.exec(select(Employer.office_id).where(Employer.id == task.employer_id)).first())
    if reason is not None:
        raise NoAccess(reason)
    return task


def office_employer(db: Session, p: Principal, employer_id: object) -> Employer:
    """An employer in ``p``'s office's portfolio."""
    eid = id_of(employer_id)
    employer = db.get(Employer, eid)
    if employer is None:
        raise NoAccess("not_found")
    if employer.office_id != p.office_id:
        raise NoAccess(OTHER_OFFICE)
    if eid not in p.employer_ids:
        raise NoAccess(OUT_OF_SCOPE)
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
        raise NoAccess(OUT_OF_SCOPE)
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
    field; an adviser of another office: refused."""
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
        raise NoAccess(OTHER_OFFICE)
    raise FieldError("assignee", "task_assignee_unknown")


def task_ids(raw: object) -> list[int]:
    """Task ids from untrusted input (a list of ids, at most ``rules.REASSIGN_LIMIT``), without repeats."""
    if not isinstance(raw, list | tuple) or not raw:
        raise FieldError("tasks", "task_none_selected")
    by_rules(rules.check_selection, len(raw))
    return list(dict.fromkeys(id_of(r) for r in raw))
