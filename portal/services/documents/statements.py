"""Benefit statements (DOC-3): one PDF per participant per year, as of 1 January, in the participant's language.

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

import json
import logging
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from sqlalchemy import delete, func, insert, select, text
from sqlmodel import Session, col

from portal.core import pdf_fonts
from portal.domain.premium import PremiumParameterError, SchemeYearParams
from portal.domain.roles import FrontEnd, Perm
from portal.domain.statement import (
    MIN_YEAR,
    Statement,
    StatementFacts,
    StatementRefused,
    as_of_day,
    make_statement,
)
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import Contract, Document, Employer, Participation, Person, Scheme
from portal.models.base import utcnow
from portal.services import audit, files
from portal.services.errors import FieldError
from portal.services.organisation.scheme_access import require_scheme
from portal.services.participants import read_table as plist
from portal.services.participants.detail import scheme_year_params
from portal.services.participants.overview import as_of_view
from portal.services.principal import NoAccess, Principal, id_of, own_person_ids, require, require_own_person

log = logging.getLogger("portal.statements")

CATEGORY = "statement"
KIND = "benefit_statement"
PDF = "application/pdf"
CHUNK = 500  # statements per transaction
IO_THREADS = 4  # file writes and deletes beside the rendering (file I/O releases the GIL)
STALE_SECONDS = 10 * 60  # a run without progress for this long is shown as interrupted
LOCK_NAMESPACE = 74_120  # PostgreSQL advisory lock of a scheme's statement writes (second key: scheme id)


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

    value = {"state": state, "done": done, "total": total, "at": time.time(), **extra}
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
    if status.state in ("queued", "running") and time.time() - status.at > STALE_SECONDS:
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
    day_today = today or plist.current_day()
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
        on_behalf_of=f"employer:{scheme.employer_id}" if principal.can(Perm.ACT_FOR_EMPLOYER) else "",
        year=y,
        participants=total,
    )
    from portal.jobs import tasks

    tasks.after_commit(db, _queue, sid, y, principal.user_id, total)
    return total


def _queue(scheme_id: int, year: int, user_id: int, total: int) -> None:
    from portal.jobs import tasks

    _put_status(scheme_id, year, "queued", 0, total)
    tasks.generate_statements(scheme_id, year, user_id)


# ---------------------------------------------------------------------------------------------- loading
@dataclass(frozen=True)
class _Context:
    scheme: Scheme
    employer_name: str
    contract_number: str
    params: SchemeYearParams | None


def _context(db: Session, scheme_id: int, year: int) -> _Context:
    scheme = db.get(Scheme, scheme_id)
    if scheme is None:
        raise LookupError(scheme_id)
    employer = db.get(Employer, scheme.employer_id)
    contract = db.get(Contract, scheme.contract_id)
    return _Context(
        scheme=scheme,
        employer_name=employer.name if employer else "",
        contract_number=contract.number if contract else "",
        params=_params(db, scheme_id, year),
    )


def _params(db: Session, scheme_id: int, year: int) -> SchemeYearParams | None:
    """The scheme year's parameters; None when there are none or they cannot be used (bad bands)."""
    try:
        return scheme_year_params(db, scheme_id, year)
    except PremiumParameterError:
        return None


_FACT_COLUMNS = (
    Participation.id,
    Participation.person_id,
    Participation.participant_number,
    Participation.policy_number,
    Person.initials,
    Person.first_name,
    Person.name_prefix,
    Person.last_name,
    Person.birth_date,
    Person.language,
    Participation.start_date,
    Participation.end_date,
    Participation.status,
    Participation.premium_mode,
)


def _facts(
    db: Session, ctx: _Context, year: int, participation_ids: Sequence[int] | None = None, active_only: bool = True
) -> list[tuple[int, int, StatementFacts]]:
    """(participation id, person id, facts) of the scheme's participations as of 1 January, in one query."""
    day = as_of_day(year)
    view = as_of_view(ctx.scheme.id or 0, day)
    conditions = list(view.conditions)
    if active_only:
        conditions.append(view.status == "active")
    if participation_ids is not None:
        conditions.append(col(Participation.id).in_(list(participation_ids)))
    query = (
        select(*_FACT_COLUMNS, view.salary, view.parttime)
        .select_from(view.source.join(Person, col(Person.id) == Participation.person_id))
        .where(*conditions)
        .order_by(Participation.id)
    )
    out = []
    for row in db.connection().execute(query):
        pid, person_id, number, policy, ini, first, prefix, last, birth, lang, start, end, status, mode, sal, pt = row
        facts = StatementFacts(
            year=year,
            employer_name=ctx.employer_name,
            scheme_kind=ctx.scheme.kind,
            scheme_name=ctx.scheme.name,
            contract_number=ctx.contract_number,
            scheme_number=ctx.scheme.number,
            participant_number=number,
            policy_number=policy or "",
            initials=ini or "",
            first_name=first or "",
            name_prefix=prefix or "",
            last_name=last or "",
            birth_date=birth,
            participation_start=start,
            participation_end=end,
            stored_status=status,
            premium_mode=mode,
            salary=sal,
            parttime=pt,
            language=normalise_language(lang),
        )
        out.append((pid, person_id, facts))
    return out


# -------------------------------------------------------------------------------------------------- PDF
def statement_lines(s: Statement) -> list[tuple[str, str]]:
    """The (label, value) lines of a statement in its language, amounts and dates formatted by Babel."""
    lang = s.language
    c = s.coverage
    lines = [
        (t("statement.pdf.name", lang), s.name),
        (t("statement.pdf.birth_date", lang), f"{fmt.day(s.birth_date, lang)} ({s.age})"),
        (t("statement.pdf.employer", lang), s.employer_name),
        (t("statement.pdf.scheme", lang), s.scheme_label),
        (t("statement.pdf.participant_number", lang), s.participant_number),
    ]
    if s.policy_number:
        lines.append((t("statement.pdf.policy_number", lang), s.policy_number))
    lines += [
        (t("statement.pdf.start", lang), fmt.day(s.participation_start, lang)),
        (t("statement.pdf.salary", lang), fmt.money(s.salary, lang)),
        (t("statement.pdf.parttime", lang), fmt.percent(s.parttime, lang)),
        (t("statement.pdf.max_salary", lang), fmt.money(s.max_salary, lang)),
        (t("statement.pdf.franchise", lang), fmt.money(s.franchise, lang)),
        (t("statement.pdf.pensionable_salary", lang), fmt.money(c.pensionable_salary, lang)),
        (t("statement.pdf.premium_mode", lang), t(f"premium_mode.{c.mode}", lang)),
        (t("statement.pdf.premium_percentage", lang), fmt.percent(c.premium_percentage, lang)),
        (t("statement.pdf.yearly_premium", lang), fmt.money(c.yearly_premium, lang)),
        (t("statement.pdf.monthly_premium", lang), fmt.money(c.monthly_premium, lang)),
        (t(f"statement.pdf.amount_{c.amount_kind}", lang), fmt.money(c.amount, lang)),
    ]
    return lines


def render_pdf(s: Statement, made_on: date) -> bytes:
    """The statement as a one-page A4 PDF (fpdf2): Helvetica when every text fits Windows-1252 (small and
    fast), else the embedded DejaVu Sans, so that every name prints as written (``pdf_fonts``)."""
    lang = s.language
    title = t("statement.pdf.title", lang, year=s.year)
    greeting = t("statement.pdf.greeting", lang, name=s.full_name)
    intro = t("statement.pdf.intro", lang, day=fmt.day(s.as_of, lang))
    lines = statement_lines(s)
    notes = [t(key, lang) for key in ("statement.pdf.note_basis", "statement.pdf.note_questions")]
    made = t("statement.pdf.made_on", lang, day=fmt.day(made_on, lang))
    pdf = FPDF(format="A4")
    family = pdf_fonts.use_fonts(pdf, [title, greeting, intro, made, *notes, *(x for line in lines for x in line)])
    pdf.set_title(title)
    pdf.set_lang("nl-NL" if lang == "nl" else "en-GB")
    pdf.set_creator("Benefits portal")
    pdf.add_page()
    pdf.set_font(family, style="B", size=18)
    pdf.text(20, 28, title)
    pdf.set_font(family, size=11)
    pdf.text(20, 38, greeting)
    pdf.text(20, 45, intro)
    pdf.set_font(family, size=10)
    for i, (label, _value) in enumerate(lines):
        pdf.text(20, 60 + 7 * i, label)
    pdf.set_font(family, style="B", size=10)
    for i, (_label, value) in enumerate(lines):
        pdf.text(105, 60 + 7 * i, value)
    y = 60.0 + 7 * len(lines)
    pdf.set_font(family, size=9)
    y += 6
    for note in notes:
        pdf.text(20, y, note)
        y += 5
    pdf.text(20, 285, made)
    return bytes(pdf.output())


def _file_name(s: Statement) -> str:
    stem = t("statement.file_stem", s.language)
    number = "".join(ch for ch in s.participant_number if ch.isalnum())[:20]
    kind = "".join(ch for ch in s.scheme_kind if ch.isalnum())[:10]
    return f"{stem}-{s.year}-{kind}-{number}.pdf"


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
    now = utcnow()
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
    day_today = today or plist.current_day()
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
    day_today = today or plist.current_day()
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


def latest_for_employee(db: Session, principal: Principal | None) -> list[StatementEntry]:
    """EE-3: the employee's latest statement per scheme (their own person records, at every employer)."""
    p = require(principal, Perm.OWN_DATA_VIEW, FrontEnd.EMPLOYEE)
    person_ids = sorted(own_person_ids(db, p))
    docs = db.exec(
        select(Document)
        .where(col(Document.person_id).in_(person_ids), Document.kind == KIND)
        .order_by(col(Document.period).desc(), col(Document.id).desc())
    ).scalars()
    latest: dict[int | None, Document] = {}
    for d in docs:
        latest.setdefault(d.participation_id, d)
    return _entries(p, latest.values())


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
