"""EMP-2 speed: an employer with 100,000 participants, the overview driven in headless Chromium.

Prints p50/p95 (ms) from the user's action to the updated table — next page, sort on each column, search,
status filter — timed inside the page (performance.now + MutationObserver), and the same for a bare
counter event measured in the same run, as a ratio. Each kind of action is done a few times unmeasured first
(a query shape is compiled once per server process; that first use is not the steady state).
Target: p95 < 100 ms and at most 4x the bare event.
Exits non-zero only when it could not run.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench._world import COUNTER_APP  # noqa: E402
from tests.harness import CHROMIUM, CHROMIUM_ARGS, app_env, free_port, portal_cli, running_app, sign_in  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
REPEATS = 15
SORT_COLUMNS = ("number", "name", "date_in_service", "salary", "parttime", "status")
# every term finds participants in the generated data and differs from the one before (the table changes)
SEARCH_TERMS = ("jansen", "de vries", "100012", "mulder", "dekker", "visser", "meijer", "ter")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "bench-password-2026"

# Each action starts on a settled page, as a user's next click does: the previous update painted (two frames)
# and 50 ms of quiet. Otherwise the browser still rasterises the last table while the next action runs, and
# what is timed is the overlap of two updates on the machine's two cores, not one update.
MEASURE = """async ([target, action]) => {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))));
  const root = document.querySelector(target);
  return await new Promise((resolve) => {
    const t0 = performance.now();
    const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now() - t0); });
    obs.observe(root, {childList: true, subtree: true, characterData: true});
    setTimeout(() => { obs.disconnect(); resolve(-1); }, 5000);  // no change within 5 s: not counted
    new Function(action)();
  });
}"""


def make_account(env: dict[str, str], var: Path) -> None:
    """An HR account on the generated employer, with a known TOTP secret."""
    import os

    os.environ.update(PORTAL_VAR_DIR=env["PORTAL_VAR_DIR"], PORTAL_DATABASE_URL=env["PORTAL_DATABASE_URL"])
    from sqlmodel import select

    from portal.core.db import session_scope
    from portal.models import Employer, RoleGrant, UserAccount
    from portal.services import accounts

    with session_scope() as db:
        employer = db.exec(select(Employer).order_by(Employer.id.desc())).first()
        user = UserAccount(
            username="bench.hr",
            email="bench.hr@bench.example",
            display_name="Bench HR",
            status="active",
            password_hash=accounts.hash_password(PASSWORD),
        )
        db.add(user)
        db.flush()
        db.add(RoleGrant(user_id=user.id, role="hr", employer_id=employer.id))
        accounts.set_known_totp(db, user.id, SECRET)


def timed(page: Page, target: str, action: str) -> float:
    """Milliseconds from the action to the first change of ``target`` (-1 when nothing changed in 5 s)."""
    return float(page.evaluate(MEASURE, [target, action]))


def keep(samples: list[float], name: str) -> list[float]:
    missed = sum(1 for x in samples if x < 0)
    if missed:
        print(f"  {name}: {missed} action(s) changed nothing within 5 s (left out)")
    return [x for x in samples if x >= 0]


def summary(name: str, samples: list[float]) -> tuple[float, float]:
    p50 = statistics.median(samples)
    p95 = sorted(samples)[max(0, round(0.95 * len(samples)) - 1)]
    print(f"{name:<22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   (n={len(samples)})")
    return p50, p95


def main() -> int:
    var = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    port = free_port()
    env = app_env(var, f"sqlite:///{var / 'bench.db'}", f"http://localhost:{port}", **COUNTER_APP)
    portal_cli(env, "migrate")
    t0 = time.monotonic()
    portal_cli(env, "generate-employer", "--participants", str(N), "--name", "Bench B.V.")
    print(f"generated {N:,} participants in {time.monotonic() - t0:.1f} s", flush=True)
    make_account(env, var)
    with running_app(env, port, var / "server.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1400, "height": 900})
        page.set_default_timeout(30_000)

        page.goto("/bench/counter")
        page.wait_for_selector("#count")
        page.click("#increment")
        page.wait_for_function("document.querySelector('#count').textContent === '1'")
        bare = [timed(page, "#count", "document.querySelector('#increment').click()") for _ in range(REPEATS * 2)]

        sign_in(page, "bench.hr", PASSWORD, SECRET)
        first = time.monotonic()
        page.goto("/employer/participants")
        page.wait_for_selector("#participants tbody tr", timeout=180_000)
        print(f"first overview load: {time.monotonic() - first:.1f} s", flush=True)

        body = "#participants tbody"
        next_page = (
            "document.querySelectorAll('button').forEach(b => { if (b.textContent.includes('Volgende')) b.click(); })"
        )
        sorts = [f"document.querySelector('#sort-{c}').click()" for c in SORT_COLUMNS for _ in range(3)]
        searches = [
            "const i = document.querySelector('#participant-search');"
            "const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;"
            f"set.call(i, {term!r}); i.form.requestSubmit();"
            for term in SEARCH_TERMS
        ]
        statuses = [
            "const s = document.querySelector('#status-filter');"
            "const set = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set;"
            f"set.call(s, {status!r}); s.dispatchEvent(new Event('change', {{bubbles: true}}));"
            for status in ("dormant", "active", "terminated", "")
        ]
        groups = {  # (warm-up actions, not counted: the first use of a query shape in this process; measured)
            "next page": ([next_page] * 5, [next_page] * REPEATS),
            "sort": ([f"document.querySelector('#sort-{c}').click()" for c in SORT_COLUMNS], sorts),
            "search": (searches, searches * 2),
            "status filter": (statuses, statuses * 3),
        }
        results: dict[str, list[float]] = {}
        for name, (warm_up, actions) in groups.items():
            for action in warm_up:
                timed(page, body, action)
            results[name] = [timed(page, body, action) for action in actions]
            if name == "search":  # back to the whole list for the status filter
                page.evaluate(
                    "() => { const i = document.querySelector('#participant-search');"
                    "Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(i, '');"
                    "i.form.requestSubmit(); }"
                )
                page.wait_for_timeout(1000)
        browser.close()

    print(f"\nparticipant overview with {N:,} participants (SQLite), from action to updated table:")
    _, bare_p95 = summary("bare counter event", keep(bare, "bare"))
    for name, samples in results.items():
        _, p95 = summary(name, keep(samples, name))
        print(
            f"{'':<22} p95 ratio to bare event: {p95 / bare_p95:.1f}x   target p95 < 100 ms: "
            f"{'met' if p95 < 100 else 'NOT met'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
