"""Server-side timings of the tasks page's queries (INT-3 speed: 20,000 tasks, filter and paging).

Generates an office with 200 employers, 10 advisers and 20,000 tasks of every kind and status in a fresh SQLite
database (or PostgreSQL with ``--database-url``; that database is emptied first), then times each call the way
the tasks state makes it (a new session per call) and prints p50 / p95 in milliseconds, with a bare
``SELECT 1`` round trip measured in the same run as the baseline ratio. Exits 0 when it ran.

    .venv/bin/python bench/task_queries.py [-n 20000] [--rounds 30]
    .venv/bin/python bench/task_queries.py --database-url postgresql://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def generate_tasks(n: int, seed: int = 12) -> tuple[int, list[int], list[int]]:
    """An office with 200 employers, 10 advisers (``adviser0`` .. ``adviser9``) and ``n`` tasks of every kind and
    status, due within 60 days either side of today, about random employers and assigned to random advisers, in the
    database the portal points at (migrated; PostgreSQL analysed after). Returns (office id, employer ids, adviser
    ids). Shared with ``bench/tasks_browser.py``."""
    from sqlalchemy import insert

    from portal.core import clock
    from portal.core.db import get_engine, session_scope
    from portal.domain import tasks as rules
    from portal.domain.roles import Role
    from portal.models import Employer, IntermediaryOffice, RoleGrant, Task, UserAccount

    rng = random.Random(seed)
    today = clock.today()
    with session_scope() as db:
        office = IntermediaryOffice(name="Bench Advies", kvk_number="12345678")
        db.add(office)
        db.flush()
        employers = [
            Employer(name=f"Werkgever {i:03d} B.V.", kvk_number=f"{i:08d}", office_id=office.id) for i in range(200)
        ]
        users = [UserAccount(username=f"adviser{i}", email=f"a{i}@bench.example", display_name=f"Adviseur {i}",
                             status="active") for i in range(10)]  # fmt: skip
        db.add_all(employers + users)
        db.flush()
        db.add_all([RoleGrant(user_id=u.id or 0, role=Role.ADVISER, office_id=office.id) for u in users])
        now = clock.now()
        rows = [
            {
                "office_id": office.id,
                "kind": rng.choice(rules.KINDS),
                "title": f"Taak {i}",
                "title_key": "",
                "detail": "{}",
                "employer_id": rng.choice(employers).id,
                "assignee_id": rng.choice(users).id,
                "due_date": today + timedelta(days=rng.randint(-60, 60)),
                "follow_up_date": None,
                "status": rng.choice(rules.STATUSES),
                "needs_check": False,
                "lock_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(n)
        ]
        db.connection().execute(insert(Task.__table__), rows)  # type: ignore[arg-type]
        result = office.id or 0, [e.id or 0 for e in employers], [u.id or 0 for u in users]
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="tasks to generate")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls per query kind")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    args = parser.parse_args()
    os.environ["PORTAL_VAR_DIR"] = tempfile.mkdtemp(prefix="portal-bench-tasks-")
    if args.database_url:
        os.environ["PORTAL_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("PORTAL_DATABASE_URL", None)

    from sqlalchemy import text

    from bench._world import migrated
    from portal.core import clock
    from portal.core.db import session_scope
    from portal.domain.roles import FrontEnd, Role
    from portal.services import tasks
    from portal.services.principal import Principal

    engine = migrated(empty_first=True)
    started = time.perf_counter()
    office_id, employer_ids, user_ids = generate_tasks(args.n)
    portfolio, me, some_employer = frozenset(employer_ids), user_ids[0], employer_ids[7]
    today = clock.today()
    print(
        f"generated {args.n:,} tasks for 200 employers in {time.perf_counter() - started:.1f} s ({engine.dialect.name})"
    )
    p = Principal(me, "adviser0", "Adviseur 0", FrontEnd.INTERMEDIARY, frozenset({Role.ADVISER}), portfolio, office_id)

    def timed(fn: Callable[[Any], object]) -> tuple[float, float]:
        samples = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            with session_scope() as db:
                fn(db)
            samples.append((time.perf_counter() - t0) * 1000)
        return _percentiles(samples)

    office = tasks.filter_of(mine=False, status="")
    cases: dict[str, Callable[[Any], object]] = {
        "SELECT 1 (baseline)": lambda db: db.connection().execute(text("SELECT 1")).all(),
        "my to-do list, page 1": lambda db: tasks.list_tasks(db, p, tasks.filter_of(), today=today),
        "office, every status, page 40": lambda db: tasks.list_tasks(db, p, office, page=40, today=today),
        "office, sort by employer desc": lambda db: tasks.list_tasks(db, p, office, "employer", True, today=today),
        "office, one employer": lambda db: tasks.list_tasks(
            db, p, tasks.filter_of(mine=False, employer_id=some_employer, status=""), today=today
        ),
        "office, kind + overdue": lambda db: tasks.list_tasks(
            db, p, tasks.filter_of(mine=False, kind="review", overdue=True), today=today
        ),
        "board counts": lambda db: tasks.board_counts(db, p, office),
        "dashboard task_counts": lambda db: tasks.task_counts(db, p, today),
    }
    base = None
    print(f"{'query':34} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9}")
    for name, fn in cases.items():
        p50, p95 = timed(fn)
        base = base or p95
        print(f"{name:34} {p50:8.2f} {p95:8.2f} {p95 / base:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
