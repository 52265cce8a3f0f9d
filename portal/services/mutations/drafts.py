"""The kinds of individual mutation: validate untrusted input into a ``Draft``, and the writes that apply it.

A builder reads, validates and computes everything (old and new values, warnings, review reasons) without
writing; ``Draft.apply`` does the writes. ``portal.services.mutations.submit`` wraps them with authorization, the
optimistic lock, the mutation row and the audit event. The same builders run again when a mutation that
needed review is approved, from the payload stored in ``Mutation.new_values``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from portal.domain import plausibility, validation
from portal.domain.dates import (
    FUTURE_MONTHS,
    add_months,
    check_collective_new_window,
    check_future_window,
    needs_retro_review,
)
from portal.domain.effective import Plan, Version, as_of, slot_change
from portal.domain.errors import RuleError
from portal.domain.locks import change_block, status_on
from portal.domain.plausibility import Warning
from portal.models import (
    Contract,
    Employment,
    EmploymentVersion,
    Mutation,
    Participation,
    Person,
    Relation,
    Scheme,
)

FIELD_OF_TERM = {"salary": "salary", "parttime_pct": "parttime"}  # version column -> field in old/new values
PERSON_FIELDS = (
    "initials",
    "first_name",
    "name_prefix",
    "last_name",
    "birth_date",
    "gender",
    "nationality",
    "street",
    "house_number",
    "postcode",
    "city",
    "country",
    "foreign_address",
    "business_email",
    "private_email",
    "language",
)
CONTACT_FIELDS = ("street", "house_number", "postcode", "city", "foreign_address", "business_email", "private_email")
MIN_AGE_AT_START = 15


@dataclass
class Target:
    """A participation with what a change on it needs: its employment, scheme and person."""

    participation: Participation
    employment: Employment
    scheme: Scheme
    person: Person
    siblings: list[Participation]  # every participation of the same employment (OP and NP), itself included
    schemes: list[Scheme]  # the schemes of ``siblings``


@dataclass
class Draft:
    """A validated change: what it changes (old → new, as strings), what it warns about, and how to apply it.

    ``new_values`` is also the payload from which an approved review re-builds the draft.
    """

    kind: str
    employer_id: int
    scheme_id: int | None
    effective: date
    old_values: dict[str, str]
    new_values: dict[str, str]
    apply: Callable[[Session, datetime], Participation | None]
    target: Target | None = None
    person_id: int | None = None
    warnings: list[Warning] = field(default_factory=list)
    review_reasons: list[str] = field(default_factory=list)


def _s(value: object) -> str:
    """A value as stored in the JSON columns: ISO dates, Decimals as plain strings, None as ''."""
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def load_target(db: Session, participation: Participation) -> Target:
    """The target of a change on ``participation`` (already scope-checked by the caller)."""
    employment = db.get(Employment, participation.employment_id)
    scheme = db.get(Scheme, participation.scheme_id)
    person = db.get(Person, participation.person_id)
    assert employment is not None and scheme is not None and person is not None
    siblings = list(
        db.exec(
            select(Participation).where(Participation.employment_id == employment.id).order_by(col(Participation.id))
        ).all()
    )
    schemes = [s for s in (db.get(Scheme, p.scheme_id) for p in siblings) if s is not None]
    return Target(participation, employment, scheme, person, siblings, schemes)


def check_open(target: Target, today: date) -> None:
    """MUT-2: the participant has not left, and no collective change runs on any of its schemes."""
    status = status_on(target.participation.status, target.participation.end_date, today)
    locked = any(s.collective_lock_batch is not None for s in target.schemes)
    if key := change_block(status, locked):
        raise RuleError("form", key)


def _retro_months(schemes: list[Scheme]) -> int:
    """The strictest retroactive-review limit of the schemes a change touches."""
    return min((s.retro_review_months for s in schemes), default=0)


def _review_reasons(effective: date, today: date, schemes: list[Scheme], warnings: list[Warning]) -> list[str]:
    reasons = []
    if needs_retro_review(effective, today, _retro_months(schemes)):
        reasons.append("retroactive")
    if warnings:
        reasons.append("plausibility")
    return reasons


def _window(effective: date, today: date, field_name: str) -> None:
    if key := check_future_window(effective, today):
        raise RuleError(field_name, key, {"months": FUTURE_MONTHS})


def _within_employment(effective: date, employment: Employment, field_name: str) -> None:
    if effective < employment.start_date:
        raise RuleError(field_name, "date_before_start", {"start_date": employment.start_date.isoformat()})
    if employment.end_date is not None and effective > employment.end_date:
        raise RuleError(field_name, "date_after_exit", {"end_date": employment.end_date.isoformat()})


# ----------------------------------------------------------------------------------- salary / part-time
def live_versions(db: Session, employment_id: int | None) -> list[Version]:
    """The live (not superseded) employment versions as domain versions, by date; ``ref`` is the row."""
    rows = db.exec(
        select(EmploymentVersion)
        .where(EmploymentVersion.employment_id == employment_id, col(EmploymentVersion.superseded_at).is_(None))
        .order_by(col(EmploymentVersion.valid_from))
    ).all()
    return [
        Version(r.valid_from, r.valid_to, r.recorded_at, {"salary": r.salary, "parttime_pct": r.parttime_pct}, ref=r)
        for r in rows
    ]


def apply_plan(db: Session, employment_id: int, plan: Plan, now: datetime) -> None:
    """Supersede and insert employment versions as ``plan`` says (never an update of terms in place)."""
    for old in plan.supersede:
        old.ref.superseded_at = now
        db.add(old.ref)
    for new in plan.insert:
        db.add(
            EmploymentVersion(
                employment_id=employment_id,
                valid_from=new.valid_from,
                valid_to=new.valid_to,
                recorded_at=now,
                salary=new.values["salary"],
                parttime_pct=new.values["parttime_pct"],
            )
        )


def build_salary_parttime(
    db: Session, target: Target, effective: object, salary: object, parttime: object, today: date
) -> Draft:
    """A salary and/or part-time change effective on ``effective``, slotted into the history (MUT-3)."""
    check_open(target, today)
    day = validation.require_date(effective, "effective")
    _window(day, today, "effective")
    _within_employment(day, target.employment, "effective")
    changes: dict[str, Decimal] = {}
    if salary is not None and not (isinstance(salary, str) and not salary.strip()):
        changes["salary"] = validation.parse_salary(salary)
    if parttime is not None and not (isinstance(parttime, str) and not parttime.strip()):
        changes["parttime_pct"] = validation.parse_parttime(parttime)
    if not changes:
        raise RuleError("salary", "change_required")
    versions = live_versions(db, target.employment.id)
    cover = as_of(versions, day)
    if cover is None:
        raise RuleError("effective", "date_before_start", {"start_date": target.employment.start_date.isoformat()})
    if all(cover.values[k] == v for k, v in changes.items()):
        raise RuleError("salary" if "salary" in changes else "parttime", "no_change")
    warnings = plausibility.salary_change(cover.values["salary"], changes.get("salary")) if "salary" in changes else []
    warnings += plausibility.parttime_change(changes.get("parttime_pct"))
    employment_id = target.employment.id
    assert employment_id is not None

    def apply(db: Session, now: datetime) -> Participation:
        plan = slot_change(live_versions(db, employment_id), day, changes, now)
        apply_plan(db, employment_id, plan, now)
        return target.participation

    return Draft(
        kind="salary_parttime",
        employer_id=target.participation.employer_id,
        scheme_id=target.scheme.id,
        effective=day,
        old_values={FIELD_OF_TERM[k]: _s(cover.values[k]) for k in changes},
        new_values={FIELD_OF_TERM[k]: _s(v) for k, v in changes.items()},
        apply=apply,
        target=target,
        person_id=target.person.id,
        warnings=warnings,
        review_reasons=_review_reasons(day, today, target.schemes, warnings),
    )


# ----------------------------------------------------------------------------------------------- exit
def pending_exit(db: Session, employment_id: int | None, exclude_id: int | None = None) -> bool:
    """Whether an exit for this employment waits for review."""
    query = (
        select(func.count())
        .select_from(Mutation)
        .join(Participation, col(Participation.id) == Mutation.participation_id)
        .where(Participation.employment_id == employment_id, Mutation.kind == "exit")
        .where(Mutation.status == "needs_review")
    )
    if exclude_id is not None:
        query = query.where(Mutation.id != exclude_id)
    return int(db.exec(query).one()) > 0


def build_exit(
    db: Session, target: Target, exit_date: object, today: date, exclude_mutation: int | None = None
) -> Draft:
    """An exit (uitdiensttreding): ``exit_date`` is the last day in service; after it the participant is
    dormant (stored at once; ``status_on`` shows ``active`` until and including that day)."""
    check_open(target, today)
    day = validation.require_date(exit_date, "exit_date")
    _window(day, today, "exit_date")
    validation.check_exit(day, target.employment.start_date)
    if target.employment.end_date is not None:
        raise RuleError("exit_date", "exit_exists", {"end_date": target.employment.end_date.isoformat()})
    if pending_exit(db, target.employment.id, exclude_mutation):
        raise RuleError("exit_date", "exit_pending")
    warnings = plausibility.exit_date(day, today)

    def apply(db: Session, now: datetime) -> Participation:
        target.employment.end_date = day
        db.add(target.employment)
        for p in target.siblings:
            if p.status == "active":
                p.end_date = day
                p.status = "dormant"
                db.add(p)
        return target.participation

    return Draft(
        kind="exit",
        employer_id=target.participation.employer_id,
        scheme_id=target.scheme.id,
        effective=day,
        old_values={"end_date": "", "status": target.participation.status},
        new_values={"end_date": _s(day), "status": "dormant"},
        apply=apply,
        target=target,
        person_id=target.person.id,
        warnings=warnings,
        review_reasons=_review_reasons(day, today, target.schemes, warnings),
    )


# ------------------------------------------------------------------------------------ partner / child
def _names(values: dict[str, Any]) -> dict[str, str]:
    """Name fields as typed (only surrounding blanks removed); the last name is required."""
    return {
        "initials": validation.clean_text(values.get("initials"), "initials", limit=20),
        "first_name": validation.clean_text(values.get("first_name"), "first_name", limit=validation.NAME_LIMIT),
        "name_prefix": validation.clean_text(values.get("name_prefix"), "name_prefix", limit=20),
        "last_name": validation.clean_last_name(values.get("last_name")),
    }


def build_relation(db: Session, target: Target, values: dict[str, Any], today: date) -> Draft:
    """A partner or child of the participant (BSN required; partner rules of MUT-4)."""
    check_open(target, today)
    kind = values.get("kind")
    if kind not in ("partner", "child"):
        raise RuleError("kind", "relation_kind_invalid")
    bsn = validation.parse_bsn(values.get("bsn"))
    if bsn == target.person.bsn:
        raise RuleError("bsn", "relation_bsn_own")
    names = _names(values)
    birth = validation.require_date(values.get("birth_date"), "birth_date")
    validation.check_birth_date(birth, today)
    gender = validation.clean_gender(values.get("gender"))
    start = validation.parse_date(values.get("start_date"), "start_date", required=False)
    partner_type = ""
    if kind == "partner":
        present = db.exec(
            select(Relation.id).where(
                Relation.person_id == target.person.id,
                Relation.kind == "partner",
                or_(col(Relation.end_date).is_(None), col(Relation.end_date) > (start or today)),
            )
        ).first()
        partner_type = validation.check_partner(values.get("partner_type"), start, present is not None)
    else:
        start = start or birth
    assert start is not None
    _window(start, today, "start_date")
    if start < birth:
        raise RuleError("start_date", "start_before_birth")
    duplicate = db.exec(
        select(Relation.id).where(
            Relation.person_id == target.person.id, Relation.bsn == bsn, col(Relation.end_date).is_(None)
        )
    ).first()
    if duplicate is not None:
        raise RuleError("bsn", "relation_exists")
    new = {"kind": kind, "bsn": bsn, **names, "birth_date": _s(birth), "gender": gender}
    new |= {"partner_type": partner_type, "start_date": _s(start)}

    def apply(db: Session, now: datetime) -> Participation:
        db.add(
            Relation(
                person_id=target.person.id,
                kind=kind,
                partner_type=partner_type,
                bsn=bsn,
                birth_date=birth,
                gender=gender,
                start_date=start,
                recorded_at=now,
                **names,
            )
        )
        return target.participation

    return Draft(
        kind=kind,
        employer_id=target.participation.employer_id,
        scheme_id=target.scheme.id,
        effective=start,
        old_values={},
        new_values=new,
        apply=apply,
        target=target,
        person_id=target.person.id,
    )


# ------------------------------------------------------------------------------------- new participant
def _person_values(values: dict[str, Any], today: date) -> dict[str, Any]:
    country = validation.clean_country(values.get("country"), "country")
    birth = validation.require_date(values.get("birth_date"), "birth_date")
    validation.check_birth_date(birth, today)
    return {
        **_names(values),
        "birth_date": birth,
        "gender": validation.clean_gender(values.get("gender")),
        "nationality": validation.clean_country(values.get("nationality"), "nationality"),
        "street": validation.clean_text(values.get("street"), "street", limit=100),
        "house_number": validation.clean_text(values.get("house_number"), "house_number", limit=20),
        "postcode": validation.clean_postcode(values.get("postcode"), country),
        "city": validation.clean_text(values.get("city"), "city", limit=100),
        "country": country,
        "foreign_address": validation.clean_text(values.get("foreign_address"), "foreign_address", limit=300),
        "business_email": validation.clean_email(values.get("business_email"), "business_email"),
        "private_email": validation.clean_email(values.get("private_email"), "private_email"),
        "language": validation.clean_language(values.get("language")),
    }


def next_participant_number(db: Session, employer_id: int) -> str:
    """One more than the employer's highest numeric participant number (100001 for the first)."""
    rows = db.exec(
        select(Participation.participant_number)
        .where(Participation.employer_id == employer_id)
        .order_by(func.length(Participation.participant_number).desc(), col(Participation.participant_number).desc())
        .limit(50)
    ).all()
    highest = max((int(n) for n in rows if n.isdigit()), default=100_000)
    return str(highest + 1)


def _existing_participation(
    db: Session, person_id: int | None, employer_id: int, scheme_ids: list[int], day: date
) -> bool:
    """Whether the person is still a participant in one of ``scheme_ids`` or employed here on ``day``."""
    if person_id is None:
        return False
    parts = db.exec(
        select(Participation).where(Participation.person_id == person_id, col(Participation.scheme_id).in_(scheme_ids))
    ).all()
    if any(status_on(p.status, p.end_date, day) == "active" for p in parts):
        return True
    open_job = db.exec(
        select(Employment.id).where(
            Employment.person_id == person_id,
            Employment.employer_id == employer_id,
            or_(col(Employment.end_date).is_(None), col(Employment.end_date) >= day),
        )
    ).first()
    return open_job is not None


def build_new_participant(
    db: Session,
    employer_id: int,
    scheme: Scheme,
    values: dict[str, Any],
    today: date,
    collective_batch: int | None = None,
) -> Draft:
    """A new participant (hire + enrolment) in ``scheme`` and every other scheme of the same contract.
    ``collective_batch``: a row of that collective file (BULK-2): the start date may lie from three months
    back to three months ahead (MUT-1), and the batch's own collective lock does not block it."""
    schemes = list(db.exec(select(Scheme).where(Scheme.contract_id == scheme.contract_id).order_by(col(Scheme.id))))
    if any(s.collective_lock_batch not in (None, collective_batch) for s in schemes):
        raise RuleError("form", "scheme_collective_lock")
    bsn = validation.parse_bsn(values.get("bsn"))
    person_values = _person_values(values, today)
    start = validation.require_date(values.get("start_date"), "start_date")
    if collective_batch is None:
        _window(start, today, "start_date")
    elif key := check_collective_new_window(start, today):
        raise RuleError("start_date", key, {"months": FUTURE_MONTHS})
    contract = db.get(Contract, scheme.contract_id)
    assert contract is not None
    if start < contract.start_date:
        raise RuleError("start_date", "date_before_contract", {"start_date": contract.start_date.isoformat()})
    if contract.end_date is not None and start >= contract.end_date:
        raise RuleError("start_date", "date_after_contract", {"end_date": contract.end_date.isoformat()})
    if add_months(person_values["birth_date"], 12 * MIN_AGE_AT_START) > start:
        raise RuleError("birth_date", "participant_too_young", {"age": MIN_AGE_AT_START})
    salary = validation.parse_salary(values.get("salary"))
    parttime = validation.parse_parttime(values.get("parttime"))
    takes_over = values.get("takes_over_previous_contract") in (True, "true", "1", "on")
    # Only this employer's own record of the BSN: a BSN known at another employer gives no message and gets
    # this employer's own record from what it entered (nothing of the other employment is read or shown).
    person = db.exec(select(Person).where(Person.employer_id == employer_id, Person.bsn == bsn)).first()
    if person is not None and person.birth_date != person_values["birth_date"]:
        raise RuleError("bsn", "bsn_person_mismatch")
    scheme_ids = [s.id for s in schemes if s.id is not None]
    if _existing_participation(db, person.id if person else None, employer_id, scheme_ids, start):
        raise RuleError("bsn", "bsn_already_participant")
    warnings = plausibility.new_participant(start, today, takes_over)
    new = {"bsn": bsn, **{k: _s(v) for k, v in person_values.items()}, "start_date": _s(start)}
    new |= {"salary": _s(salary), "parttime": _s(parttime), "scheme_id": _s(scheme.id)}
    if takes_over:
        new["takes_over_previous_contract"] = "true"

    def apply(db: Session, now: datetime) -> Participation:
        nonlocal person
        if person is None:
            person = Person(employer_id=employer_id, bsn=bsn, created_at=now, **person_values)
        else:  # someone coming back to this employer: keep its data of them, fill in what was still empty
            for key in CONTACT_FIELDS:
                if not getattr(person, key) and person_values[key]:
                    setattr(person, key, person_values[key])
        db.add(person)
        db.flush()
        employment = Employment(person_id=person.id, employer_id=employer_id, start_date=start)
        db.add(employment)
        db.flush()
        db.add(
            EmploymentVersion(
                employment_id=employment.id, valid_from=start, recorded_at=now, salary=salary, parttime_pct=parttime
            )
        )
        number = next_participant_number(db, employer_id)
        chosen: Participation | None = None
        for s in schemes:
            part = Participation(
                person_id=person.id,
                employment_id=employment.id,
                scheme_id=s.id,
                employer_id=employer_id,
                participant_number=number,
                start_date=start,
            )
            db.add(part)
            chosen = part if s.id == scheme.id else chosen
        db.flush()
        return chosen

    return Draft(
        kind="new_participant",
        employer_id=employer_id,
        scheme_id=scheme.id,
        effective=start,
        old_values={},
        new_values=new,
        apply=apply,
        person_id=person.id if person else None,
        warnings=warnings,
        review_reasons=[] if collective_batch is not None else _review_reasons(start, today, schemes, warnings),
    )
