"""Dashboard charts (EMP-11): the figures equal independent aggregates of the demo data (counts by status,
age and salary buckets straight from the source tables; premium per month and coverage recomputed with the
domain's MUT-7 maths per participant), scope, and figures in the user's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Numeric, and_, case, func, literal, or_
from sqlmodel import Session, col, select

from portal.components import charts as figures
from portal.domain.dates import add_months
from portal.domain.premium import age_at, coverage, pensionable_salary
from portal.models import Employment, EmploymentVersion, ParticipantListRow, Participation, Person, Scheme
from portal.services.participants import charts
from portal.services.participants.detail import scheme_year_params
from portal.services.principal import NoAccess, Principal
from tests.services.employer_fixtures import demo_employer, foreign_tenant, principal_of

TODAY = date(2026, 11, 1)


@pytest.fixture
def world(db: Session, demo_data: None) -> Iterator[tuple[Session, int, list[Scheme], Principal]]:
    employer = demo_employer(db)
    schemes = list(db.exec(select(Scheme).where(Scheme.employer_id == employer.id).order_by(Scheme.id)).all())
    yield db, employer.id or 0, schemes, principal_of(db, "employer.hr")


def status_today():
    """The status rule written out again: active up to and including the end date, the stored status after."""
    return case(
        (and_(col(Participation.end_date).is_not(None), col(Participation.end_date) >= TODAY), "active"),
        else_=Participation.status,
    )


def listed(scheme_ids: list[int]):
    """Listed today: started, and not an ended contract more than six months after its end date (EE-1)."""
    long_ended = and_(
        col(Participation.status).in_(("terminated", "retired")),
        col(Participation.end_date).is_not(None),
        col(Participation.end_date) < add_months(TODAY, -6),
    )
    return and_(col(Participation.scheme_id).in_(scheme_ids), Participation.start_date <= TODAY, ~long_ended)


def terms_today(db: Session, employment_ids: set[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Salary and part-time today per employment (the latest live version by then, or at the end date)."""
    out: dict[int, tuple[date, Decimal, Decimal]] = {}
    ends = dict(db.exec(select(Employment.id, Employment.end_date).where(col(Employment.id).in_(employment_ids))).all())
    for v in db.exec(select(EmploymentVersion).where(col(EmploymentVersion.superseded_at).is_(None))).all():
        if v.employment_id not in employment_ids:
            continue
        end = ends[v.employment_id]
        day = end if end is not None and end < TODAY else TODAY
        if v.valid_from <= day and (v.employment_id not in out or out[v.employment_id][0] < v.valid_from):
            out[v.employment_id] = (v.valid_from, v.salary, v.parttime_pct)
    return {k: (s, p) for k, (_, s, p) in out.items()}


def test_counts_by_status_age_and_salary_equal_the_source_tables(world) -> None:
    db, _employer_id, schemes, hr = world
    data = charts.chart_data(db, hr, today=TODAY)
    ids = [s.id for s in schemes]
    status = status_today()
    expected_status = dict(
        db.exec(
            select(status, func.count(func.distinct(Participation.person_id))).where(listed(ids)).group_by(status)
        ).all()
    )
    assert {k: v for k, v in data.status.items() if v} == expected_status
    # the demo employer: 400 participants, some in both schemes; contracts ended more than six months ago are
    # no longer listed (retention, EE-1), the chart counts what the overview lists
    assert sum(data.status.values()) >= 360
    # Age: one COUNT per bucket with explicit birth-date bounds.
    active_people = (
        select(func.count(func.distinct(Person.id)))
        .join(Participation, col(Participation.person_id) == Person.id)
        .where(listed(ids), status_today() == "active")
    )
    bounds = [None, *[date(TODAY.year - a, TODAY.month, TODAY.day) for a in charts.AGE_EDGES], None]
    expected_age = []
    for older, younger in zip(bounds[1:], bounds[:-1], strict=True):  # bucket i: younger-bound < birth <= older
        q = active_people
        if older is not None:
            q = q.where(Person.birth_date > older)
        if younger is not None:
            q = q.where(Person.birth_date <= younger)
        expected_age.append(db.exec(q).one())
    assert list(data.age) == expected_age and sum(data.age) == data.status["active"]
    # Salary: today's terms per active person, bucketed in Python against the same edges.
    parts = db.exec(
        select(Participation.person_id, Participation.employment_id).where(listed(ids), status_today() == "active")
    ).all()
    terms = terms_today(db, {e for _, e in parts})
    salaries = {person: terms[emp][0] for person, emp in parts if emp in terms}
    expected_salary = [0] * (len(charts.SALARY_EDGES) + 1)
    for salary in salaries.values():
        expected_salary[sum(1 for edge in charts.SALARY_EDGES if salary >= edge)] += 1
    assert list(data.salary) == expected_salary


def test_premium_per_month_and_coverage_equal_the_domain_maths(world) -> None:
    db, _employer_id, schemes, hr = world
    data = charts.chart_data(db, hr, today=TODAY)
    year = TODAY.year
    jan1, dec31 = date(year, 1, 1), date(year, 12, 31)
    for scheme, series in zip(schemes, data.schemes, strict=True):
        params = scheme_year_params(db, scheme.id, year)
        rows = db.exec(
            select(Participation, Person.birth_date)
            .join(Person, col(Person.id) == Participation.person_id)
            .where(
                Participation.scheme_id == scheme.id,
                Participation.start_date <= TODAY,
                Participation.start_date <= dec31,
                or_(
                    and_(col(Participation.end_date).is_(None), Participation.status == "active"),
                    col(Participation.end_date) >= jan1,
                ),
            )
        ).all()
        terms = terms_today(db, {p.employment_id for p, _ in rows})
        months = [Decimal(0)] * 12
        yearly_today = amount_today = Decimal(0)
        for part, birth in rows:
            if part.employment_id not in terms:
                continue
            salary, parttime = terms[part.employment_id]
            cov = coverage(salary, parttime, params, age_at(birth, jan1), part.premium_mode)
            raw_yearly = cov.pensionable_salary * cov.premium_percentage / 100  # cents of the base only
            first = 1 if part.start_date < jan1 else part.start_date.month
            last = 12 if part.end_date is None or part.end_date > dec31 else part.end_date.month
            for m in range(first, last + 1):
                months[m - 1] += raw_yearly / 12
            active_today = part.status == "active" or (part.end_date is not None and part.end_date >= TODAY)
            if active_today:
                yearly_today += cov.yearly_premium
                amount_today += cov.amount
        n = len(rows)
        for got, want in zip(series.months, months, strict=True):
            assert abs(got - want) <= Decimal("0.01") * n, (scheme.kind, got, want)
        assert abs(series.yearly_premium - yearly_today) <= Decimal("0.01") * n
        assert abs(series.coverage - amount_today) <= Decimal("0.01") * n
        assert series.months[0] > 0 and series.yearly_premium > 0
    assert {s.coverage_kind for s in data.schemes} == {"contribution", "accrual"}


def test_one_scheme_and_scope(world) -> None:
    db, _employer_id, schemes, hr = world
    op = charts.chart_data(db, hr, scheme_id=str(schemes[0].id), today=TODAY)
    assert [s.kind for s in op.schemes] == ["OP"]
    _, foreign_scheme, foreign = foreign_tenant(db)
    finance = principal_of(db, "employer.finance")
    for who, scheme_id, reason in (
        (foreign, schemes[0].id, "out_of_scope"),
        (hr, foreign_scheme.id, "out_of_scope"),
        (finance, None, "missing_role"),
        (None, None, "not_signed_in"),
        (hr, "1; DROP TABLE", "bad_id"),
    ):
        with pytest.raises(NoAccess) as err:
            charts.chart_data(db, who, scheme_id=scheme_id, today=TODAY)
        assert err.value.reason == reason


def test_figures_follow_the_language_and_show_the_data(world) -> None:
    db, _employer_id, _schemes, hr = world
    data = charts.chart_data(db, hr, today=TODAY)
    nl, titles_nl, summaries_nl = figures.build(data, "nl")
    en, titles_en, summaries_en = figures.build(data, "en")
    assert set(nl) == set(figures.CHARTS) == set(titles_nl) == set(summaries_nl)
    assert titles_nl["premium"] == "Premie per maand in 2026" and titles_en["status"] == "Participants by status"
    assert nl["premium"].layout.separators == ",." and en["premium"].layout.separators == ".,"
    assert nl["premium"].layout.template.to_plotly_json() == {}  # rx.plotly supplies light or dark
    assert list(nl["status"].data[0].values) == [data.status[s] for s in charts.STATUSES]
    labels = list(nl["status"].data[0].labels)
    assert labels[:2] == ["Actief", "Slaper"] and list(en["status"].data[0].labels)[:2] == ["Active", "Dormant"]
    assert list(nl["age"].data[0].y) == list(data.age) and list(en["salary"].data[0].y) == list(data.salary)
    assert nl["premium"].data[0].x[2] in ("mrt", "mrt.") and en["premium"].data[0].x[2] == "Mar"
    assert [float(v) for v in data.schemes[0].months] == list(nl["premium"].data[0].y)
    assert "€ " in summaries_nl["premium"] and "," in summaries_nl["premium"].split("€ ")[1][:15]
    assert summaries_en["age"].startswith("under 25: ")
    assert "Actief: " in summaries_nl["status"]


def test_figures_are_cached_until_the_employer_data_changes(world) -> None:
    from portal.services import mutations as mut

    db, _employer_id, schemes, hr = world
    first = charts.chart_data(db, hr, today=TODAY)
    assert charts.chart_data(db, hr, today=TODAY) is first  # no new aggregation for the same data
    part = db.exec(
        select(Participation).where(
            Participation.scheme_id == schemes[0].id, Participation.participant_number == "100001"
        )
    ).one()
    mut.submit_salary_parttime(
        db, hr, part.id, effective="2026-11-01", salary="60.500,00", parttime="100",
        expected_version=part.version, today=TODAY,
    )  # fmt: skip
    db.commit()
    after = charts.chart_data(db, hr, today=TODAY)
    assert after is not first
    bucket = sum(1 for edge in charts.SALARY_EDGES if Decimal(60_500) >= edge)
    assert after.salary[bucket] == first.salary[bucket] + 1  # Gijs (€ 52.242,28) moved to the 60k–80k bucket
    assert sum(after.salary) == sum(first.salary)


def test_the_sql_pension_base_equals_the_domain_rule_on_every_listed_row(world) -> None:
    """The charts compute MUT-7's pension base in SQL for speed: on the same rows (the demo employer's list
    rows, part-timers among them, plus boundary rows) it must equal ``domain.premium.pensionable_salary``."""
    db, employer_id, schemes, hr = world
    charts.chart_data(db, hr, today=TODAY)  # lists the rows as of TODAY
    L = ParticipantListRow
    money, pct = Numeric(14, 2), Numeric(7, 3)
    boundaries = [  # (full-time salary, part-time %): below/at the franchise, above the maximum, 0 % and 100 %
        ("40000.00", "50.000"),
        ("18000.00", "100.000"),
        ("18475.00", "50.000"),
        ("18475.02", "50.000"),
        ("150000.00", "50.000"),
        ("150000.00", "0.000"),
        ("52242.28", "100.000"),
        ("52242.28", "33.333"),
    ]
    for year in (2025, 2026):
        params = scheme_year_params(db, schemes[0].id, year)
        sql = charts._pensionable(params, L.salary, L.parttime)
        rows = list(
            db.exec(select(L.salary, L.parttime, sql).where(L.employer_id == employer_id, col(L.salary).is_not(None)))
        )
        assert len(rows) > 300 and any(p < 100 for _, p, _ in rows)  # part-timers are compared too
        for s, p in boundaries:
            value = charts._pensionable(params, literal(Decimal(s), money), literal(Decimal(p), pct))
            rows.append((Decimal(s), Decimal(p), db.exec(select(value)).one()))
        for salary, parttime, value in rows:
            want = pensionable_salary(Decimal(salary), Decimal(parttime), params)
            assert abs(Decimal(str(value)) - want) < Decimal("0.000001"), (year, salary, parttime, value, want)
    params = scheme_year_params(db, schemes[0].id, 2025)
    expression = charts._pensionable(params, literal(Decimal("40000.00"), money), literal(Decimal("50.000"), pct))
    example = db.exec(select(expression)).one()
    assert Decimal(str(example)) == Decimal("10762.5")  # the SPEC example (franchise 18,475 in 2025)
