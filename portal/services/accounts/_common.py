"""Shared pieces of the account use cases: constants, the clock, secret hashes, password hashing, lookups."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from portal.core import clock
from portal.core.config import get_settings
from portal.domain import auth as rules
from portal.models import (
    UserAccount,
)
from portal.services import audit
from portal.services.errors import FieldError

TOTP_ISSUER = "Benefits portal"
TICKET_SECONDS = 60
BROWSER_COOKIE = "portal_login_browser"  # the per-login browser key that binds a ticket to its browser
BROWSER_COOKIE_PATH = "/auth/complete"  # ... sent to the route that redeems the ticket only
LAST_SEEN_EVERY = timedelta(seconds=30)
CODES_PER_HOUR = 5  # at most this many e-mail codes per account and purpose per hour (no mail bombing)
LANGUAGES = ("nl", "en")
THEMES = ("light", "dark")
SCOPE_KEYS = ("employer_id", "group_id", "office_id")


def _hasher() -> PasswordHasher:
    """Argon2id with the configured costs (``PORTAL_PASSWORD_HASH_*``)."""
    settings = get_settings()
    return _hasher_for(settings.password_hash_time_cost, settings.password_hash_memory_kib)


@lru_cache(maxsize=4)
def _hasher_for(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


@dataclass(frozen=True)
class LoginStep:
    """Outcome of a correct password: who, and whether the second factor still has to be set up."""

    user_id: int
    needs_totp_setup: bool


def _moment(now: datetime | None) -> datetime:
    """``now`` as an aware UTC datetime (naive input is taken to be UTC); the current time when None."""
    if now is None:
        return clock.now()
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
    return _hasher().hash(pw)


def _verify_password(stored: str, pw: str) -> bool:
    try:
        return _hasher().verify(stored, pw)
    except (VerificationError, InvalidHashError):
        return False


def _dummy_hash() -> str:
    """A hash of nothing, verified for an unknown user so that the answer takes as long as for a known one."""
    settings = get_settings()
    return _dummy_hash_for(settings.password_hash_time_cost, settings.password_hash_memory_kib)


@lru_cache(maxsize=4)
def _dummy_hash_for(time_cost: int, memory_kib: int) -> str:
    return _hasher_for(time_cost, memory_kib).hash(secrets.token_hex(16))


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
