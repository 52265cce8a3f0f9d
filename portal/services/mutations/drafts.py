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

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal.domain import plausibility, validation
from portal.domain.dates import (
    FUTURE_MONTHS,
    check_future_window,
    needs_retro_review,
)
from portal.domain.effective import Plan, Version, as_of, slot_change
from portal.domain.errors import RuleError
from portal.domain.locks import change_block, status_on
from portal.domain.plausibility import Warning
from portal.models import (
    Employment,
    EmploymentVersion,
    Mutation,
    Participation,
    Person,
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
