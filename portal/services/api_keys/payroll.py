"""What a payroll package does through the API (API-1), with the principal of its key: the same use cases as
the portal's wizards (``mutations.submit_*``, ``participants.list_participants``), so the same validation and
review rules (MUT-1..6) apply; a participant is addressed by its number within the key's employer. Answers
are JSON-ready dicts (amounts and dates as strings). Idempotency: ``replay`` finds the answer stored for a
key's ``Idempotency-Key``, ``remember`` stores one in the transaction of the change itself; an answer is kept
``PORTAL_API_IDEMPOTENCY_DAYS`` (``purge_answers``, daily; an older one no longer counts even before that)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.config import get_settings
from portal.models import ApiIdempotency, Mutation, Participation
from portal.services import mutations, participants
from portal.services.principal import NoAccess, Principal


def _employer(principal: Principal) -> int:
    (eid,) = principal.employer_ids  # a key's principal has exactly one employer
    return eid


def _answer(db: Session, mutation: Mutation) -> dict[str, Any]:
    part = db.get(Participation, mutation.participation_id) if mutation.participation_id else None
    return {
        "mutation_id": mutation.id,
        "kind": mutation.kind,
        "status": mutation.status,
        "participant_number": part.participant_number if part else None,
        "effective_date": mutation.effective_date.isoformat(),
        "warnings": [w["key"] for w in json.loads(mutation.warnings)],
    }


def new_participant(
    db: Session, principal: Principal, scheme_id: object, values: dict[str, Any], acknowledged: Sequence[str]
) -> dict[str, Any]:
    """Register a new participant in ``scheme_id`` of the key's employer (``mutations.submit_new_participant``)."""
    mutation = mutations.submit_new_participant(
        db, principal, _employer(principal), scheme_id, acknowledged=acknowledged, **values
    )
    return _answer(db, mutation)


def _participation(db: Session, principal: Principal, number: object) -> Participation:
    return mutations.participation_for(db, principal, _employer(principal), number)


def salary_parttime(
    db: Session,
    principal: Principal,
    number: object,
    effective: object,
    salary: object,
    parttime: object,
    acknowledged: Sequence[str],
) -> dict[str, Any]:
    """A salary and/or part-time change of participant ``number`` (``mutations.submit_salary_parttime``). A
    payroll package holds no version of its own: the change is checked against the data as it is now."""
    part = _participation(db, principal, number)
    mutation = mutations.submit_salary_parttime(
        db, principal, part.id, effective, salary, parttime, part.version, acknowledged
    )
    return _answer(db, mutation)


def exit_participant(
    db: Session, principal: Principal, number: object, exit_date: object, acknowledged: Sequence[str]
) -> dict[str, Any]:
    """The exit of participant ``number`` (``mutations.submit_exit``)."""
    part = _participation(db, principal, number)
    mutation = mutations.submit_exit(db, principal, part.id, exit_date, part.version, acknowledged)
    return _answer(db, mutation)


def participants_as_of(
    db: Session, principal: Principal, as_of: date | None, page: int, page_size: int, scheme_id: object = None
) -> dict[str, Any]:
    """One page of the participants of a scheme of the key's employer as of ``as_of`` (default today); the
    scheme defaults to the employer's first (``participants.schemes_of``)."""
    if scheme_id is None:
        options = participants.schemes_of(db, principal, _employer(principal))
        if not options:
            raise NoAccess("not_found")
        scheme_id = options[0].scheme_id
    listed = participants.list_participants(
        db, principal, scheme_id, page=page, page_size=page_size, as_of=as_of or clock.today()
    )
    return {
        "as_of": listed.as_of.isoformat(),
        "scheme_id": int(scheme_id),  # type: ignore[call-overload]
        "page": listed.page,
        "page_size": listed.page_size,
        "total": listed.total,
        "pages": listed.pages,
        "items": [
            {
                "participant_number": r.participant_number,
                "name": r.name,
                "date_in_service": r.date_in_service.isoformat(),
                "salary": None if r.salary is None else f"{r.salary:.2f}",
                "parttime": None if r.parttime is None else f"{r.parttime:.3f}",
                "status": r.status,
            }
            for r in listed.rows
        ],
    }


def answers_kept_since(now: datetime | None = None) -> datetime:
    """The moment from which stored answers count: ``PORTAL_API_IDEMPOTENCY_DAYS`` before ``now``."""
    return (now or clock.now()) - timedelta(days=get_settings().api_idempotency_days)


def replay(db: Session, api_key_id: int, idem_key: str) -> ApiIdempotency | None:
    """The answer stored for ``idem_key`` of an API key (None for a first request). An answer older than
    ``PORTAL_API_IDEMPOTENCY_DAYS`` that the daily purge has not removed yet is removed now (in the caller's
    transaction): the request is a new one, as it is once the purge has run."""
    query = select(ApiIdempotency).where(ApiIdempotency.api_key_id == api_key_id, ApiIdempotency.idem_key == idem_key)
    stored = db.exec(query).first()
    if stored is not None and stored.created_at < answers_kept_since():
        db.delete(stored)
        db.flush()
        return None
    return stored


def purge_answers(db: Session, now: datetime | None = None) -> int:
    """Remove the stored answers older than ``PORTAL_API_IDEMPOTENCY_DAYS`` (the daily job); how many."""
    table = ApiIdempotency.__table__  # type: ignore[attr-defined]
    result = db.connection().execute(delete(table).where(col(ApiIdempotency.created_at) < answers_kept_since(now)))
    return int(result.rowcount or 0)


def remember(db: Session, api_key_id: int, idem_key: str, fingerprint: str, status: int, body: str) -> None:
    """Store the answer of a first request, in the transaction of its change (a duplicate that raced it
    fails on the unique key; the caller then replays)."""
    db.flush()
    db.connection().execute(  # one INSERT, no ORM object (nothing reads it back in this transaction)
        insert(ApiIdempotency.__table__),  # type: ignore[arg-type]
        {
            "api_key_id": api_key_id,
            "idem_key": idem_key,
            "fingerprint": fingerprint,
            "status_code": status,
            "body": body,
            "created_at": clock.now(),
        },
    )
