"""The world of the task tests: the demo office with its adviser and a second adviser (for the check), and a
second office with its own employer and adviser (for the office separation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.domain.roles import FrontEnd, Role
from portal.models import (
    AuditEvent,
    Employer,
    IntermediaryOffice,
    Participation,
    RoleGrant,
    Scheme,
    Task,
    TaskComment,
    UserAccount,
)
from portal.services.principal import Principal

TODAY = date(2026, 11, 1)


@dataclass
class World:
    office_id: int
    employer_id: int
    small_id: int
    adviser: Principal  # the demo adviser (Anouk van Leeuwen)
    colleague: Principal  # a second adviser of the same office
    other: Principal  # an adviser of another office
    other_employer_id: int
    hr: Principal  # an employer user of the demo employer
    part: Participation  # participant 100001 (OP) of the demo employer


def adviser_account(db: Session, username: str, name: str, office_id: int, employer_ids: frozenset[int]) -> Principal:
    user = UserAccount(username=username, email=f"{username}@office.example", display_name=name, status="active")
    db.add(user)
    db.flush()
    assert user.id is not None
    db.add(RoleGrant(user_id=user.id, role=Role.ADVISER, office_id=office_id))
    db.flush()
    return Principal(
        user_id=user.id,
        username=username,
        display_name=name,
        front_end=FrontEnd.INTERMEDIARY,
        roles=frozenset({Role.ADVISER}),
        employer_ids=employer_ids,
        office_id=office_id,
    )


@pytest.fixture(name="world")
def world_fixture(db: Session, demo_data: None) -> World:
    """The demo data without its demo tasks (tested in test_demo): these tests count the tasks they make."""
    db.exec(delete(TaskComment))  # type: ignore[call-overload]
    db.exec(delete(Task))  # type: ignore[call-overload]
    db.commit()
    employers = {e.name: e for e in db.exec(select(Employer)).all()}
    demo = employers[DEMO_EMPLOYER_NAME]
    assert demo.id is not None and demo.office_id is not None
    portfolio = frozenset(e.id for e in employers.values() if e.id is not None and e.office_id == demo.office_id)
    user = db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one()
    assert user.id is not None
    adviser = Principal(
        user_id=user.id,
        username="adviser",
        display_name=user.display_name,
        front_end=FrontEnd.INTERMEDIARY,
        roles=frozenset({Role.ADVISER}),
        employer_ids=portfolio,
        office_id=demo.office_id,
    )
    colleague = adviser_account(db, "colleague", "Bram Colleague", demo.office_id, portfolio)
    office = IntermediaryOffice(name="Zuidkade Advies", kvk_number="87654321")
    db.add(office)
    db.flush()
    assert office.id is not None
    theirs = Employer(name="Zuidkade Bouw", kvk_number="11223344", office_id=office.id)
    db.add(theirs)
    db.flush()
    assert theirs.id is not None
    other = adviser_account(db, "other.adviser", "Olga Other", office.id, frozenset({theirs.id}))
    hr_user = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
    hr = Principal(
        user_id=hr_user.id or 0,
        username="employer.hr",
        display_name=hr_user.display_name,
        front_end=FrontEnd.EMPLOYER,
        roles=frozenset({Role.HR}),
        employer_ids=frozenset({demo.id}),
    )
    part = db.exec(
        select(Participation)
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .where(Participation.employer_id == demo.id, Participation.participant_number == "100001", Scheme.kind == "OP")
    ).one()
    db.commit()
    small = employers[SMALL_NAME].id
    assert small is not None
    return World(demo.office_id, demo.id, small, adviser, colleague, other, theirs.id, hr, part)


def counts(db: Session) -> tuple[int, int, int, int]:
    """Tasks, comments, the sum of lock versions and audit events: what a refused use case must not change (its
    refusal is audited by the caller, the common way: ``usecase.run(..., deny=...)``)."""
    return (
        db.exec(select(func.count()).select_from(Task)).one(),
        db.exec(select(func.count()).select_from(TaskComment)).one(),
        db.exec(select(func.coalesce(func.sum(Task.lock_version), 0))).one(),
        db.exec(select(func.count()).select_from(AuditEvent)).one(),
    )
