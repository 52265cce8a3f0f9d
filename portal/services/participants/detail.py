"""One participant's detail (EMP-3): personal data, employment, coverages with premium, partner and
children, and the history of changes; always scope-checked and audited (PLT-1: every view is recorded)."""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain.identifiers import format_name
from portal.domain.premium import Coverage, PremiumParameterError, SchemeYearParams, age_at, coverage
from portal.domain.roles import Perm
from portal.models import (
    Contract,
    Employer,
    Employment,
    EmploymentVersion,
    Mutation,
    Participation,
    Person,
    PremiumBand,
    Relation,
    Scheme,
    SchemeYear,
)
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.organisation.acting import KeyName, api_key_names, office_names
from portal.services.organisation.scheme_access import require_scheme
from portal.services.participants.read_table import status_at, terms_day
from portal.services.principal import NoAccess, Principal, acting, require


@dataclass(frozen=True)
class PersonData:
    """Personal data as stored (names exactly as typed); ``name`` is the listing form."""

    person_id: int
    name: str
    initials: str
    first_name: str
    name_prefix: str
    last_name: str
    bsn: str
    birth_date: date
    age: int
    gender: str
    nationality: str
    street: str
    house_number: str
    postcode: str
    city: str
    country: str
    foreign_address: str
    business_email: str
    private_email: str
    language: str


@dataclass(frozen=True)
class EmploymentData:
    """The employment and its terms as of the detail's day (``terms_valid_from``: since when)."""

    employment_id: int
    start_date: date
    end_date: date | None
    salary: Decimal | None
    parttime: Decimal | None
    terms_valid_from: date | None


@dataclass(frozen=True)
class ParticipationData:
    """One scheme the person takes part in at this employer, with premium and coverage for the day's year.

    ``coverage`` is None when there is none to compute; ``coverage_note`` then says why: ``not_active``,
    ``no_terms``, ``no_parameters`` or a ``premium.*`` key of the parameters' error. ``version`` is the
    optimistic-locking counter a change must present.
    """

    participation_id: int
    scheme_id: int
    scheme_kind: str
    scheme_name: str
    scheme_number: str
    contract_number: str
    participant_number: str
    policy_number: str
    status: str
    premium_mode: str
    start_date: date
    end_date: date | None
    version: int
    coverage: Coverage | None
    coverage_note: str


@dataclass(frozen=True)
class RelationData:
    """A current partner or child."""

    relation_id: int
    kind: str  # partner, child
    partner_type: str  # married, registered, cohabiting ('' for a child)
    name: str
    first_name: str
    bsn: str
    birth_date: date | None
    gender: str
    start_date: date | None
    end_date: date | None


@dataclass(frozen=True)
class HistoryEntry:
    """A submitted change, as the history lists it (by effective date, then request time)."""

    mutation_id: int
    kind: str
    scheme_id: int | None
    effective_date: date
    requested_at: datetime
    requested_by_name: str
    on_behalf_of: str
    on_behalf_of_name: str  # the office of an adviser who acted for the employer (INT-2), '' otherwise
    channel: str
    status: str
    review_reason: str
    api_key: KeyName | None = None  # sent by a payroll package with this API key (API-1)
    changes: tuple[tuple[str, str, str], ...] = ()  # (field, old, new) as stored, e.g. a signed form's amount


@dataclass(frozen=True)
class ParticipantDetail:
    """Everything the detail page shows of one participant at one employer, as of ``as_of``."""

    participation_id: int  # the participation that was asked for
    participant_number: str
    employer_id: int
    employer_name: str
    scheme_id: int
    as_of: date
    person: PersonData
    employment: EmploymentData
    participations: list[ParticipationData]
    relations: list[RelationData]
    history: list[HistoryEntry]


def parse_as_of(value: object) -> date | None:
    """An untrusted "as of" day: a ``date``, an ISO text (``2026-11-01``), or nothing (None / '').
    Anything else is a FieldError on field ``as_of`` (message key ``date.invalid``)."""
    if value is None or value == "":
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FieldError("as_of", "date.invalid")


def _find(db: Session, principal: Principal, ref: object, scheme_id: object) -> Participation:
    """The participation ``ref`` (an int id, or a participant number as text) within the principal's scope."""
    query = select(Participation).where(col(Participation.employer_id).in_(sorted(principal.employer_ids)))
    if scheme_id not in (None, ""):
        query = query.where(Participation.scheme_id == require_scheme(db, principal, scheme_id).id)
    if isinstance(ref, int) and not isinstance(ref, bool):
        query = query.where(Participation.id == ref)
    elif isinstance(ref, str) and 0 < len(ref.strip()) <= 20:
        query = query.where(Participation.participant_number == ref.strip())
    else:
        raise NoAccess("bad_id")
    found = db.exec(query.order_by(col(Participation.scheme_id))).all()
    if not found:
        raise NoAccess("not_found")
    if len({(p.employer_id, p.person_id) for p in found}) > 1:
        raise NoAccess("ambiguous")  # the same number at two employers of a group: pass scheme_id
    return found[0]


def scheme_year_params(db: Session, scheme_id: int, year: int) -> SchemeYearParams | None:
    """The premium parameters of a scheme year (None when the year has none; PremiumParameterError when premiums
    cannot be computed from them)."""
    raw = _scheme_years(db, {scheme_id}, year).get(scheme_id)
    return None if raw is None else SchemeYearParams(**raw)


def valid_scheme_year_params(db: Session, scheme_ids: set[int], year: int) -> dict[int, SchemeYearParams]:
    """The premium parameters of ``year`` of every scheme in ``scheme_ids`` (two queries, not one per scheme); a
    scheme year whose parameters premiums cannot be computed from is left out."""
    out: dict[int, SchemeYearParams] = {}
    for scheme_id, raw in _scheme_years(db, scheme_ids, year).items():
        with suppress(PremiumParameterError):
            out[scheme_id] = SchemeYearParams(**raw)
    return out


def _scheme_years(db: Session, scheme_ids: set[int], year: int) -> dict[int, dict[str, Any]]:
    """scheme id → the stored parameters of its year ``year`` (as ``SchemeYearParams`` takes them)."""
    conn = db.connection()
    years = conn.execute(
        select(SchemeYear).where(col(SchemeYear.scheme_id).in_(scheme_ids), SchemeYear.year == year)
    ).all()
    if not years:
        return {}
    bands: dict[int, list[tuple[int, int, Decimal]]] = {}
    for band in conn.execute(
        select(PremiumBand.scheme_year_id, PremiumBand.age_from, PremiumBand.age_to, PremiumBand.percentage)
        .where(col(PremiumBand.scheme_year_id).in_([y.id for y in years]))
        .order_by(col(PremiumBand.scheme_year_id), col(PremiumBand.age_from))
    ):
        bands.setdefault(band[0], []).append((int(band[1]), int(band[2]), Decimal(str(band[3]))))
    return {
        y.scheme_id: {
            "year": y.year,
            "max_salary": Decimal(str(y.max_salary)),
            "franchise": Decimal(str(y.franchise)),
            "bands": tuple(bands.get(y.id, ())),
            "flat_percentage": None if y.flat_percentage is None else Decimal(str(y.flat_percentage)),
            "accrual_percentage": None if y.accrual_percentage is None else Decimal(str(y.accrual_percentage)),
        }
        for y in years
    }


def participation_coverage(
    db: Session, part: Participation, status: str, terms: EmploymentVersion | None, age: int, day: date
) -> tuple[Coverage | None, str]:
    """Premium and coverage of an active participation on ``day`` from the employment terms (MUT-7), or None
    with the reason (``not_active``, ``no_terms``, ``no_parameters`` or a ``premium.*`` key)."""
    if status != "active" or part.start_date > day:
        return None, "not_active"
    return coverage_from_terms(db, part, terms, age, day)


def coverage_from_terms(
    db: Session, part: Participation, terms: EmploymentVersion | None, age: int, day: date
) -> tuple[Coverage | None, str]:
    """The MUT-7 maths for ``part`` with ``terms`` and the parameters of ``day``'s scheme year, whatever the
    participation's status (None with ``no_terms``, ``no_parameters`` or a ``premium.*`` key when it cannot)."""
    if terms is None:
        return None, "no_terms"
    try:
        params = scheme_year_params(db, part.scheme_id, day.year)
        if params is None:
            return None, "no_parameters"
        return coverage(terms.salary, terms.parttime_pct, params, age, part.premium_mode), ""
    except PremiumParameterError as err:
        return None, err.key


def employment_terms(db: Session, employment: Employment, day: date) -> EmploymentVersion | None:
    """The live version of the latest start on or before min(day, employment end) (as the overview)."""
    return db.exec(
        select(EmploymentVersion)
        .where(
            EmploymentVersion.employment_id == employment.id,
            col(EmploymentVersion.superseded_at).is_(None),
            EmploymentVersion.valid_from <= terms_day(day, employment.end_date),
        )
        .order_by(col(EmploymentVersion.valid_from).desc())
        .limit(1)
    ).first()


def _person(person: Person, day: date) -> PersonData:
    return PersonData(
        person_id=person.id or 0,
        name=format_name(person.last_name, person.initials, person.name_prefix),
        initials=person.initials,
        first_name=person.first_name,
        name_prefix=person.name_prefix,
        last_name=person.last_name,
        bsn=person.bsn,
        birth_date=person.birth_date,
        age=age_at(person.birth_date, day),
        gender=person.gender,
        nationality=person.nationality,
        street=person.street,
        house_number=person.house_number,
        postcode=person.postcode,
        city=person.city,
        country=person.country,
        foreign_address=person.foreign_address,
        business_email=person.business_email,
        private_email=person.private_email,
        language=person.language,
    )


def _relations(db: Session, person_id: int, day: date) -> list[RelationData]:
    rows = db.exec(select(Relation).where(Relation.person_id == person_id)).all()
    current = [
        r for r in rows if (r.start_date is None or r.start_date <= day) and (r.end_date is None or r.end_date > day)
    ]
    current.sort(key=lambda r: (r.kind != "partner", r.birth_date or date.min, r.id or 0))
    return [
        RelationData(
            relation_id=r.id or 0,
            kind=r.kind,
            partner_type=r.partner_type,
            name=format_name(r.last_name, r.initials, r.name_prefix),
            first_name=r.first_name,
            bsn=r.bsn,
            birth_date=r.birth_date,
            gender=r.gender,
            start_date=r.start_date,
            end_date=r.end_date,
        )
        for r in current
    ]


def _history(db: Session, employer_id: int, person_id: int, participation_ids: list[int]) -> list[HistoryEntry]:
    rows = db.exec(
        select(Mutation)
        .where(Mutation.employer_id == employer_id)
        .where((Mutation.person_id == person_id) | col(Mutation.participation_id).in_(participation_ids))
        .order_by(col(Mutation.effective_date), col(Mutation.requested_at), col(Mutation.id))
    ).all()
    offices = office_names(db, {m.on_behalf_of for m in rows if m.on_behalf_of})
    keys = api_key_names(db, {m.requested_by_api_key_id for m in rows})
    return [
        HistoryEntry(
            mutation_id=m.id or 0,
            kind=m.kind,
            scheme_id=m.scheme_id,
            effective_date=m.effective_date,
            requested_at=m.requested_at,
            requested_by_name=m.requested_by_name,
            on_behalf_of=m.on_behalf_of,
            on_behalf_of_name=offices.get(m.on_behalf_of, m.on_behalf_of),
            channel=m.channel,
            status=m.status,
            review_reason=m.review_reason,
            api_key=keys.get(m.requested_by_api_key_id or 0),
            changes=_changes(m),
        )
        for m in rows
    ]


def _changes(m: Mutation) -> tuple[tuple[str, str, str], ...]:
    old, new = json.loads(m.old_values or "{}"), json.loads(m.new_values or "{}")
    keys = [k for k in dict.fromkeys([*old, *new]) if k != "scheme_id"]
    return tuple((k, _text(old.get(k)), _text(new.get(k))) for k in keys)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def participant_detail(
    db: Session,
    principal: Principal | None,
    participation_id_or_number: object,
    scheme_id: object = None,
    as_of: date | str | None = None,
) -> ParticipantDetail:
    """The detail of a participant: an int is a participation id, a text a participant number (within
    ``scheme_id`` when given; NoAccess ``ambiguous`` when the number belongs to two people in scope).
    ``as_of``: the day to show (a date or ISO text; default today).
    Anything outside the principal's employers is NoAccess, also when guessed. Records ``participant.viewed``
    in ``db``'s transaction (the caller commits)."""
    p = require(principal, Perm.PARTICIPANTS_VIEW)
    part = _find(db, p, participation_id_or_number, scheme_id)
    day = parse_as_of(as_of) or clock.today()
    person = db.get(Person, part.person_id)
    employment = db.get(Employment, part.employment_id)
    employer = db.get(Employer, part.employer_id)
    if person is None or employment is None or employer is None:  # pragma: no cover - foreign keys
        raise NoAccess("not_found")
    if person.employer_id != part.employer_id:  # pragma: no cover - a person record is its employer's own
        raise NoAccess("not_found")
    terms = employment_terms(db, employment, day)
    age = age_at(person.birth_date, day)
    participations = []
    schemes = db.exec(
        select(Participation, Scheme, Contract.number)
        .join(Scheme, col(Scheme.id) == Participation.scheme_id)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .where(Participation.person_id == person.id, Participation.employer_id == part.employer_id)
        .order_by(col(Contract.number), col(Scheme.number))
    ).all()
    for other, scheme, contract_number in schemes:
        status = status_at(other.status, other.end_date, day)
        cov, note = participation_coverage(db, other, status, terms, age, day)
        participations.append(
            ParticipationData(
                participation_id=other.id or 0,
                scheme_id=scheme.id or 0,
                scheme_kind=scheme.kind,
                scheme_name=scheme.name,
                scheme_number=scheme.number,
                contract_number=contract_number,
                participant_number=other.participant_number,
                policy_number=other.policy_number,
                status=status,
                premium_mode=other.premium_mode,
                start_date=other.start_date,
                end_date=other.end_date,
                version=other.version,
                coverage=cov,
                coverage_note=note,
            )
        )
    audit.record(
        db,
        "participant.viewed",
        actor=p,
        object_type="participation",
        object_id=part.id,
        employer_id=part.employer_id,
        on_behalf_of=acting(p, part.employer_id).for_employer,
        person_id=person.id,
        as_of=day.isoformat(),
    )
    return ParticipantDetail(
        participation_id=part.id or 0,
        participant_number=part.participant_number,
        employer_id=part.employer_id,
        employer_name=employer.name,
        scheme_id=part.scheme_id,
        as_of=day,
        person=_person(person, day),
        employment=EmploymentData(
            employment_id=employment.id or 0,
            start_date=employment.start_date,
            end_date=employment.end_date,
            salary=terms.salary if terms else None,
            parttime=terms.parttime_pct if terms else None,
            terms_valid_from=terms.valid_from if terms else None,
        ),
        participations=participations,
        relations=_relations(db, person.id or 0, day),
        history=_history(db, part.employer_id, person.id or 0, [x.participation_id for x in participations]),
    )
