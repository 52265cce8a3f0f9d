"""Helpers for the employer page service tests: real principals of the demo accounts, another tenant."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from portal.domain.roles import FrontEnd
from portal.models import (
    AuditEvent,
    Contract,
    Employer,
    Insurer,
    IntermediaryOffice,
    Participation,
    Scheme,
    UserAccount,
)
from portal.services import accounts, files
from portal.services.principal import NoAccess, Principal


def session_token_of(db: Session, username: str) -> str:
    """The token of a new live session of an active account, as the login hands it to the browser (committed)."""
    user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
    assert redeemed is not None
    db.commit()
    return redeemed[0]


def principal_of(db: Session, username: str) -> Principal:
    """The principal of an active account, resolved the way the app does it (session → token → principal)."""
    principal = accounts.resolve_session(db, session_token_of(db, username))
    assert principal is not None
    db.commit()
    return principal


def demo_employer(db: Session) -> Employer:
    """The employer of employer.hr and employer.finance."""
    return db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()


def foreign_tenant(db: Session) -> tuple[Employer, Scheme, Principal]:
    """An employer of another office with one scheme, and a user-management principal of that employer."""
    office = IntermediaryOffice(name="Elders Advies", kvk_number="11112222", email="info@elders.example")
    db.add(office)
    db.flush()
    employer = Employer(
        name="Elders B.V.",
        kvk_number="33334444",
        office_id=office.id,
        postal_street="Elderstraat",
        postal_house_number="1",
        postal_code="1011 AB",
        postal_city="Amsterdam",
        contact_name="E. Elders",
        contact_email="e@elders.example",
    )
    db.add(employer)
    db.flush()
    insurer = db.exec(select(Insurer)).first()
    assert insurer is not None
    from datetime import date

    contract = Contract(employer_id=employer.id, insurer_id=insurer.id, number="E-1", start_date=date(2020, 1, 1))
    db.add(contract)
    db.flush()
    scheme = Scheme(contract_id=contract.id, employer_id=employer.id, kind="OP", number="01", name="Elders OP")
    db.add(scheme)
    db.commit()
    principal = Principal(
        user_id=999_999,
        username="elders.admin",
        display_name="Elders Admin",
        front_end=FrontEnd.EMPLOYER,
        roles=frozenset({"user_management"}),
        employer_ids=frozenset({employer.id or 0}),
    )
    return employer, scheme, principal


def audit_of(db: Session, action: str) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).all())


def schemes_of(db: Session, employer_id: int | None) -> dict[str, Scheme]:
    """The employer's schemes by kind (OP, NP)."""
    return {s.kind: s for s in db.exec(select(Scheme).where(Scheme.employer_id == employer_id)).all()}


def participation_of(db: Session, scheme: Scheme, number: str = "100001") -> Participation:
    """A participation of ``scheme`` by participant number (100001: Gijs ter Assob in the demo's OP)."""
    query = select(Participation).where(
        Participation.scheme_id == scheme.id, Participation.participant_number == number
    )
    return db.exec(query).one()


def assert_link_denied(db: Session, principal: Principal | None, token: str, reason: str) -> None:
    """A ``/files/`` token is refused for ``principal`` with ``reason`` and one ``access.denied`` audit entry."""
    before = len(audit_of(db, "access.denied"))
    with pytest.raises(NoAccess) as err:
        files.serve(db, principal, token)
    db.commit()
    assert err.value.reason == reason
    events = audit_of(db, "access.denied")
    assert len(events) == before + 1 and json.loads(events[-1].detail)["reason"] == reason
