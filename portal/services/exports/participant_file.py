"""Participant exports as of a date (EMP-5): requested by a user, written by a job, downloaded again later.

``request_export`` checks the principal (Perm.EXPORT, scheme in scope) and the date, records the request and
its job run, and queues ``build_export`` once the transaction has committed. ``run_export`` (the job) claims the
request with a conditional update, so a job queued twice or run by two workers writes one file (an attempt
that takes over from a lost one removes the lost one's unfinished file); it streams the scheme's
participations as of the date out of one SQL query (the overview's as-of view) into an xlsx written by
xlsxwriter in constant-memory mode. Files live in the private ``exports`` folder and are fetched through a
signed link whose resolver checks the scope again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import or_, select, update
from sqlmodel import Session, col

from portal.core import clock
from portal.core.xlsx import safe_text
from portal.domain.dates import FUTURE_MONTHS, check_future_window
from portal.domain.errors import RuleError
from portal.domain.roles import Perm
from portal.domain.validation import require_date
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import Contract, Employer, ExportFile, ParticipantListRow, Participation, Person, Scheme
from portal.services import audit, background, files
from portal.services.errors import FieldError
from portal.services.organisation.scheme_access import require_scheme
from portal.services.participants import read_table as plist
from portal.services.participants.overview import as_of_view
from portal.services.principal import NoAccess, Principal, acting, require

log = logging.getLogger("portal.exports")

UNFINISHED = ("queued", "processing")
STATUSES = ("queued", "processing", "ready", "failed")
STALE_MINUTES = 5  # a "processing" export older than this was left by a lost worker and may be claimed again
HISTORY_LIMIT = 50
FETCH = 5_000  # rows per fetch from the database cursor
COLUMNS = ("number", "name", "bsn", "birth_date", "date_in_service", "salary", "parttime", "status", "exit_date")
WIDTHS = (16, 32, 12, 13, 15, 14, 12, 14, 13)
HEADER_ROW = 2  # row 0: title, row 1: subtitle, row 2: column headers, data from row 3
L = ParticipantListRow


@dataclass(frozen=True)
class ExportEntry:
    """One line of the export history; ``link`` is a freshly signed download link when the file is ready."""

    id: int
    requested_at: datetime
    as_of: date
    requested_by: str
    on_behalf: bool
    rows: int
    size_bytes: int
    status: str
    file_name: str
    link: str


def parse_export_date(value: object, today: date) -> date:
    """The as-of date of an export: any valid past date, up to FUTURE_MONTHS ahead (FieldError on ``as_of``)."""
    try:
        day = require_date(value, "as_of")
    except RuleError as err:
        raise FieldError("as_of", err.key, err.params) from None
    if check_future_window(day, today):
        raise FieldError("as_of", "date_too_far_ahead", {"months": FUTURE_MONTHS})
    return day


def request_export(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    as_of: object,
    language: object = "nl",
    today: date | None = None,
) -> ExportFile:
    """Record an export of ``scheme_id`` (untrusted) as of ``as_of`` and queue its job after commit.

    NoAccess without Perm.EXPORT or outside the principal's scope; FieldError (``as_of``) for a missing or
    invalid date or one more than three months ahead. Nothing is written when it is refused. The caller
    commits; the job starts only then.
    """
    scheme = require_scheme(db, principal, scheme_id, Perm.EXPORT)
    assert principal is not None
    day = parse_export_date(as_of, today or clock.today())
    lang = normalise_language(language)
    behalf = acting(principal, scheme.employer_id)
    export = ExportFile(
        employer_id=scheme.employer_id,
        scheme_id=scheme.id or 0,
        as_of=day,
        language=lang,
        status="queued",
        requested_by=principal.user_id,
        requested_by_name=principal.display_name or principal.username,
        on_behalf_of=behalf.by,
        file_name=_download_name(scheme, day, lang),
    )
    db.add(export)
    db.flush()
    audit.record(
        db,
        "export.requested",
        actor=principal,
        object_type="export",
        object_id=export.id,
        employer_id=scheme.employer_id,
        on_behalf_of=behalf.for_employer,
        scheme_id=scheme.id,
        as_of=day.isoformat(),
        language=lang,
    )
    background.queue(
        db,
        "build_export",
        subject=f"export:{export.id}",
        employer_id=scheme.employer_id,
        started_by=principal.user_id,
        export_id=export.id,
    )
    return export


def _download_name(scheme: Scheme, day: date, lang: str) -> str:
    """``deelnemers-OP-01-2026-06-01.xlsx`` (only safe characters: it ends up in a header)."""
    stem = t("export.file_stem", lang)
    kind = "".join(ch for ch in scheme.kind if ch.isalnum())[:10]
    number = "".join(ch for ch in scheme.number if ch.isalnum())[:10]
    return f"{stem}-{kind}-{number}-{day.isoformat()}.xlsx"


def export_history(
    db: Session, principal: Principal | None, scheme_id: object, limit: int = HISTORY_LIMIT
) -> list[ExportEntry]:
    """Earlier exports of ``scheme_id`` (untrusted, scope-checked), newest first, each ready one with a
    download link signed now for this principal."""
    scheme = require_scheme(db, principal, scheme_id, Perm.EXPORT)
    assert principal is not None
    query = (
        select(ExportFile)
        .where(ExportFile.scheme_id == scheme.id)
        .order_by(col(ExportFile.requested_at).desc(), col(ExportFile.id).desc())
        .limit(limit)
    )
    out = []
    for (e,) in db.execute(query):
        ready = e.status == "ready"
        out.append(
            ExportEntry(
                id=e.id or 0,
                requested_at=e.requested_at,
                as_of=e.as_of,
                requested_by=e.requested_by_name,
                on_behalf=bool(e.on_behalf_of),
                rows=e.rows,
                size_bytes=e.size_bytes,
                status=e.status,
                file_name=e.file_name,
                link=files.link(principal, "export", e.id or 0) if ready else "",
            )
        )
    return out


def pending(db: Session, principal: Principal | None, scheme_id: object) -> bool:
    """Whether an export of ``scheme_id`` is still queued or being written (the page polls while it is)."""
    scheme = require_scheme(db, principal, scheme_id, Perm.EXPORT)
    query = select(ExportFile.id).where(ExportFile.scheme_id == scheme.id, col(ExportFile.status).in_(UNFINISHED))
    return db.execute(query.limit(1)).first() is not None


@files.register("export")
def _served(db: Session, principal: Principal, export_id: int) -> files.Served:
    """The file of a ready export, for a principal with Perm.EXPORT whose scope holds its employer."""
    require(principal, Perm.EXPORT)
    export = db.get(ExportFile, export_id)
    if export is None or export.employer_id not in principal.employer_ids:
        raise NoAccess("out_of_scope")
    if export.status != "ready":
        raise NoAccess("not_found")
    return files.Served(files.stored_path("exports", export.stored_name), export.file_name, files.XLSX)


# ------------------------------------------------------------------------------------------------ the job
def _claim(export_id: int, takeover: bool = False) -> str | None:
    """Take the export for this run: queued → processing (or a processing one left by a lost worker: at
    once with ``takeover``, which a job run's claim allows, else once STALE_MINUTES have passed), under a
    fresh stored name that only this run writes; the lost run's unfinished file is removed. None when
    another run has it or it is done."""
    from portal.core.db import session_scope

    stored = files.new_stored_name("xlsx")
    stale = clock.now() - timedelta(minutes=STALE_MINUTES)
    lost = (ExportFile.status == "processing") & (col(ExportFile.requested_at) < stale)
    if takeover:
        lost = ExportFile.status == "processing"
    with session_scope() as db:
        before = db.execute(select(ExportFile.stored_name).where(col(ExportFile.id) == export_id)).scalar()
        result = db.connection().execute(
            update(ExportFile)
            .where(col(ExportFile.id) == export_id, or_(ExportFile.status == "queued", lost))
            .values(status="processing", stored_name=stored, message="")
        )
    if result.rowcount != 1:
        return None
    if before:  # a lost run's unfinished file (its finish can no longer match the stored name)
        files.stored_path("exports", before).unlink(missing_ok=True)
    return stored


def _finish(export_id: int, stored: str, **values: Any) -> bool:
    """Record the outcome, only if this run still holds the claim (its stored name)."""
    from portal.core.db import session_scope

    with session_scope() as db:
        result = db.connection().execute(
            update(ExportFile)
            .where(
                col(ExportFile.id) == export_id,
                ExportFile.status == "processing",
                ExportFile.stored_name == stored,
            )
            .values(finished_at=clock.now(), **values)
        )
        if result.rowcount == 1 and values.get("status") == "ready":
            export = db.get(ExportFile, export_id)
            assert export is not None
            audit.record(
                db,
                "export.generated",
                actor_user_id=export.requested_by,
                object_type="export",
                object_id=export_id,
                employer_id=export.employer_id,
                rows=values.get("rows", 0),
                as_of=export.as_of.isoformat(),
            )
        return result.rowcount == 1


def export_job(run: background.Run) -> bool:
    """The ``build_export`` job run: write export ``run.args["export_id"]`` (once: see ``run_export``)."""
    return run_export(int(run.args["export_id"]), takeover=True)


def run_export(export_id: int, takeover: bool = False) -> bool:
    """The job: write the file of export ``export_id`` once. Returns True when this run wrote it; False when
    there was nothing to do (already done, or held by another run). A failure marks the export failed.
    ``takeover``: the caller holds the export's job run, so a ``processing`` export is a lost attempt's."""
    stored = _claim(int(export_id), takeover)
    if stored is None:
        return False
    path = files.folder("exports") / stored
    try:
        rows = write_export(int(export_id), path)
        done = _finish(int(export_id), stored, status="ready", rows=rows, size_bytes=path.stat().st_size)
    except Exception:
        log.exception("export %s failed", export_id)
        path.unlink(missing_ok=True)
        _finish(int(export_id), stored, status="failed", message="export.failed_message")
        return False
    if not done:  # another run took over (this one was presumed lost): keep only its file
        path.unlink(missing_ok=True)
    return done


def _rows(db: Session, scheme_id: int, day: date) -> Iterator[tuple[Any, ...]]:
    """The scheme's participations as of ``day``, in name order, streamed from one query."""
    view = as_of_view(scheme_id, day)
    query = (
        select(
            L.participant_number,
            L.name,
            Person.bsn,
            Person.birth_date,
            L.date_in_service,
            view.salary,
            view.parttime,
            view.status,
            Participation.end_date,
        )
        .select_from(view.source.join(Person, col(Person.id) == Participation.person_id))
        .where(*view.conditions)
        .order_by(L.sort_name, L.participation_id)
    )
    result = db.connection().execution_options(yield_per=FETCH).execute(query)
    for part in result.partitions():
        yield from part


def write_export(export_id: int, path: Path) -> int:
    """Write the xlsx of ``export_id`` to ``path``; returns the number of participant rows."""
    from portal.core.db import session_scope

    with session_scope() as db:
        export = db.get(ExportFile, export_id)
        if export is None:
            raise LookupError(export_id)
        scheme = db.get(Scheme, export.scheme_id)
        employer = db.get(Employer, export.employer_id)
        assert scheme is not None and employer is not None
        contract = db.get(Contract, scheme.contract_id)
        plist.refresh_due(db, export.employer_id, clock.today())  # names come from the list rows
        db.commit()
        lang = normalise_language(export.language)
        title = t(
            "export.sheet_title",
            lang,
            employer=employer.name,
            scheme=f"{scheme.kind} {contract.number if contract else ''}-{scheme.number} {scheme.name}",
            day=fmt.day(export.as_of, lang),
        )
        subtitle = t("export.sheet_subtitle", lang, moment=fmt.moment(clock.now(), lang), by=export.requested_by_name)
        statuses = {s: t(f"status.{s}", lang) for s in ("active", "dormant", "terminated", "retired")}
        with _Sheet(path, lang) as sheet:
            sheet.title(title, subtitle)
            sheet.header([t(f"export.col.{c}", lang) for c in COLUMNS])
            count = 0
            for row in _rows(db, scheme.id or 0, export.as_of):
                sheet.row(row, statuses)
                count += 1
            sheet.finish(count)
    return count


class _Sheet:
    """One worksheet written row by row (constant memory: a row cannot be changed once the next starts)."""

    def __init__(self, path: Path, lang: str) -> None:
        self.book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,  # rows go to disk as they are written: memory stays flat at 100,000 rows
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "tmpdir": str(path.parent),
            },
        )
        self.ws = self.book.add_worksheet(t("export.sheet_name", lang)[:31])
        date_pattern = fmt.DATE_PATTERNS.get(lang, fmt.DATE_PATTERNS["nl"]).replace("MM", "mm")
        self.f_title = self.book.add_format({"bold": True, "font_size": 14})
        self.f_header = self.book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.f_text = self.book.add_format({"num_format": "@"})
        self.f_date = self.book.add_format({"num_format": date_pattern})
        self.f_money = self.book.add_format({"num_format": "#,##0.00"})
        self.f_pct = self.book.add_format({"num_format": "0.000"})
        self.r = HEADER_ROW + 1

    def __enter__(self) -> _Sheet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.book.close()

    def title(self, title: str, subtitle: str) -> None:
        self.ws.write_string(0, 0, safe_text(title), self.f_title)
        self.ws.write_string(1, 0, safe_text(subtitle))

    def header(self, labels: list[str]) -> None:
        for i, (label, width) in enumerate(zip(labels, WIDTHS, strict=True)):
            self.ws.set_column(i, i, width)
            self.ws.write_string(HEADER_ROW, i, label, self.f_header)
        self.ws.freeze_panes(HEADER_ROW + 1, 0)

    def _text(self, c: int, value: object) -> None:
        if value not in (None, ""):
            self.ws.write_string(self.r, c, safe_text(str(value)), self.f_text)

    def _date(self, c: int, value: date | None) -> None:
        if value is not None:
            self.ws.write_datetime(self.r, c, value, self.f_date)

    def _number(self, c: int, value: Decimal | None, f: Any) -> None:
        if value is not None:
            self.ws.write_number(self.r, c, float(value), f)  # the cell is a double; the format shows the decimals

    def row(self, values: tuple[Any, ...], statuses: dict[str, str]) -> None:
        number, name, bsn, birth, in_service, salary, parttime, status, exit_date = values
        self._text(0, number)
        self._text(1, name)
        self._text(2, bsn)
        self._date(3, birth)
        self._date(4, in_service)
        self._number(5, salary, self.f_money)
        self._number(6, parttime, self.f_pct)
        self._text(7, statuses.get(status, status))
        self._date(8, exit_date)
        self.r += 1

    def finish(self, count: int) -> None:
        last = max(self.r - 1, HEADER_ROW)
        self.ws.autofilter(HEADER_ROW, 0, last, len(COLUMNS) - 1)
