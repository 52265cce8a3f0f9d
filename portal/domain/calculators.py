"""The employee's calculators (EE-6): deferred compensation and the projection of a retirement capital. Pure, Decimal.

**Deferred compensation** (bruto-netto-regeling, salary sacrifice): the employee gives up ``amount`` gross a month,
which goes into the pension instead. The yearly taxable wage drops by 12 × amount; wage tax (progressive brackets)
and the employee's social contribution (a rate up to a yearly ceiling) are computed on the wage before and after.
The net pay drops by less than the amount given up: the difference is the tax saved. The yearly pension
contribution grows by 12 × amount. Tax credits (heffingskortingen) are left out.

**Projection** (beschikbare-premieregeling): from a start capital, each year's capital grows by the year's return and
then receives that year's contributions (today's yearly premium plus 12 × the extra monthly contribution), up to the
year in which the retirement age is reached; three return scenarios. Premium and parameters stay as they are today.

Every rate, bracket, ceiling, limit and the retirement age is a parameter of a calculator year
(``CalculatorYearParams``), never a constant here. Intermediate values keep full precision; results are rounded to
cents only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.domain.errors import RuleError
from portal.domain.premium import CENT, HUNDRED, MONTHS, age_at, cents
from portal.domain.validation import parse_number

SCENARIOS = ("pessimistic", "neutral", "optimistic")
AMOUNT_LIMIT = Decimal("10000000")  # any amount typed must stay below this (a yearly salary's limit too)
ZERO = Decimal(0)


class CalculatorParameterError(ValueError):
    """Calculator-year parameters that nothing can be computed from (``key`` is a message key)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class CalculatorYearParams:
    """The illustrative parameters of one calendar year.

    ``brackets``: (income from, rate %) sorted by income, the first from 0: the rate applies to the part of the
    yearly taxable wage from that income up to the next bracket's. ``social_rate`` % of the wage up to
    ``social_ceiling``. ``deferral_limit``: the most that may be deferred in a year. ``returns``: the yearly
    return in % per scenario (``SCENARIOS``). ``retirement_age``: whole years.
    """

    year: int
    brackets: tuple[tuple[Decimal, Decimal], ...]
    social_rate: Decimal
    social_ceiling: Decimal
    deferral_limit: Decimal
    retirement_age: int
    returns: tuple[Decimal, Decimal, Decimal]

    def __post_init__(self) -> None:
        if not self.brackets or self.brackets[0][0] != ZERO:
            raise CalculatorParameterError("calc.bad_parameters", "the first bracket must start at 0")
        previous = Decimal(-1)
        for start, rate in self.brackets:
            if start <= previous or not ZERO <= rate <= HUNDRED:
                raise CalculatorParameterError("calc.bad_parameters", f"bad bracket from {start} at {rate} %")
            previous = start
        if not ZERO <= self.social_rate <= HUNDRED or self.social_ceiling < 0 or self.deferral_limit < 0:
            raise CalculatorParameterError("calc.bad_parameters", "bad social rate, ceiling or deferral limit")
        if not 0 < self.retirement_age < 100:
            raise CalculatorParameterError("calc.bad_parameters", f"bad retirement age {self.retirement_age}")
        if len(self.returns) != len(SCENARIOS) or any(not Decimal(-100) < r <= HUNDRED for r in self.returns):
            raise CalculatorParameterError("calc.bad_parameters", "bad return scenarios")


def wage_tax(yearly_wage: Decimal, params: CalculatorYearParams) -> Decimal:
    """Wage tax on a yearly taxable wage over the brackets (unrounded); nothing on a wage of 0 or less."""
    tax = ZERO
    limits = [start for start, _ in params.brackets[1:]]
    for (start, rate), end in zip(params.brackets, [*limits, None], strict=True):
        if yearly_wage <= start:
            break
        part = yearly_wage - start if end is None else min(yearly_wage, end) - start
        tax += part * rate / HUNDRED
    return tax


def social_contribution(yearly_wage: Decimal, params: CalculatorYearParams) -> Decimal:
    """The employee's social contribution: the rate on the wage up to the ceiling (unrounded)."""
    return max(ZERO, min(yearly_wage, params.social_ceiling)) * params.social_rate / HUNDRED


def net_wage(yearly_wage: Decimal, params: CalculatorYearParams) -> Decimal:
    """The yearly wage less wage tax and social contribution (unrounded)."""
    return yearly_wage - wage_tax(yearly_wage, params) - social_contribution(yearly_wage, params)


@dataclass(frozen=True)
class Deferral:
    """The effect of deferring ``monthly_amount`` gross a month, in cents. Net amounts are per month; the
    ``*_change`` figures are negative for a drop. ``tax_saved_monthly`` = the amount given up less the net drop."""

    year: int
    yearly_wage: Decimal
    monthly_amount: Decimal
    net_monthly_before: Decimal
    net_monthly_after: Decimal
    net_monthly_change: Decimal
    tax_saved_monthly: Decimal
    pension_yearly_extra: Decimal
    pension_yearly_before: Decimal
    pension_yearly_after: Decimal


def deferral(
    yearly_wage: Decimal, monthly_amount: Decimal, pension_yearly: Decimal, params: CalculatorYearParams
) -> Deferral:
    """What deferring ``monthly_amount`` a month does to net pay and to the yearly pension contribution
    (``pension_yearly``: the contribution today). Inputs are checked by ``check_deferral``."""
    yearly_amount = monthly_amount * MONTHS
    before = net_wage(yearly_wage, params) / MONTHS
    after = net_wage(yearly_wage - yearly_amount, params) / MONTHS
    change = after - before
    return Deferral(
        year=params.year,
        yearly_wage=cents(yearly_wage),
        monthly_amount=cents(monthly_amount),
        net_monthly_before=cents(before),
        net_monthly_after=cents(after),
        net_monthly_change=cents(change),
        tax_saved_monthly=cents(monthly_amount + change),
        pension_yearly_extra=cents(yearly_amount),
        pension_yearly_before=cents(pension_yearly),
        pension_yearly_after=cents(pension_yearly + yearly_amount),
    )


def parse_amount(text: object, field: str, *, required: bool = True) -> Decimal:
    """An amount in euros typed by the employee (Dutch or English notation): 0 or more, at most two decimals,
    below ``AMOUNT_LIMIT``. Empty is 0 unless ``required``. RuleError at ``field`` otherwise."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if required:
            raise RuleError(field, "calc.required")
        return ZERO
    value = parse_number(text, grouping=True, max_decimals=2, field=field, key="calc.not_a_number")
    if value < 0:
        raise RuleError(field, "calc.negative")
    if value != value.quantize(CENT):
        raise RuleError(field, "calc.too_many_decimals")
    if value >= AMOUNT_LIMIT:
        raise RuleError(field, "calc.too_high")
    return value.quantize(CENT)


def check_deferral(yearly_wage: Decimal, monthly_amount: Decimal, params: CalculatorYearParams) -> None:
    """The rules of a deferral: a wage above 0; an amount above 0, within the year's limit (12 × amount at
    most ``deferral_limit``) and not more than the monthly wage. RuleError at ``wage`` or ``amount``."""
    if yearly_wage <= 0:
        raise RuleError("wage", "calc.wage_not_positive")
    if monthly_amount <= 0:
        raise RuleError("amount", "calc.amount_not_positive")
    check_within_limit("amount", monthly_amount, params)
    if monthly_amount * MONTHS > yearly_wage:
        raise RuleError("amount", "calc.above_wage")


def check_within_limit(field: str, monthly_amount: Decimal, params: CalculatorYearParams) -> None:
    """12 × ``monthly_amount`` may not exceed the year's deferral limit (an extra contribution is deferred too)."""
    if monthly_amount * MONTHS > params.deferral_limit:
        raise RuleError(field, "calc.above_limit", {"limit": params.deferral_limit, "year": params.year})


@dataclass(frozen=True)
class Scenario:
    """One return scenario: its yearly return (%), the capital at the end of each year (cents, the first point
    being the start: ``ages[i]`` is the age at that moment) and the capital at the retirement age."""

    name: str
    rate: Decimal
    capitals: tuple[Decimal, ...]

    @property
    def final(self) -> Decimal:
        return self.capitals[-1]


@dataclass(frozen=True)
class Projection:
    """The projected capital from ``age`` now to ``retirement_age`` under each scenario (in ``SCENARIOS`` order).
    ``years`` 0: the retirement age is reached (nothing to project)."""

    year: int
    age: int
    retirement_age: int
    years: int
    yearly_contribution: Decimal
    start_capital: Decimal
    total_contributed: Decimal
    ages: tuple[int, ...]
    scenarios: tuple[Scenario, ...]


def years_to_retirement(birth_date: date, today: date, retirement_age: int) -> int:
    """Whole years from ``today`` until the retirement age is reached (0 when it has been)."""
    return max(0, retirement_age - age_at(birth_date, today))


def projection(
    birth_date: date,
    today: date,
    yearly_premium: Decimal,
    extra_monthly: Decimal,
    start_capital: Decimal,
    params: CalculatorYearParams,
) -> Projection:
    """The capital at the retirement age under each return scenario: capital(n+1) = capital(n) × (1 + r) +
    contributions, with contributions = ``yearly_premium`` + 12 × ``extra_monthly`` each year."""
    if yearly_premium < 0 or extra_monthly < 0 or start_capital < 0:
        raise ValueError("premium, extra contribution and start capital must not be negative")
    age = age_at(birth_date, today)
    years = years_to_retirement(birth_date, today, params.retirement_age)
    contribution = yearly_premium + extra_monthly * MONTHS
    scenarios = []
    for name, rate in zip(SCENARIOS, params.returns, strict=True):
        capital = start_capital
        points = [cents(capital)]
        for _ in range(years):
            capital = capital * (1 + rate / HUNDRED) + contribution
            points.append(cents(capital))
        scenarios.append(Scenario(name=name, rate=rate, capitals=tuple(points)))
    return Projection(
        year=params.year,
        age=age,
        retirement_age=params.retirement_age,
        years=years,
        yearly_contribution=cents(contribution),
        start_capital=cents(start_capital),
        total_contributed=cents(contribution * years),
        ages=tuple(range(age, age + years + 1)),
        scenarios=tuple(scenarios),
    )
