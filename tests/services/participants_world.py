"""A shared data set for the participant read-side tests: two generated employers, a hand-made
participant ``Assob, G., ter`` and principals of every kind. Expected values are computed here from the
source tables with the rules written out again, independently of ``participant_list``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.db import get_engine
from portal.demo.seed import generate_employer
from portal.domain.dates import add_months
from portal.domain.identifiers import search_key
from portal.domain.roles import FrontEnd
from portal.models import (
    Employment,
    EmploymentVersion,
    Participation,
    Person,
    Relation,
    Scheme,
)
from portal.services.participants import read_table as participant_list
from portal.services.principal import Principal
from tests.conftest import _wipe

TODAY = date(2026, 11, 1)
ASSOB_NUMBER = "2001681"
ASSOB_BSN = "111222333"


@dataclass
class World:
    db: Session
    a: int  # employer ids
    b: int
    a_op: int  # scheme ids
    a_np: int
    b_op: int
    assob_op: int  # participation ids
    assob_np: int
    future_op: int  # starts after TODAY
    hr_a: Principal
    hr_b: Principal
    finance_a: Principal
    group_hr: Principal
    adviser: Principal


def principal(roles: set[str], employers: set[int], front_end: FrontEnd = FrontEnd.EMPLOYER) -> Principal:
    return Principal(
        user_id=7,
        username="tester",
        display_name="Tester",
        front_end=front_end,
        roles=frozenset(roles),
        employer_ids=frozenset(employers),
        office_id=1 if front_end == FrontEnd.INTERMEDIARY else None,
    )


def _scheme(db: Session, employer_id: int, kind: str) -> int:
    return db.exec(select(Scheme.id).where(Scheme.employer_id == employer_id, Scheme.kind == kind)).one()  # type: ignore[return-value]


def _add_assob(db: Session, employer_id: int, op: int, np_: int) -> tuple[int, int, int]:
    """Gijs ter Assob (prefix 'ter', BSN 111222333) with two salary versions, a partner, two children,
    an ended relation and a future one; and a participant who starts after TODAY."""
    now = datetime(2026, 10, 1, tzinfo=UTC)
    person = Person(
        employer_id=employer_id,
        bsn=ASSOB_BSN,
        initials="G.",
        first_name="Gijs",
        name_prefix="ter",
        last_name="Assob",
        birth_date=date(1981, 4, 17),
        gender="M",
        street="Kanaalweg",
        house_number="12",
        postcode="3526 KM",
        city="Utrecht",
        business_email="gijs@example.com",
        private_email="gijs@ziggo.example",
        created_at=now,
    )
    db.add(person)
    db.flush()
    job = Employment(person_id=person.id, employer_id=employer_id, start_date=date(2019, 8, 1))
    db.add(job)
    db.flush()
    db.add_all(
        [
            EmploymentVersion(
                employment_id=job.id,
                valid_from=date(2019, 8, 1),
                valid_to=date(2026, 1, 1),
                recorded_at=now,
                salary=Decimal("50000.00"),
                parttime_pct=Decimal("80.000"),
            ),
            EmploymentVersion(
                employment_id=job.id,
                valid_from=date(2026, 1, 1),
                recorded_at=now,
                salary=Decimal("52242.28"),
                parttime_pct=Decimal("100.000"),
            ),
        ]
    )
    ids = []
    for scheme_id in (op, np_):
        part = Participation(
            person_id=person.id,
            employment_id=job.id,
            scheme_id=scheme_id,
            employer_id=employer_id,
            participant_number=ASSOB_NUMBER,
            policy_number="R0001-2001681",
            start_date=date(2019, 8, 1),
        )
        db.add(part)
        db.flush()
        ids.append(part.id)
    kids = [("child", "", "Noor", date(2016, 3, 2), date(2016, 3, 2), None)]
    kids.append(("child", "", "Sem", date(2019, 9, 9), date(2019, 9, 9), None))
    rels = [
        ("partner", "married", "Eva", date(1983, 1, 5), date(2015, 6, 12), None),
        ("partner", "cohabiting", "Old", date(1980, 1, 1), date(2008, 1, 1), date(2014, 1, 1)),
        ("child", "", "Later", date(2027, 1, 1), date(2027, 1, 1), None),
        *kids,
    ]
    for n, (kind, partner_type, first, born, start, end) in enumerate(rels):
        db.add(
            Relation(
                person_id=person.id,
                kind=kind,
                partner_type=partner_type,
                bsn=f"99999999{n}",
                initials=first[0],
                first_name=first,
                last_name="Assob",
                name_prefix="ter",
                birth_date=born,
                start_date=start,
                end_date=end,
                recorded_at=now,
            )
        )
    newbie = Person(
        employer_id=employer_id,
        bsn="123456782",
        initials="N",
        last_name="Nieuw",
        birth_date=date(1995, 2, 2),
        created_at=now,
    )
    db.add(newbie)
    db.flush()
    later_job = Employment(person_id=newbie.id, employer_id=employer_id, start_date=date(2026, 12, 1))
    db.add(later_job)
    db.flush()
    db.add(
        EmploymentVersion(
            employment_id=later_job.id,
            valid_from=date(2026, 12, 1),
            recorded_at=now,
            salary=Decimal("41000.00"),
            parttime_pct=Decimal("100.000"),
        )
    )
    future = Participation(
        person_id=newbie.id,
        employment_id=later_job.id,
        scheme_id=op,
        employer_id=employer_id,
        participant_number="2009999",
        start_date=date(2026, 12, 1),
    )
    db.add(future)
    db.flush()
    participant_list.refresh_list_row(db, [*ids, future.id], TODAY)
    return ids[0], ids[1], future.id or 0


@pytest.fixture(scope="module")
def world(database: str) -> Iterator[World]:
    """The data set, built once per module and backend; each test works in a rolled-back transaction."""
    _wipe()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(clock, "today", lambda: TODAY)
        with Session(get_engine(), expire_on_commit=False) as db:
            a = generate_employer(db, 1200, name="Groot B.V.", seed=3)
            b = generate_employer(db, 60, name="Ander B.V.", seed=4)
            a_op, a_np, b_op = _scheme(db, a, "OP"), _scheme(db, a, "NP"), _scheme(db, b, "OP")
            assob_op, assob_np, future_op = _add_assob(db, a, a_op, a_np)
            db.commit()
            yield World(
                db=db,
                a=a,
                b=b,
                a_op=a_op,
                a_np=a_np,
                b_op=b_op,
                assob_op=assob_op,
                assob_np=assob_np,
                future_op=future_op,
                hr_a=principal({"hr"}, {a}),
                hr_b=principal({"hr"}, {b}),
                finance_a=principal({"finance"}, {a}),
                group_hr=principal({"hr", "user_management"}, {a, b}),
                adviser=principal({"adviser"}, {a, b}, FrontEnd.INTERMEDIARY),
            )
    _wipe()


@pytest.fixture
def w(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The world with 'today' fixed at TODAY; whatever a test writes is rolled back afterwards."""
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    try:
        yield world
    finally:
        world.db.rollback()


def expected_rows(db: Session, scheme_id: int, day: date) -> list[dict[str, Any]]:
    """The overview of ``scheme_id`` as of ``day``, computed straight from the source tables."""
    rows = db.exec(
        select(Participation, Employment, Person)
        .join(Employment, col(Employment.id) == Participation.employment_id)
        .join(Person, col(Person.id) == Participation.person_id)
        .where(Participation.scheme_id == scheme_id)
    ).all()
    versions: dict[int, list[EmploymentVersion]] = {}
    for v in db.exec(select(EmploymentVersion).where(col(EmploymentVersion.superseded_at).is_(None))).all():
        versions.setdefault(v.employment_id, []).append(v)
    out = []
    for part, job, person in rows:
        if part.start_date > day:
            continue
        ended = part.status in ("terminated", "retired") and part.end_date is not None
        if ended and day > add_months(part.end_date, 6):  # type: ignore[arg-type]
            continue  # retention (EE-1): an ended contract is listed up to six calendar months after its end
        terms_day = job.end_date if job.end_date is not None and job.end_date < day else day
        started = [v for v in versions.get(job.id or 0, []) if v.valid_from <= terms_day]
        latest = max(started, key=lambda v: v.valid_from) if started else None
        out.append(
            {
                "participation_id": part.id,
                "number": part.participant_number,
                "name_key": search_key(f"{person.last_name} {person.initials} {person.name_prefix}"),
                "date_in_service": job.start_date,
                "salary": latest.salary if latest else None,
                "parttime": latest.parttime_pct if latest else None,
                "status": "active" if part.end_date is not None and part.end_date >= day else part.status,
                "person_id": person.id,
                "bsn": person.bsn,
                "last_name": person.last_name,
                "prefix": person.name_prefix,
            }
        )
    return out
