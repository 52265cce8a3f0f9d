"""Fast, deterministic generation of employers and their participants (demo data and benchmarks).

Names and addresses come from small pools drawn once from seeded Fakers (Faker is far too slow to call
per person at 100,000); every other choice comes from one seeded RNG, so the same seed on the same
database state gives the same rows. Rows are written with bulk inserts (COPY on PostgreSQL, the driver's
executemany on SQLite) into id ranges reserved up front, by a writer thread that runs while the next
chunk is being generated.
"""

from __future__ import annotations

import math
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
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from portal.core import clock
from portal.core.sql import bulk_insert, reserve_ids
from portal.domain.identifiers import initials_of, make_bsn
from portal.models import (
    Contract,
    Employer,
    Employment,
    EmploymentVersion,
    Insurer,
    IntermediaryOffice,
    Participation,
    Person,
    PremiumBand,
    Relation,
    Scheme,
    SchemeYear,
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


# --------------------------------------------------------------------------------------------- employer
@dataclass(frozen=True)
class EmployerSetup:
    """Ids and settings of a created employer that participant generation needs."""

    employer_id: int
    op_scheme_id: int
    np_scheme_id: int
    contract_start: date
    domain: str
    policy_prefix: str


def get_insurer(db: Session, code: str) -> Insurer:
    """The insurer with ``code``, created when missing."""
    insurer = db.exec(sm_select(Insurer).where(Insurer.code == code)).first()
    if insurer is None:
        insurer = Insurer(code=code, name=_INSURER_NAMES.get(code, code))
        db.add(insurer)
        db.flush()
    return insurer


def _add_scheme_years(
    db: Session, scheme_id: int, bands: Sequence[tuple[int, int, str]], *, flat: bool, accrual: Decimal | None
) -> None:
    for year, (max_salary, franchise) in SCHEME_YEARS.items():
        scheme_year = SchemeYear(
            scheme_id=scheme_id,
            year=year,
            max_salary=max_salary,
            franchise=franchise,
            flat_percentage=FLAT_PERCENTAGES[year] if flat else None,
            accrual_percentage=accrual,
        )
        db.add(scheme_year)
        db.flush()
        for age_from, age_to, pct in bands:
            band = PremiumBand(scheme_year_id=scheme_year.id, age_from=age_from, age_to=age_to, percentage=Decimal(pct))
            db.add(band)


def create_employer(
    db: Session,
    rng: Rng,
    *,
    name: str,
    insurer_code: str,
    office_id: int | None,
    group_id: int | None,
    contract_start: date,
    flat: bool,
    address: tuple[str, str, str, str],
    contact: tuple[str, str, str],
    kvk: str | None = None,
    domain: str | None = None,
) -> EmployerSetup:
    """Create an employer with a contract and two schemes (OP on age bands, NP), parameters 2024–2026.

    ``flat``: the OP scheme also has a flat premium percentage (new pension law) for participants whose
    premium mode is ``flat``. ``address`` is (street, number, postcode, city); ``contact`` is
    (name, e-mail, phone).
    """
    insurer = get_insurer(db, insurer_code)
    domain = domain or f"{_slug(name)}.example"
    employer = Employer(
        name=name,
        kvk_number=kvk or str(rng.between(10_000_000, 99_999_999)),
        office_id=office_id,
        group_id=group_id,
        postal_street=address[0],
        postal_house_number=address[1],
        postal_code=address[2],
        postal_city=address[3],
        postal_country="NL",
        contact_name=contact[0],
        contact_email=contact[1] or f"hr@{domain}",
        contact_phone=contact[2],
        created_at=clock.now(),
    )
    db.add(employer)
    db.flush()  # on SQLite this takes the write lock that reserve_ids relies on
    assert employer.id is not None
    # Scheme numbers differ within a contract (unique constraint): OP 01, NP 02. For a.s.r. the OP scheme
    # number is the last two digits of the contract number.
    if insurer_code == "asr":
        number, policy_prefix = f"1{employer.id:04d}01", "R"
    else:
        number, policy_prefix = f"88{employer.id:06d}", "AZ"
    contract = Contract(employer_id=employer.id, insurer_id=insurer.id, number=number, start_date=contract_start)
    db.add(contract)
    db.flush()
    op = Scheme(
        contract_id=contract.id,
        employer_id=employer.id,
        kind="OP",
        number="01",
        name="Ouderdomspensioen (beschikbare premie)",
    )
    np_ = Scheme(contract_id=contract.id, employer_id=employer.id, kind="NP", number="02", name="Nabestaandenpensioen")
    db.add_all([op, np_])
    db.flush()
    assert op.id is not None and np_.id is not None
    _add_scheme_years(db, op.id, OP_BANDS, flat=flat, accrual=None)
    _add_scheme_years(db, np_.id, NP_BANDS, flat=False, accrual=NP_ACCRUAL)
    db.flush()
    return EmployerSetup(employer.id, op.id, np_.id, contract_start, domain, f"{policy_prefix}{employer.id:04d}")


# ----------------------------------------------------------------------------------------------- people
@dataclass
class Script:
    """A scripted participant in place of a random one (e.g. the demo employee and their old job)."""

    # all person columns except id/created_at/employer_id (a random BSN unless "bsn" is given); the person
    # record is this employer's own, also for someone with a record at another employer (same "bsn")
    person: dict[str, Any] | None = None
    start_date: date = date(2020, 1, 1)
    end_date: date | None = None
    status: str = "active"
    versions: list[tuple[date, str, str]] = field(default_factory=list)  # (valid_from, salary, part-time %)
    partner: tuple[str, date] | None = None  # (partner type, relation start date)
    children: int = 0


class _PersonFactory:
    """Person, relation and e-mail values built from the pools with one RNG; keeps BSNs unique."""

    def __init__(self, rng: Rng, pools: Pools, existing_bsns: set[str]) -> None:
        self.rng = rng
        self.pools = pools
        self.existing = existing_bsns
        self.overflow = _OVERFLOW_BSN_BASE
        self.business_emails: set[str] = set()

    def bsn_for(self, person_id: int) -> str:
        """make_bsn(person id), or the next free overflow number when that one is taken already."""
        value = make_bsn(person_id)
        while value in self.existing:
            value = make_bsn(self.overflow)
            self.overflow += 1
        self.existing.add(value)
        return value

    def name(self, gender: str, country: str) -> tuple[str, str, str]:
        """(first names, prefix, last name) for someone from ``country`` (NL pools for other countries)."""
        rng, pools = self.rng, self.pools
        if country in pools.foreign:
            src = pools.foreign[country]
            prefix, last = rng.pick(src["last"])
            return rng.pick(src["first_f"] if gender == "F" else src["first_m"]), prefix, last
        own = pools.first_f if gender == "F" else pools.first_m
        if rng.random() < 0.06:
            first = rng.pick(_ACCENTED_FIRST_F if gender == "F" else _ACCENTED_FIRST_M)
        else:
            first = rng.pick(own)
        if rng.random() < 0.15:
            first = f"{first} {rng.pick(own)}"
        prefix, last = rng.pick(_ACCENTED_LAST) if rng.random() < 0.05 else rng.pick(pools.last)
        return first, prefix, last

    def business_email(self, first: str, prefix: str, last: str, domain: str, seq: int) -> str:
        local = f"{ascii_part(first.split()[0])}.{ascii_part(prefix)}{ascii_part(last)}"
        email = f"{local}@{domain}"
        if email in self.business_emails:
            email = f"{local}{seq}@{domain}"
        self.business_emails.add(email)
        return email

    def private_email(self, first: str, prefix: str, last: str) -> str:
        rng = self.rng
        local = f"{ascii_part(first.split()[0])}{rng.pick(('.', '_', ''))}{ascii_part(prefix)}{ascii_part(last)}"
        if rng.random() < 0.5:
            local += str(rng.between(1, 99))
        return f"{local}@{rng.pick(_PRIVATE_DOMAINS)}"

    def address(self, country: str) -> dict[str, str]:
        """Address columns; a foreign address also gets its country and the free-form lines."""
        rng = self.rng
        number = str(rng.between(1, 240))
        if rng.random() < 0.08:
            number += rng.pick(("A", "B", "-1", " bis", "-II"))
        if country in self.pools.foreign:
            street, postcode, city = rng.pick(self.pools.foreign[country]["addresses"])
            lines = f"{street} {number}\n{postcode} {city}"
        else:
            street, postcode, city = rng.pick(self.pools.nl_addresses)
            lines = ""
        return {
            "street": street,
            "house_number": number,
            "postcode": postcode,
            "city": city,
            "country": country,
            "foreign_address": lines,
        }

    def person(self, person_id: int, birth: date, domain: str, seq: int, created: datetime) -> dict[str, Any]:
        """A random person row: mostly Dutch, some Belgian and German residents, a few other nationalities."""
        rng = self.rng
        r = rng.random()
        gender = "M" if r < 0.49 else "F" if r < 0.98 else "X"
        r = rng.random()
        if r < 0.90:
            nationality = country = "NL"
        elif r < 0.94:
            nationality = country = "BE"
        elif r < 0.97:
            nationality = country = "DE"
        else:
            nationality, country = rng.pick(_OTHER_NATIONALITIES), "NL"
        first, prefix, last = self.name(gender if gender != "X" else rng.pick("MF"), country)
        with_business = rng.random() < 0.92
        with_private = rng.random() < 0.75
        return {
            "id": person_id,
            "bsn": self.bsn_for(person_id),
            "initials": initials_of(first),
            "first_name": first,
            "name_prefix": prefix,
            "last_name": last,
            "birth_date": birth,
            "gender": gender,
            "nationality": nationality,
            "business_email": self.business_email(first, prefix, last, domain, seq) if with_business else "",
            "private_email": self.private_email(first, prefix, last) if with_private else "",
            "language": "en" if country != "NL" and rng.random() < 0.5 else "nl",
            "created_at": created,
            **self.address(country),
        }

    def _recorded(self, day: date) -> datetime:
        """When a relation became known: a few days after ``day``, not after the reference date."""
        return _stamp(min(day + timedelta(days=self.rng.between(1, 30)), REFERENCE_DATE), self.rng)

    def relations(
        self,
        person: dict[str, Any],
        partner: tuple[str, date] | None,
        children: int,
        known_from: date,
    ) -> list[dict[str, Any]]:
        """Partner and children rows of ``person``, with BSNs from the person's relation counters."""
        rng = self.rng
        person_id, birth = person["id"], person["birth_date"]
        rows: list[dict[str, Any]] = []
        if partner is not None:
            gender = ("F" if person["gender"] == "M" else "M") if rng.random() < 0.93 else person["gender"]
            first, prefix, last = self.name(gender if gender in "MF" else "F", "NL")
            rows.append(
                {
                    "person_id": person_id,
                    "kind": "partner",
                    "partner_type": partner[0],
                    "bsn": make_bsn(_REL_BSN_BASE + 8 * person_id),
                    "initials": initials_of(first),
                    "first_name": first,
                    "name_prefix": prefix,
                    "last_name": last,
                    "birth_date": _add_years(birth, rng.between(-5, 5)) - timedelta(days=rng.between(0, 300)),
                    "gender": gender,
                    "start_date": partner[1],
                    "end_date": None,
                    "recorded_at": self._recorded(max(partner[1], known_from)),
                }
            )
        for k in range(1, min(children, 7) + 1):
            gender = rng.pick("MF")
            born = _random_date(rng, _add_years(birth, 24), min(_add_years(birth, 45), REFERENCE_DATE))
            first = rng.pick(self.pools.first_f if gender == "F" else self.pools.first_m)
            rows.append(
                {
                    "person_id": person_id,
                    "kind": "child",
                    "partner_type": "",
                    "bsn": make_bsn(_REL_BSN_BASE + 8 * person_id + k),
                    "initials": initials_of(first),
                    "first_name": first,
                    "name_prefix": person["name_prefix"],
                    "last_name": person["last_name"],
                    "birth_date": born,
                    "gender": gender,
                    "start_date": born,
                    "end_date": None,
                    "recorded_at": self._recorded(max(born, known_from)),
                }
            )
        return rows


def _salary_for(rng: Rng, age: int) -> Decimal:
    """A plausible full-time yearly salary for ``age`` (log-normal spread; a few above the maximum)."""
    base = 27_500 + 1_150 * max(0, min(age, 55) - 20)
    value = max(28_000.0, base * math.exp(rng.gauss(0.0, 0.28)))
    return Decimal(f"{value:.2f}")


class _ParticipantGenerator:
    """Builds the rows of one employer's participants, one participant at a time."""

    def __init__(self, setup: EmployerSetup, rng: Rng, fac: _PersonFactory, flat_share: float) -> None:
        self.setup = setup
        self.rng = rng
        self.fac = fac
        self.flat_share = flat_share
        self.created = clock.now()

    def random_status(self) -> str:
        r = self.rng.random()
        return "active" if r < 0.85 else "dormant" if r < 0.94 else "terminated" if r < 0.97 else "retired"

    def random_life(self, status: str) -> tuple[date, date, date | None]:
        """(birth date, employment start, employment end) fitting ``status``, as of the reference date."""
        rng, ref = self.rng, REFERENCE_DATE
        if status == "retired":  # retired on the first of the month after turning 67, in the last 7 years
            retire = date(rng.between(ref.year - 7, ref.year - 1), rng.between(1, 12), 1)
            birth = date(retire.year - 67, retire.month, 1) - timedelta(days=rng.between(1, 28))
        else:
            age = max(18, min(66, round(rng.gauss(42, 11.5))))
            birth = _add_years(ref, -age) - timedelta(days=rng.between(0, 364))
        earliest = max(_add_years(birth, 18), date(1988, 1, 1))
        end: date | None = None
        if status == "retired":
            end = _first_of_next_month(_add_years(birth, 67))
            latest = _add_years(end, -3)
        elif status == "active":
            latest = ref - timedelta(days=20)
        else:
            latest = ref - timedelta(days=240)
        span = max(0, (latest - earliest).days)
        start = latest - timedelta(days=int(span * rng.random() ** 1.6))  # more recent hires than old ones
        if rng.random() < 0.7 and start.day > 1:
            start = min(_first_of_next_month(start), latest)
        if status in ("dormant", "terminated"):
            end = _random_date(rng, start + timedelta(days=180), ref - timedelta(days=30))
        return birth, start, end

    def random_family(self, birth: date) -> tuple[tuple[str, date] | None, int]:
        rng, ref = self.rng, REFERENCE_DATE
        age = (ref - birth).days // 365
        partner = None
        if age >= 23 and rng.random() < 0.55:
            partner = (
                rng.weighted(_PARTNER_TYPES),
                _random_date(rng, _add_years(birth, 21), ref - timedelta(days=60)),
            )
        children = rng.pick((0, 0, 0, 1, 1, 2, 2, 3)) if age >= 26 else 0
        return partner, children

    def random_steps(self, birth: date, start: date, end: date | None) -> list[tuple[date, Decimal, Decimal]]:
        """Salary and part-time history: one version, or two (a raise on 1 January 2026 or a part-time
        change on 1 July 2025)."""
        rng = self.rng
        salary = _salary_for(rng, ((end or REFERENCE_DATE) - birth).days // 365)
        parttime = Decimal(rng.weighted(_PARTTIME))
        change = date(2026, 1, 1) if rng.random() < 0.7 else date(2025, 7, 1)
        if not (start < change and (end is None or change < end) and rng.random() < 0.55):
            return [(start, salary, parttime)]
        if change.month == 1:  # collective raise of 3.5 %
            return [
                (start, (salary / Decimal("1.035")).quantize(Decimal("0.01")), parttime),
                (change, salary, parttime),
            ]
        before = Decimal("80.000") if parttime == Decimal("100.000") else Decimal("100.000")
        return [(start, salary, before), (change, salary, parttime)]

    def add(self, rows: _Rows, seq: int, person_id: int, employment_id: int, script: Script | None) -> None:
        """Append participant ``seq`` (this employer's person record, relations, employment, versions,
        participations)."""
        rng, setup = self.rng, self.setup
        if script is None:
            status = self.random_status()
            birth, start, end = self.random_life(status)
            steps = self.random_steps(birth, start, end)
        else:
            status, start, end = script.status, script.start_date, script.end_date
            steps = [(d, Decimal(s), Decimal(p)) for d, s, p in script.versions]
        if script is None:
            person = self.fac.person(person_id, birth, setup.domain, seq, self.created)
            partner, children = self.random_family(birth)
        else:
            assert script.person is not None
            person = {**script.person, "id": person_id, "created_at": self.created}
            if "bsn" in person:
                self.fac.existing.add(person["bsn"])
            else:
                person["bsn"] = self.fac.bsn_for(person_id)
            partner, children = script.partner, script.children
        person["employer_id"] = setup.employer_id
        rows.persons.append(person)
        if partner is not None or children:
            rows.relations.extend(self.fac.relations(person, partner, children, start))
        rows.employments.append(
            {
                "id": employment_id,
                "person_id": person_id,
                "employer_id": setup.employer_id,
                "start_date": start,
                "end_date": end,
            }
        )
        for i, (valid_from, salary, parttime) in enumerate(steps):
            rows.versions.append(
                {
                    "employment_id": employment_id,
                    "valid_from": valid_from,
                    "valid_to": steps[i + 1][0] if i + 1 < len(steps) else None,
                    "recorded_at": _stamp(valid_from - timedelta(days=rng.between(2, 25)), rng),
                    "superseded_at": None,
                    "salary": salary,
                    "parttime_pct": parttime,
                }
            )
        # Retirement pension (OP) for everyone; partner pension (NP) for most (some declined it).
        p_start = min(max(start, setup.contract_start), end or date.max)
        base = {
            "person_id": person_id,
            "employment_id": employment_id,
            "employer_id": setup.employer_id,
            "participant_number": str(100_000 + seq),
            "policy_number": f"{setup.policy_prefix}{seq:06d}",
            "status": status,
            "start_date": p_start,
            "end_date": end,
            "version": 1,
        }
        flat = self.flat_share and status == "active" and rng.random() < self.flat_share
        rows.participations.append(
            {**base, "scheme_id": setup.op_scheme_id, "premium_mode": "flat" if flat else "staffel"}
        )
        if script is not None or rng.random() < 0.95:
            rows.participations.append({**base, "scheme_id": setup.np_scheme_id, "premium_mode": "staffel"})


def existing_bsns(db: Session) -> set[str]:
    """Every person BSN in the database (generated numbers must not collide with them)."""
    return set(db.exec(sm_select(Person.bsn)).all())


def generate_participants(
    db: Session,
    setup: EmployerSetup,
    n: int,
    rng: Rng,
    pools: Pools,
    taken_bsns: set[str],
    *,
    flat_share: float = 0.0,
    scripts: dict[int, Script] | None = None,
) -> dict[int, int]:
    """Bulk-insert ``n`` participants of one employer in ``db``'s transaction; returns {seq: person_id}.

    ``scripts`` replaces the random participant at a sequence number (1-based) by a scripted one.
    ``taken_bsns`` is updated with the BSNs handed out.
    """
    scripts = scripts or {}
    conn = db.connection()
    person_ids = iter(reserve_ids(conn, Person.__table__, n))  # type: ignore[arg-type]
    employment_ids = iter(reserve_ids(conn, Employment.__table__, n))  # type: ignore[arg-type]
    gen = _ParticipantGenerator(setup, rng, _PersonFactory(rng, pools, taken_bsns), flat_share)
    seq_to_person: dict[int, int] = {}
    rows = _Rows()
    writer = _Writer(conn)
    try:
        for seq in range(1, n + 1):
            person_id = next(person_ids)
            seq_to_person[seq] = person_id
            gen.add(rows, seq, person_id, next(employment_ids), scripts.get(seq))
            if seq % CHUNK == 0:
                writer.submit(rows)
                rows = _Rows()
        writer.submit(rows)
    finally:
        writer.close()
    return seq_to_person


def generate_employer(db: Session, n: int, name: str | None = None, seed: int = 1) -> int:
    """Create an employer with ``n`` participants (a.s.r. contract, OP + NP schemes) in bulk; commit.

    For benchmarks and load tests: 100,000 participants take about 25 s on SQLite, with the overview's
    list rows (``participant_list.refresh_all``). The employer joins the first
    intermediary office when there is one. Returns the employer id.
    """
    rng = Rng(seed)
    pools = build_pools(seed)
    office = db.exec(sm_select(IntermediaryOffice).order_by(col(IntermediaryOffice.id))).first()
    street, postcode, city = rng.pick(pools.nl_addresses)
    setup = create_employer(
        db,
        rng,
        name=name or rng.pick(pools.companies),
        insurer_code="asr",
        office_id=office.id if office else None,
        group_id=None,
        contract_start=date(2020, 1, 1),
        flat=True,
        address=(street, str(rng.between(1, 300)), postcode, city),
        contact=("", "", f"0{rng.between(10, 79)}-{rng.between(1_000_000, 9_999_999)}"),
    )
    generate_participants(db, setup, n, rng, pools, existing_bsns(db), flat_share=0.1)
    from portal.services.participants.read_table import refresh_all

    refresh_all(db, setup.employer_id)
    db.commit()
    return setup.employer_id
