"""Which schemes a principal may work with, and the scope check of an untrusted scheme id (AUTH-5)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from portal.domain.roles import Perm
from portal.models import Contract, Employer, Insurer, Scheme
from portal.services.principal import NoAccess, Principal, id_of, require, require_employer


@dataclass(frozen=True)
class SchemeOption:
    """One entry of the scheme selector; ``label`` names the employer too when the choice spans several
    employers (a company group)."""

    scheme_id: int
    employer_id: int
    employer_name: str
    kind: str  # OP, NP, ...
    number: str  # scheme number within the contract, e.g. "01"
    name: str
    contract_number: str
    insurer_name: str
    label: str


# (scheme id, employer id) of one scheme: built once, it runs on every overview event
_SCHEME_EMPLOYER = sa_select(Scheme.id, Scheme.employer_id).where(Scheme.id == bindparam("scheme_id"))

scheme_id_of = id_of  # an untrusted scheme id (kept as a name: it reads well at the call sites)


def require_scheme(
    db: Session, principal: Principal | None, scheme_id: object, perm: Perm = Perm.PARTICIPANTS_VIEW
) -> Scheme:
    """The scheme ``scheme_id`` if the principal holds ``perm`` and the scheme's employer is in scope."""
    p = require(principal, perm)
    scheme = db.get(Scheme, scheme_id_of(scheme_id))
    if scheme is None or scheme.employer_id not in p.employer_ids:
        raise NoAccess("out_of_scope")
    return scheme


def scheme_in_scope(
    db: Session, principal: Principal | None, scheme_id: object, perm: Perm = Perm.PARTICIPANTS_VIEW
) -> tuple[int, int]:
    """``require_scheme`` for a hot path: (scheme id, employer id) from one Core query, no ORM object."""
    p = require(principal, perm)
    row = db.connection().execute(_SCHEME_EMPLOYER, {"scheme_id": scheme_id_of(scheme_id)}).first()
    if row is None or row[1] not in p.employer_ids:
        raise NoAccess("out_of_scope")
    return int(row[0]), int(row[1])


def schemes_of(
    db: Session, principal: Principal | None, employer_id: object = None, perm: Perm = Perm.PARTICIPANTS_VIEW
) -> list[SchemeOption]:
    """The schemes of ``employer_id`` (untrusted, scope-checked) or, when None, of every employer in the
    principal's scope, ordered by employer, contract and scheme number."""
    p = require(principal, perm)
    ids = [require_employer(p, employer_id, perm)] if employer_id not in (None, "") else sorted(p.employer_ids)
    if not ids:
        return []
    rows = db.exec(
        select(Scheme, Employer.name, Contract.number, Insurer.name)
        .join(Employer, col(Employer.id) == Scheme.employer_id)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .join(Insurer, col(Insurer.id) == Contract.insurer_id)
        .where(col(Scheme.employer_id).in_(ids))
        .order_by(Employer.name, Contract.number, Scheme.number)
    ).all()
    several = len({s.employer_id for s, *_ in rows}) > 1
    options = []
    for scheme, employer_name, contract_number, insurer_name in rows:
        label = f"{scheme.kind} {contract_number}-{scheme.number} {scheme.name}"
        options.append(
            SchemeOption(
                scheme_id=scheme.id or 0,
                employer_id=scheme.employer_id,
                employer_name=employer_name,
                kind=scheme.kind,
                number=scheme.number,
                name=scheme.name,
                contract_number=contract_number,
                insurer_name=insurer_name,
                label=f"{employer_name} · {label}" if several else label,
            )
        )
    return options
