"""Sign-in with the national eID (AUTH-6), the linking use case ``accounts.sign_in_with_eid``: verified claims
become a session of the person's employee account (found, activated or made), the provider's subject is linked
to it once; every refusal links nothing, makes no account and leaves an audit entry. Demo data: the demo
employee Gijs ter Assob has records at the demo employer (with the ``employee`` account) and at the small one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, col, func, select

from portal.domain.identifiers import make_bsn
from portal.domain.roles import FrontEnd, Role
from portal.models import AuditEvent, AuthSession, EidLink, Employer, Participation, Person, RoleGrant, UserAccount
from portal.services import accounts
from portal.services.principal import own_person_ids

ISSUER = "https://eid.example"
UNUSED_BSN = make_bsn(3_333_333)  # valid, and no demo person has it


def _employee(db: Session) -> UserAccount:
    return db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()


def _person(db: Session, user: UserAccount) -> Person:
    person = db.get(Person, user.person_id)
    assert person is not None
    return person


def _claims(person: Person | None = None, sub: str = "subject-1", **extra: object) -> dict:
    claims: dict = {"sub": sub, "iss": ISSUER}
    if person is not None:
        claims |= {"national_id": person.bsn, "birthdate": person.birth_date.isoformat()}
    return claims | extra


def _signed_in(db: Session, outcome: accounts.EidOutcome):
    assert outcome.reason == "" and outcome.ticket is not None
    redeemed = accounts.redeem_ticket(db, outcome.ticket.ticket, outcome.ticket.browser_key)
    assert redeemed is not None
    principal = accounts.resolve_session(db, redeemed[0])
    assert principal is not None and redeemed[1] == "/employee"
    return principal


def _counts(db: Session) -> tuple[int, int, int]:
    return (
        db.exec(select(func.count()).select_from(EidLink)).one(),
        db.exec(select(func.count()).select_from(UserAccount)).one(),
        db.exec(select(func.count()).select_from(AuthSession)).one(),
    )


def _refusals(db: Session) -> list[str]:
    rows = db.exec(select(AuditEvent).where(AuditEvent.action == "login.eid_refused")).all()
    return [r.detail for r in rows]


def test_the_demo_employee_signs_in_by_bsn_and_the_subject_is_linked_once(db: Session, demo_data: None) -> None:
    user = _employee(db)
    person = _person(db, user)
    principal = _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(person), ip="10.1.1.1"))
    assert (principal.user_id, principal.front_end, principal.person_id) == (user.id, FrontEnd.EMPLOYEE, person.id)
    assert len(own_person_ids(db, principal)) == 2  # the records at both employers
    link = db.exec(select(EidLink)).one()
    assert (link.issuer, link.subject, link.user_id) == (ISSUER, "subject-1", user.id)
    # again, without the birthdate claim: the same account, no second link
    again = _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(person, birthdate=None)))
    assert again.user_id == user.id
    assert db.exec(select(func.count()).select_from(EidLink)).one() == 1
    actions = db.exec(select(AuditEvent.action).where(AuditEvent.actor_user_id == user.id)).all()
    assert actions.count("eid.linked") == 1 and actions.count("login.success") == 2
    db.commit()


def test_a_participant_without_an_account_gets_an_employee_account_without_password(
    db: Session, demo_data: None
) -> None:
    has_account = select(UserAccount.person_id).where(col(UserAccount.person_id).is_not(None))
    person = db.exec(
        select(Person)
        .join(Participation, col(Participation.person_id) == Person.id)
        .where(Participation.status == "active", col(Person.id).not_in(has_account))
        .order_by(col(Person.id))
    ).first()
    assert person is not None
    principal = _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(person, sub="new-one")))
    user = db.get(UserAccount, principal.user_id)
    assert user is not None
    assert (user.status, user.password_hash, user.totp_secret, user.username) == ("active", "", "", None)
    assert person.id in own_person_ids(db, principal)
    grants = db.exec(select(RoleGrant.role).where(RoleGrant.user_id == user.id)).all()
    assert grants == [Role.EMPLOYEE]


def test_an_invited_employee_is_activated_by_the_eid(db: Session, demo_data: None) -> None:
    invited = db.exec(
        select(UserAccount)
        .join(RoleGrant, col(RoleGrant.user_id) == UserAccount.id)
        .where(UserAccount.status == "invited", RoleGrant.role == Role.EMPLOYEE)
    ).one()
    person = _person(db, invited)
    principal = _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(person, sub="invited-one")))
    db.refresh(invited)
    assert (principal.user_id, invited.status) == (invited.id, "active")
    assert invited.activated_at is not None


def _refused(db: Session, claims: dict, reason: str) -> None:
    before = _counts(db)
    outcome = accounts.sign_in_with_eid(db, ISSUER, claims, ip="10.9.9.9")
    assert (outcome.ticket, outcome.reason) == (None, reason)
    db.commit()
    assert _counts(db) == before  # nothing linked, no account, no session
    (detail,) = _refusals(db)
    assert f'"reason": "{reason}"' in detail
    national_id = claims.get("national_id")
    assert not national_id or str(national_id) not in detail  # the number itself is not in the audit trail


def test_an_unknown_national_id_is_refused(db: Session, demo_data: None) -> None:
    _refused(db, _claims(national_id=UNUSED_BSN), "unknown_person")


@pytest.mark.parametrize(
    ("national_id", "reason"),
    [(None, "claim_missing"), ("", "claim_missing"), ("123456789", "claim_invalid"), (123456782, "claim_invalid")],
)
def test_a_missing_or_invalid_national_id_is_refused(
    db: Session, demo_data: None, national_id: object, reason: str
) -> None:
    claims = _claims() if national_id is None else _claims(national_id=national_id)
    _refused(db, claims, reason)


def test_a_claim_without_subject_is_refused(db: Session, demo_data: None) -> None:
    person = _person(db, _employee(db))
    _refused(db, _claims(person) | {"sub": ""}, "claim_subject")


def test_a_person_without_participation_is_refused(db: Session, demo_data: None) -> None:
    employer = db.exec(select(Employer).order_by(col(Employer.id))).first()
    assert employer is not None
    db.add(Person(employer_id=employer.id, bsn=UNUSED_BSN, last_name="Zonder", birth_date=date(1990, 5, 5)))
    db.commit()
    _refused(db, _claims(national_id=UNUSED_BSN), "no_participation")


def test_two_humans_with_one_number_are_refused_unless_the_birth_date_settles_it(db: Session, demo_data: None) -> None:
    user = _employee(db)
    person = _person(db, user)
    other_employer = db.exec(select(Employer).where(col(Employer.id) != person.employer_id)).first()
    assert other_employer is not None
    mistyped = Person(employer_id=other_employer.id, bsn=person.bsn, last_name="Ander", birth_date=date(1970, 1, 1))
    if db.exec(select(Person).where(Person.employer_id == other_employer.id, Person.bsn == person.bsn)).first():
        other_employer = db.exec(
            select(Employer).where(col(Employer.id).not_in([person.employer_id, other_employer.id]))
        ).first()
        assert other_employer is not None
        mistyped.employer_id = other_employer.id
    db.add(mistyped)
    db.commit()
    _refused(db, _claims(national_id=person.bsn), "ambiguous_person")
    principal = _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(person)))
    assert principal.user_id == user.id and mistyped.id not in own_person_ids(db, principal)


def test_a_subject_linked_to_another_account_is_refused(db: Session, demo_data: None) -> None:
    user = _employee(db)
    _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(_person(db, user), sub="shared")))
    db.commit()
    stranger = db.exec(
        select(Person)
        .join(Participation, col(Participation.person_id) == Person.id)
        .where(Person.bsn != _person(db, user).bsn)
        .order_by(col(Person.id))
    ).first()
    assert stranger is not None
    _refused(db, _claims(stranger, sub="shared"), "subject_mismatch")
    # the same subject at another issuer is another identity
    assert accounts.sign_in_with_eid(db, "https://other-eid.example", _claims(stranger, sub="shared")).ticket


def test_a_disabled_account_is_refused(db: Session, demo_data: None) -> None:
    user = _employee(db)
    user.status = "disabled"
    db.commit()
    _refused(db, _claims(_person(db, user)), "account_disabled")


def test_an_account_with_an_employers_role_too_is_never_signed_in_by_eid(db: Session, demo_data: None) -> None:
    """The eID stands in for our TOTP only on the employee front end: the demo employee's account made HR as
    well is left alone, and the eID sign-in gets an employee-only account of its own."""
    user = _employee(db)
    person = _person(db, user)
    db.add(RoleGrant(user_id=user.id or 0, role=Role.HR, employer_id=person.employer_id))
    db.commit()
    principal = _signed_in(db, accounts.sign_in_with_eid(db, ISSUER, _claims(person, sub="hr-too")))
    assert principal.user_id != user.id and principal.roles == frozenset({"employee"})
    db.commit()
