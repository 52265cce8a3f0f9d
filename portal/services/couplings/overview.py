"""What the couplings page shows (INT-4): per insurer of the office's portfolio, whether an address is configured to
send to, the portfolio setting, each company group and each employer's schemes with that insurer, every one with its
effective value and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from portal.domain import coupling as rules
from portal.models import CompanyGroup, Contract, Employer, Insurer, Scheme
from portal.services.couplings.settings import adviser, office_settings
from portal.services.delivery.adapters import base_url
from portal.services.principal import Principal


@dataclass(frozen=True)
class ScopeRow:
    """One switch: the scope, its own setting (None: not set), the effective value and its source."""

    scope: str
    label: str  # employer and scheme name, or the group's name ("" for the portfolio)
    own: bool | None
    enabled: bool
    source: str  # scheme, group, portfolio, none
    source_name: str = ""  # the group's name when the value comes from the group


@dataclass
class InsurerCouplings:
    insurer_id: int
    insurer_name: str
    portfolio: ScopeRow
    configured: bool = True  # False: no address (PORTAL_INSURER_URLS) to send its messages to
    groups: list[ScopeRow] = field(default_factory=list)
    schemes: list[ScopeRow] = field(default_factory=list)


def overview(db: Session, principal: Principal | None) -> list[InsurerCouplings]:
    """Every insurer with a contract in the adviser's portfolio, with its settings (NoAccess for a non-adviser)."""
    p = adviser(principal)
    assert p.office_id is not None
    rows = db.exec(
        select(
            Insurer.id,
            Insurer.name,
            Scheme.id,
            Scheme.name,
            Scheme.number,
            Employer.name,
            Employer.group_id,
            Insurer.code,
        )
        .select_from(Scheme)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .join(Insurer, col(Insurer.id) == Contract.insurer_id)
        .join(Employer, col(Employer.id) == Scheme.employer_id)
        .where(Employer.office_id == p.office_id, col(Employer.id).in_(p.employer_ids))
        .order_by(col(Insurer.name), col(Employer.name), col(Scheme.number))
    ).all()
    groups = {
        g.id: g.name
        for g in db.exec(select(CompanyGroup).where(CompanyGroup.office_id == p.office_id)).all()
        if g.id is not None
    }
    out: dict[int, InsurerCouplings] = {}
    known: dict[int, dict[str, bool]] = {}
    for insurer_id, insurer_name, scheme_id, scheme_name, number, employer_name, group_id, code in rows:
        if insurer_id not in out:
            settings = known[insurer_id] = office_settings(db, p.office_id, insurer_id)
            own = settings.get(rules.PORTFOLIO)
            portfolio = ScopeRow(
                rules.PORTFOLIO, "", own, bool(own), rules.PORTFOLIO if own is not None else rules.NONE
            )
            ins = out[insurer_id] = InsurerCouplings(insurer_id, insurer_name, portfolio, base_url(code) is not None)
            for gid, gname in sorted(groups.items(), key=lambda g: g[1]):
                eff = rules.effective_group(settings, gid)
                ins.groups.append(
                    ScopeRow(
                        f"group:{gid}",
                        gname,
                        settings.get(f"group:{gid}"),
                        eff.enabled,
                        eff.source,
                        gname if eff.source == rules.GROUP else "",
                    )
                )
        settings = known[insurer_id]
        eff = rules.effective(settings, group_id, scheme_id)
        scope = f"scheme:{scheme_id}"
        out[insurer_id].schemes.append(
            ScopeRow(
                scope,
                f"{employer_name} · {scheme_name} ({number})",
                settings.get(scope),
                eff.enabled,
                eff.source,
                groups.get(group_id, "") if eff.source == rules.GROUP else "",
            )
        )
    return list(out.values())
