"""The portfolio dashboard's per-employer figures (INT-1), each kind one GROUP BY over all employers asked for.

Participant counts and the yearly premium read the participant overview's indexed rows (``participant_list``,
as of today) and depend only on the employer's data: an employer's ``data_version`` goes up in the same
transaction as every change of its data, so they are kept per (employer, data version, day) in the caller's
``PortfolioMemo`` and computed again only for the employers whose version moved. Reviews waiting and collective
batches change without every change of participant data and cost an index look-up: they are always read.

Yearly premium (MUT-7): for each participation that is active today, with today's full-time salary and
part-time %, the scheme year of today's year, the age band holding the participant's age today (or the flat
percentage for a participant on the flat premium), in whole cents rounded half up per participation
(``domain.portfolio.premium_cents``, computed with integers in SQL so SQLite and PostgreSQL agree with the
Decimal rules to the cent), summed per employer. A participation without salary, scheme-year parameters or a
band for its age adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, cast, extract, func, literal, or_, select
from sqlmodel import Session, col

from portal.domain.charts import STATUSES
from portal.domain.portfolio import BATCH_FAILED, BATCH_WAITING, PREMIUM_DIVISOR
from portal.models import (
    Batch,
    CompanyGroup,
    Employer,
    Mutation,
    ParticipantListRow,
    Participation,
    Person,
    PremiumBand,
    SchemeYear,
)
from portal.services.participants import read_table

L = ParticipantListRow


@dataclass(frozen=True)
class Heavy:
    """What is kept per employer between requests: persons per status and the yearly premium in cents, valid
    for ``key`` (data version, day)."""

    key: tuple[int, date]
    status: dict[str, int]
    premium_cents: int


@dataclass
class PortfolioMemo:
    """The caller's memory of earlier dashboard reads (a page's server-side state, never what the browser sent)."""

    heavy: dict[int, Heavy] = field(default_factory=dict)


@dataclass(frozen=True)
class EmployerFigures:
    """One employer of the portfolio with its figures as of today."""

    id: int
    name: str
    kvk_number: str
    group_id: int | None
    group: str
    status: dict[str, int]  # distinct persons per participant status
    premium: Decimal  # yearly premium volume, euros
    reviews: int  # changes waiting for review (MUT-6)
    batches_failed: int
    batches_waiting: int

    @property
    def active(self) -> int:
        return self.status.get("active", 0)

    @property
    def dormant(self) -> int:
        return self.status.get("dormant", 0)


def _bigint(value: Any, scale: int) -> ColumnElement[int]:
    return cast(func.round(value * scale), BigInteger)


def _age(birth: Any, today: date) -> ColumnElement[int]:
    """SQL of ``domain.premium.age_at``: completed years on ``today``."""
    not_yet = extract("month", birth) * 100 + extract("day", birth) > today.month * 100 + today.day
    return literal(today.year) - extract("year", birth) - case((not_yet, 1), else_=0)


def _premium_cents(today: date) -> tuple[Any, ColumnElement[int]]:
    """(source, SQL of ``domain.portfolio.premium_cents`` per listed participation)."""
    age = _age(Person.birth_date, today)
    source = (
        L.__table__.join(Participation, col(Participation.id) == L.participation_id)  # type: ignore[attr-defined]
        .join(Person, col(Person.id) == L.person_id)
        .join(SchemeYear, and_(col(SchemeYear.scheme_id) == L.listed_scheme_id, SchemeYear.year == today.year))
        .outerjoin(
            PremiumBand,
            and_(
                col(PremiumBand.scheme_year_id) == SchemeYear.id,
                col(PremiumBand.age_from) <= age,
                col(PremiumBand.age_to) >= age,
            ),
        )
    )
    pct = func.coalesce(
        case((Participation.premium_mode == "flat", SchemeYear.flat_percentage), else_=PremiumBand.percentage), 0
    )
    salary, maximum, franchise = (
        _bigint(L.salary, 100),
        _bigint(SchemeYear.max_salary, 100),
        _bigint(SchemeYear.franchise, 100),
    )
    capped = case((salary > maximum, maximum), else_=salary)
    base = case((capped > franchise, capped - franchise), else_=literal(0, BigInteger))
    product = base * _bigint(L.parttime, 1000) * _bigint(pct, 1000)
    return source, (product + PREMIUM_DIVISOR // 2) // literal(PREMIUM_DIVISOR, BigInteger)


def _refresh_due(db: Session, ids: list[int], today: date) -> None:
    """Bring the list rows up to today for the employers that have rows due (one query finds them; usually none)."""
    due = select(L.employer_id).where(
        col(L.employer_id).in_(ids), or_(col(L.fresh_until) <= today, col(L.fresh_from) > today)
    )
    for employer_id in sorted(set(db.connection().execute(due.distinct()).scalars())):
        read_table.refresh_due(db, employer_id, today)


def _heavy(db: Session, ids: list[int], versions: dict[int, int], today: date) -> dict[int, Heavy]:
    """Persons per status and premium cents of ``ids``, two GROUP BY queries over all of them."""
    conn = db.connection()
    status: dict[int, dict[str, int]] = {i: dict.fromkeys(STATUSES, 0) for i in ids}
    for employer_id, state, number in conn.execute(
        select(L.employer_id, L.status, func.count(func.distinct(L.person_id)))
        .where(col(L.employer_id).in_(ids), col(L.listed_scheme_id).is_not(None))
        .group_by(L.employer_id, L.status)
    ):
        status[employer_id][state] = int(number)
    source, cents = _premium_cents(today)
    premium: dict[int, int] = {}
    for employer_id, total in conn.execute(
        select(L.employer_id, func.sum(cents))
        .select_from(source)
        .where(
            col(L.employer_id).in_(ids),
            L.status == "active",
            col(L.salary).is_not(None),
            col(L.parttime).is_not(None),
        )
        .group_by(L.employer_id)
    ):
        premium[employer_id] = int(total or 0)
    return {i: Heavy((versions[i], today), status[i], premium.get(i, 0)) for i in ids}


def _light(db: Session, ids: list[int]) -> tuple[dict[int, int], dict[int, tuple[int, int]]]:
    """Changes waiting for review per employer; (failed, waiting) collective batches per employer."""
    conn = db.connection()
    reviews = dict(
        conn.execute(
            select(Mutation.employer_id, func.count())
            .where(col(Mutation.employer_id).in_(ids), Mutation.status == "needs_review")
            .group_by(Mutation.employer_id)
        ).all()
    )
    failed = case((col(Batch.status).in_(BATCH_FAILED), 1), else_=0)
    batches: dict[int, tuple[int, int]] = {}
    for employer_id, n_failed, n_all in conn.execute(
        select(Batch.employer_id, func.sum(failed), func.count())
        .where(col(Batch.employer_id).in_(ids), col(Batch.status).in_(BATCH_FAILED + BATCH_WAITING))
        .group_by(Batch.employer_id)
    ):
        batches[employer_id] = (int(n_failed or 0), int(n_all) - int(n_failed or 0))
    return {k: int(v) for k, v in reviews.items()}, batches


def employer_figures(db: Session, ids: list[int], today: date, memo: PortfolioMemo) -> list[EmployerFigures]:
    """The figures of every employer in ``ids`` (already in scope), by name. Recomputes the kept figures only for
    employers whose data version or day changed since ``memo`` saw them (may refresh due list rows: commit)."""
    if not ids:
        return []
    base = (
        db.connection()
        .execute(
            select(
                Employer.id,
                Employer.name,
                Employer.kvk_number,
                Employer.data_version,
                Employer.group_id,
                CompanyGroup.name,
            )
            .outerjoin(CompanyGroup, col(CompanyGroup.id) == Employer.group_id)
            .where(col(Employer.id).in_(ids))
            .order_by(Employer.name, Employer.id)
        )
        .all()
    )
    versions = {int(r[0]): int(r[3] or 0) for r in base}
    stale = [i for i, v in versions.items() if (h := memo.heavy.get(i)) is None or h.key != (v, today)]
    if stale:
        _refresh_due(db, stale, today)
        memo.heavy.update(_heavy(db, stale, versions, today))
    for gone in set(memo.heavy) - set(versions):
        del memo.heavy[gone]
    reviews, batches = _light(db, list(versions))
    out = []
    for eid, name, kvk, _version, group_id, group in base:
        heavy = memo.heavy[eid]
        failed, waiting = batches.get(eid, (0, 0))
        out.append(
            EmployerFigures(
                id=eid,
                name=name,
                kvk_number=kvk,
                group_id=group_id,
                group=group or "",
                status=dict(heavy.status),
                premium=Decimal(heavy.premium_cents).scaleb(-2),
                reviews=reviews.get(eid, 0),
                batches_failed=failed,
                batches_waiting=waiting,
            )
        )
    return out


def portfolio_version(db: Session, ids: list[int]) -> tuple[int, ...]:
    """A cheap fingerprint of everything the dashboard shows: the employers' data versions (every change of
    participant data, every submitted or reviewed change), and the unfinished or failed collective batches
    (their status moves without a change of data)."""
    if not ids:
        return (0, 0, 0, 0, 0)
    conn = db.connection()
    count, total = conn.execute(
        select(func.count(), func.coalesce(func.sum(Employer.data_version), 0)).where(col(Employer.id).in_(ids))
    ).one()
    failed = case((col(Batch.status).in_(BATCH_FAILED), 1), else_=0)
    open_batches, n_failed, newest = conn.execute(
        select(func.count(), func.coalesce(func.sum(failed), 0), func.coalesce(func.max(Batch.id), 0)).where(
            col(Batch.employer_id).in_(ids), col(Batch.status).in_(BATCH_FAILED + BATCH_WAITING)
        )
    ).one()
    return (int(count), int(total), int(open_batches), int(n_failed), int(newest))
