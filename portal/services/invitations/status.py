"""What an employer may know of an employee's access (BULK-3): whether an invitation went out (when) and
whether the employee has signed in — nothing more (not the address it went to, not when or how often they
sign in, not whether the account came from another employer's invitation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, literal
from sqlmodel import Session, col, select

from portal.domain.roles import Perm
from portal.models import AuthSession, Invitation, Participation, SentMail, UserAccount
from portal.services.principal import NoAccess, Principal, id_of, records_of_same_person, require_employer

NOT_SIGNED_IN = ("ticket_expired", "ticket_foreign")  # a session whose login never finished


@dataclass(frozen=True)
class InvitationStatus:
    sent_at: datetime | None  # when the latest invitation to this record went out; None: none went out
    signed_in: bool  # the employee has signed in at least once (any of their records' accounts, any way)


def invitation_status(db: Session, principal: Principal | None, participation_id: object) -> InvitationStatus:
    """The invitation status of the person of participation ``participation_id`` (untrusted): within the
    principal's employers only (else NoAccess, audited by the caller)."""
    part = db.get(Participation, id_of(participation_id))
    if part is None:
        raise NoAccess("not_found")
    require_employer(principal, part.employer_id, Perm.PARTICIPANTS_VIEW)
    sent = db.exec(
        select(Invitation.mailed_at)
        .join(SentMail, col(SentMail.user_id) == Invitation.user_id)
        .where(
            Invitation.person_id == part.person_id,
            col(Invitation.mailed_at).is_not(None),
            col(SentMail.once_key) == literal("invitation:", String) + cast(col(Invitation.id), String),
            col(SentMail.status).in_(("sent", "unconfirmed")),
        )
        .order_by(col(Invitation.id).desc())
    ).first()
    same = records_of_same_person(db, part.person_id)
    signed_in = db.exec(
        select(AuthSession.id)
        .join(UserAccount, col(UserAccount.id) == AuthSession.user_id)
        .where(col(UserAccount.person_id).in_(list(same)))
        .where(col(AuthSession.end_reason).not_in(NOT_SIGNED_IN))
        .limit(1)
    ).first()
    return InvitationStatus(sent_at=sent, signed_in=signed_in is not None)
