"""An employer's API keys (API-1): made and revoked by a user-management user, the key shown once and kept as
a lookup prefix and the SHA-256 of its secret; every request with a key is checked here (the key, its
employer, its rate) and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from portal.core import clock
from portal.domain import api_keys as rules
from portal.domain.roles import FrontEnd, Perm
from portal.models import ApiKey
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, id_of, require, require_employer

API_PERMISSIONS = frozenset({Perm.PARTICIPANTS_VIEW, Perm.MUTATIONS_SUBMIT})  # what a payroll package may do


@dataclass(frozen=True)
class KeyRow:
    """One key on the API-keys page (never its secret)."""

    key_id: int
    name: str
    prefix: str
    created_at: datetime
    created_by_name: str
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by_name: str


@dataclass(frozen=True)
class CreatedKey:
    """A key just made: ``plain`` is the only time the key is ever shown."""

    row: KeyRow
    plain: str


@dataclass(frozen=True)
class Caller:
    """A request's checked key: its id (idempotent answers are stored per key) and the principal it acts as."""

    key_id: int
    principal: Principal


class KeyRefused(Exception):
    """A request whose key is missing, malformed, unknown or revoked (401), or over its rate (429)."""

    def __init__(self, status: int, reason: str, retry_after: int = 0) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


def _row(key: ApiKey) -> KeyRow:
    return KeyRow(
        key.id or 0,
        key.name,
        key.prefix,
        key.created_at,
        key.created_by_name,
        key.last_used_at,
        key.revoked_at,
        key.revoked_by_name,
    )


def _employer_of(principal: Principal | None) -> int:
    """The one employer a user-management user manages keys for (the first of their scope)."""
    p = require(principal, Perm.USERS_MANAGE, FrontEnd.EMPLOYER)
    if not p.employer_ids:
        raise NoAccess("out_of_scope")
    return require_employer(p, min(p.employer_ids), Perm.USERS_MANAGE)


def list_keys(db: Session, principal: Principal | None) -> list[KeyRow]:
    """The employer's keys, newest first, revoked ones included (greyed on the page)."""
    eid = _employer_of(principal)
    keys = db.exec(select(ApiKey).where(ApiKey.employer_id == eid).order_by(col(ApiKey.id).desc())).all()
    return [_row(k) for k in keys]


def create_key(db: Session, principal: Principal | None, name: object) -> CreatedKey:
    """Make a key for the principal's employer; the plain key is in the answer and nowhere else."""
    eid = _employer_of(principal)
    assert principal is not None
    clean = rules.clean_name(name)
    if clean is None:
        raise FieldError("name", "api_key_name_required", {"max": rules.MAX_NAME})
    made = rules.new_key()
    key = ApiKey(
        employer_id=eid,
        name=clean,
        prefix=made.prefix,
        secret_hash=made.secret_hash,
        created_by_name=principal.display_name or principal.username,
    )
    db.add(key)
    db.flush()
    audit.record(
        db,
        "api_key.created",
        actor=principal,
        object_type="api_key",
        object_id=key.id,
        employer_id=eid,
        prefix=key.prefix,
        name=clean,
    )
    return CreatedKey(_row(key), made.plain)


def revoke_key(db: Session, principal: Principal | None, key_id: object) -> KeyRow:
    """Revoke a key of the principal's employer (untrusted id; another employer's key is NoAccess)."""
    eid = _employer_of(principal)
    assert principal is not None
    key = db.get(ApiKey, id_of(key_id))
    if key is None or key.employer_id != eid:
        raise NoAccess("out_of_scope")
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.revoked_by_name = principal.display_name or principal.username
        db.add(key)
        db.flush()
        audit.record(
            db,
            "api_key.revoked",
            actor=principal,
            object_type="api_key",
            object_id=key.id,
            employer_id=eid,
            prefix=key.prefix,
        )
    return _row(key)


def principal_of_key(prefix: str, name: str, employer_id: int, key_id: int | None = None) -> Principal:
    """The principal a request with a key acts as: no account (user id 0) but the key's id (stored on its
    mutations and audit events, so every change is traced to the key), the key's employer only, the
    permissions of a payroll package, channel ``api`` (stored on its mutations)."""
    return Principal(
        user_id=0,
        username=f"api:{prefix}",
        display_name=f"API: {name}",
        front_end=FrontEnd.EMPLOYER,
        roles=frozenset(),
        employer_ids=frozenset({employer_id}),
        perms=API_PERMISSIONS,
        channel="api",
        api_key_id=key_id,
    )


def authenticate(
    db: Session, authorization: object, method: str, path: str, *, ip: str, limit: int, window_seconds: int
) -> Caller:
    """The caller of the key in an ``Authorization: Bearer`` header, counted against its rate and audited
    (``api.request``); ``KeyRefused`` (401 for a missing, malformed, unknown or revoked key, audited as
    ``api.refused``; 429 over the rate). Commit ``db`` either way."""
    parts = rules.split_key(rules.bearer(authorization))
    key = db.exec(select(ApiKey).where(ApiKey.prefix == parts[0])).first() if parts else None
    proven = key is not None and parts is not None and rules.secret_matches(parts[1], key.secret_hash)
    if key is None or not proven or key.revoked_at is not None:
        # "revoked" only to the holder of the right secret: a guess learns nothing about a prefix
        reason = "malformed" if parts is None else "revoked" if proven else "unknown"
        audit.append(
            db,
            "api.refused",
            object_type="route",
            object_id=f"{method} {path}"[:200],
            employer_id=key.employer_id if proven and key is not None else None,
            actor_api_key_id=key.id if proven and key is not None else None,
            ip=ip,
            reason=reason,
            prefix=parts[0] if parts else "",
        )
        raise KeyRefused(401, reason)
    now = clock.now().timestamp()
    window = rules.count_request(rules.Window(key.window_start, key.window_count), now, window_seconds)
    keys = ApiKey.__table__  # type: ignore[attr-defined]
    conn = db.connection()  # plain UPDATEs (the key object is not read again): no ORM machinery per request
    counted = conn.execute(
        update(keys)
        .where(keys.c.id == key.id, keys.c.window_start == window.start)
        .values(window_count=keys.c.window_count + 1, last_used_at=clock.now())
    )
    if counted.rowcount != 1:  # the first request of a new window (or a concurrent one started it)
        conn.execute(
            update(keys)
            .where(keys.c.id == key.id)
            .values(window_start=window.start, window_count=1, last_used_at=clock.now())
        )
        window = rules.Window(window.start, 1)
    wait = rules.retry_after(window, limit, now, window_seconds)
    audit.append(
        db,
        "api.request",
        object_type="route",
        object_id=f"{method} {path}"[:200],
        employer_id=key.employer_id,
        actor_api_key_id=key.id,
        ip=ip,
        prefix=key.prefix,
        **({"refused": "rate"} if wait else {}),
    )
    if wait is not None:
        raise KeyRefused(429, "rate", wait)
    return Caller(key.id or 0, principal_of_key(key.prefix, key.name, key.employer_id, key.id))
