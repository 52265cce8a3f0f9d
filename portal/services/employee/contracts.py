"""My contracts (EE-1, EE-7): every participation of the employee's person records, at the current and at
former employers, with its status in words and, as of a day, premium and coverage from the same MUT-7 maths as
the employer's participant detail. Ended ones are left out six months after they ended (``domain.contracts``).

What each status shows: **active** the yearly premium, the pensionable salary and the coverage amount;
**passive** no premium, the pensionable salary on the last day in service and, for an accruing coverage
(partner pension), its amount (a savings coverage's reserve is not in the model: no amount); **ended** nil.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from portal.domain.contracts import ACTIVE, CONTRACT_STATUSES, ENDED, PASSIVE, contract_status, is_shown, last_day_shown
from portal.domain.premium import age_at
from portal.domain.roles import FrontEnd, Perm
from portal.models import Contract, Employer, Employment, Insurer, Participation, Person, Scheme
from portal.services.participants.detail import coverage_from_terms, employment_terms, participation_coverage
from portal.services.principal import Principal, own_person_ids, require

NIL = Decimal("0.00")


@dataclass(frozen=True)
class MyContract:
    """One participation as its employee sees it. Money is Decimal; None means "not shown" (passive premium,
    or a figure that cannot be computed: ``note`` then says why, e.g. ``no_parameters``)."""

    participation_id: int
    status: str  # active, passive, ended
    employer_name: str
    former_employer: bool  # the employment has ended
    insurer_name: str
    contract_number: str
    scheme_kind: str
    scheme_name: str
    scheme_number: str
    participant_number: str
    start_date: date
    end_date: date | None
    shown_until: date | None  # ended ones: the last day the contract is shown
    yearly_premium: Decimal | None
    pensionable_salary: Decimal | None
    amount_kind: str  # contribution, accrual ('' when unknown)
    amount: Decimal | None
    note: str


@dataclass(frozen=True)
class MyContracts:
    """The employee's contracts as of ``as_of``: active first, then passive, then ended; newest first within."""

    as_of: date
    contracts: tuple[MyContract, ...]


def my_contracts(db: Session, principal: Principal | None, today: date) -> MyContracts:
    """Every shown participation of the session's person (all their records, every employer). NoAccess for
    anyone who is not an employee linked to a person; nothing of another person is read."""
    require(principal, Perm.OWN_DATA_VIEW, FrontEnd.EMPLOYEE)
    owned = own_person_ids(db, principal)
    rows = db.exec(
        select(Participation, Scheme, Contract, Insurer, Employer, Employment, Person)
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .join(Insurer, col(Insurer.id) == Contract.insurer_id)
        .join(Employer, col(Employer.id) == Participation.employer_id)
        .join(Employment, col(Employment.id) == Participation.employment_id)
        .join(Person, col(Person.id) == Participation.person_id)
        .where(col(Participation.person_id).in_(sorted(owned)))
    ).all()
    shown = [_contract(db, *row, today) for row in rows if is_shown(row[0].status, row[0].end_date, today)]
    shown.sort(key=lambda c: (CONTRACT_STATUSES.index(c.status), -c.start_date.toordinal(), c.participation_id))
    return MyContracts(as_of=today, contracts=tuple(shown))


def _contract(
    db: Session,
    part: Participation,
    scheme: Scheme,
    contract: Contract,
    insurer: Insurer,
    employer: Employer,
    employment: Employment,
    person: Person,
    today: date,
) -> MyContract:
    status = contract_status(part.status, part.end_date, today)
    premium = salary = amount = None
    kind = note = ""
    if status == ENDED:
        premium, amount = NIL, NIL
    else:
        terms = employment_terms(db, employment, today)  # a former employment: the terms of its last day
        age = age_at(person.birth_date, today)
        if status == ACTIVE:
            cov, note = participation_coverage(db, part, "active", terms, age, today)
        else:
            cov, note = coverage_from_terms(db, part, terms, age, today)
        if cov is not None:
            salary, kind = cov.pensionable_salary, cov.amount_kind
            if status == ACTIVE:
                premium, amount = cov.yearly_premium, cov.amount
            elif status == PASSIVE and kind == "accrual":
                amount = cov.amount
    return MyContract(
        participation_id=part.id or 0,
        status=status,
        employer_name=employer.name,
        former_employer=employment.end_date is not None and employment.end_date < today,
        insurer_name=insurer.name,
        contract_number=contract.number,
        scheme_kind=scheme.kind,
        scheme_name=scheme.name,
        scheme_number=scheme.number,
        participant_number=part.participant_number,
        start_date=part.start_date,
        end_date=part.end_date,
        shown_until=last_day_shown(part.end_date) if status == ENDED and part.end_date else None,
        yearly_premium=premium,
        pensionable_salary=salary,
        amount_kind=kind,
        amount=amount,
        note=note,
    )
