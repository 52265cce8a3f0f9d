"""Fixed-window rate limits, as pure rules: a count of requests in the window of ``window_seconds`` that the
moment falls in, and how long a caller over its limit waits. Used for the payroll API's keys (API-1) and for
every mail-sending action (per account and per client address)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """A request count in the current fixed window starting at ``start`` (epoch seconds)."""

    start: int
    count: int


def window_start(now_epoch: float, window_seconds: int) -> int:
    """The start of the fixed window that ``now_epoch`` falls in."""
    return int(now_epoch) - int(now_epoch) % window_seconds


def count_request(window: Window, now_epoch: float, window_seconds: int) -> Window:
    """The window after one more request at ``now_epoch``: counted on, or a new window from 1."""
    start = window_start(now_epoch, window_seconds)
    return Window(start, window.count + 1) if window.start == start else Window(start, 1)


def retry_after(window: Window, limit: int, now_epoch: float, window_seconds: int) -> int | None:
    """Seconds until a caller over its ``limit`` may ask again (``Retry-After``), None when within the limit."""
    if window.count <= limit:
        return None
    return max(1, window.start + window_seconds - int(now_epoch))


def minutes_to_wait(seconds: int) -> int:
    """Whole minutes shown to a person for a wait of ``seconds`` (at least one)."""
    return max(1, -(-seconds // 60))
