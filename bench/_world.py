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
