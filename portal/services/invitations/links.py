"""The invitation link (BULK-3): opening it, and activating the account through it.

A link is single use (``used_at`` set in the transaction that activates the account, by a conditional
update), expires (``PORTAL_INVITATION_DAYS`` after the mail went out), stops working when a newer address
replaced it or the account was activated another way. A link that does not work — unknown, used, expired,
withdrawn — gets one and the same answer (``FieldError("invitation", "invitation_invalid")``), so nothing
tells whether it ever existed or whose it was; the reason is only in the audit trail (committed by the
refusal is committed before the answer). Opening a link changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import invitations as rules
from portal.models import Invitation, UserAccount
from portal.services import accounts
from portal.services.errors import FieldError
from portal.services.invitations.inviting import record_at, token_hash


def _invalid() -> FieldError:
    """The one answer to a link that does not work, whatever the reason."""
    return FieldError("invitation", "invitation_invalid")


MAX_TOKEN = 200


@dataclass(frozen=True)
class LinkAccount:
    """What the activation page may show of a working link: the greeting only."""

    display_name: str


def _why_not(invitation: Invitation | None, user: UserAccount | None, now: datetime) -> str:
    if invitation is None or user is None:
        return "unknown"
    if invitation.used_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if user.status != "invited":
        return "account_" + user.status
    return "expired"


def _usable(db: Session, token: object, now: datetime) -> tuple[Invitation, UserAccount]:
    """The invitation and account of a working link; else audit the refusal and raise the one neutral answer."""
    text = token if isinstance(token, str) else ""
    invitation = user = None
    if 0 < len(text) <= MAX_TOKEN:
        invitation = db.exec(select(Invitation).where(Invitation.token_hash == token_hash(text))).first()
        user = db.get(UserAccount, invitation.user_id) if invitation is not None else None
    if (
        invitation is None
        or user is None
        or not rules.link_usable(invitation.expires_at, invitation.used_at, invitation.withdrawn_at, user.status, now)
    ):
        record_at(
            db,
            now,
            "invitation.refused",
            object_type="invitation",
            object_id=invitation.id if invitation else "",
            employer_id=invitation.employer_id if invitation else None,
            reason=_why_not(invitation, user, now),
        )
        db.commit()  # the refusal stays on record whatever the caller does next (it rolls back on errors)
        raise _invalid()
    return invitation, user


def open_link(db: Session, token: object, now: datetime | None = None) -> LinkAccount:
    """Check a link (``token`` from the address: untrusted); changes nothing but the audit of a refusal."""
    _invitation, user = _usable(db, token, now or clock.now())
    return LinkAccount(user.display_name)


def activate_by_link(
    db: Session, token: object, username: str, password: str, now: datetime | None = None
) -> UserAccount:
    """Activate the invited account of a working link with the chosen username and password (the e-mail +
    code step is not needed: the link came to that address); the link is used up."""
    now = now or clock.now()
    invitation, user = _usable(db, token, now)
    spent = db.connection().execute(
        update(Invitation)
        .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # used at the same moment by another request: this one activates nothing
        raise _invalid()
    activated = accounts.activate_invited(db, user, username, password, now)  # a refused choice rolls back
    record_at(
        db,
        now,
        "invitation.used",
        actor_user_id=user.id,
        object_type="invitation",
        object_id=invitation.id,
        employer_id=invitation.employer_id,
    )
    return activated
