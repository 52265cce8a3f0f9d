"""Lock-out of wrong passwords and codes per username and client, with a ceiling over all clients (AUTH-7)."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from sqlmodel import Session, col, select

from portal.core.config import get_settings
from portal.domain import auth as rules
from portal.models import (
    LoginThrottle,
)
from portal.services.accounts._common import _audit
from portal.services.errors import FieldError


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
