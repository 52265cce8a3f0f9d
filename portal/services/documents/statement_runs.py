"""Statement runs (DOC-3): a whole scheme's statements for a year, requested by the employer and made by a job
run chunk by chunk; its status, read from the job run.

Exactly once, also after a kill: each chunk replaces the year's statements of its participations and records
the run's checkpoint (the last participation done, the counts, the files it replaced, the ids of the statements
made so far) in one transaction. An attempt that resumes a lost run (the consumer's start-up or the periodic check
queue it again) first removes the files the lost attempt wrote or replaced that no statement holds, then carries
on after the last participation done. The run's last transaction records its audit entry and ONE notification job
for all its new statements, so every participation gets one statement and one file, and every employee one mail
per run (also one with several participations in different chunks).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from portal.core import clock
from portal.core.db import session_scope
from portal.domain.roles import Perm
from portal.domain.statement import MIN_YEAR, StatementRefused, as_of_day, make_statement
from portal.models import Scheme, UserAccount
from portal.services import audit, background, files
from portal.services.documents.notifications import queue_notifications
from portal.services.documents.statement_pdf import CHUNK, IO_THREADS, _context, _facts, _params
from portal.services.documents.statement_store import _store, _write_files, remove_unheld
from portal.services.errors import FieldError
from portal.services.organisation.scheme_access import require_scheme
from portal.services.participants import read_table as plist
from portal.services.participants.overview import as_of_view
from portal.services.principal import Principal, acting

log = logging.getLogger("portal.statements")
KIND = "generate_statements"  # the job run's kind
MIN_CHUNK = 20  # a run makes at least ten chunks (progress and resume points) unless that is below this


# ------------------------------------------------------------------------------------------- run status
@dataclass(frozen=True)
class RunStatus:
    """How far the generation of a scheme's statements for a year is (from its latest job run)."""

    state: str  # none, queued, running, done, failed, interrupted
    done: int = 0
    total: int = 0
    made: int = 0
    skipped: int = 0


def _subject(scheme_id: int, year: int) -> str:
    return f"statements:{scheme_id}:{year}"


def run_status(db: Session, principal: Principal | None, scheme_id: object, year: object) -> RunStatus:
    """The status of the latest run for ``scheme_id`` and ``year`` (both untrusted; scope-checked)."""
    scheme = require_scheme(db, principal, scheme_id, Perm.MUTATIONS_SUBMIT)
    try:
        y = int(str(year))
    except ValueError:
        return RunStatus("none")
    run = background.latest(db, principal, KIND, _subject(scheme.id or 0, y))
    if run is None:
        return RunStatus("none")
    made, skipped = run.figures.get("made", 0), run.figures.get("skipped", 0)
    return RunStatus(run.status, run.done, run.total, made, skipped)


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
    background.queue(
        db,
        KIND,
        subject=_subject(sid, y),
        employer_id=scheme.employer_id,
        started_by=principal.user_id,
        total=total,
        scheme_id=sid,
        year=y,
        user_id=principal.user_id,
    )
    return total


# ------------------------------------------------------------------------------------------------ the job
@dataclass(frozen=True)
class RunResult:
    """What a job run did: statements made, participants skipped (no terms or parameters) and the reasons."""

    made: int
    skipped: int
    reasons: dict[str, int]


def chunk_size(total: int) -> int:
    """Statements per transaction: a tenth of the run, at least MIN_CHUNK and at most CHUNK."""
    return max(MIN_CHUNK, min(CHUNK, -(-total // 10)))


def statements_job(run: background.Run) -> RunResult:
    """The ``generate_statements`` job run (queued by ``request_statements``; resumes a lost attempt)."""
    return _generate(run, None)


def run_statements(scheme_id: int, year: int, user_id: int | None = None, today: date | None = None) -> RunResult:
    """Make the statements of every participant of ``scheme_id`` active on 1 January of ``year`` now, in this
    thread, as a job run of its own. Running it again replaces the year's statements (one per participation,
    never two)."""
    sid, y = int(scheme_id), int(year)
    with session_scope() as db:
        scheme = db.get(Scheme, sid)
        employer_id = scheme.employer_id if scheme else None
    run = background.begin(
        KIND, subject=_subject(sid, y), employer_id=employer_id, started_by=user_id, scheme_id=sid, year=y,
        user_id=user_id,
    )  # fmt: skip
    return background.perform(run, partial(_generate, today=today))


def _generate(run: background.Run, today: date | None) -> RunResult:
    """Make the statements of ``run`` (args scheme_id, year, user_id), after its checkpoint when resumed."""
    sid, y = int(run.args["scheme_id"]), int(run.args["year"])
    day_today = today or clock.today()
    with session_scope() as db:
        ctx = _context(db, sid, y)
        plist.refresh_due(db, ctx.scheme.employer_id, day_today)
        user = db.get(UserAccount, run.args.get("user_id")) if run.args.get("user_id") else None
        by_name = (user.display_name or user.username) if user else ""
        user_id = user.id if user else None  # a deleted account: the statements are still made
    with session_scope() as db:
        rows = _facts(db, ctx, y)
    point = run.checkpoint
    if point.get("files"):
        removed = remove_unheld(point["files"])
        log.info("statement run %s resumed: %s file(s) of the lost attempt removed", run.id, removed)
    cursor = int(point.get("cursor", 0))
    made, skipped = int(point.get("figures", {}).get("made", 0)), int(point.get("figures", {}).get("skipped", 0))
    reasons: dict[str, int] = dict(point.get("reasons", {}))
    total = len(rows)
    todo = [row for row in rows if row[0] > cursor]
    done = total - len(todo)
    run.report(done, total)
    size = chunk_size(total)
    with ThreadPoolExecutor(IO_THREADS, thread_name_prefix="statement-io") as io:
        for start in range(0, len(todo), size):
            part = todo[start : start + size]
            batch = []
            for pid, person_id, facts in part:
                try:
                    batch.append((pid, person_id, make_statement(facts, ctx.params)))
                except StatementRefused as refused:
                    skipped += 1
                    reasons[refused.reason] = reasons.get(refused.reason, 0) + 1
            names = [files.new_stored_name("pdf") for _ in batch]
            with session_scope() as db:  # the names go on record before the files exist
                run.save(db, files=names)
            written = _write_files(batch, day_today, io, names)
            background.pause(len(part))  # fault injection for the kill test (none in production)
            done, made = done + len(part), made + len(written)
            record = partial(
                _record, run, done=done, total=total, cursor=part[-1][0], figures={"made": made, "skipped": skipped},
                reasons=reasons,
            )  # fmt: skip
            try:
                _store(ctx, y, written, user_id, by_name, io, record)
            except BaseException:
                remove_unheld(names)
                raise
    if not point.get("audited"):
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
            queue_notifications(db, run.checkpoint.get("new_ids", []), ctx.scheme.employer_id)  # DOC-4, once
            run.save(db, done=total, total=total, files=[], audited=True)
    return RunResult(made, skipped, reasons)


def _record(run: background.Run, db: Session, replaced: list[str], new_ids: list[int], **point: Any) -> None:
    """Inside a chunk's transaction: the run's checkpoint (``point``, the replaced files, which are removed after
    the commit, and the ids of the statements made so far, whose mails the run's last transaction queues)."""
    made = [*run.checkpoint.get("new_ids", []), *new_ids]
    run.save(db, point.pop("done"), point.pop("total"), files=replaced, new_ids=made, **point)
