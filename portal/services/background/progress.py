"""Reading how far background work is: the one way progress bars and run statuses get their figures.

Everything comes from the ``JobRun`` row (status, done/total, attempts, who started it, figures the job saved
with its checkpoints), checked against the principal's scope: a run belongs to one employer, and only a
principal with that employer in scope and the permission for that kind of work may read it. One exception to
"from the row": a job whose work is one long database transaction (a collective apply) reports its progress
to the queue's storage instead (see ``Run.report_volatile``); while such a run is running, that figure is read
here in place of the row's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from portal.core import clock
from portal.domain.roles import Perm
from portal.jobs.queue import progress as volatile_progress
from portal.models import JobRun
from portal.services.background import holders
from portal.services.background.runs import volatile_key
from portal.services.principal import NoAccess, Principal, id_of, require

# Who may read the progress of which kind of work (besides having its employer in scope).
READ_PERM = {
    "validate_batch": Perm.PARTICIPANTS_VIEW,
    "apply_batch": Perm.PARTICIPANTS_VIEW,
    "build_export": Perm.EXPORT,
    "generate_statements": Perm.MUTATIONS_SUBMIT,
    "notify_documents": Perm.USERS_MANAGE,
    "prepare_forms": Perm.MUTATIONS_SUBMIT,
}


@dataclass(frozen=True)
class JobProgress:
    """A run as the pages see it. ``status``: queued, running, done, failed, or interrupted (running, but its
    worker is gone; the periodic check queues it again)."""

    id: int
    kind: str
    status: str
    done: int
    total: int
    attempts: int
    started_by: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    error: str = ""
    figures: dict[str, int] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        """Whole percent done (100 once done)."""
        if self.status == "done":
            return 100
        return int(100 * self.done / self.total) if self.total > 0 else 0


def view(job: JobRun) -> JobProgress:
    """A run row as ``JobProgress`` (no scope check: for the services that already checked it)."""
    status, done, total = job.status, job.done, job.total
    if status == "running":
        if holders.holder_gone(job.id or 0, job.owner, job.heartbeat_at, clock.now()):
            status = "interrupted"
        elif (figure := volatile_progress(volatile_key(job.id or 0))) is not None:
            done, total = figure
    try:
        figures = json.loads(job.checkpoint or "{}").get("figures", {})
    except ValueError:
        figures = {}
    return JobProgress(
        id=job.id or 0,
        kind=job.kind,
        status=status,
        done=done,
        total=total,
        attempts=job.attempts,
        started_by=job.started_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        heartbeat_at=job.heartbeat_at,
        error=job.error,
        figures={k: int(v) for k, v in figures.items() if isinstance(v, int)},
    )


def _check(principal: Principal | None, kind: str, employer_id: int | None) -> None:
    perm = READ_PERM.get(kind)
    if perm is None:
        raise NoAccess("missing_role")
    p = require(principal, perm)
    if employer_id is None or employer_id not in p.employer_ids:
        raise NoAccess("out_of_scope")


def job_progress(db: Session, principal: Principal | None, job_id: object) -> JobProgress:
    """Run ``job_id`` (untrusted). NoAccess when it does not exist, or is of another employer or a kind of
    work the principal may not follow."""
    job = db.get(JobRun, id_of(job_id))
    if job is None:
        raise NoAccess("not_found")
    _check(principal, job.kind, job.employer_id)
    return view(job)


def latest(db: Session, principal: Principal | None, kind: str, subject: str) -> JobProgress | None:
    """The newest run of ``kind`` on ``subject`` (e.g. ``apply_batch`` on ``batch:12``), or None. NoAccess
    as for ``job_progress`` (also when there is none but the principal may not follow that kind of work)."""
    if kind not in READ_PERM:
        raise NoAccess("missing_role")
    require(principal, READ_PERM[kind])
    query = (
        select(JobRun)
        .where(col(JobRun.kind) == kind, col(JobRun.subject) == subject)
        .order_by(col(JobRun.id).desc())
        .limit(1)
    )
    job = db.execute(query).scalars().first()
    if job is None:
        return None
    _check(principal, kind, job.employer_id)
    return view(job)


def done_and_total(db: Session, principal: Principal | None, kind: str, subject: str) -> tuple[int, int] | None:
    """(done, total) of the newest run of ``kind`` on ``subject`` while it is queued or running, else None."""
    run = latest(db, principal, kind, subject)
    if run is None or run.status not in ("queued", "running"):
        return None
    return run.done, run.total
