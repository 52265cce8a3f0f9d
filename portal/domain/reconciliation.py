"""Reconciliation against the insurer (INT-7): the insurer's participant/premium list of a scheme compared with
the portal's participants as of a date.

Pure rules, no I/O. An insurer list arrives as rows of text (``dict[str, str]``: column header → cell text),
from an uploaded xlsx/csv or from an insurer adapter's ``fetch_records(scheme)``; ``reconcile_rows`` is the one
entry point for both. Steps: recognise the columns (Dutch and English headers), parse every row into an
``InsurerRecord`` (Decimal money, dates; Dutch decimal commas), match each to a portal participant (by
participant or policy number, else by BSN + birth date), and list the differences beyond the tolerances.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import NamedTuple

# --------------------------------------------------------------------------------------------------- columns
NUMBER, BSN, BIRTH_DATE, STATUS, SALARY, PARTTIME, PREMIUM, NAME = (
    "number", "bsn", "birth_date", "status", "salary", "parttime", "premium", "name",
)  # fmt: skip
REQUIRED: tuple[str, ...] = (NUMBER, BSN, BIRTH_DATE, STATUS, SALARY, PARTTIME, PREMIUM)
FIELDS: tuple[str, ...] = (*REQUIRED, NAME)

# Headers as insurers write them (compared folded: lower case, only letters and digits, "%" as "pct").
ALIASES: dict[str, tuple[str, ...]] = {
    NUMBER: (
        "number",
        "deelnemernummer",
        "deelnemersnummer",
        "deelnemernr",
        "deelnemer",
        "polisnummer",
        "polisnr",
        "polis",
        "participantnumber",
        "participantno",
        "participant",
        "policynumber",
        "policyno",
        "policy",
        "certificaatnummer",
        "verzekerdenummer",
        "registratienummer",
    ),
    BSN: ("bsn", "burgerservicenummer", "sofinummer", "sofinr", "nationalid", "citizenservicenumber", "ssn"),
    BIRTH_DATE: ("birthdate", "geboortedatum", "gebdatum", "geboren", "dateofbirth", "dob", "birthday"),
    STATUS: ("status", "deelnamestatus", "participationstatus", "polisstatus", "policystatus", "state"),
    SALARY: (
        "salary",
        "salaris",
        "jaarsalaris",
        "brutojaarsalaris",
        "fulltimesalaris",
        "fulltimejaarsalaris",
        "yearlysalary",
        "annualsalary",
        "fulltimesalary",
        "grosssalary",
    ),
    PARTTIME: (
        "parttime",
        "parttimepct",
        "parttimepercentage",
        "deeltijd",
        "deeltijdpct",
        "deeltijdpercentage",
        "dienstverbandpct",
        "parttimefactor",
        "pt",
        "ptpct",
    ),
    PREMIUM: (
        "premium",
        "premie",
        "jaarpremie",
        "premieperjaar",
        "totalejaarpremie",
        "yearlypremium",
        "annualpremium",
        "premiumperyear",
    ),
    NAME: ("name", "naam", "achternaam", "lastname", "fullname", "volledigenaam"),
}
_BY_ALIAS: dict[str, str] = {alias: key for key, aliases in ALIASES.items() for alias in aliases}


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def fold(header: str) -> str:
    """A header folded for recognition: ``"Deeltijd %"`` → ``"deeltijdpct"``, ``"Date of birth"`` →
    ``"dateofbirth"``."""
    text = str(header).strip().lower().replace("%", "pct")
    return _NOT_ALNUM.sub("", text)


class ColumnProblem(ValueError):
    """Columns that do not make an insurer list: ``missing`` required fields, ``duplicate`` fields named twice."""

    def __init__(self, missing: Sequence[str] = (), duplicate: Sequence[str] = ()) -> None:
        super().__init__("reconciliation_columns")
        self.missing = tuple(missing)
        self.duplicate = tuple(duplicate)


def recognise_columns(headers: Iterable[str]) -> dict[str, str]:
    """field → header as given, for every recognised header; unknown headers are ignored. ColumnProblem when a
    required field has no column or a field has two."""
    found: dict[str, str] = {}
    duplicate: list[str] = []
    for header in headers:
        key = _BY_ALIAS.get(fold(header))
        if key is None:
            continue
        if key in found:
            duplicate.append(key)
        found[key] = header
    missing = [k for k in REQUIRED if k not in found]
    if missing or duplicate:
        raise ColumnProblem(missing, sorted(set(duplicate)))
    return found


# ---------------------------------------------------------------------------------------------- values
ACTIVE, ENDED = "active", "ended"
_ACTIVE_WORDS = frozenset(
    {"active", "actief", "a", "indienst", "lopend", "ingang", "premiebetalend", "inforce", "insured", "verzekerd"}
)
_ENDED_WORDS = frozenset(
    {
        "ended", "beeindigd", "beindigd", "be", "uitdienst", "exit", "exited", "terminated", "vervallen", "e",
        "premievrij", "slaper", "dormant", "paidup", "inactief", "inactive", "gepensioneerd", "retired", "u",
        "afgekocht", "overleden", "deceased",
    }
)  # fmt: skip
MONEY_LIMIT = Decimal("100000000")
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


class ValueProblem(ValueError):
    """A cell that cannot be read: ``key`` names the reason for the report."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


_PLAIN = re.compile(r"\d{1,12}(\.\d{1,6})?")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")


def parse_decimal(text: str) -> Decimal:
    """A number as insurers write it: ``52242.28``, ``52.242,28``, ``52242,28``, ``€ 52,242.28``, ``80 %``.
    With both a point and a comma the last one is the decimal separator; a lone comma is a decimal comma;
    several of one kind are thousands separators."""
    if _PLAIN.fullmatch(text):  # the common case (a spreadsheet's number): no clean-up needed
        return Decimal(text)
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("€", "").replace("EUR", "")
    raw = raw.rstrip("%")
    if not raw:
        raise ValueProblem("reconciliation_value_empty")
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        raw = raw.replace(thousands, "").replace(decimal_sep, ".")
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")
    elif raw.count(",") > 1:
        raw = raw.replace(",", "")
    elif raw.count(".") > 1:
        raw = raw.replace(".", "")
    if not _NUMBER.fullmatch(raw):
        raise ValueProblem("reconciliation_value_number")
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern above lets only valid numbers through
        raise ValueProblem("reconciliation_value_number") from None


def parse_money(text: str) -> Decimal:
    """A yearly amount in euros, rounded to cents; not negative, below a hundred million."""
    value = parse_decimal(text)
    if value < 0 or value >= MONEY_LIMIT:
        raise ValueProblem("reconciliation_value_money")
    return value.quantize(CENT, ROUND_HALF_UP)


def parse_parttime(text: str) -> Decimal:
    """A part-time percentage 0..100 with three decimals (``80``, ``80,5``, ``80 %``)."""
    value = parse_decimal(text)
    if value < 0 or value > 100:
        raise ValueProblem("reconciliation_value_parttime")
    return value.quantize(MILLI, ROUND_HALF_UP)


_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


@lru_cache(maxsize=65536)
def parse_date(text: str) -> date:
    """A date as ``1980-05-17``, ``17-05-1980``, ``17/05/1980`` or ``17.05.1980`` (a time after it is
    ignored: spreadsheets write dates as date-times)."""
    raw = str(text).strip().split("T")[0].split(" ")[0]
    try:
        if m := _YMD.fullmatch(raw):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.fullmatch(raw):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise ValueProblem("reconciliation_value_date")


_BSN_NOISE = re.compile(r"[\s.\-]")


def parse_bsn(text: str) -> str:
    """A BSN as nine digits (a spreadsheet drops leading zeros: they come back), or another national number of
    up to eleven digits as it is; empty stays empty."""
    if len(text) == 9 and text.isdigit():
        return text
    raw = _BSN_NOISE.sub("", str(text))
    if raw.endswith(".0"):
        raw = raw[:-2]
    if not raw:
        return ""
    if not raw.isdigit() or len(raw) > 11:  # a BSN, or a Belgian national register number (11 digits)
        raise ValueProblem("reconciliation_value_bsn")
    return raw.zfill(9)


@lru_cache(maxsize=1024)
def parse_status(text: str) -> str:
    """ACTIVE (insured, premium paying) or ENDED (exited, paid-up, retired, …)."""
    word = fold(text)
    if word in _ACTIVE_WORDS:
        return ACTIVE
    if word in _ENDED_WORDS:
        return ENDED
    raise ValueProblem("reconciliation_value_status")


def normal_number(text: str) -> str:
    """A participant or policy number as compared: trimmed, upper case, a spreadsheet's ``.0`` dropped."""
    raw = str(text).strip().upper()
    return raw[:-2] if raw.endswith(".0") and raw[:-2].isdigit() else raw


# ---------------------------------------------------------------------------------------------- records
class InsurerRecord(NamedTuple):
    """One line of the insurer's list, typed. ``line`` is its row number in the file (header = 1). (A named
    tuple: a hundred thousand of them are made per file.)"""

    line: int
    number: str
    bsn: str
    birth_date: date | None
    status: str
    salary: Decimal
    parttime: Decimal
    premium: Decimal
    name: str = ""


@dataclass(frozen=True)
class RowProblem:
    """A cell of the insurer's list that could not be read."""

    line: int
    column: str
    key: str


MAX_ROW_PROBLEMS = 50
_PARSERS = ((STATUS, parse_status), (SALARY, parse_money), (PARTTIME, parse_parttime), (PREMIUM, parse_money))


class RowsProblem(ValueError):
    """Rows that could not be read (the first ``MAX_ROW_PROBLEMS``; ``total`` counts them all)."""

    def __init__(self, problems: Sequence[RowProblem], total: int) -> None:
        super().__init__("reconciliation_rows")
        self.problems = tuple(problems)
        self.total = total


def parse_rows(rows: Sequence[Mapping[str, str]], columns: Mapping[str, str] | None = None) -> list[InsurerRecord]:
    """Insurer records from rows of text; ``columns`` (field → header) as ``recognise_columns`` found them
    (recognised from the first row's keys when not given). RowsProblem listing unreadable cells and repeated
    numbers; an empty row is skipped. Line numbers count the header as line 1."""
    if columns is None:
        columns = recognise_columns(rows[0].keys() if rows else ())
    get = {key: columns[key] for key in FIELDS if key in columns}
    pairs = tuple(get.items())
    out: list[InsurerRecord] = []
    problems: list[RowProblem] = []
    total = 0
    seen: set[str] = set()

    def problem(line: int, key: str, reason: str) -> None:
        nonlocal total
        total += 1
        if len(problems) < MAX_ROW_PROBLEMS:
            problems.append(RowProblem(line, get.get(key, key), reason))

    for index, row in enumerate(rows, start=2):
        cells = {key: (row.get(header) or "").strip() for key, header in pairs}
        if not any(cells.values()):
            continue
        number = normal_number(cells[NUMBER])
        try:
            bsn = parse_bsn(cells[BSN])
        except ValueProblem as err:
            problem(index, BSN, err.key)
            bsn = ""
        birth: date | None = None
        if cells[BIRTH_DATE]:
            try:
                birth = parse_date(cells[BIRTH_DATE])
            except ValueProblem as err:
                problem(index, BIRTH_DATE, err.key)
        if not number and not (bsn and birth):
            problem(index, NUMBER, "reconciliation_value_identity")
        elif number and number in seen:
            problem(index, NUMBER, "reconciliation_value_repeated")
        seen.add(number)
        values: dict[str, object] = {}
        for key, parse in _PARSERS:
            try:
                values[key] = parse(cells[key])
            except ValueProblem as err:
                problem(index, key, err.key)
        if len(values) == 4:
            out.append(
                InsurerRecord(
                    line=index,
                    number=number,
                    bsn=bsn,
                    birth_date=birth,
                    status=str(values[STATUS]),
                    salary=values[SALARY],  # type: ignore[arg-type]
                    parttime=values[PARTTIME],  # type: ignore[arg-type]
                    premium=values[PREMIUM],  # type: ignore[arg-type]
                    name=cells.get(NAME, "")[:120],
                )
            )
    if total:
        raise RowsProblem(problems, total)
    return out


class PortalRecord(NamedTuple):
    """A participation of the scheme as the portal has it on the reconciliation date."""

    participation_id: int
    person_id: int
    number: str
    policy_number: str
    bsn: str
    birth_date: date
    name: str
    active: bool
    salary: Decimal | None
    parttime: Decimal | None
    premium: Decimal | None


# -------------------------------------------------------------------------------------------- differences
INSURED_EXITED = "insured_exited"  # insured at the insurer, exited (not active) in the portal
INSURED_UNKNOWN = "insured_unknown"  # insured at the insurer, unknown in the portal
UNKNOWN_AT_INSURER = "unknown_at_insurer"  # active in the portal, unknown to the insurer
ENDED_AT_INSURER = "ended_at_insurer"  # active in the portal, ended at the insurer
SALARY_DIFF, PARTTIME_DIFF, PREMIUM_DIFF = "salary", "parttime", "premium"
KINDS: tuple[str, ...] = (
    INSURED_EXITED, INSURED_UNKNOWN, UNKNOWN_AT_INSURER, ENDED_AT_INSURER, SALARY_DIFF, PARTTIME_DIFF, PREMIUM_DIFF,
)  # fmt: skip
AMOUNT_KINDS = frozenset({SALARY_DIFF, PREMIUM_DIFF})


@dataclass(frozen=True)
class Tolerance:
    """Differences up to and including these are no difference: money in euros, part-time in points."""

    money: Decimal = Decimal("1.00")
    parttime: Decimal = Decimal("0.01")


def parse_tolerance(money: object, parttime: object) -> Tolerance:
    """Tolerances from untrusted input (empty: the defaults); ValueProblem for a negative or unreadable one."""
    default = Tolerance()
    out = []
    for raw, fallback, limit in ((money, default.money, Decimal(100000)), (parttime, default.parttime, Decimal(100))):
        text = "" if raw is None else str(raw)[:20].strip()
        if not text:
            out.append(fallback)
            continue
        value = parse_decimal(text)
        if value < 0 or value > limit:
            raise ValueProblem("reconciliation_tolerance")
        out.append(value)
    return Tolerance(out[0], out[1])


@dataclass(frozen=True)
class Difference:
    """One difference: its kind, who (the portal's participation when matched; the insurer's line when there is
    one), the portal's and the insurer's value and ``delta`` = insurer − portal (for figures)."""

    kind: str
    number: str
    name: str
    bsn: str
    birth_date: date | None
    participation_id: int | None = None
    person_id: int | None = None
    line: int | None = None
    portal_value: str = ""
    insurer_value: str = ""
    delta: Decimal | None = None


@dataclass(frozen=True)
class Totals:
    """Counts per kind, sums of ``delta`` per amount kind, and the yearly premium on both sides."""

    insurer_rows: int
    portal_rows: int
    matched: int
    counts: dict[str, int]
    deltas: dict[str, Decimal]
    insurer_premium: Decimal
    portal_premium: Decimal

    @property
    def differences(self) -> int:
        return sum(self.counts.values())


@dataclass
class Outcome:
    """What a reconciliation found."""

    differences: list[Difference] = field(default_factory=list)
    totals: Totals | None = None


def match(
    records: Sequence[InsurerRecord], portal: Sequence[PortalRecord]
) -> tuple[list[tuple[InsurerRecord, PortalRecord]], list[InsurerRecord], list[PortalRecord]]:
    """Pairs (insurer, portal) matched by participant or policy number, else by BSN + birth date; each portal
    participation at most once. Returns the pairs, the insurer records without one and the portal records
    without one."""
    by_number: dict[str, PortalRecord] = {}
    for p in portal:
        if p.policy_number:
            by_number.setdefault(normal_number(p.policy_number), p)
    for p in portal:  # the participant number wins over a policy number that happens to be the same
        by_number[normal_number(p.number)] = p
    by_person: dict[tuple[str, date], list[PortalRecord]] = {}
    for p in portal:
        by_person.setdefault((p.bsn, p.birth_date), []).append(p)
    taken: set[int] = set()
    pairs: list[tuple[InsurerRecord, PortalRecord]] = []
    loose: list[InsurerRecord] = []
    later: list[InsurerRecord] = []
    for r in records:  # numbers first, so a fallback never takes a participation that a number names
        hit = by_number.get(r.number) if r.number else None
        if hit is not None and hit.participation_id not in taken:
            taken.add(hit.participation_id)
            pairs.append((r, hit))
        else:
            later.append(r)
    for r in later:
        candidates = by_person.get((r.bsn, r.birth_date), []) if r.bsn and r.birth_date else []
        # several participations of one person in the scheme: the active one first
        free = sorted((p for p in candidates if p.participation_id not in taken), key=lambda p: not p.active)
        if free:
            taken.add(free[0].participation_id)
            pairs.append((r, free[0]))
        else:
            loose.append(r)
    rest = [p for p in portal if p.participation_id not in taken]
    return pairs, loose, rest


def beyond(portal: Decimal | None, insurer: Decimal, tolerance: Decimal) -> bool:
    """Whether two values differ by more than ``tolerance`` (a missing portal value always differs)."""
    return portal is None or abs(insurer - portal) > tolerance


def _text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def compare(
    records: Sequence[InsurerRecord], portal: Sequence[PortalRecord], tolerance: Tolerance = Tolerance()
) -> Outcome:
    """The differences between the insurer's records and the portal's participations, with totals."""
    pairs, loose, rest = match(records, portal)
    out: list[Difference] = []
    for r in loose:
        if r.status == ACTIVE:
            out.append(
                Difference(INSURED_UNKNOWN, r.number, r.name, r.bsn, r.birth_date, line=r.line, insurer_value=ACTIVE)
            )
    for p in rest:
        if p.active:
            out.append(
                Difference(
                    UNKNOWN_AT_INSURER, p.number, p.name, p.bsn, p.birth_date, p.participation_id, p.person_id,
                    portal_value=ACTIVE,
                )
            )  # fmt: skip
    money, points = tolerance.money, tolerance.parttime
    for r, p in pairs:
        insured = r.status == ACTIVE
        if insured == p.active:
            if not insured:
                continue  # ended on both sides: figures no longer matter
            found = [
                (kind, mine, theirs)
                for kind, mine, theirs, allowed in (
                    (SALARY_DIFF, p.salary, r.salary, money),
                    (PARTTIME_DIFF, p.parttime, r.parttime, points),
                    (PREMIUM_DIFF, p.premium, r.premium, money),
                )
                if beyond(mine, theirs, allowed)
            ]
            if not found:
                continue
        who = {
            "number": p.number, "name": p.name or r.name, "bsn": p.bsn, "birth_date": p.birth_date,
            "participation_id": p.participation_id, "person_id": p.person_id, "line": r.line,
        }  # fmt: skip
        if insured and not p.active:
            out.append(Difference(INSURED_EXITED, portal_value=ENDED, insurer_value=ACTIVE, **who))  # type: ignore[arg-type]
        elif p.active and not insured:
            out.append(Difference(ENDED_AT_INSURER, portal_value=ACTIVE, insurer_value=ENDED, **who))  # type: ignore[arg-type]
        else:
            for kind, mine, theirs in found:
                delta = theirs - mine if mine is not None else None
                out.append(Difference(kind, portal_value=_text(mine), insurer_value=str(theirs), delta=delta, **who))  # type: ignore[arg-type]
    out.sort(key=lambda d: (KINDS.index(d.kind), d.number))
    return Outcome(out, totals(out, records, portal, len(pairs)))


def totals(
    differences: Sequence[Difference], records: Sequence[InsurerRecord], portal: Sequence[PortalRecord], matched: int
) -> Totals:
    """Counts per kind (every kind, zero included), the summed ``delta`` of the amount kinds, and the yearly
    premium of the insured (active) people on each side."""
    counts = dict.fromkeys(KINDS, 0)
    deltas = {k: Decimal("0.00") for k in sorted(AMOUNT_KINDS)}
    for d in differences:
        counts[d.kind] += 1
        if d.kind in deltas and d.delta is not None:
            deltas[d.kind] += d.delta
    insurer_premium = sum((r.premium for r in records if r.status == ACTIVE), Decimal("0.00"))
    portal_premium = sum((p.premium or Decimal(0) for p in portal if p.active), Decimal("0.00"))
    return Totals(len(records), len(portal), matched, counts, deltas, insurer_premium, portal_premium)


def reconcile_rows(
    rows: Sequence[Mapping[str, str]], portal: Sequence[PortalRecord], tolerance: Tolerance = Tolerance()
) -> Outcome:
    """The entry point for rows of text (an uploaded file's, or an insurer adapter's ``fetch_records``):
    recognise the columns from the first row's keys, parse, match and compare. ColumnProblem / RowsProblem
    when the rows cannot be read."""
    columns = recognise_columns(rows[0].keys() if rows else ())
    return compare(parse_rows(rows, columns), portal, tolerance)


def cell_text(value: object) -> str:
    """A spreadsheet cell (text, int, float, date, datetime, bool, empty) as the text ``parse_rows`` reads:
    numbers without float noise, dates as ISO dates."""
    kind = type(value)
    if kind is str:
        return value.strip()  # type: ignore[attr-defined]
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)  # type: ignore[attr-defined]
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()
