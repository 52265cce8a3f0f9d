"""Writing benefit statements (DOC-3): the PDF files, and the transaction that replaces a year's statements of
a set of participations by new ones, so that there is never more than one per participation and year.

Files are written before the transaction that records them and removed after the one that replaces them, so
for a moment there are files without a row. A job run records their names in its checkpoint first (see
``statement_runs``), and an attempt that resumes a lost one removes those that no row holds (``remove_unheld``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from portal.core import clock
from portal.core.db import session_scope
from portal.domain.statement import Statement
from portal.i18n import t
from portal.models import Document, DocumentOpened
from portal.services import files
from portal.services.documents.statement_pdf import CATEGORY, KIND, LOCK_NAMESPACE, _Context, _file_name, render_pdf
from portal.services.principal import NoAccess

Written = tuple[int, int, Statement, str, int]  # participation id, person id, statement, stored name, size
# Called inside the store's transaction with (session, stored names replaced, new document ids).
AlsoInTransaction = Callable[[Session, list[str], list[int]], None]


def _lock(db: Session, scheme_id: int) -> None:
    """Serialise statement writes of one scheme until commit (PostgreSQL; SQLite has one writer at a time)."""
    conn = db.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:ns, :id)"), {"ns": LOCK_NAMESPACE, "id": scheme_id})


def _store(
    ctx: _Context,
    year: int,
    made: list[Written],
    user_id: int | None,
    by_name: str,
    io: ThreadPoolExecutor | None = None,
    also: AlsoInTransaction | None = None,
) -> list[int]:
    """Replace the year's statements of the participations in ``made`` by the new files in one transaction
    (with ``also`` run inside it); returns the new document ids. Files of replaced statements are removed
    after the commit (all gone when this returns)."""
    scheme = ctx.scheme
    ids = [pid for pid, *_ in made]
    now = clock.now()
    with session_scope() as db:
        _lock(db, scheme.id or 0)
        conn = db.connection()
        same = (Document.kind == KIND, Document.period == str(year), col(Document.participation_id).in_(ids))
        opened = _forget_opened(conn, same)
        old = conn.execute(delete(Document).where(*same).returning(Document.stored_name)).scalars()
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
        new_ids = list(conn.execute(insert(Document).returning(Document.id), rows).scalars()) if rows else []
        _keep_opened(conn, opened, new_ids, now)
        if also is not None:
            also(db, replaced, new_ids)
    _remove(replaced, io)
    return new_ids


def _forget_opened(conn: Connection, same: tuple) -> list[tuple[int, int]]:
    """Remove the employees' "opened" marks (EE-3 archive) of the statements about to be replaced; returns
    (participation id, user id) of each, for ``_keep_opened``."""
    replaced = select(Document.id).where(*same)
    marks = conn.execute(
        select(Document.participation_id, DocumentOpened.user_id)
        .join(Document, col(Document.id) == DocumentOpened.document_id)
        .where(col(DocumentOpened.document_id).in_(replaced))
    ).all()
    if marks:
        conn.execute(delete(DocumentOpened).where(col(DocumentOpened.document_id).in_(replaced)))
    return [(pid, uid) for pid, uid in marks]


def _keep_opened(conn: Connection, marks: list[tuple[int, int]], new_ids: list[int], now: datetime) -> None:
    """A replaced statement the employee had opened stays in their archive as its replacement."""
    if not marks or not new_ids:
        return
    by_part = dict(
        conn.execute(select(Document.participation_id, Document.id).where(col(Document.id).in_(new_ids))).all()
    )
    rows = [{"document_id": by_part[pid], "user_id": uid, "opened_at": now} for pid, uid in marks if pid in by_part]
    if rows:
        conn.execute(insert(DocumentOpened), rows)


def _path(name: str) -> Path | None:
    """The path of one of our stored statement files (None for anything that is not our generated name)."""
    try:
        return files.stored_path("documents", name)
    except NoAccess:
        return None


def _remove(names: Iterable[str], io: ThreadPoolExecutor | None = None) -> None:
    """Delete files, on ``io``'s threads when given (file I/O releases the GIL); all gone when this returns."""
    pending: list[Future[None]] = []
    for path in filter(None, map(_path, names)):
        if io is None:
            path.unlink(missing_ok=True)
        else:
            pending.append(io.submit(path.unlink, missing_ok=True))
    for job in pending:
        job.result()


def remove_unheld(names: Sequence[str]) -> int:
    """Delete those of the stored statement files ``names`` that no document row holds (left by a lost
    attempt between writing and recording, or between replacing and removing); returns how many."""
    if not names:
        return 0
    with session_scope() as db:
        held = set(db.execute(select(Document.stored_name).where(col(Document.stored_name).in_(list(names)))).scalars())
    unheld = [n for n in names if n not in held]
    _remove(unheld)
    return len(unheld)


def _write_files(
    batch: Iterable[tuple[int, int, Statement]],
    today: date,
    io: ThreadPoolExecutor | None = None,
    names: Sequence[str] | None = None,
) -> list[Written]:
    """Render and write the PDFs of ``batch`` (under ``names`` when given, one per statement, else fresh
    ones). With ``io`` the writes run on its threads, overlapping the rendering; all are on disk when this
    returns."""
    folder = files.folder("documents")
    out: list[Written] = []
    pending = []
    for n, (pid, person_id, s) in enumerate(batch):
        data = render_pdf(s, today)
        stored = names[n] if names is not None else files.new_stored_name("pdf")
        if io is None:
            (folder / stored).write_bytes(data)
        else:
            pending.append(io.submit((folder / stored).write_bytes, data))
        out.append((pid, person_id, s, stored, len(data)))
    for job in pending:
        job.result()
    return out
