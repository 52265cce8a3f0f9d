"""Notification mails about new documents (DOC-4, PLT-2), sent by a job after the documents are committed.

Who is told: for a financial or legal document, every active user of that employer (directly or through
the company group) whose roles may see the category and who has not turned the mails off
(``UserAccount.notify_mail``); for a statement, the employee's own account (unless they turned the mails off),
at every known address of the person (EE-3): the account's, the business address the employer gave (while the
person is in service there) and the confirmed private one, one mail per address. Advisers are not mailed. One mail
per user per run, listing every new document with a deep link. A mail carries no personal data: no titles
(a statement's title names a person), no amounts, no participant names — only the kind of document, its
category, the employer's name and the link, which works only after signing in.

Never twice: the job run is written with the documents (``queue_notifications``), and each mail is sent by
``background.deliver`` (``portal.services.background.mails``): a ``SentMail`` row unique per (job, user),
committed as ``sending`` right before the message is transmitted and marked ``sent`` once the server accepted
it, so a retried or resumed job mails only those it had not reached; a refused address is recorded ``failed``;
a mail an attempt was killed while handing over is marked ``unconfirmed`` (audited as
``documents.mail_unconfirmed``) and not sent again. So a mail is sent at most once, and one lost in that
moment is on record.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from sqlalchemy import or_, select
from sqlmodel import Session, col

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain.documents import CATEGORY_PERM, STATEMENT
from portal.domain.profile import mail_addresses
from portal.domain.roles import EMPLOYER_ROLES, PERMISSIONS_OF_ROLE, Role
from portal.i18n import normalise_language, t
from portal.models import Document, Employer, Employment, Person, RoleGrant, UserAccount
from portal.services import audit, background
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
    person_id: int | None = None


def _subject(ids: list[int]) -> str:
    return f"documents:{ids[0]}" if len(ids) == 1 else f"documents:{ids[0]}..{ids[-1]}"


def _employer_of(db: Session, ids: list[int]) -> int | None:
    """The one employer of the documents ``ids`` (None when they are of several)."""
    employers = set(db.execute(select(Document.employer_id).where(col(Document.id).in_(ids))).scalars())
    return employers.pop() if len(employers) == 1 else None


def queue_notifications(db: Session, document_ids: Iterable[int], employer_id: int | None = None) -> None:
    """Record the ``notify_documents`` job run for ``document_ids`` in ``db``'s transaction (the documents'
    own, so that the mails follow from their commit exactly once) and queue it once that commits."""
    ids = sorted({int(i) for i in document_ids})
    if not ids:
        return
    employer = employer_id if employer_id is not None else _employer_of(db, ids)
    background.queue(db, "notify_documents", subject=_subject(ids), employer_id=employer, document_ids=ids)


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
        item = _Item(doc.id or 0, doc.kind, doc.category, employer.name, path, doc.person_id)
        for user in users:
            out.setdefault(user.id or 0, (user, []))[1].append(item)
    return out


def addresses(db: Session, user: UserAccount, items: list[_Item]) -> list[tuple[str, str]]:
    """(address, key) of each mail to ``user`` about ``items``: their account's address (key ""), and for their
    statements (EE-3) also the business address of each record concerned while they are in service at its
    employer, and their confirmed private address; each address once. A business address is mailed only until
    the person leaves that employer (the Vivium seed: "tot hij uit dienst gaat"), also when it is the account's
    own address (an invited or eID account is made with it)."""
    extra: list[str] = []
    left: set[str] = set()
    records = sorted({i.person_id for i in items if i.category == STATEMENT and i.person_id is not None})
    if records:
        today = clock.today()
        business = (
            select(Person.business_email)
            .join(Employment, col(Employment.person_id) == Person.id)
            .where(col(Person.id).in_(records), Person.business_email != "")
            .order_by(col(Person.id))
        )
        in_service = business.where(or_(col(Employment.end_date).is_(None), col(Employment.end_date) >= today))
        current = list(db.execute(in_service).scalars())
        left = set(mail_addresses(*db.execute(business).scalars())) - set(mail_addresses(*current))
        extra = [*current, user.private_email]
    own = user.email.strip().lower()
    mails = [] if own in left else [(own, "")]
    return mails + [(a, a) for a in mail_addresses(*extra) if a != own]


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


MailsNotSent = background.MailsNotSent  # some users not reached (server away): huey tries the job again


def notification_job(run: background.Run) -> int:
    """The ``notify_documents`` job run (queued by ``queue_notifications``; resumes a lost attempt)."""
    return _notify(run)


def notify_documents(document_ids: list[int]) -> int:
    """Mail every user concerned about the new documents ``document_ids`` now, in this thread, as a job run
    of its own (one mail per user); returns how many mails were sent."""
    ids = sorted({int(i) for i in document_ids})
    with session_scope() as db:
        employer = _employer_of(db, ids) if ids else None
    run = background.begin("notify_documents", subject=_subject(ids or [0]), employer_id=employer, document_ids=ids)
    return background.perform(run, _notify)


def _notify(run: background.Run) -> int:
    """Mail every user concerned about the run's documents once (``background.deliver``: a refused address is
    recorded and not tried again, a mail a lost attempt was handing over is marked unconfirmed and audited as
    ``documents.mail_unconfirmed``); returns how many mails this attempt sent. MailsNotSent after the others
    when the server cannot be reached for some (huey tries the job again for those)."""
    ids = [int(i) for i in run.args.get("document_ids", [])]
    with session_scope() as db:
        targets = recipients(db, ids)
        letters = [
            background.Letter(user_id, to, tuple(i.document_id for i in items), partial(compose, user, items), key)
            for user_id, (user, items) in sorted(targets.items())
            for to, key in addresses(db, user, items)
        ]
    mailing = background.Mailing(f"notify.job{run.id}", "documents.mail_unconfirmed", log)
    delivery = background.deliver(run, letters, mailing)
    with session_scope() as db:
        audit.record(
            db,
            "documents.notified",
            object_type="document",
            object_id=",".join(str(i) for i in ids)[:200],
            recipients=delivery.sent,
            mails=len(delivery.sent),
        )
    background.raise_unreached(delivery)
    return len(delivery.sent)
