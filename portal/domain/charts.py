"""What the dashboard charts show (EMP-11): the status, age and salary buckets and the figures of one employer
or scheme. Pure data: ``portal.services.participants.charts`` fills it from SQL aggregates, ``portal.components.charts``
draws it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

STATUSES = ("active", "dormant", "terminated", "retired")
AGE_EDGES = (25, 35, 45, 55, 65)  # buckets: <25, 25–34, 35–44, 45–54, 55–64, 65+
SALARY_EDGES = (30_000, 40_000, 50_000, 60_000, 80_000, 100_000)  # buckets: <30k, 30k–40k, …, 100k+


@dataclass(frozen=True)
class SchemeSeries:
    """One scheme's figures: premium per month (12 values) and, for participants active today, the yearly
    premium and the insured amount."""

    scheme_id: int
    kind: str
    name: str
    months: tuple[Decimal, ...]
    yearly_premium: Decimal
    coverage: Decimal
    coverage_kind: str  # contribution (OP) or accrual (NP); "" when the year has no parameters


@dataclass(frozen=True)
class ChartData:
    """Everything the dashboard charts show, for one employer or one scheme, as of ``today``."""

    today: date
    year: int
    status: dict[str, int]
    age: tuple[int, ...]  # len(AGE_EDGES) + 1 counts
    salary: tuple[int, ...]  # len(SALARY_EDGES) + 1 counts
    schemes: list[SchemeSeries] = field(default_factory=list)
