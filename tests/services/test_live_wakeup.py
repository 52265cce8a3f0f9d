"""Live views are woken by committed changes (``portal.core.changes``): at once in this process, through
PostgreSQL's NOTIFY across processes; never by a rolled-back write or a write of a table no live view shows,
and never before the change can be read."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlmodel import Session

import portal.state.auth as auth
from portal.core import changes
from portal.core.db import get_engine, session_scope
from portal.models import AuditEvent, Employer, IntermediaryOffice, JobRun, RoleGrant, UserAccount
from portal.services import accounts, background


def _employer(db: Session) -> int:
    office = IntermediaryOffice(name="Kantoor", kvk_number="87654321")
    db.add(office)
    db.flush()
    employer = Employer(name="Wakker BV", kvk_number="12345678", office_id=office.id)
    db.add(employer)
    db.commit()
    assert employer.id is not None
    return employer.id


def _raw_connection() -> psycopg.Connection:
    """A connection of its own, as another process has (made as the portal's engine makes its connections)."""
    engine = get_engine()
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    return psycopg.connect(*args, **{**kwargs, "autocommit": True})


def _bump(employer_id: int) -> None:
    with session_scope() as db:
        db.get(Employer, employer_id).data_version += 1  # type: ignore[union-attr]


def test_a_committed_change_of_a_watched_table_wakes_the_polls_at_once(db: Session) -> None:
    employer_id = _employer(db)
    seen = changes.generation()
    _bump(employer_id)
    assert changes.generation() > seen

    async def wait() -> int:  # a poll that saw ``seen`` does not wait for its minute-long interval
        return await asyncio.wait_for(changes.changed_since(seen, 60), 5)

    assert asyncio.run(wait()) != seen


def test_a_rolled_back_change_and_a_change_of_another_table_wake_nothing(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    employer_id = _employer(db)
    woken: list[bool] = []
    monkeypatch.setattr(changes, "wake", lambda: woken.append(True))
    with contextlib.ExitStack() as stack:
        notices = stack.enter_context(_raw_connection()) if get_engine().dialect.name == "postgresql" else None
        if notices is not None:
            notices.execute(f"LISTEN {changes.CHANNEL}")
        with pytest.raises(RuntimeError), session_scope() as other:
            other.get(Employer, employer_id).data_version += 1  # type: ignore[union-attr]
            other.flush()
            raise RuntimeError("given up")
        with session_scope() as other:
            other.add(AuditEvent(action="probe", object_type="nothing a live view shows"))
        assert woken == []
        if notices is not None:  # and no other process was told
            assert list(notices.notifies(timeout=0.5)) == []
    with session_scope() as other:
        assert other.get(Employer, employer_id).data_version == 0  # type: ignore[union-attr]


def test_the_wake_up_comes_after_the_commit(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """A poll woken before the commit would read the old version and go back to sleep."""
    employer_id = _employer(db)
    read_when_woken: list[int] = []
    woken = changes.wake

    def wake() -> None:
        with get_engine().connect() as conn:  # another connection, as the woken poll uses
            version = conn.execute(text("SELECT data_version FROM employer WHERE id = :id"), {"id": employer_id})
            read_when_woken.append(version.scalar_one())
        woken()

    monkeypatch.setattr(changes, "wake", wake)
    _bump(employer_id)
    assert read_when_woken == [1]


# NOTIFY is PostgreSQL's (SQLite has one process with live views): these run where PostgreSQL is configured.
on_postgresql = pytest.mark.parametrize(
    "database", ["postgres"] if os.environ.get("PORTAL_TEST_POSTGRES_URL") else [], indirect=True
)


@on_postgresql
def test_on_postgresql_the_commit_notifies_other_processes(db: Session) -> None:
    employer_id = _employer(db)
    with _raw_connection() as listener:  # another process's listening connection
        listener.execute(f"LISTEN {changes.CHANNEL}")
        with pytest.raises(RuntimeError), session_scope() as other:  # rolled back: no notice
            other.get(Employer, employer_id).data_version += 1  # type: ignore[union-attr]
            other.flush()
            raise RuntimeError("given up")
        assert list(listener.notifies(timeout=0.5)) == []
        _bump(employer_id)
        assert [n.channel for n in listener.notifies(timeout=5, stop_after=1)] == [changes.CHANNEL]


@on_postgresql
def test_on_postgresql_a_notice_from_another_process_wakes_the_polls(db: Session) -> None:
    _employer(db)

    async def poll_and_notify() -> tuple[int, int]:
        changes.listen(get_engine())
        await asyncio.sleep(0.5)  # the listener's connection is up
        seen = changes.generation()
        with _raw_connection() as other:  # as another process's commit sends it
            other.execute(f"NOTIFY {changes.CHANNEL}")
        return seen, await asyncio.wait_for(changes.changed_since(seen, 60), 5)

    seen, now = asyncio.run(poll_and_notify())
    assert now != seen


def test_only_writes_of_watched_tables_count() -> None:
    assert changes._table_written("UPDATE employer SET data_version=(employer.data_version + ?)") == "employer"
    assert changes._table_written('INSERT INTO "task" (title) VALUES (%(title)s)') == "task"
    assert changes._table_written("  delete from batch where id = 1") == "batch"
    assert changes._table_written("SELECT * FROM employer") is None
    assert changes._table_written("UPDATE auth_session SET last_seen_at = ?") not in changes.WATCHED
    assert {"employer", "task", "batch"} <= changes.WATCHED


class _ViewState:
    """What ``polling`` uses of a background event's state: its lock (``async with``) and its watch id."""

    _watch_id = 0

    async def __aenter__(self) -> _ViewState:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


@pytest.fixture
def signed_in(db: Session, monkeypatch: pytest.MonkeyPatch) -> int:
    """An HR user's live session (the view state's cookie carries it); the employer's id."""
    employer_id = _employer(db)
    user = UserAccount(username="live.hr", email="hr@live.example", status="active", password_hash="x")
    db.add(user)
    db.flush()
    db.add(RoleGrant(user_id=user.id or 0, role="hr", employer_id=employer_id))
    db.commit()
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
    assert redeemed is not None
    db.commit()
    monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
    return employer_id


# SQLite only: on PostgreSQL a late notice of the fixture's own commits may wake the view before the test's change.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_a_live_view_looks_at_once_after_a_committed_change_and_once_per_gap_in_a_burst(
    signed_in: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "MIN_GAP_SECONDS", 1.0)  # longer than the test's own steps take
    monkeypatch.setattr(auth, "client_connected", lambda state: True)  # the view's browser (no app in this test)

    async def looks() -> tuple[float, float, float]:
        view = auth.polling(_ViewState(), 60, 120)  # type: ignore[arg-type] - polls a minute apart
        first = asyncio.ensure_future(anext(view))
        await asyncio.sleep(0.1)  # waiting for its next poll
        changed = time.monotonic()
        await asyncio.to_thread(_bump, signed_in)  # another session's change
        assert (await asyncio.wait_for(first, 5)).username == "live.hr"
        looked = time.monotonic()
        await asyncio.to_thread(_bump, signed_in)  # a second change right after: a burst
        await asyncio.wait_for(anext(view), 5)
        await view.aclose()
        return changed, looked, time.monotonic()

    changed, first, second = asyncio.run(looks())
    assert first - changed < 30  # not the minute of the poll
    assert second - changed >= 1.0 and first < second  # the burst's second look waited for the gap


def test_a_claimed_run_is_held_when_its_commit_wakes_the_views(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """A progress bar woken by a job's claim reads it as running, not as interrupted (a running run without a
    holder in this process): the attempt holds the run before its claim commits."""
    job = JobRun(kind="probe", subject="wake-up")
    db.add(job)
    db.commit()
    seen: list[str] = []
    woken = changes.wake

    def wake() -> None:
        with session_scope() as other:  # as the woken progress bar reads it
            row = other.get(JobRun, job.id)
            assert row is not None
            seen.append(background.view(row).status)
        woken()

    monkeypatch.setattr(changes, "wake", wake)
    run = background.claim(job.id or 0, "probe")
    assert run is not None
    assert seen[0] == "running"  # the claim's own commit
    background.finish(run, "done")
    assert seen[-1] == "done"
