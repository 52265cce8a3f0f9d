"""The building blocks of generated data: the reference date and figures, a seeded random source, name and
address pools, and a writer that inserts rows in bulk."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import deque
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from faker import Faker
from sqlalchemy import Table
from sqlalchemy.engine import Connection

from portal.core.sql import bulk_insert
from portal.models import (
    Employment,
    EmploymentVersion,
    Participation,
    Person,
    Relation,
)

REFERENCE_DATE = date(2026, 11, 1)  # generated data describes the world as of this date (never the clock)
CHUNK = 5_000  # participants per generated chunk, and rows per insert batch

# Yearly scheme parameters (MUT-7): maximum pensionable salary and franchise.
SCHEME_YEARS: dict[int, tuple[Decimal, Decimal]] = {
    2024: (Decimal("128810.00"), Decimal("17545.00")),
    2025: (Decimal("137800.00"), Decimal("18475.00")),
    2026: (Decimal("137800.00"), Decimal("18945.00")),
}
# Age-band (staffel) premium percentages of the pensionable salary: retirement pension (OP) ...
OP_BANDS: tuple[tuple[int, int, str], ...] = (
    (15, 19, "3.600"),
    (20, 24, "4.400"),
    (25, 29, "5.300"),
    (30, 34, "6.500"),
    (35, 39, "7.900"),
    (40, 44, "9.600"),
    (45, 49, "11.700"),
    (50, 54, "14.400"),
    (55, 59, "17.900"),
    (60, 64, "22.500"),
    (65, 67, "26.600"),
)
# ... and the risk premium of the partner pension (NP).
NP_BANDS: tuple[tuple[int, int, str], ...] = (
    (15, 19, "0.150"),
    (20, 24, "0.200"),
    (25, 29, "0.300"),
    (30, 34, "0.450"),
    (35, 39, "0.650"),
    (40, 44, "0.900"),
    (45, 49, "1.250"),
    (50, 54, "1.700"),
    (55, 59, "2.300"),
    (60, 64, "3.000"),
    (65, 67, "3.600"),
)
NP_ACCRUAL = Decimal("1.225")  # partner pension per year of service, % of the pensionable salary
FLAT_PERCENTAGES = {2024: Decimal("22.500"), 2025: Decimal("23.500"), 2026: Decimal("24.500")}  # <= 30 %

# BSN counters for make_bsn: a person gets make_bsn(person id); relation k of person p gets
# make_bsn(40M + 8p + k); when a person's number is already taken, numbers from 76M upwards are used.
_REL_BSN_BASE = 40_000_000
_OVERFLOW_BSN_BASE = 76_000_000

_PREFIXES = (
    "van der",
    "van den",
    "van de",
    "in 't",
    "van 't",
    "op de",
    "ter",
    "ten",
    "te",
    "van",
    "de",
    "den",
)
_ACCENTED_LAST = (
    ("", "Çelik"),
    ("", "Özdemir"),
    ("", "Müller"),
    ("", "Lefèvre"),
    ("", "Pérez"),
    ("", "Brüggemann"),
    ("", "Kocabaş"),
    ("", "Hüsken"),
    ("de", "Boër"),
    ("", "Ünal"),
    ("ter", "Assob"),
    ("van der", "Weiß"),
)
_ACCENTED_FIRST_F = ("Zoë", "Chloë", "Renée", "Hélène", "Joëlle", "Çağla", "Mariëlle", "Inès")
_ACCENTED_FIRST_M = ("André", "Noël", "Sébastien", "Ömer", "José", "Raphaël", "Loïc", "Jérôme")
_PRIVATE_DOMAINS = ("ziggo.example", "kpnmail.example", "gmail.example", "outlook.example", "hotmail.example")
_OTHER_NATIONALITIES = ("PL", "TR", "MA", "DE", "BE", "ES", "IT", "PT", "GB", "SR")
_PARTTIME = (
    ("100.000", 58),
    ("80.000", 12),
    ("90.000", 5),
    ("62.500", 5),
    ("50.000", 6),
    ("60.000", 4),
    ("75.000", 4),
    ("88.889", 2),
    ("40.000", 2),
    ("55.556", 2),
)
_PARTNER_TYPES = (("married", 55), ("registered", 15), ("cohabiting", 30))
_INSURER_NAMES = {
    "asr": "a.s.r. Levensverzekering N.V.",
    "allianz": "Allianz Nederland Levensverzekering N.V.",
}
# Contact data shown to employers (EMP-1): phone, e-mail, website. Invented for the demo (example.* addresses).
_INSURER_CONTACTS = {
    "asr": ("030-0000001", "werkgevers@asr.example", "https://www.asr.example"),
    "allianz": ("088-0000002", "werkgevers@allianz.example", "https://www.allianz.example"),
}


class Rng(random.Random):
    """``random.Random`` with cheaper picks: the generator calls these millions of times."""

    def pick(self, seq: Sequence[Any]) -> Any:
        """A uniformly chosen element of ``seq`` (like ``choice``, without rejection sampling)."""
        return seq[int(self.random() * len(seq))]

    def between(self, low: int, high: int) -> int:
        """A uniformly chosen integer in ``low..high`` inclusive (like ``randint``)."""
        return low + int(self.random() * (high - low + 1))

    def weighted(self, options: Sequence[tuple[str, int]]) -> str:
        """One of ``(value, weight)`` options, chosen by weight."""
        return self.choices([o for o, _ in options], weights=[w for _, w in options])[0]


# ----------------------------------------------------------------------------------------- small helpers


def _stamp(day: date, rng: Rng) -> datetime:
    """A recording moment on ``day`` during office hours, UTC."""
    return datetime.combine(day, time(7, 0), tzinfo=UTC) + timedelta(minutes=rng.between(0, 600))


@lru_cache(maxsize=8192)
def ascii_part(value: str) -> str:
    """Lower-case ASCII letters and digits for e-mail addresses: 'Çelik-Boër' -> 'celikboer'."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _slug(value: str) -> str:
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"\b(b\.?v\.?|n\.?v\.?|en|&)(?=\s|$)", " ", folded)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:40] or "werkgever"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _first_of_next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _random_date(rng: Rng, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.between(0, (end - start).days))


def _nl_postcode(value: str) -> str:
    """Dutch postcode in the usual written form: '2644TN' -> '2644 TN'."""
    compact = value.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else value


def _split_prefix(name: str) -> tuple[str, str]:
    """Split a surname into prefix (tussenvoegsel) and last name: 'van der Ploeg' -> ('van der', 'Ploeg')."""
    lower = name.lower()
    for prefix in _PREFIXES:
        if lower.startswith(prefix + " ") and len(name) > len(prefix) + 1:
            return prefix, name[len(prefix) + 1 :]
    return "", name


def _unique(values: Iterable[str], limit: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
            if len(out) >= limit:
                break
    return out


# ----------------------------------------------------------------------------------------------- pools
@dataclass
class Pools:
    """Small pools of names and addresses drawn once from Faker; combined by the RNG per person."""

    first_m: list[str]
    first_f: list[str]
    last: list[tuple[str, str]]  # (prefix, last name)
    nl_addresses: list[tuple[str, str, str]]  # (street, postcode, city)
    foreign: dict[str, dict[str, list[Any]]]  # per country (BE, DE): first_m, first_f, last, addresses
    companies: list[str]


def build_pools(seed: int) -> Pools:
    """Draw the pools from seeded Fakers (a few thousand calls, a fraction of a second)."""
    nl = Faker("nl_NL")
    nl.seed_instance(seed)
    first_m = _unique((nl.first_name_male() for _ in range(600)), 160)
    first_f = _unique((nl.first_name_female() for _ in range(600)), 160)
    last = [_split_prefix(n) for n in _unique((nl.last_name() for _ in range(1500)), 450)]
    nl_addresses = [(nl.street_name(), _nl_postcode(nl.postcode()), nl.city()) for _ in range(400)]
    companies = _unique((nl.company() for _ in range(200)), 60)
    foreign: dict[str, dict[str, list[Any]]] = {}
    for country, locale in (("BE", "nl_BE"), ("DE", "de_DE")):
        fk = Faker(locale)
        fk.seed_instance(seed)
        foreign[country] = {
            "first_m": _unique((fk.first_name_male() for _ in range(200)), 40),
            "first_f": _unique((fk.first_name_female() for _ in range(200)), 40),
            "last": [_split_prefix(n) for n in _unique((fk.last_name() for _ in range(300)), 60)],
            "addresses": [(fk.street_name(), fk.postcode(), fk.city()) for _ in range(60)],
        }
    return Pools(first_m, first_f, last, nl_addresses, foreign, companies)


# ------------------------------------------------------------------------------------------ bulk writes


@dataclass
class _Rows:
    """One chunk of generated rows, per table, in foreign-key order."""

    persons: list[dict[str, Any]] = field(default_factory=list)
    employments: list[dict[str, Any]] = field(default_factory=list)
    versions: list[dict[str, Any]] = field(default_factory=list)
    participations: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> list[tuple[Table, list[dict[str, Any]]]]:
        return [
            (Person.__table__, self.persons),  # type: ignore[list-item]
            (Employment.__table__, self.employments),  # type: ignore[list-item]
            (EmploymentVersion.__table__, self.versions),  # type: ignore[list-item]
            (Participation.__table__, self.participations),  # type: ignore[list-item]
            (Relation.__table__, self.relations),  # type: ignore[list-item]
        ]


class _Writer:
    """Writes chunks in a background thread while the next chunk is being generated.

    The database does its share (index and foreign-key maintenance) while Python builds rows. Only this
    thread touches the connection until ``close``, which waits for it and re-raises the first failure,
    so the caller's transaction either holds every row or fails.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="portal-bulk-writer")
        self.pending: deque[Future[None]] = deque()

    def _write(self, rows: _Rows) -> None:
        for table, data in rows.tables():
            bulk_insert(self.conn, table, data)

    def submit(self, rows: _Rows) -> None:
        while len(self.pending) >= 2:  # bound memory: at most two chunks in flight
            self.pending.popleft().result()
        self.pending.append(self.pool.submit(self._write, rows))

    def close(self) -> None:
        try:
            while self.pending:
                self.pending.popleft().result()
        finally:
            for future in self.pending:
                future.cancel()
            self.pool.shutdown(wait=True)


@dataclass(frozen=True)
class EmployerSetup:
    """Ids and settings of a created employer that participant generation needs."""

    employer_id: int
    op_scheme_id: int
    np_scheme_id: int
    contract_start: date
    domain: str
    policy_prefix: str
