"""Submitted changes (EMP-6, individual): the latest change per participant, and one participant's history.

"Latest" is by effective date, ties by request time (MUT-3): a retroactive change requested last can sit
below a change that takes effect later. A participant is one employment (its OP and NP participations share
the number); a new participant still waiting for review is a row of its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.domain.identifiers import format_name
from portal.domain.roles import Perm
from portal.models import Mutation, Participation, Person
from portal.services.errors import FieldError
from portal.services.organisation.acting import KeyName, api_key_names
from portal.services.principal import NoAccess, Principal, id_of, require, require_employer

STATUSES = ("submitted", "needs_review", "processed", "rejected")
MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class ChangeRow:
    """One participant's latest change."""

    mutation_id: int
    participation_id: int | None
    participant_number: str  # '' for a new participant that waits for review
    name: str  # as listed: ``Assob, G., ter``
    kind: str  # salary_parttime, exit, partner, child, new_participant
    effective_date: date
    requested_at: datetime
    requested_by: str
    on_behalf_of: str
    status: str
    review_reason: str
    api_key: KeyName | None = None  # sent by a payroll package with this API key (API-1)


@dataclass(frozen=True)
class ChangesPage:
    """One page of ``ChangeRow`` with the total number of participants that have a (matching) change."""

    rows: list[ChangeRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """Number of pages (at least 1)."""
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class HistoryRow:
    """One change of a participant, with its values before and after as (field, old, new) strings."""

    mutation_id: int
    kind: str
    effective_date: date
    requested_at: datetime
    requested_by: str
    on_behalf_of: str
    status: str
    review_reason: str
    reviewed_by: str
    reviewed_at: datetime | None
    changes: list[tuple[str, str, str]]
    warnings: list[str]
    api_key: KeyName | None = None  # sent by a payroll package with this API key (API-1)


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return default


def _name(mutation: Mutation, person: Person | None) -> str:
    if person is not None:
        return format_name(person.last_name, person.initials, person.name_prefix)
    values = json.loads(mutation.new_values or "{}")
    return format_name(values.get("last_name", ""), values.get("initials", ""), values.get("name_prefix", ""))


def latest_changes(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    status: object = None,
    page: object = 1,
    page_size: object = 25,
) -> ChangesPage:
    """Per participant of the employer the latest change by effective date (ties: requested last), newest
    request first, paged. With ``status``, the latest among that participant's changes with that status (so
    every participant with a change waiting for review shows under ``needs_review``)."""
    eid = require_employer(principal, employer_id, Perm.PARTICIPANTS_VIEW)
    if status not in (None, "") and status not in STATUSES:
        raise FieldError("status", "status_invalid")
    size = min(MAX_PAGE_SIZE, max(1, _int(page_size, 25)))
    number = min(1_000_000, max(1, _int(page, 1)))
    group = func.coalesce(Participation.employment_id, -col(Mutation.id))
    order = (col(Mutation.effective_date).desc(), col(Mutation.requested_at).desc(), col(Mutation.id).desc())
    rank = func.row_number().over(partition_by=group, order_by=order).label("rank")
    base = (
        select(col(Mutation.id).label("id"), rank)
        .select_from(Mutation)
        .join(Participation, col(Participation.id) == Mutation.participation_id, isouter=True)
        .where(Mutation.employer_id == eid)
    )
    if status:
        base = base.where(Mutation.status == status)
    ranked = base.subquery()
    total = int(db.exec(select(func.count()).select_from(ranked).where(ranked.c.rank == 1)).one())
    rows = db.exec(
        select(Mutation, Participation.participant_number, Person)
        .join(ranked, ranked.c.id == Mutation.id)
        .join(Participation, col(Participation.id) == Mutation.participation_id, isouter=True)
        .join(Person, col(Person.id) == Mutation.person_id, isouter=True)
        .where(ranked.c.rank == 1)
        .order_by(col(Mutation.requested_at).desc(), col(Mutation.id).desc())
        .offset((number - 1) * size)
        .limit(size)
    ).all()
    keys = api_key_names(db, {m.requested_by_api_key_id for m, _, _ in rows})
    return ChangesPage(
        rows=[
            ChangeRow(
                mutation_id=m.id or 0,
                participation_id=m.participation_id,
                participant_number=participant_number or "",
                name=_name(m, person),
                kind=m.kind,
                effective_date=m.effective_date,
                requested_at=m.requested_at,
                requested_by=m.requested_by_name,
                on_behalf_of=m.on_behalf_of,
                status=m.status,
                review_reason=m.review_reason,
                api_key=keys.get(m.requested_by_api_key_id or 0),
            )
            for m, participant_number, person in rows
        ],
        total=total,
        page=number,
        page_size=size,
    )


def _changes(mutation: Mutation) -> list[tuple[str, str, str]]:
    old = json.loads(mutation.old_values or "{}")
    new = json.loads(mutation.new_values or "{}")
    return [(key, str(old.get(key, "")), str(new.get(key, ""))) for key in dict.fromkeys([*old, *new])]


def history(db: Session, principal: Principal | None, participation_id: object) -> list[HistoryRow]:
    """Every change of the participant (the employment behind ``participation_id``), latest effective date
    first and, on the same date, latest request first (MUT-3): who asked when, status and old → new values."""
    p = require(principal, Perm.PARTICIPANTS_VIEW)
    pid = _int(participation_id, 0)
    part = db.get(Participation, pid) if 0 < pid < 2**31 else None
    if part is None:
        raise NoAccess("not_found")
    require_employer(p, part.employer_id, Perm.PARTICIPANTS_VIEW)
    siblings = select(Participation.id).where(Participation.employment_id == part.employment_id)
    mutations = db.exec(
        select(Mutation)
        .where(col(Mutation.participation_id).in_(siblings))
        .order_by(col(Mutation.effective_date).desc(), col(Mutation.requested_at).desc(), col(Mutation.id).desc())
    ).all()
    keys = api_key_names(db, {m.requested_by_api_key_id for m in mutations})
    return [
        HistoryRow(
            mutation_id=m.id or 0,
            kind=m.kind,
            effective_date=m.effective_date,
            requested_at=m.requested_at,
            requested_by=m.requested_by_name,
            on_behalf_of=m.on_behalf_of,
            status=m.status,
            review_reason=m.review_reason,
            reviewed_by=m.reviewed_by_name,
            reviewed_at=m.reviewed_at,
            changes=_changes(m),
            warnings=[w.get("key", "") for w in json.loads(m.warnings or "[]")],
            api_key=keys.get(m.requested_by_api_key_id or 0),
        )
        for m in mutations
    ]


def participant_number(db: Session, principal: Principal | None, mutation_id: object) -> str:
    """The participant number of a change submitted for one of the principal's employers: the number a new
    participant was given ('' while it waits for review; it gets one when an adviser approves it)."""
    mutation = db.get(Mutation, id_of(mutation_id))
    if mutation is None:
        raise NoAccess("not_found")
    require_employer(principal, mutation.employer_id, Perm.MUTATIONS_SUBMIT)
    part = db.get(Participation, mutation.participation_id) if mutation.participation_id is not None else None
    return part.participant_number if part else ""


@dataclass(frozen=True)
class ReviewRow:
    """A change waiting for the adviser's decision (MUT-6), with what it would change."""

    mutation_id: int
    employer_id: int
    employer_name: str
    participant_number: str
    name: str
    kind: str
    effective_date: date
    requested_at: datetime
    requested_by: str
    changes: list[tuple[str, str, str]]  # (field, old, new)
    warnings: list[dict]  # acknowledged plausibility warnings ({'key', 'params'})
    api_key: KeyName | None = None  # sent by a payroll package with this API key (API-1)


def review_queue(db: Session, principal: Principal | None, limit: int = 100) -> list[ReviewRow]:
    """The changes needing review in the adviser's portfolio, oldest request first (INT-1, MUT-6)."""
    from portal.models import Employer

    p = require(principal, Perm.ACT_FOR_EMPLOYER)
    if not p.employer_ids:
        return []
    rows = db.exec(
        select(Mutation, Employer.name, Participation.participant_number, Person)
        .join(Employer, col(Employer.id) == Mutation.employer_id)
        .join(Participation, col(Participation.id) == Mutation.participation_id, isouter=True)
        .join(Person, col(Person.id) == Mutation.person_id, isouter=True)
        .where(Mutation.status == "needs_review", col(Mutation.employer_id).in_(sorted(p.employer_ids)))
        .order_by(col(Mutation.requested_at), col(Mutation.id))
        .limit(max(1, min(limit, 500)))
    ).all()
    keys = api_key_names(db, {m.requested_by_api_key_id for m, _, _, _ in rows})
    return [
        ReviewRow(
            mutation_id=m.id or 0,
            employer_id=m.employer_id,
            employer_name=employer_name,
            participant_number=number or "",
            name=_name(m, person),
            kind=m.kind,
            effective_date=m.effective_date,
            requested_at=m.requested_at,
            requested_by=m.requested_by_name,
            changes=[c for c in _changes(m) if c[0] != "scheme_id"],
            warnings=[w for w in json.loads(m.warnings or "[]") if isinstance(w, dict) and w.get("key")],
            api_key=keys.get(m.requested_by_api_key_id or 0),
        )
        for m, employer_name, number, person in rows
    ]
