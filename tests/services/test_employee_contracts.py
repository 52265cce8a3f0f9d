"""My contracts (EE-1, EE-7): the demo employee's participations at the current and the former employer, with
premium and coverage from the employer side's maths; an ended contract shown for six months (time moved, rows
untouched); nobody else's data; nobody but the employee. Demo data: Gijs ter Assob is participant 100001 of the
demo employer (active) and was participant 100007 of the small employer until 2021 (dormant)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from portal.core import clock
from portal.demo.seed import DEMO_EMPLOYER_NAME, LARGE_NAME, SMALL_NAME
from portal.domain.roles import FrontEnd
from portal.models import Employer, Employment, Participation, Person, Scheme
from portal.services import employee
from portal.services.participants.detail import participant_detail
from portal.services.principal import NoAccess, Principal, own_person_ids
from tests.services.employer_fixtures import principal_of

TODAY = date(2026, 11, 1)


@dataclass
class World:
    db: Session
    me: Principal
    person: Person  # the account's own record (demo employer)


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    me = principal_of(db, "employee")
    person = db.get(Person, me.person_id)
    assert person is not None
    return World(db, me, person)


def _employer(db: Session, name: str) -> Employer:
    return db.exec(select(Employer).where(Employer.name == name)).one()


def _ended_job(w: World, end: date, status: str = "terminated", birth: date | None = None) -> Participation:
    """A record of the employee (or, with another ``birth`` date, of someone else with the same BSN) at the
    large employer (another insurer), with an OP participation that ended on ``end``."""
    large = _employer(w.db, LARGE_NAME)
    record = Person(
        employer_id=large.id,
        bsn=w.person.bsn,
        last_name=w.person.last_name,
        initials=w.person.initials,
        birth_date=birth or w.person.birth_date,
    )
    w.db.add(record)
    w.db.flush()
    job = Employment(person_id=record.id, employer_id=large.id, start_date=date(2025, 6, 1), end_date=end)
    w.db.add(job)
    w.db.flush()
    op = w.db.exec(select(Scheme).where(Scheme.employer_id == large.id, Scheme.kind == "OP")).one()
    part = Participation(
        person_id=record.id,
        employment_id=job.id,
        scheme_id=op.id,
        employer_id=large.id,
        participant_number="T-900001",
        status=status,
        start_date=date(2025, 6, 1),
        end_date=end,
    )
    w.db.add(part)
    w.db.commit()
    return part


def test_contracts_at_the_current_and_the_former_employer(w: World) -> None:
    mine = employee.my_contracts(w.db, w.me, TODAY)
    assert mine.as_of == TODAY
    by_employer: dict[str, list[employee.MyContract]] = {}
    for c in mine.contracts:
        by_employer.setdefault(c.employer_name, []).append(c)
    assert set(by_employer) == {DEMO_EMPLOYER_NAME, SMALL_NAME}
    current, former = by_employer[DEMO_EMPLOYER_NAME], by_employer[SMALL_NAME]
    assert {c.status for c in current} == {"active"} and not any(c.former_employer for c in current)
    assert {c.status for c in former} == {"passive"} and all(c.former_employer for c in former)
    assert [c.status for c in mine.contracts] == sorted(
        (c.status for c in mine.contracts), key=("active", "passive", "ended").index
    )
    # active: premium and coverage exactly as the employer's participant detail computes them (MUT-7)
    hr = principal_of(w.db, "employer.hr")
    detail = participant_detail(w.db, hr, current[0].participation_id, as_of=TODAY)
    expected = {p.participation_id: p.coverage for p in detail.participations}
    for c in current:
        cov = expected[c.participation_id]
        assert cov is not None
        assert c.yearly_premium == cov.yearly_premium and isinstance(c.yearly_premium, Decimal)
        assert (c.amount, c.amount_kind, c.pensionable_salary) == (cov.amount, cov.amount_kind, cov.pensionable_salary)
        assert c.contract_number and c.scheme_number and c.insurer_name and c.participant_number == "100001"
    assert {c.scheme_kind for c in current} == {"OP", "NP"}
    # passive: no premium; the coverage shown from the terms of the last day in service
    for c in former:
        assert c.yearly_premium is None
        assert c.end_date == date(2021, 2, 28) and c.pensionable_salary is not None and c.pensionable_salary > 0
        assert (c.amount is not None) == (c.amount_kind == "accrual")


def test_an_ended_contract_is_shown_at_five_months_and_hidden_at_seven(w: World) -> None:
    ended = _ended_job(w, date(2026, 1, 31))
    rows_before = w.db.exec(select(Participation).where(Participation.id == ended.id)).one().model_dump()

    def shown() -> list[employee.MyContract]:
        mine = employee.my_contracts(w.db, w.me, clock.today())
        return [c for c in mine.contracts if c.participation_id == ended.id]

    with clock.frozen(date(2026, 6, 30)):  # five months after
        (c,) = shown()
        assert c.status == "ended" and c.employer_name == LARGE_NAME and c.insurer_name != ""
        assert (c.yearly_premium, c.amount) == (Decimal("0.00"), Decimal("0.00"))
        assert c.shown_until == date(2026, 7, 31)
    with clock.frozen(date(2026, 7, 31)):  # the last day shown
        assert len(shown()) == 1
    with clock.frozen(date(2026, 8, 1)):
        assert shown() == []
    with clock.frozen(date(2026, 8, 31)):  # seven months after
        assert shown() == []
    with clock.frozen(date(2026, 1, 31)):  # the last day in service: still active
        (c,) = shown()
        assert c.status == "active"
    w.db.expire_all()
    assert w.db.exec(select(Participation).where(Participation.id == ended.id)).one().model_dump() == rows_before


def test_a_retired_contract_ends_like_a_terminated_one(w: World) -> None:
    ended = _ended_job(w, date(2026, 9, 30), status="retired")
    (c,) = [c for c in employee.my_contracts(w.db, w.me, TODAY).contracts if c.participation_id == ended.id]
    assert c.status == "ended"


def test_another_persons_data_never_appears(w: World) -> None:
    # the same BSN at the large employer with another birth date: someone else's record (a mistyped BSN)
    theirs = _ended_job(w, date(2030, 1, 1), status="active", birth=date(1970, 1, 1))
    owned = own_person_ids(w.db, w.me)
    mine = employee.my_contracts(w.db, w.me, TODAY)
    ids = {c.participation_id for c in mine.contracts}
    assert theirs.id not in ids
    persons = set(w.db.exec(select(Participation.person_id).where(col(Participation.id).in_(ids))).all())
    assert persons and persons <= owned
    everyone_else = w.db.exec(select(Participation.id).where(col(Participation.person_id).not_in(owned))).all()
    assert not ids & set(everyone_else)


@pytest.mark.parametrize("username", ["employer.hr", "employer.finance", "adviser"])
def test_anyone_but_the_employee_is_refused(w: World, username: str) -> None:
    with pytest.raises(NoAccess):
        employee.my_contracts(w.db, principal_of(w.db, username), TODAY)


def test_refused_without_a_session_or_without_a_person(w: World) -> None:
    with pytest.raises(NoAccess):
        employee.my_contracts(w.db, None, TODAY)
    unlinked = Principal(
        user_id=w.me.user_id,
        username="x",
        display_name="X",
        front_end=FrontEnd.EMPLOYEE,
        roles=w.me.roles,
        person_id=None,
    )
    with pytest.raises(NoAccess):
        employee.my_contracts(w.db, unlinked, TODAY)
    # an employee role presented on another front end is refused too
    elsewhere = Principal(
        user_id=w.me.user_id,
        username=w.me.username,
        display_name="X",
        front_end=FrontEnd.EMPLOYER,
        roles=w.me.roles,
        person_id=w.me.person_id,
    )
    with pytest.raises(NoAccess):
        employee.my_contracts(w.db, elsewhere, TODAY)
