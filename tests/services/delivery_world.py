"""A small world for the delivery tests and the delivery benchmark: an office with an employer in its portfolio
and one of another office, one insurer (code ``ti``) with a contract and a scheme per employer, ``n``
participations, and outbox messages written directly (``messages``), with core INSERTs so that 50,000 take
seconds. An adviser's principal of the office."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import insert, select
from sqlmodel import Session

from portal.core import clock
from portal.domain.roles import FrontEnd, Role
from portal.models import (
    Contract,
    Employer,
    Employment,
    Insurer,
    IntermediaryOffice,
    OutboxMessage,
    Participation,
    Person,
    RoleGrant,
    Scheme,
    UserAccount,
)
from portal.services.principal import Principal


@dataclass
class World:
    office_id: int
    employer_id: int
    scheme_id: int
    insurer_id: int
    participations: list[int]
    foreign_employer_id: int
    foreign_scheme_id: int
    foreign_participations: list[int]
    adviser: Principal


def _employer(db: Session, office_id: int, name: str, kvk: str, insurer_id: int, contract: str) -> tuple[int, int]:
    employer = Employer(name=name, kvk_number=kvk, office_id=office_id)
    db.add(employer)
    db.flush()
    c = Contract(employer_id=employer.id, insurer_id=insurer_id, number=contract, start_date=date(2016, 1, 1))
    db.add(c)
    db.flush()
    scheme = Scheme(contract_id=c.id, employer_id=employer.id, kind="OP", number="01", name="Pensioen")
    db.add(scheme)
    db.flush()
    assert employer.id is not None and scheme.id is not None
    return employer.id, scheme.id


def _people(db: Session, employer_id: int, scheme_id: int, n: int, first_bsn: int) -> list[int]:
    """``n`` persons, each with an employment and a participation in ``scheme_id`` (core INSERTs)."""
    if n <= 0:
        return []
    conn = db.connection()
    now = clock.now()
    conn.execute(
        insert(Person.__table__),  # type: ignore[arg-type]
        [
            {
                "employer_id": employer_id,
                "bsn": f"{first_bsn + i:09d}",
                "initials": "A.",
                "first_name": "",
                "name_prefix": "",
                "last_name": f"Deelnemer{i}",
                "birth_date": date(1980, 1, 1) + timedelta(days=i % 5000),
                "gender": "U",
                "nationality": "NL",
                "street": "",
                "house_number": "",
                "postcode": "",
                "city": "",
                "country": "NL",
                "foreign_address": "",
                "business_email": "",
                "private_email": "",
                "created_at": now,
            }
            for i in range(n)
        ],
    )
    persons = list(
        conn.execute(select(Person.id).where(Person.employer_id == employer_id).order_by(Person.id)).scalars()
    )
    conn.execute(
        insert(Employment.__table__),  # type: ignore[arg-type]
        [{"person_id": p, "employer_id": employer_id, "start_date": date(2020, 1, 1)} for p in persons],
    )
    jobs = dict(
        conn.execute(select(Employment.person_id, Employment.id).where(Employment.employer_id == employer_id)).all()
    )
    conn.execute(
        insert(Participation.__table__),  # type: ignore[arg-type]
        [
            {
                "person_id": p,
                "employment_id": jobs[p],
                "scheme_id": scheme_id,
                "employer_id": employer_id,
                "participant_number": f"P{i:07d}",
                "policy_number": f"POL{i:07d}",
                "status": "active",
                "start_date": date(2020, 1, 1),
            }
            for i, p in enumerate(persons)
        ],
    )
    return list(
        conn.execute(
            select(Participation.id).where(Participation.scheme_id == scheme_id).order_by(Participation.id)
        ).scalars()
    )


def build(db: Session, n: int = 6, foreign: int = 2) -> World:
    """The world, committed."""
    office = IntermediaryOffice(name="Koppel Advies", kvk_number="12340000")
    other = IntermediaryOffice(name="Ander Kantoor", kvk_number="12349999")
    insurer = Insurer(code="ti", name="Test Insurer N.V.")
    db.add_all([office, other, insurer])
    db.flush()
    assert office.id is not None and other.id is not None and insurer.id is not None
    employer_id, scheme_id = _employer(db, office.id, "Koppel B.V.", "55550001", insurer.id, "1013376")
    foreign_id, foreign_scheme = _employer(db, other.id, "Elders B.V.", "55550002", insurer.id, "2013301")
    parts = _people(db, employer_id, scheme_id, n, 100_000_000)
    foreign_parts = _people(db, foreign_id, foreign_scheme, foreign, 200_000_000)
    user = UserAccount(
        username=f"adviser-{uuid.uuid4().hex[:6]}", display_name="A. Dviser", email="a@koppel.example", status="active"
    )
    db.add(user)
    db.flush()
    db.add(RoleGrant(user_id=user.id or 0, role=Role.ADVISER.value, office_id=office.id))
    db.commit()
    adviser = Principal(
        user_id=user.id or 0,
        username=user.username,
        display_name=user.display_name,
        front_end=FrontEnd.INTERMEDIARY,
        roles=frozenset({Role.ADVISER.value}),
        employer_ids=frozenset({employer_id}),
        office_id=office.id,
    )
    return World(
        office.id, employer_id, scheme_id, insurer.id, parts, foreign_id, foreign_scheme, foreign_parts, adviser
    )


def messages(
    db: Session, w: World, participations: list[int], per_participation: int = 1, employer_id: int | None = None
) -> list[int]:
    """Outbox messages (salary changes): ``per_participation`` for each participation, written round-robin so that
    a participation's messages are interleaved with the others' (committed); their ids in order."""
    employer = employer_id or w.employer_id
    scheme = w.scheme_id if employer == w.employer_id else w.foreign_scheme_id
    now = clock.now()
    rows = []
    for k in range(per_participation):
        for part in participations:
            rows.append(
                {
                    "insurer_id": w.insurer_id,
                    "employer_id": employer,
                    "scheme_id": scheme,
                    "participation_id": part,
                    "mutation_id": None,
                    "batch_id": None,
                    "kind": "salary",
                    "payload": json.dumps({"salary": f"{50000 + k}.00", "effective_date": "2026-01-01", "seq": k}),
                    "idempotency_key": uuid.uuid4().hex,
                    "status": "waiting",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                    "sent_at": None,
                    "last_error": "",
                    "insurer_reference": "",
                }
            )
    first = db.connection().execute(select(OutboxMessage.id).order_by(OutboxMessage.id.desc()).limit(1)).scalar() or 0  # type: ignore[union-attr]
    db.connection().execute(insert(OutboxMessage.__table__), rows)  # type: ignore[arg-type]
    db.commit()
    ids = list(
        db.connection()
        .execute(select(OutboxMessage.id).where(OutboxMessage.id > first).order_by(OutboxMessage.id))
        .scalars()
    )
    db.commit()
    return ids
