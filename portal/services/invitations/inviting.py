"""Who gets an invitation, and the job that mails them (BULK-3).

``invite_persons`` runs in the transaction that stores business addresses or new participants (the BULK-3
upload's apply, the BULK-2 file, the hire wizard): for every person record concerned it applies the rule of
``domain.invitations.decide`` — an invited employee account (role employee, linked to the record) and an
``Invitation`` row, or for an account still waiting whose address changed, its address moved and the open
invitation withdrawn for a new one — and queues one ``send_invitations`` job run for them, which the queue
gets only once that transaction commits (nothing is mailed from inside the upload, and nothing at all when it
rolls back).

The job mails each invitation once: through ``background.deliver`` under the once-key ``invitation:<id>``
(unique per account), so a job run twice, retried or doubled sends nothing twice. The link's token is made
when the mail is written and its hash is stored in the very transaction that records the mail as ``sending``
right before the message leaves: the mail that goes out is the one whose link works, and a mail that another
attempt took writes no hash. One invitation per person and address: the same address uploaded again changes
nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import auth as auth_rules
from portal.domain import invitations as rules
from portal.domain.roles import Role
from portal.models import Invitation, Participation, Person, UserAccount
from portal.services import accounts, audit, background
from portal.services.accounts.mail_texts import render
from portal.services.errors import FieldError

KIND = "send_invitations"
log = logging.getLogger("portal.invitations")


def token_hash(token: str) -> str:
    """What is stored of a link's token (HMAC under the server secret)."""
    return auth_rules.hash_secret(get_settings().secret, f"invitation:{token}")


def person_name(person: Person) -> str:
    """The name an invitation greets: first name (or initials), prefix, last name."""
    return " ".join(x for x in (person.first_name or person.initials, person.name_prefix, person.last_name) if x)


CHUNK = 2000  # ids per IN list (well under SQLite's limit of bound parameters)
Human = tuple[str, date]  # the natural person behind employers' records: national id and birth date


def _chunks(values: list[Any]) -> Iterator[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


@dataclass
class _Known:
    """What the decisions of one call need, read set-based (an upload may concern thousands of persons)."""

    persons: dict[int, Person] = field(default_factory=dict)
    with_participation: set[int] = field(default_factory=set)
    open: dict[int, Invitation] = field(default_factory=dict)  # person id → its open invitation
    accounts: dict[Human, list[UserAccount]] = field(default_factory=dict)  # employee accounts per human

    def candidate(self, person: Person) -> tuple[rules.Candidate, UserAccount | None, Invitation | None]:
        pid = person.id or 0
        of_human = self.accounts.get((person.bsn, person.birth_date), [])
        own = next((a for a in of_human if a.person_id == pid), None)
        open_inv = self.open.get(pid) if own is not None else None
        candidate = rules.Candidate(
            business_email=person.business_email,
            has_participation=pid in self.with_participation,
            own_account=own.status if own is not None else None,
            other_account=any(a.person_id != pid and a.status in ("invited", "active") for a in of_human),
            open_invitation_email=open_inv.email if open_inv is not None else None,
        )
        return candidate, own, open_inv


def _load(db: Session, ids: list[int]) -> _Known:
    """The persons (fresh: the caller may have changed them with a plain UPDATE), which have a participation,
    their open invitations, and the employee accounts of every record of the same humans (same national id
    and birth date: the rule of ``principal.records_of_same_person``)."""
    known = _Known()
    for chunk in _chunks(ids):
        fresh = select(Person).where(col(Person.id).in_(chunk)).execution_options(populate_existing=True)
        known.persons.update({p.id or 0: p for p in db.exec(fresh).all()})
        parts = select(Participation.person_id).where(col(Participation.person_id).in_(chunk)).distinct()
        known.with_participation.update(db.exec(parts).all())
        open_ones = (
            select(Invitation)
            .where(col(Invitation.person_id).in_(chunk))
            .where(col(Invitation.used_at).is_(None), col(Invitation.withdrawn_at).is_(None))
            .order_by(col(Invitation.id))
        )
        known.open.update({i.person_id: i for i in db.exec(open_ones).all()})  # the latest one wins
    for chunk in _chunks(sorted({p.bsn for p in known.persons.values()})):
        rows = db.exec(
            select(UserAccount, Person.bsn, Person.birth_date)
            .join(Person, col(Person.id) == UserAccount.person_id)
            .where(col(Person.bsn).in_(chunk))
        ).all()
        for user, bsn, birth in rows:
            known.accounts.setdefault((bsn, birth), []).append(user)
    return known


def record_at(db: Session, now: datetime, action: str, **kw: Any) -> None:
    """An audit event stamped ``now`` (tests that move the clock see consistent times)."""
    audit.record(db, action, **kw).at = now


def invite_persons(db: Session, person_ids: Iterable[int], now: datetime | None = None) -> list[int]:
    """Invite whoever of ``person_ids`` should be (see the module docstring), in ``db``'s transaction; the
    mails go out by a job queued for after the commit. Returns the ids of the new invitations."""
    now = now or clock.now()
    made: list[Invitation] = []
    known = _load(db, sorted(set(person_ids)))
    for pid, person in sorted(known.persons.items()):
        candidate, own, open_inv = known.candidate(person)
        decision = rules.decide(candidate)
        if decision == "none":
            continue
        email = auth_rules.normalise_email(person.business_email)
        try:
            if decision == "invite":
                own = accounts.invite_user(
                    db,
                    email,
                    person_name(person) or email,
                    [(Role.EMPLOYEE, {})],
                    person.language if person.language in accounts.LANGUAGES else "nl",
                    person_id=pid,
                    now=now,
                    mail=False,
                )
                known.accounts.setdefault((person.bsn, person.birth_date), []).append(own)
            else:
                assert own is not None
                if not auth_rules.email_valid(email):
                    raise FieldError("email", "email_invalid")
                if accounts.email_taken(db, email, but=own.id):
                    raise FieldError("email", "email_taken")
                own.email = email
                db.add(own)
                if open_inv is not None:
                    open_inv.withdrawn_at = now
                    db.add(open_inv)
        except FieldError as err:  # an address another account has, or not a valid one: no invitation
            record_at(
                db,
                now,
                "invitation.skipped",
                object_type="person",
                object_id=pid,
                employer_id=person.employer_id,
                reason=err.key,
            )
            continue
        assert own is not None and own.id is not None
        invitation = Invitation(
            person_id=pid, user_id=own.id, employer_id=person.employer_id, email=email, created_at=now
        )
        db.add(invitation)
        db.flush()
        made.append(invitation)
        record_at(
            db,
            now,
            "invitation.created",
            object_type="invitation",
            object_id=invitation.id,
            employer_id=person.employer_id,
            person_id=pid,
            readdressed=decision == "readdress",
        )
    if made:
        background.queue(
            db,
            KIND,
            subject=f"invitations:{made[0].id}",
            employer_id=made[0].employer_id,
            total=len(made),
            invitation_ids=[i.id for i in made],
        )
    return [i.id or 0 for i in made]


class _Link:
    """One invitation's mail: the token is made when the mail is written, its hash stored when it is claimed."""

    def __init__(self, invitation: Invitation, name: str, language: str) -> None:
        self.invitation_id = invitation.id or 0
        self.name, self.language = name, language
        self.token = ""

    def write(self) -> tuple[str, str]:
        self.token = rules.new_token()
        settings = get_settings()
        url = f"{settings.base_url.rstrip('/')}/activate?invitation={self.token}"
        return render("employee_invitation", self.language, name=self.name, url=url, days=settings.invitation_days)

    def claimed(self, db: Session) -> None:
        now = clock.now()
        db.connection().execute(
            update(Invitation)
            .where(col(Invitation.id) == self.invitation_id)
            .values(
                token_hash=token_hash(self.token),
                mailed_at=now,
                expires_at=rules.expires_at(now, get_settings().invitation_days),
            )
        )


def invitation_job(run: background.Run) -> int:
    """The ``send_invitations`` job run: mail each open invitation of the run once; returns how many this
    attempt sent. Invitations withdrawn or answered since are left out."""
    ids = [int(i) for i in run.args.get("invitation_ids", [])]
    with session_scope() as db:
        rows = db.exec(
            select(Invitation, UserAccount)
            .join(UserAccount, col(UserAccount.id) == Invitation.user_id)
            .where(col(Invitation.id).in_(ids))
            .where(col(Invitation.used_at).is_(None), col(Invitation.withdrawn_at).is_(None))
            .where(UserAccount.status == "invited")
            .order_by(col(Invitation.id))
        ).all()
    total = background.Delivery()
    run.report(0, len(rows))
    for invitation, user in rows:
        link = _Link(invitation, user.display_name, user.language)
        letter = background.Letter(
            user.id or 0, invitation.email, (invitation.id or 0,), link.write, claimed=link.claimed
        )
        mailing = background.Mailing(
            f"invitation.{invitation.id}", "invitation.mail_unconfirmed", log, f"invitation:{invitation.id}"
        )
        one = background.deliver(run, [letter], mailing)
        for name in ("sent", "failed", "unconfirmed", "unreached", "skipped"):
            getattr(total, name).extend(getattr(one, name))
    run.report(len(rows) - len(total.unreached), len(rows))
    with session_scope() as db:
        audit.record(
            db,
            "invitation.mails_sent",
            object_type="job_run",
            object_id=run.id,
            employer_id=run.employer_id,
            recipients=total.sent,
            failed=total.failed,
        )
    background.raise_unreached(total)
    return len(total.sent)
