"""Fast, deterministic generation of employers and their participants (demo data and benchmarks).

Names and addresses come from small pools drawn once from seeded Fakers (Faker is far too slow to call
per person at 100,000); every other choice comes from one seeded RNG, so the same seed on the same
database state gives the same rows. Rows are written with bulk inserts (COPY on PostgreSQL, the driver's
executemany on SQLite) into id ranges reserved up front, by a writer thread that runs while the next
chunk is being generated.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlmodel import Session, col
from sqlmodel import select as sm_select

from portal.core import clock
from portal.core.sql import reserve_ids
from portal.demo.basics import (
    _INSURER_CONTACTS,
    _INSURER_NAMES,
    CHUNK,
    FLAT_PERCENTAGES,
    NP_ACCRUAL,
    NP_BANDS,
    OP_BANDS,
    SCHEME_YEARS,
    EmployerSetup,
    Pools,
    Rng,
    _Rows,
    _slug,
    _Writer,
    build_pools,
)
from portal.demo.people import Script, _ParticipantGenerator, _PersonFactory
from portal.models import (
    Contract,
    Employer,
    Employment,
    Insurer,
    IntermediaryOffice,
    Person,
    PremiumBand,
    Scheme,
    SchemeYear,
)

# --------------------------------------------------------------------------------------------- employer


def get_insurer(db: Session, code: str) -> Insurer:
    """The insurer with ``code``, created when missing."""
    insurer = db.exec(sm_select(Insurer).where(Insurer.code == code)).first()
    if insurer is None:
        phone, email, website = _INSURER_CONTACTS.get(code, ("", "", ""))
        insurer = Insurer(code=code, name=_INSURER_NAMES.get(code, code), phone=phone, email=email, website=website)
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
    list rows (``read_table.refresh_all``). The employer joins the first
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
