"""Sign-in with the national eID (AUTH-6): a verified ID token's claims become a session of an employee account.

The caller (the ``/auth/eid/callback`` route) has already checked state, nonce, PKCE, the token's signature,
issuer, audience and expiry (``portal.core.oidc``); here the national-id claim is matched to one human
(``domain.eid.match_person``) and that human's employee account is found, made or refused:

- an account with the employee role on one of the person's records is used (an ``invited`` one counts as
  activated by the eID: the eID is the strong factor; a ``disabled`` one is refused);
- with none, an employee account without username, password or TOTP is made on the record of the newest
  participation: it signs in by eID only;
- the provider's subject (issuer + ``sub``) is linked to the account at its first sign-in (``EidLink``); a
  subject already linked to another account is refused.

No password and no TOTP of ours is asked: the eID is the strong factor. Every refusal leaves nothing linked and
an audit entry ``login.eid_refused`` with its reason (never the national id itself), committed by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.domain import eid as rules
from portal.domain.identifiers import format_name
from portal.domain.roles import Role
from portal.models import EidLink, Participation, Person, RoleGrant, UserAccount
from portal.services.accounts._common import LANGUAGES, _audit, _moment
from portal.services.accounts.sessions import LoginTicket, create_session

SUBJECT_MISMATCH = "subject_mismatch"  # the eID subject is linked to another account
ACCOUNT_DISABLED = "account_disabled"
CLAIM_SUBJECT = "claim_subject"  # no usable ``sub``


@dataclass(frozen=True)
class EidOutcome:
    """A session's one-time ticket (as after password + TOTP), or the refusal ``reason`` (``domain.eid``'s
    reasons, or ``SUBJECT_MISMATCH``, ``ACCOUNT_DISABLED``, ``CLAIM_SUBJECT``)."""

    ticket: LoginTicket | None = None
    reason: str = ""


def refuse_eid(db: Session, reason: str, issuer: str = "", subject: str = "", ip: str = "", now=None) -> EidOutcome:
    """Record a refused eID sign-in (also for the flow's own checks: state, token, audience...)."""
    _audit(
        db,
        "login.eid_refused",
        _moment(now),
        ip=ip,
        object_type="eid",
        object_id=subject[:64],
        issuer=issuer[:255],
        reason=reason,
    )
    return EidOutcome(reason=reason)


def _records(db: Session, number: str) -> list[rules.PersonRecord]:
    counts = select(Participation.person_id, func.count().label("n")).group_by(col(Participation.person_id)).subquery()
    rows = db.exec(
        select(Person.id, Person.bsn, Person.birth_date, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.person_id == Person.id)
        .where(Person.bsn == number)
    ).all()
    return [rules.PersonRecord(pid, bsn, born, int(n)) for pid, bsn, born, n in rows if pid is not None]


def _employee_accounts(db: Session, person_ids: frozenset[int]) -> list[UserAccount]:
    """The person's accounts that are employee accounts only: the eID stands in for our password and TOTP for
    the employee front end, never for an account that also holds an employer's or an adviser's role (that one
    keeps signing in with password and TOTP; an eID sign-in gets an employee-only account of its own)."""
    other_roles = select(RoleGrant.user_id).where(RoleGrant.role != Role.EMPLOYEE)
    query = (
        select(UserAccount)
        .join(RoleGrant, col(RoleGrant.user_id) == UserAccount.id)
        .where(col(UserAccount.person_id).in_(sorted(person_ids)), RoleGrant.role == Role.EMPLOYEE)
        .where(col(UserAccount.id).not_in(other_roles))
        .order_by(col(UserAccount.id))
    )
    found: dict[int | None, UserAccount] = {}
    for user in db.exec(query).all():
        found.setdefault(user.id, user)
    return list(found.values())


def _new_account(db: Session, person_ids: frozenset[int], now: datetime) -> UserAccount:
    """An employee account on the record of the person's newest participation (eID only: no password)."""
    newest = db.exec(
        select(Person)
        .join(Participation, col(Participation.person_id) == Person.id)
        .where(col(Person.id).in_(sorted(person_ids)))
        .order_by(col(Participation.start_date).desc(), col(Person.id).desc())
    ).first()
    assert newest is not None and newest.id is not None  # match_person guarantees a participation
    user = UserAccount(
        email=(newest.business_email or newest.private_email or "").lower()[:254],
        display_name=" ".join(
            p for p in (newest.first_name or newest.initials, newest.name_prefix, newest.last_name) if p
        )
        or format_name(newest.last_name, newest.initials, newest.name_prefix),
        status="active",
        person_id=newest.id,
        language=newest.language if newest.language in LANGUAGES else "nl",
        created_at=now,
        activated_at=now,
    )
    db.add(user)
    db.flush()
    db.add(RoleGrant(user_id=user.id, role=str(Role.EMPLOYEE)))
    _audit(db, "account.created_by_eid", now, actor_user_id=user.id, object_type="user_account", object_id=user.id)
    return user


def sign_in_with_eid(
    db: Session,
    issuer: str,
    claims: dict,
    user_agent: str = "",
    ip: str = "",
    now: datetime | None = None,
) -> EidOutcome:
    """Verified ID token ``claims`` of ``issuer`` -> a session ticket of the person's employee account, or a
    refusal (audited; nothing linked or created)."""
    now = _moment(now)
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        return refuse_eid(db, CLAIM_SUBJECT, issuer, ip=ip, now=now)
    number = rules.national_id_of(claims.get("national_id"))
    records = _records(db, number) if number else []
    match = rules.match_person(claims.get("national_id"), records, claims.get("birthdate"))
    if match.reason:
        return refuse_eid(db, match.reason, issuer, subject, ip, now)
    link = db.exec(select(EidLink).where(EidLink.issuer == issuer, EidLink.subject == subject)).first()
    accounts = _employee_accounts(db, match.person_ids)
    if link is not None:
        linked = [a for a in accounts if a.id == link.user_id]
        if not linked:
            return refuse_eid(db, SUBJECT_MISMATCH, issuer, subject, ip, now)
        accounts = linked
    usable = [a for a in accounts if a.status != "disabled"]
    if accounts and not usable:
        return refuse_eid(db, ACCOUNT_DISABLED, issuer, subject, ip, now)
    user = next((a for a in usable if a.status == "active"), usable[0] if usable else None)
    if user is None:
        user = _new_account(db, match.person_ids, now)
    elif user.status == "invited":
        user.status, user.activated_at = "active", now
        _audit(
            db, "account.activated_by_eid", now, actor_user_id=user.id, object_type="user_account", object_id=user.id
        )
    assert user.id is not None
    if link is None:
        link = EidLink(issuer=issuer[:255], subject=subject, user_id=user.id, created_at=now, last_used_at=now)
        db.add(link)
        _audit(
            db, "eid.linked", now, actor_user_id=user.id, object_type="user_account", object_id=user.id, issuer=issuer
        )
    link.last_used_at = now
    db.flush()
    return EidOutcome(ticket=create_session(db, user.id, user_agent, ip, now))
