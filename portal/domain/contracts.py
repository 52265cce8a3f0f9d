"""An employee's contract in words (EE-1): active, passive or ended, and whether an ended one is still shown.

Mapped from the participation's stored status and end date (no other date exists in the model):
``active`` → active (premium still paid), ``dormant`` → passive (no premium, reserves remain), ``terminated``
(reserves transferred or paid out) and ``retired`` (reserves paid out as a pension) → ended. Up to and
including its end date (the last day in service) a participation is still active (``locks.status_on``).
An ended one is shown for six calendar months after its end date, then hidden. Pure: ``today`` is passed in.
"""

from __future__ import annotations

from datetime import date

from portal.domain.dates import add_months
from portal.domain.locks import status_on

ACTIVE, PASSIVE, ENDED = "active", "passive", "ended"
CONTRACT_STATUSES = (ACTIVE, PASSIVE, ENDED)
_IN_WORDS = {"active": ACTIVE, "dormant": PASSIVE, "terminated": ENDED, "retired": ENDED}
ENDED_SHOWN_MONTHS = 6


def contract_status(stored: str, end_date: date | None, today: date) -> str:
    """The contract's status in words on ``today``; ValueError for a stored status the model does not know."""
    shown = status_on(stored, end_date, today)
    try:
        return _IN_WORDS[shown]
    except KeyError:
        raise ValueError(f"unknown participation status {stored!r}") from None


def last_day_shown(end_date: date) -> date:
    """The last day an ended contract is shown: six calendar months after its end date, clipped to the month's
    end (ended 15 May → 15 Nov; ended 31 Aug → 28 or 29 Feb); hidden from the day after."""
    return add_months(end_date, ENDED_SHOWN_MONTHS)


def is_shown(stored: str, end_date: date | None, today: date) -> bool:
    """Whether the employee sees the contract on ``today``: active and passive always; ended ones until
    ``last_day_shown`` (an ended one without an end date has nothing to count from and is not shown)."""
    if contract_status(stored, end_date, today) != ENDED:
        return True
    return end_date is not None and today <= last_day_shown(end_date)
