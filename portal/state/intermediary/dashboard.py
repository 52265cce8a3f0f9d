"""Portfolio dashboard (INT-1): figures, charts and the employer table (server-side search, sort, filters and paging),
kept live: a background watch compares the portfolio's version and refreshes what changed elsewhere.

The page is split over states the way the participant overview is (the browser re-renders every part that shows
a state when any var of that state changes): the figures, the sort order, the rows with the pager, and the
charts each have their own, and the browser's events all go to ``DashboardState``.
"""

from __future__ import annotations

import logging

import plotly.graph_objects as go
import reflex as rx
from sqlmodel import Session

from portal.components import portfolio_charts
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import dashboard
from portal.services.principal import Principal
from portal.state.auth import language_of, polling
from portal.state.intermediary.review import ReviewState
from portal.state.paging import PAGE_SIZE, PagedRowsState, assign_changed
from portal.state.usecase import run

log = logging.getLogger(__name__)

WATCH_SECONDS = 1.0  # how often an open dashboard looks for changes made elsewhere
WATCH_LIFETIME = 8 * 3600  # a working day on a wide screen
FIGURES = (
    "employers", "active", "dormant", "premium", "reviews", "tasks_open", "tasks_overdue", "batches_failed",
    "batches_waiting",
)  # fmt: skip
# The fields of a table row (see ``DashboardRowsState.rows``)
ID, NAME, KVK, GROUP, ACTIVE, DORMANT, PREMIUM, REVIEWS, FAILED, WAITING, ATTENTION, OVERDUE = range(12)


class DashboardFiguresState(rx.State):
    """The figure cards: [label, value] in the user's language."""

    cards: list[list[str]] = []


class DashboardOrderState(rx.State):
    """The employer table's sort column and direction (a page turn or a search leaves the headers alone)."""

    sort: str = "name"
    direction: str = "asc"


class DashboardRowsState(PagedRowsState, rx.State):
    """One page of employers, formatted, and the pager's numbers."""


class DashboardChartsState(rx.State):
    """The four charts (see ``components.portfolio_charts``), their titles and screen-reader summaries."""

    ready: bool = False
    # built for each new state: Reflex deep-copies a value default, 20 ms per figure on every new tab's hydration
    fig_premium: go.Figure = rx.field(default_factory=go.Figure)
    fig_status: go.Figure = rx.field(default_factory=go.Figure)
    fig_changes: go.Figure = rx.field(default_factory=go.Figure)
    fig_tasks: go.Figure = rx.field(default_factory=go.Figure)
    titles: dict[str, str] = {}
    summaries: dict[str, str] = {}


class DashboardState(rx.State):
    """The filters and the live watch; every event of the page comes here. The per-employer figures are kept by
    the dashboard service (per data version), so a search, sort or page turn does not count participants again."""

    search: str = ""
    group: str = ""
    attention: bool = False
    groups: list[dict[str, str]] = []

    _version: tuple[int, ...] = ()
    _watch_id: int = 0

    async def _query(self, touch: bool = True, thread: bool = False) -> bool:
        """Read the figures and the employer table for the current filters in one transaction; False when refused
        (the page guard has already sent the browser away). ``thread``: a read that may count many employers (a
        first load, a live refresh) must not hold up the event loop."""
        rows_state = await self.get_state(DashboardRowsState)
        order = await self.get_state(DashboardOrderState)

        def read(db: Session, me: Principal | None) -> dashboard.Dashboard:
            return dashboard.dashboard(
                db,
                me,
                search=self.search,
                sort=order.sort,
                direction=order.direction,
                group=self.group,
                attention=self.attention,
                page=rows_state.page,
                page_size=PAGE_SIZE,
            )

        done = await run(self, read, touch=touch, thread=thread)
        if not done or done.value is None:  # nothing read before stays: figures, rows, charts, groups
            await self._forget()
            return False
        board = done.value
        lang = await language_of(self)
        self._version = board.version
        assign_changed(await self.get_state(DashboardFiguresState), cards=_cards(board.figures, lang))
        groups = [{"id": str(g.id), "name": g.name} for g in board.groups]
        page = board.page
        assign_changed(self, groups=groups, group=page.group, search=page.search, attention=page.attention)
        assign_changed(order, sort=board.page.sort, direction=board.page.direction)
        assign_changed(rows_state, page=board.page.page, total=board.page.total, rows=_rows(board.page, lang))
        return True

    async def _forget(self) -> None:
        for part in (
            await self.get_state(DashboardRowsState),
            await self.get_state(DashboardFiguresState),
            await self.get_state(DashboardChartsState),
        ):
            part.reset()
        self.groups = []

    async def _charts(self, touch: bool = True) -> None:
        """Read and draw the charts: after the figures and the table, in their own transaction, so that those are
        on screen without waiting for the charts (reading them and building the figures costs more than the rest
        of the dashboard together)."""
        done = await run(self, dashboard.chart_data, touch=touch, thread=True)
        if not done or done.value is None:
            await self._forget()
            return
        await self._show_charts(done.value, await language_of(self))

    async def _show_charts(self, data: dashboard.PortfolioCharts, lang: str) -> None:
        charts = await self.get_state(DashboardChartsState)
        try:
            figs, titles, summaries = portfolio_charts.build(data, lang)
        except Exception:  # the page must work when a chart cannot be drawn
            log.exception("portfolio charts failed")
            return
        charts.fig_premium, charts.fig_status, charts.fig_changes = figs["premium"], figs["status"], figs["changes"]
        charts.fig_tasks = figs["tasks"]
        assign_changed(charts, titles=titles, summaries=summaries, ready=True)

    @rx.event
    async def load(self):
        """on_load of /intermediary: figures and the first page, sent at once; then the charts; then watch for
        changes."""
        (await self.get_state(DashboardRowsState)).page = 1
        if await self._query(thread=True):
            yield  # the figures and the table on screen; the charts follow
            await self._charts()
        self._watch_id += 1
        yield DashboardState.watch

    @rx.event
    async def apply_search(self, form: dict):
        value = form.get("search", "") if isinstance(form, dict) else ""
        self.search = value.strip()[:100] if isinstance(value, str) else ""
        (await self.get_state(DashboardRowsState)).page = 1
        await self._query()

    @rx.event
    async def set_group(self, group: str):
        self.group = group if isinstance(group, str) and group in {g["id"] for g in self.groups} else ""
        (await self.get_state(DashboardRowsState)).page = 1
        await self._query()

    @rx.event
    async def set_attention(self, on: bool):
        self.attention = on is True
        (await self.get_state(DashboardRowsState)).page = 1
        await self._query()

    @rx.event
    async def sort_by(self, column: str):
        if column not in dashboard.SORT_COLUMNS:
            return
        order = await self.get_state(DashboardOrderState)
        if order.sort == column:
            order.direction = "desc" if order.direction == "asc" else "asc"
        else:
            order.sort, order.direction = column, "asc"
        (await self.get_state(DashboardRowsState)).page = 1
        await self._query()

    @rx.event
    async def next_page(self):
        rows = await self.get_state(DashboardRowsState)
        if rows.page < rows.pages:
            rows.page += 1
            await self._query()

    @rx.event
    async def previous_page(self):
        rows = await self.get_state(DashboardRowsState)
        if rows.page > 1:
            rows.page -= 1
            await self._query()

    @rx.event
    def stop_watch(self):
        """The dashboard left the screen: end the live watch."""
        self._watch_id += 1

    @rx.event(background=True)
    async def watch(self):
        """Live view: when the portfolio's version moves (a change in any session, a batch's status), read the
        figures, the table, the charts and the review queue again."""
        async for _principal in polling(self, WATCH_SECONDS, WATCH_LIFETIME):
            async with self:
                seen = self._version
            done = await run(self, dashboard.portfolio_version, touch=False)
            if not done:
                return
            if done.value != seen:
                async with self:  # the figures and the table sent first (leaving the block sends them) ...
                    shown = await self._query(touch=False, thread=True)
                if shown:
                    async with self:  # ... then the charts and the review queue
                        await self._charts(touch=False)
                        await (await self.get_state(ReviewState))._query()  # keeps its last message


def _cards(f: dashboard.Figures, lang: str) -> list[list[str]]:
    """[label, value, name] per figure card."""
    values = {
        "employers": fmt.number(f.employers, lang),
        "active": fmt.number(f.active, lang),
        "dormant": fmt.number(f.dormant, lang),
        "premium": fmt.money(f.premium, lang),
        "reviews": fmt.number(f.reviews, lang),
        "batches_failed": fmt.number(f.batches_failed, lang),
        "batches_waiting": fmt.number(f.batches_waiting, lang),
        "tasks_open": fmt.number(f.tasks_open, lang),
        "tasks_overdue": fmt.number(f.tasks_overdue, lang),
    }
    return [[t(f"dash.fig.{k}", lang, year=f.today.year), values[k], k] for k in FIGURES]


def _rows(page: dashboard.EmployerPage, lang: str) -> list[list[str]]:
    return [
        [
            str(r.id),
            r.name,
            r.kvk_number,
            r.group,
            fmt.number(r.active, lang),
            fmt.number(r.dormant, lang),
            fmt.money(r.premium, lang),
            fmt.number(r.reviews, lang),
            fmt.number(r.batches_failed, lang),
            fmt.number(r.batches_waiting, lang),
            "1" if r.needs_attention else "",  # the domain rule, as the service's filter applies it
            fmt.number(r.tasks_overdue, lang),
        ]
        for r in page.rows
    ]
