"""Issue 15 speed: what the exit form costs an exit. Every processed exit records its exit form (DOC-5); this
times the exit's own transaction (``mutations.submit_exit`` + commit, as the pages and the payroll API run it),
p50/p95 wall time and the mean CPU time of this thread per exit, then (where the checkout renders the form after
the commit) the ``exit_forms`` job that renders, stores and sends them, and how many job runs ``--together``
exits in one transaction queue.

Generates an employer (``portal generate-employer``) in a fresh SQLite database under a temporary var/ folder (or
PostgreSQL with ``--database-url``; that database is emptied) and an HR account of it, and calls the services. No
mail server: the job's mails to the employees are counted as not reached (the job itself is timed up to there).

    .venv/bin/python bench/exit_forms.py [-n 200] [--together 200] [--database-url URL]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._browser import totp_account  # noqa: E402
from bench._world import generated_employer, private_env  # noqa: E402


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=200, help="exits, each in a transaction of its own")
    parser.add_argument("--together", type=int, default=200, help="exits in one transaction")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    args = parser.parse_args()

    env = private_env("exit-forms", "", args.database_url)
    env["PORTAL_SMTP_URL"] = "smtp://127.0.0.1:9"  # nobody listens: the mails are left for a retry
    import os

    os.environ.update(env)
    from sqlmodel import col, select

    from portal.core import clock
    from portal.core.db import session_scope
    from portal.models import Form, JobRun, Participation, UserAccount
    from portal.services import accounts, background, forms, mutations

    employer, scheme = generated_employer(env, 2 * (args.n + args.together) + 100)
    totp_account("bench.exits.hr", "hr", employer_id=employer.id)
    with session_scope() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == "bench.exits.hr")).one()
        token = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))[0]
        hr = accounts.resolve_session(db, token)
        parts = db.exec(
            select(Participation.id, Participation.version)
            .where(
                Participation.scheme_id == scheme.id,  # one participation per person (an exit ends all)
                Participation.status == "active",
                col(Participation.end_date).is_(None),
            )
            .order_by(col(Participation.id))
            .limit(args.n + args.together)
        ).all()
    if len(parts) < args.n + args.together:
        print(f"only {len(parts)} active participants")
        return 1
    today = clock.today()
    day = today.isoformat()
    deferred = hasattr(forms, "EXIT_JOB")

    wall, cpu = [], []
    for part_id, version in parts[: args.n]:
        t0, c0 = time.perf_counter(), time.thread_time()
        with session_scope() as db:
            mutations.submit_exit(db, hr, part_id, day, version, today=today)
        cpu.append((time.thread_time() - c0) * 1000)
        wall.append((time.perf_counter() - t0) * 1000)
    how = "recorded, rendered after the commit" if deferred else "rendered inside"
    print(
        f"{args.n} exits, each its own transaction (form {how}):"
        f" p50 {statistics.median(wall):.1f} ms, p95 {_p95(wall):.1f} ms, CPU {statistics.mean(cpu):.1f} ms per exit"
    )
    with session_scope() as db:
        sent = db.exec(select(Form.id).where(Form.kind == "exit", Form.status == "waiting_for_employee")).all()
        runs = db.exec(select(JobRun.id, JobRun.kind).where(col(JobRun.kind).in_(["exit_forms", "notify_forms"]))).all()
    kinds = sorted({k for _i, k in runs})
    print(f"  after the commits: {len(sent)} exit forms sent, job runs queued {len(runs)} {kinds}")

    if deferred:
        t0 = time.perf_counter()
        done = 0
        for run_id, kind in runs:
            # no mail server in the bench: the forms are sent, the mails left for the retry
            with contextlib.suppress(background.MailsNotSent):
                done += background.execute(run_id, kind, forms.exit_job) or 0
        job_s = time.perf_counter() - t0
        print(f"  the exit_forms job: {done} forms rendered, stored and sent in {job_s:.2f} s"
              f" ({job_s / max(done, 1) * 1000:.1f} ms per form)")  # fmt: skip

    t0 = time.perf_counter()
    with session_scope() as db:
        before = db.exec(select(JobRun.id)).all()
        for part_id, version in parts[args.n :]:
            mutations.submit_exit(db, hr, part_id, day, version, today=today)
    together_s = time.perf_counter() - t0
    with session_scope() as db:
        new_runs = db.exec(select(JobRun.kind).where(col(JobRun.id).not_in(before or [0]))).all()
    runs_made = f"{len(new_runs)} {sorted(set(new_runs))}"
    print(f"{args.together} exits in one transaction: {together_s:.2f} s; job runs: {runs_made}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
