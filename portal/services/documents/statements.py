"""Benefit statements (DOC-3): one PDF per participant per year, as of 1 January, in the participant's language.
This module: one participant's statement at once, the history and the download; runs are in ``statement_runs``.

``request_statements`` checks the principal (Perm.MUTATIONS_SUBMIT, scheme in scope), the year, the scheme
year's parameters and that someone was active on 1 January, records the request and queues
``tasks.generate_statements`` once the transaction has committed. ``run_statements`` (the job) reads every
participation of the scheme active on 1 January with its terms as of that day in one SQL query (the overview's
as-of view), the scheme year's parameters once, writes the PDFs with fpdf2 and stores them as ``Document``
rows chunk by chunk: each chunk deletes the earlier statements of its participations for that year and inserts
the new ones in one transaction, so a job run twice (or by two workers) leaves one statement per
(participation, year); files of replaced statements are removed after the commit.

``request_statement`` makes the statement of one participant at once (the detail page); a participant with no
terms, no scheme-year parameters or not active that day gets a FieldError, an audit entry and no file.
Statements are fetched through ``/files/<signed link>``: the employer's users who may see participants
(HR, user management, the adviser in scope) and the employee themself; everyone else gets no access.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from portal.core import clock
from portal.domain.roles import FrontEnd, Perm
from portal.domain.statement import (
    StatementRefused,
    make_statement,
)
from portal.models import Document, Participation
from portal.services import audit, files
from portal.services.documents.statement_pdf import CATEGORY, KIND, PDF, _context, _facts
from portal.services.documents.statement_runs import _refuse, parse_year
from portal.services.documents.statement_store import _store, _write_files
from portal.services.errors import FieldError
from portal.services.participants import read_table as plist
from portal.services.principal import NoAccess, Principal, id_of, require, require_own_person


# ------------------------------------------------------------------------------------- one participant
def _participation_in_scope(db: Session, principal: Principal, participation_id: object) -> Participation:
    part = db.get(Participation, id_of(participation_id))
    if part is None or part.employer_id not in principal.employer_ids:
        raise NoAccess("out_of_scope")
    return part


def request_statement(
    db: Session, principal: Principal | None, participation_id: object, year: object, today: date | None = None
) -> Document:
    """Make the statement of one participation (untrusted id) for ``year`` now, replacing an earlier one.

    NoAccess without Perm.MUTATIONS_SUBMIT or out of scope. FieldError (field ``year``) for a bad year, or
    ``statement.refused.<reason>`` when the participant was not active on 1 January, has no salary/part-time
    terms, or the scheme year has no parameters: audited in ``db`` (the caller commits), no file written."""
    p = require(principal, Perm.MUTATIONS_SUBMIT)
    part = _participation_in_scope(db, p, participation_id)
    day_today = today or clock.today()
    try:
        y = parse_year(year, day_today)
    except FieldError as err:
        raise _refuse(db, p, err, part.employer_id, participation_id=part.id, year=str(year)[:20]) from None
    ctx = _context(db, part.scheme_id, y)
    plist.refresh_due(db, part.employer_id, day_today)
    found = _facts(db, ctx, y, [part.id or 0], active_only=False)
    try:
        if not found:
            raise StatementRefused("not_active")
        pid, person_id, facts = found[0]
        s = make_statement(facts, ctx.params)
    except StatementRefused as refused:
        err = FieldError("year", f"statement.refused.{refused.reason}", {"year": y})
        raise _refuse(db, p, err, part.employer_id, participation_id=part.id, year=y) from None
    db.commit()  # the store below uses its own transaction; nothing of ours may hold the write lock
    (written,) = _write_files([(pid, person_id, s)], day_today)
    (doc_id,) = _store(ctx, y, [written], p.user_id, p.display_name or p.username)
    audit.record(
        db,
        "statement.generated",
        actor=p,
        object_type="document",
        object_id=doc_id,
        employer_id=part.employer_id,
        participation_id=part.id,
        year=y,
    )
    doc = db.get(Document, doc_id)
    assert doc is not None
    return doc


# ------------------------------------------------------------------------------------ history, download
@dataclass(frozen=True)
class StatementEntry:
    """One statement of a participant, with a link signed now for the principal who reads the list."""

    id: int
    year: str
    scheme_id: int | None
    title: str
    created_at: datetime
    language: str
    link: str


def _entries(principal: Principal, docs: Iterable[Document]) -> list[StatementEntry]:
    return [
        StatementEntry(
            id=d.id or 0,
            year=d.period,
            scheme_id=d.scheme_id,
            title=d.title,
            created_at=d.created_at,
            language=d.language,
            link=files.link(principal, CATEGORY, d.id or 0),
        )
        for d in docs
    ]


def statements_of(db: Session, principal: Principal | None, participation_id: object) -> list[StatementEntry]:
    """The statements of the person of ``participation_id`` (untrusted) at its employer, newest year first
    (every scheme of that employer). For users who may see participants, within scope."""
    p = require(principal, Perm.PARTICIPANTS_VIEW)
    part = _participation_in_scope(db, p, participation_id)
    docs = db.exec(
        select(Document)
        .where(
            Document.person_id == part.person_id,
            Document.employer_id == part.employer_id,
            Document.kind == KIND,
        )
        .order_by(col(Document.period).desc(), col(Document.scheme_id), col(Document.id).desc())
    ).scalars()
    return _entries(p, docs)


@files.register(CATEGORY)
def _served(db: Session, principal: Principal, document_id: int) -> files.Served:
    """A statement PDF for the employee it belongs to, or for a user of its employer who may see participants."""
    doc = db.get(Document, document_id)
    if doc is None or doc.category != CATEGORY:
        raise NoAccess("not_found")
    if principal.front_end == FrontEnd.EMPLOYEE:
        require_own_person(db, principal, doc.person_id)
    else:
        require(principal, Perm.PARTICIPANTS_VIEW)
        if doc.employer_id not in principal.employer_ids:
            raise NoAccess("out_of_scope")
    return files.Served(files.stored_path("documents", doc.stored_name), doc.file_name, PDF, inline=True)
