"""Reconciliation as background work (INT-7): the request only checks and queues; a ``reconcile`` job reads the
insurer's list (the uploaded file, or the insurer's records fetched through its adapter), compares and keeps the
report; the page follows the job's progress and then shows the report, or the job's reason at its field.

Queueing checks the adviser's portfolio, the date and the tolerances at once (FieldError, nothing stored), and for
a file its size and type; the file is kept under ``uploads/`` until the job has read it. The job's run
(``JobRun``, kind ``reconcile``, subject ``reconciliation:<scheme>``) carries the office and the adviser; the job
checks again that the employer is still in that office's portfolio. What it found is its checkpoint's
``outcome``, written in the transaction of the report (``{"report": id}``) or, when the list could not be read
or fetched, on its own with nothing else stored (``{"field", "key", "params"}``); a failed fetch is audited.
Reading a run back (``job``, ``running_job``) is for an adviser of its office while the employer is in the
portfolio; any other id (untrusted) raises ``NoAccess``.
"""

from __future__ import annotations

import http.client
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from portal.core.db import session_scope
from portal.domain import reconciliation as rules
from portal.i18n import normalise_language
from portal.models import Employer, Insurer, JobRun, Scheme
from portal.services import audit, background, files
from portal.services.background import Run
from portal.services.couplings.settings import coupled_insurer
from portal.services.delivery.adapters import NoAddress, adapter_for
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, id_of
from portal.services.reconciliation.reports import (
    _scheme,
    checked,
    compare_and_keep,
    fetchable_insurer,
    file_kind,
    read_upload,
)
from portal.services.tasks import access

JOB_KIND = "reconcile"
FILE, INSURER = "file", "insurer"
STEPS = 4  # 1 the list read (or fetched), 2 the portal's side read, 3 compared, 4 kept
UNFINISHED = ("queued", "running", "interrupted")
REASON_CHARS = 300


@dataclass(frozen=True)
class JobView:
    """A reconciliation run as the page follows it. ``status``: queued, running, interrupted, done, failed;
    once done: ``report_id``, or the reason it found nothing to keep (``at`` a field, ``key``, ``params``)."""

    id: int
    employer_id: int
    scheme_id: int
    source: str
    status: str
    percent: int
    report_id: int | None = None
    at: str = ""  # the field the reason belongs to
    key: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def running(self) -> bool:
        return self.status in UNFINISHED


def subject(scheme_id: int) -> str:
    return f"reconciliation:{scheme_id}"


def _queue(
    db: Session, p: Principal, scheme: Scheme, day: date, tolerance: rules.Tolerance, lang: str, **source: Any
) -> int:
    job = background.queue(
        db, JOB_KIND, subject=subject(scheme.id or 0), employer_id=scheme.employer_id, started_by=p.user_id,
        total=STEPS, office_id=p.office_id, scheme_id=scheme.id, as_of=day.isoformat(), money=str(tolerance.money),
        parttime=str(tolerance.parttime), language=lang, **source,
    )  # fmt: skip
    return job.id or 0


def queue_file(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    as_of: object,
    file_name: str,
    data: bytes,
    money_tolerance: object = None,
    parttime_tolerance: object = None,
    language: object = "nl",
) -> int:
    """Accept an uploaded insurer list (xlsx or csv) for a reconciliation job; returns the job run's id.
    NoAccess outside the portfolio (before the file is looked at); FieldError for the date, a tolerance, or a
    file that is empty, too large or neither xlsx nor csv (nothing stored). The rest of the file (formulas,
    columns, cells) is read by the job."""
    p, scheme, day, tolerance = checked(db, principal, employer_id, scheme_id, as_of, money_tolerance,
                                        parttime_tolerance)  # fmt: skip
    kind = file_kind(file_name, data)
    stored = files.new_stored_name(kind)
    (files.folder("uploads") / stored).write_bytes(bytes(data))
    name = "".join(ch for ch in (file_name or "") if ch.isprintable())[:255]
    return _queue(
        db, p, scheme, day, tolerance, normalise_language(language), source=FILE, stored_name=stored, file_name=name
    )


def queue_fetch(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    as_of: object,
    money_tolerance: object = None,
    parttime_tolerance: object = None,
    language: object = "nl",
) -> int:
    """Reconcile against the records the coupled insurer gives through its adapter (``fetch_records``), in a
    job; returns the job run's id. NoAccess outside the portfolio; FieldError at ``fetch`` when the scheme has
    no coupled insurer with an adapter address, at the date or a tolerance when those are wrong."""
    p, scheme, day, tolerance = checked(db, principal, employer_id, scheme_id, as_of, money_tolerance,
                                        parttime_tolerance)  # fmt: skip
    insurer = fetchable_insurer(db, scheme.id)
    if insurer is None:
        raise FieldError("fetch", "reconciliation_no_adapter")
    lang = normalise_language(language)
    return _queue(db, p, scheme, day, tolerance, lang, source=INSURER, insurer_id=insurer.id, file_name=insurer.name)


# ------------------------------------------------------------------------------------------------ the job
def _fetch(db: Session, scheme: Scheme, insurer_id: int) -> tuple[list[dict[str, str]], Insurer]:
    """The insurer's records of the scheme through its adapter; FieldError at ``fetch`` when it cannot be
    reached, answers with an error or with something that is not a list of records, or lists nobody."""
    insurer = db.get(Insurer, insurer_id)
    if insurer is None or coupled_insurer(db, scheme.id) != insurer.id:
        raise FieldError("fetch", "reconciliation_no_adapter")
    try:
        adapter = adapter_for(insurer.code, pool=1)
    except NoAddress:
        raise FieldError("fetch", "reconciliation_no_adapter") from None
    try:
        rows = adapter.fetch_records(str(scheme.id))
    except (OSError, http.client.HTTPException, ValueError, TypeError, AttributeError) as err:
        reason = (str(err) or type(err).__name__)[:REASON_CHARS]
        raise FieldError("fetch", "reconciliation_fetch_failed", {"insurer": insurer.name, "reason": reason}) from None
    finally:
        adapter.close()
    if not rows:
        raise FieldError("fetch", "reconciliation_fetch_empty", {"insurer": insurer.name})
    return rows, insurer


def _in_office(db: Session, args: dict[str, Any]) -> Scheme:
    """The run's scheme, its employer still in the portfolio of the office that queued it (NoAccess if not)."""
    scheme = db.get(Scheme, int(args["scheme_id"]))
    employer = db.get(Employer, scheme.employer_id) if scheme is not None else None
    if scheme is None or employer is None or employer.office_id != args.get("office_id"):
        raise NoAccess(access.OUT_OF_SCOPE)
    return scheme


def reconcile_job(run: Run) -> dict[str, Any]:
    """The ``reconcile`` job run: read the list, compare, keep the report (once: a run whose outcome was
    written returns it). Returns the outcome."""
    if "outcome" in run.checkpoint:
        return dict(run.checkpoint["outcome"])
    args = run.args
    source = args.get("source")
    stored = str(args.get("stored_name") or "")
    try:
        run.report_volatile(0, STEPS)
        with session_scope() as db:
            scheme = _in_office(db, args)
            if source == INSURER:
                rows, _insurer = _fetch(db, scheme, int(args["insurer_id"]))
            else:
                rows = read_upload(str(args.get("file_name") or ""), files.stored_path("uploads", stored).read_bytes())
            run.report_volatile(1, STEPS)
            report_id = compare_and_keep(
                db, int(args["office_id"]), int(run.started_by or 0), scheme, date.fromisoformat(args["as_of"]),
                rules.Tolerance(Decimal(args["money"]), Decimal(args["parttime"])), rows,
                str(args.get("file_name") or "")[:255], args.get("language"),
                step=lambda n: run.report_volatile(n, STEPS),
            )  # fmt: skip
            outcome: dict[str, Any] = {"report": report_id}
            run.save(db, done=STEPS, total=STEPS, outcome=outcome)
    except (FieldError, NoAccess, OSError) as err:
        outcome = _refused(run, err)
    if stored:  # read, and the outcome recorded: the upload is not kept (another attempt would need it)
        files.stored_path("uploads", stored).unlink(missing_ok=True)
    return outcome


def _refused(run: Run, err: Exception) -> dict[str, Any]:
    """Record why nothing was kept (the report's transaction rolled back): the run's outcome, and for a fetch
    or a run out of scope an audit event."""
    args = run.args
    if isinstance(err, FieldError):
        where = "fetch" if args.get("source") == INSURER else err.field
        outcome = {"field": where, "key": err.key, "params": {k: str(v) for k, v in err.params.items()}}
    elif isinstance(err, NoAccess):
        outcome = {"field": "file", "key": "reconciliation_out_of_scope", "params": {}}
    else:  # the stored file is gone
        outcome = {"field": "file", "key": "file_missing", "params": {}}
    with session_scope() as db:
        if args.get("source") == INSURER or isinstance(err, NoAccess):
            audit.record(
                db, "reconciliation.refused", actor_user_id=run.started_by, object_type="job_run", object_id=run.id,
                employer_id=run.employer_id, scheme_id=args.get("scheme_id"), source=args.get("source"),
                reason=outcome["key"], params=json.dumps(outcome["params"], ensure_ascii=False)[:500],
            )  # fmt: skip
        run.save(db, done=STEPS, total=STEPS, outcome=outcome)
    return outcome


# ------------------------------------------------------------------------------------------- reading back
def _view(job: JobRun) -> JobView:
    progress = background.view(job)
    args = json.loads(job.args or "{}")
    try:
        outcome = json.loads(job.checkpoint or "{}").get("outcome") or {}
    except ValueError:
        outcome = {}
    report = outcome.get("report")
    return JobView(
        id=job.id or 0,
        employer_id=job.employer_id or 0,
        scheme_id=int(args.get("scheme_id") or 0),
        source=str(args.get("source") or ""),
        status=progress.status,
        percent=progress.percent,
        report_id=report if isinstance(report, int) else None,
        at=str(outcome.get("field") or ""),
        key=str(outcome.get("key") or ""),
        params=dict(outcome.get("params") or {}),
    )


def job(db: Session, principal: Principal | None, job_id: object) -> JobView:
    """Reconciliation run ``job_id`` (untrusted) of the adviser's office, its employer in the portfolio."""
    p = access.adviser(principal)
    found = db.get(JobRun, id_of(job_id))
    if found is None or found.kind != JOB_KIND:
        raise NoAccess("not_found")
    if json.loads(found.args or "{}").get("office_id") != p.office_id:
        raise NoAccess(access.OTHER_OFFICE)
    access.office_employer(db, p, found.employer_id)
    return _view(found)


def running_job(db: Session, principal: Principal | None, employer_id: object, scheme_id: object) -> JobView | None:
    """The office's newest reconciliation run of the scheme while it is unfinished (the page follows it again
    after a reload), else None."""
    p, scheme = _scheme(db, principal, employer_id, scheme_id)
    query = (
        select(JobRun)
        .where(
            col(JobRun.kind) == JOB_KIND,
            col(JobRun.subject) == subject(scheme.id or 0),
            col(JobRun.status).in_(("queued", "running")),
        )
        .order_by(col(JobRun.id).desc())
        .limit(20)
    )
    for found in db.exec(query).all():
        if json.loads(found.args or "{}").get("office_id") == p.office_id:
            return _view(found)
    return None
