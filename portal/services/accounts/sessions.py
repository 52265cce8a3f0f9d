"""Server-side sessions (AUTH-3): the one-time login ticket bound to its browser, resolving a session to its
Principal on every event, idle and absolute expiry, logout."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select, update

from portal.core.config import get_settings
from portal.domain import auth as rules
from portal.domain.roles import EMPLOYER_ROLES, FrontEnd, Role, front_end_for, home_path
from portal.models import (
    AuthSession,
    Employer,
    RoleGrant,
    UserAccount,
)
from portal.services.accounts._common import LAST_SEEN_EVERY, TICKET_SECONDS, _audit, _hash, _moment
from portal.services.accounts.throttle import _reset_throttle, _throttle_key
from portal.services.principal import NoAccess, Principal


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
    now = _moment(now)
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
    now = _moment(now)
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
    now = _moment(now)
    if not token or not isinstance(token, str):
        return None
    rows = db.connection().execute(_session_query(), {"token_hash": _hash(f"session:{token}")}).all()
    if not rows:
        return None
    session_id, created_at, last_seen_at = rows[0][:3]
    user_id, status, username, display_name, person_id, language, theme = rows[0][3:10]
    settings = get_settings()
    over = rules.session_end(
        _moment(created_at), _moment(last_seen_at), now, settings.idle_minutes, settings.session_hours
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
    if touch and now - _moment(last_seen_at) >= LAST_SEEN_EVERY:
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


def replace_session(db: Session, old_token: str, new_token: str, now: datetime | None = None) -> None:
    """A sign-in in a browser that still held a session (``old_token``, from its cookie): that session ends
    (``replaced``, audited), so that a token known before the sign-in is worth nothing after it (session
    fixation, ASVS 3.2.1 / 3.3.1). The new session, ``new_token``, was made by the sign-in itself."""
    if not old_token or old_token == new_token:
        return
    session = _live_session(db, old_token)
    if session is not None:
        _end(db, session, "replaced", _moment(now))


def end_session(db: Session, token: str, now: datetime | None = None) -> None:
    """Log out: end the session of ``token`` (nothing happens for an unknown or ended token)."""
    now = _moment(now)
    session = _live_session(db, token)
    if session is not None:
        _end(db, session, "logout", now)
