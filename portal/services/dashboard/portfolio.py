"""The intermediary's portfolio dashboard (INT-1): figures across the portfolio and the employer table.

Everything is scoped to the principal's portfolio (``Perm.PORTFOLIO_VIEW``, ``principal.employer_ids``); the
figures are SQL aggregates over all its employers at once (``aggregates``). The employer table is searched,
filtered, sorted and paged here on the server, over those per-employer figures (a portfolio holds hundreds of
employers, not hundreds of thousands: one pass in Python over the aggregated rows costs well under a
millisecond, while sorting on an aggregate in SQL would recount every participant per request). The search
text, sort column, direction, group, filter and page come from the browser and are reduced to allow-lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from portal.core import clock
from portal.domain.identifiers import search_key
from portal.domain.roles import Perm
from portal.services.dashboard.aggregates import EmployerFigures, PortfolioMemo, employer_figures
from portal.services.dashboard.aggregates import portfolio_version as _version
from portal.services.principal import Principal, require

SORT_COLUMNS = (
    "name", "kvk", "group", "active", "dormant", "premium", "reviews", "batches_failed", "batches_waiting",
    "tasks_overdue",
)  # fmt: skip
DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_SEARCH = 100

_SORT_KEYS: dict[str, Callable[[EmployerFigures], Any]] = {
    "name": lambda r: search_key(r.name),
    "kvk": lambda r: r.kvk_number,
    "group": lambda r: search_key(r.group),
    "active": lambda r: r.active,
    "dormant": lambda r: r.dormant,
    "premium": lambda r: r.premium,
    "reviews": lambda r: r.reviews,
    "batches_failed": lambda r: r.batches_failed,
    "batches_waiting": lambda r: r.batches_waiting,
    "tasks_overdue": lambda r: r.tasks_overdue,
}


@dataclass(frozen=True)
class Figures:
    """The portfolio's figures as of ``today``: employers, persons active and dormant, the yearly premium
    volume (MUT-7, euros), changes waiting for review, collective batches failed and waiting."""

    today: date
    employers: int
    active: int
    dormant: int
    premium: Decimal
    reviews: int
    batches_failed: int
    batches_waiting: int
    tasks_open: int = 0  # the office's open tasks about the portfolio's employers (INT-3)
    tasks_overdue: int = 0


@dataclass(frozen=True)
class GroupOption:
    """A company group holding at least one employer of the portfolio."""

    id: int
    name: str


@dataclass(frozen=True)
class EmployerPage:
    """One page of the employer table with the number of matches and the filters actually applied."""

    rows: list[EmployerFigures]
    total: int
    page: int
    page_size: int
    sort: str
    direction: str
    search: str
    group: str  # a group id as text, '' = every group
    attention: bool

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard shows at once: figures, the groups to filter on, one page of employers, and the
    portfolio's version read before them (a live view compares it with ``portfolio_version``)."""

    figures: Figures
    groups: list[GroupOption]
    page: EmployerPage
    version: tuple[int, ...]


def _int(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def portfolio_ids(principal: Principal | None) -> list[int]:
    """The employer ids of the principal's portfolio (NoAccess without Perm.PORTFOLIO_VIEW)."""
    return sorted(require(principal, Perm.PORTFOLIO_VIEW).employer_ids)


def figures_of(rows: list[EmployerFigures], today: date) -> Figures:
    """The portfolio's figures from its employers' figures."""
    return Figures(
        today=today,
        employers=len(rows),
        active=sum(r.active for r in rows),
        dormant=sum(r.dormant for r in rows),
        premium=sum((r.premium for r in rows), Decimal("0.00")),
        reviews=sum(r.reviews for r in rows),
        batches_failed=sum(r.batches_failed for r in rows),
        batches_waiting=sum(r.batches_waiting for r in rows),
        tasks_open=sum(r.tasks_open for r in rows),
        tasks_overdue=sum(r.tasks_overdue for r in rows),
    )


def _matches(row: EmployerFigures, folded: str, digits: str) -> bool:
    return (bool(folded) and folded in search_key(row.name)) or (bool(digits) and row.kvk_number.startswith(digits))


def employer_page(
    rows: list[EmployerFigures],
    search: object = "",
    sort: object = "name",
    direction: object = "asc",
    group: object = "",
    attention: object = False,
    page: object = 1,
    page_size: object = DEFAULT_PAGE_SIZE,
) -> EmployerPage:
    """Search (part of the name, or the start of the KvK number), filter (company group, needs attention), sort
    (on every column, ties by name) and page the employer rows; anything not allowed falls back to the default."""
    text = "".join(ch for ch in search if ch.isprintable()).strip()[:MAX_SEARCH] if isinstance(search, str) else ""
    folded = search_key(text) if text else ""
    digits = text.replace(" ", "") if text.replace(" ", "").isdigit() else ""
    groups = {str(r.group_id) for r in rows if r.group_id is not None}
    group_id = group if isinstance(group, str) and group in groups else ""
    only_attention = attention is True or attention in ("1", "true", "on")
    found = [
        r
        for r in rows
        if (not text or _matches(r, folded, digits))
        and (not group_id or str(r.group_id) == group_id)
        and (not only_attention or r.needs_attention)
    ]
    sort_key = sort if isinstance(sort, str) and sort in SORT_COLUMNS else "name"
    desc = direction == "desc"
    found.sort(key=lambda r: (search_key(r.name), r.id))  # ties: by name, whichever direction
    found.sort(key=_SORT_KEYS[sort_key], reverse=desc)
    size = min(max(1, _int(page_size, DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
    page_no = min(max(1, _int(page, 1)), max(1, -(-len(found) // size)))
    start = (page_no - 1) * size
    return EmployerPage(
        rows=found[start : start + size],
        total=len(found),
        page=page_no,
        page_size=size,
        sort=sort_key,
        direction="desc" if desc else "asc",
        search=text,
        group=group_id,
        attention=only_attention,
    )


def dashboard(
    db: Session,
    principal: Principal | None,
    search: object = "",
    sort: object = "name",
    direction: object = "asc",
    group: object = "",
    attention: object = False,
    page: object = 1,
    page_size: object = DEFAULT_PAGE_SIZE,
    memo: PortfolioMemo | None = None,
) -> Dashboard:
    """The dashboard of the principal's portfolio (NoAccess without Perm.PORTFOLIO_VIEW): figures, groups and one
    page of the employer table (see ``employer_page`` for the untrusted arguments). ``memo``: a ``PortfolioMemo``
    of earlier reads (default: the process-wide one of the database; updated here). May refresh due list rows:
    the caller commits."""
    ids = portfolio_ids(principal)
    assert principal is not None
    version = _version(db, ids, principal.office_id)  # first: what is read below is at least this new
    today = clock.today()
    rows = employer_figures(db, ids, today, memo, principal.office_id)
    groups = sorted(
        {GroupOption(r.group_id, r.group) for r in rows if r.group_id is not None}, key=lambda g: (g.name, g.id)
    )
    return Dashboard(
        figures=figures_of(rows, today),
        groups=groups,
        page=employer_page(rows, search, sort, direction, group, attention, page, page_size),
        version=version,
    )


def portfolio_version(db: Session, principal: Principal | None) -> tuple[int, ...]:
    """The portfolio's change fingerprint (two index queries): a live dashboard reloads when it differs."""
    ids = portfolio_ids(principal)
    assert principal is not None
    return _version(db, ids, principal.office_id)
