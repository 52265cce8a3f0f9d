"""Issue 15 speed: signed forms. Preparing 1,000 forms at once (render, store, audit, send) and the employee's
signature (confirm with a TOTP code → PAdES-signed PDF stored), p50/p95 over ``--signs`` signatures.

Generates an employer (``portal generate-employer``) in a fresh SQLite database under a temporary var/ folder (or
PostgreSQL with ``--database-url``; that database is emptied), an HR account of it and an employee account with a
known TOTP secret for each participant signed, and calls the services as the pages will. The clock moves 30 s
between signatures (each needs a fresh TOTP time step; a code is never accepted twice). Targets: preparing 1,000
under 30 s (timed in one call, and as the background job ``start_prepare`` queues for more than 100), signing
p95 under 1 s (a signature that completes the form includes filing it and its mutation).

    .venv/bin/python bench/forms.py [-n 1000] [--signs 30] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._browser import SECRET, totp_account  # noqa: E402
from bench._world import generated_employer, private_env  # noqa: E402

PREPARE_TARGET_S = 30.0
SIGN_TARGET_MS = 1000.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="forms prepared at once")
    parser.add_argument("--signs", type=int, default=30, help="signatures timed")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied!) instead of SQLite")
    args = parser.parse_args()

    env = private_env("forms", "", args.database_url)
    import pyotp
    from sqlmodel import col, select

    from portal.core import clock, signing
    from portal.core.db import session_scope
    from portal.models import Participation, UserAccount
    from portal.services import accounts, forms

    employer, _scheme = generated_employer(env, int(args.n * 1.2) + 10)
    signing.ensure_local_credentials()
    totp_account("bench.forms.hr", "hr", employer_id=employer.id)
    with session_scope() as db:
        parts = db.exec(
            select(Participation)
            .where(Participation.employer_id == employer.id, Participation.status == "active")
            .order_by(col(Participation.id))
            .limit(args.n)
        ).all()
        ids = [p.id for p in parts]
        signers = [(p.id, p.person_id) for p in parts[: args.signs]]
    if len(ids) < args.n:
        print(f"only {len(ids)} active participants")
        return 1

    def principal(username: str):
        with session_scope() as db:
            user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
            token = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))[0]
            return accounts.resolve_session(db, token)

    hr = principal("bench.forms.hr")
    started = time.perf_counter()
    with session_scope() as db:
        prepared = forms.prepare(db, hr, employer.id, "join_decision", ids, {"information_shown": "Brochure 2027"})
    prepare_s = time.perf_counter() - started
    by_part = dict(zip(ids, prepared.form_ids, strict=True))
    print(f"prepare {len(prepared.form_ids)} forms at once: {prepare_s:.1f} s (target < {PREPARE_TARGET_S:.0f} s)")

    timings = []
    for i, (part_id, person_id) in enumerate(signers):
        name = f"bench.forms.employee{i}"
        totp_account(name, "employee")
        with session_scope() as db:
            user = db.exec(select(UserAccount).where(UserAccount.username == name)).one()
            user.person_id = person_id
            db.add(user)
        employee = principal(name)
        fid = by_part[part_id]
        with session_scope() as db:
            forms.fill(db, employee, fid, {"decision": "yes"})
        with session_scope() as db:
            _form, pdf = forms.pdf_of(db, employee, fid)
        with clock.moved(timedelta(seconds=31 * (i + 1))):
            code = pyotp.TOTP(SECRET).at(clock.now())
            t0 = time.perf_counter()
            with session_scope() as db:
                forms.sign(db, employee, fid, code, signing.sha256(pdf))
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"sign (confirm → signed PDF stored), {len(timings)} signatures: p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"  (target p95 < {SIGN_TARGET_MS:.0f} ms)")

    # the pages' way for many participants: checked and queued in the call, made by the background job
    from portal.services import background

    started = time.perf_counter()
    with session_scope() as db:
        queued = forms.start_prepare(db, hr, employer.id, "beneficiary", ids)
    queue_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    made = background.execute(queued.job_id, forms.PREPARE_JOB, forms.prepare_job)
    job_s = time.perf_counter() - started
    print(f"start_prepare {len(ids)} (check + queue): {queue_ms:.0f} ms; the job made {made} forms in {job_s:.1f} s")
    print(f"  (target < {PREPARE_TARGET_S:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
