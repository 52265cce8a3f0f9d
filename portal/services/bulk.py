"""Collective changes (BULK-1..5, EMP-6 collective): templates, uploads, confirmation, the integral raise,
and the list of submitted batches. The work itself runs as jobs (``portal.services.bulk_jobs``).

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
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, null, update
from sqlmodel import Session, col, select

from portal.domain import bulk as rules
from portal.domain.dates import add_months, check_future_window
from portal.domain.effective import Version
from portal.domain.errors import RuleError
from portal.domain.locks import status_on
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import Batch, BatchLine, Employment, EmploymentVersion, Participation, Person, Scheme
from portal.models.base import utcnow
from portal.services import audit, files
from portal.services.errors import FieldError
from portal.services.participant_list import current_day
from portal.services.principal import NoAccess, Principal, id_of, require, require_employer
from portal.services.scheme_access import require_scheme
from portal.services.sql_rows import fetch, fetch_columns, in_ids

FILE_KINDS = ("salary_parttime", "new_participants", "business_email")
KINDS = (*FILE_KINDS, "integral_raise")
STATUSES = ("validating", "rejected", "ready", "queued", "processing", "processed", "failed", "discarded")
# A batch of which nothing was applied and that no job is working on can be discarded by the user.
DISCARDABLE = ("ready", "rejected", "failed")
REPORT_LIMIT = 5_000  # issues kept per batch (a report names every failing row up to this many)


# ------------------------------------------------------------------------------------------- loading
@dataclass
class SchemeState:
    """The scheme's participants as the rules need them on one day, plus the versions changes slot into."""

    current: dict[str, rules.Current]
    covers: dict[int, tuple[int, bool]]  # employment id → (live version valid on the day, it is the last one)
    person_of: dict[int, int]  # participation id → person id
    names: dict[str, tuple[str, date]]  # number → (display name, birth date); only with ``people``
    emails: dict[str, tuple[int, str]]  # number → (person id, business e-mail); only with ``people``


def load_scheme(db: Session, scheme_id: int, day: date, people: bool = True) -> SchemeState:
    """Every participation of ``scheme_id`` with its status and terms on ``day``: one query, the terms
    resolved in SQL by the same as-of view as the overview and the export (``participants.as_of_view``),
    with the version that holds them (``covers``: a change slots into it). ``people=False`` leaves out
    names, birth dates and e-mail addresses (the salary check needs none of them). Read at the driver
    level with SQLAlchemy's own conversions (``sql_rows.fetch``)."""
    from portal.models import ParticipantListRow as L
    from portal.services.participants import as_of_view

    view = as_of_view(scheme_id, day, listed=people)
    version = view.salary.table
    columns: list[Any] = [
        Participation.id,
        Participation.participant_number,
        Participation.employment_id,
        Participation.person_id,
        Participation.status,
        Participation.start_date,
        Participation.end_date,
        Employment.start_date,
        Employment.end_date,
        view.salary,
        view.parttime,
        version.c.id,
        version.c.valid_to,
    ]
    source = view.source
    if people:
        columns += [L.name, Person.birth_date, Person.business_email]
        source = source.join(Person, col(Person.id) == Participation.person_id)
    else:
        columns += [null(), null(), null()]
    query = select(*columns).select_from(source).where(Participation.scheme_id == scheme_id)
    columns = fetch_columns(db.connection(), query.order_by(Participation.participant_number))
    state = SchemeState({}, {}, {}, {}, {})
    current, covers, person_of, names, emails = state.current, state.covers, state.person_of, state.names, state.emails
    Current = rules.Current
    for pid, number, eid, person_id, status, p_start, p_end, e_start, e_end, sal, pt, vid, v_to, *more in zip(
        *columns, strict=True
    ):
        if vid is not None:
            covers[eid] = (vid, v_to is None)
        shown = status_on(status, p_end, day) if p_start <= day else "future"
        current[number] = Current(pid, eid, shown, sal, pt, e_start, e_end)
        person_of[pid] = person_id
        if people:
            name, birth, email = more
            names[number] = (name, birth)
            emails[number] = (person_id, email or "")
    return state


def live_versions(db: Session, employment_ids: list[int]) -> dict[int, list[Version]]:
    """The live (not superseded) versions of ``employment_ids``, per employment in date order (``ref`` = id)."""
    versions: dict[int, list[Version]] = defaultdict(list)
    ids = sorted(set(employment_ids))
    for i in range(0, len(ids), 2_000):
        query = (
            select(
                EmploymentVersion.id,
                EmploymentVersion.employment_id,
                EmploymentVersion.valid_from,
                EmploymentVersion.valid_to,
                EmploymentVersion.recorded_at,
                EmploymentVersion.salary,
                EmploymentVersion.parttime_pct,
            )
            .where(in_ids(EmploymentVersion.employment_id, ids[i : i + 2_000]))
            .where(col(EmploymentVersion.superseded_at).is_(None))
            .order_by(EmploymentVersion.employment_id, EmploymentVersion.valid_from)
        )
        for vid, eid, start, end, recorded, salary, pt in fetch(db.connection(), query):
            versions[eid].append(Version(start, end, recorded, {"salary": salary, "parttime_pct": pt}, ref=vid))
    return versions


# ------------------------------------------------------------------------------------------- helpers
def _scheme(db: Session, principal: Principal | None, scheme_id: object) -> Scheme:
    return require_scheme(db, principal, scheme_id, Perm.MUTATIONS_SUBMIT)


def _acting(principal: Principal, employer_id: int) -> str:
    return f"office:{principal.office_id or ''}" if principal.can(Perm.ACT_FOR_EMPLOYER) else ""


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
    return today if isinstance(today, date) else current_day()


def _batch(db: Session, principal: Principal | None, batch_id: object, perm: Perm = Perm.PARTICIPANTS_VIEW) -> Batch:
    p = require(principal, perm)
    batch = db.get(Batch, id_of(batch_id))
    if batch is None:
        raise NoAccess("not_found")
    require_employer(p, batch.employer_id, perm)
    return batch


# ------------------------------------------------------------------------------------------ templates
def template(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    kind: object,
    effective: object = None,
    language: object = "nl",
    today: date | None = None,
) -> tuple[str, bytes]:
    """The file to fill in for ``kind`` (file name, xlsx bytes). Salary: the participants active on the
    effective date with their terms of that day (F and G empty); e-mail: the active participants with
    their current business e-mail; new participants: the headers and the example row 2."""
    scheme = _scheme(db, principal, scheme_id)
    if kind not in FILE_KINDS:
        raise FieldError("kind", "kind_invalid")
    lang = normalise_language(language)
    day = _today(today)
    sheet_name = t("bulk.sheet_name", lang)
    notes_name = t("bulk.notes_name", lang)
    if kind == "salary_parttime":
        effective_day = check_effective(scheme, effective, day)
        state = load_scheme(db, scheme.id or 0, effective_day)
        rows = [
            [n, state.names[n][0], state.names[n][1], c.salary, c.parttime, None, None]
            for n, c in state.current.items()
            if c.status == "active" and c.employment_start <= effective_day
        ]
        sheet = rules_sheet(sheet_name, rules.SALARY_COLUMNS, rows, lang, {"new_salary", "new_parttime"})
        notes = [t("bulk.notes_salary", lang, date=fmt.day(effective_day, lang), scheme=scheme.name)]
        name = f"collectief-salaris-{scheme.number}-{effective_day.isoformat()}.xlsx"
    elif kind == "business_email":
        state = load_scheme(db, scheme.id or 0, day)
        rows = [
            [n, state.names[n][0], state.names[n][1], state.emails[n][1], None]
            for n, c in state.current.items()
            if c.status == "active"
        ]
        sheet = rules_sheet(sheet_name, rules.EMAIL_COLUMNS, rows, lang, {"new_email"})
        notes = [t("bulk.notes_email", lang, scheme=scheme.name)]
        name = f"zakelijke-emailadressen-{scheme.number}.xlsx"
    else:
        rows = [list(rules.NEW_EXAMPLE)]
        sheet = rules_sheet(sheet_name, rules.NEW_COLUMNS, rows, lang, {c.key for c in rules.NEW_COLUMNS})
        notes = [t("bulk.notes_new", lang, scheme=scheme.name)]
        name = f"nieuwe-deelnemers-{scheme.number}.xlsx"
    from portal.services.xlsx_io import write_workbook

    data = write_workbook([sheet], [(notes_name, notes)])
    audit.record(
        db,
        "batch.template_downloaded",
        actor=principal,
        object_type="scheme",
        object_id=scheme.id,
        employer_id=scheme.employer_id,
        kind=kind,
        rows=len(rows),
    )
    return name, data


KINDS_OF_COLUMN = {
    "birth_date": "date",
    "start_date": "date",
    "salary": "money",
    "new_salary": "money",
    "parttime": "pct",
    "new_parttime": "pct",
}


def rules_sheet(name: str, columns: Any, rows: Any, lang: str, editable: set[str], extra: str = "") -> Any:
    """A data sheet of one of the file layouts (typed columns; only ``editable`` columns unlocked)."""
    from portal.services.xlsx_io import Sheet

    return Sheet(name, columns, rows, lang, frozenset(editable), KINDS_OF_COLUMN, extra, {"name": 32})


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
        on_behalf_of=_acting(principal, scheme.employer_id),
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
    from portal.jobs import tasks

    tasks.after_commit(db, tasks.validate_batch, batch.id)
    return batch


def _lock_scheme(db: Session, batch: Batch) -> None:
    """Set the scheme's collective lock for ``batch`` (MUT-2); refused while another batch holds it."""
    claimed = db.exec(  # type: ignore[call-overload]
        update(Scheme)
        .where(col(Scheme.id) == batch.scheme_id, col(Scheme.collective_lock_batch).is_(None))
        .values(collective_lock_batch=batch.id, collective_locked_at=utcnow())
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
        .values(status="queued", queued_at=utcnow())
    )
    if done.rowcount != 1:  # pragma: no cover - another session confirmed it a moment earlier
        raise FieldError("form", "batch_not_ready")
    db.refresh(batch)
    audit.record(
        db, "batch.confirmed", actor=principal, object_type="batch", object_id=batch.id, employer_id=batch.employer_id
    )
    from portal.jobs import tasks

    tasks.after_commit(db, tasks.apply_batch, batch.id)
    return batch


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
        .values(status="discarded", finished_at=utcnow())
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
        on_behalf_of=_acting(principal, batch.employer_id),
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


# ------------------------------------------------------------------------------------- integral raise
@dataclass(frozen=True)
class RaisePreview:
    """What an integral raise would do: how many participants, salary and premium totals before and
    after (Decimal), and the first rows as examples."""

    effective: date
    percentage: Decimal
    participants: int
    salaries_before: Decimal
    salaries_after: Decimal
    premium_before: Decimal
    premium_after: Decimal
    sample: list[dict[str, Any]]


def _raise_input(
    db: Session, principal: Principal | None, scheme_id: object, effective: object, pct: object, today: date | None
) -> tuple[Scheme, date, Decimal]:
    scheme = _scheme(db, principal, scheme_id)
    day = check_effective(scheme, effective, _today(today))
    try:
        percentage = rules.parse_raise(pct)
    except RuleError as err:
        raise FieldError("percentage", err.key, err.params) from None
    return scheme, day, percentage


def preview_raise(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    effective: object,
    percentage: object,
    today: date | None = None,
) -> RaisePreview:
    """BULK-4: the salaries and yearly premiums of the scheme's participants before and after a raise of
    ``percentage`` from ``effective`` (nothing is written)."""
    scheme, day, pct = _raise_input(db, principal, scheme_id, effective, percentage, today)
    state = load_scheme(db, scheme.id or 0, day)
    lines = rules.raise_lines(state.current, pct, day)
    births = {n: state.names[n][1] for n in state.names}
    premium = _premium_calculator(db, scheme, day)
    before = after = prem_before = prem_after = Decimal(0)
    sample = []
    for line in lines:
        assert line.old_salary is not None and line.salary is not None
        pt = line.old_parttime or Decimal(0)
        before += line.old_salary
        after += line.salary
        p_old = premium(line.old_salary, pt, births[line.number], line.participation_id)
        p_new = premium(line.salary, pt, births[line.number], line.participation_id)
        prem_before += p_old
        prem_after += p_new
        if len(sample) < 10:
            sample.append(
                {
                    "number": line.number,
                    "name": state.names[line.number][0],
                    "old": line.old_salary,
                    "new": line.salary,
                    "premium_old": p_old,
                    "premium_new": p_new,
                }
            )
    return RaisePreview(day, pct, len(lines), before, after, prem_before, prem_after, sample)


def _premium_calculator(db: Session, scheme: Scheme, day: date) -> Any:
    """premium(salary, part-time, birth date, participation id) → yearly premium on ``day`` (0 when the scheme
    has no parameters for that year), from the scheme year's parameters (MUT-7)."""
    from portal.domain.premium import PremiumParameterError, age_at, yearly_premium
    from portal.services.participant_detail import scheme_year_params

    params = scheme_year_params(db, scheme.id or 0, day.year)
    modes = dict(
        db.connection()
        .execute(select(Participation.id, Participation.premium_mode).where(Participation.scheme_id == scheme.id))
        .all()
    )

    def premium(salary: Decimal, parttime: Decimal, birth: date, participation_id: int) -> Decimal:
        if params is None:
            return Decimal(0)
        try:
            return yearly_premium(salary, parttime, params, age_at(birth, day), modes.get(participation_id, "staffel"))
        except PremiumParameterError:
            return Decimal(0)

    return premium


def submit_raise(
    db: Session,
    principal: Principal | None,
    scheme_id: object,
    effective: object,
    percentage: object,
    today: date | None = None,
) -> Batch:
    """BULK-4: queue an integral raise as a collective batch (locks the scheme until it is applied)."""
    scheme, day, pct = _raise_input(db, principal, scheme_id, effective, percentage, today)
    assert principal is not None
    batch = Batch(
        employer_id=scheme.employer_id,
        scheme_id=scheme.id or 0,
        kind="integral_raise",
        status="queued",
        file_name="",
        effective_date=day,
        raise_pct=pct,
        uploaded_by=principal.user_id,
        uploaded_by_name=principal.display_name or principal.username,
        on_behalf_of=_acting(principal, scheme.employer_id),
        queued_at=utcnow(),
    )
    db.add(batch)
    db.flush()
    _lock_scheme(db, batch)
    audit.record(
        db,
        "batch.raise_submitted",
        actor=principal,
        object_type="batch",
        object_id=batch.id,
        employer_id=scheme.employer_id,
        percentage=str(pct),
        effective_date=day.isoformat(),
    )
    from portal.jobs import tasks

    tasks.after_commit(db, tasks.apply_batch, batch.id)
    return batch


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


@files.register("batch_report")
def _report_file(db: Session, principal: Principal, batch_id: int) -> files.Served:
    """The uploaded rows with an error column added (BULK-1), in the language of the principal."""
    from portal.services.xlsx_io import FileProblem, read_rows, write_workbook

    b = _batch(db, principal, batch_id)
    if not b.stored_name:
        raise NoAccess("not_found")
    lang = normalise_language(principal.language)
    issues = json.loads(b.report or "[]")
    by_row: dict[int, list[str]] = defaultdict(list)
    for issue in issues:
        by_row[int(issue.get("row") or 0)].append(issue_text(issue, lang))
    try:
        rows = read_rows(files.stored_path("uploads", b.stored_name).read_bytes())
    except (FileProblem, OSError):
        rows = [[]]
    columns = rules.LAYOUTS[b.kind]
    width = len(columns)
    body = []
    for row_no, row in enumerate(rows[1:], start=2):
        cells = [*list(row[:width]), *[None] * (width - len(row[:width]))]
        body.append([*cells, "\n".join(by_row.get(row_no, []))])
    if 0 in by_row or 1 in by_row:
        body.insert(0, [*([None] * width), "\n".join(by_row.get(0, []) + by_row.get(1, []))])
    sheet = rules_sheet(t("bulk.sheet_name", lang), columns, body, lang, set(), t("bulk.error_column", lang))
    data = write_workbook([sheet])
    digest = hashlib.sha256(f"report:{b.id}:{b.stored_name}".encode()).hexdigest()[:32]
    path = files.stored_path("reports", f"{digest}.xlsx")
    path.write_bytes(data)
    stem = b.file_name.rsplit(".", 1)[0][:80] or "upload"
    return files.Served(path, f"{stem}-{t('bulk.report_suffix', lang)}.xlsx", files.XLSX)
