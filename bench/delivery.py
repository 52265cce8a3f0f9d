"""INT-5 delivery speed and reliability against the stand-alone test insurer (``tools/test_insurer.py``).

Default run: 50,000 outbox messages (a collective raise: one per participant) delivered to the test insurer by the
delivery job in this process, on SQLite. Target: under 60 s. Prints total time and messages per second.

``--faults``: 5,000 messages (1,000 participants × 5, so the order per participant matters), the test insurer
failing 30 % of calls (half of them after applying the message, as if the answer was lost), the delivery running
in ``portal worker`` processes that are killed with SIGKILL ``--kills`` times (20) during the run and restarted.
Then checks: every message sent, none applied twice at the insurer, the order per participant kept.

    .venv/bin/python bench/delivery.py [-n 50000] [--database-url postgresql://...]
    .venv/bin/python bench/delivery.py --faults [-n 5000] [--kills 20]

Exits 0 when the checks hold.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _check(db, w, ids, insurer) -> list[str]:
    from sqlalchemy import func
    from sqlmodel import select

    from portal.models import OutboxMessage

    problems = []
    statuses = dict(db.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    if statuses != {"sent": len(ids)}:
        problems.append(f"statuses {statuses}")
    seen = insurer.received()
    if seen["applied"] != len(ids):
        problems.append(f"the insurer applied {seen['applied']} messages, not {len(ids)}")
    expected: dict[str, list[int]] = {}
    for mid, part in db.exec(select(OutboxMessage.id, OutboxMessage.participation_id).order_by(OutboxMessage.id)):
        expected.setdefault(str(part), []).append(mid)
    wrong = [p for p, order in expected.items() if seen["order"].get(p) != order]
    if wrong:
        problems.append(f"order broken for {len(wrong)} participants")
    repeats = sum(1 for hits in seen["hits"].values() if hits > 1)
    print(f"  insurer: {seen['applied']:,} applied once each; {repeats:,} keys came in more than once (answered again)")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=0, help="messages (default 50,000; 5,000 with --faults)")
    parser.add_argument("--faults", action="store_true", help="the fault run: 30 %% failures and worker kills")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    args = parser.parse_args()
    n = args.n or (5_000 if args.faults else 50_000)
    var_dir = Path(tempfile.mkdtemp(prefix="portal-bench-delivery-"))
    os.environ["PORTAL_VAR_DIR"] = str(var_dir)
    if args.database_url:
        os.environ["PORTAL_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("PORTAL_DATABASE_URL", None)
    settings_env = {
        "PORTAL_OUTBOX_BATCH": "200" if not args.faults else "50",
        "PORTAL_OUTBOX_CONCURRENCY": "8",
        "PORTAL_INSURER_CONNECT_TIMEOUT": "1",
        "PORTAL_INSURER_READ_TIMEOUT": "2",
        "PORTAL_OUTBOX_BACKOFF_BASE": "0.05",
        "PORTAL_OUTBOX_BACKOFF_CAP": "1",
        # 30 % failures: the chance of 8 failures in a row is 0.3^8, about 0.3 dead letters in 5,000 messages;
        # the fault run allows more attempts so that "every message delivered" does not hang on that chance.
        "PORTAL_OUTBOX_MAX_ATTEMPTS": "8" if not args.faults else "30",
        # a killed worker's claims are taken again after this (the default, 120 s, suits a real deployment)
        "PORTAL_OUTBOX_LEASE_SECONDS": "5",
    }
    os.environ.update(settings_env)

    from sqlalchemy import text
    from sqlmodel import Session

    from portal.core import migrate
    from portal.core.config import get_settings
    from portal.core.db import get_engine
    from portal.services import delivery
    from tests.insurer import TestInsurer
    from tests.services import delivery_world

    if args.database_url:
        with get_engine().begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade()
    insurer = TestInsurer(var_dir / "insurer.db").start()
    os.environ["PORTAL_INSURER_URLS"] = f"ti={insurer.url}"
    get_settings.cache_clear()
    try:
        started = time.perf_counter()
        with Session(get_engine(), expire_on_commit=False) as db:
            per = 5 if args.faults else 1
            w = delivery_world.build(db, n=n // per, foreign=0)
            ids = delivery_world.messages(db, w, w.participations, per_participation=per)
        print(
            f"{len(ids):,} outbox messages for {len(w.participations):,} participants written in "
            f"{time.perf_counter() - started:.1f} s ({get_engine().dialect.name})"
        )
        if not args.faults:
            started = time.perf_counter()
            if os.environ.get("BENCH_PROFILE"):
                import cProfile
                import pstats

                prof = cProfile.Profile()
                report = prof.runcall(delivery.deliver)
                pstats.Stats(prof).sort_stats("tottime").print_stats(18)
            else:
                report = delivery.deliver()
            took = time.perf_counter() - started
            print(
                f"delivered {report.sent:,} in {took:.1f} s: {report.sent / took:,.0f} messages/s "
                f"({report.rounds} rounds of {settings_env['PORTAL_OUTBOX_BATCH']}, "
                f"{settings_env['PORTAL_OUTBOX_CONCURRENCY']} in flight); target under 60 s: "
                f"{'met' if took < 60 and report.sent == len(ids) else 'NOT met'}"
            )
            with Session(get_engine()) as db:
                problems = _check(db, w, ids, insurer)
        else:
            problems = _fault_run(ids, insurer, args.kills)
            with Session(get_engine()) as db:
                problems += _check(db, w, ids, insurer)
    finally:
        insurer.stop()
    for p in problems:
        print("FAILED:", p)
    return 1 if problems else 0


def _fault_run(ids: list[int], insurer, kills: int) -> list[str]:
    from sqlalchemy import func
    from sqlmodel import Session, col, select

    from portal.core.db import get_engine
    from portal.models import OutboxAttempt, OutboxMessage
    from portal.services import delivery
    from tests.services.workers import kill, start_worker, stop, worker_env

    insurer.control(error_share=0.3, seed=11)
    env = worker_env(**{k: v for k, v in os.environ.items() if k.startswith("PORTAL_")})
    lease = delivery.lease_seconds()

    def sent() -> int:
        with Session(get_engine()) as db:
            return db.exec(select(func.count()).where(OutboxMessage.status == "sent")).one()

    started = time.perf_counter()
    rnd = random.Random(5)
    worker = start_worker(env)
    done_kills = 0
    share = len(ids) // (kills + 1)
    while done_kills < kills and sent() < len(ids):
        target = sent() + rnd.randint(share // 3, share)  # kill it in the middle of its work, after some progress
        deadline = time.monotonic() + 60
        while sent() < min(target, len(ids) - 1) and time.monotonic() < deadline:
            time.sleep(0.02)
        if sent() >= len(ids):
            break
        kill(worker)
        done_kills += 1
        worker = start_worker(env)
    print(
        f"killed the worker {done_kills} times (SIGKILL) in {time.perf_counter() - started:.1f} s, "
        f"{sent():,} sent by then; a lost claim is taken again after its lease ({lease:.0f} s)"
    )
    deadline = time.monotonic() + 600
    while sent() < len(ids) and time.monotonic() < deadline:
        time.sleep(0.5)
    took = time.perf_counter() - started
    stop(worker)
    with Session(get_engine()) as db:
        outcomes = dict(db.exec(select(OutboxAttempt.outcome, func.count()).group_by(OutboxAttempt.outcome)).all())
        most = db.exec(select(func.max(OutboxMessage.attempts))).one()
        failed = db.exec(select(func.count()).where(col(OutboxMessage.status) == "failed")).one()
    print(
        f"{sent():,} of {len(ids):,} sent in {took:.1f} s with 30 % failures and {done_kills} kills; "
        f"attempts by outcome {outcomes}; most attempts for one message {most}; failed {failed}"
    )
    return [] if sent() == len(ids) else [f"only {sent()} of {len(ids)} sent"]


if __name__ == "__main__":
    sys.exit(main())
