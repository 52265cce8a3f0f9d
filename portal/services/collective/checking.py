"""Checking an uploaded collective file (BULK-2): every row against the rules and the scheme's data of the day,
in a job; the lines of a salary file are staged for the apply."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.db import session_scope
from portal.core.gc_pause import gc_paused
from portal.core.sql import bulk_insert
from portal.core.xlsx import FileProblem, read_rows
from portal.domain import bulk as rules
from portal.models import (
    Batch,
    BatchLine,
    Employer,
    Scheme,
)
from portal.services import audit, files
from portal.services.background import Run
from portal.services.collective.batches import REPORT_LIMIT
from portal.services.collective.scheme_state import SchemeState, load_scheme


class RowsFailed(Exception):
    """Rows that fail when the batch is applied (the data changed since it was validated)."""

    def __init__(self, issues: list[rules.Issue], rows: int) -> None:
        super().__init__(f"{len(issues)} row(s) failed")
        self.issues = issues
        self.rows = rows


# ------------------------------------------------------------------------------------------ checking
def _check(db: Session, batch: Batch, data: bytes, today: date) -> tuple[rules.Checked, SchemeState | None]:
    """Read and check a batch's file against the data now; raises FileProblem for a file-level problem."""
    if batch.kind == "integral_raise":
        assert batch.effective_date is not None and batch.raise_pct is not None
        state = load_scheme(db, batch.scheme_id, batch.effective_date, people=False)
        lines = rules.raise_lines(state.current, batch.raise_pct, batch.effective_date)
        return rules.Checked(lines, [], len(lines)), state
    rows = read_rows(data)
    columns = rules.LAYOUTS[batch.kind]
    if issue := rules.check_header(rows[0], columns):
        raise FileProblem(issue.key, dict(issue.params))
    body = rows[1:]
    if batch.kind == "salary_parttime":
        assert batch.effective_date is not None
        state = load_scheme(db, batch.scheme_id, batch.effective_date, people=False)
        return rules.check_salary_rows(body, state.current, batch.effective_date), state
    if batch.kind == "business_email":
        state = load_scheme(db, batch.scheme_id, today)
        known = {n: state.emails[n] for n, c in state.current.items()}
        return rules.check_email_rows(body, known), state
    return rules.new_participant_rows(body, _new_participant_check(db, batch, today)), None


def _new_participant_check(db: Session, batch: Batch, today: date) -> Callable[[int, dict[str, object]], None]:
    """The individual new-participant rules for one row of a collective file (nothing is written)."""
    from portal.services.mutations.person_drafts import build_new_participant

    scheme = db.get(Scheme, batch.scheme_id)
    assert scheme is not None

    def check(_row: int, values: dict[str, object]) -> None:
        build_new_participant(db, batch.employer_id, scheme, dict(values), today, collective_batch=batch.id)

    return check


def _file(batch: Batch) -> bytes:
    if batch.kind == "integral_raise":
        return b""
    return files.stored_path("uploads", batch.stored_name).read_bytes()


def _report(issues: list[rules.Issue]) -> str:
    return json.dumps([i.as_dict() for i in issues[:REPORT_LIMIT]], ensure_ascii=False, default=str)


def _failing_rows(issues: list[rules.Issue]) -> int:
    return len({i.row for i in issues if i.row > 1})


def validation_job(run: Run) -> str:
    """The ``validate_batch`` job run: check batch ``run.args["batch_id"]`` (once: see ``run_validation``)."""
    return run_validation(int(run.args["batch_id"]))


def run_validation(batch_id: int, today: date | None = None) -> str:
    """Check an uploaded batch; ``ready`` when every row is fine and something changes, else ``rejected``
    with the report. Returns the new status ('' when the batch was not waiting for validation)."""
    day = today or clock.today()
    with gc_paused(), session_scope() as db:
        batch = db.get(Batch, batch_id)
        if batch is None or batch.status != "validating":
            return ""
        checked: rules.Checked | None = None
        state: SchemeState | None = None
        message = ""
        try:
            checked, state = _check(db, batch, _file(batch), day)
        except FileProblem as problem:
            message = problem.key
            issues = [rules.Issue(0, problem.params.get("column", ""), problem.key, params=problem.params)]
        except OSError:
            message = "file_missing"
            issues = [rules.Issue(0, "", message)]
        else:
            issues = checked.issues
            if not issues and not checked.lines:
                message = "file_no_changes"
                issues = [rules.Issue(0, "", message)]
        status = "rejected" if issues else "ready"
        values = {
            "status": status,
            "message": message,
            "report": _report(issues),
            "rows_total": checked.rows if checked else 0,
            "rows_changed": len(checked.lines) if checked else 0,
            "rows_failed": _failing_rows(issues),
        }
        if status == "rejected":
            values["finished_at"] = clock.now()
        done = db.exec(  # type: ignore[call-overload]
            update(Batch).where(col(Batch.id) == batch_id, col(Batch.status) == "validating").values(**values)
        )
        if done.rowcount != 1:  # pragma: no cover - validated by another worker meanwhile
            return ""
        _bump(db, batch.employer_id)
        if status == "ready" and checked is not None and state is not None and batch.kind == "salary_parttime":
            _stage(db, batch, checked.lines, state)  # the apply uses these lines while nothing changes
            stamp = update(Batch).where(col(Batch.id) == batch_id)
            db.exec(stamp.values(checked_version=_data_version(db, batch.employer_id)))  # type: ignore[call-overload]
        audit.record(
            db,
            "batch.validated",
            actor_user_id=batch.uploaded_by,
            object_type="batch",
            object_id=batch_id,
            employer_id=batch.employer_id,
            status=status,
            rows=values["rows_total"],
            changes=values["rows_changed"],
            failed=values["rows_failed"],
            message=message,
        )
        return status


def _bump(db: Session, employer_id: int) -> None:
    db.exec(  # type: ignore[call-overload]
        update(Employer).where(col(Employer.id) == employer_id).values(data_version=Employer.data_version + 1)
    )


def _data_version(db: Session, employer_id: int) -> int:
    return int(db.exec(select(Employer.data_version).where(Employer.id == employer_id)).one())


def _changes_json(line: rules.SalaryLine) -> tuple[str, str]:
    """The mutation's old and new values as JSON text, as ``json.dumps`` writes them (the values are
    Decimals as text: digits, sign and point only, nothing to escape)."""
    old: list[str] = []
    new: list[str] = []
    if line.salary is not None:
        old.append(f'"salary": "{line.old_salary}"')
        new.append(f'"salary": "{line.salary}"')
    if line.parttime is not None:
        old.append(f'"parttime": "{line.old_parttime}"')
        new.append(f'"parttime": "{line.parttime}"')
    return "{" + ", ".join(old) + "}", "{" + ", ".join(new) + "}"


_STAGED = (
    "batch_id",
    "seq",
    "participation_id",
    "employment_id",
    "person_id",
    "cover_id",
    "simple",
    "salary",
    "parttime_pct",
    "old_values",
    "new_values",
)


def _stage(db: Session, batch: Batch, lines: list[rules.SalaryLine], state: SchemeState) -> None:
    """Store the checked salary/part-time lines of ``batch`` (replacing earlier ones) for the apply."""
    conn = db.connection()
    table = BatchLine.__table__  # type: ignore[attr-defined]
    batch_id = batch.id
    conn.execute(delete(table).where(table.c.batch_id == batch_id))
    covers, person_of = state.covers, state.person_of
    rows = []
    for seq, line in enumerate(lines):
        cover_id, open_ended = covers.get(line.employment_id, (None, False))
        old, new = _changes_json(line)
        pid, eid = line.participation_id, line.employment_id
        rows.append(
            (batch_id, seq, pid, eid, person_of[pid], cover_id, open_ended, line.salary, line.parttime, old, new)
        )
    bulk_insert(conn, table, rows, _STAGED)
