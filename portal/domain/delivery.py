"""Delivery of the insurer outbox (INT-5, API-2): the pure rules.

- ``backoff_seconds``: exponential backoff with full jitter — after the n-th failed attempt the next one waits a
  uniformly random time in [0, min(cap, base × 2^(n-1))] (spreads the retries of many messages after an outage).
- ``outcome_status``: what a message becomes after one attempt: sent; failed when the insurer refused it (a 4xx:
  trying again cannot help) or when it was the last of ``max_attempts``; else retrying.
- ``sendable``: the per-participation order: a message may go only when every older message (lower id) of its
  participation is sent or cancelled; so a failed (dead-letter) message holds back the later ones of that
  participant until an adviser retries or cancels it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SENT = "sent"
ERROR = "error"
TIMEOUT = "timeout"
REFUSED = "refused"
LOST = "lost"  # an attempt whose worker stopped before the answer was recorded (sent again with the same key)
OUTCOMES = (SENT, ERROR, TIMEOUT, REFUSED, LOST)

WAITING, SENDING, RETRYING, FAILED, CANCELLED = "waiting", "sending", "retrying", "failed", "cancelled"
DONE = frozenset({SENT, CANCELLED})  # statuses that no longer hold back a participation's later messages
DUE = (WAITING, RETRYING, SENDING)  # a ``sending`` message whose lease ran out was lost by its worker


def backoff_ceiling(attempt: int, base: float, cap: float) -> float:
    """The longest wait after failed attempt number ``attempt`` (1, 2, ...): min(cap, base × 2^(attempt-1))."""
    if attempt < 1:
        return 0.0
    return min(cap, base * 2.0 ** min(attempt - 1, 62))


def backoff_seconds(attempt: int, base: float, cap: float, rnd: Callable[[], float] = random.random) -> float:
    """Full jitter: a uniformly random wait in [0, ``backoff_ceiling``] (``rnd`` gives [0, 1))."""
    return rnd() * backoff_ceiling(attempt, base, cap)


def outcome_status(outcome: str, attempts: int, max_attempts: int) -> str:
    """The status after an attempt with ``outcome`` that was attempt number ``attempts``."""
    if outcome == SENT:
        return SENT
    if outcome == REFUSED or attempts >= max_attempts:
        return FAILED
    return RETRYING


def may_retry(status: str) -> bool:
    """An adviser may send again (or cancel) only a failed message."""
    return status == FAILED


may_cancel = may_retry


@dataclass(frozen=True)
class Queued:
    """A message as far as ordering goes."""

    id: int
    participation_id: int
    status: str


def sendable(messages: Iterable[Queued]) -> list[int]:
    """The ids of the messages that may go now by the order rule (at most one per participation: the oldest
    one not yet sent or cancelled, when it is waiting, retrying or sending)."""
    head: dict[int, Queued] = {}
    for m in sorted(messages, key=lambda m: m.id):
        if m.status in DONE or m.participation_id in head:
            continue
        head[m.participation_id] = m
    return sorted(m.id for m in head.values() if m.status in DUE)
