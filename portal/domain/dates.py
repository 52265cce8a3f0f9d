"""Calendar arithmetic and the date windows of mutations (MUT-1, MUT-6). Pure: ``today`` is passed in."""

from __future__ import annotations

import calendar
from datetime import date

FUTURE_MONTHS = 3  # individual changes and new participants: at most three months ahead (MUT-1)
COLLECTIVE_BACK_MONTHS = 3  # a collective new-participant file: from three months back (MUT-1)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (negative goes back), clipped to the month's end: 31 Jan + 1 = 28/29 Feb."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def check_future_window(effective: date, today: date, months: int = FUTURE_MONTHS) -> str | None:
    """``'date_too_far_ahead'`` when ``effective`` is after today + ``months`` (that day itself is allowed)."""
    return "date_too_far_ahead" if effective > add_months(today, months) else None


def check_collective_new_window(effective: date, today: date) -> str | None:
    """A collective new-participant start date: from today − 3 months to today + 3 months, both included."""
    if effective < add_months(today, -COLLECTIVE_BACK_MONTHS):
        return "date_too_far_back"
    return check_future_window(effective, today)


def is_retroactive(effective: date, today: date) -> bool:
    """Whether a change takes effect before today (it is slotted into the history, MUT-3)."""
    return effective < today


def needs_retro_review(effective: date, today: date, months: int) -> bool:
    """Whether a change reaches further back than the scheme allows without review (MUT-6).

    Exactly ``months`` back is still fine; one day more needs review. ``months`` <= 0 means every
    retroactive change needs review.
    """
    return effective < add_months(today, -max(months, 0))
