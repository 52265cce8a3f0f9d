"""Test-wide set-up: a private var/ folder, perf mode for Reflex states, and database fixtures."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_VAR = Path(tempfile.mkdtemp(prefix="portal-test-var-"))
os.environ.setdefault("PORTAL_VAR_DIR", str(_VAR))
os.environ["REFLEX_PERF_MODE"] = "raise"
os.environ.pop("PORTAL_DATABASE_URL", None)
os.environ.pop("PORTAL_SMTP_URL", None)

from hypothesis import HealthCheck, settings
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from portal import migrate
from portal.config import get_settings
from portal.db import get_engine

# Property tests: no time limits (a loaded 2-core CI machine is slow) and a fixed seed, so a run is repeatable.
settings.register_profile("portal", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("portal")

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("PORTAL_TEST_POSTGRES_URL") else [])


def use_database(url: str) -> None:
    """Point the portal's settings and engine at ``url`` ('' = the SQLite file under the test var/)."""
    if url:
        os.environ["PORTAL_DATABASE_URL"] = url
    else:
        os.environ.pop("PORTAL_DATABASE_URL", None)
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A freshly migrated database: a SQLite file, and PostgreSQL when PORTAL_TEST_POSTGRES_URL is set."""
    backend = request.param
    if backend == "postgres":
        use_database(os.environ["PORTAL_TEST_POSTGRES_URL"])
        with get_engine().begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db_file = _VAR / "portal.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        use_database("")
    migrate.upgrade()
    yield backend
    get_engine().dispose()
    use_database("")


def _wipe() -> None:
    engine = get_engine()
    tables = list(reversed(SQLModel.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(t.delete())


@pytest.fixture
def db(database: str) -> Iterator[Session]:
    """A session on an empty, migrated database (wiped after the test)."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session
    _wipe()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main thread for the
    rest of the session (the browser is session-wide), and asyncio tests cannot start their own loop after
    that. The sort is stable, so the order within each group stays as collected."""
    items.sort(key=lambda item: "e2e" in item.path.parts)
