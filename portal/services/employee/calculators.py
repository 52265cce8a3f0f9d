"""The employee's calculators (EE-6): deferred compensation and the projection of the retirement capital, for the
signed-in employee's own active participations in an available-premium (defined-contribution) scheme only.

The figures start from the contracts page's (``my_contracts``: the same MUT-7 maths as the employer side, as of
today): the yearly premium of the participation and the wage of its employment (full-time salary × part-time %).
The tax, social-contribution and return figures are the calculator year's parameters (``calculator_year``), read
for today's year. A participation id from the browser that is not one of the employee's own is NoAccess (the
state audits it); the employee's own one that is not active in such a scheme is a message at the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col, select

from portal.domain import calculators as calc
from portal.domain.contracts import ACTIVE
from portal.domain.premium import HUNDRED, cents
from portal.models import CalculatorTaxBracket, CalculatorYear, Employment, Participation, Person
from portal.services.employee.contracts import my_contracts
from portal.services.errors import FieldError, by_rules
from portal.services.participants.detail import employment_terms
from portal.services.principal import NoAccess, Principal, id_of, own_person_ids
from portal.services.validation import FieldErrors


@dataclass(frozen=True)
class CalcParticipation:
    """An active available-premium participation of the employee: what the calculators start from."""

    participation_id: int
    employer_name: str
    scheme_name: str
    yearly_premium: Decimal
    yearly_wage: Decimal  # full-time salary × part-time %, today
    birth_date: date


@dataclass(frozen=True)
class CalculatorStart:
    """What the page offers: the participations, and the year's parameters (None when the year has none)."""

    today: date
    params: calc.CalculatorYearParams | None
    source_note: str
    participations: tuple[CalcParticipation, ...]


def calculator_params(db: Session, year: int) -> tuple[calc.CalculatorYearParams | None, str]:
    """The calculator parameters of ``year`` and their source note ((None, "") when the year has none)."""
    row = db.exec(select(CalculatorYear).where(CalculatorYear.year == year)).first()
    if row is None:
        return None, ""
    brackets = db.exec(
        select(CalculatorTaxBracket.income_from, CalculatorTaxBracket.rate)
        .where(CalculatorTaxBracket.calculator_year_id == row.id)
        .order_by(col(CalculatorTaxBracket.income_from))
    ).all()
    params = calc.CalculatorYearParams(
        year=row.year,
        brackets=tuple((Decimal(str(start)), Decimal(str(rate))) for start, rate in brackets),
        social_rate=Decimal(str(row.social_rate)),
        social_ceiling=Decimal(str(row.social_ceiling)),
        deferral_limit=Decimal(str(row.deferral_limit)),
        retirement_age=row.retirement_age,
        returns=(
            Decimal(str(row.return_pessimistic)),
            Decimal(str(row.return_neutral)),
            Decimal(str(row.return_optimistic)),
        ),
    )
    return params, row.source_note


def _participations(db: Session, principal: Principal | None, today: date) -> tuple[CalcParticipation, ...]:
    """The employee's active participations whose coverage is the premium saved (available premium, OP)."""
    shown = [
        c
        for c in my_contracts(db, principal, today).contracts
        if c.status == ACTIVE and c.amount_kind == "contribution" and c.yearly_premium is not None
    ]
    out = []
    for c in shown:
        part = db.get(Participation, c.participation_id)
        employment = db.get(Employment, part.employment_id) if part else None
        person = db.get(Person, part.person_id) if part else None
        terms = employment_terms(db, employment, today) if employment else None
        if part is None or person is None or terms is None or c.yearly_premium is None:
            continue
        out.append(
            CalcParticipation(
                participation_id=c.participation_id,
                employer_name=c.employer_name,
                scheme_name=c.scheme_name,
                yearly_premium=c.yearly_premium,
                yearly_wage=cents(Decimal(terms.salary) * Decimal(terms.parttime_pct) / HUNDRED),
                birth_date=person.birth_date,
            )
        )
    return tuple(out)


def calculator_start(db: Session, principal: Principal | None, today: date) -> CalculatorStart:
    """The page's starting point for the signed-in employee (NoAccess for anyone else)."""
    participations = _participations(db, principal, today)
    params, note = calculator_params(db, today.year)
    return CalculatorStart(today=today, params=params, source_note=note, participations=participations)


def calc_participation(
    db: Session, principal: Principal | None, today: date, participation_id: object
) -> CalcParticipation:
    """The participation ``participation_id`` (untrusted) of the employee: NoAccess when it is not theirs, a
    message at the field when it is theirs but not an active available-premium one."""
    pid = id_of(participation_id)
    part = db.get(Participation, pid)
    if part is None or part.person_id not in own_person_ids(db, principal):
        raise NoAccess("out_of_scope")
    found = next((p for p in _participations(db, principal, today) if p.participation_id == pid), None)
    if found is None:
        raise FieldError("participation", "calc.not_available")
    return found


def _params(db: Session, today: date) -> calc.CalculatorYearParams:
    params, _ = calculator_params(db, today.year)
    if params is None:
        raise FieldError("participation", "calc.no_parameters", {"year": today.year})
    return params


def _amounts(*fields: tuple[str, object, bool], params: calc.CalculatorYearParams) -> list[Decimal]:
    """Parse every (field, text, required) amount and check the monthly ones (``amount``, ``extra``) against the
    year's limit; every bad field at once as FieldErrors."""
    values, errors = [], []
    for name, raw, required in fields:
        try:
            value = by_rules(calc.parse_amount, raw, name, required=required)
            if name in ("amount", "extra"):
                by_rules(calc.check_within_limit, name, value, params)
            values.append(value)
        except FieldError as err:
            errors.append(err)
    if errors:
        raise FieldErrors(errors)
    return values


def deferred_compensation(
    db: Session, principal: Principal | None, today: date, participation_id: object, wage: object, amount: object
) -> calc.Deferral:
    """The effect of deferring ``amount`` gross a month out of a yearly wage ``wage`` (both typed) on net pay and
    on the yearly pension contribution of the employee's participation ``participation_id``."""
    chosen = calc_participation(db, principal, today, participation_id)
    params = _params(db, today)
    yearly_wage, monthly = _amounts(("wage", wage, True), ("amount", amount, True), params=params)
    by_rules(calc.check_deferral, yearly_wage, monthly, params)
    return calc.deferral(yearly_wage, monthly, chosen.yearly_premium, params)


def savings_projection(
    db: Session,
    principal: Principal | None,
    today: date,
    participation_id: object,
    extra: object,
    start_capital: object,
) -> calc.Projection:
    """The capital of the employee's participation at the retirement age under the three return scenarios, from
    today's premium plus ``extra`` a month, starting from ``start_capital`` (typed; empty is 0)."""
    chosen = calc_participation(db, principal, today, participation_id)
    params = _params(db, today)
    extra_monthly, start = _amounts(("extra", extra, False), ("start", start_capital, False), params=params)
    return calc.projection(chosen.birth_date, today, chosen.yearly_premium, extra_monthly, start, params)
