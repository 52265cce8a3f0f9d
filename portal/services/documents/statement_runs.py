"""Statement runs (DOC-3): a whole scheme's statements for a year, requested by the employer and made by a job
chunk by chunk; its status, and the writes that keep one statement per participation and year."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlmodel import Session, col

from portal.core import clock
from portal.domain.roles import Perm
from portal.domain.statement import (
    MIN_YEAR,
    Statement,
    StatementRefused,
    as_of_day,
    make_statement,
)
from portal.i18n import t
from portal.jobs.queue import after_commit, enqueue
from portal.models import Document
from portal.services import audit, files
from portal.services.documents.statement_pdf import (
    CATEGORY,
    CHUNK,
    IO_THREADS,
    KIND,
    LOCK_NAMESPACE,
    STALE_SECONDS,
    _Context,
    _context,
    _facts,
    _file_name,
    _params,
    render_pdf,
)
from portal.services.errors import FieldError
from portal.services.organisation.scheme_access import require_scheme
from portal.services.participants import read_table as plist
from portal.services.participants.overview import as_of_view
from portal.services.principal import NoAccess, Principal, acting

log = logging.getLogger("portal.statements")


# ------------------------------------------------------------------------------------------- run status
@dataclass(frozen=True)
class RunStatus:
    """How far the generation of a scheme's statements for a year is (kept in the queue's storage)."""

    state: str  # none, queued, running, done, failed, interrupted
    done: int = 0
    total: int = 0
    made: int = 0
    skipped: int = 0
    at: float = 0.0


def _status_key(scheme_id: int, year: int) -> str:
    return f"statements:{scheme_id}:{year}"


def _put_status(scheme_id: int, year: int, state: str, done: int = 0, total: int = 0, **extra: int) -> None:
    from portal.jobs.queue import get_huey

    value = {"state": state, "done": done, "total": total, "at": clock.now().timestamp(), **extra}
    get_huey().storage.put_data(_status_key(scheme_id, year), json.dumps(value).encode(), is_result=False)


def _read_status(scheme_id: int, year: int) -> RunStatus:
    from huey.constants import EmptyData

    from portal.jobs.queue import get_huey

    raw = get_huey().storage.peek_data(_status_key(scheme_id, year))
    if raw is EmptyData or not raw:
        return RunStatus("none")
    try:
        data = json.loads(bytes(raw).decode())
        status = RunStatus(
            state=str(data["state"]),
            done=int(data.get("done", 0)),
            total=int(data.get("total", 0)),
            made=int(data.get("made", 0)),
            skipped=int(data.get("skipped", 0)),
            at=float(data.get("at", 0)),
        )
    except (ValueError, TypeError, KeyError):
        return RunStatus("none")
    if status.state in ("queued", "running") and clock.now().timestamp() - status.at > STALE_SECONDS:
        return RunStatus("interrupted", status.done, status.total, status.made, status.skipped, status.at)
    return status


def run_status(db: Session, principal: Principal | None, scheme_id: object, year: object) -> RunStatus:
    """The status of the latest run for ``scheme_id`` and ``year`` (both untrusted; scope-checked)."""
    scheme = require_scheme(db, principal, scheme_id, Perm.MUTATIONS_SUBMIT)
    try:
        y = int(str(year))
    except ValueError:
        return RunStatus("none")
    return _read_status(scheme.id or 0, y)


# ------------------------------------------------------------------------------------------------ request
def statement_years(today: date) -> list[int]:
    """The years a statement may be asked for, newest first (1 January must have passed)."""
    return list(range(today.year, MIN_YEAR - 1, -1))


def parse_year(value: object, today: date) -> int:
    """A statement year (untrusted): a whole number from MIN_YEAR to this year (FieldError on ``year``)."""
    text_value = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not text_value.isdigit() or len(text_value) != 4:
        raise FieldError("year", "statement.year_invalid", {"first": MIN_YEAR, "last": today.year})
    year = int(text_value)
    if not MIN_YEAR <= year <= today.year:
        raise FieldError("year", "statement.year_invalid", {"first": MIN_YEAR, "last": today.year})
    return year


def _refuse(db: Session, principal: Principal, err: FieldError, employer_id: int, **detail: Any) -> FieldError:
    """Audit a refused request in ``db`` (the caller commits it) and hand the error back."""
    audit.record(
        db,
        "statement.refused",
        actor=principal,
        object_type="statement",
        employer_id=employer_id,
        reason=err.key,
        **detail,
    )
    return err


def _active_count(db: Session, scheme_id: int, day: date) -> int:
    view = as_of_view(scheme_id, day)
    query = select(func.count()).select_from(view.source).where(*view.conditions, view.status == "active")
    return int(db.execute(query).scalar() or 0)


def request_statements(
    db: Session, principal: Principal | None, scheme_id: object, year: object, today: date | None = None
) -> int:
    """Queue the statements of every participant of ``scheme_id`` active on 1 January of ``year`` (both
    untrusted). Returns how many participants will get one.

    NoAccess without Perm.MUTATIONS_SUBMIT or outside scope. FieldError (field ``year``) for a bad year, a year
    without scheme parameters, or a scheme with nobody active that day; the refusal is audited in ``db``
    (the caller commits) and nothing else is written or queued. The job starts once ``db`` commits."""
    scheme = require_scheme(db, principal, scheme_id, Perm.MUTATIONS_SUBMIT)
    assert principal is not None
    day_today = today or clock.today()
    sid = scheme.id or 0
    try:
        y = parse_year(year, day_today)
    except FieldError as err:
        raise _refuse(db, principal, err, scheme.employer_id, scheme_id=sid, year=str(year)[:20]) from None
    if _params(db, sid, y) is None:
        raise _refuse(db, principal, FieldError("year", "statement.no_parameters", {"year": y}), scheme.employer_id,
                      scheme_id=sid, year=y)  # fmt: skip
    plist.refresh_due(db, scheme.employer_id, day_today)
    total = _active_count(db, sid, as_of_day(y))
    if total == 0:
        raise _refuse(db, principal, FieldError("year", "statement.no_participants", {"year": y}), scheme.employer_id,
                      scheme_id=sid, year=y)  # fmt: skip
    audit.record(
        db,
        "statements.requested",
        actor=principal,
        object_type="scheme",
        object_id=sid,
        employer_id=scheme.employer_id,
        on_behalf_of=acting(principal, scheme.employer_id).for_employer,
        year=y,
        participants=total,
    )
    after_commit(db, _queue, sid, y, principal.user_id, total)
    return total


def _queue(scheme_id: int, year: int, user_id: int, total: int) -> None:
    _put_status(scheme_id, year, "queued", 0, total)
    enqueue("generate_statements", scheme_id, year, user_id)


# ------------------------------------------------------------------------------------------------ writing
def _lock(db: Session, scheme_id: int) -> None:
    """Serialise statement writes of one scheme until commit (PostgreSQL; SQLite has one writer at a time)."""
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": scheme_id})


def _store(
    ctx: _Context,
    year: int,
    made: list[tuple[int, int, Statement, str, int]],
    user_id: int | None,
    by_name: str,
    io: ThreadPoolExecutor | None = None,
) -> list[int]:
    """Replace the year's statements of the participations in ``made`` by the new files in one transaction;
    returns the new document ids. Files of replaced statements are removed after the commit."""
    from portal.core.db import session_scope

    scheme = ctx.scheme
    ids = [pid for pid, *_ in made]
    now = clock.now()
    with session_scope() as db:
        _lock(db, scheme.id or 0)
        conn = db.connection()
        old = conn.execute(
            delete(Document)
            .where(
                Document.kind == KIND,
                Document.period == str(year),
                col(Document.participation_id).in_(ids),
            )
            .returning(Document.stored_name)
        ).scalars()
        replaced = list(old)
        rows = [
            {
                "employer_id": scheme.employer_id,
                "scheme_id": scheme.id,
                "participation_id": pid,
                "person_id": person_id,
                "category": CATEGORY,
                "kind": KIND,
                "title": t("statement.pdf.title", s.language, year=year),
                "period": str(year),
                "language": s.language,
                "file_name": _file_name(s),
                "stored_name": stored,
                "size_bytes": size,
                "created_at": now,
                "created_by": user_id,
                "created_by_name": by_name,
            }
            for pid, person_id, s, stored, size in made
        ]
        new_ids = list(conn.execute(insert(Document).returning(Document.id), rows).scalars())
    _remove(replaced, io)
    return new_ids


def _path(name: str) -> Path | None:
    """The path of one of our stored statement files (None for anything that is not our generated name)."""
    try:
        return files.stored_path("documents", name)
    except NoAccess:
        return None


def _remove(names: Iterable[str], io: ThreadPoolExecutor | None = None) -> None:
    """Delete replaced files, on ``io``'s threads when given (file I/O releases the GIL)."""
    for path in filter(None, map(_path, names)):
        if io is None:
            path.unlink(missing_ok=True)
        else:
            io.submit(path.unlink, missing_ok=True)


def _write_files(
    batch: Iterable[tuple[int, int, Statement]], today: date, io: ThreadPoolExecutor | None = None
) -> list[tuple[int, int, Statement, str, int]]:
    """Render and write the PDFs of ``batch``. With ``io`` the writes run on its threads, overlapping the
    rendering; all are on disk when this returns."""
    folder = files.folder("documents")
    out, pending = [], []
    for pid, person_id, s in batch:
        data = render_pdf(s, today)
        stored = files.new_stored_name("pdf")
        if io is None:
            (folder / stored).write_bytes(data)
        else:
            pending.append(io.submit((folder / stored).write_bytes, data))
        out.append((pid, person_id, s, stored, len(data)))
    for job in pending:
        job.result()
    return out


@dataclass(frozen=True)
class RunResult:
    """What a job run did: statements made, participants skipped (no terms or parameters) and the reasons."""

    made: int
    skipped: int
    reasons: dict[str, int]


def run_statements(scheme_id: int, year: int, user_id: int | None = None, today: date | None = None) -> RunResult:
    """The job: make the statements of every participant of ``scheme_id`` active on 1 January of ``year``.
    Running it again replaces the year's statements (one per participation, never two)."""
    from portal.core.db import session_scope
    from portal.models import UserAccount

    sid, y = int(scheme_id), int(year)
    day_today = today or clock.today()
    try:
        with session_scope() as db:
            ctx = _context(db, sid, y)
            plist.refresh_due(db, ctx.scheme.employer_id, day_today)
            user = db.get(UserAccount, user_id) if user_id else None
            by_name = (user.display_name or user.username) if user else ""
            user_id = user.id if user else None  # a deleted account: the statements are still made
        with session_scope() as db:
            rows = _facts(db, ctx, y)
        total = len(rows)
        _put_status(sid, y, "running", 0, total)
        made = skipped = 0
        reasons: dict[str, int] = {}
        new_ids: list[int] = []
        with ThreadPoolExecutor(IO_THREADS, thread_name_prefix="statement-io") as io:
            for start in range(0, total, CHUNK):
                batch = []
                for pid, person_id, facts in rows[start : start + CHUNK]:
                    try:
                        batch.append((pid, person_id, make_statement(facts, ctx.params)))
                    except StatementRefused as refused:
                        skipped += 1
                        reasons[refused.reason] = reasons.get(refused.reason, 0) + 1
                written = _write_files(batch, day_today, io)
                try:
                    if written:
                        new_ids += _store(ctx, y, written, user_id, by_name, io)
                except Exception:
                    _remove((stored for *_, stored, _size in written), None)
                    raise
                made += len(written)
                _put_status(sid, y, "running", min(start + CHUNK, total), total, made=made, skipped=skipped)
        with session_scope() as db:
            audit.record(
                db,
                "statements.generated",
                actor_user_id=user_id,
                object_type="scheme",
                object_id=sid,
                employer_id=ctx.scheme.employer_id,
                year=y,
                made=made,
                skipped=skipped,
                reasons=reasons,
            )
            # DOC-4: the employees with an account get a mail with a deep link (no personal data in it)
            from portal.services.documents.notifications import queue_notifications

            queue_notifications(db, new_ids)
        _put_status(sid, y, "done", total, total, made=made, skipped=skipped)
        return RunResult(made, skipped, reasons)
    except Exception:
        log.exception("statements of scheme %s for %s failed", sid, y)
        _put_status(sid, y, "failed")
        raise
