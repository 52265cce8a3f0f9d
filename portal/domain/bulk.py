"""Collective changes by file (BULK): the file layouts and the row-by-row rules, without any I/O.

Services read a sheet into plain cell values (text, numbers, dates, booleans, ``None``/``""`` for empty) and
pass them here with what they know about the scheme's participants; the rules return the valid lines and a
list of ``Issue``s, one per failing cell or row, so that a report can name every failing row with its reason.
A file is applied only when it has no issue at all (all or nothing).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from portal.domain import validation
from portal.domain.dates import check_future_window
from portal.domain.errors import RuleError
from portal.domain.locks import change_block

MAX_FILE_BYTES = 20 * 1024 * 1024  # BULK-5: larger uploads are refused before they are read
MAX_ROWS = 250_000
MAX_RAISE_PCT = Decimal("50")
RAISE_BOUNDS = (Decimal("-50"), MAX_RAISE_PCT)


@dataclass(frozen=True)
class Column:
    """A column of a file layout: its key, its header in Dutch and English, and ``former`` headers that an
    upload may still carry (templates downloaded before a header was renamed mean the same figure)."""

    key: str
    nl: str
    en: str
    former: tuple[str, ...] = ()

    def header(self, language: str) -> str:
        """The header text in ``language`` (nl or en)."""
        return self.en if language == "en" else self.nl


# BULK-1: the new salary goes in column F, the new part-time % in column G (as in the insurers' files).
SALARY_COLUMNS: tuple[Column, ...] = (
    Column("number", "Deelnemersnummer", "Participant number"),
    Column("name", "Naam", "Name"),
    Column("birth_date", "Geboortedatum", "Date of birth"),
    Column("salary", "Huidig fulltime salaris", "Current full-time salary", ("Huidig salaris", "Current salary")),
    Column("parttime", "Huidig parttimepercentage", "Current part-time %"),
    Column("new_salary", "Nieuw fulltime salaris", "New full-time salary", ("Nieuw salaris", "New salary")),
    Column("new_parttime", "Nieuw parttimepercentage", "New part-time %"),
)
# BULK-3: the business e-mail address in column E.
EMAIL_COLUMNS: tuple[Column, ...] = (
    Column("number", "Deelnemersnummer", "Participant number"),
    Column("name", "Naam", "Name"),
    Column("birth_date", "Geboortedatum", "Date of birth"),
    Column("email", "Huidig zakelijk e-mailadres", "Current business e-mail"),
    Column("new_email", "Zakelijk e-mailadres", "Business e-mail"),
)
# BULK-2: one new participant per row; row 2 is an example that must be overwritten or removed.
NEW_COLUMNS: tuple[Column, ...] = (
    Column("bsn", "BSN", "BSN"),
    Column("initials", "Voorletters", "Initials"),
    Column("first_name", "Voornaam", "First name"),
    Column("name_prefix", "Tussenvoegsel", "Name prefix"),
    Column("last_name", "Achternaam", "Last name"),
    Column("birth_date", "Geboortedatum", "Date of birth"),
    Column("gender", "Geslacht (M/V/X)", "Gender (M/F/X)"),
    Column("start_date", "Ingangsdatum", "Start date"),
    Column("salary", "Fulltime salaris", "Full-time salary", ("Salaris", "Salary")),
    Column("parttime", "Parttimepercentage", "Part-time %"),
    Column("business_email", "Zakelijk e-mailadres", "Business e-mail"),
)
NEW_EXAMPLE: tuple[object, ...] = (
    "111222333",
    "J.",
    "Jan",
    "van",
    "Voorbeeld",
    date(1990, 1, 1),
    "M",
    date(2026, 1, 1),
    Decimal("40000.00"),
    Decimal("100.000"),
    "jan.voorbeeld@example.com",
)
LAYOUTS: dict[str, tuple[Column, ...]] = {
    "salary_parttime": SALARY_COLUMNS,
    "business_email": EMAIL_COLUMNS,
    "new_participants": NEW_COLUMNS,
}


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 25 → Z, 26 → AA)."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


@dataclass(frozen=True)
class Issue:
    """One problem in a file: ``row`` as numbered in the spreadsheet (0 for the whole file), the column
    letter ('' for the row), the participant number or BSN of the row, a message key and its parameters."""

    row: int
    column: str
    key: str
    ref: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (stored in ``Batch.report``)."""
        return {"row": self.row, "column": self.column, "key": self.key, "ref": self.ref, "params": dict(self.params)}


def _fold(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def check_header(found: Sequence[object], columns: Sequence[Column]) -> Issue | None:
    """The first row must hold the layout's headers, in order, in Dutch or English (extra columns to the
    right are ignored; a column's former header is accepted too). A missing or renamed column is a file-level
    issue naming what is expected."""
    for i, column in enumerate(columns):
        cell = _fold(found[i]) if i < len(found) else ""
        if cell not in {_fold(text) for text in (column.nl, column.en, *column.former)}:
            params = {"column": letter(i), "expected": column.nl, "expected_en": column.en, "found": str(cell)[:60]}
            return Issue(1, letter(i), "column_missing" if not cell else "column_renamed", params=params)
    return None


def is_empty(value: object) -> bool:
    """An empty cell (``None``, empty or blank text)."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: whole numbers without '.0' (a participant number typed as a number), dates in ISO."""
    if is_empty(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _number_text(value: object, column: str) -> str:
    """A number cell as text for the number rules; an Excel number keeps its exact decimal digits."""
    if isinstance(value, (bool, date)):
        raise RuleError(column, "not_a_number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # inf, nan (Decimal takes them, and they would read as "Infinity", "NaN")
            raise RuleError(column, "not_a_number")
        # as Excel shows it: 15 significant digits (53242.280000000006 is 53242.28 in the sheet)
        return format(Decimal(format(value, ".15g")).normalize(), "f")
    return str(value)


_PLAIN_MONEY = re.compile(r"\d+(?:\.\d{1,2})?")  # what Excel shows for an ordinary salary: 53242.28
CENT = Decimal("0.01")


def parse_money_cell(value: object, column: str) -> Decimal:
    """A salary cell (number or Dutch/English text): more than 0, at most two decimals."""
    if type(value) is float:
        # Fast path for the common cell, exactly what the general path gives: a positive number that Excel
        # shows with at most two decimals and no exponent. Its 15-digit text is already in the form
        # ``_number_text`` makes (no trailing zeros), and ``parse_salary`` reads such text as this Decimal.
        text = format(value, ".15g")
        if _PLAIN_MONEY.fullmatch(text):
            amount = Decimal(text)
            if 0 < amount < validation.SALARY_LIMIT:
                return amount.quantize(CENT)
    return validation.parse_salary(_number_text(value, column), column)


def parse_parttime_cell(value: object, column: str) -> Decimal:
    """A part-time cell: 0–100 with at most three decimals."""
    return validation.parse_parttime(_number_text(value, column), column)


def parse_date_cell(value: object, column: str) -> date:
    """A date cell (an Excel date, or text as dd-mm-yyyy / yyyy-mm-dd)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise RuleError(column, "date_invalid")
    return validation.require_date(str(value), column)


# ------------------------------------------------------------------------------------ BULK-1 salary file
class Current(NamedTuple):
    """What the rules need to know about one participant of the scheme, on the change's effective date
    (a named tuple: a scheme of 100,000 participants builds 100,000 of them)."""

    participation_id: int
    employment_id: int
    status: str  # on the effective date (active up to and including the last day in service)
    salary: Decimal | None
    parttime: Decimal | None
    employment_start: date
    employment_end: date | None


class SalaryLine(NamedTuple):
    """A valid row that changes something: the new salary and/or part-time (None = unchanged). A named
    tuple: a collective file makes 50,000 of them."""

    row: int
    number: str
    participation_id: int
    employment_id: int
    salary: Decimal | None
    parttime: Decimal | None
    old_salary: Decimal | None
    old_parttime: Decimal | None


@dataclass
class Checked:
    """The outcome of checking a file: the lines to apply, the issues, and how many data rows it had."""

    lines: list[Any]
    issues: list[Issue]
    rows: int = 0


def check_effective(effective: date, today: date) -> str | None:
    """A collective salary/part-time change takes effect at most three months ahead (MUT-1)."""
    return check_future_window(effective, today)


def _cell(row: Sequence[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _salary_row(row_no: int, row: Sequence[object], cur: Current, number: str, effective: date) -> SalaryLine | None:
    new_salary = new_parttime = None
    width = len(row)
    if width > 5 and not is_empty(raw := row[5]):
        new_salary = parse_money_cell(raw, "F")
    if width > 6 and not is_empty(raw := row[6]):
        new_parttime = parse_parttime_cell(raw, "G")
    if key := change_block(cur.status, False):
        raise RuleError("A", key)
    if effective < cur.employment_start:
        raise RuleError("A", "date_before_start", {"start_date": cur.employment_start.isoformat()})
    if cur.employment_end is not None and effective > cur.employment_end:
        raise RuleError("A", "date_after_exit", {"end_date": cur.employment_end.isoformat()})
    if new_salary == cur.salary:
        new_salary = None
    if new_parttime == cur.parttime:
        new_parttime = None
    if new_salary is None and new_parttime is None:
        return None  # nothing changes for this participant
    return SalaryLine(
        row_no, number, cur.participation_id, cur.employment_id, new_salary, new_parttime, cur.salary, cur.parttime
    )


def _rows(rows: Iterable[Sequence[object]], width: int) -> Iterable[tuple[int, Sequence[object]]]:
    """Data rows numbered as in the spreadsheet (the header is row 1), skipping rows left fully empty."""
    for row_no, row in enumerate(rows, start=2):
        if (not row or is_empty(row[0])) and all(is_empty(v) for v in row[:width]):
            continue
        yield row_no, row


def check_salary_rows(rows: Iterable[Sequence[object]], known: Mapping[str, Current], effective: date) -> Checked:
    """BULK-1: every data row (after the header) of a salary/part-time file. Empty F and G: unchanged. A
    row fails for an unknown or missing participant number, a participant listed twice, text or a bad
    value in F/G, or a participant who cannot be changed on ``effective`` (left, not yet hired)."""
    out = Checked([], [])
    seen: dict[str, int] = {}
    count = 0
    for row_no, row in _rows(rows, len(SALARY_COLUMNS)):
        count += 1
        first = row[0] if row else None
        number = first.strip() if type(first) is str else cell_text(first)  # text: what cell_text gives
        if not number:
            out.issues.append(Issue(row_no, "A", "number_missing"))
            continue
        if number in seen:
            out.issues.append(Issue(row_no, "A", "duplicate_row", number, {"first_row": seen[number]}))
            continue
        seen[number] = row_no
        cur = known.get(number)
        if cur is None:
            out.issues.append(Issue(row_no, "A", "unknown_participant", number))
            continue
        try:
            line = _salary_row(row_no, row, cur, number, effective)
        except RuleError as err:
            out.issues.append(Issue(row_no, err.field, err.key, number, err.params))
            continue
        if line is not None:
            out.lines.append(line)
    out.rows = count
    return out


# ------------------------------------------------------------------------------- BULK-4 integral raise
def parse_raise(value: object) -> Decimal:
    """A raise percentage (Dutch or English notation, at most three decimals, -50 to 50, not 0)."""
    # a Decimal goes through parse_number too: it refuses NaN, which no comparison below can take
    pct = validation.parse_number(value, grouping=False, max_decimals=3, field="percentage", key="percentage_invalid")
    exponent = pct.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        raise RuleError("percentage", "percentage_invalid")
    low, high = RAISE_BOUNDS
    if not low <= pct <= high or pct == 0:
        raise RuleError("percentage", "percentage_range", {"low": str(low), "high": str(high)})
    return pct


def raised(salary: Decimal, pct: Decimal) -> Decimal:
    """``salary`` raised by ``pct`` percent, rounded to cents (half up)."""
    return (salary * (Decimal(100) + pct) / Decimal(100)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def raise_lines(known: Mapping[str, Current], pct: Decimal, effective: date) -> list[SalaryLine]:
    """BULK-4: one line per participant who can be changed on ``effective`` (active, in service then),
    with the salary of that day raised by ``pct``."""
    lines = []
    for number, cur in sorted(known.items()):
        if cur.salary is None or change_block(cur.status, False):
            continue
        if effective < cur.employment_start or (cur.employment_end is not None and effective > cur.employment_end):
            continue
        new = raised(cur.salary, pct)
        if new <= 0 or new == cur.salary:
            continue
        lines.append(
            SalaryLine(0, number, cur.participation_id, cur.employment_id, new, None, cur.salary, cur.parttime)
        )
    return lines


# --------------------------------------------------------------------------------- BULK-3 e-mail file
@dataclass(frozen=True)
class EmailLine:
    """A valid row with a new business e-mail address."""

    row: int
    number: str
    person_id: int
    email: str
    old_email: str


def check_email_rows(rows: Iterable[Sequence[object]], known: Mapping[str, tuple[int, str]]) -> Checked:
    """BULK-3: rows of the participant list with the business e-mail column filled in. ``known`` maps a
    participant number to (person id, current business e-mail). Empty column E: unchanged."""
    out = Checked([], [])
    seen: dict[str, int] = {}
    for row_no, row in _rows(rows, len(EMAIL_COLUMNS)):
        out.rows += 1
        number = cell_text(_cell(row, 0))
        if not number:
            out.issues.append(Issue(row_no, "A", "number_missing"))
            continue
        if number in seen:
            out.issues.append(Issue(row_no, "A", "duplicate_row", number, {"first_row": seen[number]}))
            continue
        seen[number] = row_no
        if number not in known:
            out.issues.append(Issue(row_no, "A", "unknown_participant", number))
            continue
        raw = _cell(row, 4)
        if is_empty(raw):
            continue
        try:
            email = validation.clean_email(cell_text(raw), "E")
        except RuleError as err:
            out.issues.append(Issue(row_no, "E", err.key, number, err.params))
            continue
        person_id, old = known[number]
        if email and email != old:
            out.lines.append(EmailLine(row_no, number, person_id, email, old))
    return out


# -------------------------------------------------------------------------- BULK-2 new participants
@dataclass(frozen=True)
class NewLine:
    """A row of the new-participants file as the individual rules take it (values still to be checked)."""

    row: int
    values: dict[str, object]


def _same_cell(value: object) -> str:
    """A cell in a form that compares equal however a spreadsheet stored it (40000 = 40000.0 = 40000.00)."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        try:
            return format(Decimal(str(value)).normalize(), "f")
        except InvalidOperation:
            return str(value)
    return cell_text(value)


def example_unchanged(row: Sequence[object]) -> bool:
    """Whether a row still is the template's example row (BULK-2: it must be overwritten or removed)."""
    return [_same_cell(v) for v in row[: len(NEW_EXAMPLE)]] == [_same_cell(v) for v in NEW_EXAMPLE]


def new_participant_rows(rows: Iterable[Sequence[object]], check: Callable[[int, dict[str, object]], None]) -> Checked:
    """BULK-2: every data row, turned into the individual wizard's fields and checked by ``check`` (the
    same rules as one new participant, with the collective window of three months back to three months
    ahead; it raises RuleError). Also refused: the unchanged example row and a BSN listed twice."""
    out = Checked([], [])
    seen: dict[str, int] = {}
    for row_no, row in _rows(rows, len(NEW_COLUMNS)):
        out.rows += 1
        if row_no == 2 and example_unchanged(row):
            out.issues.append(Issue(row_no, "", "example_row"))
            continue
        values = {c.key: _cell(row, i) for i, c in enumerate(NEW_COLUMNS)}
        ref = cell_text(values["bsn"])
        values = {k: ("" if is_empty(v) else v) for k, v in values.items()}
        for key in ("bsn", "initials", "first_name", "name_prefix", "last_name", "gender", "business_email"):
            values[key] = cell_text(values[key])
        gender = str(values["gender"]).upper()
        values["gender"] = {"V": "F", "VROUW": "F", "MAN": "M"}.get(gender, gender)  # the Dutch template says M/V/X
        try:
            for key in ("birth_date", "start_date"):
                column = letter([c.key for c in NEW_COLUMNS].index(key))
                values[key] = parse_date_cell(values[key], column) if not is_empty(values[key]) else ""
            for key, parse in (("salary", parse_money_cell), ("parttime", parse_parttime_cell)):
                column = letter([c.key for c in NEW_COLUMNS].index(key))
                values[key] = parse(values[key], column) if not is_empty(values[key]) else ""
            bsn = validation.parse_bsn(values["bsn"], "A")
            if bsn in seen:
                raise RuleError("A", "duplicate_row", {"first_row": seen[bsn]})
            seen[bsn] = row_no
            check(row_no, values)
        except RuleError as err:
            column = _field_column(err.field)
            out.issues.append(Issue(row_no, column, err.key, ref, err.params))
            continue
        out.lines.append(NewLine(row_no, values))
    return out


def _field_column(name: str) -> str:
    """The column letter of a wizard field (the rules name fields, the report names columns)."""
    keys = [c.key for c in NEW_COLUMNS]
    if name in keys:
        return letter(keys.index(name))
    return name if re.fullmatch(r"[A-Z]{1,2}", name or "") else ""
