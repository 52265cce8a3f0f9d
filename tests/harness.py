"""Start the real app (prod build, one port) as a subprocess, and launch Debian's Chromium: shared by the
end-to-end tests and the browser benchmarks."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
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
