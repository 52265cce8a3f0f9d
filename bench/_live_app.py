"""The benchmarks' app (``bench._counter_app``: the portal plus the bare counter page) with the dashboard's live
poll recorded: every call of ``dashboard.portfolio_version`` from the live watch appends one JSON line (wall-clock
start and end, in ms, and the version it read) to the file named by ``BENCH_POLL_LOG``. Then
``bench/dashboard_browser.py`` can tell the moment the watch first read a change apart from the moment the browser
showed it (the refresh's own cost, without the wait for the next poll). ``POST /bench/change?kind=task|salary``
makes one of ``bench._changes``' changes inside the app's process (as another session of the app would) and answers
the commit's wall-clock time in ms. Served with ``REFLEX_APP_MODULE_IMPORT=bench._live_app``; not part of the
production app."""

import json
import os
import time

from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench._changes import Changes
from bench._counter_app import app
from portal.api.routes import api
from portal.services import dashboard
from portal.services.principal import Principal

_read_version = dashboard.portfolio_version
_LOG = os.environ.get("BENCH_POLL_LOG", "")


def _recorded_version(db: Session, principal: Principal | None) -> tuple[int, ...]:
    start = time.time() * 1000
    version = _read_version(db, principal)
    if _LOG:
        with open(_LOG, "a") as log:
            log.write(json.dumps({"start": start, "end": time.time() * 1000, "version": list(version)}) + "\n")
    return version


dashboard.portfolio_version = _recorded_version  # the live watch looks it up on the module at every poll

_changes: list[Changes] = []


def _change(kind: str) -> float:
    if not _changes:
        from portal.core.db import session_scope
        from portal.models import Employer

        office, employer = int(os.environ["BENCH_CHANGE_OFFICE"]), int(os.environ["BENCH_CHANGE_EMPLOYER"])
        with session_scope() as db:
            ids = [int(i) for i in db.exec(select(Employer.id).where(Employer.office_id == office)).all() if i]
        _changes.append(Changes(office, ids, employer))
    return _changes[0].task() if kind == "task" else _changes[0].salary_change()


async def change(request: Request) -> JSONResponse:
    committed = await run_in_threadpool(_change, request.query_params.get("kind", "task"))
    return JSONResponse({"committed": committed})


api.router.routes.insert(0, Route("/bench/change", change, methods=["POST"]))

__all__ = ["app"]
