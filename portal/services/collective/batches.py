"""Collective changes (BULK-1..5, EMP-6 collective): templates, uploads, confirmation, the integral raise,
and the list of submitted batches. The work itself runs as jobs (``portal.services.collective.jobs``).

Flow: download a file (its rows are personal data: audited) → upload it: the file is refused at once when
it is too large or was uploaded before (BULK-5), else stored privately as a batch ``validating`` and checked
by a job → ``rejected`` with a report of every failing row, or ``ready`` → the user applies it: ``queued``
with the scheme's collective lock set (MUT-2) → a job applies all rows in one transaction →
``processed`` (lock released) or ``failed`` (nothing applied, lock released). A checked batch that the user
does not want applied (``ready``, or ``rejected``/``failed``) can be ``discarded``: its staged lines go, and
the same file may be uploaded again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import bulk as rules
from portal.domain.dates import add_months, check_future_window
from portal.domain.errors import RuleError
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import (
    Batch,
    BatchLine,
    Scheme,
)
from portal.services import audit, background, files
from portal.services.errors import FieldError
from portal.services.organisation.scheme_access import require_scheme
from portal.services.principal import NoAccess, Principal, acting, id_of, require, require_employer

FILE_KINDS = ("salary_parttime", "new_participants", "business_email")
KINDS = (*FILE_KINDS, "integral_raise")
STATUSES = ("validating", "rejected", "ready", "queued", "processing", "processed", "failed", "discarded")
# A batch of which nothing was applied and that no job is working on can be discarded by the user.
DISCARDABLE = ("ready", "rejected", "failed")
REPORT_LIMIT = 5_000  # issues kept per batch (a report names every failing row up to this many)


# ------------------------------------------------------------------------------------------- helpers
def _scheme(db: Session, principal: Principal | None, scheme_id: object) -> Scheme:
    return require_scheme(db, principal, scheme_id, Perm.MUTATIONS_SUBMIT)


def check_effective(scheme: Scheme, effective: object, today: date) -> date:
    """The effective date of a collective salary change or raise: at most three months ahead (MUT-1) and
    not further back than the scheme accepts without review (MUT-6); FieldError at ``effective``."""
    try:
        day = rules.validation.require_date(effective, "effective")
    except RuleError as err:
        raise FieldError("effective", err.key, err.params) from None
    if key := check_future_window(day, today):
        raise FieldError("effective", key, {"months": 3})
    back = add_months(today, -max(scheme.retro_review_months, 0))
    if day < back:
        raise FieldError("effective", "collective_too_far_back", {"date": back.isoformat()})
    return day


def _today(today: date | None) -> date:
    return today if isinstance(today, date) else clock.today()


def _batch(db: Session, principal: Principal | None, batch_id: object, perm: Perm = Perm.PARTICIPANTS_VIEW) -> Batch:
    p = require(principal, perm)
    batch = db.get(Batch, id_of(batch_id))
    if batch is None:
        raise NoAccess("not_found")
    require_employer(p, batch.employer_id, perm)
    return batch


# ------------------------------------------------------------------------------------------- uploads
def upload(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    kind: object,
    file_name: object,
    data: object,
    effective: object = None,
    language: object = "nl",
    today: date | None = None,
) -> Batch:
    """Accept an uploaded file for checking (a job validates it; nothing is applied). Refused at once,
    with nothing stored: a missing or too large file, a bad effective date, or a file already uploaded
    for this employer that was not rejected, failed or discarded (BULK-5)."""
    scheme = _scheme(db, principal, scheme_id)
    assert principal is not None
    if kind not in FILE_KINDS:
        raise FieldError("kind", "kind_invalid")
    effective_day = check_effective(scheme, effective, _today(today)) if kind == "salary_parttime" else None
    if not isinstance(data, bytes | bytearray) or not data:
        raise FieldError("file", "file_required")
    if len(data) > rules.MAX_FILE_BYTES:
        raise FieldError("file", "file_too_large", {"limit_mb": rules.MAX_FILE_BYTES // (1024 * 1024)})
    digest = hashlib.sha256(bytes(data)).hexdigest()
    earlier = db.exec(
        select(Batch)
        .where(
            Batch.employer_id == scheme.employer_id,
            Batch.file_sha256 == digest,
            col(Batch.status).not_in(("rejected", "failed", "discarded")),
        )
        .order_by(col(Batch.id))
    ).first()
    if earlier is not None:
        audit.record(
            db,
            "batch.refused",
            actor=principal,
            object_type="batch",
            object_id=earlier.id,
            employer_id=scheme.employer_id,
            reason="file_duplicate",
        )
        raise FieldError(
            "file",
            "file_duplicate",
            {"uploaded_at": earlier.created_at.isoformat(), "by": earlier.uploaded_by_name, "batch": earlier.id},
        )
    stored = files.new_stored_name("xlsx")
    (files.folder("uploads") / stored).write_bytes(bytes(data))
    name = file_name if isinstance(file_name, str) else ""
    name = "".join(ch for ch in name if ch.isprintable())[:200] or "upload.xlsx"
    batch = Batch(
        employer_id=scheme.employer_id,
        scheme_id=scheme.id or 0,
        kind=str(kind),
        status="validating",
        file_name=name,
        stored_name=stored,
        file_sha256=digest,
        file_size=len(data),
        effective_date=effective_day,
        uploaded_by=principal.user_id,
        uploaded_by_name=principal.display_name or principal.username,
        on_behalf_of=acting(principal, scheme.employer_id).by,
        language=normalise_language(language),
    )
    db.add(batch)
    db.flush()
    audit.record(
        db,
        "batch.uploaded",
        actor=principal,
        object_type="batch",
        object_id=batch.id,
        employer_id=scheme.employer_id,
        kind=batch.kind,
        file_name=name,
        size=len(data),
        sha256=digest,
    )
    background.queue(db, "validate_batch", **_job(batch, principal))
    return batch


def _lock_scheme(db: Session, batch: Batch) -> None:
    """Set the scheme's collective lock for ``batch`` (MUT-2); refused while another batch holds it."""
    claimed = db.exec(  # type: ignore[call-overload]
        update(Scheme)
        .where(col(Scheme.id) == batch.scheme_id, col(Scheme.collective_lock_batch).is_(None))
        .values(collective_lock_batch=batch.id, collective_locked_at=clock.now())
    )
    if claimed.rowcount != 1:
        raise FieldError("form", "scheme_collective_lock")


def confirm(db: Session, principal: Principal | None, batch_id: object) -> Batch:
    """Apply a validated batch: it is queued and the scheme is locked for individual changes until done."""
    batch = _batch(db, principal, batch_id, Perm.MUTATIONS_SUBMIT)
    if batch.status != "ready":
        raise FieldError("form", "batch_not_ready")
    _lock_scheme(db, batch)
    done = db.exec(  # type: ignore[call-overload]
        update(Batch)
        .where(col(Batch.id) == batch.id, col(Batch.status) == "ready")
        .values(status="queued", queued_at=clock.now())
    )
    if done.rowcount != 1:  # pragma: no cover - another session confirmed it a moment earlier
        raise FieldError("form", "batch_not_ready")
    db.refresh(batch)
    audit.record(
        db, "batch.confirmed", actor=principal, object_type="batch", object_id=batch.id, employer_id=batch.employer_id
    )
    background.queue(db, "apply_batch", **_job(batch, principal))
    return batch


def _job(batch: Batch, principal: Principal) -> dict[str, Any]:
    """The job-run fields of a job on ``batch`` started by ``principal``."""
    return {
        "subject": f"batch:{batch.id}",
        "employer_id": batch.employer_id,
        "started_by": principal.user_id,
        "batch_id": batch.id,
    }


def discard(db: Session, principal: Principal | None, batch_id: object) -> Batch:
    """Discard a checked batch that is not applied (``ready``, ``rejected`` or ``failed``): it becomes
    ``discarded``, its staged lines are deleted, and its file may be uploaded again. A batch being checked,
    queued, applied or applied already is refused with a FieldError at ``form``; nothing changes then."""
    batch = _batch(db, principal, batch_id, Perm.MUTATIONS_SUBMIT)
    assert principal is not None
    if batch.status not in DISCARDABLE:
        raise FieldError("form", _NOT_DISCARDABLE.get(batch.status, "batch_not_discardable"))
    was = batch.status
    done = db.exec(  # type: ignore[call-overload]
        update(Batch)
        .where(col(Batch.id) == batch.id, col(Batch.status) == was)
        .values(status="discarded", finished_at=clock.now())
    )
    if done.rowcount != 1:  # another session confirmed or discarded it a moment earlier
        raise FieldError("form", "batch_not_discardable")
    lines = BatchLine.__table__  # type: ignore[attr-defined]
    staged = db.connection().execute(delete(lines).where(lines.c.batch_id == batch.id))
    db.refresh(batch)
    audit.record(
        db,
        "batch.discarded",
        actor=principal,
        object_type="batch",
        object_id=batch.id,
        employer_id=batch.employer_id,
        on_behalf_of=acting(principal, batch.employer_id).by,
        status_before=was,
        kind=batch.kind,
        file_name=batch.file_name,
        staged_lines=staged.rowcount,
    )
    return batch


_NOT_DISCARDABLE = {
    "validating": "batch_discard_checking",
    "queued": "batch_discard_applying",
    "processing": "batch_discard_applying",
    "processed": "batch_discard_applied",
    "discarded": "batch_discard_done",
}


# ---------------------------------------------------------------------------------------- read side
@dataclass(frozen=True)
class BatchRow:
    """A batch as listed in "submitted changes collective" (EMP-6)."""

    id: int
    scheme_id: int
    kind: str
    status: str
    file_name: str
    uploaded_by: str
    created_at: datetime
    effective_date: date | None
    raise_pct: Decimal | None
    rows_total: int
    rows_changed: int
    rows_failed: int
    message: str
    finished_at: datetime | None

    @property
    def has_report(self) -> bool:
        """A report of failing rows can be downloaded (a file was uploaded and something failed)."""
        return bool(self.file_name) and self.status in ("rejected", "failed") and self.rows_failed > 0


def _row(b: Batch) -> BatchRow:
    return BatchRow(
        b.id or 0,
        b.scheme_id,
        b.kind,
        b.status,
        b.file_name,
        b.uploaded_by_name,
        b.created_at,
        b.effective_date,
        b.raise_pct,
        b.rows_total,
        b.rows_changed,
        b.rows_failed,
        b.message,
        b.finished_at,
    )


def batches(db: Session, principal: Principal | None, employer_id: object, limit: int = 50) -> list[BatchRow]:
    """The employer's collective changes, newest first."""
    eid = require_employer(principal, employer_id, Perm.PARTICIPANTS_VIEW)
    rows = db.exec(
        select(Batch).where(Batch.employer_id == eid).order_by(col(Batch.id).desc()).limit(max(1, min(limit, 200)))
    ).all()
    return [_row(b) for b in rows]


def batch(db: Session, principal: Principal | None, batch_id: object) -> tuple[BatchRow, list[dict[str, Any]]]:
    """One batch and its report (issues as stored: row, column, key, ref, params)."""
    b = _batch(db, principal, batch_id)
    return _row(b), json.loads(b.report or "[]")


def issue_text(issue: dict[str, Any], lang: str) -> str:
    """One report line in words: "Rij 7, kolom F (100123): …"."""
    params = {k: _shown(v, lang) for k, v in (issue.get("params") or {}).items()}
    message = t(str(issue.get("key", "")), lang, **params)
    where = []
    if issue.get("row"):
        where.append(t("bulk.row", lang, row=issue["row"]))
    if issue.get("column"):
        where.append(t("bulk.column", lang, column=issue["column"]))
    head = ", ".join(where)
    ref = f" ({issue['ref']})" if issue.get("ref") else ""
    return f"{head}{ref}: {message}" if head else message


def _shown(value: object, lang: str) -> object:
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return fmt.day(date.fromisoformat(value), lang)
        except ValueError:
            return value
    return value


def count_open(db: Session, employer_id: int) -> int:
    """Batches of the employer that still run (validating, queued or processing)."""
    return int(
        db.exec(
            select(func.count()).where(
                Batch.employer_id == employer_id, col(Batch.status).in_(("validating", "queued", "processing"))
            )
        ).one()
    )
