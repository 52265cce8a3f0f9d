"""Write audit events (PLT-1) in the caller's transaction."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from portal.core import clock
from portal.models import AuditEvent


def _actor(actor: Any, user_id: int | None, api_key_id: int | None) -> dict[str, Any]:
    """Who acted: a Principal's account, or the API key of a payroll package's principal (it has no account)."""
    if actor is None:
        return {"actor_user_id": user_id, "actor_name": "", "actor_api_key_id": api_key_id}
    key_id = getattr(actor, "api_key_id", None)
    return {
        "actor_user_id": None if key_id is not None else actor.user_id,
        "actor_name": actor.username,
        "actor_api_key_id": key_id,
    }


def record(
    db: Session,
    action: str,
    *,
    actor: Any = None,
    actor_user_id: int | None = None,
    actor_api_key_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    employer_id: int | None = None,
    on_behalf_of: str = "",
    ip: str = "",
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to ``db`` (committed with the change it describes). ``actor`` is a Principal (a
    payroll package's is recorded by its API key, ``actor_api_key_id``)."""
    event = AuditEvent(
        action=action,
        **_actor(actor, actor_user_id, actor_api_key_id),
        object_type=object_type,
        object_id=str(object_id),
        employer_id=employer_id,
        on_behalf_of=on_behalf_of,
        ip=ip,
        detail=json.dumps(detail, default=str, ensure_ascii=False),
    )
    db.add(event)
    return event


def append(
    db: Session,
    action: str,
    *,
    actor: Any = None,
    object_type: str = "",
    object_id: object = "",
    employer_id: int | None = None,
    actor_api_key_id: int | None = None,
    on_behalf_of: str = "",
    ip: str = "",
    **detail: Any,
) -> None:
    """Like ``record``, as one INSERT in ``db``'s transaction without an ORM object: for reads that are
    audited on every request (the participant overview), where the unit-of-work flush costs more than
    the insert itself."""
    db.connection().execute(
        insert(AuditEvent.__table__),  # type: ignore[arg-type]
        {
            "at": clock.now(),
            "action": action,
            **_actor(actor, None, actor_api_key_id),
            "object_type": object_type,
            "object_id": str(object_id),
            "employer_id": employer_id,
            "on_behalf_of": on_behalf_of,
            "ip": ip,
            "detail": json.dumps(detail, default=str, ensure_ascii=False),
        },
    )


def access_denied(db: Session, actor: Any, route: str, *, ip: str = "", reason: str | None = None) -> AuditEvent:
    """Record that ``actor`` (a Principal, or None when signed out) was refused the page or action ``route``
    (AUTH-5); ``reason`` is the refusal's reason (the page guard's own refusals carry none)."""
    detail = {} if reason is None else {"reason": reason}
    return record(db, "access.denied", actor=actor, object_type="route", object_id=route, ip=ip, **detail)
