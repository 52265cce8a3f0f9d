"""The calculators' service (EE-6) on the demo data: the demo employee's own active available-premium
participation with today's premium and wage, the year's parameters from ``calculator_year``, typed amounts
checked at their fields, and nobody else's participation (another person's id, a bad id, another front end)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from portal.domain import calculators as calc
from portal.models import CalculatorTaxBracket, CalculatorYear, Participation, Person, Scheme
from portal.services import employee
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, own_person_ids
from portal.services.validation import errors_of
from tests.services.employer_fixtures import principal_of

TODAY = date(2026, 11, 1)


@pytest.fixture
def start(db: Session, demo_data: None) -> employee.CalculatorStart:
    return employee.calculator_start(db, principal_of(db, "employee"), TODAY)


def test_the_start_is_the_employees_active_op_with_the_contracts_pages_premium(
    db: Session, start: employee.CalculatorStart
) -> None:
    me = principal_of(db, "employee")
    contracts = employee.my_contracts(db, me, TODAY).contracts
    expected = [c for c in contracts if c.status == "active" and c.amount_kind == "contribution"]
    assert [p.participation_id for p in start.participations] == [c.participation_id for c in expected]
    assert len(start.participations) == 1  # the OP at the demo employer; the NP accrues, the old job is passive
    chosen, contract = start.participations[0], expected[0]
    assert chosen.yearly_premium == contract.yearly_premium and chosen.yearly_premium > 0
    part = db.get(Participation, chosen.participation_id)
    assert part is not None and part.person_id in own_person_ids(db, me)
    assert db.get(Scheme, part.scheme_id).kind == "OP"  # type: ignore[union-attr]
    assert chosen.yearly_wage > 0
    assert start.params is not None and start.params.year == 2026 and start.params.retirement_age == 67
    assert start.params.brackets[0] == (Decimal("0.00"), Decimal("8.050"))
    assert "llustrati" in start.source_note


def test_a_year_without_parameters_has_none(db: Session, start: employee.CalculatorStart) -> None:
    row = db.exec(select(CalculatorYear).where(CalculatorYear.year == 2026)).one()
    for bracket in db.exec(select(CalculatorTaxBracket).where(CalculatorTaxBracket.calculator_year_id == row.id)):
        db.delete(bracket)
    db.delete(row)
    db.commit()
    me = principal_of(db, "employee")
    assert employee.calculator_start(db, me, TODAY).params is None
    pid = start.participations[0].participation_id
    for call in (employee.deferred_compensation, employee.savings_projection):
        with pytest.raises(FieldError) as err:
            call(db, me, TODAY, pid, "40000", "100")
        assert (err.value.field, err.value.key, err.value.params) == (
            "participation",
            "calc.no_parameters",
            {"year": 2026},
        )


def test_deferred_compensation_uses_the_years_parameters_from_the_database(
    db: Session, start: employee.CalculatorStart
) -> None:
    me = principal_of(db, "employee")
    pid = start.participations[0].participation_id
    result = employee.deferred_compensation(db, me, TODAY, str(pid), "50.000,00", "200")
    expected = calc.deferral(Decimal(50000), Decimal(200), start.participations[0].yearly_premium, start.params)  # type: ignore[arg-type]
    assert result == expected
    # 50,000 is in the second bracket of 2026 (37.56 %) above the social ceiling: 2,400 a year less costs 62.44 %
    assert result.net_monthly_change == Decimal("-124.88") and result.pension_yearly_extra == Decimal("2400.00")
    # change the year's rate in the database: the result follows (not a constant in code)
    row = db.exec(select(CalculatorYear).where(CalculatorYear.year == 2026)).one()
    row.social_ceiling = Decimal("100000")
    db.add(row)
    db.commit()
    again = employee.deferred_compensation(db, me, TODAY, pid, "50000", "200")
    assert again.net_monthly_change == Decimal("-124.88") - Decimal("-55.30")  # 27.65 % more saved


def test_bad_amounts_are_messages_at_their_fields_all_at_once(db: Session, start: employee.CalculatorStart) -> None:
    me = principal_of(db, "employee")
    pid = start.participations[0].participation_id
    with pytest.raises(FieldError) as err:
        employee.deferred_compensation(db, me, TODAY, pid, "", "-5")
    assert {(e.field, e.key) for e in errors_of(err.value)} == {("wage", "calc.required"), ("amount", "calc.negative")}
    for amount, key in (("0", "calc.amount_not_positive"), ("501", "calc.above_limit"), ("abc", "calc.not_a_number")):
        with pytest.raises(FieldError) as err:
            employee.deferred_compensation(db, me, TODAY, pid, "40000", amount)
        assert (err.value.field, err.value.key) == ("amount", key)
    with pytest.raises(FieldError) as err:
        employee.savings_projection(db, me, TODAY, pid, "600", "-1")
    assert {(e.field, e.key) for e in errors_of(err.value)} == {
        ("extra", "calc.above_limit"),
        ("start", "calc.negative"),
    }
    with pytest.raises(FieldError) as err:
        employee.savings_projection(db, me, TODAY, pid, "600", "")
    assert (err.value.field, err.value.key) == ("extra", "calc.above_limit")


def test_projection_from_todays_premium(db: Session, start: employee.CalculatorStart) -> None:
    me = principal_of(db, "employee")
    chosen = start.participations[0]
    result = employee.savings_projection(db, me, TODAY, chosen.participation_id, "", "")
    assert result.start_capital == 0 and result.yearly_contribution == chosen.yearly_premium
    assert result.ages[0] == result.age and result.ages[-1] == 67
    more = employee.savings_projection(db, me, TODAY, chosen.participation_id, "100", "10.000")
    assert more.yearly_contribution == chosen.yearly_premium + 1200 and more.start_capital == 10000
    assert all(m.final > r.final for m, r in zip(more.scenarios, result.scenarios, strict=True))


def test_someone_elses_participation_is_refused(db: Session, start: employee.CalculatorStart) -> None:
    me = principal_of(db, "employee")
    owned = own_person_ids(db, me)
    other = db.exec(
        select(Participation).where(col(Participation.person_id).not_in(owned), Participation.status == "active")
    ).first()
    assert other is not None
    for call in (employee.deferred_compensation, employee.savings_projection):
        with pytest.raises(NoAccess) as err:
            call(db, me, TODAY, other.id, "40000", "100")
        assert err.value.reason == "out_of_scope"
        for bad in ("abc", -1, None, True, 99999999):
            with pytest.raises(NoAccess):
                call(db, me, TODAY, bad, "40000", "100")


def test_an_own_participation_that_is_not_active_is_a_field_message(
    db: Session, start: employee.CalculatorStart
) -> None:
    me = principal_of(db, "employee")
    passive = db.exec(
        select(Participation).where(
            col(Participation.person_id).in_(own_person_ids(db, me)), Participation.status == "dormant"
        )
    ).first()
    assert passive is not None
    with pytest.raises(FieldError) as err:
        employee.deferred_compensation(db, me, TODAY, passive.id, "40000", "100")
    assert (err.value.field, err.value.key) == ("participation", "calc.not_available")


@pytest.mark.parametrize("username", ["employer.hr", "adviser"])
def test_nobody_but_an_employee(db: Session, demo_data: None, username: str) -> None:
    other = principal_of(db, username)
    pid = db.exec(select(Participation.id).limit(1)).one()
    with pytest.raises(NoAccess):
        employee.calculator_start(db, other, TODAY)
    with pytest.raises(NoAccess):
        employee.deferred_compensation(db, other, TODAY, pid, "40000", "100")
    with pytest.raises(NoAccess):
        employee.savings_projection(db, other, TODAY, pid, "", "")
    assert db.exec(select(Person).limit(1)).first() is not None
