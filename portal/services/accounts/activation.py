"""Invitation of a new account and its activation by an e-mailed code (AUTH-1)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from portal.core.config import get_settings
from portal.domain import auth as rules
from portal.domain.roles import EMPLOYER_ROLES, Perm, Role
from portal.models import (
    RoleGrant,
    UserAccount,
    VerificationCode,
)
from portal.services.accounts._common import (
    LANGUAGES,
    SCOPE_KEYS,
    _audit,
    _invited_by_email,
    _login_url,
    _moment,
    _valid_email,
    hash_password,
)
from portal.services.accounts.codes import _check_code, _mail_code
from portal.services.accounts.mail_texts import send_account_mail
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, require
from portal.services.rate_limits import limit_mail


def _grants(roles: list[tuple[str, dict]], person_id: int | None, actor: Principal | None) -> list[dict]:
    """Validate requested role grants; an acting user manager may only grant employer roles in scope."""
    if actor is not None:
        require(actor, Perm.USERS_MANAGE)
    out: list[dict] = []
    for role, scope in roles or []:
        scope = dict(scope or {})
        if role not in tuple(Role) or set(scope) - set(SCOPE_KEYS):
            raise FieldError("roles", "roles_invalid")
        try:
            grant = {"role": str(role)} | {k: (int(scope[k]) if scope.get(k) is not None else None) for k in SCOPE_KEYS}
        except (TypeError, ValueError):
            raise FieldError("roles", "roles_invalid") from None
        employer_scoped = grant["employer_id"] is not None or grant["group_id"] is not None
        if (
            (role in EMPLOYER_ROLES and not employer_scoped)
            or (role == Role.ADVISER and grant["office_id"] is None)
            or (role == Role.EMPLOYEE and person_id is None)
        ):
            raise FieldError("roles", "roles_invalid")
        if actor is not None and (
            role not in EMPLOYER_ROLES
            or grant["group_id"] is not None
            or grant["employer_id"] not in actor.employer_ids
        ):
            raise NoAccess("out_of_scope")
        if grant not in out:
            out.append(grant)
    if not out:
        raise FieldError("roles", "roles_invalid")
    return out


def invite_user(
    db: Session,
    email: str,
    display_name: str,
    roles: list[tuple[str, dict]],
    language: str = "nl",
    person_id: int | None = None,
    actor: Principal | None = None,
    now: datetime | None = None,
    mail: bool = True,
    ip: str = "",
) -> UserAccount:
    """Create an ``invited`` account with its role grants (audited ``account.invited``) and, unless ``mail`` is
    False (the employee invitations mail their own link from a job), mail the invitation to activate it.

    ``actor`` None means a trusted caller (CLI, seeder, the employee invitations); otherwise the actor needs
    User management and may only grant employer roles for employers in its own scope (else NoAccess).
    FieldError for an invalid or taken address, or when the actor's mail rate is spent (``rate_limits``)."""
    now = _moment(now)
    email = _valid_email(email)
    name = (display_name or "").strip()
    if not name:
        raise FieldError("display_name", "display_name_required")
    if language not in LANGUAGES:
        raise FieldError("language", "language_invalid")
    grants = _grants(roles, person_id, actor)
    if email_taken(db, email):
        raise FieldError("email", "email_taken")
    if mail and actor is not None:
        limit_mail(db, "invitation", field="email", ip=ip, account=f"email:{email}", sender=actor, now=now)
    user = UserAccount(email=email, display_name=name, language=language, person_id=person_id, created_at=now)
    db.add(user)
    db.flush()
    for grant in grants:
        db.add(RoleGrant(user_id=user.id, **grant))
    employer_id = next((g["employer_id"] for g in grants if g["employer_id"] is not None), None)
    _audit(
        db,
        "account.invited",
        now,
        actor=actor,
        object_type="user_account",
        object_id=user.id,
        employer_id=employer_id,
        roles=[g["role"] for g in grants],
    )
    db.flush()
    if mail:
        send_account_mail(email, "invitation", language, name=name, url=f"{get_settings().base_url}/activate")
    return user


def email_taken(db: Session, email: str, but: int | None = None) -> bool:
    """Whether an invited or active account (other than ``but``) has this (normalised) address."""
    taken = select(UserAccount.id).where(UserAccount.email == email, col(UserAccount.status).in_(["invited", "active"]))
    if but is not None:
        taken = taken.where(UserAccount.id != but)
    return db.exec(taken).first() is not None


def start_activation(db: Session, email: str, now: datetime | None = None, ip: str = "") -> None:
    """Mail a 6-digit activation code if an invited account has this address; otherwise do nothing. Rate-limited
    per address asked for (known or not) and per client (``rate_limits``: a clear refusal that reveals nothing)."""
    now = _moment(now)
    email = _valid_email(email)
    limit_mail(db, "activation_code", field="email", ip=ip, account=f"email:{email}", now=now)
    user = _invited_by_email(db, email)
    if user is None:
        return
    _mail_code(db, user, "activation", "activation_code", now)


def verify_activation_code(db: Session, email: str, code: str, now: datetime | None = None) -> int:
    """Check the mailed code (single use, expires, 5 attempts); return the id of the account to activate."""
    now = _moment(now)
    user = _invited_by_email(db, rules.normalise_email(email))
    row = _check_code(db, user, "activation", code, now)
    row.used_at = now
    db.flush()
    return row.user_id


def complete_activation(
    db: Session, user_id: int, username: str, password: str, now: datetime | None = None
) -> UserAccount:
    """Set username and password of an invited account whose code was verified recently; make it active."""
    now = _moment(now)
    user = db.get(UserAccount, user_id)
    verified = None
    if user is not None and user.status == "invited":
        window = now - timedelta(minutes=get_settings().code_minutes)
        verified = db.exec(
            select(VerificationCode).where(
                VerificationCode.user_id == user.id,
                VerificationCode.purpose == "activation",
                col(VerificationCode.used_at).is_not(None),
                col(VerificationCode.used_at) > window,
            )
        ).first()
    if user is None or verified is None:
        raise FieldError("username", "activation_invalid")
    return activate_invited(db, user, username, password, now)


def activate_invited(db: Session, user: UserAccount, username: str, password: str, now: datetime) -> UserAccount:
    """Give an invited account whose holder has proven their address (a code, or an invitation link) its
    username and password; it becomes active and gets the confirmation mail."""
    name = rules.normalise_username(username)
    if not rules.username_valid(name):
        raise FieldError("username", "username_invalid")
    if db.exec(select(UserAccount).where(UserAccount.username == name)).first() is not None:
        raise FieldError("username", "username_taken")
    if not rules.password_acceptable(password, avoid=[name, user.email.split("@")[0]]):
        raise FieldError("password", "password_weak")
    user.username = name
    user.password_hash = hash_password(password)
    user.status = "active"
    user.activated_at = user.password_changed_at = now
    _audit(db, "account.activated", now, actor_user_id=user.id, object_type="user_account", object_id=user.id)
    db.flush()
    send_account_mail(user.email, "activated", user.language, name=user.display_name, url=_login_url())
    return user
