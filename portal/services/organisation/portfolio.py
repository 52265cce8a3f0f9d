"""The intermediary's portfolio (INT-1, first part) and one employer's summary, always within scope (AUTH-5)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.domain.roles import Perm
from portal.models import CompanyGroup, Contract, Employer, Insurer, Participation, Scheme
from portal.services import audit
from portal.services.principal import Principal, require, require_employer


@dataclass(frozen=True)
class EmployerRow:
    """One employer of a portfolio with its participant counts by status."""

    id: int
    name: str
    kvk_number: str
    group: str
    active: int
    dormant: int
    other: int


def _counts(db: Session, employer_ids: list[int]) -> dict[int, dict[str, int]]:
    """Distinct participants per employer and status, aggregated in SQL."""
    query = (
        select(Participation.employer_id, Participation.status, func.count(func.distinct(Participation.person_id)))
        .where(col(Participation.employer_id).in_(employer_ids))
        .group_by(Participation.employer_id, Participation.status)
    )
    out: dict[int, dict[str, int]] = {}
    for employer_id, status, count in db.exec(query):
        out.setdefault(employer_id, {})[status] = count
    return out


def portfolio(db: Session, principal: Principal | None) -> list[EmployerRow]:
    """The employers in the adviser's portfolio, by name, with participant counts."""
    p = require(principal, Perm.PORTFOLIO_VIEW)
    ids = sorted(p.employer_ids)
    if not ids:
        return []
    rows = db.exec(
        select(Employer, CompanyGroup.name)
        .join(CompanyGroup, col(CompanyGroup.id) == Employer.group_id, isouter=True)
        .where(col(Employer.id).in_(ids))
        .order_by(Employer.name)
    ).all()
    counts = _counts(db, ids)
    result = []
    for employer, group in rows:
        c = counts.get(employer.id or 0, {})
        result.append(
            EmployerRow(
                id=employer.id or 0,
                name=employer.name,
                kvk_number=employer.kvk_number,
                group=group or "",
                active=c.get("active", 0),
                dormant=c.get("dormant", 0),
                other=sum(v for k, v in c.items() if k not in ("active", "dormant")),
            )
        )
    return result


@dataclass(frozen=True)
class EmployerSummary:
    """What an adviser sees first of one employer: identity, address, contact and schemes."""

    id: int
    name: str
    kvk_number: str
    address: str
    contact: str
    schemes: list[tuple[str, str, str, str]]  # (kind, contract number/scheme number, name, insurer)


def employer_summary(db: Session, principal: Principal | None, employer_id: object) -> EmployerSummary:
    """One employer within the principal's scope (untrusted id; NoAccess otherwise). Access is audited."""
    eid = require_employer(principal, employer_id, Perm.PORTFOLIO_VIEW)
    employer = db.get(Employer, eid)
    if employer is None:  # pragma: no cover - scope ids come from the database
        from portal.services.principal import NoAccess

        raise NoAccess("not_found")
    schemes = db.exec(
        select(Scheme, Contract.number, Insurer.name)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .join(Insurer, col(Insurer.id) == Contract.insurer_id)
        .where(Scheme.employer_id == eid)
        .order_by(Contract.number, Scheme.number)
    ).all()
    audit.record(db, "employer.viewed", actor=principal, object_type="employer", object_id=eid, employer_id=eid)
    return EmployerSummary(
        id=eid,
        name=employer.name,
        kvk_number=employer.kvk_number,
        address=" ".join(
            part
            for part in (
                f"{employer.postal_street} {employer.postal_house_number},".strip(),
                employer.postal_code,
                employer.postal_city,
            )
            if part and part != ","
        ),
        contact=", ".join(p for p in (employer.contact_name, employer.contact_email) if p),
        schemes=[(s.kind, f"{number}-{s.number}", s.name, insurer) for s, number, insurer in schemes],
    )
