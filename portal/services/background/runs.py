"""Job runs from request to finish: queue one with the request's transaction, claim it in a worker, report
progress and checkpoints while it runs, finish it.

A run is queued by writing its ``JobRun`` row in the transaction of the request and putting its id on the
queue once that commits (``queue``). A worker claims it (``claim``: queued, or running but its holder is gone)
with a conditional update that records a fresh owner and counts the attempt; every later write of the
run's bookkeeping is conditional on that owner, so an attempt that was taken over records nothing any more
(``Run.save`` raises ``LostClaim`` inside the job's own transaction, which then rolls back). A thread per
process refreshes the heartbeat of the runs it holds.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import case, update
from sqlmodel import Session, col

from portal.core import clock
from portal.core.db import session_scope
from portal.jobs.queue import clear_progress, enqueue_after_commit, put_progress
from portal.models import JobRun
from portal.services.background import holders

log = logging.getLogger("portal.jobs")
T = TypeVar("T")
UNFINISHED = ("queued", "running")
FINISHED = ("done", "failed")


class LostClaim(Exception):
    """This attempt no longer holds its run (it was presumed lost and taken over): stop, record nothing."""


def volatile_key(job_id: int) -> str:
    """The key of a run's progress in the queue's storage (see ``Run.report_volatile``)."""
    return f"job:{job_id}"


@dataclass
class Run:
    """One attempt at a job run, handed to the job's code."""

    id: int
    kind: str
    owner: str
    attempts: int
    args: dict[str, Any]
    checkpoint: dict[str, Any] = field(default_factory=dict)
    employer_id: int | None = None
    started_by: int | None = None

    def _mine(self) -> Any:
        return (col(JobRun.id) == self.id) & (col(JobRun.owner) == self.owner) & (col(JobRun.status) == "running")

    def report(self, done: int, total: int | None = None) -> None:
        """Record how far the run is (``done`` of ``total``) in a short transaction of its own; also a
        heartbeat. For work that is not inside a long transaction of its own (see ``report_volatile``)."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": clock.now()}
        if total is not None:
            values["total"] = total
        with session_scope() as db:
            db.connection().execute(update(JobRun).where(self._mine()).values(**values))

    def report_volatile(self, done: int, total: int) -> None:
        """Progress of work that runs in one database transaction (a collective apply): it cannot be written
        to the database while that transaction holds it (SQLite has one writer: the write would wait for
        the very transaction it reports on), so it goes to the queue's own storage, which every process
        shares. ``progress`` reads it from there while the run is running; ``finish`` clears it."""
        put_progress(volatile_key(self.id), done, total)

    def save(self, db: Session, done: int | None = None, total: int | None = None, **checkpoint: Any) -> None:
        """Within the job's own transaction ``db``: replace the given checkpoint entries (and the progress),
        so that they commit together with the work they describe. LostClaim when this attempt no longer
        holds the run (the caller's transaction must then roll back)."""
        self.checkpoint.update(checkpoint)
        values: dict[str, Any] = {"checkpoint": json.dumps(self.checkpoint), "heartbeat_at": clock.now()}
        if done is not None:
            values["done"] = done
        if total is not None:
            values["total"] = total
        result = db.connection().execute(update(JobRun).where(self._mine()).values(**values))
        if result.rowcount != 1:
            raise LostClaim(self.id)


def queue(
    db: Session,
    kind: str,
    *,
    subject: str,
    employer_id: int | None = None,
    started_by: int | None = None,
    total: int = 0,
    **args: Any,
) -> JobRun:
    """Record a run of task ``kind`` with ``args`` in ``db``'s transaction and queue it once that commits
    (nothing is queued, and no run exists, when it rolls back)."""
    job = JobRun(
        kind=kind,
        subject=subject[:64],
        args=json.dumps(args, sort_keys=True),
        employer_id=employer_id,
        started_by=started_by,
        total=total,
    )
    db.add(job)
    db.flush()
    enqueue_after_commit(db, kind, job.id)
    return job


def _run_of(job: JobRun, owner: str, attempts: int) -> Run:
    return Run(
        id=job.id or 0,
        kind=job.kind,
        owner=owner,
        attempts=attempts,
        args=json.loads(job.args or "{}"),
        checkpoint=json.loads(job.checkpoint or "{}"),
        employer_id=job.employer_id,
        started_by=job.started_by,
    )


def claim(job_id: int, kind: str) -> Run | None:
    """Take run ``job_id`` for this attempt: when it is of ``kind`` and queued, or running while its holder
    is gone. None when there is nothing to do (finished, held by a live worker, another kind, unknown).

    The attempt holds the run before its claim commits: a live view woken by that commit (``core.changes``)
    must find the run held, not a running run without a holder (which it would show as interrupted)."""
    owner = holders.new_owner()
    try:
        return _claim(int(job_id), kind, owner)
    except BaseException:
        holders.release(int(job_id), owner)
        raise


def _claim(job_id: int, kind: str, owner: str) -> Run | None:
    with session_scope() as db:
        job = db.get(JobRun, job_id)
        if job is None or job.kind != kind or job.status not in UNFINISHED:
            return None
        now = clock.now()
        if job.status == "running" and not holders.holder_gone(job.id or 0, job.owner, job.heartbeat_at, now):
            return None
        holders.hold(job_id, owner)
        taken = db.connection().execute(
            update(JobRun)
            .where(
                col(JobRun.id) == job.id,
                col(JobRun.status) == job.status,
                col(JobRun.owner) == job.owner,
                col(JobRun.attempts) == job.attempts,
            )
            .values(
                status="running",
                owner=owner,
                attempts=job.attempts + 1,
                started_at=job.started_at or now,
                heartbeat_at=now,
                finished_at=None,
            )
        )
        if taken.rowcount != 1:
            holders.release(job_id, owner)
            return None
        run = _run_of(job, owner, job.attempts + 1)
    _start_heartbeat()
    return run


def begin(
    kind: str, *, subject: str, employer_id: int | None = None, started_by: int | None = None, **args: Any
) -> Run:
    """A run that starts at once in this thread (a job called directly rather than through the queue):
    recorded running and held by this attempt, so that recovery finishes it should this process die."""
    owner = holders.new_owner()
    now = clock.now()
    job_id = 0
    try:
        with session_scope() as db:
            job = JobRun(
                kind=kind,
                subject=subject[:64],
                args=json.dumps(args, sort_keys=True),
                employer_id=employer_id,
                started_by=started_by,
                status="running",
                owner=owner,
                attempts=1,
                started_at=now,
                heartbeat_at=now,
            )
            db.add(job)
            db.flush()
            job_id = job.id or 0
            holders.hold(job_id, owner)  # before the commit, as in ``claim``
            run = _run_of(job, owner, 1)
    except BaseException:
        holders.release(job_id, owner)
        raise
    _start_heartbeat()
    return run


def finish(run: Run, status: str, error: str = "") -> bool:
    """Record the end of this attempt: ``done``, ``failed``, or ``queued`` (huey will try again). False when
    the attempt no longer held the run."""
    now = clock.now()
    values: dict[str, Any] = {"status": status, "error": error[:2000], "heartbeat_at": now}
    if status in FINISHED:
        values["finished_at"] = now
    if status == "done":
        values["done"] = case((col(JobRun.total) > col(JobRun.done), col(JobRun.total)), else_=col(JobRun.done))
    try:
        with session_scope() as db:
            result = db.connection().execute(update(JobRun).where(run._mine()).values(**values))
        if result.rowcount != 1:
            log.warning("job run %s (%s) was taken over; this attempt's end is not recorded", run.id, run.kind)
        return result.rowcount == 1
    finally:
        holders.release(run.id)
        clear_progress(volatile_key(run.id))


def perform(run: Run, body: Callable[[Run], T], retries_left: int = 0) -> T:
    """Run ``body(run)`` and record how it ended; an exception is recorded and raised again (the run is
    queued again when huey will retry it, failed otherwise)."""
    try:
        result = body(run)
    except LostClaim:
        holders.release(run.id)
        log.warning("job run %s (%s) was taken over by another attempt; this one stops", run.id, run.kind)
        raise
    except Exception as err:
        finish(run, "queued" if retries_left > 0 else "failed", f"{type(err).__name__}: {err}")
        raise
    except BaseException:  # the process is stopping: the run is queued again at the next start
        finish(run, "queued", "interrupted")
        raise
    finish(run, "done")
    return result


def execute(job_id: int, kind: str, body: Callable[[Run], T], retries_left: int = 0) -> T | None:
    """The task side: claim run ``job_id`` of ``kind`` and perform ``body`` on it; None when there was
    nothing to do (done already, held by a live worker, or taken over while it ran)."""
    run = claim(job_id, kind)
    if run is None:
        log.info("job run %s (%s): nothing to do", job_id, kind)
        return None
    try:
        return perform(run, body, retries_left)
    except LostClaim:
        return None


# ------------------------------------------------------------------------------------------- heartbeat
_beat_lock = threading.Lock()
_beating: threading.Thread | None = None


def beat() -> int:
    """Refresh the heartbeat of every run this process holds; returns how many were refreshed."""
    held = holders.held()
    if not held:
        return 0
    count = 0
    with session_scope() as db:
        conn = db.connection()
        for job_id, owner in held.items():
            mine = (col(JobRun.id) == job_id) & (col(JobRun.owner) == owner) & (col(JobRun.status) == "running")
            count += conn.execute(update(JobRun).where(mine).values(heartbeat_at=clock.now())).rowcount
    return count


def _beat_forever() -> None:
    pause = threading.Event()
    while True:
        pause.wait(holders.HEARTBEAT_SECONDS)
        try:
            beat()
        except Exception:  # a busy or unreachable database: try again next time
            log.warning("could not refresh the heartbeat of running jobs", exc_info=True)


def _start_heartbeat() -> None:
    global _beating
    with _beat_lock:
        if _beating is None or not _beating.is_alive():
            _beating = threading.Thread(target=_beat_forever, name="job-heartbeat", daemon=True)
            _beating.start()
