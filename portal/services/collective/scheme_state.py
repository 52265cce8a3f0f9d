"""A scheme's participants as the collective rules need them on one day: status, terms and the versions a change
slots into, read in one query by the same as-of view as the overview."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import null
from sqlmodel import Session, col, select

from portal.core.sql import fetch, fetch_columns, in_ids
from portal.domain import bulk as rules
from portal.domain.effective import Version
from portal.domain.locks import status_on
from portal.models import (
    Employment,
    EmploymentVersion,
    Participation,
    Person,
)


# ------------------------------------------------------------------------------------------- loading
@dataclass
class SchemeState:
    """The scheme's participants as the rules need them on one day, plus the versions changes slot into."""

    current: dict[str, rules.Current]
    covers: dict[int, tuple[int, bool]]  # employment id → (live version valid on the day, it is the last one)
    person_of: dict[int, int]  # participation id → person id
    names: dict[str, tuple[str, date]]  # number → (display name, birth date); only with ``people``
    emails: dict[str, tuple[int, str]]  # number → (person id, business e-mail); only with ``people``


def load_scheme(db: Session, scheme_id: int, day: date, people: bool = True) -> SchemeState:
    """Every participation of ``scheme_id`` with its status and terms on ``day``: one query, the terms
    resolved in SQL by the same as-of view as the overview and the export (``participants.as_of_view``),
    with the version that holds them (``covers``: a change slots into it). ``people=False`` leaves out
    names, birth dates and e-mail addresses (the salary check needs none of them). Read at the driver
    level with SQLAlchemy's own conversions (``core.sql.fetch``)."""
    from portal.models import ParticipantListRow as L
    from portal.services.participants.overview import as_of_view

    view = as_of_view(scheme_id, day, listed=people)
    version = view.salary.table
    columns: list[Any] = [
        Participation.id,
        Participation.participant_number,
        Participation.employment_id,
        Participation.person_id,
        Participation.status,
        Participation.start_date,
        Participation.end_date,
        Employment.start_date,
        Employment.end_date,
        view.salary,
        view.parttime,
        version.c.id,
        version.c.valid_to,
    ]
    source = view.source
    if people:
        columns += [L.name, Person.birth_date, Person.business_email]
        source = source.join(Person, col(Person.id) == Participation.person_id)
    else:
        columns += [null(), null(), null()]
    query = select(*columns).select_from(source).where(Participation.scheme_id == scheme_id)
    columns = fetch_columns(db.connection(), query.order_by(Participation.participant_number))
    state = SchemeState({}, {}, {}, {}, {})
    current, covers, person_of, names, emails = state.current, state.covers, state.person_of, state.names, state.emails
    Current = rules.Current
    for pid, number, eid, person_id, status, p_start, p_end, e_start, e_end, sal, pt, vid, v_to, *more in zip(
        *columns, strict=True
    ):
        if vid is not None:
            covers[eid] = (vid, v_to is None)
        shown = status_on(status, p_end, day) if p_start <= day else "future"
        current[number] = Current(pid, eid, shown, sal, pt, e_start, e_end)
        person_of[pid] = person_id
        if people:
            name, birth, email = more
            names[number] = (name, birth)
            emails[number] = (person_id, email or "")
    return state


def live_versions(db: Session, employment_ids: list[int]) -> dict[int, list[Version]]:
    """The live (not superseded) versions of ``employment_ids``, per employment in date order (``ref`` = id)."""
    versions: dict[int, list[Version]] = defaultdict(list)
    ids = sorted(set(employment_ids))
    for i in range(0, len(ids), 2_000):
        query = (
            select(
                EmploymentVersion.id,
                EmploymentVersion.employment_id,
                EmploymentVersion.valid_from,
                EmploymentVersion.valid_to,
                EmploymentVersion.recorded_at,
                EmploymentVersion.salary,
                EmploymentVersion.parttime_pct,
            )
            .where(in_ids(EmploymentVersion.employment_id, ids[i : i + 2_000]))
            .where(col(EmploymentVersion.superseded_at).is_(None))
            .order_by(EmploymentVersion.employment_id, EmploymentVersion.valid_from)
        )
        for vid, eid, start, end, recorded, salary, pt in fetch(db.connection(), query):
            versions[eid].append(Version(start, end, recorded, {"salary": salary, "parttime_pct": pt}, ref=vid))
    return versions
