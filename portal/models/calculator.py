"""Yearly parameters of the employee's calculators (EE-6): wage-tax brackets, social contribution, the deferral
limit, the retirement age and the return scenarios. Illustrative figures, kept per calendar year."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.models.base import money_field, pct_field


class CalculatorYear(SQLModel, table=True):
    """One calendar year's calculator parameters (percentages with three decimals, money in cents)."""

    __tablename__ = "calculator_year"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    social_rate: Decimal = pct_field()  # employee social contribution, % of the wage up to the ceiling
    social_ceiling: Decimal = money_field()
    deferral_limit: Decimal = money_field()  # the most that may be deferred in the year
    retirement_age: int
    return_pessimistic: Decimal = pct_field()  # yearly return, %
    return_neutral: Decimal = pct_field()
    return_optimistic: Decimal = pct_field()
    source_note: str = Field(default="", max_length=200)  # e.g. "illustrative demo figures"


class CalculatorTaxBracket(SQLModel, table=True):
    """A wage-tax bracket of a calculator year: ``rate`` % on the yearly wage from ``income_from`` up to the
    next bracket's ``income_from``."""

    __tablename__ = "calculator_tax_bracket"
    __table_args__ = (UniqueConstraint("calculator_year_id", "income_from"),)
    id: int | None = Field(default=None, primary_key=True)
    calculator_year_id: int = Field(foreign_key="calculator_year.id", index=True)
    income_from: Decimal = money_field()
    rate: Decimal = pct_field()
