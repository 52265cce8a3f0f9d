"""The portal's one clock: ``now()`` (aware UTC) and ``today()`` (the server's local date of that moment).

Every "now" and "today" in the portal comes from here, so a test moves time in one place (``frozen``).
Durations inside one process (timeouts, pacing) use ``time.monotonic`` instead: they are not the time of day.

A test that drives a running server (end-to-end in a browser) moves that server's business date from outside:
``PORTAL_CLOCK_DAYS_FILE`` names a file holding a number of days (negative: back) that ``today()`` runs ahead,
read again whenever the file changes. Only the date moves; ``now()`` — sessions, codes, tokens — does not. Never
set in production.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

_fixed: datetime | None = None
_offset = timedelta(0)
_DAYS_FILE = os.environ.get("PORTAL_CLOCK_DAYS_FILE", "")
_days_read: tuple[int, int] = (-1, 0)  # (the file's change time in ns, its days)


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    return _fixed if _fixed is not None else datetime.now(UTC) + _offset


def today() -> date:
    """The current day in the server's time zone (the day the overview and the rules describe by default)."""
    return now().astimezone().date() + timedelta(days=_days_ahead())


def _days_ahead() -> int:
    """The days in ``PORTAL_CLOCK_DAYS_FILE`` (tests of a running server), 0 without one."""
    global _days_read
    if not _DAYS_FILE:
        return 0
    try:
        changed = os.stat(_DAYS_FILE).st_mtime_ns
        if changed != _days_read[0]:
            _days_read = (changed, int(Path(_DAYS_FILE).read_text().strip() or "0"))
    except (OSError, ValueError):
        return 0
    return _days_read[1]


@contextmanager
def frozen(at: datetime | date) -> Iterator[None]:
    """Stop the clock at ``at`` (a date means noon UTC of that day) for the duration of the block (tests)."""
    global _fixed
    moment = at if isinstance(at, datetime) else datetime(at.year, at.month, at.day, 12, tzinfo=UTC)
    previous, _fixed = _fixed, moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        yield
    finally:
        _fixed = previous


@contextmanager
def moved(by: timedelta) -> Iterator[None]:
    """Run the clock ``by`` ahead (or behind) for the duration of the block (tests of expiry and idle time)."""
    global _offset
    previous, _offset = _offset, _offset + by
    try:
        yield
    finally:
        _offset = previous
