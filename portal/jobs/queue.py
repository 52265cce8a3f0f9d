"""The one huey instance: SQLite storage under ``var/`` by default (consumed inside the app process), Redis
storage when ``PORTAL_REDIS_URL`` is set (consumed by ``portal worker`` processes). Task code is the same.

Besides the queue, huey's key-value store carries short-lived progress figures (``progress``/``put_progress``)
for ``portal.services.background`` only (pages read progress through that service): a collective change
applies in one database transaction, so its progress cannot be written to that database while it runs
(SQLite has one writer), but the queue's own storage can take it.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.constants import EmptyData
from sqlalchemy import event
from sqlmodel import Session

from portal.core.config import get_settings

QUEUE_NAME = "portal"
TASKS_MODULE = "portal.jobs.tasks"  # registers every task by name (``task``); loaded on first use
_TASKS: dict[str, Callable[..., Any]] = {}
# Set whenever this process puts a job on the embedded (SQLite) queue: the in-process consumer's idle workers wait
# on it instead of only polling (huey backs its polling off to seconds when the queue has been empty a while).
QUEUED = threading.Event()


class _SqliteQueue(SqliteHuey):
    """The embedded queue: a job queued by this process wakes this process's consumer at once."""

    def enqueue(self, task: Any) -> Any:
        result = super().enqueue(task)
        QUEUED.set()
        return result


@lru_cache
def get_huey() -> Huey:
    """The queue for the configured deployment (cached per process)."""
    settings = get_settings()
    if settings.redis_url:
        return RedisHuey(QUEUE_NAME, url=settings.redis_url, utc=True)
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    return _SqliteQueue(QUEUE_NAME, filename=str(settings.var_dir / "jobs.db"), utc=True, timeout=30)


def register(name: str, task: Callable[..., Any]) -> None:
    """Make ``task`` (a huey task) known as ``name`` to ``enqueue`` (called by ``portal.jobs.tasks``)."""
    _TASKS[name] = task


def enqueue(name: str, *args: Any) -> None:
    """Queue the task registered as ``name``. Services queue work by name, so they never import task code
    (and task code, which calls services, never imports back)."""
    if not _TASKS:
        importlib.import_module(TASKS_MODULE)
    try:
        task = _TASKS[name]
    except KeyError:
        raise LookupError(f"no background task is registered as {name!r}") from None
    task(*args)


def enqueue_after_commit(db: Session, name: str, *args: Any) -> None:
    """Queue ``name(*args)`` once ``db``'s transaction has committed (a worker must see the committed rows;
    nothing is queued when the transaction rolls back)."""
    event.listen(db, "after_commit", lambda _session: enqueue(name, *args), once=True)


def embedded() -> bool:
    """True when the queue is consumed inside the app process (no Redis configured)."""
    return not get_settings().redis_url


def put_progress(key: str, done: int, total: int) -> None:
    """Record how far a job is (``done`` of ``total``), readable from any process sharing the queue."""
    huey = get_huey()
    huey.storage.put_data(f"progress:{key}", f"{done}/{total}".encode(), is_result=False)


def progress(key: str) -> tuple[int, int] | None:
    """The last recorded progress of ``key`` as (done, total), or None."""
    raw = get_huey().storage.peek_data(f"progress:{key}")
    if raw is EmptyData or not raw:
        return None
    try:
        done, total = (int(x) for x in bytes(raw).decode().split("/"))
    except (ValueError, TypeError):
        return None
    return done, total


def clear_progress(key: str) -> None:
    """Forget the progress of ``key`` (the job is done)."""
    get_huey().storage.pop_data(f"progress:{key}")
