"""Live views' wake-up call: a committed change of what the live views show wakes them at once.

The open overviews, dashboards and job progress bars poll (``portal.state.auth.polling``). Without a signal a
change made in another session shows up at the next poll, up to a poll interval later. With it:

- a committed transaction that wrote one of the ``WATCHED`` tables (an employer's ``data_version`` bump, which
  every change of participant data makes; a task; a collective batch; a job's run) wakes every waiting poll of
  this process once the connection is handed back after the commit (never before: a poll woken early would read
  the old data and then sleep);
- on PostgreSQL the same transaction also sends ``NOTIFY portal_changes`` (delivered only if it commits), and each
  process that has live views listens on one connection of its own, so a change made by another backend worker, a
  ``portal worker`` process or a command wakes them too;
- on SQLite across processes (a command-line run beside the app) nothing is sent: the poll interval stays the
  bound, as before.

A waiting poll keeps the generation it last saw, so a change committed while it was busy reading is not lost: its
next wait returns at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

WATCHED = frozenset({"employer", "task", "batch", "job_run"})
CHANNEL = "portal_changes"
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
_WROTE, _COMMITTED = "changes.wrote", "changes.committed"

_lock = threading.Lock()
_generation = 0
_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = set()
_listening: set[str] = set()  # the PostgreSQL databases this process listens on
_notifying: Engine | None = None  # the newest installed engine on PostgreSQL (None on SQLite)


def generation() -> int:
    """The number of wake-ups so far in this process (a poll remembers the one it last saw)."""
    return _generation


def wake() -> None:
    """Wake every waiting poll of this process (from any thread): a change was committed."""
    _wake_all()


def _wake_all() -> None:
    global _generation
    with _lock:
        _generation += 1
        waiters = list(_waiters)
    for loop, future in waiters:
        with contextlib.suppress(RuntimeError):  # that loop is closed
            loop.call_soon_threadsafe(_resolve, future)


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def changed_since(seen: int, timeout: float) -> int:
    """Wait until a wake-up after generation ``seen`` or ``timeout`` seconds, whichever comes first; return the
    generation now (the poll's new ``seen``)."""
    if _notifying is not None:
        listen(_notifying)  # the first live view of this process starts listening
    loop = asyncio.get_running_loop()
    future: asyncio.Future[None] = loop.create_future()
    entry = (loop, future)
    with _lock:
        if _generation != seen:
            return _generation
        _waiters.add(entry)
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(future, timeout)
    finally:
        with _lock:
            _waiters.discard(entry)
    return _generation


def _table_written(statement: str) -> str | None:
    found = _WRITE.match(statement)
    return found.group(1).lower() if found else None


def install(engine: Engine) -> None:
    """Mark the engine's transactions that write a watched table, wake the polls after they commit, and on
    PostgreSQL send the NOTIFY with them."""
    postgres = engine.dialect.name == "postgresql"

    @event.listens_for(engine, "after_cursor_execute")
    def _wrote(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not conn.info.get(_WROTE) and _table_written(statement) in WATCHED:
            conn.info[_WROTE] = True

    @event.listens_for(engine, "commit")
    def _commit(conn: Any) -> None:  # runs just before the database's commit, inside the transaction
        if conn.info.pop(_WROTE, False):
            if postgres:
                conn.connection.dbapi_connection.execute(f"NOTIFY {CHANNEL}")
            conn.info[_COMMITTED] = True

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Any) -> None:
        conn.info.pop(_WROTE, None)

    @event.listens_for(engine.pool, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:  # the commit is done: the change can be read
        if record is not None and record.info.pop(_COMMITTED, False):
            wake()

    global _notifying
    _notifying = engine if postgres else None


def listen(engine: Engine) -> None:
    """Wake this process's polls on every ``NOTIFY portal_changes`` of the engine's PostgreSQL database (one
    daemon thread and connection per process and database, connected as the engine connects; it reconnects
    after a lost connection, waking the polls then, as changes may have been missed)."""
    key = engine.url.render_as_string(hide_password=True)
    with _lock:
        if key in _listening:
            return
        _listening.add(key)
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    threading.Thread(target=_listen_forever, args=(args, kwargs), name="portal-changes", daemon=True).start()


def _listen_forever(args: list[Any], kwargs: dict[str, Any]) -> None:
    import psycopg

    told = False
    while True:
        try:
            with psycopg.connect(*args, **{**kwargs, "autocommit": True}) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                told = False
                _wake_all()
                for _notice in conn.notifies():
                    _wake_all()
        except Exception as error:  # the database went away: try again shortly (the polls go on meanwhile)
            if not told:
                log.warning("live views are not told of other processes' changes (%s); trying every second", error)
                told = True
            time.sleep(1.0)


__all__ = ["CHANNEL", "WATCHED", "changed_since", "generation", "install", "listen", "wake"]
