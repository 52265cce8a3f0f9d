"""The jobs behind collective changes: validate an uploaded file, apply a batch all or nothing (BULK, PLT-3).

Exactly once: the apply claims its batch with a conditional update (``processing`` → ``processed``) as the
first write of the one transaction that also writes every change. A worker killed half-way leaves nothing
(the transaction never commits) and the batch still ``processing``; its job run is queued again when the
next consumer starts (``portal.services.background.recovery``) and that attempt does the whole batch. Two
attempts at once: the second waits for the first's lock and then finds the batch no longer ``processing``.
The apply's progress goes to the queue's storage (``Run.report_volatile``): its one transaction holds the
database while it runs.

A salary file's checked lines are staged (``BatchLine``) with the employer's ``data_version`` of that moment.
If that version is unchanged when the batch is applied, nothing changed in between and the staged lines are
applied as they are. Otherwise every row is checked again against the data at the moment of applying; if any
row fails now, nothing is applied and the batch becomes ``failed`` with its report. Changes are written
set-based (INSERT ... SELECT from the staged lines, one UPDATE per table), which keeps 50,000 rows within a
second or two.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, null, update
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.db import session_scope
from portal.core.gc_pause import gc_paused
from portal.core.sql import bulk_insert
from portal.core.xlsx import FileProblem
from portal.domain import bulk as rules
from portal.domain.effective import slot_change
from portal.domain.errors import RuleError
from portal.models import (
    Batch,
    BatchLine,
    Employer,
    EmploymentVersion,
    Mutation,
    Participation,
    Person,
    Scheme,
)
from portal.services import audit, background, couplings, invitations, tasks
from portal.services.collective.checking import (
    RowsFailed,
    _bump,
    _check,
    _failing_rows,
    _file,
    _report,
    _stage,
)
from portal.services.collective.scheme_state import SchemeState, live_versions
from portal.services.participants.read_table import mark_employments_due, refresh_list_row, refresh_person
from portal.services.principal import Acting

log = logging.getLogger("portal.jobs")
Progress = Callable[[int, int], None]


def _quiet(_done: int, _total: int) -> None:
    """No progress to report (the apply was called directly, not as a job run)."""


# ------------------------------------------------------------------------------------------ applying


def _unchanged_since_check(db: Session, batch: Batch) -> bool:
    """The batch's staged lines still hold: nothing of the employer changed since they were checked (its
    ``data_version`` is what validation left; every change of participant data bumps it). Bumps the
    version in the same statement, which also holds the employer row until this transaction ends."""
    if batch.checked_version is None or batch.kind != "salary_parttime":
        return False
    lines = BatchLine.__table__  # type: ignore[attr-defined]
    staged = db.connection().execute(select(func.count()).select_from(lines).where(lines.c.batch_id == batch.id))
    if int(staged.scalar() or 0) != batch.rows_changed:
        return False
    claimed = db.exec(  # type: ignore[call-overload]
        update(Employer)
        .where(col(Employer.id) == batch.employer_id, col(Employer.data_version) == batch.checked_version)
        .values(data_version=Employer.data_version + 1)
    )
    return claimed.rowcount == 1


def _release(db: Session, batch: Batch) -> None:
    db.exec(  # type: ignore[call-overload]
        update(Scheme)
        .where(col(Scheme.id) == batch.scheme_id, col(Scheme.collective_lock_batch) == batch.id)
        .values(collective_lock_batch=None, collective_locked_at=None)
    )


def _mutation_row(batch: Batch, now: datetime, kind: str, **values: Any) -> dict[str, Any]:
    row = {
        "employer_id": batch.employer_id,
        "scheme_id": batch.scheme_id,
        "kind": kind,
        "requested_at": batch.queued_at or now,
        "requested_by": batch.uploaded_by,
        "requested_by_name": batch.uploaded_by_name,
        "on_behalf_of": batch.on_behalf_of,
        "channel": "excel" if batch.stored_name else "portal",
        "status": "processed",
        "review_reason": "",
        "reviewed_by_name": "",
        "reviewed_at": None,
        "warnings": "[]",
        "batch_id": batch.id,
    }
    row.update(values)
    return row


def _apply_staged(db: Session, batch: Batch, now: datetime, today: date, progress: Progress = _quiet) -> int:
    """Apply the staged lines of ``batch`` (MUT-3), set-based, and delete them; returns how many.

    A line whose version on the date is the employment's last (``simple``) is done in SQL for all such
    lines at once: its version is superseded, the part before the date is kept as a version of its own,
    and the new terms apply from the date on (what ``slot_change`` plans for one open-ended version).
    Lines with later versions go through ``slot_change`` one by one (later changes re-applied on top).
    """
    assert batch.effective_date is not None
    effective = batch.effective_date
    conn = db.connection()
    lines = BatchLine.__table__  # type: ignore[attr-defined]
    versions = EmploymentVersion.__table__  # type: ignore[attr-defined]
    cover = versions.alias("cover")
    mine = lines.c.batch_id == batch.id
    simple = and_(mine, lines.c.simple.is_(True))
    count = int(conn.execute(select(func.count()).select_from(lines).where(mine)).scalar() or 0)
    at = bindparam("at", now, type_=versions.c.recorded_at.type)
    day = bindparam("day", effective, type_=versions.c.valid_from.type)
    names = ["employment_id", "valid_from", "valid_to", "recorded_at", "superseded_at", "salary", "parttime_pct"]
    joined = lines.join(cover, cover.c.id == lines.c.cover_id)
    before = select(
        cover.c.employment_id, cover.c.valid_from, day, at, null(), cover.c.salary, cover.c.parttime_pct
    ).select_from(joined)
    conn.execute(insert(versions).from_select(names, before.where(simple, cover.c.valid_from < day)))
    background.pause(count)  # fault injection for the kill test (a pause per row; none in production)
    after = select(
        cover.c.employment_id,
        day,
        cover.c.valid_to,
        at,
        null(),
        func.coalesce(lines.c.salary, cover.c.salary),
        func.coalesce(lines.c.parttime_pct, cover.c.parttime_pct),
    ).select_from(joined)
    conn.execute(insert(versions).from_select(names, after.where(simple).order_by(lines.c.seq)))
    progress(count // 2, count)
    conn.execute(
        update(versions)
        .where(versions.c.id.in_(select(lines.c.cover_id).where(simple)))
        .values(superseded_at=bindparam("at", now, type_=versions.c.superseded_at.type))
    )
    _apply_with_history(db, batch, now)
    base = _mutation_row(batch, now, "salary_parttime")
    base.update(effective_date=effective)
    constants = [bindparam(f"m_{k}", v, type_=Mutation.__table__.c[k].type) for k, v in base.items()]  # type: ignore[attr-defined]
    per_line = [lines.c.participation_id, lines.c.person_id, lines.c.old_values, lines.c.new_values]
    conn.execute(
        insert(Mutation.__table__).from_select(  # type: ignore[attr-defined]
            [*base, "participation_id", "person_id", "old_values", "new_values"],
            select(*constants, *per_line).where(mine).order_by(lines.c.seq),
        )
    )
    progress(count * 3 // 4, count)
    changed = select(lines.c.employment_id).where(mine)
    conn.execute(
        update(Participation)
        .where(col(Participation.employment_id).in_(changed))
        .values(version=Participation.version + 1)
    )
    # a future date: the rows change on that day (marked due); else recomputed now
    mark_employments_due(db, batch.employer_id, changed, count, effective, today)
    conn.execute(delete(lines).where(mine))
    return count


def _apply_with_history(db: Session, batch: Batch, now: datetime) -> None:
    """The staged lines of ``batch`` whose employment has versions after the date (or none on it): each
    slotted by ``slot_change``, later versions re-applied on top (MUT-3)."""
    assert batch.effective_date is not None
    conn = db.connection()
    lines = BatchLine.__table__  # type: ignore[attr-defined]
    query = (
        select(lines.c.employment_id, lines.c.salary, lines.c.parttime_pct)
        .where(lines.c.batch_id == batch.id, lines.c.simple.is_(False))
        .order_by(lines.c.seq)
    )
    rows = conn.execute(query).all()
    if not rows:
        return
    history = live_versions(db, [r[0] for r in rows])
    superseded: list[dict[str, Any]] = []
    inserts: list[dict[str, Any]] = []
    for employment_id, salary, parttime in rows:
        changes: dict[str, Any] = {}
        if salary is not None:
            changes["salary"] = salary
        if parttime is not None:
            changes["parttime_pct"] = parttime
        plan = slot_change(history.get(employment_id, []), batch.effective_date, changes, now)
        superseded += [{"vid": v.ref, "at": now} for v in plan.supersede]
        inserts += [
            {
                "employment_id": employment_id,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "recorded_at": now,
                "superseded_at": None,
                "salary": v.values["salary"],
                "parttime_pct": v.values["parttime_pct"],
            }
            for v in plan.insert
        ]
    table = EmploymentVersion.__table__  # type: ignore[attr-defined]
    if superseded:
        stmt = update(table).where(table.c.id == bindparam("vid")).values(superseded_at=bindparam("at"))
        conn.execute(stmt, superseded)
    bulk_insert(conn, table, inserts)


def _apply_emails(
    db: Session, batch: Batch, lines: list[rules.EmailLine], _state: SchemeState | None, now: datetime, today: date
) -> None:
    """Store the business e-mail addresses (contact data: no effective dating), one mutation per person."""
    conn = db.connection()
    table = Person.__table__  # type: ignore[attr-defined]
    stmt = update(table).where(table.c.id == bindparam("pid")).values(business_email=bindparam("email"))
    conn.execute(stmt, [{"pid": line.person_id, "email": line.email} for line in lines])
    mutations = [
        _mutation_row(
            batch,
            now,
            "business_email",
            person_id=line.person_id,
            participation_id=None,
            effective_date=today,
            old_values=json.dumps({"business_email": line.old_email}),
            new_values=json.dumps({"business_email": line.email}),
        )
        for line in lines
    ]
    bulk_insert(conn, Mutation.__table__, mutations)  # type: ignore[attr-defined]
    for line in lines:
        conn.execute(
            update(Participation)
            .where(col(Participation.person_id) == line.person_id)
            .values(version=Participation.version + 1)
        )
    invitations.invite_persons(db, [line.person_id for line in lines], now)  # mailed after the commit


def _apply_new(
    db: Session, batch: Batch, lines: list[rules.NewLine], _state: SchemeState | None, now: datetime, today: date
) -> None:
    """Register every new participant through the individual rules (same checks, same writes)."""
    from portal.services.mutations.person_drafts import build_new_participant

    scheme = db.get(Scheme, batch.scheme_id)
    assert scheme is not None
    hired: list[int] = []
    for line in lines:
        try:
            draft = build_new_participant(
                db, batch.employer_id, scheme, dict(line.values), today, collective_batch=batch.id
            )
        except RuleError as err:
            issue = rules.Issue(line.row, err.field, err.key, str(line.values["bsn"]), err.params)
            raise RowsFailed([issue], 0) from None
        part = draft.apply(db, now)
        assert part is not None
        db.flush()
        ids = db.exec(select(Participation.id).where(Participation.employment_id == part.employment_id)).all()
        refresh_list_row(db, [i for i in ids if i is not None], today)
        refresh_person(db, part.person_id, today)
        mutation = Mutation(
            **_mutation_row(
                batch,
                now,
                "new_participant",
                participation_id=part.id,
                person_id=part.person_id,
                effective_date=draft.effective,
                old_values="{}",
                new_values=json.dumps(draft.new_values, ensure_ascii=False),
                warnings=json.dumps([{"key": w.key, "params": w.params} for w in draft.warnings]),
            )
        )
        db.add(mutation)
        db.flush()
        tasks.on_mutation(db, mutation, today)  # incomplete data, advice warnings (INT-3, INT-6)
        hired.append(part.person_id)
    db.flush()
    invitations.invite_persons(db, hired, now)  # those with a business e-mail; mailed after the commit


APPLY = {
    "business_email": _apply_emails,
    "new_participants": _apply_new,
}


def apply_job(run: background.Run) -> str:
    """The ``apply_batch`` job run: apply batch ``run.args["batch_id"]`` (once: see ``run_apply``)."""
    return run_apply(int(run.args["batch_id"]), progress=run.report_volatile)


def run_apply(batch_id: int, today: date | None = None, progress: Progress = _quiet) -> str:
    """Apply a queued batch once, all or nothing. Returns the final status ('' when there was nothing to
    do: the batch was already finished, or another worker holds it). ``progress(done, total)`` is told how
    far the apply is."""
    day = today or clock.today()
    with session_scope() as db:  # step 1: visible as "processing" while the work runs
        started = db.exec(  # type: ignore[call-overload]
            update(Batch)
            .where(col(Batch.id) == batch_id, col(Batch.status).in_(("queued", "processing")))
            .values(status="processing", started_at=clock.now(), attempts=Batch.attempts + 1)
        )
        if started.rowcount != 1:
            return ""
    claimed = False
    try:
        with gc_paused(), session_scope() as db:  # step 2: claim and apply in one transaction
            claim = db.exec(  # type: ignore[call-overload]
                update(Batch)
                .where(col(Batch.id) == batch_id, col(Batch.status) == "processing")
                .values(status="processed", finished_at=clock.now())
            )
            if claim.rowcount != 1:
                return ""
            claimed = True
            batch = db.get(Batch, batch_id)
            assert batch is not None
            now = clock.now()
            if _unchanged_since_check(db, batch):  # validated lines still hold: apply them as staged
                changes = _apply_staged(db, batch, now, day, progress)
            else:  # check every row again against the data now
                checked, state = _check(db, batch, _file(batch), day)
                if checked.issues:
                    raise RowsFailed(checked.issues, checked.rows)
                if batch.kind in ("salary_parttime", "integral_raise"):
                    assert state is not None
                    _stage(db, batch, checked.lines, state)
                    changes = _apply_staged(db, batch, now, day, progress)
                else:
                    APPLY[batch.kind](db, batch, checked.lines, state, now, day)
                    changes = len(checked.lines)
                batch.rows_total = checked.rows or batch.rows_total
                _bump(db, batch.employer_id)
            couplings.record_batch(db, batch_id, batch.scheme_id)  # one outbox message per change (INT-5)
            batch.rows_changed = changes
            batch.rows_failed = 0
            db.add(batch)
            _release(db, batch)
            audit.record(
                db,
                "batch.applied",
                actor_user_id=batch.uploaded_by,
                object_type="batch",
                object_id=batch_id,
                employer_id=batch.employer_id,
                on_behalf_of=Acting.recorded(batch.on_behalf_of, batch.employer_id).for_employer,
                kind=batch.kind,
                changes=changes,
            )
        return "processed"
    except (RowsFailed, FileProblem, OSError) as err:
        if isinstance(err, RowsFailed):
            issues, rows = err.issues, err.rows
        elif isinstance(err, FileProblem):
            issues, rows = [rules.Issue(0, "", err.key, params=err.params)], 0
        else:
            issues, rows = [rules.Issue(0, "", "file_missing")], 0
        _fail(batch_id, issues, rows)
        return "failed"
    except Exception:
        if claimed:  # our transaction rolled back: nothing was applied; tell the user and free the scheme
            log.exception("batch %s could not be applied", batch_id)
            _fail(batch_id, [rules.Issue(0, "", "apply_error")], 0)
            return "failed"
        raise  # not claimed (e.g. the database was busy): huey retries


def _fail(batch_id: int, issues: list[rules.Issue], rows: int) -> None:
    with session_scope() as db:
        batch = db.get(Batch, batch_id)
        if batch is None or batch.status != "processing":
            return
        batch.status = "failed"
        batch.finished_at = clock.now()
        batch.report = _report(issues)
        batch.rows_failed = _failing_rows(issues)
        batch.message = issues[0].key if issues and issues[0].row == 0 else "rows_failed"
        if rows:
            batch.rows_total = rows
        db.add(batch)
        lines = BatchLine.__table__  # type: ignore[attr-defined]
        db.connection().execute(delete(lines).where(lines.c.batch_id == batch_id))
        _release(db, batch)
        _bump(db, batch.employer_id)
        audit.record(
            db,
            "batch.failed",
            actor_user_id=batch.uploaded_by,
            object_type="batch",
            object_id=batch_id,
            employer_id=batch.employer_id,
            failed=batch.rows_failed,
            message=batch.message,
        )
        tasks.on_batch_failed(db, batch)  # a task to sort it out (INT-3)
