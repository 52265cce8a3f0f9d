"""Server-side timings of the participant overview's queries on a generated employer (EMP-2 speed).

Generates an employer with 100,000 participants in a fresh SQLite database (or PostgreSQL with
``--database-url``; that database is emptied first), then times each query kind the way the overview's
state calls it (a new session per call, like ``session_scope``) and prints p50 / p95 in milliseconds,
with a bare ``SELECT 1`` round trip measured in the same run as the baseline ratio. Exits 0 when it ran.

    .venv/bin/python bench/participant_queries.py [-n 100000] [--rounds 30] [--keep DIR]
    .venv/bin/python bench/participant_queries.py --database-url postgresql://postgres@127.0.0.1/bench [--reuse]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup(args: argparse.Namespace) -> None:
    """Point the portal at a private database before it is imported."""
    var_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="portal-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PORTAL_VAR_DIR"] = str(var_dir)
    if args.database_url:
        os.environ["PORTAL_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("PORTAL_DATABASE_URL", None)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="participants to generate")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls per query kind")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: keep the data of an earlier run")
    parser.add_argument("--keep", default="", help="folder for the SQLite file; reused when it has data")
    args = parser.parse_args()
    _setup(args)

    from sqlalchemy import text
    from sqlmodel import Session, select

    from portal.core import migrate
    from portal.core.db import get_engine, session_scope
    from portal.demo.seed import generate_employer
    from portal.domain.roles import FrontEnd
    from portal.models import Employer, Participation, Person, Scheme
    from portal.services import participants
    from portal.services.principal import Principal

    engine = get_engine()
    if args.database_url and not args.reuse:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade()
    with Session(engine) as db:
        employer_id = db.exec(select(Employer.id).order_by(Employer.id)).first()
        if employer_id is None:
            started = time.perf_counter()
            employer_id = generate_employer(db, args.n, name="Bench B.V.")
            print(f"generated {args.n:,} participants in {time.perf_counter() - started:.1f} s")
        if engine.dialect.name == "postgresql":  # the steady state autovacuum reaches after a bulk load
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        scheme_id = db.exec(select(Scheme.id).where(Scheme.employer_id == employer_id, Scheme.kind == "OP")).one()
        sample = db.exec(
            select(Participation.participant_number, Person.bsn, Person.last_name, Person.name_prefix)
            .join(Person, Person.id == Participation.person_id)  # type: ignore[arg-type]
            .where(Participation.scheme_id == scheme_id, Person.name_prefix != "")
            .limit(1)
        ).one()
    number, bsn, last_name, prefix = sample
    hr = Principal(1, "bench", "Bench", FrontEnd.EMPLOYER, frozenset({"hr"}), frozenset({employer_id}))

    def listing(**kw: Any) -> Callable[[], None]:
        def run() -> None:
            with session_scope() as db:
                participants.list_participants(db, hr, str(scheme_id), **kw)

        return run

    def bare() -> None:
        with session_scope() as db:
            db.connection().exec_driver_sql("SELECT 1").scalar()

    def detail() -> None:
        with session_scope() as db:
            participants.participant_detail(db, hr, number, scheme_id=scheme_id)

    def home() -> None:
        with session_scope() as db:
            participants.home_counts(db, hr, employer_id)

    def version() -> None:
        with session_scope() as db:
            participants.data_version(db, hr, employer_id)

    kinds: list[tuple[str, Callable[[], None]]] = [("bare SELECT 1", bare), ("first page", listing())]
    kinds += [(f"next page {p}", listing(page=p)) for p in (2, 200, 4000)]
    for column in participants.SORT_COLUMNS:
        for direction in ("asc", "desc"):
            kinds.append((f"sort {column} {direction}", listing(sort=column, direction=direction)))
    kinds += [
        ("search last name", listing(search=last_name[:4])),
        ("search prefix + name", listing(search=f"{prefix} {last_name}")),
        ("search number prefix", listing(search=number[:4])),
        ("search BSN", listing(search=bsn)),
        ("search + sort salary", listing(search=last_name[:2], sort="salary", direction="desc")),
        ("search matching all ('1')", listing(search="1")),
        ("search matching all, page 100", listing(search="1", page=100, sort="salary")),
    ]
    for status in participants.STATUSES:
        kinds.append((f"status {status}", listing(status=status)))
    kinds += [
        ("status retired, sort salary desc", listing(status="retired", sort="salary", direction="desc")),
        ("status active, sort salary desc", listing(status="active", sort="salary", direction="desc")),
        ("as of 2025-01-01 (versions)", listing(as_of="2025-01-01", sort="salary")),
        ("detail (audited)", detail),
        ("home counts", home),
        ("data_version", version),
    ]
    results = []
    for label, run in kinds:
        rounds = 5 if label.startswith("as of") else args.rounds
        run()  # warm up
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1000)
        results.append((label, *_percentiles(samples)))
    base_p50 = results[0][1]
    print(f"{engine.dialect.name}, {args.n:,} participants; ms per server round trip (new session per call)")
    print(f"{'query':40} {'p50':>8} {'p95':>8} {'p50/bare':>9}")
    for label, p50, p95 in results:
        print(f"{label:40} {p50:8.2f} {p95:8.2f} {p50 / base_p50:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
