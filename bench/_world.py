"""Set-up shared by the benchmarks (not a benchmark itself): a private var/ folder and database, and a large
generated employer in it."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# The environment that makes ``reflex run`` serve the portal with the benchmarks' bare counter page
# (``bench/_counter_app.py``, at /bench/counter) instead of the portal alone.
COUNTER_APP = {"REFLEX_APP_MODULE_IMPORT": "bench._counter_app"}


def private_env(prefix: str, keep: str = "", database_url: str = "") -> dict[str, str]:
    """Point this process (and the commands it starts) at a fresh var/ folder (or ``keep``), SQLite by
    default or ``database_url``, with the embedded job queue. Call before importing the portal."""
    var_dir = Path(keep) if keep else Path(tempfile.mkdtemp(prefix=f"portal-bench-{prefix}-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PORTAL_VAR_DIR=str(var_dir))
    env.pop("PORTAL_REDIS_URL", None)
    if database_url:
        env["PORTAL_DATABASE_URL"] = database_url
    else:
        env.pop("PORTAL_DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    return env


def generated_employer(env: dict[str, str], participants: int) -> tuple[Any, Any]:
    """Migrate, generate an employer with ``participants`` when the database has none (a kept folder is
    reused), and return the newest employer and its first scheme."""
    from sqlmodel import select

    from portal.core.db import session_scope
    from portal.models import Employer, Scheme

    portal = str(ROOT / ".venv" / "bin" / "portal")
    subprocess.run([portal, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    with session_scope() as db:
        employer = db.exec(select(Employer).order_by(Employer.id.desc())).first()  # type: ignore[union-attr]
    if employer is None:
        started = time.perf_counter()
        subprocess.run([portal, "generate-employer", "--participants", str(participants)], env=env, check=True)
        print(f"generated {participants:,} participants in {time.perf_counter() - started:.1f} s")
    with session_scope() as db:
        employer = db.exec(select(Employer).order_by(Employer.id.desc())).first()  # type: ignore[union-attr]
        assert employer is not None
        scheme = db.exec(select(Scheme).where(Scheme.employer_id == employer.id).order_by(Scheme.id)).first()
        assert scheme is not None
    return employer, scheme


def migrated(empty_first: bool = False) -> Any:
    """Migrate the database the portal points at (a PostgreSQL one is emptied first when ``empty_first``); its
    engine."""
    from sqlalchemy import text

    from portal.core import migrate
    from portal.core.db import get_engine

    engine = get_engine()
    if engine.dialect.name == "postgresql" and empty_first:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade()
    return engine


def generated_portfolio(employers: int, participants: int, empty_first: bool = False) -> tuple[int, list[int]]:
    """The dashboard benchmarks' portfolio (``portal generate-portfolio``): migrate (a PostgreSQL database is
    emptied first when ``empty_first``), generate ``employers`` employers with ``participants`` in all in the first
    office when the database has no employer yet (a kept database is reused), and return that office's id and its
    employers' ids. PostgreSQL is vacuumed and analysed (the steady state autovacuum reaches after a bulk load)."""
    from sqlmodel import Session, select

    from portal.demo.portfolio import generate_portfolio
    from portal.models import Employer, IntermediaryOffice

    engine = migrated(empty_first)
    with Session(engine) as db:
        if db.exec(select(Employer.id)).first() is None:
            started = time.perf_counter()

            def progress(i: int, n: int) -> None:
                if i % 20 == 0 or i == n:
                    print(f"  {i}/{n} employers, {time.perf_counter() - started:.0f} s", flush=True)

            generate_portfolio(db, employers, participants, progress=progress)
            took = time.perf_counter() - started
            print(f"generated {employers} employers, {participants:,} participants in {took:.1f} s", flush=True)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        office = db.exec(select(IntermediaryOffice.id).order_by(IntermediaryOffice.id)).first()
        assert office is not None
        ids = [int(i or 0) for i in db.exec(select(Employer.id).where(Employer.office_id == office)).all()]
    return office, ids


def database_options(parser: Any, what: str = "the SQLite file") -> None:
    """The benchmarks' database options: ``--database-url`` (PostgreSQL, emptied), ``--reuse``, ``--keep``."""
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: keep the data of an earlier run")
    parser.add_argument("--keep", default="", help=f"folder for {what}; reused when it has data")
