"""The portfolio dashboard's per-employer figures (INT-1), each kind one GROUP BY over all employers asked for.

Participant counts and the yearly premium read the participant overview's indexed rows (``participant_list``,
as of today) and depend only on the employer's data: an employer's ``data_version`` goes up in the same
transaction as every change of its data, so they are kept per (employer, data version, day) in a
``PortfolioMemo`` (one per database, shared by the sessions of the process) and computed again only for the
employers whose version moved. Reviews waiting and collective
batches change without every change of participant data and cost an index look-up: they are always read.

Yearly premium (MUT-7): for each participation that is active today, max(0, min(today's full-time salary,
maximum) − franchise) × today's part-time % × the premium percentage — the scheme year of today's year, the age
band holding the participant's age today (``domain.premium.premium_percentage``; or the flat percentage for a
participant on the flat premium) — summed exactly per employer and rounded half up to cents once, per employer
(``domain.portfolio.premium_cents``). SQL sums the bases as integers (cents × thousandths of a percent) per
(employer, scheme, premium mode, age), so SQLite and PostgreSQL agree with the Decimal rules to the cent; Python
adds the percentages of those few thousand groups. A participation without salary, scheme-year parameters or a
band for its age adds nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Integer, and_, case, cast, extract, func, literal, select
from sqlmodel import Session, col

from portal.domain.charts import STATUSES
from portal.domain.portfolio import BATCH_FAILED, BATCH_WAITING, needs_attention, premium_cents, to_milli
from portal.domain.premium import PremiumParameterError, premium_percentage
from portal.domain.tasks import OPEN_STATUSES
from portal.models import (
    Batch,
    CompanyGroup,
    Employer,
    Mutation,
    ParticipantListRow,
    Participation,
    Person,
    SchemeYear,
    Task,
)
from portal.services.participants import read_table
from portal.services.participants.detail import valid_scheme_year_params

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
    """What earlier dashboard reads counted, per employer. By default one per database, shared by every session of
    the process (``shared_memo``): a figure is valid for one data version and day of its employer whoever asks, and
    only employers in the asker's scope are ever looked up."""

    heavy: dict[int, Heavy] = field(default_factory=dict)


MAX_KEPT = 20_000  # employers kept per database (a few hundred bytes each)
_shared: dict[str, PortfolioMemo] = {}
_shared_lock = threading.Lock()


def shared_memo(db: Session) -> PortfolioMemo:
    """The process-wide memo of the database ``db`` is bound to."""
    url = db.get_bind().url.render_as_string()
    with _shared_lock:
        return _shared.setdefault(url, PortfolioMemo())


def forget_shared() -> None:
    """Drop every kept figure (tests that change data without a new data version)."""
    with _shared_lock:
        _shared.clear()


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
    tasks_open: int = 0  # open tasks of the asking office about this employer (INT-3)
    tasks_overdue: int = 0

    @property
    def active(self) -> int:
        return self.status.get("active", 0)

    @property
    def dormant(self) -> int:
        return self.status.get("dormant", 0)

    @property
    def needs_attention(self) -> bool:
        """INT-1's rule (``portal.domain.portfolio.needs_attention``) on this employer's figures: the one answer
        the table's badge and its "needs attention" filter both use."""
        return needs_attention(self.reviews, self.batches_failed, self.tasks_overdue)


def _bigint(value: Any, scale: int) -> ColumnElement[int]:
    return cast(func.round(value * scale), BigInteger)


def _age(birth: Any, today: date, dialect: str) -> ColumnElement[int]:
    """SQL of ``domain.premium.age_at``: completed years on ``today``. SQLite keeps a date as ISO text
    ('YYYY-MM-DD'): there the year and the month-day are cut out of it as text, three times cheaper per row than
    its date functions (the premium query computes this for every active participant)."""
    if dialect == "sqlite":
        year = cast(func.substr(birth, 1, 4), Integer)
        not_yet = func.substr(birth, 6, 5) > f"{today.month:02d}-{today.day:02d}"
        return literal(today.year) - year - case((not_yet, 1), else_=0)

    def part(field: str) -> ColumnElement[int]:  # integers (PostgreSQL's EXTRACT is numeric: slow to group on)
        return cast(extract(field, birth), Integer)

    not_yet = part("month") * 100 + part("day") > today.month * 100 + today.day
    return literal(today.year) - part("year") - case((not_yet, 1), else_=0)


def _base(salary: Any, maximum: Any, franchise: Any, dialect: str) -> ColumnElement[int]:
    """SQL of max(0, min(salary, maximum) − franchise) on integers (cents): SQLite's scalar min/max, LEAST/GREATEST
    elsewhere (one evaluation of each operand instead of a CASE that repeats them)."""
    if dialect == "sqlite":
        return func.max(func.min(salary, maximum) - franchise, 0)
    return func.greatest(func.least(salary, maximum) - franchise, literal(0, BigInteger))


def _premiums(db: Session, ids: list[int], today: date) -> dict[int, int]:
    """The yearly premium in cents per employer: one GROUP BY (employer, scheme, premium mode, age) of the exact
    integer weighted bases (see ``domain.portfolio.weighted_base``); the percentage of each group follows from the
    scheme year's parameters by ``domain.premium.premium_percentage`` in Python."""
    dialect = db.get_bind().dialect.name
    flat = Participation.premium_mode == "flat"
    age = case((flat, -1), else_=_age(Person.birth_date, today, dialect))  # a flat premium: not by age
    salary = _bigint(L.salary, 100)
    maximum, franchise = _bigint(SchemeYear.max_salary, 100), _bigint(SchemeYear.franchise, 100)
    base = _base(salary, maximum, franchise, dialect)
    source = (
        L.__table__.join(Participation, col(Participation.id) == L.participation_id)  # type: ignore[attr-defined]
        .join(Person, col(Person.id) == L.person_id)
        .join(SchemeYear, and_(col(SchemeYear.scheme_id) == L.listed_scheme_id, SchemeYear.year == today.year))
    )
    groups = (L.employer_id, L.listed_scheme_id, Participation.premium_mode, age)
    rows = (
        db.connection()
        .execute(
            select(*groups, func.sum(base * _bigint(L.parttime, 1000)))
            .select_from(source)
            .where(
                col(L.employer_id).in_(ids),
                L.status == "active",
                col(L.parttime).is_not(None),
                col(L.salary).is_not(None),  # adds nothing (LEAST/GREATEST would skip the NULL)
            )
            .group_by(*groups)
        )
        .all()
    )
    params = valid_scheme_year_params(db, {int(r[1]) for r in rows}, today.year)
    weighted: dict[int, int] = {}
    for employer_id, scheme_id, mode, years, total in rows:
        year_params = params.get(int(scheme_id))
        if year_params is None or not total:
            continue
        try:
            pct = premium_percentage(year_params, int(years), mode)
        except PremiumParameterError:  # e.g. a flat premium in a year without one: nothing to add
            continue
        weighted[employer_id] = weighted.get(employer_id, 0) + int(total) * to_milli(pct)
    return {employer_id: premium_cents(total) for employer_id, total in weighted.items()}


def _refresh_due(db: Session, ids: list[int], today: date) -> None:
    """Bring the list rows up to today for the employers that have rows due (index range queries find them;
    usually there are none)."""
    for employer_id in sorted(read_table.due_employers(db, ids, today)):
        read_table.refresh_due(db, employer_id, today)


def _heavy(db: Session, ids: list[int], versions: dict[int, int], today: date) -> dict[int, Heavy]:
    """Persons per status and premium cents of ``ids``, two GROUP BY queries over all of them."""
    status: dict[int, dict[str, int]] = {i: dict.fromkeys(STATUSES, 0) for i in ids}
    for employer_id, state, number in db.connection().execute(
        select(L.employer_id, L.status, func.count(func.distinct(L.person_id)))
        .where(col(L.employer_id).in_(ids), col(L.listed_scheme_id).is_not(None))
        .group_by(L.employer_id, L.status)
    ):
        status[employer_id][state] = int(number)
    premium = _premiums(db, ids, today)
    return {i: Heavy((versions[i], today), status[i], premium.get(i, 0)) for i in ids}


def _tasks(db: Session, ids: list[int], office_id: int | None, today: date) -> dict[int, tuple[int, int]]:
    """(open, overdue) tasks of office ``office_id`` per employer (an overdue task is open and due before today)."""
    if office_id is None:
        return {}
    is_open = col(Task.status).in_(OPEN_STATUSES)
    overdue = case((col(Task.due_date) < today, 1), else_=0)
    return {
        int(employer_id): (int(n_open), int(n_overdue or 0))
        for employer_id, n_open, n_overdue in db.connection().execute(
            select(Task.employer_id, func.count(), func.sum(overdue))
            .where(Task.office_id == office_id, col(Task.employer_id).in_(ids), is_open)
            .group_by(Task.employer_id)
        )
    }


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


def employer_figures(
    db: Session, ids: list[int], today: date, memo: PortfolioMemo | None = None, office_id: int | None = None
) -> list[EmployerFigures]:
    """The figures of every employer in ``ids`` (already in scope), by name, with the open and overdue tasks of
    office ``office_id``. Counts participants and premiums again only for employers whose data version or day
    changed since ``memo`` (default: ``shared_memo``) saw them (may refresh due list rows: commit)."""
    if not ids:
        return []
    memo = memo if memo is not None else shared_memo(db)
    base = (
        db.connection()
        .execute(
            select(Employer.id, Employer.name, Employer.kvk_number, Employer.data_version, Employer.group_id)
            .add_columns(CompanyGroup.name)
            .outerjoin(CompanyGroup, col(CompanyGroup.id) == Employer.group_id)
            .where(col(Employer.id).in_(ids))
            .order_by(Employer.name, Employer.id)
        )
        .all()
    )
    versions = {int(r[0]): int(r[3] or 0) for r in base}
    kept = {i: memo.heavy.get(i) for i in versions}  # one look each: another session may add meanwhile
    stale = [i for i, h in kept.items() if h is None or h.key != (versions[i], today)]
    if stale:
        _refresh_due(db, stale, today)
        fresh = _heavy(db, stale, versions, today)
        kept.update(fresh)
        if len(memo.heavy) + len(fresh) > MAX_KEPT:
            memo.heavy.clear()
        memo.heavy.update(fresh)
    reviews, batches = _light(db, list(versions))
    tasks = _tasks(db, list(versions), office_id, today)
    out = []
    for eid, name, kvk, _version, group_id, group in base:
        heavy = kept[eid]
        assert heavy is not None
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
                tasks_open=tasks.get(eid, (0, 0))[0],
                tasks_overdue=tasks.get(eid, (0, 0))[1],
            )
        )
    return out


def portfolio_version(db: Session, ids: list[int], office_id: int | None = None) -> tuple[int, ...]:
    """A cheap fingerprint of everything the dashboard shows: the employers' data versions (every change of
    participant data, every submitted or reviewed change), the unfinished or failed collective batches (their
    status moves without a change of data), and the office's tasks about them (their number, and the sum of their
    lock versions, which goes up with every change of a task)."""
    if not ids:
        return (0, 0, 0, 0, 0, 0, 0)
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
    tasks, task_versions = conn.execute(
        select(func.count(), func.coalesce(func.sum(Task.lock_version), 0)).where(
            Task.office_id == (office_id if office_id is not None else -1), col(Task.employer_id).in_(ids)
        )
    ).one()
    return (int(count), int(total), int(open_batches), int(n_failed), int(newest), int(tasks), int(task_versions))
