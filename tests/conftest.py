"""Test-wide set-up: a private var/ folder, perf mode for Reflex states, and database fixtures."""

from __future__ import annotations

import contextlib
import itertools
import os
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

# Each test process its own var/ (SQLite files, job queue, stored files): under pytest-xdist every worker, which
# would otherwise inherit the folder of the process that started it.
# The folder is on tmpfs (/dev/shm) where there is one: the tests' SQLite files, job queue and stored files then
# never wait for the disk to confirm a write (fsync), which on a slow disk costs more than the tests themselves.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_SHM = Path("/dev/shm")
_STALE_SECONDS = 6 * 3600  # a failed run's folder (kept for its logs) is removed by a run this much later
_VAR = Path(
    tempfile.mkdtemp(
        prefix=f"portal-test-var-{WORKER}-",
        dir=_SHM if _SHM.is_dir() and os.access(_SHM, os.W_OK) else None,
    )
)
os.environ["PORTAL_VAR_DIR"] = str(_VAR)
for _old in _VAR.parent.glob("portal-test-var-*"):  # tmpfs is memory: failed runs' folders do not stay for ever
    with contextlib.suppress(OSError):
        if time.time() - _old.stat().st_mtime > _STALE_SECONDS:
            shutil.rmtree(_old, ignore_errors=True)
os.environ["REFLEX_PERF_MODE"] = "raise"
# Reflex's on-disk states (``.states`` in the checkout by default) per test process: each worker that imports the
# app purges the expired ones it finds, and two workers purging one folder race over the same files.
os.environ["REFLEX_STATES_WORKDIR"] = str(_VAR / "states")
# Password hashes at the lowest costs the settings allow: sign-in tests test the rules, not argon2's cost (a
# hash at the default costs takes a quarter of a second here). test_accounts checks the defaults.
os.environ["PORTAL_PASSWORD_HASH_TIME_COST"] = "1"
os.environ["PORTAL_PASSWORD_HASH_MEMORY_KIB"] = "1024"
os.environ.pop("PORTAL_DATABASE_URL", None)
os.environ.pop("PORTAL_SMTP_URL", None)

import psycopg
from hypothesis import HealthCheck, settings
from sqlalchemy import make_url, text
from sqlmodel import Session, SQLModel

from portal.core import migrate
from portal.core.config import get_settings
from portal.core.db import get_engine

# Property tests: no time limits (a loaded 2-core CI machine is slow) and a fixed seed, so a run is repeatable.
settings.register_profile("portal", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("portal")

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("PORTAL_TEST_POSTGRES_URL") else [])
# Names of this process's PostgreSQL databases: the server may be shared by other checkouts and by the workers
# of this run (pytest-xdist), so each worker of each run has its own, dropped at the end of the session.
RUN_ID = os.environ.get("PORTAL_TEST_RUN_ID") or secrets.token_hex(3)
ASYNC_COMMIT = "-c synchronous_commit=off"


def use_database(url: str) -> None:
    """Point the portal's settings and engine at ``url`` ('' = the SQLite file under the test var/)."""
    if url:
        os.environ["PORTAL_DATABASE_URL"] = url
    else:
        os.environ.pop("PORTAL_DATABASE_URL", None)
    get_settings.cache_clear()
    get_engine.cache_clear()


def _switch(url: str) -> None:
    """Close every pooled connection of the current engine, then point the portal at ``url``."""
    get_engine().dispose()
    use_database(url)


class _SqliteFiles:
    """The SQLite file under the test var/ and its templates: migrated once, demo data loaded once; a test
    gets a fresh copy of one of them (a file copy, milliseconds) instead of migrating or seeding again."""

    def __init__(self) -> None:
        self.live = _VAR / "portal.db"
        self.dir = _VAR / "templates"
        self.templates: dict[str, Path] = {}

    def restore(self, name: str) -> None:
        get_engine().dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(self.live) + suffix).unlink(missing_ok=True)
        tmp = self.live.with_suffix(".copy")
        shutil.copyfile(self.template(name), tmp)
        os.replace(tmp, self.live)
        use_database("")

    def template(self, name: str) -> Path:
        if name not in self.templates:
            if name == "empty":
                for suffix in ("", "-wal", "-shm"):
                    Path(str(self.live) + suffix).unlink(missing_ok=True)
                use_database("")
                migrate.upgrade()
            else:
                self.restore("empty")
                _load_demo("sqlite")
            self.templates[name] = self._save(name)
        return self.templates[name]

    def _save(self, name: str) -> Path:
        get_engine().dispose()
        self.dir.mkdir(exist_ok=True)
        path = self.dir / f"{name}.db"
        with closing(sqlite3.connect(self.live)) as src, closing(sqlite3.connect(path)) as dst:
            src.backup(dst)  # a consistent copy, whatever is still in the WAL
        return path


class _Postgres:
    """This worker's PostgreSQL databases: ``<db>_<run>_<worker>`` (migrated, emptied after each test) and,
    once a test asks for demo data, a template holding it, copied per test with CREATE DATABASE … TEMPLATE.

    A copy takes the server a few hundred milliseconds, so the next test's copy is made in the background while
    the current test runs (one thread, which also drops the used copies); a test still gets a copy no other test
    has touched."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"{self.url.database or 'portal'}_{RUN_ID}_{WORKER}".lower()
        self.created: list[str] = []
        self.tablespace: tuple[str, Path] | bool | None = False  # False: not looked for yet
        self.templates: dict[str, str] = {}
        self._copies = itertools.count(1)
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-copies")
        self._next: tuple[str, Future[str]] | None = None  # (template, its copy being made)

    def url_of(self, name: str) -> str:
        """The address the portal (and every process a test starts) is given for database ``name``: its commits
        do not wait for the server's disk (``synchronous_commit=off``; a crash of the server could lose the last
        commits, which a test database never outlives)."""
        url = self.url.set(database=name).update_query_dict({"options": ASYNC_COMMIT})
        return url.render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> None:
        with psycopg.connect(self._admin_url(), autocommit=True, options=ASYNC_COMMIT) as conn:
            for statement in statements:
                conn.execute(statement)

    def _memory_tablespace(self) -> tuple[str, Path] | None:
        """A tablespace of this worker's on tmpfs, when the server runs on this machine and we may make a folder
        of the server's own user there: then the checkpoint that every DROP DATABASE forces writes the copies'
        pages to memory instead of waiting for the disk (seconds per test on a slow disk). Else None: the
        server's default place."""
        if self.tablespace is False:
            self.tablespace = None
            if _SHM.is_dir() and self.url.host in (None, "", "localhost", "127.0.0.1", "::1"):
                folder = _SHM / f"portal-pg-{self.prefix}"
                name = f"{self.prefix}_memory"
                try:
                    with psycopg.connect(self._admin_url(), autocommit=True) as conn:
                        row = conn.execute("SELECT current_setting('data_directory')").fetchone()
                        owner = Path(row[0]).stat() if row else None
                        if owner is not None:
                            folder.mkdir(exist_ok=True)
                            os.chown(folder, owner.st_uid, owner.st_gid)
                            os.chmod(folder, 0o700)
                            conn.execute(f'DROP TABLESPACE IF EXISTS "{name}"')
                            conn.execute(f"CREATE TABLESPACE \"{name}\" LOCATION '{folder}'")
                            self.tablespace = (name, folder)
                except (OSError, psycopg.Error):  # another machine's server, or no right to: the default place
                    shutil.rmtree(folder, ignore_errors=True)
        return self.tablespace or None

    def _admin_url(self) -> str:
        return self.url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    def create(self, name: str, template: str = "template0") -> str:
        memory = self._memory_tablespace()
        where = f' TABLESPACE "{memory[0]}"' if memory else ""
        self._admin(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}" TEMPLATE "{template}"{where}'
        )
        if name not in self.created:
            self.created.append(name)
        return self.url_of(name)

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def base(self) -> str:
        """The worker's own migrated database (empty between tests)."""
        name = self.prefix
        if name not in self.created:
            _switch(self.create(name))
            migrate.upgrade()
        return self.url_of(name)

    def template(self, kind: str) -> str:
        if kind not in self.templates:
            name = f"{self.prefix}_{kind}"
            _switch(self.create(name))
            migrate.upgrade()
            _load_demo("postgres")
            _switch(self.base())  # no connection may stay open on a template
            self.templates[kind] = name
        return self.templates[kind]

    def fresh_copy(self, kind: str) -> str:
        """The name of a new copy of the ``kind`` template (made while the previous test ran, when it could be),
        and the next one started."""
        template = self.template(kind)
        pending, self._next = self._next, None
        try:
            made = pending[1].result() if pending and pending[0] == template else self._copy(template)
        except Exception:  # the background copy failed: make this one here (a second failure is the test's)
            made = self._copy(template)
        self._next = (template, self._background.submit(self._copy, template))
        return made

    def _copy(self, template: str) -> str:
        name = f"{self.prefix}_test{next(self._copies)}"
        self.create(name, template)
        return name

    def drop_later(self, name: str) -> None:
        """Drop ``name`` in the background (the server checkpoints on every DROP DATABASE)."""
        self._background.submit(self.drop, name)

    def drop_all(self) -> None:
        self._background.shutdown(wait=True)
        get_engine().dispose()
        for name in list(reversed(self.created)):
            self.drop(name)
        if self.tablespace:
            name, folder = self.tablespace
            with contextlib.suppress(psycopg.Error):
                self._admin(f'DROP TABLESPACE IF EXISTS "{name}"')
            shutil.rmtree(folder, ignore_errors=True)


_SQLITE = _SqliteFiles()
_POSTGRES = _Postgres(os.environ["PORTAL_TEST_POSTGRES_URL"]) if "postgres" in BACKENDS else None


def _load_demo(backend: str) -> None:
    """Load the demo data into the current database; keep the stored files it made (the demo documents' PDFs)
    beside the template, since tests may delete or add stored files."""
    from portal.demo.seed import seed_demo

    with Session(get_engine(), expire_on_commit=False) as session:
        seed_demo(session)
    get_engine().dispose()
    files = _VAR / "files"
    if files.exists():
        shutil.copytree(files, _VAR / "templates" / f"files-{backend}", dirs_exist_ok=True)


def _restore_files(backend: str) -> None:
    """The stored files as they were after the demo data was loaded on ``backend``."""
    shutil.rmtree(_VAR / "files", ignore_errors=True)
    saved = _VAR / "templates" / f"files-{backend}"
    if saved.exists():
        shutil.copytree(saved, _VAR / "files")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop this worker's PostgreSQL databases (each worker process runs this hook for its own) and remove its
    var/ folder, unless a test failed: then it stays for its logs (e.g. the e2e server's) and is named."""
    if _POSTGRES is not None and _POSTGRES.created:
        _POSTGRES.drop_all()
    if exitstatus == 0:
        get_engine().dispose()
        shutil.rmtree(_VAR, ignore_errors=True)
    else:
        print(f"\nthis test process's var/ folder (logs, databases) is kept: {_VAR}")


@pytest.fixture(scope="session", params=BACKENDS)
def database(request: pytest.FixtureRequest) -> Iterator[str]:
    """A freshly migrated, empty database: a SQLite file, and PostgreSQL when PORTAL_TEST_POSTGRES_URL is set.

    Each worker migrates once per backend and keeps the result as a template; switching back to a backend
    (the order of tests under pytest-xdist may alternate) restores that template or empties the database."""
    backend = request.param
    if backend == "postgres":
        assert _POSTGRES is not None
        _switch(_POSTGRES.base())
        _wipe()
    else:
        _SQLITE.restore("empty")
    yield backend
    _switch("")


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
def demo_data() -> None:
    """Asked for by a test (or by one of its fixtures): the ``db`` fixture starts from the demo data set
    (``seed_demo``) instead of an empty database. The data is loaded once per worker and backend; each test
    gets its own copy, so what a test changes is never seen by another."""


@pytest.fixture
def db(request: pytest.FixtureRequest, database: str) -> Iterator[Session]:
    """A session on a fresh, migrated database: empty, or holding the demo data when the test uses
    ``demo_data``. It is empty again after the test."""
    demo = "demo_data" in request.fixturenames
    copy = None
    if database == "postgres" and demo:
        assert _POSTGRES is not None
        copy = _POSTGRES.fresh_copy("demo")
        _switch(_POSTGRES.url_of(copy))
    elif database == "sqlite":
        _SQLITE.restore("demo" if demo else "empty")
    if demo:
        _restore_files(database)
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session
    if copy is not None:
        assert _POSTGRES is not None
        _switch(_POSTGRES.base())
        _POSTGRES.drop_later(copy)
    elif database == "sqlite":
        _SQLITE.restore("empty")
    else:
        _wipe()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop running in the main thread for the
    rest of the session (the browser is session-wide), and asyncio tests cannot start their own loop after
    that. The sort is stable, so the order within each group stays as collected."""
    items.sort(key=lambda item: "e2e" in item.path.parts)


@pytest.fixture(autouse=True)
def _no_remembered_refusals() -> Iterator[None]:
    """Each test starts with no refusal remembered by the page guard's "one refused page load, one audit entry"
    (``portal.state.auth._refused_at``): tests reuse session tokens and addresses within seconds."""
    auth = sys.modules.get("portal.state.auth")
    if auth is not None:
        auth._refused_at.clear()  # type: ignore[attr-defined]
    yield
