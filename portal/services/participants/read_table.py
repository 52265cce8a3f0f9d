"""Keeps the overview's denormalised rows (``participant_list``) in step with the data (EMP-2 speed).

The overview of 100,000 participants sorts and searches one indexed table instead of resolving salary
and part-time versions per row. A row is computed "as of" a day and records the window of days for which
it stays right (``fresh_from`` .. ``fresh_until``, from the next version, start or end date), so a change
that takes effect later is picked up by ``refresh_due`` on the day it starts (``mark_due`` marks the rows of
such a change due on that day in the narrow ``participant_due`` table).

Who calls what:
- the write side, after every change, in the same transaction: ``refresh_list_row(db, [participation ids],
  today)`` (new participant, salary/part-time, exit, status change), or ``refresh_person(db, person_id, today)``
  after a change of a person's name. ``today`` is the current day (never the effective date); partner and
  child changes need no refresh. Refreshes of one employer are serialised until commit (``_lock``);
- the demo seed and the bulk generator: ``refresh_all(db, employer_id, today)``;
- the overview itself: ``refresh_due(db, employer_id, today)`` before listing (cheap when nothing is due).

Rules (also used for "as of D" queries in ``participants``): a participation is listed from its start
date on; salary and part-time are the terms of the latest live version that started on or before
min(D, employment end date); the status is ``active`` up to and including the participation's end date,
the stored status after it. An ended participation (terminated, retired) is no longer listed from
``retention.hidden_from`` its end date on (``PORTAL_RETENTION_ENDED_MONTHS``, six: EE-1): its row stays, with
``listed_scheme_id`` NULL, and that day is one of the row's bounds, so ``refresh_due`` hides it on the day.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, exists, func, select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from portal.core import clock
from portal.core.config import get_settings
from portal.core.sql import (
    FEW,
    bulk_insert,
    db_values,
    fetch,
    fetch_few,
    fetch_stored,
    few_ids,
    in_ids,
    placeholder,
    stored_form,
)
from portal.domain.identifiers import format_name, search_key
from portal.domain.locks import status_on
from portal.domain.retention import ENDED_STATUSES, hidden_from
from portal.models import Employment, EmploymentVersion, ParticipantDue, ParticipantListRow, Participation, Person
from portal.models.listing import EVERY_ROW

CHUNK = 2_000  # participations per read / write batch
LOCK_NAMESPACE = 74_110  # first key of the PostgreSQL advisory locks of list refreshes (second: employer id)
ONE_DAY = timedelta(days=1)

L = ParticipantListRow
D = ParticipantDue
_DUE_KEY = ["employer_id", "due", "participation_id"]
_COUNTED = {"preserve_rowcount": True}  # an INSERT's rowcount (rows inserted, conflicts not counted)
_SOURCE = (
    Participation.id,
    Participation.person_id,
    Participation.employer_id,
    Participation.scheme_id,
    Participation.participant_number,
    Participation.status,
    Participation.start_date,
    Participation.end_date,
    Participation.employment_id,
    Employment.start_date,
    Employment.end_date,
    Person.last_name,
    Person.initials,
    Person.name_prefix,
)


def terms_at(versions: Sequence[tuple[date, Decimal, Decimal]], day: date) -> tuple[Decimal, Decimal] | None:
    """(salary, part-time) of the latest version (sorted by ``valid_from``) that started on or before ``day``."""
    i = bisect_right([v[0] for v in versions], day)
    return (versions[i - 1][1], versions[i - 1][2]) if i else None


def terms_day(day: date, employment_end: date | None) -> date:
    """The day whose terms are shown for ``day``: the last day of employment once it has ended."""
    return employment_end if employment_end is not None and employment_end < day else day


status_at = status_on  # the status shown for a day: one rule, kept in the domain (portal.domain.locks)


@lru_cache(maxsize=65_536)
def name_keys(last_name: str, initials: str, prefix: str) -> tuple[str, str, str]:
    """(display name, sort key, search key) of a name: ``("Assob, G., ter", "assob g ter", "ter assob")``."""
    return (
        format_name(last_name, initials, prefix),
        search_key(f"{last_name} {initials} {prefix}")[:200],
        search_key(f"{prefix} {last_name}")[:200],
    )


def _row(
    src: Any, versions: Sequence[tuple[date, Decimal, Decimal]], day: date, hide_months: int | None = None
) -> dict[str, Any]:
    """The list row of one participation (``src`` is a row of ``_SOURCE``) as of ``day``; an ended one is not
    listed from ``hidden_from(end, hide_months)`` on (None: ``PORTAL_RETENTION_ENDED_MONTHS``)."""
    pid, person_id, employer_id, scheme_id, number, status, p_start, p_end, _, e_start, e_end, last, ini, pre = src
    hidden = False
    if status in ENDED_STATUSES and p_end is not None:
        months = get_settings().retention_ended_months if hide_months is None else hide_months
        hide_day = hidden_from(p_end, months)
        hidden = hide_day <= day
    shown_day = terms_day(day, e_end)
    terms = next((v for v in reversed(versions) if v[0] <= shown_day), None)  # = terms_at (sorted versions)
    name, sort_name, search_name = name_keys(last, ini, pre)
    fresh_from = p_start if p_start <= day else None
    fresh_until = p_start if p_start > day else None
    bounds = [v[0] for v in versions]
    if p_end is not None:
        bounds.append(p_end + ONE_DAY)
    if e_end is not None:
        bounds.append(e_end + ONE_DAY)
    if status in ENDED_STATUSES and p_end is not None:
        bounds.append(hide_day)  # the row changes (leaves the overview) that day
    for bound in bounds:
        if bound <= day:
            if fresh_from is None or bound > fresh_from:
                fresh_from = bound
        elif fresh_until is None or bound < fresh_until:
            fresh_until = bound
    return {
        "participation_id": pid,
        "employer_id": employer_id,
        "person_id": person_id,
        "listed_scheme_id": scheme_id if p_start <= day and not hidden else None,
        "participant_number": number,
        "name": name,
        "sort_name": sort_name,
        "search_name": search_name,
        "date_in_service": e_start,
        "salary": terms[1] if terms else None,
        "parttime": terms[2] if terms else None,
        "status": status_at(status, p_end, day),
        "fresh_from": fresh_from,
        "fresh_until": fresh_until,
    }


def _versions_query(employments: ColumnElement[bool]) -> Select[Any]:
    return (
        select(
            EmploymentVersion.employment_id,
            EmploymentVersion.valid_from,
            EmploymentVersion.salary,
            EmploymentVersion.parttime_pct,
        )
        .where(col(EmploymentVersion.superseded_at).is_(None))
        .where(employments)
        .order_by(EmploymentVersion.employment_id, EmploymentVersion.valid_from)
    )


def _versions(db: Session, employment_ids: Iterable[int]) -> dict[int, list[tuple[date, Decimal, Decimal]]]:
    """Live versions per employment, ordered by ``valid_from``."""
    out: dict[int, list[tuple[date, Decimal, Decimal]]] = defaultdict(list)
    ids = sorted(set(employment_ids))
    conn = db.connection()
    if len(ids) <= FEW:
        found = fetch_few(conn, _few().versions, {"ids": ids})
    else:
        found = []
        for i in range(0, len(ids), CHUNK):
            found += fetch(conn, _versions_query(in_ids(EmploymentVersion.employment_id, ids[i : i + CHUNK])))
    for employment_id, valid_from, salary, parttime in found:
        out[employment_id].append((valid_from, salary, parttime))
    return out


def _sources_query(where: ColumnElement[bool]) -> Select[Any]:
    return (
        select(*_SOURCE)
        .join(Employment, col(Employment.id) == Participation.employment_id)
        .join(Person, col(Person.id) == Participation.person_id)
        .where(where)
        .order_by(Participation.id)
    )


def _sources(db: Session, where: ColumnElement[bool]) -> Iterator[list[Any]]:
    """Source rows matching ``where``, in chunks."""
    rows = fetch(db.connection(), _sources_query(where))
    for i in range(0, len(rows), CHUNK):
        yield rows[i : i + CHUNK]


_COLUMNS = tuple(c.name for c in L.__table__.columns)  # type: ignore[attr-defined]
_KEY = "participation_id"


def _stored_query(ids: ColumnElement[bool]) -> Select[Any]:
    table = L.__table__  # type: ignore[attr-defined]
    return select(*(table.c[c] for c in _COLUMNS)).where(ids)


@dataclass(frozen=True)
class _Few:
    """The statements of a refresh of a few rows (one employment's change), built once, ids bound (``ids``)."""

    delete: Any
    owners: Select[Any]
    sources: Select[Any]
    versions: Select[Any]
    stored: Select[Any]


@lru_cache(maxsize=1)
def _few() -> _Few:
    gone = ~exists().where(col(Participation.id) == L.participation_id)
    return _Few(
        delete=delete(L).where(col(L.participation_id).in_(few_ids()), gone),
        owners=select(Participation.employer_id).where(col(Participation.id).in_(few_ids())).distinct(),
        sources=_sources_query(col(Participation.id).in_(few_ids())),
        versions=_versions_query(col(EmploymentVersion.employment_id).in_(few_ids())),
        stored=stored_form(_stored_query(L.__table__.c[_KEY].in_(few_ids()))),  # type: ignore[attr-defined]
    )


def _rows(db: Session, sources: list[Any], day: date) -> list[dict[str, Any]]:
    """The list rows of ``sources`` as of ``day``."""
    versions = _versions(db, (s[8] for s in sources))
    months = get_settings().retention_ended_months
    return [_row(s, versions.get(s[8], []), day, months) for s in sources]


def _write(db: Session, sources: list[Any], day: date) -> int:
    """Insert the rows of ``sources`` (their old rows are already deleted)."""
    rows = _rows(db, sources, day)
    bulk_insert(db.connection(), L.__table__, rows)  # type: ignore[arg-type]
    return len(rows)


def _sync(db: Session, sources: list[Any], day: date) -> int:
    """Bring the stored rows of ``sources`` in line with the rows computed for ``day``, writing only what
    differs: an UPDATE of the changed columns of a changed row (grouped by the set of columns that changed,
    one executemany per group), an INSERT of a missing row. Values are compared in the form the driver
    stores them, so "unchanged" means "the same bytes would be written". Returns the rows computed."""
    conn = db.connection()
    table = L.__table__  # type: ignore[attr-defined]
    rows = _rows(db, sources, day)
    if not rows:
        return 0
    computed = db_values(conn, table, _COLUMNS, rows)
    keys = [r[_KEY] for r in rows]
    if len(keys) <= FEW:
        found = fetch_few(conn, _few().stored, {"ids": keys})
    else:
        found = fetch_stored(conn, _stored_query(in_ids(table.c[_KEY], keys)))
    stored = {r[0]: r for r in found}
    missing: list[dict[str, Any]] = []
    changed: dict[tuple[int, ...], list[tuple[Any, ...]]] = defaultdict(list)
    for row, new in zip(rows, computed, strict=True):
        old = stored.get(new[0])
        if old is None:
            missing.append(row)
        elif old != new:
            diff = tuple(i for i in range(1, len(new)) if old[i] != new[i])
            changed[diff].append((*(new[i] for i in diff), new[0]))
    mark = placeholder(conn)
    for diff, params in changed.items():
        sets = ", ".join(f'"{_COLUMNS[i]}" = {mark}' for i in diff)
        conn.exec_driver_sql(f'UPDATE "{table.name}" SET {sets} WHERE "{_KEY}" = {mark}', params)
    bulk_insert(conn, table, missing)
    return len(rows)


def _lock(conn: Connection, employer_ids: Iterable[int]) -> None:
    """Serialise refreshes of the same employer's rows until commit, so that a refresh never writes rows
    computed from data older than another transaction's refresh. PostgreSQL: transaction-level advisory
    locks (in id order, no deadlock). SQLite has one writer at a time: callers write (delete) before they
    read, which takes the database's write lock first."""
    if conn.dialect.name == "postgresql":
        for employer_id in sorted(set(employer_ids)):
            conn.execute(text("SELECT pg_advisory_xact_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": employer_id})


def refresh_list_row(db: Session, participation_ids: Iterable[int], today: date | None = None) -> int:
    """Recompute the list rows of ``participation_ids`` as of ``today`` (the current day; None = the
    server's) in ``db``'s transaction. The write side calls this after every change of a participation,
    its employment versions or its status (unknown ids are ignored, their rows removed). Only what differs
    is written (a future-dated salary change only moves ``fresh_until``), so that a collective change of
    50,000 participants does not rewrite 100,000 rows and their indexes. Returns the number of rows
    recomputed (each now holds exactly what ``refresh_all`` would write)."""
    day = today or clock.today()
    ids = sorted({int(i) for i in participation_ids})
    if not ids:
        return 0
    db.flush()
    conn = db.connection()
    if len(ids) <= FEW:  # the change of one employment: statements built once, ids bound (``_few``)
        few = _few()
        if conn.dialect.name == "postgresql":  # SQLite: one writer, nothing to lock (see ``_lock``)
            _lock(conn, conn.execute(few.owners, {"ids": ids}).scalars())
        # the first write (SQLite: takes the write lock before anything is read): rows of removed participations
        conn.execute(few.delete, {"ids": ids})
        return _sync(db, fetch_few(conn, few.sources, {"ids": ids}), day)
    gone = ~exists().where(col(Participation.id) == L.participation_id)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        owners = select(Participation.employer_id).where(in_ids(Participation.id, chunk)).distinct()
        _lock(conn, conn.execute(owners).scalars())
        # the first write (SQLite: takes the write lock before anything is read): rows of removed participations
        conn.execute(delete(L).where(in_ids(L.participation_id, chunk), gone))
    written = 0
    for i in range(0, len(ids), CHUNK):
        for sources in _sources(db, in_ids(Participation.id, ids[i : i + CHUNK])):
            written += _sync(db, sources, day)
    return written


def mark_due(db: Session, participation_ids: Iterable[int] | Select[Any], day: date, today: date | None = None) -> int:
    """The rows of ``participation_ids`` change on ``day`` (after today) and not before: a change that takes
    effect in the future leaves what the overview shows today as it is, so the rows are only marked due on
    ``day`` (``participant_due``; ``refresh_due`` recomputes them then). Same outcome as ``refresh_list_row``
    for such a change, without reading the rows back or writing the wide, indexed list rows (a collective
    change of 50,000 employments marks 100,000 rows: an insert into a narrow table). ``participation_ids``
    may be a query of ids (one statement however many). Returns the rows marked (a row already marked for
    ``day`` is marked once)."""
    conn = db.connection()
    if day <= (today or clock.today()):
        ids = conn.execute(participation_ids).scalars() if isinstance(participation_ids, Select) else participation_ids
        return refresh_list_row(db, ids, today)
    db.flush()
    if isinstance(participation_ids, Select):
        chunks: list[Any] = [col(Participation.id).in_(participation_ids)]
    else:
        ids = sorted({int(i) for i in participation_ids})
        chunks = [in_ids(Participation.id, ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    due = bindparam("due", day, type_=D.__table__.c.due.type)  # type: ignore[attr-defined]
    marked = 0
    for owners in chunks:
        if conn.dialect.name == "postgresql":  # a ``refresh_due`` of today reads the marks after this commit
            _lock(conn, conn.execute(select(Participation.employer_id).where(owners).distinct()).scalars())
        rows = select(Participation.id, due, Participation.employer_id).where(owners)
        stmt = _insert_new(conn, D.__table__).from_select(["participation_id", "due", "employer_id"], rows)  # type: ignore[attr-defined]
        result = conn.execute(stmt.on_conflict_do_nothing(index_elements=_DUE_KEY), execution_options=_COUNTED)
        marked += result.rowcount or 0
    return marked


def mark_employments_due(
    db: Session, employer_id: int, employments: Select[Any], count: int, day: date, today: date | None = None
) -> int:
    """The rows of every participation of ``employments`` (a query of ``count`` employment ids of
    ``employer_id``) change on ``day``: ``mark_due`` of those rows, or, when they are at least half of the
    employer's employments and ``day`` is later than today, one mark that makes every row of the employer due
    (a collective change of most of a scheme: 50,000 employments are about 100,000 rows to mark one by one,
    while on that day the rows are recomputed either way, mostly by the dashboard's warm-up just after
    midnight). Returns the marks written."""
    conn = db.connection()
    rows = select(Participation.id).where(col(Participation.employment_id).in_(employments))
    if day <= (today or clock.today()) or count * 2 < _employments(conn, employer_id):
        return mark_due(db, rows, day, today)
    db.flush()
    _lock(conn, [employer_id])  # a ``refresh_due`` of that day reads the mark after this commit
    every = {"employer_id": employer_id, "due": day, "participation_id": EVERY_ROW}
    stmt = _insert_new(conn, D.__table__).values(**every)  # type: ignore[attr-defined]
    return conn.execute(stmt.on_conflict_do_nothing(index_elements=_DUE_KEY), execution_options=_COUNTED).rowcount


def _employments(conn: Connection, employer_id: int) -> int:
    return int(conn.execute(select(func.count()).where(Employment.employer_id == employer_id)).scalar() or 0)


def _insert_new(conn: Connection, table: Any) -> Any:
    """An INSERT of the connection's dialect (for ON CONFLICT DO NOTHING)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def due_employers(db: Session, employer_ids: Iterable[int], today: date) -> set[int]:
    """Those of ``employer_ids`` that have list rows due on ``today`` (rows computed for another day, or
    marked due): three index range queries, usually finding none."""
    ids = sorted({int(i) for i in employer_ids})
    if not ids:
        return set()
    conn = db.connection()
    due: set[int] = set()
    for owner, stale in (
        (L.employer_id, col(L.fresh_until) <= today),
        (L.employer_id, col(L.fresh_from) > today),
        (D.employer_id, col(D.due) <= today),
    ):
        due.update(conn.execute(select(owner).where(col(owner).in_(ids), stale).distinct()).scalars())
    return due


def refresh_person(db: Session, person_id: int, today: date | None = None) -> int:
    """Recompute the list rows of every participation of ``person_id`` (after a name change)."""
    ids = db.connection().execute(select(Participation.id).where(Participation.person_id == person_id)).scalars()
    return refresh_list_row(db, list(ids), today)


def refresh_all(db: Session, employer_id: int, today: date | None = None) -> int:
    """Rebuild every list row of ``employer_id`` as of ``today`` (seed, generator, repair). Bulk: 100,000
    participants take a few seconds."""
    day = today or clock.today()
    db.flush()
    conn = db.connection()
    _lock(conn, [employer_id])
    conn.execute(delete(L).where(L.employer_id == employer_id))
    conn.execute(delete(D).where(D.employer_id == employer_id))  # every row is recomputed from the data now
    with _big_cache(conn):
        return sum(_write(db, part, day) for part in _sources(db, Participation.employer_id == employer_id))


@contextmanager
def _big_cache(conn: Connection) -> Iterator[None]:
    """SQLite: a larger page cache while the indexes of a bulk refresh are filled (about 15 % faster)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql("PRAGMA cache_size = -262144")  # at most 256 MB, taken only as needed
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def refresh_due(db: Session, employer_id: int, today: date | None = None) -> int:
    """Recompute the rows of ``employer_id`` that are not right for ``today`` (a future-dated change has
    started, or rows were computed for a later day); rebuild all when the employer has no rows yet (data
    from before the list table). Rows marked due on or before ``today`` (``mark_due``) are recomputed and
    their marks dropped. Cheap when nothing is due: three index look-ups. Caller commits."""
    day = today or clock.today()
    conn = db.connection()
    has_rows = conn.execute(select(exists().where(L.employer_id == employer_id))).scalar()
    if not has_rows:
        has_participants = conn.execute(select(exists().where(Participation.employer_id == employer_id))).scalar()
        return refresh_all(db, employer_id, day) if has_participants else 0
    ids: set[int] = set()
    for stale in (col(L.fresh_until) <= day, col(L.fresh_from) > day):
        ids.update(conn.execute(select(L.participation_id).where(L.employer_id == employer_id, stale)).scalars())
    marked = (D.employer_id == employer_id, col(D.due) <= day)
    has_marks = conn.execute(select(exists().where(*marked))).scalar()
    if has_marks:  # read under the employer's lock: ``mark_due`` holds it until its marks are committed
        _lock(conn, [employer_id])
        marks = set(conn.execute(select(D.participation_id).where(*marked)).scalars())
        if EVERY_ROW in marks:
            every = select(Participation.id).where(Participation.employer_id == employer_id)
            marks = set(conn.execute(every).scalars())
        ids.update(marks)
    if not ids:
        return 0
    done = refresh_list_row(db, ids, day)
    if has_marks:
        conn.execute(delete(D).where(*marked))  # those rows are now computed as of ``day``: marks done
    return done
