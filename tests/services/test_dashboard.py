"""Portfolio dashboard (INT-1): the figures equal counts in Python over the same rows (participants by status from
the participations, the premium from the domain's MUT-7 maths per participant), the employer table's search, sort,
filters and paging, the charts, the live version, and nothing outside the adviser's portfolio."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain.locks import status_on
from portal.domain.premium import PremiumParameterError, age_at, cents, pensionable_salary, premium_percentage
from portal.domain.tasks import OPEN_STATUSES
from portal.models import (
    Batch,
    CompanyGroup,
    Employer,
    Employment,
    EmploymentVersion,
    Mutation,
    Participation,
    Person,
    Scheme,
    Task,
    UserAccount,
)
from portal.services import dashboard
from portal.services import tasks as task_service
from portal.services.participants.detail import scheme_year_params
from portal.services.principal import NoAccess, Principal
from tests.services.employer_fixtures import foreign_tenant, principal_of

TODAY = date(2026, 11, 30)


@pytest.fixture
def world(db: Session, demo_data: None) -> Iterator[tuple[Session, Principal]]:
    dashboard.forget_shared()  # every test starts from a copy of the same data with the same versions
    with clock.frozen(TODAY):
        yield db, principal_of(db, "adviser")


def _terms(db: Session) -> dict[int, tuple[Decimal, Decimal]]:
    """Salary and part-time today per employment: the latest live version by today (or by the end date)."""
    ends = dict(db.exec(select(Employment.id, Employment.end_date)).all())
    best: dict[int, EmploymentVersion] = {}
    for v in db.exec(select(EmploymentVersion).where(col(EmploymentVersion.superseded_at).is_(None))).all():
        end = ends[v.employment_id]
        day = end if end is not None and end < TODAY else TODAY
        if v.valid_from <= day and (v.employment_id not in best or best[v.employment_id].valid_from < v.valid_from):
            best[v.employment_id] = v
    return {k: (v.salary, v.parttime_pct) for k, v in best.items()}


def _expected(db: Session, ids: set[int]) -> dict[int, dict[str, object]]:
    """Per employer, counted in Python from the source tables: distinct persons per status today, and MUT-7's
    yearly premium (``domain.premium``) of every participation active today, summed exactly, rounded to cents."""
    persons: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    premium: dict[int, Decimal] = defaultdict(Decimal)
    terms = _terms(db)
    births = dict(db.exec(select(Person.id, Person.birth_date)).all())
    params: dict[int, object] = {}
    for p in db.exec(select(Participation).where(col(Participation.employer_id).in_(ids))).all():
        if p.start_date > TODAY:
            continue
        status = status_on(p.status, p.end_date, TODAY)
        persons[p.employer_id][status].add(p.person_id)
        if status != "active" or p.employment_id not in terms:
            continue
        if p.scheme_id not in params:
            params[p.scheme_id] = scheme_year_params(db, p.scheme_id, TODAY.year)
        year = params[p.scheme_id]
        if year is None:
            continue
        salary, parttime = terms[p.employment_id]
        with contextlib.suppress(PremiumParameterError):  # e.g. a flat premium in a year without one
            pct = premium_percentage(year, age_at(births[p.person_id], TODAY), p.premium_mode)
            premium[p.employer_id] += pensionable_salary(salary, parttime, year) * pct / 100
    return {
        i: {"active": len(persons[i]["active"]), "dormant": len(persons[i]["dormant"]), "premium": cents(premium[i])}
        for i in ids
    }


def _mutation(
    db: Session, employer_id: int, status: str, requested: datetime, reviewed: datetime | None = None
) -> None:
    db.add(
        Mutation(
            employer_id=employer_id,
            kind="salary_parttime",
            effective_date=TODAY,
            requested_at=requested,
            status=status,
            reviewed_at=reviewed,
        )
    )


def _batch(db: Session, employer_id: int, status: str) -> None:
    scheme_id = db.exec(select(Scheme.id).where(Scheme.employer_id == employer_id)).first()
    db.add(Batch(employer_id=employer_id, scheme_id=scheme_id, kind="salary_parttime", status=status))


def _bump(db: Session, employer_id: int) -> None:
    employer = db.get(Employer, employer_id)
    employer.data_version += 1
    db.add(employer)


def test_figures_equal_counts_in_python_over_the_same_data(world) -> None:
    db, adviser = world
    ids = sorted(adviser.employer_ids)
    first, second = ids[0], ids[1]
    for status in ("needs_review", "needs_review", "processed", "submitted"):
        _mutation(db, first, status, clock.now())
    _mutation(db, second, "needs_review", clock.now())
    for status in ("failed", "ready", "queued", "processed", "rejected"):
        _batch(db, second, status)
    db.commit()

    board = dashboard.dashboard(db, adviser, page_size=100)
    expected = _expected(db, set(ids))
    figures = board.figures
    assert figures.today == TODAY
    assert figures.employers == len(ids) == board.page.total
    assert figures.active == sum(e["active"] for e in expected.values()) > 0
    assert figures.dormant == sum(e["dormant"] for e in expected.values()) > 0
    assert figures.premium == sum((e["premium"] for e in expected.values()), Decimal(0)) > 0
    assert (figures.reviews, figures.batches_failed, figures.batches_waiting) == (3, 1, 2)
    for row in board.page.rows:
        assert (row.active, row.dormant, row.premium) == (
            expected[row.id]["active"],
            expected[row.id]["dormant"],
            expected[row.id]["premium"],
        )
    by_id = {r.id: r for r in board.page.rows}
    assert (by_id[first].reviews, by_id[second].reviews) == (2, 1)
    assert (by_id[second].batches_failed, by_id[second].batches_waiting) == (1, 2)


def test_search_sort_filter_and_paging(world) -> None:
    db, adviser = world
    employers = {e.id: e for e in db.exec(select(Employer)).all() if e.id in adviser.employer_ids}
    some = next(e for e in employers.values() if e.group_id is None)
    word = some.name.split()[0].lower()

    found = dashboard.dashboard(db, adviser, search=word.upper()).page
    assert some.id in {r.id for r in found.rows}
    assert all(word in r.name.lower() for r in found.rows)
    by_kvk = dashboard.dashboard(db, adviser, search=some.kvk_number[:5]).page
    assert [r.id for r in by_kvk.rows] == [
        e.id for e in employers.values() if e.kvk_number.startswith(some.kvk_number[:5])
    ]
    assert dashboard.dashboard(db, adviser, search="zzz-nothing").page.total == 0

    rows = dashboard.dashboard(db, adviser, page_size=100).page.rows
    for column, key in (
        ("name", lambda r: r.name.lower()),
        ("kvk", lambda r: r.kvk_number),
        ("active", lambda r: r.active),
        ("dormant", lambda r: r.dormant),
        ("premium", lambda r: r.premium),
        ("reviews", lambda r: r.reviews),
        ("group", lambda r: r.group.lower()),
        ("batches_failed", lambda r: r.batches_failed),
        ("batches_waiting", lambda r: r.batches_waiting),
        ("tasks_overdue", lambda r: r.tasks_overdue),
    ):
        assert column in dashboard.SORT_COLUMNS
        up = dashboard.dashboard(db, adviser, sort=column).page
        down = dashboard.dashboard(db, adviser, sort=column, direction="desc").page
        assert [key(r) for r in up.rows] == sorted(key(r) for r in rows), column
        assert [key(r) for r in down.rows] == sorted((key(r) for r in rows), reverse=True), column
    most = dashboard.dashboard(db, adviser, sort="active", direction="desc").page
    assert most.rows[0].active == max(r.active for r in rows)
    bad = dashboard.dashboard(db, adviser, sort="name; DROP TABLE employer", direction="sideways", page="x").page
    assert (bad.sort, bad.direction, bad.page) == ("name", "asc", 1)

    group = db.exec(
        select(CompanyGroup).where(col(CompanyGroup.id).in_({e.group_id for e in employers.values()}))
    ).first()
    grouped = dashboard.dashboard(db, adviser, group=str(group.id)).page
    assert {r.id for r in grouped.rows} == {e.id for e in employers.values() if e.group_id == group.id}
    assert grouped.group == str(group.id)
    assert dashboard.dashboard(db, adviser, group="9999").page.total == len(rows)  # not a group of the portfolio

    late = {r.id for r in rows if r.tasks_overdue}  # the demo office's overdue tasks (see the test of tasks)
    assert {r.id for r in dashboard.dashboard(db, adviser, attention=True).page.rows} == late
    assert some.id not in late
    _batch(db, some.id, "failed")
    db.commit()
    flagged = dashboard.dashboard(db, adviser, attention="1").page
    assert {r.id for r in flagged.rows} == late | {some.id}

    one = dashboard.dashboard(db, adviser, page_size=1, page=2).page
    assert (one.total, one.page, one.pages, len(one.rows)) == (len(rows), 2, len(rows), 1)
    assert one.rows[0].id == rows[1].id
    last = dashboard.dashboard(db, adviser, page_size=1, page=99).page
    assert last.page == len(rows) and last.rows[0].id == rows[-1].id


def test_out_of_scope_employers_are_never_counted(world) -> None:
    db, adviser = world
    foreign, _scheme, _principal = foreign_tenant(db)
    _batch(db, foreign.id, "failed")
    _mutation(db, foreign.id, "needs_review", clock.now())
    db.commit()
    assert foreign.id not in adviser.employer_ids
    board = dashboard.dashboard(db, adviser, search="Elders")
    assert board.page.total == 0
    assert (board.figures.reviews, board.figures.batches_failed) == (0, 0)
    own = min(adviser.employer_ids)
    narrow = replace(adviser, employer_ids=frozenset({own}))
    only = dashboard.dashboard(db, narrow)
    assert [r.id for r in only.page.rows] == [own]
    assert only.figures.employers == 1
    assert only.figures.active == _expected(db, {own})[own]["active"]
    assert only.figures.premium == _expected(db, {own})[own]["premium"]
    assert sum(b.status["active"] for b in dashboard.chart_data(db, narrow).status) == only.figures.active


def test_an_employer_user_and_an_employee_are_refused(world) -> None:
    db, _adviser = world
    for username in ("employer.hr", "employee"):
        who = principal_of(db, username)
        for use_case in (dashboard.dashboard, dashboard.chart_data, dashboard.portfolio_version):
            with pytest.raises(NoAccess):
                use_case(db, who)
    with pytest.raises(NoAccess):
        dashboard.dashboard(db, None)


def test_charts_premium_top_and_rest_status_and_weeks(world) -> None:
    db, adviser = world
    ids = sorted(adviser.employer_ids)
    now = clock.now()
    monday = datetime.combine(TODAY - timedelta(days=TODAY.weekday()), datetime.min.time(), tzinfo=UTC)
    _mutation(db, ids[0], "processed", now)  # this week, submitted and processed
    _mutation(db, ids[0], "needs_review", now - timedelta(weeks=2))
    _mutation(db, ids[1], "processed", now - timedelta(weeks=3), reviewed=now - timedelta(weeks=1))
    _mutation(db, ids[1], "processed", now - timedelta(weeks=20))  # before the chart
    db.commit()
    data = dashboard.chart_data(db, adviser)
    board = dashboard.dashboard(db, adviser)
    assert len(data.weeks) == 12 and data.weeks[-1] == monday.date()
    assert sum(data.submitted) == sum(
        1 for m in db.exec(select(Mutation)).all() if m.requested_at >= monday - timedelta(weeks=11)
    )
    assert data.submitted[-1] >= 1 and data.submitted[-3] >= 1 and data.submitted[-4] >= 1
    assert data.processed[-2] >= 1  # reviewed last week, requested three weeks ago
    assert sum(bar.value for bar in data.premium) == board.figures.premium
    assert [bar.value for bar in data.premium] == sorted((bar.value for bar in data.premium), reverse=True)
    assert sum(sum(b.status.values()) for b in data.status) >= board.figures.active + board.figures.dormant


def test_version_moves_with_a_change_and_the_memo_recounts_only_that(world) -> None:
    db, adviser = world
    memo = dashboard.PortfolioMemo()
    before = dashboard.dashboard(db, adviser, memo=memo)
    assert dashboard.portfolio_version(db, adviser) == before.version
    ids = sorted(adviser.employer_ids)
    kept = {i: memo.heavy[i] for i in ids}
    _batch(db, ids[0], "queued")
    db.commit()
    assert dashboard.portfolio_version(db, adviser) != before.version
    part = db.exec(
        select(Participation).where(Participation.employer_id == ids[1], Participation.status == "active")
    ).first()
    part.status = "dormant"
    db.add(part)
    _bump(db, ids[1])
    from portal.services.participants.read_table import refresh_list_row

    refresh_list_row(db, [part.id], TODAY)
    db.commit()
    after = dashboard.dashboard(db, adviser, memo=memo)
    assert after.version != before.version
    assert memo.heavy[ids[0]] is kept[ids[0]]  # unchanged employer: not counted again
    assert memo.heavy[ids[1]] is not kept[ids[1]]
    assert after.figures.batches_waiting == before.figures.batches_waiting + 1
    expected = _expected(db, set(ids))
    assert after.figures.dormant == sum(e["dormant"] for e in expected.values()) == before.figures.dormant + 1
    assert after.figures.active == sum(e["active"] for e in expected.values())


def test_warm_up_counts_every_portfolio_ahead(world) -> None:
    from portal.services.dashboard import aggregates, warmup

    db, adviser = world
    in_portfolios = {e.id for e in db.exec(select(Employer)).all() if e.office_id is not None}
    assert warmup.warm_up(db) == len(in_portfolios) >= len(adviser.employer_ids)
    kept = aggregates.shared_memo(db).heavy
    assert set(kept) == in_portfolios
    before = dict(kept)
    board = dashboard.dashboard(db, adviser)  # finds them counted: nothing is counted again
    assert all(kept[i] is before[i] for i in adviser.employer_ids)
    assert board.figures.active == sum(before[i].status["active"] for i in adviser.employer_ids)
    assert 60 <= warmup._seconds_to_next_day() <= 24 * 3600 + 60


def test_untrusted_arguments_fall_back_to_safe_defaults(world) -> None:
    db, adviser = world
    total = len(adviser.employer_ids)
    for search in ("\x00\x1f", "%", "_", "' OR 1=1 --", {"a": 1}, None, 12345):
        page = dashboard.dashboard(db, adviser, search=search).page
        assert page.total in (0, total), search
    long = dashboard.dashboard(db, adviser, search="Noordkade" + "x" * 500).page
    assert len(long.search) == 100 and long.total == 0
    odd = dashboard.dashboard(db, adviser, group={"id": 1}, attention="yes please", page=-5, page_size=10_000).page
    assert (odd.group, odd.attention, odd.page, odd.page_size) == ("", False, 1, dashboard.MAX_PAGE_SIZE)
    assert dashboard.dashboard(db, adviser, page=True, page_size=False).page.page == 1


def test_task_figures_attention_sort_and_version_follow_the_offices_tasks(world) -> None:
    """Open and overdue tasks (INT-3) of the adviser's office: the cards, the table's column and sort, the "needs
    attention" filter (an overdue task is enough), and the live version moves when a task changes."""
    db, adviser = world
    tasks = db.exec(
        select(Task).where(Task.office_id == adviser.office_id, col(Task.employer_id).in_(adviser.employer_ids))
    ).all()
    still_open = [t for t in tasks if t.status in OPEN_STATUSES]
    overdue = [t for t in still_open if t.due_date is not None and t.due_date < TODAY]
    assert still_open and overdue and len(overdue) < len(still_open)  # the demo office has both kinds
    board = dashboard.dashboard(db, adviser, page_size=100)
    assert (board.figures.tasks_open, board.figures.tasks_overdue) == (len(still_open), len(overdue))
    for row in board.page.rows:
        assert row.tasks_open == sum(1 for t in still_open if t.employer_id == row.id)
        assert row.tasks_overdue == sum(1 for t in overdue if t.employer_id == row.id)
    late = {t.employer_id for t in overdue}
    flagged = {r.id for r in dashboard.dashboard(db, adviser, attention=True, page_size=100).page.rows}
    assert late <= flagged
    quiet = [r for r in board.page.rows if r.id in late and not r.reviews and not r.batches_failed]
    assert quiet, "an employer needing attention for its overdue tasks only"
    ranked = dashboard.dashboard(db, adviser, sort="tasks_overdue", direction="desc", page_size=100).page.rows
    assert [r.tasks_overdue for r in ranked] == sorted((r.tasks_overdue for r in ranked), reverse=True)
    before = dashboard.portfolio_version(db, adviser)
    assert task_service.reassign(db, adviser, [overdue[0].id], None) == 1
    db.commit()
    assert dashboard.portfolio_version(db, adviser) != before
    other = principal_of(db, "adviser.zuidas")
    theirs = next(iter(other.employer_ids))
    db.add(Task(office_id=adviser.office_id, kind="general", title="Oud dossier", employer_id=theirs, due_date=TODAY))
    db.commit()  # a task of this office about the other office's employer: counted by neither as theirs
    assert dashboard.dashboard(db, other).figures.tasks_open == 0 and dashboard.chart_data(db, other).tasks == []
    bars = dashboard.chart_data(db, adviser).tasks  # the chart of open tasks by adviser and status
    assert sum(sum(b.status.values()) for b in bars) == len(still_open)
    names = dict(db.exec(select(UserAccount.id, UserAccount.display_name)).all())
    for bar in bars:
        mine = [t for t in still_open if (names.get(t.assignee_id, "") if t.assignee_id else "") == bar.name]
        assert bar.status == {s: sum(1 for t in mine if t.status == s) for s in OPEN_STATUSES}, bar.name
    assert bars[-1].name == ""  # the tasks of nobody come last
