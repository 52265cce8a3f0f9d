"""Account use cases (AUTH-1..3, AUTH-7): invitation, activation, login with 2FA, sessions, resets, preferences.

Every function takes the caller's ``db`` session; the caller commits. Exception: failure paths that must leave
a trace whatever the caller does next (attempt counters, lock-out, audit of failed logins) commit *before*
raising their ``FieldError``, because callers roll back on exceptions. ``now`` defaults to the current time
and exists so tests can move the clock; a naive ``now`` is read as UTC (stored values are aware UTC).

Nothing here reveals whether a username or e-mail address exists: unknown and known accounts get the same
outcome, the same message and the same lock-out.
"""

from __future__ import annotations

import base64
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, NoReturn

import pyotp
import segno
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, func, select, update

from portal.config import get_settings
from portal.domain import auth as rules
from portal.domain.roles import EMPLOYER_ROLES, FrontEnd, Perm, Role, front_end_for, home_path
from portal.models import (
    AuthSession,
    Employer,
    LoginThrottle,
    RecoveryCode,
    RoleGrant,
    UserAccount,
    VerificationCode,
)
from portal.models.base import utcnow
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.mail_texts import send_account_mail
from portal.services.principal import NoAccess, Principal, require

TOTP_ISSUER = "Benefits portal"
TICKET_SECONDS = 60
BROWSER_COOKIE = "portal_login_browser"  # the per-login browser key that binds a ticket to its browser
BROWSER_COOKIE_PATH = "/auth/complete"  # ... sent to the route that redeems the ticket only
LAST_SEEN_EVERY = timedelta(seconds=30)
CODES_PER_HOUR = 5  # at most this many e-mail codes per account and purpose per hour (no mail bombing)
LANGUAGES = ("nl", "en")
THEMES = ("light", "dark")
SCOPE_KEYS = ("employer_id", "group_id", "office_id")

_hasher = PasswordHasher()


@dataclass(frozen=True)
class LoginStep:
    """Outcome of a correct password: who, and whether the second factor still has to be set up."""

    user_id: int
    needs_totp_setup: bool


# ---------------------------------------------------------------- helpers


def _clock(now: datetime | None) -> datetime:
    """``now`` as an aware UTC datetime (naive input is taken to be UTC); the current time when None."""
    if now is None:
        return utcnow()
    return now.replace(tzinfo=UTC) if now.tzinfo is None else now.astimezone(UTC)


def _hash(value: str) -> str:
    return rules.hash_secret(get_settings().secret, value)


def _audit(db: Session, action: str, now: datetime, actor_name: str = "", **kw: Any) -> None:
    """An audit event stamped with ``now`` (so tests that move the clock see consistent times)."""
    event = audit.record(db, action, **kw)
    event.at = now
    if actor_name:
        event.actor_name = actor_name


def hash_password(pw: str) -> str:
    """Argon2id hash of ``pw`` (also used by the demo seeder)."""
    return _hasher.hash(pw)


def _verify_password(stored: str, pw: str) -> bool:
    try:
        return _hasher.verify(stored, pw)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_hex(16))


def _user_by_username(db: Session, username: str) -> UserAccount | None:
    name = rules.normalise_username(username)
    if not rules.username_valid(name):
        return None
    return db.exec(select(UserAccount).where(UserAccount.username == name)).first()


def _invited_by_email(db: Session, email: str) -> UserAccount | None:
    query = select(UserAccount).where(UserAccount.email == email, UserAccount.status == "invited")
    return db.exec(query).first()


def _valid_email(raw: str) -> str:
    email = rules.normalise_email(raw)
    if not rules.email_valid(email):
        raise FieldError("email", "email_invalid")
    return email


def _login_url() -> str:
    return f"{get_settings().base_url}/login"


# ---------------------------------------------------------------- throttling (AUTH-7)


def _throttle_key(username: str) -> str:
    return rules.normalise_username(username)[:64]


def _policy() -> rules.LockoutPolicy:
    s = get_settings()
    return rules.LockoutPolicy(s.lockout_attempts, s.lockout_all_attempts, s.lockout_minutes)


def _throttle_rows(db: Session, key: str, ip: str) -> tuple[str, LoginThrottle | None, LoginThrottle | None]:
    """The client part of the lock-out key for ``ip``, and the rows of ``key`` for that client and for all."""
    client = rules.throttle_client(ip)
    return client, db.get(LoginThrottle, (key, client)), db.get(LoginThrottle, (key, rules.ALL_CLIENTS))


def _refuse_if_locked(db: Session, key: str, field: str, now: datetime, ip: str) -> None:
    """Raise ``login_locked`` while the username is locked for this client or for all clients (the refused
    attempt is audited)."""
    client, mine, every = _throttle_rows(db, key, ip)
    lock = rules.lock_in_force(mine.locked_until if mine else None, every.locked_until if every else None, now)
    if lock is not None:
        scope, until = lock
        _audit(
            db,
            "login.failed",
            now,
            ip=ip,
            object_type="username",
            object_id=key,
            reason="locked",
            scope=scope,
            client=client,
        )
        db.commit()
        raise FieldError(field, "login_locked", {"minutes": rules.minutes_left(until, now)})


def _fail(
    db: Session, key: str, field: str, msg: str, now: datetime, ip: str, action: str, user_id: int | None
) -> NoReturn:
    """Count a failed attempt for ``key`` from this client and over all clients, audit it (and a lock-out:
    which key, which client, how far), commit, and raise the right FieldError."""
    client, mine, every = _throttle_rows(db, key, ip)
    if mine is None:
        mine = LoginThrottle(username=key, client=client)
        db.add(mine)
    if every is None:
        every = LoginThrottle(username=key, client=rules.ALL_CLIENTS)
        db.add(every)
    counted = rules.count_failure(
        rules.Counter(mine.failed_count, mine.locked_until),
        rules.Counter(every.failed_count, every.locked_until),
        now,
        _policy(),
    )
    for row, counter in zip((mine, every), counted, strict=True):
        row.failed_count, row.locked_until, row.last_failed_at = counter.failed, counter.locked_until, now
    _audit(db, action, now, actor_user_id=user_id, ip=ip, object_type="username", object_id=key, client=client)
    for scope, counter in zip(("client", "all"), counted, strict=True):
        if counter.locked_until is not None:
            _audit(
                db,
                "login.locked",
                now,
                actor_user_id=user_id,
                ip=ip,
                object_type="username",
                object_id=key,
                scope=scope,
                client=client if scope == "client" else rules.ALL_CLIENTS,
                failures=counter.failed,
                until=counter.locked_until,
            )
    db.commit()
    lock = rules.lock_in_force(counted[0].locked_until, counted[1].locked_until, now)
    if lock is not None:
        raise FieldError(field, "login_locked", {"minutes": rules.minutes_left(lock[1], now)})
    raise FieldError(field, msg)


def _reset_throttle(db: Session, key: str, ip: str | None) -> None:
    """After a completed login: clear the username's count for this client and over all clients (other
    clients' locks stay). ``ip`` None (a password reset by mailed code): clear every count of the username."""
    query = select(LoginThrottle).where(LoginThrottle.username == key)
    if ip is not None:
        query = query.where(col(LoginThrottle.client).in_([rules.throttle_client(ip), rules.ALL_CLIENTS]))
    for row in db.exec(query).all():
        db.delete(row)


# ---------------------------------------------------------------- e-mail codes


def _mail_allowed(db: Session, user: UserAccount, purpose: str, now: datetime) -> bool:
    """Whether another mail of ``purpose`` may go to ``user``: at most CODES_PER_HOUR per account and
    purpose in any hour (no mail bombing). Every mail sent leaves a ``VerificationCode`` row that counts."""
    recent = db.exec(
        select(func.count())
        .select_from(VerificationCode)
        .where(
            VerificationCode.user_id == user.id,
            VerificationCode.purpose == purpose,
            VerificationCode.created_at > now - timedelta(hours=1),
        )
    ).one()
    return recent < CODES_PER_HOUR


def _issue_code(db: Session, user: UserAccount, purpose: str, now: datetime) -> str | None:
    """Expire older codes of ``purpose`` and create a new one; None when the hourly limit is reached."""
    if not _mail_allowed(db, user, purpose, now):
        return None
    db.exec(
        update(VerificationCode)
        .where(
            col(VerificationCode.user_id) == user.id,
            col(VerificationCode.purpose) == purpose,
            col(VerificationCode.used_at).is_(None),
            col(VerificationCode.expires_at) > now,
        )
        .values(expires_at=now)
    )
    code = rules.generate_code()
    expires = now + timedelta(minutes=get_settings().code_minutes)
    db.add(
        VerificationCode(
            user_id=user.id,
            purpose=purpose,
            code_hash=_hash(f"{purpose}:{user.id}:{code}"),
            created_at=now,
            expires_at=expires,
        )
    )
    db.flush()
    return code


def _check_code(db: Session, user: UserAccount | None, purpose: str, code: str, now: datetime) -> VerificationCode:
    """The latest usable code of ``purpose`` if ``code`` matches it; else count the attempt and raise."""
    row = None
    if user is not None:
        row = db.exec(
            select(VerificationCode)
            .where(VerificationCode.user_id == user.id, VerificationCode.purpose == purpose)
            .where(col(VerificationCode.used_at).is_(None))
            .order_by(col(VerificationCode.id).desc())
        ).first()
    if row is None or not rules.code_usable(row.expires_at, row.used_at, row.attempts, now):
        raise FieldError("code", "code_invalid")
    given = "".join((code or "").split())
    if not secrets.compare_digest(_hash(f"{purpose}:{row.user_id}:{given}"), row.code_hash):
        row.attempts += 1
        db.commit()
        raise FieldError("code", "code_invalid")
    return row


# ---------------------------------------------------------------- invitation and activation (AUTH-1)


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
) -> UserAccount:
    """Create an ``invited`` account with its role grants and mail the invitation to activate it.

    ``actor`` None means a trusted caller (CLI, seeder); otherwise the actor needs User management and may only
    grant employer roles for employers in its own scope (else NoAccess)."""
    now = _clock(now)
    email = _valid_email(email)
    name = (display_name or "").strip()
    if not name:
        raise FieldError("display_name", "display_name_required")
    if language not in LANGUAGES:
        raise FieldError("language", "language_invalid")
    grants = _grants(roles, person_id, actor)
    taken = select(UserAccount).where(UserAccount.email == email, col(UserAccount.status).in_(["invited", "active"]))
    if db.exec(taken).first() is not None:
        raise FieldError("email", "email_taken")
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
    send_account_mail(email, "invitation", language, name=name, url=f"{get_settings().base_url}/activate")
    return user


def start_activation(db: Session, email: str, now: datetime | None = None) -> None:
    """Mail a 6-digit activation code if an invited account has this address; otherwise do nothing."""
    now = _clock(now)
    email = _valid_email(email)
    user = _invited_by_email(db, email)
    if user is None:
        return
    code = _issue_code(db, user, "activation", now)
    if code is not None:
        send_account_mail(
            user.email,
            "activation_code",
            user.language,
            name=user.display_name,
            code=code,
            minutes=get_settings().code_minutes,
        )


def verify_activation_code(db: Session, email: str, code: str, now: datetime | None = None) -> int:
    """Check the mailed code (single use, expires, 5 attempts); return the id of the account to activate."""
    now = _clock(now)
    user = _invited_by_email(db, rules.normalise_email(email))
    row = _check_code(db, user, "activation", code, now)
    row.used_at = now
    db.flush()
    return row.user_id


def complete_activation(
    db: Session, user_id: int, username: str, password: str, now: datetime | None = None
) -> UserAccount:
    """Set username and password of an invited account whose code was verified recently; make it active."""
    now = _clock(now)
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


# ---------------------------------------------------------------- login: password, TOTP, recovery (AUTH-2, AUTH-7)


def check_password(db: Session, username: str, password: str, ip: str = "", now: datetime | None = None) -> LoginStep:
    """First login step. Same message, timing and lock-out for unknown users, invited users and wrong passwords."""
    now = _clock(now)
    key = _throttle_key(username)
    _refuse_if_locked(db, key, "username", now, ip)
    user = _user_by_username(db, key)
    if user is not None and user.status == "active" and user.password_hash:
        ok = _verify_password(user.password_hash, password or "")
    else:
        _verify_password(_dummy_hash(), password or "")
        ok = False
    if not ok or user is None:
        _fail(db, key, "password", "login_invalid", now, ip, "login.failed", user.id if user else None)
    assert user is not None and user.id is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginStep(user_id=user.id, needs_totp_setup=not user.totp_secret)


def new_totp_setup(username: str) -> tuple[str, str, str]:
    """A fresh TOTP secret, its otpauth:// URI and the QR code as an SVG data URI (made locally by segno)."""
    secret = pyotp.random_base32()
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=TOTP_ISSUER)
    buf = io.BytesIO()
    segno.make(uri, error="m").save(buf, kind="svg", scale=5, border=2, dark="#000", light="#fff", xmldecl=False)
    return secret, uri, "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode()


def _new_recovery_codes(db: Session, user_id: int) -> list[str]:
    for old in db.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)).all():
        db.delete(old)
    codes = rules.generate_recovery_codes()
    for code in codes:
        db.add(RecoveryCode(user_id=user_id, code_hash=_hash(f"recovery:{user_id}:{code}")))
    return codes


def confirm_totp_setup(db: Session, user_id: int, secret: str, code: str, now: datetime | None = None) -> list[str]:
    """Store the new TOTP secret once a code from the app matches; return 10 recovery codes (shown once)."""
    now = _clock(now)
    user = db.get(UserAccount, user_id)
    if user is None or user.status != "active" or user.totp_secret or not rules.totp_secret_valid(secret or ""):
        raise FieldError("code", "totp_invalid")
    result, step = rules.match_totp(secret, code, now, last_step=0)
    if result != "ok" or step is None:
        raise FieldError("code", "totp_invalid")
    user.totp_secret, user.totp_last_step = secret, step
    codes = _new_recovery_codes(db, user_id)
    _audit(db, "totp.enabled", now, actor_user_id=user_id, object_type="user_account", object_id=user_id)
    db.flush()
    return codes


def set_known_totp(db: Session, user_id: int, secret: str) -> None:
    """Give an account a known TOTP secret (demo seeder only: demo users can log in with a known app secret)."""
    user = db.get(UserAccount, user_id)
    if user is None or not rules.totp_secret_valid(secret):
        raise ValueError("unknown user or invalid base32 secret")
    user.totp_secret, user.totp_last_step = secret, 0
    db.flush()


def _second_factor_user(db: Session, user_id: int, now: datetime, ip: str) -> tuple[UserAccount, str]:
    user = db.get(UserAccount, user_id)
    if user is None or user.status != "active" or not user.username or not user.totp_secret:
        raise FieldError("code", "totp_invalid")
    key = _throttle_key(user.username)
    _refuse_if_locked(db, key, "code", now, ip)
    return user, key


def verify_totp(db: Session, user_id: int, code: str, ip: str = "", now: datetime | None = None) -> None:
    """Second login step with the authenticator app. A code of an already accepted time step is refused."""
    now = _clock(now)
    user, key = _second_factor_user(db, user_id, now, ip)
    result, step = rules.match_totp(user.totp_secret, code, now, user.totp_last_step)
    if result == "ok" and step is not None:
        claimed = db.exec(
            update(UserAccount)
            .where(col(UserAccount.id) == user_id, col(UserAccount.totp_last_step) < step)
            .values(totp_last_step=step)
        )
        if claimed.rowcount == 1:  # the conditional update makes a concurrent replay lose
            db.refresh(user)
            return
        result = "replayed"
    msg = "totp_replayed" if result == "replayed" else "totp_invalid"
    _fail(db, key, "code", msg, now, ip, "login.totp_failed", user.id)


def use_recovery_code(db: Session, user_id: int, code: str, ip: str = "", now: datetime | None = None) -> None:
    """Second login step with a one-time recovery code instead of the app."""
    now = _clock(now)
    user, key = _second_factor_user(db, user_id, now, ip)
    clean = rules.normalise_recovery_code(code)
    if clean is not None:
        claimed = db.exec(
            update(RecoveryCode)
            .where(
                col(RecoveryCode.user_id) == user_id,
                col(RecoveryCode.code_hash) == _hash(f"recovery:{user_id}:{clean}"),
                col(RecoveryCode.used_at).is_(None),
            )
            .values(used_at=now)
        )
        if claimed.rowcount == 1:
            left = db.exec(
                select(RecoveryCode).where(RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None))
            ).all()
            _audit(
                db,
                "login.recovery_used",
                now,
                actor_user_id=user_id,
                ip=ip,
                object_type="user_account",
                object_id=user_id,
                remaining=len(left),
            )
            return
    _fail(db, key, "code", "recovery_invalid", now, ip, "login.recovery_failed", user.id)


# ---------------------------------------------------------------- sessions (AUTH-3)


class LoginTicket(NamedTuple):
    """A finished login: the one-time ``ticket`` for ``/auth/complete`` and the ``browser_key`` that the
    browser which finished the login must present with it (cookie ``BROWSER_COOKIE``); only its hash is kept."""

    ticket: str
    browser_key: str


def create_session(
    db: Session, user_id: int, user_agent: str = "", ip: str = "", now: datetime | None = None
) -> LoginTicket:
    """After both factors: open a session and return a one-time ticket (valid 60 s) to redeem for the token,
    bound to the browser that holds the returned browser key."""
    now = _clock(now)
    user = db.get(UserAccount, user_id)
    if user is None or user.status != "active":
        raise NoAccess("not_active")
    ticket, browser_key = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session = AuthSession(
        user_id=user_id,
        ticket_hash=_hash(f"ticket:{ticket}"),
        ticket_expires_at=now + timedelta(seconds=TICKET_SECONDS),
        browser_hash=_hash(f"browser:{browser_key}"),
        created_at=now,
        last_seen_at=now,
        user_agent=(user_agent or "")[:400],
        ip=ip or "",
    )
    db.add(session)
    db.flush()
    _reset_throttle(db, _throttle_key(user.username or ""), ip=ip)
    _audit(
        db,
        "login.success",
        now,
        actor_user_id=user_id,
        actor_name=user.username or "",
        ip=ip,
        object_type="auth_session",
        object_id=session.id,
    )
    return LoginTicket(ticket, browser_key)


def _roles(db: Session, user_id: int) -> list[RoleGrant]:
    return list(db.exec(select(RoleGrant).where(RoleGrant.user_id == user_id)).all())


def redeem_ticket(
    db: Session, ticket: str, browser_key: str, ip: str = "", now: datetime | None = None
) -> tuple[str, str] | None:
    """Exchange a valid, unused ticket for (session token, home path); None for an unknown/used/expired ticket.

    The ticket counts only in the browser that finished the login: a missing or different ``browser_key``
    (the ticket URL opened elsewhere) ends that login for good, with an audit entry."""
    now = _clock(now)
    if not ticket or not isinstance(ticket, str):
        return None
    ticket_hash = _hash(f"ticket:{ticket}")
    query = select(AuthSession).where(AuthSession.ticket_hash == ticket_hash, col(AuthSession.ended_at).is_(None))
    session = db.exec(query).first()
    if session is None:
        return None
    if session.ticket_expires_at is None or now >= session.ticket_expires_at:
        session.ticket_hash, session.ticket_expires_at = None, None
        session.ended_at, session.end_reason = now, "ticket_expired"
        db.flush()
        return None
    given = _hash(f"browser:{browser_key}") if browser_key and isinstance(browser_key, str) else ""
    if not session.browser_hash or not secrets.compare_digest(given, session.browser_hash):
        session.ticket_hash, session.ticket_expires_at = None, None
        session.ended_at, session.end_reason = now, "ticket_foreign"
        _audit(
            db,
            "login.ticket_refused",
            now,
            actor_user_id=session.user_id,
            ip=ip,
            object_type="auth_session",
            object_id=session.id,
            reason="browser_key_missing" if not given else "browser_key_different",
        )
        db.flush()
        return None
    token = secrets.token_urlsafe(32)
    claimed = db.exec(
        update(AuthSession)
        .where(col(AuthSession.id) == session.id, col(AuthSession.ticket_hash) == ticket_hash)
        .values(
            ticket_hash=None,
            ticket_expires_at=None,
            browser_hash=None,
            token_hash=_hash(f"session:{token}"),
            last_seen_at=now,
        )
    )
    if claimed.rowcount != 1:
        return None
    db.refresh(session)
    roles = [g.role for g in _roles(db, session.user_id)]
    return token, home_path(front_end_for(roles))


def _live_session(db: Session, token: str) -> AuthSession | None:
    if not token or not isinstance(token, str):
        return None
    token_hash = _hash(f"session:{token}")
    query = select(AuthSession).where(AuthSession.token_hash == token_hash, col(AuthSession.ended_at).is_(None))
    return db.exec(query).first()


def _end(db: Session, session: AuthSession, reason: str, now: datetime) -> None:
    session.ended_at, session.end_reason = now, reason
    action = (
        "logout" if reason == "logout" else "session.expired" if reason in ("idle", "lifetime") else "session.ended"
    )
    _audit(
        db,
        action,
        now,
        actor_user_id=session.user_id,
        object_type="auth_session",
        object_id=session.id,
        reason=reason,
    )
    db.flush()


class _Grant(NamedTuple):
    """A role grant as read by ``resolve_session`` (a plain tuple: building ORM objects per event cost more)."""

    role: str
    employer_id: int | None
    group_id: int | None
    office_id: int | None


def _employer_ids(db: Session, grants: Sequence[_Grant | RoleGrant]) -> tuple[frozenset[int], int | None]:
    """Employers in scope: granted employers, all employers of granted groups, an adviser's office portfolio."""
    ids = {g.employer_id for g in grants if g.employer_id is not None and g.role != Role.EMPLOYEE}
    groups = {g.group_id for g in grants if g.group_id is not None and g.role in EMPLOYER_ROLES}
    offices = [g.office_id for g in grants if g.office_id is not None and g.role == Role.ADVISER]
    if groups:
        ids |= set(db.exec(select(Employer.id).where(col(Employer.group_id).in_(groups))).all())
    if offices:
        ids |= set(db.exec(select(Employer.id).where(col(Employer.office_id).in_(offices))).all())
    return frozenset(i for i in ids if i is not None), (offices[0] if offices else None)


@lru_cache(maxsize=1)
def _session_query() -> Any:
    """The live session of a token hash, its account and the account's role grants, in one indexed query.
    Built once (it runs on every event; building the expression each time cost more than running it)."""
    S, U, G = AuthSession, UserAccount, RoleGrant
    columns = (U.id, U.status, U.username, U.display_name, U.person_id, U.language, U.theme)
    return (
        sa_select(S.id, S.created_at, S.last_seen_at, *columns, G.role, G.employer_id, G.group_id, G.office_id)
        .select_from(S)
        .outerjoin(U, col(U.id) == S.user_id)
        .outerjoin(G, col(G.user_id) == S.user_id)
        .where(S.token_hash == bindparam("token_hash"), col(S.ended_at).is_(None))
    )


def resolve_session(db: Session, token: str, now: datetime | None = None, touch: bool = True) -> Principal | None:
    """The Principal of a live session token; ends sessions idle longer than ``idle_minutes`` or older than
    ``session_hours`` however active (``rules.session_end``; None then).

    Called on every event, so the session, its account and the account's roles are read in one indexed
    query (nothing is cached: an ended session, a disabled account or a removed role counts at once).
    ``touch=False`` is for background checks (a live view polling for changes): they must not keep an idle
    session alive.
    """
    now = _clock(now)
    if not token or not isinstance(token, str):
        return None
    rows = db.connection().execute(_session_query(), {"token_hash": _hash(f"session:{token}")}).all()
    if not rows:
        return None
    session_id, created_at, last_seen_at = rows[0][:3]
    user_id, status, username, display_name, person_id, language, theme = rows[0][3:10]
    settings = get_settings()
    over = rules.session_end(
        _clock(created_at), _clock(last_seen_at), now, settings.idle_minutes, settings.session_hours
    )
    if over is not None:
        _end(db, _session_row(db, session_id), over, now)
        return None
    if user_id is None or status != "active":
        _end(db, _session_row(db, session_id), "disabled", now)
        return None
    grants = [_Grant(r[10], r[11], r[12], r[13]) for r in rows if r[10] is not None]
    roles = frozenset(g.role for g in grants)
    front_end = front_end_for(roles)
    if front_end is None:
        return None
    if touch and now - _clock(last_seen_at) >= LAST_SEEN_EVERY:
        db.exec(update(AuthSession).where(col(AuthSession.id) == session_id).values(last_seen_at=now))  # type: ignore[call-overload]
    employer_ids, office_id = _employer_ids(db, grants)
    return Principal(
        user_id=user_id,
        username=username or "",
        display_name=display_name,
        front_end=FrontEnd(front_end),
        roles=roles,
        employer_ids=employer_ids,
        office_id=office_id,
        person_id=person_id,
        language=language,
        theme=theme,
        session_id=session_id,
    )


def _session_row(db: Session, session_id: int) -> AuthSession:
    session = db.get(AuthSession, session_id)
    assert session is not None
    return session


def end_session(db: Session, token: str, now: datetime | None = None) -> None:
    """Log out: end the session of ``token`` (nothing happens for an unknown or ended token)."""
    now = _clock(now)
    session = _live_session(db, token)
    if session is not None:
        _end(db, session, "logout", now)


# ---------------------------------------------------------------- forgotten password / username (AUTH-3)


def start_password_reset(db: Session, username: str, now: datetime | None = None) -> None:
    """Mail a reset code to the address of an active account with this username; otherwise do nothing."""
    now = _clock(now)
    user = _user_by_username(db, username)
    if user is None or user.status != "active":
        return
    code = _issue_code(db, user, "reset", now)
    if code is not None:
        send_account_mail(
            user.email,
            "reset_code",
            user.language,
            name=user.display_name,
            code=code,
            minutes=get_settings().code_minutes,
        )


def complete_password_reset(
    db: Session, username: str, code: str, new_password: str, now: datetime | None = None
) -> None:
    """Set a new password with the mailed code; ends every open session of the account and clears the lock-out."""
    now = _clock(now)
    user = _user_by_username(db, username)
    if user is not None and user.status != "active":
        user = None
    row = _check_code(db, user, "reset", code, now)
    assert user is not None
    if not rules.password_acceptable(new_password, avoid=[user.username or "", user.email.split("@")[0]]):
        raise FieldError("password", "password_weak")  # the code stays usable for a stronger password
    row.used_at = now
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    db.exec(
        update(AuthSession)
        .where(col(AuthSession.user_id) == user.id, col(AuthSession.ended_at).is_(None))
        .values(ended_at=now, end_reason="password_reset", ticket_hash=None, ticket_expires_at=None)
    )
    _reset_throttle(db, _throttle_key(user.username or ""), ip=None)
    _audit(db, "password.reset", now, actor_user_id=user.id, object_type="user_account", object_id=user.id)
    db.flush()
    send_account_mail(user.email, "password_changed", user.language, name=user.display_name)


def send_username_reminder(db: Session, email: str, now: datetime | None = None) -> None:
    """Mail the username(s) of the active account(s) with this address; otherwise do nothing. Capped like the
    code mails (CODES_PER_HOUR per account); the reminder carries no code, its row (used, expired) only counts."""
    now = _clock(now)
    email = _valid_email(email)
    query = select(UserAccount).where(
        UserAccount.email == email, UserAccount.status == "active", col(UserAccount.username).is_not(None)
    )
    for user in db.exec(query).all():
        if not _mail_allowed(db, user, "username", now):
            continue
        marker = _hash(f"username:{user.id}:{secrets.token_hex(16)}")
        db.add(
            VerificationCode(
                user_id=user.id, purpose="username", code_hash=marker, created_at=now, expires_at=now, used_at=now
            )
        )
        db.flush()
        send_account_mail(
            user.email,
            "username_reminder",
            user.language,
            name=user.display_name,
            username=user.username,
            url=_login_url(),
        )


# ---------------------------------------------------------------- preferences (EMP-10)


def set_preferences(db: Session, principal: Principal, language: str | None = None, theme: str | None = None) -> None:
    """Store language and/or theme of the signed-in user (allow-listed values only)."""
    if language is not None and language not in LANGUAGES:
        raise FieldError("language", "language_invalid")
    if theme is not None and theme not in THEMES:
        raise FieldError("theme", "theme_invalid")
    user = db.get(UserAccount, require(principal).user_id)
    if user is None:
        raise NoAccess("not_signed_in")
    if language is not None:
        user.language = language
    if theme is not None:
        user.theme = theme
    db.flush()
