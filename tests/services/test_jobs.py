"""The real job queue (PLT-3): the in-process consumer runs an uploaded batch through check and apply; a
``portal worker`` process killed (SIGKILL) in the middle of applying leaves nothing half done, and after a
restart the batch completes exactly once; the same tasks run on Redis when it answers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from portal.jobs.consumer import start_in_process, stop_in_process
from portal.jobs.queue import get_huey
from portal.models import Batch, EmploymentVersion, JobRun, Mutation, Scheme
from portal.services import collective
from tests.services.bulk_files import EFFECTIVE, TODAY, fill, salary_template, workbook, world
from tests.services.employer_fixtures import principal_of
from tests.services.workers import start_worker, wait_until, worker_env

pytestmark = pytest.mark.usefixtures("demo_data")  # every test here works on the demo employer

ROOT = Path(__file__).resolve().parents[2]


def _wait(db: Session, batch_id: int, done: Callable[[Batch], bool], seconds: float = 60) -> Batch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.expire_all()
        batch = db.get(Batch, batch_id)
        assert batch is not None
        if done(batch):
            return batch
        time.sleep(0.1)
    raise AssertionError(f"batch {batch_id} stayed {batch.status}")


def _ready_batch(db: Session, changes: int = 40) -> tuple[Batch, int]:
    """A validated salary batch changing ``changes`` participants (validated by the in-process consumer)."""
    w = world(db)
    rows = salary_template(db, w)
    numbers = [str(r[0]) for r in rows[1 : changes + 1]]
    data = workbook(fill(rows, {n: (70000 + i, None) for i, n in enumerate(numbers)}))
    batch = collective.upload(
        db, w.hr, w.scheme_id, "salary_parttime", "s.xlsx", data, EFFECTIVE.isoformat(), today=TODAY
    )
    db.commit()
    start_in_process(workers=1)
    try:
        ready = _wait(db, batch.id or 0, lambda b: b.status != "validating")
    finally:
        stop_in_process()
    assert ready.status == "ready", ready.report
    return ready, w.scheme_id


def test_in_process_consumer_checks_and_applies(db: Session) -> None:
    get_huey().flush()
    batch, scheme_id = _ready_batch(db, 3)
    w_hr = principal_of(db, "employer.hr")
    collective.confirm(db, w_hr, batch.id)
    db.commit()
    start_in_process(workers=1)
    try:
        done = _wait(db, batch.id or 0, lambda b: b.status in ("processed", "failed"))
    finally:
        stop_in_process()
    assert done.status == "processed" and done.rows_changed == 3
    assert db.get(Scheme, scheme_id).collective_lock_batch is None  # type: ignore[union-attr]


def _apply_run(db: Session, batch_id: int | None) -> JobRun:
    db.expire_all()
    return db.exec(select(JobRun).where(JobRun.kind == "apply_batch", JobRun.subject == f"batch:{batch_id}")).one()


def test_worker_killed_while_applying_completes_exactly_once(db: Session) -> None:
    """SIGKILL in the middle of the apply transaction: nothing is applied; after a restart, all of it once."""
    get_huey().flush()
    batch, scheme_id = _ready_batch(db, 300)
    hr = principal_of(db, "employer.hr")
    versions_before = db.exec(select(func.count()).select_from(EmploymentVersion)).one()
    # slow the apply down inside its transaction so that the kill lands in the middle of it
    env = worker_env(PORTAL_FAULT_JOB_DELAY="0.02")
    collective.confirm(db, hr, batch.id)
    db.commit()
    worker = start_worker(env)
    try:
        _wait(db, batch.id or 0, lambda b: b.status == "processing", 60)
        time.sleep(1.5)  # well inside the delayed apply (300 rows × 20 ms)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    db.expire_all()
    killed = db.get(Batch, batch.id)
    assert killed is not None and killed.status == "processing"
    assert db.exec(select(func.count()).where(Mutation.batch_id == batch.id)).one() == 0  # nothing half applied
    assert db.exec(select(func.count()).select_from(EmploymentVersion)).one() == versions_before
    restarted = start_worker(worker_env())
    try:
        done = _wait(db, batch.id or 0, lambda b: b.status in ("processed", "failed"), 90)
        wait_until(lambda: _apply_run(db, batch.id).status != "running", 30, "the job run's end")
    finally:
        os.killpg(restarted.pid, signal.SIGTERM)
        restarted.wait(20)
    assert done.status == "processed" and done.attempts == 2
    run = _apply_run(db, batch.id)
    assert (run.status, run.attempts, run.started_by) == ("done", 2, hr.user_id)  # its job run: taken over once
    assert db.exec(select(func.count()).where(Mutation.batch_id == batch.id)).one() == 300
    # each of the 300 changes superseded one version and added two: applied once, not twice
    assert db.exec(select(func.count()).select_from(EmploymentVersion)).one() == versions_before + 600
    assert db.get(Scheme, scheme_id).collective_lock_batch is None  # type: ignore[union-attr]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis at 127.0.0.1:6379")
def test_same_tasks_on_redis_with_a_separate_worker(db: Session) -> None:
    """Scaled out: the queue on Redis, the work done by a ``portal worker`` process."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    redis.Redis.from_url(url).flushdb()
    env = worker_env(PORTAL_REDIS_URL=url)
    code = (
        "import sys; from portal.jobs import tasks; tasks.validate_batch(int(sys.argv[1]));"
        "from portal.jobs.queue import get_huey; print(type(get_huey()).__name__)"
    )
    w = world(db)
    rows = salary_template(db, w)
    data = workbook(fill(rows, {"100001": (71000, None)}))
    created = collective.upload(
        db, w.hr, w.scheme_id, "salary_parttime", "r.xlsx", data, EFFECTIVE.isoformat(), today=TODAY
    )
    db.commit()
    job_id = db.exec(select(JobRun.id).where(JobRun.subject == f"batch:{created.id}")).one()  # tasks take job runs
    queued = subprocess.run(
        [sys.executable, "-c", code, str(job_id)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert queued.stdout.strip() == "RedisHuey"
    worker = start_worker(env)
    try:
        done = _wait(db, created.id or 0, lambda b: b.status != "validating", 60)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
    assert done.status == "ready"
