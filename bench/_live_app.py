"""The benchmarks' app (``bench._counter_app``: the portal plus the bare counter page) with the dashboard's live
poll recorded: every call of ``dashboard.portfolio_version`` from the live watch appends one JSON line (wall-clock
start and end, in ms, and the version it read) to the file named by ``BENCH_POLL_LOG``. Then
``bench/dashboard_browser.py`` can tell the moment the watch first read a change apart from the moment the browser
showed it (the refresh's own cost, without the wait for the next poll). Served with
``REFLEX_APP_MODULE_IMPORT=bench._live_app``; not part of the production app."""

import json
import os
import time

from sqlmodel import Session

from bench._counter_app import app
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

__all__ = ["app"]
