"""When the delivery job runs: queued after the commit of a transaction that wrote outbox messages (or retried
one: ``after_commit``), every minute by the periodic recovery of the job queue, and again by itself at the moment
the next retry falls due (``portal.jobs.tasks.deliver_outbox``)."""

from __future__ import annotations

from sqlmodel import Session

from portal.jobs.queue import enqueue_after_commit

TASK = "deliver_outbox"


def after_commit(db: Session) -> None:
    """Queue the delivery job once ``db``'s transaction has committed (nothing when it rolls back)."""
    enqueue_after_commit(db, TASK)
