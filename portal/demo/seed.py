"""The deterministic demo data set (SPEC "Demo data and accounts"), loaded by ``make run`` into an empty database.

One intermediary office; two insurers; three employers with about 25, 400 and 5,000 participants (the
400 one is the demo employer of ``employer.hr`` and ``employer.finance``; it and the 5,000 one form a
company group); retirement (OP) and partner-pension (NP) schemes with parameters for 2024–2026; the four
demo accounts and a few invited accounts. The bulk work is done by ``generator`` and ``people``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core import clock, totp_secrets
from portal.demo.basics import REFERENCE_DATE, EmployerSetup, Rng, ascii_part, build_pools
from portal.demo.calculators import seed_calculator_years
from portal.demo.documents import seed_documents
from portal.demo.generator import create_employer, existing_bsns, generate_employer, generate_participants, get_insurer
from portal.demo.people import Script
from portal.demo.tasks import seed_tasks
from portal.domain.roles import Role
from portal.models import (
    AuditEvent,
    CompanyGroup,
    CouplingSetting,
    Document,
    Employer,
    Employment,
    EmploymentVersion,
    Insurer,
    IntermediaryOffice,
    Participation,
    Person,
    Relation,
    RoleGrant,
    Scheme,
    Task,
    UserAccount,
)
from portal.services.participants.read_table import refresh_all

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_INVITES",
    "DEMO_PASSWORD",
    "REFERENCE_DATE",
    "database_is_empty",
    "demo_invited_emails",
    "generate_employer",
    "seed_demo",
]

DEMO_PASSWORD = "portal-demo-2026"
DEMO_SEED = 2026

OFFICE_NAME = "Van Leeuwen Pensioenadvies B.V."
OFFICE_DOMAIN = "vanleeuwen-advies.example"
SMALL_NAME = "Bakkerij ter Horst B.V."  # 25 participants; the demo employee's previous employer
SMALL_DOMAIN = "bakkerijterhorst.example"
DEMO_EMPLOYER_NAME = "Noordkade Logistiek B.V."  # 400 participants; employer.hr and employer.finance
DEMO_EMPLOYER_DOMAIN = "noordkade-logistiek.example"
LARGE_NAME = "Noordkade Distributie B.V."  # 5,000 participants; same company group; insured with Allianz
LARGE_DOMAIN = "noordkade-distributie.example"
# A second office with an employer of its own: its adviser must never see the first office's portfolio.
OTHER_OFFICE_NAME = "Zuidas Pensioen & Risico B.V."
OTHER_OFFICE_DOMAIN = "zuidas-pensioen.example"
OTHER_EMPLOYER_NAME = "Atelier Maasoever B.V."  # 30 participants; in the other office's portfolio only
OTHER_EMPLOYER_DOMAIN = "atelier-maasoever.example"


@dataclass(frozen=True)
class DemoAccount:
    """An active demo login; ``scope`` says what its role grants point at."""

    username: str
    display_name: str
    email: str
    totp_secret: str
    roles: tuple[str, ...]
    scope: str  # demo_employer, office or person


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "employer.hr",
        "Hanna de Vries",
        f"hanna.devries@{DEMO_EMPLOYER_DOMAIN}",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
        (Role.HR, Role.USER_MANAGEMENT),
        "demo_employer",
    ),
    DemoAccount(
        "employer.finance",
        "Frank Bakker",
        f"frank.bakker@{DEMO_EMPLOYER_DOMAIN}",
        "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
        (Role.FINANCE,),
        "demo_employer",
    ),
    DemoAccount(
        "adviser",
        "Anouk van Leeuwen",
        f"anouk.vanleeuwen@{OFFICE_DOMAIN}",
        "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
        (Role.ADVISER,),
        "office",
    ),
    DemoAccount(
        "adviser.check",
        "Sanne Koster",
        f"sanne.koster@{OFFICE_DOMAIN}",
        "MRSW23ZNN5TGM2LDMUWWG2DFMNVWK4RB",
        (Role.ADVISER,),
        "office",
    ),
    DemoAccount(
        "adviser.zuidas",
        "Ruben Ogunleye",
        f"ruben.ogunleye@{OTHER_OFFICE_DOMAIN}",
        "PJ2WSZDBOMWWCZDWNFZWK4RNMRSW23ZB",
        (Role.ADVISER,),
        "other_office",
    ),
    DemoAccount(
        "employee",
        "Gijs ter Assob",
        "gijs.terassob@ziggo.example",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        (Role.EMPLOYEE,),
        "person",
    ),
)
# Invited, not yet activated accounts to demonstrate activation (AUTH-1): (e-mail, role, scope). The
# employee invitation goes to the business e-mail of participant 100002 of the demo employer.
DEMO_INVITES: tuple[tuple[str, str, str], ...] = (
    (f"new.hr@{DEMO_EMPLOYER_DOMAIN}", Role.HR, "demo_employer"),
    (f"new.adviser@{OFFICE_DOMAIN}", Role.ADVISER, "office"),
    ("", Role.EMPLOYEE, "participant_100002"),
)

# The demo employee: participant 100001 of the demo employer since 2021, before that (2014–2021) at the
# small employer, where the pension stays as a dormant (slaper) participation.
_EMPLOYEE = Script(
    person={
        "initials": "G.",
        "first_name": "Gijs",
        "name_prefix": "ter",
        "last_name": "Assob",
        "birth_date": date(1986, 4, 17),
        "gender": "M",
        "nationality": "NL",
        "street": "Kanaalweg",
        "house_number": "12",
        "postcode": "3526 KM",
        "city": "Utrecht",
        "country": "NL",
        "foreign_address": "",
        "business_email": f"gijs.terassob@{DEMO_EMPLOYER_DOMAIN}",
        "private_email": "gijs.terassob@ziggo.example",
        "language": "nl",
    },
    start_date=date(2021, 3, 1),
    status="active",
    versions=[
        (date(2021, 3, 1), "47850.00", "100.000"),
        (date(2024, 1, 1), "50476.12", "100.000"),
        (date(2026, 1, 1), "52242.28", "100.000"),
    ],
    partner=("married", date(2015, 6, 12)),
    children=2,
)
_EMPLOYEE_OLD_JOB_SEQ = 7  # participant 100007 of the small employer


_OLD_JOB_END = date(2021, 2, 28)


def _employee_old_job(db: Session, person_id: int) -> Script:
    """The demo employee's old job: the small employer's own record of them (same BSN, no business e-mail of
    the new employer; the relations that employer knew are copied by ``_copy_relations`` once it exists)."""
    person = db.get(Person, person_id)
    assert person is not None
    values = person.model_dump(exclude={"id", "employer_id", "created_at"}) | {"business_email": ""}
    return Script(
        person=values,
        start_date=date(2014, 9, 1),
        end_date=_OLD_JOB_END,
        status="dormant",
        versions=[(date(2014, 9, 1), "36120.00", "80.000"), (date(2018, 1, 1), "38400.00", "80.000")],
    )


def _copy_relations(db: Session, source_id: int, target_id: int, until: date) -> None:
    """Give ``target_id`` (another employer's record of the same person) the relations of ``source_id`` that
    began by ``until``: what that employer knew of them while they worked there."""
    rows = db.exec(select(Relation).where(Relation.person_id == source_id, col(Relation.start_date) <= until)).all()
    for r in rows:
        db.add(Relation(**r.model_dump(exclude={"id", "person_id"}), person_id=target_id))
    db.flush()


def _hash_password(password: str) -> str:
    """Hash with the accounts service (argon2); plain argon2 only while that module is missing."""
    try:
        from portal.services.accounts import hash_password
    except ImportError:  # pragma: no cover
        from argon2 import PasswordHasher

        return PasswordHasher().hash(password)
    return hash_password(password)


def database_is_empty(db: Session) -> bool:
    """True when there are no employers, persons or accounts yet (so demo data may be loaded)."""
    return all(
        db.exec(select(model.id).limit(1)).first() is None  # type: ignore[attr-defined]
        for model in (Employer, Person, UserAccount)
    )


def _count(db: Session, model: type) -> int:
    return int(db.exec(select(func.count()).select_from(model)).one())


def _organisations(db: Session, rng: Rng) -> tuple[IntermediaryOffice, EmployerSetup, EmployerSetup, EmployerSetup]:
    now = clock.now()
    office = IntermediaryOffice(
        name=OFFICE_NAME,
        kvk_number="71638254",
        email=f"info@{OFFICE_DOMAIN}",
        phone="030-2345678",
        created_at=now,
    )
    db.add(office)
    db.flush()
    group = CompanyGroup(name="Noordkade Groep", office_id=office.id)
    db.add(group)
    db.flush()
    get_insurer(db, "asr")
    get_insurer(db, "allianz")
    common: dict[str, Any] = {"office_id": office.id}
    small = create_employer(
        db,
        rng,
        name=SMALL_NAME,
        insurer_code="asr",
        group_id=None,
        contract_start=date(2012, 1, 1),
        flat=False,
        address=("Hoofdstraat", "41", "7461 AB", "Rijssen"),
        contact=("Marloes ter Horst", f"administratie@{SMALL_DOMAIN}", "0548-512345"),
        kvk="08123456",
        domain=SMALL_DOMAIN,
        **common,
    )
    mid = create_employer(
        db,
        rng,
        name=DEMO_EMPLOYER_NAME,
        insurer_code="asr",
        group_id=group.id,
        contract_start=date(2016, 1, 1),
        flat=True,
        address=("Postbus", "1180", "3000 BD", "Rotterdam"),
        contact=("Hanna de Vries", f"hanna.devries@{DEMO_EMPLOYER_DOMAIN}", "010-4567890"),
        kvk="24345678",
        domain=DEMO_EMPLOYER_DOMAIN,
        **common,
    )
    large = create_employer(
        db,
        rng,
        name=LARGE_NAME,
        insurer_code="allianz",
        group_id=group.id,
        contract_start=date(2019, 1, 1),
        flat=False,
        address=("Waalhaven Zuidzijde", "21", "3089 JH", "Rotterdam"),
        contact=("Sven Jansen", f"p-o@{LARGE_DOMAIN}", "010-7654321"),
        kvk="24398765",
        domain=LARGE_DOMAIN,
        **common,
    )
    return office, small, mid, large


def _couple_small(db: Session, office_id: int, small: EmployerSetup) -> None:
    """Switch the a.s.r. coupling on for the small employer's schemes (scheme scopes: the demo employer, also with
    a.s.r., stays uncoupled), after completing the one item its readiness check lacks: auto-enrolment of new
    employees. Its processed changes then go to the insurer (``make run``: the test insurer)."""
    insurer = get_insurer(db, "asr")
    for scheme in db.exec(select(Scheme).where(Scheme.employer_id == small.employer_id)).all():
        scheme.auto_enrol = True
        db.add(scheme)
        db.add(
            CouplingSetting(
                office_id=office_id,
                insurer_id=insurer.id or 0,
                scope=f"scheme:{scheme.id}",
                employer_id=small.employer_id,
                scheme_id=scheme.id,
                enabled=True,
                set_by_name="Anouk van Leeuwen",
                set_at=clock.now(),
            )
        )
    db.flush()


def _other_office(db: Session, rng: Rng) -> tuple[IntermediaryOffice, EmployerSetup]:
    """The second office and its one employer (no company group)."""
    office = IntermediaryOffice(
        name=OTHER_OFFICE_NAME,
        kvk_number="34219876",
        email=f"info@{OTHER_OFFICE_DOMAIN}",
        phone="020-5551234",
        created_at=clock.now(),
    )
    db.add(office)
    db.flush()
    employer = create_employer(
        db,
        rng,
        name=OTHER_EMPLOYER_NAME,
        insurer_code="allianz",
        office_id=office.id,
        group_id=None,
        contract_start=date(2020, 1, 1),
        flat=False,
        address=("Maasboulevard", "88", "3011 TX", "Rotterdam"),
        contact=("Lotte Verbeek", f"personeel@{OTHER_EMPLOYER_DOMAIN}", "010-2223344"),
        kvk="67452301",
        domain=OTHER_EMPLOYER_DOMAIN,
    )
    return office, employer


def _accounts(db: Session, office_ids: tuple[int, int], employer_id: int, employee_person_id: int) -> None:
    now = clock.now()
    password_hash = _hash_password(DEMO_PASSWORD)
    scopes: dict[str, dict[str, int]] = {
        "demo_employer": {"employer_id": employer_id},
        "office": {"office_id": office_ids[0]},
        "other_office": {"office_id": office_ids[1]},
    }
    for acc in DEMO_ACCOUNTS:
        user = UserAccount(
            username=acc.username,
            email=acc.email.lower(),
            display_name=acc.display_name,
            status="active",
            password_hash=password_hash,
            totp_secret=totp_secrets.seal(acc.totp_secret),  # encrypted at rest like every secret
            person_id=employee_person_id if acc.scope == "person" else None,
            # the demo employee has had the first-sign-in question already (EE-4; the profile sets the address)
            private_email_asked_at=now if acc.scope == "person" else None,
            created_at=now,
            activated_at=now,
            password_changed_at=now,
        )
        db.add(user)
        db.flush()
        for role in acc.roles:
            db.add(RoleGrant(user_id=user.id, role=str(role), **scopes.get(acc.scope, {})))
    for email, role, scope in DEMO_INVITES:
        person = None
        if scope.startswith("participant_"):
            person = db.exec(
                select(Person)
                .join(Participation, col(Participation.person_id) == Person.id)
                .where(Participation.employer_id == employer_id)
                .where(Participation.participant_number == scope.removeprefix("participant_"))
            ).first()
            assert person is not None
            if not person.business_email:
                first = ascii_part(person.first_name.split()[0])
                person.business_email = f"{first}.{ascii_part(person.last_name)}@{DEMO_EMPLOYER_DOMAIN}"
            email = person.business_email
        user = UserAccount(
            email=email.lower(), status="invited", person_id=person.id if person else None, created_at=now
        )
        db.add(user)
        db.flush()
        db.add(RoleGrant(user_id=user.id, role=str(role), **scopes.get(scope, {})))


def seed_demo(db: Session) -> dict[str, int]:
    """Load the demo data set into an empty database (see ``database_is_empty``), commit, return counts."""
    rng = Rng(DEMO_SEED)
    pools = build_pools(DEMO_SEED)
    office, small, mid, large = _organisations(db, rng)
    taken = existing_bsns(db)
    people = generate_participants(db, mid, 400, rng, pools, taken, flat_share=0.2, scripts={1: _EMPLOYEE})
    employee_person_id = people[1]
    old_job = {_EMPLOYEE_OLD_JOB_SEQ: _employee_old_job(db, employee_person_id)}
    small_people = generate_participants(db, small, 25, rng, pools, taken, scripts=old_job)
    _copy_relations(db, employee_person_id, small_people[_EMPLOYEE_OLD_JOB_SEQ], _OLD_JOB_END)
    generate_participants(db, large, 5000, rng, pools, taken)
    other_rng = Rng(DEMO_SEED + 1)  # its own draws: the first office's data stays as it was
    other_office, other = _other_office(db, other_rng)
    generate_participants(db, other, 30, other_rng, pools, taken)
    for setup in (small, mid, large, other):
        refresh_all(db, setup.employer_id)  # the overview's list rows (EMP-2)
    assert office.id is not None and other_office.id is not None
    _couple_small(db, office.id, small)  # INT-4: one coupling on in the demo
    _accounts(db, (office.id, other_office.id), mid.employer_id, employee_person_id)
    advisers = {
        u.username: u.id or 0
        for u in db.exec(select(UserAccount).where(col(UserAccount.username).in_(("adviser", "adviser.check"))))
    }
    seed_tasks(db, office.id, (advisers["adviser"], advisers["adviser.check"]), mid.employer_id, clock.today())
    seed_documents(db, REFERENCE_DATE)  # invoices, regulations… as generated PDFs (DOC-1)
    seed_calculator_years(db)  # illustrative tax and return figures for the calculators (EE-6)
    counts = {
        name: _count(db, model)
        for name, model in (
            ("offices", IntermediaryOffice),
            ("insurers", Insurer),
            ("employers", Employer),
            ("schemes", Scheme),
            ("persons", Person),
            ("employments", Employment),
            ("employment_versions", EmploymentVersion),
            ("participations", Participation),
            ("relations", Relation),
            ("accounts", UserAccount),
            ("documents", Document),
            ("tasks", Task),
        )
    }
    db.add(
        AuditEvent(
            action="demo.seeded",
            actor_name="system",
            object_type="database",
            detail=json.dumps(counts),
            at=clock.now(),
        )
    )
    db.commit()
    return counts


def demo_invited_emails(db: Session) -> list[str]:
    """E-mail addresses of the invited (not yet activated) accounts, oldest first."""
    return list(
        db.exec(select(UserAccount.email).where(UserAccount.status == "invited").order_by(col(UserAccount.id))).all()
    )
