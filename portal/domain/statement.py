"""What a yearly benefit statement says (DOC-3), from plain values; no I/O, no clock, no formatting.

A statement describes one participation (a person in one scheme) as of 1 January of the year: who, which
scheme, the employment terms valid that day, and the premium and coverage that follow from them with the
scheme year's parameters (MUT-7, ``portal.domain.premium``). A participation that was not active that day,
has no salary/part-time terms, or whose scheme year has no usable parameters gets no statement:
``StatementRefused`` names why (a message key suffix).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from portal.domain.identifiers import format_name
from portal.domain.locks import status_on
from portal.domain.premium import Coverage, PremiumParameterError, SchemeYearParams, age_at, coverage

MIN_YEAR = 2000  # statements before this year are not asked for (and the demo has no parameters for them)
REASONS = ("not_active", "no_terms", "no_parameters")


class StatementRefused(ValueError):
    """No statement can be made; ``reason`` is ``not_active``, ``no_terms``, ``no_parameters`` or a
    ``premium.*`` key of a parameter error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class StatementFacts:
    """The stored facts a statement is made from (as read for 1 January of ``year``)."""

    year: int
    employer_name: str
    scheme_kind: str
    scheme_name: str
    contract_number: str
    scheme_number: str
    participant_number: str
    policy_number: str
    initials: str
    first_name: str
    name_prefix: str
    last_name: str
    birth_date: date
    participation_start: date
    participation_end: date | None
    stored_status: str
    premium_mode: str
    salary: Decimal | None
    parttime: Decimal | None
    language: str = "nl"


@dataclass(frozen=True)
class Statement:
    """What the statement shows; money is Decimal rounded to cents (``coverage``)."""

    year: int
    as_of: date
    language: str
    name: str  # listing form "Assob, G., ter"
    full_name: str  # "Gijs ter Assob" (first name when known, else initials)
    birth_date: date
    age: int
    employer_name: str
    scheme_label: str  # "OP 2024-001-01 Pensioenregeling"
    scheme_kind: str
    participant_number: str
    policy_number: str
    participation_start: date
    salary: Decimal
    parttime: Decimal
    max_salary: Decimal
    franchise: Decimal
    coverage: Coverage


def as_of_day(year: int) -> date:
    """The day a statement of ``year`` describes: 1 January."""
    return date(year, 1, 1)


def full_name(first_name: str, initials: str, prefix: str, last_name: str) -> str:
    """``Gijs ter Assob`` (or ``G. ter Assob`` without a first name)."""
    given = first_name.strip() or initials.strip()
    return " ".join(part for part in (given, prefix.strip(), last_name.strip()) if part)


def active_on(facts: StatementFacts, day: date) -> bool:
    """Whether the participation is active on ``day`` (started, and active by the status rule of MUT-2)."""
    return facts.participation_start <= day and status_on(facts.stored_status, facts.participation_end, day) == "active"


def make_statement(facts: StatementFacts, params: SchemeYearParams | None) -> Statement:
    """The statement of ``facts`` with the scheme year's ``params`` (None: the year has none).
    Raises StatementRefused when there is nothing to state."""
    day = as_of_day(facts.year)
    if not active_on(facts, day):
        raise StatementRefused("not_active")
    if facts.salary is None or facts.parttime is None:
        raise StatementRefused("no_terms")
    if params is None or params.year != facts.year:
        raise StatementRefused("no_parameters")
    age = age_at(facts.birth_date, day)
    try:
        cov = coverage(Decimal(facts.salary), Decimal(facts.parttime), params, age, facts.premium_mode)
    except PremiumParameterError as err:
        raise StatementRefused(err.key) from None
    return Statement(
        year=facts.year,
        as_of=day,
        language=facts.language if facts.language in ("nl", "en") else "nl",
        name=format_name(facts.last_name, facts.initials, facts.name_prefix),
        full_name=full_name(facts.first_name, facts.initials, facts.name_prefix, facts.last_name),
        birth_date=facts.birth_date,
        age=age,
        employer_name=facts.employer_name,
        scheme_label=f"{facts.scheme_kind} {facts.contract_number}-{facts.scheme_number} {facts.scheme_name}",
        scheme_kind=facts.scheme_kind,
        participant_number=facts.participant_number,
        policy_number=facts.policy_number,
        participation_start=facts.participation_start,
        salary=Decimal(facts.salary),
        parttime=Decimal(facts.parttime),
        max_salary=params.max_salary,
        franchise=params.franchise,
        coverage=cov,
    )
