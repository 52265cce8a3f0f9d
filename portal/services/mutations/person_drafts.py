"""Drafts that add people: a partner or child (MUT-4, EMP-5) and a new participant (MUT-3, EMP-3), validated
from untrusted input without writing; Draft.apply does the writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from portal.domain import plausibility, validation
from portal.domain.dates import (
    FUTURE_MONTHS,
    add_months,
    check_collective_new_window,
)
from portal.domain.errors import RuleError
from portal.domain.locks import status_on
from portal.models import (
    Contract,
    Employment,
    EmploymentVersion,
    Participation,
    Person,
    Relation,
    Scheme,
)
from portal.services.mutations.drafts import (
    CONTACT_FIELDS,
    MIN_AGE_AT_START,
    Draft,
    Target,
    _review_reasons,
    _s,
    _window,
    check_open,
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
