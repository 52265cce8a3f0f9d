"""Retention rules (data protection): when an ended contract leaves the employer's overview, and how long the
audit trail is kept. Pure: ``today`` and the periods are passed in (the periods come from the settings,
``PORTAL_RETENTION_ENDED_MONTHS`` and ``PORTAL_AUDIT_RETENTION_YEARS``).

Sources: an ended contract is shown for six months after it ended, then hidden (SPEC EE-1; the Vivium seed:
"Een contract kan … geraadpleegd worden tot zes maanden nadat het beëindigd werd. Daarna is dat niet meer
mogelijk."). "Ended" is EE-1's word: ``terminated`` (reserves transferred or paid out) and ``retired``
(paid out as a pension); a ``dormant`` participation is passive (reserves remain) and stays. Neither SPEC nor
the seeds name a period for the audit trail (PLT-1 only says that every change and access is recorded): the
default of seven years follows the Dutch fiscal retention duty for business records (AWR art. 52) and is a
setting.
"""

from __future__ import annotations

from datetime import date, timedelta

from portal.domain.dates import add_months

ENDED_STATUSES = frozenset({"terminated", "retired"})  # EE-1 "ended": nothing left in the contract
DEFAULT_ENDED_MONTHS = 6  # EE-1, Vivium: "tot zes maanden nadat het beëindigd werd"
DEFAULT_AUDIT_YEARS = 7  # no figure in SPEC or seeds: the Dutch fiscal retention period, configurable


def hidden_from(end_date: date, months: int) -> date:
    """The first day an ended contract is no longer listed: the day after ``months`` calendar months from its
    end date, clipped to the month's end (ended 31 Aug, six months → shown up to 28/29 Feb, hidden from 1 Mar).
    The same last day as the employee's own view (``contracts.last_day_shown``) for six months."""
    if months < 0:
        raise ValueError("months must not be negative")
    return add_months(end_date, months) + timedelta(days=1)


def is_hidden(stored_status: str, end_date: date | None, day: date, months: int) -> bool:
    """Whether a participation is left out of the employer's overview on ``day``: ended (``ENDED_STATUSES``),
    with an end date, and ``day`` on or after ``hidden_from``. Up to and including its end date it is active
    (``locks.status_on``), so it is never hidden then; without an end date there is nothing to count from."""
    if stored_status not in ENDED_STATUSES or end_date is None:
        return False
    return day >= hidden_from(end_date, months)


def last_hidden_end(day: date, months: int) -> date:
    """The latest end date whose ended contract is hidden on ``day``: hidden ⟺ end date <= this day (the rule of
    ``is_hidden`` turned into one bound that a query can compare with, month ends included: on 31 Mar with one
    month, an end on 28 Feb is hidden since 29 Mar)."""
    if months < 0:
        raise ValueError("months must not be negative")
    guess = add_months(day, -months)
    # hidden_from is non-decreasing in the end date and within a few days of the guess: look around it
    for candidate in (guess + timedelta(days=k) for k in range(3, -5, -1)):
        if hidden_from(candidate, months) <= day:
            return candidate
    raise AssertionError("unreachable: an end date four days before the guess is always hidden")  # pragma: no cover


def audit_cutoff(today: date, years: int) -> date:
    """Audit events recorded before this day (UTC midnight) are removed: ``years`` calendar years before
    ``today`` (29 Feb → 28 Feb in a year without it). An event of the cut-off day itself is kept."""
    if years < 1:
        raise ValueError("the audit trail is kept at least one year")
    return add_months(today, -12 * years)
