"""INT-5 under faults: the outbox delivered by ``portal worker`` processes that are killed with SIGKILL in the
middle of the run and restarted, while the real test insurer process fails 30 % of the calls (half of them after
applying the message, as if its answer was lost): every message delivered, none applied twice at the insurer, the
order per participant kept. (The full run, 5,000 messages and 20 kills: ``bench/delivery.py --faults``.)"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from portal.core.config import get_settings
from portal.models import OutboxAttempt, OutboxMessage
from tests.insurer import TestInsurer
from tests.services import delivery_world
from tests.services.workers import kill, start_worker, stop, worker_env

SETTINGS = {
    "PORTAL_INSURER_CONNECT_TIMEOUT": "0.5",
    "PORTAL_INSURER_READ_TIMEOUT": "1",
    "PORTAL_OUTBOX_BACKOFF_BASE": "0.02",
    "PORTAL_OUTBOX_BACKOFF_CAP": "0.2",
    "PORTAL_OUTBOX_MAX_ATTEMPTS": "30",  # 30 % failures: 8 in a row would be a (rare) dead letter by design
    "PORTAL_OUTBOX_BATCH": "20",
    "PORTAL_OUTBOX_CONCURRENCY": "4",
    "PORTAL_OUTBOX_LEASE_SECONDS": "3",
}


@pytest.fixture
def insurer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestInsurer]:
    with TestInsurer(tmp_path / "insurer.db") as ins:
        monkeypatch.setenv("PORTAL_INSURER_URLS", f"ti={ins.url}")
        for name, value in SETTINGS.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        try:
            yield ins
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()


def _count(db: Session, status: str) -> int:
    db.expire_all()
    return db.exec(select(func.count()).where(OutboxMessage.status == status)).one()


def test_workers_killed_during_a_run_against_a_failing_insurer_deliver_everything_once_in_order(
    db: Session, insurer: TestInsurer
) -> None:
    w = delivery_world.build(db, n=100, foreign=0)
    ids = delivery_world.messages(db, w, w.participations, per_participation=5)  # 500, interleaved
    insurer.control(error_share=0.3, slow_share=0.2, slow_seconds=0.02, seed=5)
    env = worker_env(PORTAL_INSURER_URLS=f"ti={insurer.url}", **SETTINGS)
    rnd = random.Random(3)
    worker = start_worker(env)  # its start queues the delivery (``tasks.recover``)
    kills = 0
    try:
        for _ in range(3):
            sent_before = _count(db, "sent")
            deadline = time.monotonic() + 15
            while _count(db, "sent") < sent_before + rnd.randint(20, 60) and time.monotonic() < deadline:
                time.sleep(0.05)
            kill(worker)  # SIGKILL, somewhere in a round
            kills += 1
            worker = start_worker(env)
        deadline = time.monotonic() + 30
        while _count(db, "sent") < len(ids) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop(worker)

    assert kills == 3
    assert _count(db, "sent") == len(ids)
    seen = insurer.received()
    assert seen["applied"] == len(ids)  # every message applied, each once (one row per key)
    keys = set(db.exec(select(OutboxMessage.idempotency_key)).all())
    assert set(seen["hits"]) == keys
    for part in w.participations:
        mine = list(
            db.exec(select(OutboxMessage.id).where(OutboxMessage.participation_id == part).order_by(OutboxMessage.id))
        )
        assert seen["order"][str(part)] == mine
    outcomes = dict(db.exec(select(OutboxAttempt.outcome, func.count()).group_by(OutboxAttempt.outcome)).all())
    assert outcomes["error"] > 50  # the insurer did fail about 30 % of the calls
    assert outcomes.get("lost", 0) > 0  # the kills did leave claimed messages behind: sent again after the lease
    assert sum(hits > 1 for hits in seen["hits"].values()) > 0  # keys sent again (lost answers) were not re-applied
