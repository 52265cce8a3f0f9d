"""Coupling settings (INT-4): an adviser switches the coupling to an insurer on or off for a scope of their own
office's portfolio (the whole portfolio, a company group, one employer's scheme); the most specific setting wins
(``portal.domain.coupling.effective``). Switching on is refused while the readiness check of the scope shows missing
items; switching off is always allowed. Every change is audited; an id outside the office raises ``NoAccess``
before anything is read or written (the caller audits the refusal the common way, ``usecase.run(..., deny=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import coupling as rules
from portal.domain.roles import FrontEnd, Perm, may_change_scheme_settings
from portal.models import CompanyGroup, Contract, CouplingSetting, Employer, Insurer, Scheme
from portal.services import audit
from portal.services.couplings.readiness import Readiness, readiness
from portal.services.errors import FieldError, by_rules
from portal.services.principal import NoAccess, Principal, id_of, require

OTHER_OFFICE = "other_office"
OUT_OF_SCOPE = "out_of_scope"


def adviser(principal: Principal | None) -> Principal:
    """An adviser of an office (``Perm.ACT_FOR_EMPLOYER`` on the intermediary front end); NoAccess otherwise."""
    p = require(principal, Perm.ACT_FOR_EMPLOYER, FrontEnd.INTERMEDIARY)
    if p.office_id is None:
        raise NoAccess("no_office")
    return p


def office_settings(db: Session, office_id: int, insurer_id: int) -> dict[str, bool]:
    """The office's settings for one insurer: scope text → enabled."""
    rows = db.exec(
        select(CouplingSetting.scope, CouplingSetting.enabled).where(
            CouplingSetting.office_id == office_id, CouplingSetting.insurer_id == insurer_id
        )
    ).all()
    return {scope: bool(enabled) for scope, enabled in rows}


def coupled_insurer(db: Session, scheme_id: int | None) -> int | None:
    """The insurer whose coupling is on for scheme ``scheme_id`` (most specific setting of the employer's office),
    or None. Two indexed reads; called for every processed mutation."""
    if scheme_id is None:
        return None
    row = db.exec(
        select(Contract.insurer_id, Employer.office_id, Employer.group_id)
        .select_from(Scheme)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .join(Employer, col(Employer.id) == Scheme.employer_id)
        .where(Scheme.id == scheme_id)
    ).first()
    if row is None or row[1] is None:
        return None
    insurer_id, office_id, group_id = row
    scopes = [rules.PORTFOLIO, f"scheme:{scheme_id}"] + ([f"group:{group_id}"] if group_id is not None else [])
    settings = dict(
        db.exec(
            select(CouplingSetting.scope, CouplingSetting.enabled).where(
                CouplingSetting.office_id == office_id,
                CouplingSetting.insurer_id == insurer_id,
                col(CouplingSetting.scope).in_(scopes),
            )
        ).all()
    )
    return insurer_id if rules.effective(settings, group_id, scheme_id).enabled else None


@dataclass(frozen=True)
class Scope:
    """A checked scope of the adviser's office: its text and the group or scheme (and employer) it names."""

    text: str
    kind: str
    group_id: int | None = None
    employer_id: int | None = None
    scheme_id: int | None = None


def office_scope(db: Session, p: Principal, insurer_id: int, scope: object) -> Scope:
    """The scope ``scope`` (untrusted) within ``p``'s office: a group of the office, or a scheme (under a contract
    with the insurer) of an employer in the office's portfolio; NoAccess for anything else."""
    kind, ident = by_rules(rules.parse_scope, scope)
    if kind == rules.PORTFOLIO:
        return Scope(rules.PORTFOLIO, kind)
    assert ident is not None
    if kind == rules.GROUP:
        group = db.get(CompanyGroup, ident)
        if group is None:
            raise NoAccess("not_found")
        if group.office_id != p.office_id:
            raise NoAccess(OTHER_OFFICE)
        return Scope(rules.scope_of(kind, ident), kind, group_id=ident)
    scheme = db.get(Scheme, ident)
    if scheme is None:
        raise NoAccess("not_found")
    employer = db.get(Employer, scheme.employer_id)
    if employer is None or employer.office_id != p.office_id:
        raise NoAccess(OTHER_OFFICE)
    if scheme.employer_id not in p.employer_ids:
        raise NoAccess(OUT_OF_SCOPE)
    contract = db.get(Contract, scheme.contract_id)
    if contract is None or contract.insurer_id != insurer_id:
        raise NoAccess(OUT_OF_SCOPE)  # a scheme with another insurer: not a scope of this coupling
    return Scope(rules.scope_of(kind, ident), kind, employer_id=scheme.employer_id, scheme_id=ident)


def set_auto_enrol(db: Session, principal: Principal | None, scheme_id: object, enabled: object) -> Scheme:
    """Switch auto-enrolment of new employees ("aan bij WN", a readiness item) on or off for a scheme of an employer
    in the adviser's office's portfolio (while acting for one employer: of that employer); only those who may change
    scheme settings (``roles.may_change_scheme_settings``); audited."""
    p = adviser(principal)
    if not may_change_scheme_settings(p.front_end, p.perms):
        raise NoAccess("missing_role")
    scheme = db.get(Scheme, id_of(scheme_id))
    if scheme is None:
        raise NoAccess("not_found")
    employer = db.get(Employer, scheme.employer_id)
    if employer is None or employer.office_id != p.office_id:
        raise NoAccess(OTHER_OFFICE)
    if scheme.employer_id not in p.employer_ids:
        raise NoAccess(OUT_OF_SCOPE)
    if not isinstance(enabled, bool):
        raise FieldError("enabled", "coupling_enabled_invalid")
    before, scheme.auto_enrol = scheme.auto_enrol, enabled
    db.add(scheme)
    db.flush()
    audit.record(
        db, "scheme.auto_enrol", actor=p, object_type="scheme", object_id=scheme.id, employer_id=scheme.employer_id,
        enabled=enabled, before=before,
    )  # fmt: skip
    return scheme


def check_readiness(db: Session, principal: Principal | None, insurer_id: object, scope: object) -> Readiness:
    """The readiness check of ``scope`` (untrusted) of the adviser's office for ``insurer_id`` (untrusted)."""
    p = adviser(principal)
    insurer = db.get(Insurer, id_of(insurer_id))
    if insurer is None or insurer.id is None:
        raise NoAccess("not_found")
    return readiness(db, p, insurer.id, office_scope(db, p, insurer.id, scope).text)


def set_coupling(
    db: Session, principal: Principal | None, insurer_id: object, scope: object, enabled: object
) -> CouplingSetting:
    """Switch the coupling to ``insurer_id`` on or off for ``scope`` of the adviser's office. On is refused while
    no address is configured for the insurer (``coupling_no_address``) and while the scope's readiness check shows
    missing items (``coupling_not_ready``, with the count of what is missing)."""
    p = adviser(principal)
    assert p.office_id is not None
    insurer = db.get(Insurer, id_of(insurer_id))
    if insurer is None or insurer.id is None:
        raise NoAccess("not_found")
    checked = office_scope(db, p, insurer.id, scope)
    if not isinstance(enabled, bool):
        raise FieldError("enabled", "coupling_enabled_invalid")
    if enabled:
        ready = readiness(db, p, insurer.id, checked.text)
        if ready.insurer_missing:
            raise FieldError("scope", "coupling_no_address", {"insurer": insurer.name})
        if not ready.ready:
            raise FieldError(
                "scope",
                "coupling_not_ready",
                {"employers": ready.employer_items, "participants": ready.participant_items},
            )
    setting = db.exec(
        select(CouplingSetting).where(
            CouplingSetting.office_id == p.office_id,
            CouplingSetting.insurer_id == insurer.id,
            CouplingSetting.scope == checked.text,
        )
    ).first()
    before = setting.enabled if setting is not None else None
    if setting is None:
        setting = CouplingSetting(
            office_id=p.office_id,
            insurer_id=insurer.id,
            scope=checked.text,
            group_id=checked.group_id,
            employer_id=checked.employer_id,
            scheme_id=checked.scheme_id,
        )
    setting.enabled = enabled
    setting.set_by_name = p.display_name or p.username
    setting.set_at = clock.now()
    db.add(setting)
    db.flush()
    audit.record(
        db,
        "coupling.set",
        actor=p,
        object_type="coupling_setting",
        object_id=setting.id,
        employer_id=checked.employer_id,
        insurer=insurer.code,
        scope=checked.text,
        enabled=enabled,
        before=before,
    )
    return setting
