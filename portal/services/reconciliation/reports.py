"""Reconciliation use cases (INT-7): read an insurer's list, compare it with the scheme's participants as of a
date, keep the report, show it, and turn a difference into a task.

Only an adviser whose office has the employer in its portfolio (read on every request) reaches a scheme or a
report; a foreign employer, scheme, report or difference id raises ``NoAccess`` before anything is read or
written (the caller audits it: the upload route, or ``usecase.run``). The portal's side is read set-based: one
query for the scheme's participations as of the date (the overview's as-of view) and one for the scheme year's
premium parameters. A file that cannot be read (type, size, formulas, columns, cells) raises ``FieldError`` on
``file`` with the reason and stores nothing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session, col

from portal.core import clock
from portal.core.xlsx import OLE_MAGIC, FileProblem, Sheet, read_rows, write_workbook
from portal.domain import reconciliation as rules
from portal.domain.bulk import MAX_FILE_BYTES, MAX_ROWS, Column
from portal.domain.premium import PremiumParameterError, age_at, yearly_premium
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.models import (
    Employer,
    Insurer,
    Participation,
    Person,
    ReconciliationDifference,
    ReconciliationReport,
    Scheme,
)
from portal.services import audit, files
from portal.services.couplings.settings import coupled_insurer
from portal.services.delivery.adapters import base_url
from portal.services.errors import FieldError
from portal.services.organisation.scheme_access import schemes_of
from portal.services.participants.detail import scheme_year_params
from portal.services.participants.overview import as_of_view
from portal.services.principal import NoAccess, Principal, id_of
from portal.services.tasks import access, on_reconciliation

PAGE_SIZE = 50
FILE_KIND = "reconciliation"
D = ReconciliationDifference


@dataclass(frozen=True)
class SchemeChoice:
    """A scheme of an employer in the adviser's portfolio, for the page's choices."""

    employer_id: int
    employer_name: str
    scheme_id: int
    label: str
    insurer: str = ""  # the coupled insurer whose records can be fetched (``fetchable_insurer``), or ""


@dataclass(frozen=True)
class DifferenceRow:
    """One difference as the page lists it (values as text, formatted by the page)."""

    id: int
    kind: str
    number: str
    name: str
    birth_date: date | None
    portal_value: str
    insurer_value: str
    delta: Decimal | None
    line: int | None
    task_id: int | None


@dataclass(frozen=True)
class ReportView:
    """A report: what was compared, its totals and one page of its differences."""

    id: int
    employer_id: int
    scheme_id: int
    as_of: date
    file_name: str
    money_tolerance: Decimal
    parttime_tolerance: Decimal
    insurer_rows: int
    portal_rows: int
    differences: int
    totals: dict[str, Any]
    rows: list[DifferenceRow]
    shown: int  # differences that match the kind filter
    link: str


# ------------------------------------------------------------------------------------------------- scope
def _scheme(
    db: Session, principal: Principal | None, employer_id: object, scheme_id: object
) -> tuple[Principal, Scheme]:
    """The scheme ``scheme_id`` of employer ``employer_id`` in the adviser's office portfolio (both untrusted)."""
    p = access.adviser(principal)
    employer = access.office_employer(db, p, employer_id)
    scheme = db.get(Scheme, id_of(scheme_id))
    if scheme is None:
        raise NoAccess("not_found")
    if scheme.employer_id != employer.id:
        raise NoAccess(access.OUT_OF_SCOPE)
    return p, scheme


def _report(db: Session, principal: Principal | None, report_id: object) -> tuple[Principal, ReconciliationReport]:
    """Report ``report_id`` of the adviser's office, its employer still in the portfolio."""
    p = access.adviser(principal)
    found = db.get(ReconciliationReport, id_of(report_id))
    if found is None:
        raise NoAccess("not_found")
    if found.office_id != p.office_id:
        raise NoAccess(access.OTHER_OFFICE)
    access.office_employer(db, p, found.employer_id)
    return p, found


def schemes(db: Session, principal: Principal | None) -> list[SchemeChoice]:
    """The schemes of every employer in the adviser's portfolio, by employer."""
    access.adviser(principal)
    out = []
    for o in schemes_of(db, principal, perm=Perm.PORTFOLIO_VIEW):
        insurer = fetchable_insurer(db, o.scheme_id)
        out.append(SchemeChoice(o.employer_id, o.employer_name, o.scheme_id, o.label, insurer.name if insurer else ""))
    return out


def fetchable_insurer(db: Session, scheme_id: int | None) -> Insurer | None:
    """The insurer whose coupling is on for the scheme, when an adapter address is configured for it."""
    insurer_id = coupled_insurer(db, scheme_id)
    insurer = db.get(Insurer, insurer_id) if insurer_id is not None else None
    return insurer if insurer is not None and base_url(insurer.code) else None


# --------------------------------------------------------------------------------------------- reading files
def _rows_of(table: Sequence[Sequence[object]]) -> list[dict[str, str]]:
    """Rows of text keyed by header, only the recognised columns (FieldError for missing or repeated ones)."""
    if not table:
        raise FieldError("file", "file_no_rows")
    headers = [rules.cell_text(h) for h in table[0]]
    try:
        columns = rules.recognise_columns(headers)
    except rules.ColumnProblem as problem:
        raise FieldError(
            "file",
            "reconciliation_columns",
            {"missing": ", ".join(problem.missing) or "-", "duplicate": ", ".join(problem.duplicate) or "-"},
        ) from None
    wanted = [(headers.index(header), header) for header in columns.values()]
    out = []
    for row in table[1:]:
        width = len(row)
        out.append({header: rules.cell_text(row[i]) if i < width else "" for i, header in wanted})
    if not out:
        raise FieldError("file", "file_no_rows")
    return out


def _csv_table(data: bytes) -> list[list[str]]:
    """The cells of a csv file (UTF-8 or Windows-1252; separator ``;``, ``,`` or tab, as in the header line);
    a cell that a spreadsheet would run as a formula (``=…``, ``@…``) refuses the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(table) - 1 > MAX_ROWS:
        raise FieldError("file", "file_too_many_rows", {"limit": MAX_ROWS})
    for row in table:
        for cell in row:
            if cell[:1] in ("=", "@"):
                raise FieldError("file", "file_formulas")
    return table


def file_kind(file_name: str, data: bytes) -> str:
    """``xlsx`` or ``csv``: what an uploaded insurer list is, from its first bytes and name (nothing is parsed).
    FieldError on ``file``: empty, too large, neither xlsx nor csv."""
    if not data:
        raise FieldError("file", "file_empty")
    if len(data) > MAX_FILE_BYTES:
        raise FieldError("file", "file_too_large", {"limit_mb": MAX_FILE_BYTES // (1024 * 1024)})
    name = (file_name or "").lower()
    if data.startswith(b"PK") or data.startswith(OLE_MAGIC) or name.endswith((".xlsx", ".xlsm", ".xls")):
        return "xlsx"
    if (name.endswith((".csv", ".txt")) or not name) and b"\x00" not in data[:4096]:
        return "csv"
    raise FieldError("file", "reconciliation_file_type")


def read_upload(file_name: str, data: bytes) -> list[dict[str, str]]:
    """The insurer's list in an uploaded xlsx or csv as rows of text (recognised columns only). FieldError on
    ``file``: empty, too large, neither xlsx nor csv, password, corrupt, formulas, too many rows, missing or
    repeated columns."""
    if file_kind(file_name, data) == "xlsx":
        try:
            table: Sequence[Sequence[object]] = read_rows(data)
        except FileProblem as problem:
            key = "reconciliation_file_type" if problem.key == "file_not_xlsx" else problem.key
            raise FieldError("file", key, problem.params) from None
    else:
        table = _csv_table(data)
    return _rows_of(table)


# ------------------------------------------------------------------------------------------ the portal side
def portal_records(db: Session, scheme: Scheme, day: date) -> list[rules.PortalRecord]:
    """The scheme's participations that had started by ``day``, with that day's status, salary, part-time and
    yearly premium (MUT-7): one query for the participations, one for the scheme year's parameters."""
    view = as_of_view(scheme.id or 0, day, listed=False)
    query = (
        select(
            Participation.id,
            Participation.person_id,
            Participation.participant_number,
            Participation.policy_number,
            Participation.premium_mode,
            Person.bsn,
            Person.birth_date,
            Person.initials,
            Person.name_prefix,
            Person.last_name,
            view.salary,
            view.parttime,
            view.status,
        )
        .select_from(view.source.join(Person, col(Person.id) == Participation.person_id))
        .where(*view.conditions)
    )
    params = scheme_year_params(db, scheme.id or 0, day.year)
    out = []
    for (
        pid,
        person_id,
        number,
        policy,
        mode,
        bsn,
        birth,
        initials,
        prefix,
        last,
        salary,
        parttime,
        status,
    ) in db.connection().execute(query):  # Core rows: no ORM loading for 100,000 of them
        active = status == "active"
        premium = None
        if active and params is not None and salary is not None and parttime is not None:
            try:
                premium = yearly_premium(Decimal(salary), Decimal(parttime), params, age_at(birth, day), mode)
            except PremiumParameterError:
                premium = None
        name = ", ".join(x for x in (last, " ".join(y for y in (initials, prefix) if y)) if x)
        out.append(
            rules.PortalRecord(
                participation_id=pid,
                person_id=person_id,
                number=number,
                policy_number=policy or "",
                bsn=bsn.zfill(9) if bsn.isdigit() else bsn,
                birth_date=birth,
                name=name,
                active=active,
                salary=None if salary is None else Decimal(salary),
                parttime=None if parttime is None else Decimal(parttime),
                premium=premium,
            )
        )
    return out


# ---------------------------------------------------------------------------------------------- comparing
def _day(value: object) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise FieldError("as_of", "reconciliation_date") from None


def _tolerance(money: object, parttime: object) -> rules.Tolerance:
    """Both tolerances; a FieldError at the one that is wrong (``tolerance`` or ``tolerance_pt``)."""
    for field, pair in (("tolerance", (money, None)), ("tolerance_pt", (None, parttime))):
        try:
            rules.parse_tolerance(*pair)
        except rules.ValueProblem:
            raise FieldError(field, "reconciliation_tolerance") from None
    return rules.parse_tolerance(money, parttime)


def _rows_problem(problem: rules.RowsProblem, lang: str) -> FieldError:
    shown = problem.problems[:5]
    lines = "; ".join(
        t("reconciliation.row_problem", lang, line=p.line, column=p.column, reason=t(p.key, lang)) for p in shown
    )
    return FieldError("file", "reconciliation_rows", {"count": problem.total, "first": lines})


def reconcile_rows(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    as_of: object,
    rows: Sequence[Mapping[str, str]],
    money_tolerance: object = None,
    parttime_tolerance: object = None,
    file_name: str = "",
    language: object = "nl",
) -> int:
    """Compare ``rows`` (an insurer's list as text: an uploaded file's, or an adapter's ``fetch_records``) with
    the scheme's participants as of ``as_of``; keep the report, its differences and its xlsx. Returns the
    report id. NoAccess out of scope; FieldError for the date, tolerances, columns or unreadable cells (nothing
    stored)."""
    p, scheme, day, tolerance = checked(db, principal, employer_id, scheme_id, as_of, money_tolerance,
                                        parttime_tolerance)  # fmt: skip
    assert p.office_id is not None
    return compare_and_keep(db, p.office_id, p.user_id, scheme, day, tolerance, rows, file_name, language)


def checked(
    db: Session,
    principal: Principal | None,
    employer_id: object,
    scheme_id: object,
    as_of: object,
    money_tolerance: object,
    parttime_tolerance: object,
) -> tuple[Principal, Scheme, date, rules.Tolerance]:
    """A reconciliation's request, untrusted: the adviser and the scheme in the portfolio (NoAccess first), then
    the date and the tolerances (FieldError at the one that is wrong)."""
    p, scheme = _scheme(db, principal, employer_id, scheme_id)
    return p, scheme, _day(as_of), _tolerance(money_tolerance, parttime_tolerance)


def compare_and_keep(
    db: Session,
    office_id: int,
    user_id: int,
    scheme: Scheme,
    day: date,
    tolerance: rules.Tolerance,
    rows: Sequence[Mapping[str, str]],
    file_name: str,
    language: object = "nl",
    step: Callable[[int], None] | None = None,
) -> int:
    """The comparison itself for a scheme already checked (``reconcile_rows``, the reconciliation job): the
    portal's side as of ``day``, the differences, the stored report. ``step(n)`` is told when step 2 (the
    portal's side read) and 3 (compared) are reached. FieldError for columns or unreadable cells."""
    lang = normalise_language(language)
    if not rows:
        raise FieldError("file", "file_no_rows")
    try:
        columns = rules.recognise_columns(rows[0].keys())
        portal = portal_records(db, scheme, day)
        if step is not None:
            step(2)
        outcome = rules.compare(rules.parse_rows(rows, columns), portal, tolerance)
    except rules.ColumnProblem as problem:
        raise FieldError(
            "file",
            "reconciliation_columns",
            {"missing": ", ".join(problem.missing) or "-", "duplicate": ", ".join(problem.duplicate) or "-"},
        ) from None
    except rules.RowsProblem as problem:
        raise _rows_problem(problem, lang) from None
    if step is not None:
        step(3)
    return _keep(db, office_id, user_id, scheme, day, tolerance, outcome, file_name, lang)


def reconcile_file(
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
    """An uploaded insurer list (xlsx or csv): scope first, then the file, then ``reconcile_rows``."""
    _scheme(db, principal, employer_id, scheme_id)  # refuse a foreign scheme before reading anything
    rows = read_upload(file_name, data)
    return reconcile_rows(
        db, principal, employer_id, scheme_id, as_of, rows, money_tolerance, parttime_tolerance,
        file_name[:255], language,
    )  # fmt: skip


def _totals_json(totals: rules.Totals) -> str:
    return json.dumps(
        {
            "counts": totals.counts,
            "deltas": {k: str(v) for k, v in totals.deltas.items()},
            "matched": totals.matched,
            "insurer_premium": str(totals.insurer_premium),
            "portal_premium": str(totals.portal_premium),
        }
    )


def _keep(
    db: Session,
    office_id: int,
    user_id: int,
    scheme: Scheme,
    day: date,
    tolerance: rules.Tolerance,
    outcome: rules.Outcome,
    file_name: str,
    lang: str,
) -> int:
    totals = outcome.totals
    assert totals is not None
    stored = files.new_stored_name("xlsx")
    found = ReconciliationReport(
        office_id=office_id,
        employer_id=scheme.employer_id,
        scheme_id=scheme.id or 0,
        as_of=day,
        file_name=file_name,
        money_tolerance=tolerance.money,
        parttime_tolerance=tolerance.parttime,
        insurer_rows=totals.insurer_rows,
        portal_rows=totals.portal_rows,
        differences=totals.differences,
        totals=_totals_json(totals),
        stored_name=stored,
        created_by=user_id,
    )
    db.add(found)
    db.flush()
    assert found.id is not None
    if outcome.differences:
        db.execute(
            insert(ReconciliationDifference),
            [
                {
                    "report_id": found.id,
                    "position": i,
                    "kind": d.kind,
                    "number": d.number[:32],
                    "name": d.name[:120],
                    "birth_date": d.birth_date,
                    "participation_id": d.participation_id,
                    "person_id": d.person_id,
                    "line": d.line,
                    "portal_value": d.portal_value[:32],
                    "insurer_value": d.insurer_value[:32],
                    "delta": d.delta,
                    "task_id": None,
                }
                for i, d in enumerate(outcome.differences)
            ],
        )
    path = files.stored_path("reports", stored)
    path.write_bytes(_workbook(scheme, day, tolerance, outcome, lang))
    audit.record(
        db, "reconciliation.created", actor_user_id=user_id, object_type="reconciliation", object_id=found.id,
        employer_id=scheme.employer_id, scheme_id=scheme.id, as_of=day.isoformat(), rows=totals.insurer_rows,
        differences=totals.differences,
    )  # fmt: skip
    return found.id


REPORT_COLUMNS = (
    Column("kind", "Soort verschil", "Kind of difference"),
    Column("number", "Deelnemer-/polisnummer", "Participant/policy number"),
    Column("name", "Naam", "Name"),
    Column("birth_date", "Geboortedatum", "Date of birth"),
    Column("portal", "Portaal", "Portal"),
    Column("insurer", "Verzekeraar", "Insurer"),
    Column("delta", "Verschil (verzekeraar − portaal)", "Difference (insurer − portal)"),
    Column("line", "Regel in bestand", "Line in file"),
)


def value_text(kind: str, value: str, lang: str) -> str:
    """A portal or insurer value as shown: a status word, an amount, a percentage."""
    if not value:
        return ""
    if value in (rules.ACTIVE, rules.ENDED):
        return t(f"reconciliation.status.{value}", lang)
    if kind == rules.PARTTIME_DIFF:
        return fmt.percent(Decimal(value), lang)
    if kind in rules.AMOUNT_KINDS:
        return fmt.money(Decimal(value), lang)
    return value


def _workbook(scheme: Scheme, day: date, tolerance: rules.Tolerance, outcome: rules.Outcome, lang: str) -> bytes:
    totals = outcome.totals
    assert totals is not None
    rows = [
        (
            t(f"reconciliation.kind.{d.kind}", lang),
            d.number,
            d.name,
            d.birth_date,
            value_text(d.kind, d.portal_value, lang),
            value_text(d.kind, d.insurer_value, lang),
            d.delta,
            d.line,
        )
        for d in outcome.differences
    ]
    summary = [
        t("reconciliation.xlsx.title", lang, scheme=f"{scheme.number} {scheme.name}", day=fmt.day(day, lang)),
        t(
            "reconciliation.xlsx.tolerance",
            lang,
            money=fmt.money(tolerance.money, lang),
            parttime=str(tolerance.parttime),
        ),
        t(
            "reconciliation.xlsx.rows",
            lang,
            insurer=totals.insurer_rows,
            portal=totals.portal_rows,
            matched=totals.matched,
        ),
        *(f"{t(f'reconciliation.kind.{k}', lang)}: {n}" for k, n in totals.counts.items()),
        t(
            "reconciliation.xlsx.premium",
            lang,
            insurer=fmt.money(totals.insurer_premium, lang),
            portal=fmt.money(totals.portal_premium, lang),
        ),
    ]
    sheet = Sheet(
        t("reconciliation.xlsx.sheet", lang),
        REPORT_COLUMNS,
        rows,
        lang,
        kinds={"birth_date": "date", "delta": "money"},
        widths={"kind": 34, "name": 32, "number": 22},
    )
    return write_workbook([sheet], [(t("reconciliation.xlsx.totals", lang), summary)])


# --------------------------------------------------------------------------------------------- reading back
def _view(db: Session, p: Principal, found: ReconciliationReport, kind: str, offset: int) -> ReportView:
    conditions = [D.report_id == found.id]
    if kind in rules.KINDS:
        conditions.append(D.kind == kind)
    shown = int(db.execute(select(func.count()).select_from(D).where(*conditions)).scalar() or 0)
    offset = max(0, min(offset, max(shown - 1, 0)))
    query = select(D).where(*conditions).order_by(col(D.position)).offset(offset).limit(PAGE_SIZE)
    rows = [
        DifferenceRow(
            d.id or 0,
            d.kind,
            d.number,
            d.name,
            d.birth_date,
            d.portal_value,
            d.insurer_value,
            d.delta,
            d.line,
            d.task_id,
        )
        for (d,) in db.execute(query)
    ]
    return ReportView(
        id=found.id or 0,
        employer_id=found.employer_id,
        scheme_id=found.scheme_id,
        as_of=found.as_of,
        file_name=found.file_name,
        money_tolerance=found.money_tolerance,
        parttime_tolerance=found.parttime_tolerance,
        insurer_rows=found.insurer_rows,
        portal_rows=found.portal_rows,
        differences=found.differences,
        totals=json.loads(found.totals or "{}"),
        rows=rows,
        shown=shown,
        link=files.link(p, FILE_KIND, found.id or 0),
    )


def report(
    db: Session, principal: Principal | None, report_id: object, kind: object = "", offset: object = 0
) -> ReportView:
    """Report ``report_id`` (untrusted) with one page of its differences (of ``kind``, when one is given)."""
    p, found = _report(db, principal, report_id)
    start = offset if isinstance(offset, int) and not isinstance(offset, bool) else 0
    return _view(db, p, found, kind if isinstance(kind, str) else "", start)


def latest_report(
    db: Session, principal: Principal | None, employer_id: object, scheme_id: object
) -> ReportView | None:
    """The newest report of the scheme made by the adviser's office (None without one)."""
    p, scheme = _scheme(db, principal, employer_id, scheme_id)
    found = db.exec(  # type: ignore[call-overload]
        select(ReconciliationReport)
        .where(ReconciliationReport.office_id == p.office_id, ReconciliationReport.scheme_id == scheme.id)
        .order_by(col(ReconciliationReport.id).desc())
        .limit(1)
    ).first()
    return None if found is None else _view(db, p, found[0], "", 0)


def to_task(db: Session, principal: Principal | None, difference_id: object, language: object = "nl") -> int:
    """Turn difference ``difference_id`` (untrusted) into a task in the adviser's to-do list (assigned to them,
    once: a second call returns the same task). Returns the task id."""
    diff = db.get(ReconciliationDifference, id_of(difference_id))
    if diff is None:
        access.adviser(principal)
        raise NoAccess("not_found")
    p, found = _report(db, principal, diff.report_id)
    if diff.task_id is not None:
        return diff.task_id
    lang = normalise_language(language)
    what = t(f"reconciliation.kind.{diff.kind}", lang)
    who = " ".join(x for x in (diff.number, diff.name) if x) or t("reconciliation.line", lang, line=diff.line or 0)
    values = ""
    if diff.portal_value or diff.insurer_value:
        values = t(
            "reconciliation.task_values",
            lang,
            portal=value_text(diff.kind, diff.portal_value, lang) or "—",
            insurer=value_text(diff.kind, diff.insurer_value, lang) or "—",
        )
    title = t("reconciliation.task_title", lang, what=what, who=who, values=values).strip()
    task = on_reconciliation(
        db, p, diff.id or 0, found.employer_id, title, diff.participation_id, diff.person_id,
        clock.today(), report_id=found.id, difference=diff.kind, as_of=found.as_of.isoformat(),
    )  # fmt: skip
    diff.task_id = task.id
    db.add(diff)
    db.flush()
    return task.id or 0


@files.register(FILE_KIND)
def _served(db: Session, principal: Principal, report_id: int) -> files.Served:
    """The xlsx of a report, for an adviser of its office while the employer is in the portfolio."""
    _p, found = _report(db, principal, report_id)
    employer = db.get(Employer, found.employer_id)
    stem = "".join(ch for ch in (employer.name if employer else "") if ch.isalnum())[:30] or "werkgever"
    name = f"afstemming-{stem}-{found.as_of.isoformat()}.xlsx"
    return files.Served(files.stored_path("reports", found.stored_name), name, files.XLSX)
