"""Shared column helpers: money as Numeric, timestamps in UTC."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Column, Numeric
from sqlmodel import Field


def money_field(nullable: bool = False, default: Decimal | None = None) -> Decimal:  # type: ignore[return]
    """A Decimal column with two decimals (euros and cents)."""
    return Field(default=default, sa_column=Column(Numeric(14, 2), nullable=nullable))


def pct_field(nullable: bool = False, default: Decimal | None = None) -> Decimal:  # type: ignore[return]
    """A Decimal percentage column with three decimals (e.g. 100.000 or 27.125)."""
    return Field(default=default, sa_column=Column(Numeric(7, 3), nullable=nullable))
