"""The Excel templates of the collective changes: the scheme's participants as of a day with the editable columns
marked, and a sheet with the rules of each column (downloading one is audited: its rows are personal data)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlmodel import Session

from portal.core.xlsx import FileProblem, read_rows
from portal.domain import bulk as rules
from portal.i18n import formatting as fmt
from portal.i18n import normalise_language, t
from portal.services import audit, files
from portal.services.collective.batches import FILE_KINDS, _batch, _scheme, _today, check_effective, issue_text
from portal.services.collective.scheme_state import load_scheme
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal


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
    from portal.core.xlsx import write_workbook

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
    from portal.core.xlsx import Sheet

    return Sheet(name, columns, rows, lang, frozenset(editable), KINDS_OF_COLUMN, extra, {"name": 32})


@files.register("batch_report")
def _report_file(db: Session, principal: Principal, batch_id: int) -> files.Served:
    """The uploaded rows with an error column added (BULK-1), in the language of the principal."""
    from portal.core.xlsx import write_workbook

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
