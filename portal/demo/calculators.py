"""Illustrative calculator parameters (EE-6) for 2025 and 2026, loaded with the demo data.

Modelled on the Dutch figures of those years but **illustrative only**, not tax advice: wage tax without the
national-insurance part (which is the social contribution, up to the first bracket's end), no tax credits; the
deferral limit, the retirement age and the three return scenarios are round demo values.
"""

from __future__ import annotations

from decimal import Decimal

from sqlmodel import Session

from portal.models import CalculatorTaxBracket, CalculatorYear

NOTE = "Illustratieve demowaarden / illustrative demo figures"

# year: (brackets (income from, rate %), social rate %, social ceiling, deferral limit, retirement age, returns %)
DEMO_YEARS: dict[int, tuple[tuple[tuple[str, str], ...], str, str, str, int, tuple[str, str, str]]] = {
    2025: ((("0", "8.170"), ("38441", "37.480"), ("76817", "49.500")), "27.650", "38441", "6000", 67, ("1", "3", "5")),
    2026: ((("0", "8.050"), ("38883", "37.560"), ("78426", "49.500")), "27.650", "38883", "6000", 67, ("1", "3", "5")),
}


def seed_calculator_years(db: Session) -> None:
    """The demo calculator years with their brackets (flushed, not committed)."""
    for year, (brackets, social, ceiling, limit, age, (low, mid, high)) in DEMO_YEARS.items():
        row = CalculatorYear(
            year=year,
            social_rate=Decimal(social),
            social_ceiling=Decimal(ceiling),
            deferral_limit=Decimal(limit),
            retirement_age=age,
            return_pessimistic=Decimal(low),
            return_neutral=Decimal(mid),
            return_optimistic=Decimal(high),
            source_note=NOTE,
        )
        db.add(row)
        db.flush()
        for start, rate in brackets:
            db.add(CalculatorTaxBracket(calculator_year_id=row.id, income_from=Decimal(start), rate=Decimal(rate)))
    db.flush()
