"""The portal's one clock: ``now()`` (aware UTC) and ``today()`` (the server's local date of that moment).

Every "now" and "today" in the portal comes from here, so a test moves time in one place (``frozen``).
Durations inside one process (timeouts, pacing) use ``time.monotonic`` instead: they are not the time of day.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

_fixed: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    return _fixed if _fixed is not None else datetime.now(UTC) + _offset


def today() -> date:
    """The current day in the server's time zone (the day the overview and the rules describe by default)."""
    return now().astimezone().date()


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
