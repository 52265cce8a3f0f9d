"""Premium and coverage maths (MUT-7) from a scheme year's parameters; Decimal throughout, no I/O.

pensionable salary = max(0, min(full-time salary, maximum) − franchise) × part-time % / 100
premium            = premium percentage × pensionable salary, where the percentage is the age band's
                     (staffel) or the scheme year's flat percentage (Dutch pension transition).

The salary is always the **full-time** yearly salary (the part-time % is a separate fact): maximum and
franchise are full-time figures, so the part-time factor applies to the pension base, after the franchise
(full-time € 40.000, 50 %, franchise € 18.475 → (40.000 − 18.475) × 50 % = € 10.762,50).

Every figure is a parameter of the scheme year (never a constant here); the only fixed number is the legal
ceiling of a flat premium (30 %). Intermediate values keep full precision; results are rounded to cents
(ROUND_HALF_UP) only at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MONTHS = Decimal(12)
MAX_FLAT_PERCENTAGE = Decimal(30)  # the law's ceiling for a flat premium (new pension law)
PREMIUM_MODES = ("staffel", "flat")


class PremiumParameterError(ValueError):
    """Scheme-year parameters (or a premium mode) that premiums cannot be computed from.

    ``key`` is a message key for the user interface; ``str(error)`` explains it in English.
    """

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class SchemeYearParams:
    """The premium parameters of one scheme year. ``bands`` are (age_from, age_to, percentage), both ages
    inclusive; percentages are of the pensionable salary (``Decimal("11.700")`` is 11.7 %)."""

    year: int
    max_salary: Decimal
    franchise: Decimal
    bands: tuple[tuple[int, int, Decimal], ...] = ()
    flat_percentage: Decimal | None = None
    accrual_percentage: Decimal | None = None

    def __post_init__(self) -> None:
        if self.max_salary < 0 or self.franchise < 0:
            raise PremiumParameterError("premium.negative_parameter", "maximum and franchise must not be negative")
        if self.flat_percentage is not None and not 0 <= self.flat_percentage <= MAX_FLAT_PERCENTAGE:
            raise PremiumParameterError(
                "premium.flat_above_maximum",
                f"flat premium {self.flat_percentage} % is outside 0..{MAX_FLAT_PERCENTAGE} %",
            )
        if self.accrual_percentage is not None and self.accrual_percentage < 0:
            raise PremiumParameterError("premium.negative_parameter", "accrual percentage must not be negative")
        previous_to = None
        for age_from, age_to, pct in sorted(self.bands):
            if age_from > age_to or pct < 0:
                raise PremiumParameterError("premium.bad_band", f"bad age band {age_from}-{age_to}: {pct} %")
            if previous_to is not None and age_from <= previous_to:
                raise PremiumParameterError("premium.bad_band", f"age band {age_from}-{age_to} overlaps another")
            previous_to = age_to


@dataclass(frozen=True)
class Coverage:
    """What one participation costs and insures in a year, rounded to cents.

    ``amount_kind``: ``contribution`` (defined-contribution retirement pension: the yearly premium is the
    savings contribution) or ``accrual`` (e.g. partner pension: ``accrual_percentage`` of the pensionable
    salary per year of service).
    """

    year: int
    mode: str
    age: int
    pensionable_salary: Decimal
    premium_percentage: Decimal
    yearly_premium: Decimal
    monthly_premium: Decimal
    amount_kind: str
    amount: Decimal


def cents(value: Decimal) -> Decimal:
    """``value`` rounded to cents, half up (the one rounding step)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def age_at(birth_date: date, day: date) -> int:
    """Age in completed years on ``day`` (someone born on 29 February turns a year older on 1 March)."""
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years


def pensionable_salary(salary: Decimal, parttime_pct: Decimal, params: SchemeYearParams) -> Decimal:
    """The pension base of a **full-time** yearly ``salary``: max(0, min(salary, maximum) − franchise) ×
    part-time / 100, unrounded."""
    capped = min(Decimal(salary), params.max_salary)
    return max(Decimal(0), capped - params.franchise) * Decimal(parttime_pct) / HUNDRED


def premium_percentage(params: SchemeYearParams, age: int, mode: str) -> Decimal:
    """The premium percentage for ``age``: the age band's (``staffel``; 0 outside every band, e.g. past the
    retirement age) or the flat percentage (``flat``; an error when the scheme year has none)."""
    if mode == "flat":
        if params.flat_percentage is None:
            raise PremiumParameterError("premium.no_flat_percentage", f"scheme year {params.year} has no flat premium")
        return params.flat_percentage
    if mode != "staffel":
        raise PremiumParameterError("premium.unknown_mode", f"unknown premium mode {mode!r}")
    return next((pct for low, high, pct in params.bands if low <= age <= high), Decimal(0))


def _yearly(salary: Decimal, parttime_pct: Decimal, params: SchemeYearParams, age: int, mode: str) -> Decimal:
    base = pensionable_salary(salary, parttime_pct, params)
    return base * premium_percentage(params, age, mode) / HUNDRED


def yearly_premium(salary: Decimal, parttime_pct: Decimal, params: SchemeYearParams, age: int, mode: str) -> Decimal:
    """The yearly premium in euros, rounded to cents."""
    return cents(_yearly(salary, parttime_pct, params, age, mode))


def monthly_premium(salary: Decimal, parttime_pct: Decimal, params: SchemeYearParams, age: int, mode: str) -> Decimal:
    """A twelfth of the (unrounded) yearly premium, rounded to cents."""
    return cents(_yearly(salary, parttime_pct, params, age, mode) / MONTHS)


def coverage(salary: Decimal, parttime_pct: Decimal, params: SchemeYearParams, age: int, mode: str) -> Coverage:
    """Premium and coverage of one participation. With an accrual percentage in the scheme year (partner
    pension, NP) the coverage is that percentage of the pensionable salary; otherwise (retirement pension on
    available premium, OP) it is the yearly premium, saved for the participant."""
    base = pensionable_salary(salary, parttime_pct, params)
    pct = premium_percentage(params, age, mode)
    yearly = base * pct / HUNDRED
    if params.accrual_percentage is not None:
        kind, amount = "accrual", base * params.accrual_percentage / HUNDRED
    else:
        kind, amount = "contribution", yearly
    return Coverage(
        year=params.year,
        mode=mode,
        age=age,
        pensionable_salary=cents(base),
        premium_percentage=pct,
        yearly_premium=cents(yearly),
        monthly_premium=cents(yearly / MONTHS),
        amount_kind=kind,
        amount=cents(amount),
    )
