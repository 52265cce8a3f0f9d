"""API-1 speed: 1,000 sequential valid mutations through the payroll API over real HTTP.

Generates an employer (``portal generate-employer``) in a fresh SQLite database (or PostgreSQL with
``--database-url``; emptied by the migration-from-scratch), makes an API key for it, serves the app's own HTTP
routes (``portal.api.routes:api``) with granian on a loopback port, and sends the mutations one after the
other over one keep-alive connection, each with its own Idempotency-Key: salary and/or part-time changes
(70 %), new participants (20 %) and exits (10 %), all valid. Prints the total seconds and p50/p95/max per
request. Target: 1,000 under 20 s. Exits non-zero when a request was refused or it could not run.

    .venv/bin/python bench/payroll_api.py [-n 1000] [--participants 5000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._world import generated_employer, private_env  # noqa: E402

TARGET_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the API server stopped")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit("the API server did not come up")


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user + system) used so far by process ``pid`` and its descendants (granian's worker), from
    /proc (None elsewhere). On a shared machine wall time depends on the neighbours; this much less so."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [pid]
    try:
        while todo:
            current = todo.pop()
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
    except (OSError, ValueError, IndexError):
        return None
    return total


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="mutations to send")
    parser.add_argument("--participants", type=int, default=5000, help="participants to generate")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    parser.add_argument("--keep", default="", help="folder for var/ (reused when it holds the employer)")
    args = parser.parse_args()

    env = private_env("payroll-api", args.keep, args.database_url)
    env["PORTAL_API_RATE_LIMIT"] = str(max(1200, 10 * args.n))
    os.environ.update(env)

    import httpx
    from sqlmodel import col, select

    from portal.core import clock, migrate
    from portal.core.db import session_scope
    from portal.domain.identifiers import make_bsn
    from portal.domain.roles import FrontEnd
    from portal.models import ParticipantListRow, Participation, Person
    from portal.services import api_keys
    from portal.services.principal import Principal

    employer, scheme = generated_employer(env, args.participants)
    migrate.upgrade()  # this checkout's migrations too (``portal migrate`` is the installed checkout's)
    admin = Principal(
        user_id=0,
        username="bench.admin",
        display_name="Bench admin",
        front_end=FrontEnd.EMPLOYER,
        roles=frozenset({"user_management"}),
        employer_ids=frozenset({employer.id}),
    )
    with session_scope() as db:
        key = api_keys.create_key(db, admin, "bench").plain
        listed = db.exec(
            select(ParticipantListRow.participant_number, ParticipantListRow.salary)
            .join(Participation, col(Participation.id) == ParticipantListRow.participation_id)
            .where(
                ParticipantListRow.listed_scheme_id == scheme.id,
                Participation.status == "active",
                col(Participation.end_date).is_(None),
                col(ParticipantListRow.salary).is_not(None),
            )
            .order_by(col(Participation.id))
        ).all()
        numbers = [n for n, _ in listed]
        salaries = dict(listed)
        taken = set(db.exec(select(Person.bsn).where(Person.employer_id == employer.id)).all())
    bsns = (b for b in (make_bsn(70_000_000 + i) for i in range(10 * args.n)) if b not in taken)
    today = clock.today()
    changes, exits = iter(numbers), iter(reversed(numbers))

    def request(i: int) -> tuple[str, dict[str, object]]:
        kind = i % 10
        if kind in (0, 1):
            body = {
                "scheme_id": scheme.id,
                "bsn": next(bsns),
                "initials": "B.",
                "last_name": f"Bench {i}",
                "birth_date": "1985-05-17",
                "start_date": today.isoformat(),
                "salary": f"{40000 + i}.00",
                "parttime": "80.000",
            }
            return "/api/v1/participants", body
        if kind == 2:
            return f"/api/v1/participants/{next(exits)}/exit", {"exit_date": today.isoformat()}
        effective = (today - timedelta(days=i % 20)).isoformat()
        number = next(changes)
        raised = (salaries[number] * Decimal("1.03")).quantize(Decimal("0.01"))  # no plausibility warning
        body = {"effective_date": effective, "salary": str(raised)}
        if kind % 2:
            body["parttime"] = f"{60 + kind}.500"
        return f"/api/v1/participants/{number}/salary-parttime", body

    port = _free_port()
    granian = str(ROOT / ".venv" / "bin" / "granian")
    server = subprocess.Popen(
        [
            granian,
            "--interface",
            "asgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--log-level",
            "warning",
            "portal.api.routes:api",
        ],
        env={**env, "PYTHONPATH": str(ROOT)},  # this checkout's portal package
        cwd=ROOT,
    )
    try:
        _wait(port, server)
        headers = {"Authorization": f"Bearer {key}"}
        samples: list[float] = []
        by_kind: dict[str, list[float]] = {}
        refused: list[str] = []
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as client:
            cpu_before = _cpu_seconds(server.pid)
            started = time.perf_counter()
            for i in range(args.n):
                path, body = request(i)
                t0 = time.perf_counter()
                answer = client.post(path, json=body, headers={"Idempotency-Key": f"bench-{i}"})
                samples.append((time.perf_counter() - t0) * 1000)
                by_kind.setdefault(path.rsplit("/", 1)[1], []).append(samples[-1])
                if answer.status_code != 201:
                    refused.append(f"{path}: {answer.status_code} {answer.text[:200]}")
            total = time.perf_counter() - started
            cpu_after = _cpu_seconds(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    print(f"{args.n:,} mutations over HTTP in {total:.2f} s ({args.n / total:.0f}/s; target < {TARGET_SECONDS:.0f} s)")
    print(
        f"per request: p50 {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms, "
        f"max {max(samples):.1f} ms"
    )
    if cpu_before is not None and cpu_after is not None:
        used = cpu_after - cpu_before
        print(f"server CPU {used:.2f} s ({used / args.n * 1000:.1f} ms per request); load {os.getloadavg()[0]:.1f}")
    for kind, times in sorted(by_kind.items()):
        print(f"  {kind}: {len(times)}, p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms")
    for line in refused[:10]:
        print("  refused:", line)
    if refused:
        print(f"{len(refused)} request(s) refused")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
