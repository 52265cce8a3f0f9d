"""Server-side timings of the intermediary's portfolio dashboard (INT-1 speed).

Generates a portfolio (default 200 employers, 250,000 participants; ``portal generate-portfolio``) in a fresh
SQLite database (or PostgreSQL with ``--database-url``; that database is emptied first), then times, the way the
dashboard's state calls them (a new session per call, like ``session_scope``):

- first load, cold: figures + the first page of the employer table with nothing counted yet (a new memo: the
  first look of the day, or after a restart), and with the charts;
- first load, warm: a new page opened when the process has counted the portfolio before (the service's shared
  memo; only employers whose data changed since are counted again);
- search / sort / filter / page: the table as the open page asks for it (no participant is counted again);
- refresh after a change: one employer's data changed (its version moved), dashboard + charts with the memo;
- the live view's version poll;

and prints p50 / p95 in milliseconds, with a bare ``SELECT 1`` round trip of the same run. Exits 0 when it ran.

    .venv/bin/python bench/dashboard.py [--employers 200] [-n 250000] [--rounds 30] [--keep DIR]
    .venv/bin/python bench/dashboard.py --database-url postgresql://postgres@127.0.0.1/bench [--reuse]
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

from bench._world import database_options


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
    parser.add_argument("--employers", type=int, default=200, help="employers to generate")
    parser.add_argument("-n", type=int, default=250_000, help="participants to generate, in all")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls per kind")
    database_options(parser)
    args = parser.parse_args()
    _setup(args)

    from sqlalchemy import update
    from sqlmodel import Session, col, select

    from bench._world import generated_portfolio
    from portal.core.db import get_engine, session_scope
    from portal.domain.roles import FrontEnd
    from portal.models import CompanyGroup, Employer
    from portal.services import dashboard
    from portal.services.principal import Principal

    engine = get_engine()
    office, portfolio = generated_portfolio(
        args.employers, args.n, empty_first=bool(args.database_url and not args.reuse)
    )
    ids = frozenset(portfolio)
    with Session(engine) as db:
        group = db.exec(select(CompanyGroup.id).order_by(CompanyGroup.id)).first()
        sample = db.exec(select(Employer).order_by(col(Employer.id).desc())).first()
    adviser = Principal(1, "bench", "Bench", FrontEnd.INTERMEDIARY, frozenset({"adviser"}), ids, office_id=office)
    memo = None  # the service's process-wide memo, as the app uses it

    def board(fresh: bool = False, charts: bool = False, **kw: Any) -> Callable[[], None]:
        def run() -> None:
            used = dashboard.PortfolioMemo() if fresh else memo
            with session_scope() as db:
                dashboard.dashboard(db, adviser, memo=used, **kw)
                if charts:
                    dashboard.chart_data(db, adviser, memo=used)

        return run

    def bare() -> None:
        with session_scope() as db:
            db.connection().exec_driver_sql("SELECT 1").scalar()

    def version() -> None:
        with session_scope() as db:
            dashboard.portfolio_version(db, adviser)

    def changed() -> None:
        """One employer's data changed elsewhere (its version moves), then the live refresh."""
        with session_scope() as db:
            bump = update(Employer).where(col(Employer.id) == sample.id).values(data_version=Employer.data_version + 1)
            db.exec(bump)
        board(charts=True)()

    kinds: list[tuple[str, Callable[[], None]]] = [
        ("bare SELECT 1", bare),
        ("first load, cold: figures + table (new memo)", board(fresh=True)),
        ("first load, cold + charts (new memo)", board(fresh=True, charts=True)),
        ("first load, warm: figures + table", board()),
        ("first load, warm + charts", board(charts=True)),
        ("table page 5", board(page=5)),
        ("search name", board(search=sample.name.split()[0][:4])),
        ("search KvK prefix", board(search=sample.kvk_number[:4])),
        ("search nothing found", board(search="zzzz")),
    ]
    for column in dashboard.SORT_COLUMNS:
        kinds.append((f"sort {column} desc", board(sort=column, direction="desc")))
    kinds += [
        ("filter group", board(group=str(group))),
        ("filter needs attention", board(attention=True)),
        ("search + filter + sort", board(search="a", attention=True, sort="premium", direction="desc")),
        ("refresh after a change (1 employer)", changed),
        ("version poll", version),
    ]
    results = []
    for label, run in kinds:
        rounds = 5 if "new memo" in label else args.rounds
        run()  # warm up (and fill the kept memo)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            run()
            samples.append((time.perf_counter() - started) * 1000)
        results.append((label, *_percentiles(samples)))
    base_p50 = results[0][1]
    print(f"{engine.dialect.name}, {len(ids)} employers; ms per server round trip (new session per call)")
    print(f"{'kind':42} {'p50':>8} {'p95':>8} {'p50/bare':>9}")
    for label, p50, p95 in results:
        print(f"{label:42} {p50:8.2f} {p95:8.2f} {p50 / base_p50:9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
