"""The readiness check of a coupling scope (INT-4): an address to deliver the insurer's messages to
(``PORTAL_INSURER_URLS``); per employer and scheme, and per participant, what the insurer needs and is missing,
each with the acting page where an adviser fixes it (``/intermediary/employers/<id>/...``).
Set-based: one query for the schemes, one for the participants, one for partners without a start date."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from portal.domain import coupling as rules
from portal.domain.tasks import InsurerData
from portal.models import Contract, Employer, Insurer, Participation, Person, Relation, Scheme
from portal.services.delivery.adapters import base_url
from portal.services.principal import Principal

PARTICIPANT_LIMIT = 50  # participants listed per scheme (the rest counted)
LISTED_STATUSES = ("active", "dormant")  # participants a coupling sends changes of


def employer_link(employer_id: int, item: str, scheme_id: int | None = None) -> str:
    """Where an adviser fixes an employer or scheme item (the acting pages of INT-2): the employer's page for its
    KvK number, else that scheme on the scheme page (auto-enrolment is switched on there)."""
    base = f"/intermediary/employers/{employer_id}"
    if item == "kvk_number":
        return base
    return f"{base}/scheme" + (f"?scheme={scheme_id}" if scheme_id is not None else "")


def participant_link(employer_id: int, number: str) -> str:
    return f"/intermediary/employers/{employer_id}/participants/{number}"


@dataclass(frozen=True)
class ParticipantGap:
    participation_id: int
    number: str
    name: str
    missing: tuple[str, ...]
    link: str


@dataclass
class SchemeReadiness:
    employer_id: int
    employer_name: str
    scheme_id: int
    scheme_name: str
    scheme_number: str
    contract_number: str
    missing: list[str]
    link: str
    participants: list[ParticipantGap] = field(default_factory=list)
    participants_missing: int = 0  # all participants with a gap (``participants`` lists the first ones)

    @property
    def ready(self) -> bool:
        return not self.missing and self.participants_missing == 0

    def link_of(self, item: str) -> str:
        """Where the adviser fixes one missing ``item`` of this employer and scheme."""
        return employer_link(self.employer_id, item, self.scheme_id)


@dataclass
class Readiness:
    scope: str
    schemes: list[SchemeReadiness]
    insurer_name: str = ""
    insurer_missing: list[str] = field(default_factory=list)  # of the insurer itself: an address to deliver to

    @property
    def ready(self) -> bool:
        return not self.insurer_missing and all(s.ready for s in self.schemes)

    @property
    def employer_items(self) -> int:
        return sum(len(s.missing) for s in self.schemes)

    @property
    def participant_items(self) -> int:
        return sum(s.participants_missing for s in self.schemes)


def _schemes(db: Session, office_id: int, insurer_id: int, scope: str) -> list[tuple[Scheme, Contract, Employer]]:
    kind, ident = rules.parse_scope(scope)
    query = (
        select(Scheme, Contract, Employer)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .join(Employer, col(Employer.id) == Scheme.employer_id)
        .where(Employer.office_id == office_id, Contract.insurer_id == insurer_id)
    )
    if kind == rules.GROUP:
        query = query.where(Employer.group_id == ident)
    elif kind == rules.SCHEME:
        query = query.where(Scheme.id == ident)
    return list(db.exec(query.order_by(col(Employer.name), col(Scheme.number))).all())


def readiness(db: Session, p: Principal, insurer_id: int, scope: str) -> Readiness:
    """What is missing before the coupling to ``insurer_id`` may be switched on for ``scope`` (a checked scope of
    ``p``'s office; employers outside ``p``'s portfolio are left out)."""
    assert p.office_id is not None
    insurer = db.get(Insurer, insurer_id)
    code = insurer.code if insurer is not None else ""
    name = insurer.name if insurer is not None else ""
    own = rules.insurer_missing(bool(code) and base_url(code) is not None)
    found = [r for r in _schemes(db, p.office_id, insurer_id, scope) if r[2].id in p.employer_ids]
    out: list[SchemeReadiness] = []
    by_scheme: dict[int, SchemeReadiness] = {}
    for scheme, contract, employer in found:
        assert scheme.id is not None and employer.id is not None
        data = rules.SchemeData(
            code, employer.kvk_number, contract.number, scheme.number, scheme.kind, scheme.auto_enrol
        )
        missing = rules.scheme_missing(data)
        item = SchemeReadiness(
            employer.id,
            employer.name,
            scheme.id,
            scheme.name,
            scheme.number,
            contract.number,
            missing,
            employer_link(employer.id, missing[0] if missing else "", scheme.id),
        )
        out.append(item)
        by_scheme[scheme.id] = item
    if not by_scheme:
        return Readiness(scope, out, name, own)
    ids = list(by_scheme)
    rows = db.exec(
        select(
            Participation.id,
            Participation.scheme_id,
            Participation.employer_id,
            Participation.participant_number,
            Participation.policy_number,
            Person.id,
            Person.first_name,
            Person.name_prefix,
            Person.last_name,
            Person.nationality,
            Person.business_email,
            Person.private_email,
            Person.country,
            Person.foreign_address,
        )
        .join(Person, col(Person.id) == Participation.person_id)
        .where(col(Participation.scheme_id).in_(ids), col(Participation.status).in_(LISTED_STATUSES))
        .order_by(col(Participation.scheme_id), col(Participation.participant_number))
    ).all()
    undated = set(
        db.exec(
            select(Relation.person_id)
            .join(Participation, col(Participation.person_id) == Relation.person_id)
            .where(
                col(Participation.scheme_id).in_(ids),
                Relation.kind == "partner",
                col(Relation.end_date).is_(None),
                col(Relation.start_date).is_(None),
            )
        ).all()
    )
    for pid, sid, eid, number, policy, person_id, first, prefix, last, nat, biz, priv, country, foreign in rows:
        person = InsurerData(nat, biz, priv, country, foreign, (None,) if person_id in undated else ())
        missing = rules.participant_missing(rules.ParticipantData(policy, person))
        if not missing:
            continue
        item = by_scheme[sid]
        item.participants_missing += 1
        if len(item.participants) < PARTICIPANT_LIMIT:
            person_name = " ".join(x for x in (first, prefix, last) if x)
            item.participants.append(
                ParticipantGap(pid or 0, number, person_name, tuple(missing), participant_link(eid, number))
            )
    return Readiness(scope, out, name, own)
