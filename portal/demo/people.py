"""Generated people: a participant with a plausible life (age, salary, part-time, address, partner and
children, history of changes), written in chunks with known ids."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from portal.core import clock
from portal.demo.basics import (
    _ACCENTED_FIRST_F,
    _ACCENTED_FIRST_M,
    _ACCENTED_LAST,
    _OTHER_NATIONALITIES,
    _OVERFLOW_BSN_BASE,
    _PARTNER_TYPES,
    _PARTTIME,
    _PRIVATE_DOMAINS,
    _REL_BSN_BASE,
    REFERENCE_DATE,
    EmployerSetup,
    Pools,
    Rng,
    _add_years,
    _first_of_next_month,
    _random_date,
    _Rows,
    _stamp,
    ascii_part,
)
from portal.domain.identifiers import initials_of, make_bsn


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
