"""Dashboard chart data (EMP-11), aggregated in SQL so it stays fast with 100,000 participants.

Every figure is one GROUP BY query over the overview's indexed rows (``participant_list``, kept as of today)
with CASE buckets; Python only touches the handful of aggregated rows, never the participants:

- participants by status: distinct persons per status;
- age distribution: active persons per age bucket, age in completed years today (birth-date cut-offs, so the
  same rule as ``domain.premium.age_at``);
- salary distribution: active persons per bucket of today's yearly salary;
- premium per month of the current year, per scheme (one query with the coverage figures below): an
  estimate from SQL aggregates — every participation
  that belongs to the scheme during a month adds a twelfth of its yearly premium (MUT-7 maths in SQL:
  (min(full-time salary, maximum) − franchise) × part-time, the age band's percentage at the age on 1 January, or the
  flat percentage) with **today's** salary and part-time for the whole year. Salary changes within the year are
  therefore not split by month; entries and exits are (by month of start and end). The query groups by
  (first month, last month), at most 78 groups, which Python spreads over the months. Participations that
  start later this year (not listed yet) are left out until they start;
- coverage per kind: for participants active today, the yearly premium and the insured amount per scheme
  (OP: the yearly contribution; NP: accrual percentage × pensionable salary).

Money arrives from SQL as numbers and leaves here as Decimal rounded to cents.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, extract, func, literal, or_, select
from sqlmodel import Session, col

from portal.core import clock
from portal.domain.charts import AGE_EDGES, SALARY_EDGES, STATUSES, ChartData, SchemeSeries
from portal.domain.premium import SchemeYearParams, cents
from portal.domain.roles import Perm
from portal.models import Employer, ParticipantListRow, Participation, Person, Scheme
from portal.services.organisation.company import employer_in_scope
from portal.services.organisation.scheme_access import require_scheme
from portal.services.participants import read_table as plist
from portal.services.participants.detail import scheme_year_params
from portal.services.principal import Principal, require

L = ParticipantListRow


def _cutoff(day: date, years: int) -> date:
    """The latest birth date of someone who is at least ``years`` old on ``day``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_bucket(birth: Any, day: date) -> ColumnElement[int]:
    """SQL: the index of the age bucket (0 .. len(AGE_EDGES)) of a birth date on ``day``."""
    whens = [(birth > _cutoff(day, edge), i) for i, edge in enumerate(AGE_EDGES)]
    return case(*whens, else_=len(AGE_EDGES))


def salary_bucket(salary: Any) -> ColumnElement[int]:
    """SQL: the index of the salary bucket (0 .. len(SALARY_EDGES)) of a yearly salary."""
    whens = [(salary < edge, i) for i, edge in enumerate(SALARY_EDGES)]
    return case(*whens, else_=len(SALARY_EDGES))


def _band(params: SchemeYearParams, birth: Any) -> ColumnElement[int]:
    """SQL: the index of the age band (at the age on 1 January) of a birth date; -1 outside every band."""
    jan1 = date(params.year, 1, 1)
    whens = [
        (and_(birth <= _cutoff(jan1, low), birth > _cutoff(jan1, high + 1)), i)
        for i, (low, high, _pct) in enumerate(params.bands)
    ]
    return case(*whens, else_=-1) if whens else literal(-1)


def _percentage(params: SchemeYearParams, band: int, mode: str) -> Decimal:
    """The premium percentage of a group: the flat percentage, or the age band's (0 outside every band)."""
    if mode == "flat":
        return params.flat_percentage if params.flat_percentage is not None else Decimal(0)
    return params.bands[band][2] if 0 <= band < len(params.bands) else Decimal(0)


def _pensionable(params: SchemeYearParams, salary: Any, parttime: Any) -> ColumnElement[Any]:
    """SQL of ``domain.premium.pensionable_salary``: max(0, min(full-time salary, maximum) − franchise) ×
    part-time / 100 (tests/services/test_charts.py compares the two on the same rows)."""
    maximum = float(params.max_salary)
    capped = case((salary > maximum, literal(maximum)), else_=salary)
    above = capped - float(params.franchise)
    return case((above > 0, above), else_=literal(0.0)) * parttime / 100.0


def _money(value: Any) -> Decimal:
    return cents(Decimal(str(value or 0)))


def _scheme_series(db: Session, scheme: Scheme, year: int, today: date) -> SchemeSeries:
    """One GROUP BY over the list rows of the scheme's started participations: the sum of pensionable salaries
    per (first month, last month in the year, age band, premium mode, active today); premiums follow per group
    in Python (they are linear in the pensionable salary), so SQL evaluates each row's maths once."""
    params = scheme_year_params(db, scheme.id or 0, year)
    if params is None:
        zero = Decimal("0.00")
        return SchemeSeries(scheme.id or 0, scheme.kind, scheme.name, (zero,) * 12, zero, zero, "")
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    source = L.__table__.join(Participation, col(Participation.id) == L.participation_id).join(  # type: ignore[attr-defined]
        Person, col(Person.id) == L.person_id
    )
    first = case((Participation.start_date < jan1, 1), else_=extract("month", Participation.start_date))
    last = case(
        (or_(col(Participation.end_date).is_(None), col(Participation.end_date) > dec31), 12),
        else_=extract("month", Participation.end_date),
    )
    in_year = case(
        (
            and_(
                Participation.start_date <= dec31,
                or_(
                    and_(col(Participation.end_date).is_(None), Participation.status == "active"),
                    col(Participation.end_date) >= jan1,
                ),
            ),
            1,
        ),
        else_=0,
    )
    active_today = case((L.status == "active", 1), else_=0)
    band = _band(params, Person.birth_date)
    groups = (first, last, band, Participation.premium_mode, in_year, active_today)
    query = (
        select(*groups, func.sum(_pensionable(params, L.salary, L.parttime)))
        .select_from(source)
        # every started participation of the scheme, also an ended one no longer listed in the overview
        # (retention, EE-1): the months it paid premium this year still count
        .where(Participation.scheme_id == scheme.id, Participation.start_date <= today, col(L.salary).is_not(None))
        .group_by(*groups)
    )
    months = [Decimal(0)] * 12
    yearly_today = amount_today = Decimal(0)
    accrual = params.accrual_percentage
    for lo, hi, band_no, mode, counted, active, base in db.execute(query):
        pensionable = Decimal(str(base or 0))
        yearly = pensionable * _percentage(params, int(band_no), mode) / 100
        if counted:
            for m in range(max(1, int(lo)), min(12, int(hi)) + 1):
                months[m - 1] += yearly / 12
        if active:
            yearly_today += yearly
            amount_today += pensionable * accrual / 100 if accrual is not None else yearly
    return SchemeSeries(
        scheme_id=scheme.id or 0,
        kind=scheme.kind,
        name=scheme.name,
        months=tuple(_money(m) for m in months),
        yearly_premium=_money(yearly_today),
        coverage=_money(amount_today),
        coverage_kind="accrual" if accrual is not None else "contribution",
    )


def _counts(db: Session, where: ColumnElement[bool], day: date) -> tuple[dict[str, int], list[int], list[int]]:
    """Persons by status; active persons by age bucket and by salary bucket (one query for both: a person has
    the same age and salary in each of their schemes, so distinct counts per pair of buckets add up)."""
    status_rows = db.execute(
        select(L.status, func.count(func.distinct(L.person_id))).where(where).group_by(L.status)
    ).all()
    status = dict.fromkeys(STATUSES, 0) | {str(s): int(n) for s, n in status_rows}
    abucket, sbucket = age_bucket(Person.birth_date, day), salary_bucket(L.salary)
    rows = db.execute(
        select(abucket, sbucket, func.count(func.distinct(L.person_id)))
        .select_from(L.__table__.join(Person, col(Person.id) == L.person_id))  # type: ignore[attr-defined]
        .where(where, L.status == "active")
        .group_by(abucket, sbucket)
    ).all()
    age = [0] * (len(AGE_EDGES) + 1)
    salary = [0] * (len(SALARY_EDGES) + 1)
    for a, s, n in rows:
        age[int(a)] += int(n)
        salary[int(s)] += int(n)  # NULL salaries fall in the last CASE branch; none are listed without terms
    return status, age, salary


_cache: OrderedDict[tuple[Any, ...], ChartData] = OrderedDict()
_cache_lock = threading.Lock()
CACHE_SIZE = 64


def chart_data(
    db: Session,
    principal: Principal | None,
    scheme_id: object = None,
    employer_id: object = None,
    today: date | None = None,
) -> ChartData:
    """The dashboard figures of one scheme (``scheme_id``, untrusted) or of every scheme of the employer in
    scope (home). Needs Perm.PARTICIPANTS_VIEW (NoAccess otherwise or out of scope). Refreshes list rows that
    are due (caller commits). Results are kept per (scope, day, the employer's data version): every change of
    the employer's data bumps that version, so a cached figure is never stale."""
    p = require(principal, Perm.PARTICIPANTS_VIEW)
    day = today or clock.today()
    if scheme_id not in (None, ""):
        schemes = [require_scheme(db, p, scheme_id, Perm.PARTICIPANTS_VIEW)]
        eid = schemes[0].employer_id
        where: ColumnElement[bool] = L.listed_scheme_id == schemes[0].id
    else:
        eid = employer_in_scope(p, employer_id, Perm.PARTICIPANTS_VIEW)
        schemes = list(db.exec(select(Scheme).where(Scheme.employer_id == eid).order_by(col(Scheme.id))).scalars())
        where = and_(L.employer_id == eid, col(L.listed_scheme_id).is_not(None))
    plist.refresh_due(db, eid, day)
    version = db.execute(select(Employer.data_version).where(Employer.id == eid)).scalar()
    key = (eid, tuple(s.id for s in schemes), day, version, db.get_bind().url.render_as_string())
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    status, age, salary = _counts(db, where, day)
    data = ChartData(
        today=day,
        year=day.year,
        status=status,
        age=tuple(age),
        salary=tuple(salary),
        schemes=[_scheme_series(db, s, day.year, day) for s in schemes],
    )
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data
