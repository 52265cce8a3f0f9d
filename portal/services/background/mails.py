"""Mails a job run sends, one per user and at most once (DOC-4 document mails, INT-3 task digest): the one
claim → send → mark loop, with refused addresses, stuck rows, progress and audit.

Each mail has a ``SentMail`` row, unique per (job, user, address: "" for the account's own address; a statement
mail goes to each of a person's addresses, EE-3), and, for a mail that goes once per user whatever
run sends it (``once_key``, e.g. one task digest per adviser per day), unique per (once_key, user) too. The row
is committed as ``sending`` after the mail server has accepted sender and recipient and right before the
message itself is transmitted (``send_mail``'s ``before_data``), and marked ``sent`` as soon as the server
accepted it. An attempt that finds a row skips that user, and an attempt whose row cannot be written (another
attempt or run holds the key) sends nothing; so a retried, resumed or doubled job mails only those nobody has
reached. A refused address (the server refuses sender, recipient or message) is recorded ``failed`` and not
tried again. What cannot be known is the moment between handing the message over and recording the answer
(one round trip and one small commit): an attempt killed there leaves ``sending``, and the next attempt of
that run marks it ``unconfirmed`` (audited) without sending it again. So a mail is sent at most once; it is
lost only when its worker dies inside that moment, and then the audit trail says so. A mail server that
cannot be reached leaves the user without a row: ``MailsNotSent`` after the others, and huey's retry mails
only those.
"""

from __future__ import annotations

import json
import logging
import smtplib
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email.utils import parseaddr
from functools import partial

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.core.mail import send_mail
from portal.models import SentMail
from portal.services import audit
from portal.services.background.faults import pause
from portal.services.background.runs import Run

REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


@dataclass(frozen=True)
class Letter:
    """One user's mail of a run: where it goes, the ids it lists (kept on its row) and how to write it
    (``write() -> (subject, body)``, called only when the mail is due). ``claimed(db)``, when given, runs in
    the transaction that records the mail as ``sending`` (e.g. to store the hash of a one-time link the
    body carries): it commits exactly when this attempt's message is the one that goes out."""

    user_id: int
    to: str
    listed: tuple[int, ...]
    write: Callable[[], tuple[str, str]]
    address: str = ""  # the key of a mail to one of several addresses of the user ("" = their account's)
    claimed: Callable[[Session], None] | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.user_id, self.address)


@dataclass(frozen=True)
class Mailing:
    """What one kind of mail is called: ``tag`` starts its Message-ID (the same for every attempt at one mail,
    so a receiving system can tell a copy), ``unconfirmed_action`` is the audit action of mails whose answer
    was lost, ``once_key`` (optional) makes a mail go once per user across runs."""

    tag: str
    unconfirmed_action: str
    log: logging.Logger
    once_key: str | None = None


@dataclass
class Delivery:
    """What one attempt did: user ids ``sent``, ``failed`` (refused), ``unconfirmed`` (answer lost, not sent
    again), ``unreached`` (server unreachable: for the retry), and ``skipped`` (recorded before, or taken by
    another attempt or run)."""

    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unconfirmed: list[int] = field(default_factory=list)
    unreached: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


class MailsNotSent(Exception):
    """Some mails of a run could not be handed to the mail server (it was unreachable): the job is tried
    again, and mails only the users it has not reached."""


class _Taken(Exception):
    """Another attempt or run has recorded this mail already (a unique key of ``sent_mail``)."""


def message_id(tag: str, user_id: int, address: str = "") -> str:
    """``<tag.user<id>@domain of the sender>`` (``.a<n>`` added for a mail to one of several addresses)."""
    domain = parseaddr(get_settings().mail_from)[1].rpartition("@")[2] or "portal.example"
    extra = f".a{zlib.crc32(address.encode())}" if address else ""
    return f"<{tag}.user{user_id}{extra}@{domain}>"


def _claim(run: Run, mailing: Mailing, letter: Letter, claimed: list[bool]) -> None:
    """Record the mail as ``sending`` (called by ``send_mail`` right before the message is transmitted)."""
    try:
        with session_scope() as db:
            db.add(
                SentMail(
                    job_id=run.id,
                    user_id=letter.user_id,
                    once_key=mailing.once_key,
                    address=letter.address,
                    document_ids=json.dumps(list(letter.listed)),
                    message_id=message_id(mailing.tag, letter.user_id, letter.address),
                )
            )
            if letter.claimed is not None:
                db.flush()  # the unique keys first: a mail taken by another attempt writes nothing of its own
                letter.claimed(db)
    except IntegrityError:
        raise _Taken(letter.user_id) from None
    claimed.append(True)


def _mark(run: Run, keys: Iterable[tuple[int, str]], status: str) -> None:
    values = {"status": status, "sent_at": clock.now()} if status == "sent" else {"status": status}
    with session_scope() as db:
        for user_id, address in keys:
            db.connection().execute(
                update(SentMail)
                .where(col(SentMail.job_id) == run.id, col(SentMail.user_id) == user_id, SentMail.address == address)
                .values(**values)
            )


def _unconfirmed(run: Run, mailing: Mailing, keys: list[tuple[int, str]]) -> None:
    """Mails handed to the server whose answer was lost: on record (and audited) as maybe sent, never resent."""
    _mark(run, keys, "unconfirmed")
    user_ids = sorted({user_id for user_id, _address in keys})
    with session_scope() as db:
        audit.record(db, mailing.unconfirmed_action, object_type="job_run", object_id=run.id, users=user_ids)
    mailing.log.warning("job run %s: mails to users %s may or may not have gone out; not sent again", run.id, user_ids)


def _recorded(run: Run, mailing: Mailing) -> set[tuple[int, str]]:
    """The users this run's mail is recorded for (by this run, or by any run under the same ``once_key``).
    This run's ``sending`` rows (an attempt of it died while handing them over) become ``unconfirmed``,
    audited; another run's are left alone (that run may be sending them right now)."""
    mine = col(SentMail.job_id) == run.id
    where = or_(mine, col(SentMail.once_key) == mailing.once_key) if mailing.once_key is not None else mine
    with session_scope() as db:
        rows = db.execute(
            select(SentMail.job_id, SentMail.user_id, SentMail.address, SentMail.status).where(where)
        ).all()
    stuck = sorted({(uid, a) for job_id, uid, a, status in rows if job_id == run.id and status == "sending"})
    if stuck:
        _unconfirmed(run, mailing, stuck)
    return {(user_id, address) for _job_id, user_id, address, _status in rows}


def deliver(run: Run, letters: Sequence[Letter], mailing: Mailing) -> Delivery:
    """Send each letter of ``run`` once (see the module docstring), reporting done/total on the run as it
    goes. Returns what this attempt did; the caller audits it and raises ``MailsNotSent`` for ``unreached``
    (``raise_unreached``)."""
    out = Delivery()
    recorded = _recorded(run, mailing)
    out.skipped = sorted(letter.user_id for letter in letters if letter.key in recorded)
    todo = [letter for letter in letters if letter.key not in recorded]
    done = len(letters) - len(todo)
    run.report(done, len(letters))
    for letter in todo:
        subject, body = letter.write()
        claimed: list[bool] = []
        mid = message_id(mailing.tag, letter.user_id, letter.address)
        try:
            send_mail(letter.to, subject, body, mid, partial(_claim, run, mailing, letter, claimed))
        except _Taken:
            out.skipped.append(letter.user_id)
        except REFUSED:  # definite: recorded, not tried again
            mailing.log.exception("mail to user %s refused", letter.user_id)
            try:
                if not claimed:
                    _claim(run, mailing, letter, claimed)
            except _Taken:
                out.skipped.append(letter.user_id)
            else:
                _mark(run, [letter.key], "failed")
                out.failed.append(letter.user_id)
        except Exception:  # a lost connection must not stop the others
            mailing.log.exception("mail to user %s failed", letter.user_id)
            if not claimed:  # nothing handed over: for the retry
                out.unreached.append(letter.user_id)
                continue
            _unconfirmed(run, mailing, [letter.key])  # handed over, answer lost: it may have gone out
            out.unconfirmed.append(letter.user_id)
        else:
            _mark(run, [letter.key], "sent")
            out.sent.append(letter.user_id)
        done += 1
        run.report(done)
        if out.sent and out.sent[-1] == letter.user_id:
            pause()  # fault injection for the kill tests, after each mail sent (none in production)
    return out


def raise_unreached(delivery: Delivery) -> None:
    """``MailsNotSent`` when the server could not be reached for some users (huey tries the job again)."""
    if delivery.unreached:
        raise MailsNotSent(delivery.unreached)
