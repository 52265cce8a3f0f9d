"""Rules of the intermediary's portfolio dashboard (INT-1): premiums as exact integers (the form the dashboard's
SQL sums) and their rounding to cents, which employer needs attention, the top of a ranking with the rest in one, and
the weeks of the changes chart. Pure: no I/O, no clock (``today`` is passed in).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

# Integer scales of the stored figures: money in cents, percentages (part-time, premium) in thousandths of a
# percent (three decimals, as stored). A premium is base × part-time/100 × percentage/100, so in cents it is
# base cents × milli-part-time × milli-percentage / (1000 × 100 × 1000 × 100): exact in integers.
PREMIUM_DIVISOR = 1000 * 100 * 1000 * 100
WEEKS = 12
BATCH_FAILED = ("failed",)
BATCH_WAITING = ("validating", "ready", "queued", "processing")  # not finished: checked, to apply, or running


def to_cents(amount: Decimal) -> int:
    """A money amount with at most two decimals as whole cents."""
    return int(Decimal(amount).scaleb(2).to_integral_value())


def to_milli(percentage: Decimal) -> int:
    """A percentage with at most three decimals in thousandths of a percent (``Decimal("50.000")`` → 50000)."""
    return int(Decimal(percentage).scaleb(3).to_integral_value())


def weighted_base(salary_cents: int, parttime_milli: int, max_cents: int, franchise_cents: int) -> int:
    """MUT-7's pension base of one participation as an exact integer: max(0, min(salary, maximum) − franchise) in
    cents × part-time in thousandths of a percent (the dashboard's SQL sums these per age band)."""
    return max(0, min(salary_cents, max_cents) - franchise_cents) * parttime_milli


def premium_cents(weighted_premiums: int) -> int:
    """A sum of weighted bases × premium percentages (thousandths of a percent) as euro cents, rounded half up:
    the exact sum of MUT-7's yearly premiums, rounded once."""
    return (weighted_premiums + PREMIUM_DIVISOR // 2) // PREMIUM_DIVISOR


def needs_attention(reviews_waiting: int, batches_failed: int, tasks_overdue: int = 0) -> bool:
    """An employer needs the adviser when changes wait for review, a collective batch failed or a task about it
    is overdue."""
    return reviews_waiting > 0 or batches_failed > 0 or tasks_overdue > 0


@dataclass(frozen=True)
class Ranked:
    """One bar of a "top N and the rest" chart: a label (None for the rest) and its value."""

    label: str | None
    value: Decimal | int
    count: int = 1  # how many items the bar stands for (more than one for the rest)


def top_with_rest(items: Sequence[tuple[str, Decimal | int]], n: int = 10) -> list[Ranked]:
    """The ``n`` largest items by value (ties by label), then one bar with the sum of the others (left out when
    there are none)."""
    ordered = sorted(items, key=lambda item: (-item[1], item[0]))
    top = [Ranked(label, value) for label, value in ordered[:n]]
    rest = ordered[n:]
    if rest:
        top.append(Ranked(None, sum((value for _label, value in rest), type(rest[0][1])(0)), len(rest)))
    return top


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last ``weeks`` weeks, oldest first, the current week (the one holding ``today``) last."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


@dataclass(frozen=True)
class StatusBar:
    """One employer's (or, with ``label`` None, the other ``count`` employers') persons per status."""

    label: str | None
    status: dict[str, int]
    count: int = 1


@dataclass(frozen=True)
class TaskBar:
    """One adviser's open tasks by status (``name`` empty: the tasks of nobody)."""

    name: str
    status: dict[str, int]


@dataclass(frozen=True)
class PortfolioCharts:
    """The figures of the dashboard's three charts, as of ``today``."""

    today: date
    premium: list[Ranked]  # euros per employer, the largest first, then the rest
    status: list[StatusBar]
    weeks: list[date]  # the Mondays, oldest first
    submitted: list[int]  # per week
    processed: list[int]
    tasks: list[TaskBar] = field(default_factory=list)  # the office's open tasks per adviser, most first
