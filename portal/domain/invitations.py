"""Invitations of employees to their front end (BULK-3): who is invited, and when a link still works.

No I/O and no clock: every time-dependent rule takes ``now`` as an argument.

Who: a person record with a business e-mail address and at least one participation (also a passive or ended
one: a former participant keeps access to their own data). The natural person behind the record (every
employer's record with the same national id and birth date, see ``principal.records_of_same_person``) gets
at most one employee account: when any of those records has an employee account already (invited or active,
at this or another employer), no second account is made and no invitation goes out — that account reaches
this record too. A person whose account is still ``invited`` and whose business address changes gets a new
invitation to the new address (the open one is withdrawn: its link stops working); an activated account is
never invited again.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

Decision = Literal["invite", "readdress", "none"]
TOKEN_BYTES = 32  # 256 bits of randomness: the link cannot be guessed


@dataclass(frozen=True)
class Candidate:
    """What the decision needs to know about one person record."""

    business_email: str
    has_participation: bool
    own_account: str | None  # status of this record's employee account (invited, active, disabled), or None
    other_account: bool  # an employee account exists for another record of the same natural person
    open_invitation_email: str | None  # address of this record's open (not withdrawn, not used) invitation


def decide(c: Candidate) -> Decision:
    """``invite``: make an invited employee account and invite it; ``readdress``: the invited account's
    address changed, so withdraw the open invitation and invite the new address; ``none``: nothing to do."""
    email = c.business_email.strip().lower()
    if not email or not c.has_participation:
        return "none"
    if c.own_account is None:
        return "none" if c.other_account else "invite"
    if c.own_account != "invited":
        return "none"
    if c.open_invitation_email is not None and c.open_invitation_email == email:
        return "none"
    return "readdress"


def new_token() -> str:
    """A fresh random link token (URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def expires_at(sent: datetime, days: int) -> datetime:
    """When a link mailed at ``sent`` stops working."""
    return sent + timedelta(days=days)


def link_usable(
    expires: datetime | None, used: datetime | None, withdrawn: datetime | None, account_status: str, now: datetime
) -> bool:
    """A link works once, until it expires, unless it was withdrawn (a newer address) or the account is no
    longer waiting for activation (activated another way, or disabled)."""
    return expires is not None and used is None and withdrawn is None and account_status == "invited" and now < expires
