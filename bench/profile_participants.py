"""EMP-2 server-side profile: where the time of one overview event goes, part by part, without a browser.

Usage: ``python bench/profile_participants.py [DB_URL]``; without a URL it generates an employer with
100,000 participants in a fresh SQLite file. Prints the median and p95 (ms) of each part of a "next page"
event (session/principal, scheme check, ``refresh_due``, count, page, audit + commit, data version,
formatting) and of the whole event handler run through the real Reflex state with its delta size.
Exits non-zero only when it could not run.
"""

# ruff: noqa: B023  (every lambda here is called at once, inside the loop that binds its variables)

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEATS = 200


def _setup_db(url: str | None) -> str:
    if url:
        return url
    import subprocess

    var = Path(tempfile.mkdtemp(prefix="portal-profile-"))
    url = f"sqlite:///{var / 'profile.db'}"
    env = dict(os.environ, PORTAL_VAR_DIR=str(var), PORTAL_DATABASE_URL=url)
    cli = str(ROOT / ".venv/bin/portal")
    subprocess.run([cli, "migrate"], env=env, check=True)
    generate = [cli, "generate-employer", "--participants", "100000", "--name", "Profile B.V."]
    subprocess.run(generate, env=env, check=True)
    return url


def _token() -> str:
    """A live session of a new HR user of the last employer (as after login with 2FA)."""
    from sqlmodel import select

    from portal.core.db import session_scope
    from portal.models import Employer, RoleGrant, UserAccount
    from portal.services import accounts

    with session_scope() as db:
        employer = db.exec(select(Employer).order_by(Employer.id.desc())).first()
        assert employer is not None
        user = UserAccount(
            username=f"profile.{time.time_ns()}", email="profile@bench.example", status="active", password_hash="x"
        )
        db.add(user)
        db.flush()
        db.add(RoleGrant(user_id=user.id, role="hr", employer_id=employer.id))
        db.flush()
        ticket = accounts.create_session(db, user.id or 0)
    with session_scope() as db:
        redeemed = accounts.redeem_ticket(db, ticket)
    assert redeemed is not None
    return redeemed[0]


def _stats(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"  {name:<34} p50 {statistics.median(samples):7.3f} ms   p95 {p95:7.3f} ms")


def profile_parts(token: str) -> None:
    """Each part of one listing, timed on its own, in the order the event runs them."""
    from portal.core import clock
    from portal.core.db import session_scope
    from portal.i18n import formatting as fmt
    from portal.services import accounts, audit, participants
    from portal.services.organisation.scheme_access import scheme_in_scope
    from portal.services.participants import overview
    from portal.services.participants import read_table as plist

    times: dict[str, list[float]] = defaultdict(list)

    def timed(name: str, fn: Callable[[], Any]) -> Any:
        t0 = time.perf_counter()
        out = fn()
        times[name].append((time.perf_counter() - t0) * 1000)
        return out

    with session_scope() as db:
        principal = accounts.resolve_session(db, token)
        assert principal is not None
        scheme_id = participants.schemes_of(db, principal)[0].scheme_id
    for i in range(REPEATS):
        t_all = time.perf_counter()
        with session_scope() as db:
            principal = timed("resolve_session + commit", lambda: accounts.resolve_session(db, token))
        with session_scope() as db:
            timed("schemes_of", lambda: participants.schemes_of(db, principal))
            _, employer_id = timed("scheme_in_scope", lambda: scheme_in_scope(db, principal, scheme_id))
            timed("refresh_due", lambda: plist.refresh_due(db, employer_id, clock.today()))
            page = timed(
                "list_participants (whole)",
                lambda: participants.list_participants(db, principal, scheme_id, page=2 + i % 50),
            )
            timed("data_version", lambda: participants.data_version(db, principal, employer_id))
            timed(
                "audit.record (extra, flush)",
                lambda: (audit.record(db, "profile.noop", actor=principal), db.flush()),
            )
            timed("commit", db.commit)
        timed(
            "format 25 rows (nl)",
            lambda: [
                (fmt.day(r.date_in_service, "nl"), fmt.money(r.salary, "nl"), fmt.percent(r.parttime, "nl"))
                for r in page.rows
            ],
        )
        times["sum of the above"].append((time.perf_counter() - t_all) * 1000)
    # The count and page queries alone (as list_participants runs them), and a listing with a memo of the
    # earlier count (as the overview's state keeps it: a page turn or new sort order counts nothing).
    from sqlalchemy import func, select

    memo = participants.TotalsMemo()
    with session_scope() as db:
        q = overview._today_query(db, scheme_id, None, "")
        count = select(func.count()).select_from(q.source).where(*q.conditions)
        for i in range(REPEATS):
            total = timed("count query", lambda: int(db.connection().execute(count).scalar() or 0))
            offset = (1 + i % 50) * 25
            timed("page query (name)", lambda: overview._page(db, q, "name", False, offset, 25, total))
            timed(
                "list_participants (with memo)",
                lambda: participants.list_participants(db, principal, scheme_id, page=2 + i % 50, memo=memo),
            )
        db.rollback()
    print("parts of one listing (server, no browser):")
    for name, samples in times.items():
        _stats(name, samples)


async def profile_state(token: str) -> None:
    """The real event handlers of the overview state, and the size of the delta sent to the browser."""
    import reflex as rx

    import portal.state.auth as auth
    from portal.state.employer.participants import ParticipantsState

    auth.session_token = lambda state: token  # the cookie of the websocket's request
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(ParticipantsState)
    await state.load()
    root.get_delta()
    root._clean()
    times: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, list[int]] = defaultdict(list)
    # The actions of bench/participants.py, in its order.
    actions: list[tuple[str, Callable[[], Any]]] = [("next page", state.next_page)] * 15
    for column in ("number", "name", "date_in_service", "salary", "parttime", "status"):
        actions += [("sort", lambda c=column: state.sort_by(c))] * 3
    for term in ("jansen", "de vries", "100012", "bakker", "smit", "visser", "meijer", "ter"):
        actions.append(("search", lambda t=term: state.apply_search({"search": t})))
    actions.append(("(clear search)", lambda: state.apply_search({"search": ""})))
    for status in ("dormant", "active", "terminated", "", "dormant", "active", "terminated", ""):
        actions.append(("status filter", lambda s=status: state.set_status(s)))
    for _ in range(3):
        for name, call in actions:
            t0 = time.perf_counter()
            await call()
            t1 = time.perf_counter()
            delta = root.get_delta()
            text = json.dumps(delta, default=str)
            root._clean()
            t2 = time.perf_counter()
            times[f"{name}: handler"].append((t1 - t0) * 1000)
            times[f"{name}: delta + json"].append((t2 - t1) * 1000)
            sizes[name].append(len(text))
        await state.load()
        root.get_delta()
        root._clean()
    print("event handlers through the Reflex state (no websocket, no browser):")
    for name, samples in times.items():
        _stats(name, samples)
    for name, size in sizes.items():
        print(f"  delta of {name}: {statistics.median(size):,.0f} bytes of JSON (median)")


def main() -> int:
    url = _setup_db(sys.argv[1] if len(sys.argv) > 1 else None)
    os.environ["PORTAL_DATABASE_URL"] = url
    os.environ.setdefault("PORTAL_VAR_DIR", str(Path(url.removeprefix("sqlite:///")).parent))
    token = _token()
    profile_parts(token)
    asyncio.run(profile_state(token))
    return 0


if __name__ == "__main__":
    sys.exit(main())
