"""The portfolio dashboard's charts (INT-1): premium per employer (top 10 and the rest), participants by status per
employer (top 10 by participants and the rest), and changes per week over the last 12 weeks (submitted against
processed). The first two come from the dashboard's per-employer figures (``aggregates``); the weeks are two
GROUP BY queries over the portfolio's changes.

A change counts as submitted in the week of its request and as processed in the week it was applied: when it
was reviewed, the review's moment; otherwise (applied at once) its request's. Weeks start on Monday, local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlmodel import Session, col

from portal.core import clock
from portal.domain.charts import STATUSES
from portal.domain.portfolio import PortfolioCharts, StatusBar, TaskBar, top_with_rest, week_starts
from portal.domain.tasks import OPEN_STATUSES
from portal.models import Mutation, Task, UserAccount
from portal.services.dashboard.aggregates import EmployerFigures, PortfolioMemo, employer_figures
from portal.services.dashboard.portfolio import portfolio_ids
from portal.services.principal import Principal

TOP = 10


def _status_bars(rows: list[EmployerFigures]) -> list[StatusBar]:
    by_id = {str(r.id): r for r in rows}
    ranked = top_with_rest([(str(r.id), sum(r.status.values())) for r in rows], TOP)
    bars = []
    for bar in ranked:
        if bar.label is not None:
            row = by_id[bar.label]
            bars.append(StatusBar(row.name, dict(row.status)))
        else:
            top = {b.label for b in ranked if b.label is not None}
            rest = [r for r in rows if str(r.id) not in top]
            bars.append(StatusBar(None, {s: sum(r.status.get(s, 0) for r in rest) for s in STATUSES}, len(rest)))
    return bars


def _task_bars(db: Session, ids: list[int], office_id: int | None) -> list[TaskBar]:
    """The open tasks of office ``office_id`` about the employers ``ids``, per assignee and status, the busiest
    adviser first (the tasks of nobody last)."""
    if office_id is None or not ids:
        return []
    found: dict[int | None, TaskBar] = {}
    for user_id, name, status, number in db.connection().execute(
        select(Task.assignee_id, UserAccount.display_name, Task.status, func.count())
        .select_from(Task)
        .outerjoin(UserAccount, col(UserAccount.id) == Task.assignee_id)
        .where(Task.office_id == office_id, col(Task.employer_id).in_(ids), col(Task.status).in_(OPEN_STATUSES))
        .group_by(Task.assignee_id, UserAccount.display_name, Task.status)
    ):
        bar = found.setdefault(
            user_id, TaskBar(name or "" if user_id is not None else "", dict.fromkeys(OPEN_STATUSES, 0))
        )
        bar.status[status] = int(number)
    return sorted(found.values(), key=lambda b: (b.name == "", -sum(b.status.values()), b.name))


def _bounds(mondays: list[date]) -> list[datetime]:
    """Each Monday's local midnight (server time zone), in UTC as stored."""
    local = clock.now().astimezone().tzinfo
    return [datetime.combine(m, time(), tzinfo=local).astimezone(UTC) for m in mondays]


def _week(moment: Any, bounds: list[datetime]) -> ColumnElement[int]:
    """SQL: the index of the week holding ``moment`` (0 = the oldest), -1 before the first."""
    return case(*[(moment >= bounds[i], i) for i in range(len(bounds) - 1, -1, -1)], else_=-1)


def _per_week(db: Session, ids: list[int], bounds: list[datetime]) -> tuple[list[int], list[int]]:
    submitted, processed = [0] * len(bounds), [0] * len(bounds)
    if not ids:
        return submitted, processed
    conn = db.connection()
    asked = _week(Mutation.requested_at, bounds)
    for week, number in conn.execute(
        select(asked, func.count())
        .where(col(Mutation.employer_id).in_(ids), Mutation.requested_at >= bounds[0])
        .group_by(asked)
    ):
        if week >= 0:
            submitted[int(week)] = int(number)
    moment = func.coalesce(Mutation.reviewed_at, Mutation.requested_at)
    done = _week(moment, bounds)
    for week, number in conn.execute(
        select(done, func.count())
        .where(col(Mutation.employer_id).in_(ids), Mutation.status == "processed", moment >= bounds[0])
        .group_by(done)
    ):
        if week >= 0:
            processed[int(week)] = int(number)
    return submitted, processed


def chart_data(db: Session, principal: Principal | None, memo: PortfolioMemo | None = None) -> PortfolioCharts:
    """The charts of the principal's portfolio (NoAccess without Perm.PORTFOLIO_VIEW). ``memo`` as for
    ``dashboard``: figures the dashboard counted are not counted again."""
    ids = portfolio_ids(principal)
    today = clock.today()
    rows = employer_figures(db, ids, today, memo)
    mondays = week_starts(today)
    submitted, processed = _per_week(db, ids, _bounds(mondays))
    return PortfolioCharts(
        today=today,
        premium=top_with_rest([(r.name, r.premium) for r in rows if r.premium > Decimal(0)], TOP),
        status=_status_bars(rows),
        weeks=mondays,
        submitted=submitted,
        processed=processed,
        tasks=_task_bars(db, ids, principal.office_id if principal is not None else None),
    )
