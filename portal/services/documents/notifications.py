"""Notification mails about new documents (DOC-4, PLT-2), sent by a job after the documents are committed.

Who is told: for a financial or legal document, every active user of that employer (directly or through
the company group) whose roles may see the category and who has not turned the mails off
(``UserAccount.notify_mail``); for a statement, the employee's own account. Advisers are not mailed. One mail
per user per run, listing every new document with a deep link. A mail carries no personal data: no titles
(a statement's title names a person), no amounts, no participant names — only the kind of document, its
category, the employer's name and the link, which works only after signing in.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlmodel import Session, col

from portal.core.config import get_settings
from portal.core.mail import send_mail
from portal.domain.documents import CATEGORY_PERM, STATEMENT
from portal.domain.roles import EMPLOYER_ROLES, PERMISSIONS_OF_ROLE, Role
from portal.i18n import normalise_language, t
from portal.jobs.queue import enqueue_after_commit
from portal.models import Document, Employer, RoleGrant, UserAccount
from portal.services import audit
from portal.services.principal import records_of_same_person

log = logging.getLogger("portal.notifications")
MAX_LINES = 50  # a run with more documents for one user lists the first ones and points to the page


@dataclass(frozen=True)
class _Item:
    document_id: int
    kind: str
    category: str
    employer: str
    path: str


def queue_notifications(db: Session, document_ids: Iterable[int]) -> None:
    """Queue ``notify_documents(document_ids)`` for when ``db``'s transaction has committed (nothing is
    queued when it rolls back)."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return
    enqueue_after_commit(db, "notify_documents", ids)


def _roles_for(category: str) -> list[str]:
    perm = CATEGORY_PERM[category]
    return sorted(r for r in EMPLOYER_ROLES if perm in PERMISSIONS_OF_ROLE[r])


def _employer_users(db: Session, employer: Employer, category: str) -> list[UserAccount]:
    scope = RoleGrant.employer_id == employer.id
    if employer.group_id is not None:
        scope = or_(scope, RoleGrant.group_id == employer.group_id)
    query = (
        select(UserAccount)
        .join(RoleGrant, col(RoleGrant.user_id) == UserAccount.id)
        .where(
            UserAccount.status == "active",
            col(UserAccount.notify_mail).is_(True),
            col(RoleGrant.role).in_(_roles_for(category)),
            scope,
        )
        .distinct()
    )
    return list(db.execute(query).scalars())


def _own_account(db: Session, person_id: int | None) -> list[UserAccount]:
    """The employee accounts of the natural person behind ``person_id``: an account is linked to one
    employer's record of them, the statement may be on another employer's record of the same person
    (``records_of_same_person``: same BSN and birth date, as for the employee's own access)."""
    if person_id is None:
        return []
    records = records_of_same_person(db, person_id)
    if not records:
        return []
    query = (
        select(UserAccount)
        .join(RoleGrant, col(RoleGrant.user_id) == UserAccount.id)
        .where(
            col(UserAccount.person_id).in_(records),
            UserAccount.status == "active",
            col(UserAccount.notify_mail).is_(True),
            RoleGrant.role == Role.EMPLOYEE,
        )
        .distinct()
    )
    return list(db.execute(query).scalars())


def recipients(db: Session, document_ids: Iterable[int]) -> dict[int, tuple[UserAccount, list[_Item]]]:
    """user id → (account, the new documents to tell them about), for the documents that exist."""
    out: dict[int, tuple[UserAccount, list[_Item]]] = {}
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return out
    docs = db.execute(select(Document).where(col(Document.id).in_(ids)).order_by(col(Document.id))).scalars()
    employers: dict[int, Employer | None] = {}
    for doc in docs:
        if doc.employer_id not in employers:
            employers[doc.employer_id] = db.get(Employer, doc.employer_id)
        employer = employers[doc.employer_id]
        if employer is None:
            continue
        if doc.category == STATEMENT:
            users, path = _own_account(db, doc.person_id), f"/employee/documents?doc={doc.id}"
        elif doc.category in CATEGORY_PERM:
            users, path = _employer_users(db, employer, doc.category), f"/employer/documents?doc={doc.id}"
        else:
            continue
        item = _Item(doc.id or 0, doc.kind, doc.category, employer.name, path)
        for user in users:
            out.setdefault(user.id or 0, (user, []))[1].append(item)
    return out


def compose(user: UserAccount, items: list[_Item]) -> tuple[str, str]:
    """Subject and body of one user's mail, in their language."""
    lang = normalise_language(user.language)
    base = get_settings().base_url.rstrip("/")
    subject = (
        t("mail.documents.subject_one", lang)
        if len(items) == 1
        else t("mail.documents.subject_many", lang, n=len(items))
    )
    greeting = t("mail.documents.greeting", lang)
    lines = [greeting, "", t("mail.documents.intro", lang)]
    for item in items[:MAX_LINES]:
        kind = t(f"doc.kind.{item.kind}", lang)
        url = base + item.path
        if item.category == STATEMENT:
            lines.append(t("mail.documents.own_line", lang, kind=kind, url=url))
        else:
            category = t(f"doc.category.{item.category}", lang)
            lines.append(t("mail.documents.line", lang, kind=kind, category=category, employer=item.employer, url=url))
    if len(items) > MAX_LINES:
        lines.append(f"… {base}{items[0].path.split('?')[0]}")
    lines += ["", t("mail.documents.outro", lang)]
    return subject, "\n".join(lines)


def notify_documents(document_ids: list[int]) -> int:
    """The job: mail every user concerned about the new documents ``document_ids`` (one mail per user);
    returns how many mails were sent. A failing address is logged and the others are still sent."""
    from portal.core.db import session_scope

    with session_scope() as db:
        targets = recipients(db, document_ids)
    sent: list[int] = []
    for user_id, (user, items) in sorted(targets.items()):
        subject, body = compose(user, items)
        try:
            send_mail(user.email, subject, body)
        except Exception:  # one bad address must not stop the others (the job is not retried for them)
            log.exception("notification mail to user %s failed", user_id)
            continue
        sent.append(user_id)
    with session_scope() as db:
        audit.record(
            db,
            "documents.notified",
            object_type="document",
            object_id=",".join(str(i) for i in sorted({int(i) for i in document_ids}))[:200],
            recipients=sent,
            mails=len(sent),
        )
    return len(sent)
