"""The advisers' daily task mail (INT-3 reminders): each adviser who has not turned it off gets one mail a day
listing the open tasks assigned to them that are due or to be followed up that day, with deep links.

Who: an active account with an adviser grant in the office the task belongs to (a task goes to nobody outside
its office, also when its assignee has moved to another office since), and the mail switched on
(``UserAccount.notify_tasks``). No personal data: a line names the kind of task, the employer (a company) and
the date, never the task's title (typed by hand, it may name a person) or a participant.

Never twice for one day: the day has one job run (``task_digest:<day>``), and the mails are sent by
``background.deliver`` (``portal.services.background.mails``) under the once-key ``task_digest:<day>``: a
``SentMail`` row unique per (day, adviser), committed right before the message leaves, so a second run for the
same day (a doubled schedule, two workers, also at the same moment) cannot write its row and sends nothing to
that adviser. A refused address is recorded ``failed`` and the others still get theirs; a mail an attempt was
killed while handing over is marked ``unconfirmed`` (audited as ``tasks.mail_unconfirmed``) and not sent
again; the run reports done/total. ``SentMail.document_ids`` holds the task ids the mail listed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlmodel import Session, col, or_, select

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import tasks as rules
from portal.domain.roles import Role
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import Employer, JobRun, RoleGrant, Task, UserAccount
from portal.services import audit, background
from portal.services.errors import FieldError
from portal.services.principal import Principal
from portal.services.tasks import access

KIND = "task_digest"
log = logging.getLogger("portal.tasks")
MAX_LINES = 50


@dataclass(frozen=True)
class _Line:
    task_id: int
    kind: str
    employer: str
    due: date | None
    follow_up: date | None


def queue_digest(db: Session, day: date) -> JobRun | None:
    """The job run of ``day``'s mails in ``db``'s transaction (queued once that commits); None when the day
    has one already. (A second run for the day made anyway, e.g. at the same moment, mails nobody twice: the
    once-key of its mails.)"""
    subject = once_key(day)
    if db.exec(select(JobRun.id).where(JobRun.kind == KIND, JobRun.subject == subject)).first() is not None:
        return None
    return background.queue(db, KIND, subject=subject, day=day.isoformat())


def queue_today() -> JobRun | None:
    """The daily schedule's call: today's run, unless there is one."""
    with session_scope() as db:
        return queue_digest(db, clock.today())


def set_digest(db: Session, principal: Principal | None, on: object) -> bool:
    """Turn the adviser's own daily task mail on or off; returns the setting."""
    p = access.adviser(principal)
    if not isinstance(on, bool):
        raise FieldError("notify_tasks", "decision_invalid")
    user = db.get(UserAccount, p.user_id)
    assert user is not None
    user.notify_tasks = on
    db.add(user)
    audit.record(db, "account.notify_tasks_changed", actor=p, object_type="user", object_id=p.user_id, on=on)
    return on


def digest_setting(db: Session, principal: Principal | None) -> bool:
    """Whether the adviser gets the daily task mail."""
    p = access.adviser(principal)
    user = db.get(UserAccount, p.user_id)
    return bool(user and user.notify_tasks)


def recipients(db: Session, day: date) -> dict[int, tuple[UserAccount, list[_Line]]]:
    """adviser id → (account, the open tasks assigned to them due or to follow up on ``day``): only tasks of an
    office the assignee is an adviser of, about an employer still in that office's portfolio, only active
    accounts with the mail switched on."""
    of_the_office = (
        select(RoleGrant.id)
        .where(
            col(RoleGrant.user_id) == Task.assignee_id,
            RoleGrant.role == Role.ADVISER,
            col(RoleGrant.office_id) == Task.office_id,
        )
        .exists()
    )
    query = (
        select(Task, Employer.name, UserAccount)
        .join(Employer, col(Employer.id) == Task.employer_id)
        .join(UserAccount, col(UserAccount.id) == Task.assignee_id)
        .where(
            col(Task.status).in_(rules.OPEN_STATUSES),
            or_(Task.due_date == day, Task.follow_up_date == day),
            of_the_office,
            col(Employer.office_id) == Task.office_id,  # the employer still in the office's portfolio (INT-2)
            UserAccount.status == "active",
            col(UserAccount.notify_tasks).is_(True),
        )
        .order_by(col(Task.assignee_id), col(Task.due_date), col(Task.id))
    )
    out: dict[int, tuple[UserAccount, list[_Line]]] = {}
    for task, employer, user in db.exec(query).all():
        line = _Line(task.id or 0, task.kind, employer, task.due_date, task.follow_up_date)
        out.setdefault(user.id or 0, (user, []))[1].append(line)
    return out


def compose(user: UserAccount, lines: list[_Line], day: date) -> tuple[str, str]:
    """Subject and body of one adviser's mail, in their language."""
    lang = normalise_language(user.language)
    base = get_settings().base_url.rstrip("/")
    body = [t("mail.tasks.greeting", lang), "", t("mail.tasks.intro", lang, day=fmt.day(day, lang)), ""]
    for line in lines[:MAX_LINES]:
        when = t("mail.tasks.due" if line.due == day else "mail.tasks.follow_up", lang)
        kind = t(f"task.kind.{line.kind}", lang)
        url = f"{base}/intermediary/tasks?task={line.task_id}"
        body.append(t("mail.tasks.line", lang, kind=kind, employer=line.employer, when=when, url=url))
    if len(lines) > MAX_LINES:
        body.append(f"… {base}/intermediary/tasks")
    body += ["", t("mail.tasks.outro", lang)]
    return t("mail.tasks.subject", lang, n=len(lines)), "\n".join(body)


MailsNotSent = background.MailsNotSent  # some advisers not reached (server away): huey tries the job again


def once_key(day: date) -> str:
    """The key of ``day``'s digest mails: one per adviser, whatever run sends it."""
    return f"{KIND}:{day.isoformat()}"


def digest_job(run: background.Run) -> int:
    """The ``task_digest`` job run: mail every adviser concerned once (see the module docstring); returns how
    many mails this attempt sent."""
    day = date.fromisoformat(str(run.args["day"]))
    with session_scope() as db:
        targets = recipients(db, day)
    letters = [
        background.Letter(
            user_id, user.email, tuple(line.task_id for line in lines), partial(compose, user, lines, day)
        )
        for user_id, (user, lines) in sorted(targets.items())
    ]
    mailing = background.Mailing(f"tasks.{day.isoformat()}", "tasks.mail_unconfirmed", log, once_key(day))
    delivery = background.deliver(run, letters, mailing)
    with session_scope() as db:
        audit.record(
            db,
            "tasks.digest_sent",
            object_type="job_run",
            object_id=run.id,
            day=day,
            recipients=delivery.sent,
            failed=delivery.failed,
        )
    background.raise_unreached(delivery)
    return len(delivery.sent)
