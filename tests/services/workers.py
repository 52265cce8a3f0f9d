"""``portal worker`` processes for the kill tests: started in a session of their own on this test's var/ and
database, killed with SIGKILL in the middle of a job, stopped with SIGTERM at the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from portal.core.config import get_settings
from portal.services.background import holders

ROOT = Path(__file__).resolve().parents[2]


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a worker process: this test's var/ folder and database, plus ``extra``."""
    settings = get_settings()
    env = {**os.environ, "PORTAL_VAR_DIR": str(settings.var_dir), **extra}
    if settings.database_url:
        env["PORTAL_DATABASE_URL"] = settings.database_url
    return env


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A ``portal worker`` with one thread (its start queues again what a killed worker left)."""
    return subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "worker", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(worker: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker's process group and reap it (a reaped process no longer exists for its successor)."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(10)


def stop(worker: subprocess.Popen[bytes]) -> None:
    """Stop the worker as an operator would (SIGTERM), or kill it when it does not stop."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        kill(worker)


def gone_pid() -> int:
    """The id of a process of this machine that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def owner(pid: int, machine: str = holders.MACHINE) -> str:
    """A job run's owner string for an attempt of process ``pid`` on ``machine``."""
    return f"{machine}|{pid}|abc123"


def wait_until(done: Callable[[], bool], seconds: float, what: str, every: float = 0.05) -> None:
    """Poll ``done`` until it holds (AssertionError naming ``what`` after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if done():
            return
        time.sleep(every)
    raise AssertionError(f"{what} did not happen within {seconds} s")
