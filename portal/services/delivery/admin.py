"""What an adviser sees of the delivery and may do about it (INT-5): per insurer the messages sent, waiting, retrying
and failed in the office's portfolio, and whether an address is configured to send them to; the failed ones with the
insurer's message; send a failed message again or cancel it (audited). Only messages of employers in the adviser's own
portfolio, read on every request; any other id (another office's message, an employer that left the portfolio, no such
message) is ``NoAccess``, audited by the caller (``usecase.run(..., deny=...)``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import delivery as rules
from portal.domain.roles import FrontEnd, Perm
from portal.models import Employer, Insurer, OutboxMessage, Participation, Person
from portal.services import audit
from portal.services.delivery.adapters import base_url
from portal.services.delivery.trigger import after_commit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, id_of, require

SHOWN_FAILED = 200  # failed messages listed at most (oldest first)


@dataclass(frozen=True)
class InsurerCounts:
    insurer_id: int
    insurer: str
    sent: int
    waiting: int  # waiting or being sent right now
    retrying: int
    failed: int
    cancelled: int
    configured: bool = True  # False: no address (PORTAL_INSURER_URLS) to send to, its messages wait


@dataclass(frozen=True)
class FailedMessage:
    id: int
    insurer: str
    employer: str
    participant: str
    kind: str
    attempts: int
    created_at: datetime
    last_error: str


@dataclass(frozen=True)
class Overview:
    insurers: list[InsurerCounts]
    failed: list[FailedMessage]


def _adviser(principal: Principal | None) -> Principal:
    p = require(principal, Perm.PORTFOLIO_VIEW, FrontEnd.INTERMEDIARY)
    if p.office_id is None:
        raise NoAccess("no_office")
    return p


def _portfolio(db: Session, p: Principal) -> list[int]:
    """The employers of ``p``'s portfolio that belong to ``p``'s office now."""
    if not p.employer_ids:
        return []
    return list(
        db.exec(
            select(Employer.id).where(col(Employer.id).in_(p.employer_ids), Employer.office_id == p.office_id)
        ).all()
    )


def overview(db: Session, principal: Principal | None) -> Overview:
    """The counts per insurer and the failed messages of the adviser's portfolio."""
    p = _adviser(principal)
    employers = _portfolio(db, p)
    if not employers:
        return Overview([], [])
    mine = col(OutboxMessage.employer_id).in_(employers)
    counts: dict[int, dict[str, int]] = {}
    for insurer_id, status, n in db.exec(
        select(OutboxMessage.insurer_id, OutboxMessage.status, func.count())
        .where(mine)
        .group_by(OutboxMessage.insurer_id, OutboxMessage.status)
    ).all():
        counts.setdefault(insurer_id, {})[status] = n
    known = {
        i: (name, code)
        for i, name, code in db.exec(
            select(Insurer.id, Insurer.name, Insurer.code).where(col(Insurer.id).in_(list(counts)))
        ).all()
    }
    insurers = sorted(
        (
            InsurerCounts(
                insurer_id=i,
                insurer=known.get(i, ("?", ""))[0],
                sent=c.get(rules.SENT, 0),
                waiting=c.get(rules.WAITING, 0) + c.get(rules.SENDING, 0),
                retrying=c.get(rules.RETRYING, 0),
                failed=c.get(rules.FAILED, 0),
                cancelled=c.get(rules.CANCELLED, 0),
                configured=base_url(known.get(i, ("", ""))[1]) is not None,
            )
            for i, c in counts.items()
        ),
        key=lambda r: r.insurer.lower(),
    )
    rows = db.exec(
        select(OutboxMessage, Insurer.name, Employer.name, Person, Participation.participant_number)
        .join(Insurer, col(Insurer.id) == OutboxMessage.insurer_id)
        .join(Employer, col(Employer.id) == OutboxMessage.employer_id)
        .join(Participation, col(Participation.id) == OutboxMessage.participation_id)
        .join(Person, col(Person.id) == Participation.person_id)
        .where(mine, OutboxMessage.status == rules.FAILED)
        .order_by(col(OutboxMessage.id))
        .limit(SHOWN_FAILED)
    ).all()
    failed = [
        FailedMessage(
            id=m.id or 0,
            insurer=insurer,
            employer=employer,
            participant=" ".join(x for x in (number, person.initials, person.name_prefix, person.last_name) if x),
            kind=m.kind,
            attempts=m.attempts,
            created_at=m.created_at,
            last_error=m.last_error,
        )
        for m, insurer, employer, person, number in rows
    ]
    return Overview(insurers, failed)


def _own_message(db: Session, p: Principal, message_id: object) -> OutboxMessage:
    mid = id_of(message_id)
    message = db.get(OutboxMessage, mid)
    if message is None:
        raise NoAccess("not_found")
    if message.employer_id not in p.employer_ids:
        raise NoAccess("out_of_scope")
    if db.exec(select(Employer.office_id).where(Employer.id == message.employer_id)).first() != p.office_id:
        raise NoAccess("out_of_scope")
    return message


def _decide(db: Session, principal: Principal | None, message_id: object, action: str) -> OutboxMessage:
    p = require(_adviser(principal), Perm.ACT_FOR_EMPLOYER)
    message = _own_message(db, p, message_id)
    if not rules.may_retry(message.status):
        raise FieldError("message", "delivery.not_failed")
    before = message.status
    if action == "retry":
        message.status = rules.WAITING
        message.attempts = 0  # a fresh series of attempts (the earlier ones stay on record)
        message.next_attempt_at = clock.now()
    else:
        message.status = rules.CANCELLED
    db.add(message)
    audit.record(
        db,
        f"outbox.{action}",
        actor=p,
        object_type="outbox_message",
        object_id=message.id,
        employer_id=message.employer_id,
        on_behalf_of=f"employer:{message.employer_id}",
        status_before=before,
        last_error=message.last_error[:200],
    )
    db.flush()
    return message


def retry(db: Session, principal: Principal | None, message_id: object) -> OutboxMessage:
    """Send a failed message again (a new series of attempts); the delivery job is queued after the commit."""
    message = _decide(db, principal, message_id, "retry")
    after_commit(db)
    return message


def cancel(db: Session, principal: Principal | None, message_id: object) -> OutboxMessage:
    """Give up a failed message (it no longer holds back the later messages of its participation)."""
    return _decide(db, principal, message_id, "cancel")
