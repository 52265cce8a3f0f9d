"""Acting for an employer (INT-2): which employer an adviser works for, and who "office:<id>" was."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal.domain.roles import FrontEnd, Perm
from portal.models import ApiKey, Employer, IntermediaryOffice
from portal.services.principal import NoAccess, Principal, require

_OFFICE = re.compile(r"office:(\d{1,10})")


@dataclass(frozen=True)
class ActingEmployer:
    """The employer whose pages an adviser has open."""

    id: int
    name: str


def employer_acted_for(db: Session, principal: Principal | None) -> ActingEmployer:
    """The one employer an adviser's principal has been narrowed to (``principal.acting_for``); NoAccess for
    anyone else or a principal that still spans a portfolio."""
    p = require(principal, Perm.ACT_FOR_EMPLOYER, FrontEnd.INTERMEDIARY)
    eid = p.acting_employer_id
    if eid is None:
        raise NoAccess("employer_required")
    employer = db.get(Employer, eid)
    if employer is None:
        raise NoAccess("not_found")
    return ActingEmployer(eid, employer.name)


def office_names(db: Session, refs: set[str]) -> dict[str, str]:
    """The office name of each stored ``on_behalf_of`` reference (``office:<id>``, see ``Acting``); a reference
    whose office is unknown keeps no entry."""
    ids = {int(m.group(1)): ref for ref in refs if (m := _OFFICE.fullmatch(ref or ""))}
    if not ids:
        return {}
    rows = db.exec(select(IntermediaryOffice).where(col(IntermediaryOffice.id).in_(list(ids)))).all()
    return {ids[o.id]: o.name for o in rows if o.id is not None}


@dataclass(frozen=True)
class KeyName:
    """The API key a payroll package sent a change with (API-1), as shown where the change is listed."""

    name: str
    prefix: str


def api_key_names(db: Session, key_ids: set[int | None]) -> dict[int, KeyName]:
    """The name and prefix of each API key in ``key_ids`` (revoked ones included; None is skipped)."""
    ids = sorted(i for i in key_ids if i is not None)
    if not ids:
        return {}
    rows = db.exec(select(ApiKey).where(col(ApiKey.id).in_(ids))).all()
    return {k.id: KeyName(k.name, k.prefix) for k in rows if k.id is not None}
