"""The scheme page (EMP-7): the schemes of the employer(s) in scope and one scheme's data and yearly parameters.

Read only for the employer: scheme changes go through the insurer. The one setting an adviser changes here,
auto-enrolment of new employees (a coupling prerequisite), is ``couplings.set_auto_enrol``; the view says whether the
viewer may. The scheme id comes from the browser and is checked against the principal's scope here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain.roles import Perm, may_change_scheme_settings
from portal.models import Contract, Participation, PremiumBand, Scheme, SchemeYear
from portal.services.organisation.scheme_access import scheme_id_of, schemes_of
from portal.services.principal import NoAccess, Principal, require


@dataclass(frozen=True)
class SchemeChoice:
    """One entry of the scheme selector."""

    id: int
    kind: str
    name: str
    number: str  # contract number - scheme number
    employer_name: str


@dataclass(frozen=True)
class Band:
    """An age band (staffel) of a scheme year."""

    age_from: int
    age_to: int
    percentage: Decimal


@dataclass(frozen=True)
class YearParameters:
    """The parameters of one scheme year (MUT-7): never constants in code, always read from here."""

    year: int
    max_salary: Decimal
    franchise: Decimal
    premium_mode: str  # staffel | flat | staffel_or_flat | none
    flat_percentage: Decimal | None
    accrual_percentage: Decimal | None
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class SchemeView:
    """What the scheme page shows: the choices and the chosen scheme's data (None when there is none)."""

    choices: list[SchemeChoice]
    id: int | None = None
    kind: str = ""
    name: str = ""
    contract_number: str = ""
    scheme_number: str = ""
    insurer: str = ""
    employer_name: str = ""
    start_date: date | None = None
    end_date: date | None = None
    participants: dict[str, int] | None = None  # status -> count
    auto_enrol: bool = False  # new employees are enrolled automatically ("aan bij WN", a coupling prerequisite)
    may_change_settings: bool = False  # the viewer may change the scheme's settings (an adviser)
    years: tuple[YearParameters, ...] = ()  # current year first, then the previous ones


def _premium_mode(flat: Decimal | None, has_bands: bool) -> str:
    if flat is not None and has_bands:
        return "staffel_or_flat"
    if flat is not None:
        return "flat"
    return "staffel" if has_bands else "none"


def _years(db: Session, scheme_id: int, today: date) -> tuple[YearParameters, ...]:
    """Parameters of the current year and the years before it, newest first (the first year if all lie ahead)."""
    rows = list(db.exec(select(SchemeYear).where(SchemeYear.scheme_id == scheme_id).order_by(col(SchemeYear.year))))
    if not rows:
        return ()
    shown = [r for r in rows if r.year <= today.year] or rows[:1]
    bands: dict[int, list[Band]] = defaultdict(list)
    ids = [r.id for r in shown]
    for b in db.exec(
        select(PremiumBand).where(col(PremiumBand.scheme_year_id).in_(ids)).order_by(col(PremiumBand.age_from))
    ):
        bands[b.scheme_year_id].append(Band(b.age_from, b.age_to, Decimal(b.percentage)))
    return tuple(
        YearParameters(
            year=r.year,
            max_salary=Decimal(r.max_salary),
            franchise=Decimal(r.franchise),
            premium_mode=_premium_mode(r.flat_percentage, bool(bands.get(r.id or 0))),
            flat_percentage=None if r.flat_percentage is None else Decimal(r.flat_percentage),
            accrual_percentage=None if r.accrual_percentage is None else Decimal(r.accrual_percentage),
            bands=tuple(bands.get(r.id or 0, ())),
        )
        for r in reversed(shown)
    )


def scheme_overview(
    db: Session, principal: Principal | None, scheme_id: object = None, today: date | None = None
) -> SchemeView:
    """The schemes of the employer(s) in scope and the chosen one (the first when ``scheme_id`` is empty).

    ``scheme_id`` is untrusted: a garbage id or a scheme of another employer raises NoAccess.
    """
    p = require(principal, Perm.SCHEME_VIEW)
    today = today or clock.today()
    wanted = None if scheme_id in (None, "") else scheme_id_of(scheme_id)
    if not p.employer_ids:
        raise NoAccess("out_of_scope")
    options = schemes_of(db, p, perm=Perm.SCHEME_VIEW)
    choices = [
        SchemeChoice(o.scheme_id, o.kind, o.name, f"{o.contract_number}-{o.number}", o.employer_name) for o in options
    ]
    if wanted is not None and wanted not in {c.id for c in choices}:
        raise NoAccess("out_of_scope")
    if not options:
        return SchemeView(choices=[])
    chosen = next(o for o in options if wanted is None or o.scheme_id == wanted)
    scheme = db.get(Scheme, chosen.scheme_id)
    contract = db.get(Contract, scheme.contract_id) if scheme else None
    assert scheme is not None and contract is not None
    insurer, employer = chosen.insurer_name, chosen.employer_name
    assert scheme.id is not None
    counts = dict(
        db.exec(
            select(Participation.status, func.count())
            .where(Participation.scheme_id == scheme.id)
            .group_by(Participation.status)
        ).all()
    )
    return SchemeView(
        choices=choices,
        id=scheme.id,
        kind=scheme.kind,
        name=scheme.name,
        contract_number=contract.number,
        scheme_number=scheme.number,
        insurer=insurer,
        employer_name=employer,
        start_date=contract.start_date,
        end_date=contract.end_date,
        participants={str(k): int(v) for k, v in counts.items()},
        auto_enrol=scheme.auto_enrol,
        may_change_settings=may_change_scheme_settings(p.front_end, p.perms),
        years=_years(db, scheme.id, today),
    )
