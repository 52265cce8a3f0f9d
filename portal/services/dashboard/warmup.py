"""Counting the portfolios ahead (INT-1): the dashboard's per-employer figures of every employer of an office, into
the process-wide memo, when the app starts and just after each midnight (ages, and so premiums, change with the
day). The first adviser who opens the dashboard then finds them counted; a later change of an employer's data
recounts that employer only (its data version moved)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta

from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.db import session_scope
from portal.models import Employer
from portal.services.dashboard.aggregates import employer_figures

log = logging.getLogger(__name__)
AFTER_MIDNIGHT = timedelta(minutes=1)


def warm_up(db: Session) -> int:
    """Count the figures of every employer in a portfolio (an office's) as of today; returns how many. No principal:
    nothing is returned to anyone, the dashboard's reads stay scoped. May refresh due list rows (commit)."""
    ids = [int(i) for i in db.exec(select(Employer.id).where(col(Employer.office_id).is_not(None))).all() if i]
    employer_figures(db, ids, clock.today())
    return len(ids)


def _seconds_to_next_day() -> float:
    now = clock.now().astimezone()
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=now.tzinfo)
    return max(1.0, (tomorrow + AFTER_MIDNIGHT - now).total_seconds())


def _warm() -> None:
    try:
        with session_scope() as db:
            counted = warm_up(db)
        log.info("dashboard figures counted for %d employers", counted)
    except Exception:  # the app must serve without it: the dashboard then counts on first look
        log.exception("dashboard warm-up failed")


async def _loop() -> None:
    while True:
        await asyncio.to_thread(_warm)
        await asyncio.sleep(_seconds_to_next_day())


@contextlib.asynccontextmanager
async def lifespan() -> AsyncIterator[None]:
    """App lifespan task: count the portfolios in the background while the app serves."""
    task = asyncio.create_task(_loop())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
