"""Start the real app (prod build, one port) as a subprocess, and launch Debian's Chromium: shared by the
end-to-end tests and the browser benchmarks."""

from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now, below the kernel's ephemeral range. An app server binds
    its port only after its build (a minute or more); a port from that range could meanwhile be handed out to
    any socket bound to port 0 (the tests' SMTP servers and eID providers, outgoing connections)."""
    low = _ephemeral_low()
    for _ in range(500):
        port = random.randint(max(1024, low - 12_000), low - 1)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below the ephemeral range")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def app_env(var_dir: Path, database_url: str, base_url: str, **extra: str) -> dict[str, str]:
    """The environment of an app process: its own var/ and database, bun on PATH, perf mode on, and this
    process's TOTP keys (secrets this process stores, the app reads)."""
    from portal.core import totp_secrets

    env = dict(os.environ)
    env.update(
        PORTAL_TOTP_KEY=",".join(totp_secrets.configured_keys()),
        PORTAL_VAR_DIR=str(var_dir),
        PORTAL_DATABASE_URL=database_url,
        PORTAL_BASE_URL=base_url,
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_PERF_MODE="raise",
        REFLEX_TELEMETRY_ENABLED="false",
        PATH=f"{ROOT / '.tools' / 'bin'}:{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}",
    )
    env.update(extra)
    return env


@contextmanager
def running_app(env: dict[str, str], port: int, log_path: Path, timeout: float = 300) -> Iterator[str]:
    """Build and serve the app in prod mode on ``port``; yield its base URL; stop its process group after."""
    base = f"http://localhost:{port}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [str(ROOT / ".venv/bin/reflex"), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            _wait_until_up(proc, base, log_path, timeout)
            yield base
        finally:
            stop_group(proc, 15)


def stop_group(proc: subprocess.Popen, timeout: float) -> None:
    """Stop a process started with ``start_new_session``, and its children: SIGTERM, SIGKILL after ``timeout``."""
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)


def _wait_until_up(proc: subprocess.Popen, base: str, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()[-3000:]}")
        with (
            suppress(OSError),
            urllib.request.urlopen(f"{base}/ping", timeout=2) as r,
            urllib.request.urlopen(f"{base}/login", timeout=5) as r2,
        ):
            if r.status == 200 and r2.status == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not start: {log_path.read_text()[-3000:]}")
        time.sleep(1)


def portal_cli(env: dict[str, str], *args: str) -> None:
    """Run the ``portal`` command (migrate, seed, ...) against the app's database."""
    subprocess.run([str(ROOT / ".venv/bin/portal"), *args], env=env, cwd=ROOT, check=True)


def sign_in(page: Any, username: str, password: str, secret: str, home: str = "/employer") -> None:
    """Sign in through the Dutch login page with password and TOTP (benchmarks; the e2e tests keep their own
    session-reusing login), and wait for ``home`` to be ready."""
    import pyotp

    page.goto("/login")
    page.wait_for_selector('#page-ready[data-path="/login"]', state="attached")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Verificatiecode").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_selector(f'#page-ready[data-path="{home}"]', state="attached")


@dataclass
class ScaledOut:
    """A running scaled-out app: its address, database, and processes (the server's supervisor, whose children
    are the backend workers, and the job workers)."""

    base: str
    database_url: str
    app: subprocess.Popen
    job_workers: list[subprocess.Popen]

    def backend_workers(self) -> list[int]:
        """The pids of the backend worker processes (granian's workers: the supervisor's children)."""
        children = Path(f"/proc/{self.app.pid}/task/{self.app.pid}/children").read_text().split()
        return sorted(int(pid) for pid in children)

    def job_worker_pids(self) -> set[int]:
        """The pids of the ``portal worker`` processes (and their children, should they fork)."""
        pids = {p.pid for p in self.job_workers}
        for pid in list(pids):
            with suppress(OSError):
                pids |= {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
        return pids


def scaled_out_available(postgres_url: str) -> str:
    """'' when PostgreSQL (at ``postgres_url``'s server) and Redis (127.0.0.1:6379) answer, else why not."""
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    for name, host, port in (("PostgreSQL", url.host or "127.0.0.1", url.port or 5432), ("Redis", "127.0.0.1", 6379)):
        try:
            socket.create_connection((host, port), 0.5).close()
        except OSError:
            return f"the scaled-out mode needs {name}: nothing answers at {host}:{port}"
    return ""


class ScaledDatabase:
    """The scaled-out app's PostgreSQL database for one run (``<prefix>_<run id>``) with the demo data, loaded by
    a ``portal setup --demo`` started in the background (``start``: it takes a quarter of a minute, which
    then overlaps with the front-end build), and dropped by ``drop``."""

    def __init__(self, postgres_url: str, env: dict[str, str], prefix: str = "portal_e2e_scaled") -> None:
        from sqlalchemy.engine import make_url

        url = make_url(postgres_url)
        self.name = f"{prefix}_{os.environ.get('PORTAL_TEST_RUN_ID') or secrets.token_hex(3)}".lower()
        self.admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        self.url = url.set(database=self.name).render_as_string(hide_password=False)
        self.env = dict(env, PORTAL_DATABASE_URL=self.url)
        self.setup: subprocess.Popen | None = None
        self.log_path = Path(env["PORTAL_VAR_DIR"]).with_suffix(".setup.log")

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(statement)

    def start(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')
        with open(self.log_path, "w") as log:
            self.setup = subprocess.Popen(
                [str(ROOT / ".venv/bin/portal"), "setup", "--demo"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip

    def ready(self) -> str:
        """Wait for the demo data; the database's URL."""
        assert self.setup is not None, "start() first"
        if self.setup.wait(timeout=300) != 0:
            raise RuntimeError(f"portal setup --demo failed: {self.log_path.read_text()[-3000:]}")
        return self.url

    def drop(self) -> None:
        if self.setup is not None and self.setup.poll() is None:
            stop_group(self.setup, 5)
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@contextmanager
def running_scaled(
    env: dict[str, str],
    port: int,
    database: ScaledDatabase,
    redis_dbs: tuple[int, int],
    log_path: Path,
    timeout: float = 180,
) -> Iterator[ScaledOut]:
    """Serve the app scaled out (issue 16): on ``database`` (PostgreSQL, demo data), Reflex's state on Redis db
    ``redis_dbs[0]`` with two backend workers, the job queue on Redis db ``redis_dbs[1]`` (both flushed before
    and after) with two ``portal worker`` processes, one file folder (``PORTAL_VAR_DIR``) for all. Serves the
    front end this checkout's ``.web`` already holds (built by ``running_app``): ``tests/serve_built.py``."""
    import redis

    redis_urls = [f"redis://127.0.0.1:6379/{n}" for n in redis_dbs]
    env = dict(env, PORTAL_DATABASE_URL=database.ready(), REFLEX_REDIS_URL=redis_urls[0])
    env.update(PORTAL_REDIS_URL=redis_urls[1], GRANIAN_WORKERS="2")
    var_dir = Path(env["PORTAL_VAR_DIR"])

    def flush() -> None:
        for url in redis_urls:
            redis.Redis.from_url(url).flushdb()

    flush()
    procs: list[subprocess.Popen] = []
    try:
        with open(log_path, "w") as log:
            app = subprocess.Popen(
                [str(ROOT / ".venv/bin/python"), "-m", "tests.serve_built", "--port", str(port),
                 "--web-dir", str(var_dir / "web")],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            procs.append(app)
            worker, out = [str(ROOT / ".venv/bin/portal"), "worker", "--workers", "2"], subprocess.STDOUT
            workers = [
                subprocess.Popen(worker, cwd=ROOT, env=env, stdout=log, stderr=out, start_new_session=True)
                for _ in range(2)
            ]
            procs += workers
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(app, base, log_path, timeout)
            yield ScaledOut(base, database.url, app, workers)
    finally:
        stop_groups(procs, 15)
        flush()


def stop_groups(procs: list[subprocess.Popen], timeout: float) -> None:
    """``stop_group`` for several processes at once: all are told to stop before any is waited for."""
    for proc in procs:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in procs:
        stop_group(proc, max(0.1, deadline - time.monotonic()))
