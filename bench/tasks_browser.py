"""INT-3 speed in the browser: the tasks page (/intermediary/tasks) over 20,000 tasks.

Generates the tasks of ``bench/task_queries.py`` (an office with 200 employers, 10 advisers, 20,000 tasks of every
kind and status; reused with ``--keep DIR``, or ``--reuse`` on PostgreSQL), gives ``adviser0`` a password and a
known TOTP secret, serves the real app (prod build) and drives headless Chromium signed in as that adviser. Prints
p50/p95 in ms from the action to the first change of the task table, timed inside the page (as
``bench/participants.py`` does): each filter (employer, kind, assignee, status; chosen and applied with the
filter button), the view switch (my to-do list / the office's tasks) and the next page, with the bare counter
event measured in the same run and each p95 as a ratio to it. Target (issue 12): p95 < 100 ms.
Run it alone: on a loaded 2-core machine the figures mostly measure the other processes. Exits 0 when it ran.

    .venv/bin/python bench/tasks_browser.py [-n 20000] [--repeats 15] [--keep DIR]
    .venv/bin/python bench/tasks_browser.py --database-url postgresql://postgres@127.0.0.1/bench_x [--reuse]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from bench._browser import (  # noqa: E402
    PASSWORD,
    SECRET,
    bare_events,
    choose,
    click_button,
    report,
    timed,
    totp_account,
)
from bench._world import COUNTER_APP, database_options, migrated, private_env  # noqa: E402
from bench.task_queries import generate_tasks  # noqa: E402
from tests.harness import CHROMIUM, CHROMIUM_ARGS, app_env, free_port, running_app, sign_in  # noqa: E402

ADVISER = "adviser0"
TABLE = "#tasks"
NEXT = "Volgende"
MINE, OFFICE = "Mijn takenlijst", "Alle taken van het kantoor"


def _filter(field: str, value: str) -> str:
    """Choose ``value`` in the filter ``field`` (tf-employer, tf-kind, ...) and apply the filters."""
    return choose(f"#tf-{field}", value, submit=True)


def _world(n: int, empty_first: bool) -> tuple[list[int], list[int], list[str]]:
    """The tasks (generated when the database has none): employer ids, adviser ids, task kinds."""
    from sqlmodel import select

    from portal.core.db import session_scope
    from portal.domain import tasks as rules
    from portal.models import Employer, RoleGrant, Task

    migrated(empty_first)
    with session_scope() as db:
        generated = db.exec(select(Task.id)).first() is not None
    if not generated:
        generate_tasks(n)
    with session_scope() as db:
        employers = [int(i or 0) for i in db.exec(select(Employer.id).order_by(Employer.id)).all()]
        advisers = sorted({int(g.user_id) for g in db.exec(select(RoleGrant).where(RoleGrant.role == "adviser")).all()})
    return employers, advisers, list(rules.KINDS)


def _settled(page: Page, ms: int = 800) -> None:
    page.wait_for_timeout(ms)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=20_000, help="tasks to generate")
    parser.add_argument("--repeats", type=int, default=15, help="measured actions per kind (about)")
    database_options(parser, "var/ and the SQLite file")
    args = parser.parse_args()
    reps = args.repeats
    env = private_env("tasks-browser", args.keep, args.database_url)
    var = Path(env["PORTAL_VAR_DIR"])
    employers, advisers, kinds = _world(args.n, empty_first=bool(args.database_url and not args.reuse))
    totp_account(ADVISER, "adviser")

    from portal.core.db import get_engine

    dialect = get_engine().dialect.name
    port = free_port()
    database = args.database_url or f"sqlite:///{var / 'portal.db'}"
    env = app_env(var, database, f"http://localhost:{port}", **COUNTER_APP)
    with running_app(env, port, var / "server.log") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)
        bare = bare_events(page, reps * 2)
        sign_in(page, ADVISER, PASSWORD, SECRET, home="/intermediary")
        page.goto("/intermediary/tasks")
        page.wait_for_selector('#page-ready[data-path="/intermediary/tasks"]', state="attached")
        page.wait_for_selector(f"{TABLE} tbody tr")
        timed(page, TABLE, click_button(OFFICE))  # the office's tasks: every filter has something to find
        _settled(page)

        # each measured action changes the table: a value differs from the one before
        by_employer = [_filter("employer", str(e)) for e in employers[: reps + 1]]
        by_kind = [_filter("kind", k) for k in kinds] + [_filter("kind", "")]
        by_assignee = [_filter("assignee", str(a)) for a in advisers] + [_filter("assignee", "")]
        statuses = ["open", "in_progress", "waiting", "done", "cancelled", "", "open_any"]
        by_status = [_filter("status", s) for s in statuses]
        views = [click_button(MINE), click_button(OFFICE)]
        groups = {  # (warm-up actions, not counted; measured; the filter to clear after)
            "filter employer": (by_employer[:2], by_employer[2:], "employer"),
            "filter kind": (by_kind[:2], by_kind * max(1, -(-reps // len(by_kind))), "kind"),
            "filter assignee": (by_assignee[:2], by_assignee * max(1, -(-reps // len(by_assignee))), "assignee"),
            "filter status": (by_status[:2], by_status * max(1, -(-reps // len(by_status))), "status"),
            "view switch": (views, views * max(1, -(-reps // 2)), ""),
            "next page": ([click_button(NEXT)] * 2, [click_button(NEXT)] * reps, ""),
        }
        results: dict[str, list[float]] = {}
        for name, (warm_up, measured, clear) in groups.items():
            for action in warm_up:
                timed(page, TABLE, action)
            results[name] = [timed(page, TABLE, action) for action in measured]
            if clear:
                page.evaluate(f"() => {{ {_filter(clear, 'open_any' if clear == 'status' else '')} }}")
                _settled(page)
        browser.close()

    title = f"tasks page, {args.n:,} tasks ({dialect}), from action to updated table in the browser:"
    report(title, bare, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
