"""Demo data (SPEC "Demo data and accounts"): deterministic, complete, valid; demo accounts and roles."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core import clock, totp_secrets
from portal.core.config import get_settings
from portal.core.db import get_engine
from portal.demo import seed as demo
from portal.domain import tasks as task_rules
from portal.domain.identifiers import is_valid_bsn
from portal.domain.roles import FrontEnd
from portal.models import (
    CompanyGroup,
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
    RoleGrant,
    Scheme,
    SchemeYear,
    Task,
    TaskComment,
    UserAccount,
)
from portal.services import couplings
from portal.services.principal import Principal
from tests.conftest import _wipe


@dataclass
class Seeded:
    db: Session
    counts: dict[str, int]
    digests: tuple[str, str]


def _digest(db: Session) -> str:
    """A fingerprint of the generated people: numbers, BSNs, names, dates, salaries, relations."""
    h = hashlib.sha256()
    rows = db.exec(
        select(
            Participation.employer_id,
            Participation.scheme_id,
            Participation.participant_number,
            Participation.policy_number,
            Participation.status,
            Participation.premium_mode,
            Participation.start_date,
            Participation.end_date,
            Person.bsn,
            Person.last_name,
            Person.name_prefix,
            Person.birth_date,
            Person.business_email,
        )
        .join(Person, col(Person.id) == Participation.person_id)
        .order_by(col(Participation.id))
    ).all()
    versions = db.exec(
        select(
            EmploymentVersion.employment_id,
            EmploymentVersion.valid_from,
            EmploymentVersion.salary,
            EmploymentVersion.parttime_pct,
        ).order_by(col(EmploymentVersion.id))
    ).all()
    relations = db.exec(
        select(Relation.person_id, Relation.kind, Relation.bsn, Relation.start_date).order_by(col(Relation.id))
    ).all()
    for row in (*rows, *versions, *relations):
        h.update(repr(tuple(row)).encode())
    return h.hexdigest()


@pytest.fixture(scope="module")
def seeded(database: str) -> Iterator[Seeded]:
    """The demo data, loaded twice on wiped databases (to compare), left in place for this module."""
    _wipe()
    digests = []
    counts: dict[str, int] = {}
    for _ in range(2):
        _wipe()
        with Session(get_engine(), expire_on_commit=False) as session:
            assert demo.database_is_empty(session)
            counts = demo.seed_demo(session)
            digests.append(_digest(session))
    with Session(get_engine(), expire_on_commit=False) as session:
        yield Seeded(session, counts, (digests[0], digests[1]))
    _wipe()


def _employer(db: Session, name: str) -> Employer:
    return db.exec(select(Employer).where(Employer.name == name)).one()


def _participants(db: Session, employer_id: int) -> int:
    """Persons with a retirement-pension (OP) participation at the employer."""
    return db.exec(
        select(func.count(func.distinct(Participation.person_id)))
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .where(Participation.employer_id == employer_id, Scheme.kind == "OP")
    ).one()


def test_seed_is_deterministic(seeded: Seeded) -> None:
    assert seeded.digests[0] == seeded.digests[1]


def test_database_is_no_longer_empty(seeded: Seeded) -> None:
    assert not demo.database_is_empty(seeded.db)


def test_counts_and_organisations(seeded: Seeded) -> None:
    db = seeded.db
    assert seeded.counts["offices"] == 2 and seeded.counts["insurers"] == 2 and seeded.counts["employers"] == 4
    assert {i.code for i in db.exec(select(Insurer)).all()} == {"asr", "allianz"}
    office = db.exec(select(IntermediaryOffice).where(IntermediaryOffice.name == demo.OFFICE_NAME)).one()
    other_office = db.exec(select(IntermediaryOffice).where(IntermediaryOffice.name == demo.OTHER_OFFICE_NAME)).one()
    other = _employer(db, demo.OTHER_EMPLOYER_NAME)
    assert other.office_id == other_office.id != office.id and other.group_id is None
    assert _participants(db, other.id) == 30
    small, mid, large = (_employer(db, n) for n in (demo.SMALL_NAME, demo.DEMO_EMPLOYER_NAME, demo.LARGE_NAME))
    assert (_participants(db, small.id), _participants(db, mid.id), _participants(db, large.id)) == (
        25,
        400,
        5000,
    )
    for employer in (small, mid, large):
        assert employer.office_id == office.id
        assert len(employer.kvk_number) == 8 and employer.kvk_number.isdigit()
        assert employer.postal_street and employer.postal_code and employer.postal_city
        assert employer.contact_name and "@" in employer.contact_email
    group = db.exec(select(CompanyGroup)).one()
    assert mid.group_id == large.group_id == group.id and small.group_id is None
    assert seeded.counts["persons"] == 25 + 400 + 5000 + 30  # one record per employer, also the demo employee's


def test_schemes_and_yearly_parameters(seeded: Seeded) -> None:
    db = seeded.db
    for employer in db.exec(select(Employer)).all():
        contract = db.exec(select(Contract).where(Contract.employer_id == employer.id)).one()
        schemes = db.exec(select(Scheme).where(Scheme.contract_id == contract.id)).all()
        assert sorted(s.kind for s in schemes) == ["NP", "OP"]
        for scheme in schemes:
            years = {y.year: y for y in db.exec(select(SchemeYear).where(SchemeYear.scheme_id == scheme.id))}
            assert sorted(years) == [2024, 2025, 2026]
            assert years[2025].max_salary == years[2026].max_salary == Decimal("137800.00")
            assert years[2025].franchise == Decimal("18475.00")
            assert years[2024].max_salary == Decimal("128810.00") and years[2024].franchise == Decimal("17545.00")
            bands = db.exec(
                select(PremiumBand)
                .where(PremiumBand.scheme_year_id == years[2026].id)
                .order_by(col(PremiumBand.age_from))
            ).all()
            assert bands[0].age_from == 15 and bands[-1].age_to == 67
            assert all(a.percentage < b.percentage for a, b in itertools.pairwise(bands))
    flat_years = db.exec(select(SchemeYear).where(col(SchemeYear.flat_percentage).is_not(None))).all()
    assert flat_years and all(y.flat_percentage <= Decimal(30) for y in flat_years)
    assert len({y.scheme_id for y in flat_years}) == 1
    flat = db.exec(select(Participation).where(Participation.premium_mode == "flat")).all()
    assert flat and {p.scheme_id for p in flat} == {flat_years[0].scheme_id}


def test_bsns_are_valid_and_unique(seeded: Seeded) -> None:
    db = seeded.db
    rows = db.exec(select(Person.employer_id, Person.bsn)).all()
    person_bsns = [b for _, b in rows]
    assert all(is_valid_bsn(b) for b in person_bsns)
    assert len(set(rows)) == len(rows)  # unique per employer
    assert len(person_bsns) - len(set(person_bsns)) == 1  # only the demo employee is known at two employers
    relation_bsns = db.exec(select(Relation.bsn)).all()
    assert relation_bsns and all(is_valid_bsn(b) for b in relation_bsns)
    assert not set(relation_bsns) & set(person_bsns)


def test_people_look_real(seeded: Seeded) -> None:
    db = seeded.db
    prefixes = set(db.exec(select(Person.name_prefix)).all())
    assert {"", "ter", "van der", "de"} <= prefixes
    names = db.exec(select(Person.last_name, Person.first_name)).all()
    assert any(any(ord(ch) > 127 for ch in last + first) for last, first in names)  # accents
    foreign = db.exec(select(Person).where(Person.country != "NL")).all()
    assert {p.country for p in foreign} >= {"BE", "DE"}
    assert all(p.foreign_address and p.city for p in foreign)
    assert {p.nationality for p in db.exec(select(Person)).all()} >= {"NL", "BE", "DE"}
    people = db.exec(select(Person)).all()
    assert sum(1 for p in people if p.business_email) > 0.8 * len(people)
    assert sum(1 for p in people if p.private_email) > 0.5 * len(people)
    assert {p.gender for p in people} >= {"M", "F"}


def test_employment_versions_use_decimals(seeded: Seeded) -> None:
    db = seeded.db
    versions = db.exec(select(EmploymentVersion)).all()
    assert all(isinstance(v.salary, Decimal) and isinstance(v.parttime_pct, Decimal) for v in versions)
    assert all(Decimal(0) < v.parttime_pct <= Decimal(100) for v in versions)
    assert {Decimal("100.000"), Decimal("80.000"), Decimal("62.500")} <= {v.parttime_pct for v in versions}
    assert any(v.salary > Decimal(137800) for v in versions)  # some above the maximum pensionable salary
    per_employment = db.exec(
        select(EmploymentVersion.employment_id, func.count()).group_by(EmploymentVersion.employment_id)
    ).all()
    assert {n for _, n in per_employment} >= {1, 2}
    assert len(per_employment) == db.exec(select(func.count()).select_from(Employment)).one()


def test_statuses_and_exits(seeded: Seeded) -> None:
    db = seeded.db
    statuses = dict(db.exec(select(Participation.status, func.count()).group_by(Participation.status)).all())
    assert set(statuses) == {"active", "dormant", "terminated", "retired"}
    assert statuses["active"] > statuses["dormant"] > statuses["terminated"] > 0
    exited = db.exec(
        select(Participation, Employment)
        .join(Employment, col(Employment.id) == Participation.employment_id)
        .where(Participation.status != "active")
    ).all()
    assert all(e.end_date is not None and p.end_date == e.end_date and e.end_date > e.start_date for p, e in exited)
    active = db.exec(
        select(Employment)
        .join(Participation, col(Participation.employment_id) == Employment.id)
        .where(Participation.status == "active")
    ).all()
    assert all(e.end_date is None for e in active)
    numbers = db.exec(select(Participation.scheme_id, Participation.participant_number)).all()
    assert len(set(numbers)) == len(numbers)
    assert all(p for p in db.exec(select(Participation.policy_number)).all())


def test_partners_and_children(seeded: Seeded) -> None:
    db = seeded.db
    partners = db.exec(select(Relation).where(Relation.kind == "partner")).all()
    children = db.exec(select(Relation).where(Relation.kind == "child")).all()
    assert partners and children
    assert all(r.partner_type in {"married", "registered", "cohabiting"} and r.start_date for r in partners)
    per_person = db.exec(
        select(Relation.person_id, func.count()).where(Relation.kind == "partner").group_by(Relation.person_id)
    ).all()
    assert max(n for _, n in per_person) == 1  # one partner at a time
    assert all(c.birth_date is not None and c.birth_date <= demo.REFERENCE_DATE for c in children)


def _grants(db: Session, user: UserAccount) -> list[RoleGrant]:
    return list(db.exec(select(RoleGrant).where(RoleGrant.user_id == user.id)).all())


def test_demo_accounts(seeded: Seeded) -> None:
    db = seeded.db
    expected = {
        "employer.hr": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        "employer.finance": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
        "adviser": "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
        "adviser.check": "MRSW23ZNN5TGM2LDMUWWG2DFMNVWK4RB",
        "adviser.zuidas": "PJ2WSZDBOMWWCZDWNFZWK4RNMRSW23ZB",
        "employee": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
    }
    mid = _employer(db, demo.DEMO_EMPLOYER_NAME)
    office = db.exec(select(IntermediaryOffice).where(IntermediaryOffice.name == demo.OFFICE_NAME)).one()
    other_office = db.exec(select(IntermediaryOffice).where(IntermediaryOffice.name == demo.OTHER_OFFICE_NAME)).one()
    hasher = PasswordHasher()
    for username, secret in expected.items():
        user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
        assert user.status == "active" and user.activated_at is not None
        assert hasher.verify(user.password_hash, "portal-demo-2026")
        assert user.totp_secret != secret and totp_secrets.unseal(user.totp_secret) == secret  # encrypted at rest
        assert pyotp.TOTP(totp_secrets.unseal(user.totp_secret)).now() == pyotp.TOTP(secret).now()
        grants = _grants(db, user)
        roles = {g.role for g in grants}
        if username == "employer.hr":
            assert roles == {"hr", "user_management"} and {g.employer_id for g in grants} == {mid.id}
        elif username == "employer.finance":
            assert roles == {"finance"} and {g.employer_id for g in grants} == {mid.id}
        elif username in ("adviser", "adviser.check"):
            assert roles == {"adviser"} and {g.office_id for g in grants} == {office.id}
        elif username == "adviser.zuidas":
            assert roles == {"adviser"} and {g.office_id for g in grants} == {other_office.id}
        else:
            assert roles == {"employee"} and user.person_id is not None


def test_employee_has_contracts_at_two_employers(seeded: Seeded) -> None:
    """The demo employee worked at two employers: each holds its own record of him (same BSN)."""
    db = seeded.db
    user = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    person = db.get(Person, user.person_id)
    assert person is not None and (person.last_name, person.name_prefix) == ("Assob", "ter")
    mid = _employer(db, demo.DEMO_EMPLOYER_NAME)
    small = _employer(db, demo.SMALL_NAME)
    records = {r.employer_id: r for r in db.exec(select(Person).where(Person.bsn == person.bsn)).all()}
    assert set(records) == {mid.id, small.id} and records[mid.id].id == person.id
    old = records[small.id]
    assert (old.last_name, old.birth_date, old.private_email) == (
        person.last_name,
        person.birth_date,
        person.private_email,
    )
    assert old.business_email == ""  # the new employer's business address is not the old employer's data
    by_employer = {}
    for record in records.values():
        employments = db.exec(select(Employment).where(Employment.person_id == record.id)).all()
        assert [e.employer_id for e in employments] == [record.employer_id]
        by_employer[record.employer_id] = employments[0]
    assert by_employer[mid.id].end_date is None
    assert by_employer[small.id].end_date is not None
    assert by_employer[small.id].end_date < by_employer[mid.id].start_date
    for employer_id, status in ((mid.id, "active"), (small.id, "dormant")):
        participations = db.exec(select(Participation).where(Participation.person_id == records[employer_id].id)).all()
        assert {(p.employer_id, p.status) for p in participations} == {(employer_id, status)}
    current = db.exec(
        select(EmploymentVersion)
        .where(EmploymentVersion.employment_id == by_employer[mid.id].id)
        .order_by(col(EmploymentVersion.valid_from).desc())
    ).first()
    assert current is not None and current.salary == Decimal("52242.28") and current.valid_to is None
    assert db.exec(select(Relation).where(Relation.person_id == person.id, Relation.kind == "partner")).one()
    known_then = db.exec(
        select(Relation.kind, Relation.bsn, Relation.start_date)
        .where(Relation.person_id == person.id, col(Relation.start_date) <= by_employer[small.id].end_date)
        .order_by(col(Relation.id))
    ).all()
    old_relations = db.exec(
        select(Relation.kind, Relation.bsn, Relation.start_date)
        .where(Relation.person_id == old.id)
        .order_by(col(Relation.id))
    ).all()
    assert old_relations == known_then and "partner" in {kind for kind, _, _ in known_then}


def test_invited_accounts(seeded: Seeded) -> None:
    db = seeded.db
    invited = db.exec(select(UserAccount).where(UserAccount.status == "invited")).all()
    emails = {u.email for u in invited}
    assert f"new.hr@{demo.DEMO_EMPLOYER_DOMAIN}" in emails
    assert demo.demo_invited_emails(db) == [u.email for u in sorted(invited, key=lambda u: u.id or 0)]
    for user in invited:
        assert user.username is None and not user.password_hash and not user.totp_secret
        assert _grants(db, user)
    hr = next(u for u in invited if u.email.startswith("new.hr@"))
    assert {g.role for g in _grants(db, hr)} == {"hr"}


def test_dates_are_before_the_reference_date(seeded: Seeded) -> None:
    db = seeded.db
    assert db.exec(select(func.max(Employment.start_date))).one() <= demo.REFERENCE_DATE
    assert db.exec(select(func.min(Person.birth_date))).one() > date(1930, 1, 1)


def test_demo_tasks_of_every_kind_and_status_for_the_first_office_only(seeded: Seeded) -> None:
    db = seeded.db
    office = db.exec(select(IntermediaryOffice).where(IntermediaryOffice.name == demo.OFFICE_NAME)).one()
    tasks = db.exec(select(Task)).all()
    assert seeded.counts["tasks"] == len(tasks) >= 50
    assert {t.office_id for t in tasks} == {office.id}
    assert {(t.kind, t.status) for t in tasks} == set(itertools.product(task_rules.KINDS, task_rules.STATUSES))
    advisers = {
        u.id for u in db.exec(select(UserAccount).where(col(UserAccount.username).in_(["adviser", "adviser.check"])))
    }
    assert {t.assignee_id for t in tasks} == advisers | {None}
    today = clock.today()
    assert any(task_rules.is_overdue(t.status, t.due_date, today) for t in tasks)
    assert any(t.follow_up_date == today and task_rules.is_open(t.status) for t in tasks)
    for t in tasks:
        assert t.follow_up_date is None or t.due_date is None or t.follow_up_date <= t.due_date
        assert t.needs_check == task_rules.needs_check(t.kind)
        if t.status == "done" and t.needs_check:
            assert t.checked_by is not None and t.checked_by != t.completed_by
        assert bool(t.title) != bool(t.title_key)  # typed by a person, or a message of the event's kind
    assert db.exec(select(func.count()).select_from(TaskComment)).one() > 0


def test_the_small_employers_asr_schemes_are_coupled_and_ready_the_demo_employers_are_not(
    seeded: Seeded, monkeypatch: pytest.MonkeyPatch
) -> None:
    """INT-4 in the demo: Bakkerij ter Horst's schemes are coupled to a.s.r. (its processed changes go to the insurer,
    under ``make run`` the test insurer) and pass the readiness check; Noordkade Logistiek, also with a.s.r., is not
    coupled."""
    db = seeded.db
    monkeypatch.setenv("PORTAL_INSURER_URLS", "http://127.0.0.1:9")  # what `make run` sets (the test insurer)
    get_settings.cache_clear()
    try:
        small, mid = _employer(db, demo.SMALL_NAME), _employer(db, demo.DEMO_EMPLOYER_NAME)
        adviser = Principal(
            user_id=0,
            username="adviser",
            display_name="",
            front_end=FrontEnd.INTERMEDIARY,
            roles=frozenset({"adviser"}),
            employer_ids=frozenset({small.id or 0, mid.id or 0}),
            office_id=small.office_id,
        )
        asr = db.exec(select(Insurer).where(Insurer.code == "asr")).one()
        small_schemes = db.exec(select(Scheme).where(Scheme.employer_id == small.id)).all()
        assert {s.kind for s in small_schemes} == {"OP", "NP"}
        for scheme in small_schemes:
            assert scheme.auto_enrol and couplings.coupled_insurer(db, scheme.id) == asr.id
            assert couplings.check_readiness(db, adviser, asr.id, f"scheme:{scheme.id}").ready
        for scheme in db.exec(select(Scheme).where(Scheme.employer_id == mid.id)).all():
            assert not scheme.auto_enrol and couplings.coupled_insurer(db, scheme.id) is None
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
