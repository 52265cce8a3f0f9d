"""The advisers' daily task mail (INT-3 reminders): each adviser who has not turned it off gets one mail a day
listing the open tasks assigned to them that are due or to be followed up that day, with deep links.

No personal data: a line names the kind of task, the employer (a company) and the date, never the task's title
(typed by hand, it may name a person) or a participant. Never twice for one day: the day has one job run
(``task_digest:<day>``), and each mail a ``SentMail`` row unique per (run, adviser), committed right before the
message leaves (as the document mails, ``portal.services.documents.notifications``); an attempt finding the
row skips that adviser. ``SentMail.document_ids`` holds the task ids the mail listed.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from email.utils import parseaddr
from functools import partial

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select, update

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.core.mail import send_mail
from portal.domain import tasks as rules
from portal.domain.roles import Role
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import Employer, JobRun, RoleGrant, SentMail, Task, UserAccount
from portal.services import audit, background
from portal.services.errors import FieldError
from portal.services.principal import Principal
from portal.services.tasks import access

KIND = "task_digest"
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
    has one already."""
    subject = f"{KIND}:{day.isoformat()}"
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
    """adviser id → (account, the open tasks assigned to them due or to follow up on ``day``)."""
    advisers = select(RoleGrant.user_id).where(RoleGrant.role == Role.ADVISER, col(RoleGrant.office_id).is_not(None))
    query = (
        select(Task, Employer.name, UserAccount)
        .join(Employer, col(Employer.id) == Task.employer_id)
        .join(UserAccount, col(UserAccount.id) == Task.assignee_id)
        .where(
            col(Task.status).in_(rules.OPEN_STATUSES),
            or_(Task.due_date == day, Task.follow_up_date == day),
            col(Task.assignee_id).in_(advisers),
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


class _Taken(Exception):
    """Another attempt has recorded this mail already."""


def _message_id(run: background.Run, user_id: int) -> str:
    domain = parseaddr(get_settings().mail_from)[1].rpartition("@")[2] or "portal.example"
    return f"<tasks.job{run.id}.user{user_id}@{domain}>"


def _claim(run: background.Run, user_id: int, lines: list[_Line], claimed: list[bool]) -> None:
    try:
        with session_scope() as db:
            ids = json.dumps([line.task_id for line in lines])
            db.add(SentMail(job_id=run.id, user_id=user_id, document_ids=ids, message_id=_message_id(run, user_id)))
    except IntegrityError:
        raise _Taken(user_id) from None
    claimed.append(True)


def _mark(run: background.Run, user_id: int, status: str) -> None:
    values = {"status": status, "sent_at": clock.now()} if status == "sent" else {"status": status}
    with session_scope() as db:
        where = (col(SentMail.job_id) == run.id) & (col(SentMail.user_id) == user_id)
        db.exec(update(SentMail).where(where).values(**values))  # type: ignore[call-overload]


class MailsNotSent(Exception):
    """Some advisers could not be reached (mail server away): huey tries the job again for them."""


def digest_job(run: background.Run) -> int:
    """The ``task_digest`` job run: mail every adviser concerned once; returns how many mails it sent."""
    day = date.fromisoformat(str(run.args["day"]))
    with session_scope() as db:
        targets = recipients(db, day)
        done = set(db.exec(select(SentMail.user_id).where(SentMail.job_id == run.id)).all())
    log = logging.getLogger("portal.tasks")
    sent, unreached = [], []
    for user_id, (user, lines) in sorted(targets.items()):
        if user_id in done:
            continue
        subject, body = compose(user, lines, day)
        claimed: list[bool] = []
        try:
            send_mail(
                user.email, subject, body, _message_id(run, user_id), partial(_claim, run, user_id, lines, claimed)
            )
        except _Taken:
            continue
        except Exception:  # one address or a lost connection must not stop the others
            log.exception("task mail to user %s failed", user_id)
            if claimed:
                _mark(run, user_id, "unconfirmed")  # handed over, answer lost: never sent again
            else:
                unreached.append(user_id)
            continue
        _mark(run, user_id, "sent")
        sent.append(user_id)
    with session_scope() as db:
        audit.record(db, "tasks.digest_sent", object_type="job_run", object_id=run.id, day=day, recipients=sent)
    if unreached:
        raise MailsNotSent(unreached)
    return len(sent)
