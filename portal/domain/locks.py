"""Locks on individual changes (MUT-2): no change on a participant who has left, none during a collective run."""

from __future__ import annotations

from datetime import date

CLOSED_STATUSES = frozenset({"dormant", "terminated", "retired"})


def status_on(stored: str, end_date: date | None, day: date) -> str:
    """The participation status on ``day``: ``active`` up to and including the end date (the last day in
    service), the stored status after it.

    An exit stores ``dormant`` and the end date at once; a planned exit (up to three months ahead) leaves
    the participant active, and changeable, until that day. Same rule as the overview's list rows.
    """
    return "active" if end_date is not None and end_date >= day else stored


def change_block(participation_status: str, scheme_locked: bool) -> str | None:
    """Why an individual change is refused, or None: ``participant_dormant`` (dormant, terminated or
    retired: the participant has left) or ``scheme_collective_lock`` (a collective change is being processed)."""
    if participation_status in CLOSED_STATUSES:
        return "participant_dormant"
    if scheme_locked:
        return "scheme_collective_lock"
    return None
