"""The stand-alone test insurer (``tools/test_insurer.py``) as a process on a loopback port for tests and
benchmarks: started, asked for faults, read back (``/received``), killed and restarted on the same SQLite file."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.harness import free_port, stop_group

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "test_insurer.py"


class TestInsurer:
    """One test insurer process (``start``/``stop``/``restart``), its URL and its SQLite file."""

    __test__ = False  # not a pytest test class

    def __init__(self, db_path: Path, port: int | None = None) -> None:
        self.db_path = db_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        # One client for every request: a new httpx client per call loads the CA store (~30 ms) each time.
        self.http = httpx.Client(timeout=5)

    def start(self) -> TestInsurer:
        self.proc = subprocess.Popen(
            [sys.executable, str(SCRIPT), "--port", str(self.port), "--db", str(self.db_path)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.wait_up()
        return self

    def wait_up(self, seconds: float = 15) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"test insurer exited with {self.proc.returncode}")
            try:
                if self.http.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("test insurer did not start")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def restart_if_gone(self) -> bool:
        """Start it again when it exited (a fault ``exit_after``); True when it did."""
        if self.proc is not None and self.proc.poll() is not None:
            self.start()
            return True
        return False

    def stop(self) -> None:
        if self.proc is not None:
            stop_group(self.proc, 5)
            self.proc = None

    def control(self, **faults: Any) -> dict[str, Any]:
        return self.http.post(f"{self.url}/control", json=faults).json()

    def received(self) -> dict[str, Any]:
        return self.http.get(f"{self.url}/received", timeout=30).json()

    def post(self, body: dict[str, Any]) -> httpx.Response:
        """Post one message as the delivery job does (``Envelope.body``), with its idempotency key."""
        return self.http.post(f"{self.url}/messages", json=body, headers={"Idempotency-Key": body["idempotency_key"]})

    def __enter__(self) -> TestInsurer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.http.close()
