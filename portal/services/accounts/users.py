"""Portal accounts of a company (EMP-9, AUTH-4): list, invite with combinable roles, change roles, disable.

Only users with ``Perm.USERS_MANAGE`` (the User management role) get here, and only for the employer(s) in
their scope. A user manager cannot change or disable their own account (no locking oneself out), and cannot
disable an account that also works for a company outside their scope. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from portal.core import clock
from portal.domain.roles import ROLE_ORDER, Perm
from portal.models import AuthSession, RoleGrant, UserAccount
from portal.services import accounts, audit
from portal.services.organisation.company import employer_in_scope
from portal.services.principal import NoAccess, Principal, id_of, require
from portal.services.validation import Checker


@dataclass(frozen=True)
class AccountRow:
    """One account of the company with its roles there."""

    id: int
    username: str  # '' while the account is invited (not yet activated)
    display_name: str
    email: str
    roles: tuple[str, ...]  # in ROLE_ORDER
    status: str  # invited | active | disabled
    is_self: bool
    created_at: datetime | None


def _roles(check: Checker, raw: object) -> list[str]:
    """Allow-listed employer roles in a fixed order; at least one."""
    values = raw if isinstance(raw, list | tuple | set | frozenset) else []
    chosen = {str(r) for r in values if isinstance(r, str)}
    if chosen - set(ROLE_ORDER):
        check.fail("roles", "roles_invalid")
        return []
    if not chosen:
        check.fail("roles", "users.roles_required")
        return []
    return [r for r in ROLE_ORDER if r in chosen]


def _grants(db: Session, user_id: int) -> list[RoleGrant]:
    return list(db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)).all())


def list_accounts(db: Session, principal: Principal | None, employer_id: object = None) -> list[AccountRow]:
    """Accounts holding an employer role for the company, by name. The listing is audited (personal data)."""
    p = require(principal, Perm.USERS_MANAGE)
    eid = employer_in_scope(p, employer_id, Perm.USERS_MANAGE)
    rows = db.exec(
        select(UserAccount, RoleGrant.role)
        .join(RoleGrant, col(RoleGrant.user_id) == UserAccount.id)
        .where(RoleGrant.employer_id == eid, col(RoleGrant.role).in_(ROLE_ORDER))
    ).all()
    users: dict[int, UserAccount] = {}
    roles: dict[int, set[str]] = {}
    for user, role in rows:
        uid = user.id or 0
        users[uid] = user
        roles.setdefault(uid, set()).add(role)
    out = [
        AccountRow(
            id=uid,
            username=u.username or "",
            display_name=u.display_name,
            email=u.email,
            roles=tuple(r for r in ROLE_ORDER if r in roles[uid]),
            status=u.status,
            is_self=uid == p.user_id,
            created_at=u.created_at,
        )
        for uid, u in users.items()
    ]
    out.sort(key=lambda r: ((r.display_name or r.email).casefold(), r.id))
    audit.record(db, "accounts.viewed", actor=p, object_type="employer", object_id=eid, employer_id=eid)
    return out


def create_account(
    db: Session,
    principal: Principal | None,
    display_name: object,
    email: object,
    roles: object,
    employer_id: object = None,
    ip: str = "",
) -> int:
    """Invite a new account for the company with the chosen roles; the invitee gets the activation mail.

    Returns the new account's id. Bad input raises ``FieldErrors`` (every bad field) and creates nothing.
    """
    p = require(principal, Perm.USERS_MANAGE)
    eid = employer_in_scope(p, employer_id, Perm.USERS_MANAGE)
    check = Checker()
    name = check.text("display_name", display_name, limit=100)
    address = check.email("email", email)
    chosen = _roles(check, roles)
    check.done()
    user = accounts.invite_user(
        db,
        address,
        name,
        roles=[(role, {"employer_id": eid}) for role in chosen],
        language=p.language if p.language in accounts.LANGUAGES else "nl",
        actor=p,
        ip=ip,
    )
    return user.id or 0


def _target(db: Session, p: Principal, eid: int, user_id: object) -> tuple[UserAccount, list[RoleGrant]]:
    """An account of the company (untrusted id), not the actor's own; else NoAccess / FieldError."""
    uid = id_of(user_id)
    grants = _grants(db, uid)
    if not any(g.employer_id == eid and g.role in ROLE_ORDER for g in grants):
        raise NoAccess("out_of_scope")
    user = db.get(UserAccount, uid)
    if user is None:  # pragma: no cover - a grant always has its account
        raise NoAccess("not_found")
    if uid == p.user_id:
        check = Checker()
        check.fail("account", "users.not_yourself")
        check.done()
    return user, grants


def change_roles(
    db: Session, principal: Principal | None, user_id: object, roles: object, employer_id: object = None
) -> bool:
    """Set the employer roles of an account for this company (at least one). Returns whether anything changed."""
    p = require(principal, Perm.USERS_MANAGE)
    eid = employer_in_scope(p, employer_id, Perm.USERS_MANAGE)
    user, grants = _target(db, p, eid, user_id)
    check = Checker()
    chosen = _roles(check, roles)
    check.done()
    here = [g for g in grants if g.employer_id == eid and g.role in ROLE_ORDER]
    old = [r for r in ROLE_ORDER if any(g.role == r for g in here)]
    if old == chosen:
        return False
    for grant in here:
        if grant.role not in chosen:
            db.delete(grant)
    for role in chosen:
        if role not in old:
            db.add(RoleGrant(user_id=user.id, role=role, employer_id=eid))
    audit.record(
        db,
        "account.roles_changed",
        actor=p,
        object_type="user_account",
        object_id=user.id,
        employer_id=eid,
        old=old,
        new=chosen,
    )
    db.flush()
    return True


def set_disabled(
    db: Session, principal: Principal | None, user_id: object, disabled: bool, employer_id: object = None
) -> bool:
    """Disable an account (its sessions end at once, an invitation can no longer be used) or enable it again.

    Returns whether the status changed. An account that also works for a company outside the actor's scope
    cannot be disabled from here (FieldError); its roles here can be removed instead.
    """
    p = require(principal, Perm.USERS_MANAGE)
    eid = employer_in_scope(p, employer_id, Perm.USERS_MANAGE)
    user, grants = _target(db, p, eid, user_id)
    if disabled is not True and disabled is not False:
        raise NoAccess("bad_request")
    if disabled:
        if user.status == "disabled":
            return False
        if any(g.role not in ROLE_ORDER or g.employer_id not in p.employer_ids for g in grants):
            check = Checker()
            check.fail("account", "users.shared_account")
            check.done()
        now = clock.now()
        old_status, user.status = user.status, "disabled"
        db.exec(
            update(AuthSession)
            .where(col(AuthSession.user_id) == user.id, col(AuthSession.ended_at).is_(None))
            .values(ended_at=now, end_reason="disabled", ticket_hash=None, ticket_expires_at=None)
        )
        action = "account.disabled"
    else:
        if user.status != "disabled":
            return False
        old_status = user.status
        user.status = "active" if user.username and user.password_hash else "invited"
        action = "account.enabled"
    audit.record(
        db,
        action,
        actor=p,
        object_type="user_account",
        object_id=user.id,
        employer_id=eid,
        old={"status": old_status},
        new={"status": user.status},
    )
    db.flush()
    return True
