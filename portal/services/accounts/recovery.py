"""Forgotten password (reset by e-mailed code) and forgotten username (a reminder mail), AUTH-3."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session, col, select, update

from portal.domain import auth as rules
from portal.models import (
    AuthSession,
    UserAccount,
    VerificationCode,
)
from portal.services.accounts._common import (
    _audit,
    _hash,
    _login_url,
    _moment,
    _user_by_username,
    _valid_email,
    hash_password,
)
from portal.services.accounts.codes import _check_code, _mail_allowed, _mail_code
from portal.services.accounts.mail_texts import send_account_mail
from portal.services.accounts.throttle import _reset_throttle, _throttle_key
from portal.services.errors import FieldError
from portal.services.rate_limits import limit_mail


def start_password_reset(db: Session, username: str, now: datetime | None = None, ip: str = "") -> None:
    """Mail a reset code to the address of an active account with this username; otherwise do nothing.
    Rate-limited per username asked for (known or not) and per client (``rate_limits``)."""
    now = _moment(now)
    key = _throttle_key(username or "")
    limit_mail(db, "reset_code", field="username", ip=ip, account=f"username:{key}", now=now)
    user = _user_by_username(db, username)
    if user is None or user.status != "active":
        return
    _mail_code(db, user, "reset", "reset_code", now)


def complete_password_reset(
    db: Session, username: str, code: str, new_password: str, now: datetime | None = None
) -> None:
    """Set a new password with the mailed code; ends every open session of the account and clears the lock-out."""
    now = _moment(now)
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


def send_username_reminder(db: Session, email: str, now: datetime | None = None, ip: str = "") -> None:
    """Mail the username(s) of the active account(s) with this address; otherwise do nothing. Capped like the
    code mails (CODES_PER_HOUR per account); the reminder carries no code, its row (used, expired) only counts."""
    now = _moment(now)
    email = _valid_email(email)
    limit_mail(db, "username_reminder", field="email", ip=ip, account=f"email:{email}", now=now)
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
