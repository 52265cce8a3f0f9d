"""Queueing again what a lost worker left: at every consumer's start and once a minute (PLT-3).

Huey takes a task off the queue before running it, so a worker that dies takes its task with it; a queue
can also lose messages (a Redis flush). The job-run rows say what is unfinished, so this queues again every
run that is queued or whose holder is gone; the claim (``runs.claim``) makes a run queued twice, or by two
consumers at once, still run once at a time.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import col

from portal.core import clock
from portal.core.db import session_scope
from portal.jobs.queue import enqueue
from portal.models import JobRun
from portal.services.background import holders
from portal.services.background.runs import UNFINISHED

log = logging.getLogger("portal.jobs")


def due(stale_minutes: int | None = None) -> list[tuple[int, str]]:
    """(job id, kind) of the runs to queue again. At a consumer's start (``stale_minutes`` None): every
    queued run and every running run whose holder is gone. Periodically: queued runs untouched for more
    than ``stale_minutes`` (their message was lost) and running runs whose holder is gone (its process on
    this machine ended, or its heartbeat is older than ``stale_minutes``)."""
    now = clock.now()
    stale = timedelta(minutes=stale_minutes) if stale_minutes is not None else holders.STALE
    query = (
        select(JobRun.id, JobRun.kind, JobRun.status, JobRun.owner, JobRun.heartbeat_at, JobRun.created_at)
        .where(col(JobRun.status).in_(UNFINISHED))
        .order_by(col(JobRun.id))
    )
    with session_scope() as db:
        rows = db.execute(query).all()
    out = []
    for job_id, kind, status, owner, heartbeat_at, created_at in rows:
        if status == "queued":
            if stale_minutes is None or (heartbeat_at or created_at) < now - stale:
                out.append((job_id, kind))
        elif holders.holder_gone(job_id, owner, heartbeat_at, now, stale):
            out.append((job_id, kind))
    return out


def recover(stale_minutes: int | None = None) -> int:
    """Queue again the runs ``due`` says; returns how many."""
    runs = due(stale_minutes)
    for job_id, kind in runs:
        enqueue(kind, job_id)
    if runs:
        log.info("queued %s unfinished job run(s) again: %s", len(runs), runs)
    return len(runs)
