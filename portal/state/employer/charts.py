"""Dashboard charts state (EMP-11) for the employer home and the scheme page: figures built on the server in
the user's language; the scheme id from the browser is re-checked by the chart service."""

from __future__ import annotations

import logging

import plotly.graph_objects as go
import reflex as rx

from portal.components import charts as figures
from portal.services.participants import charts
from portal.state.auth import language_of
from portal.state.usecase import run

log = logging.getLogger(__name__)


class ChartsState(rx.State):
    """Five small figures, their titles and their screen-reader summaries."""

    ready: bool = False
    # built for each new state: Reflex deep-copies a value default, 20 ms per figure on every new tab's hydration
    fig_premium: go.Figure = rx.field(default_factory=go.Figure)
    fig_coverage: go.Figure = rx.field(default_factory=go.Figure)
    fig_status: go.Figure = rx.field(default_factory=go.Figure)
    fig_age: go.Figure = rx.field(default_factory=go.Figure)
    fig_salary: go.Figure = rx.field(default_factory=go.Figure)
    titles: dict[str, str] = {}
    summaries: dict[str, str] = {}

    _generation: int = 0

    async def _load(self, scheme_id: object = None) -> None:
        """Build the figures outside the state lock (a first look at 100,000 participants takes a second or
        two; later looks come from the chart service's cache), then publish them."""
        async with self:
            lang = await language_of(self)
            self.ready = False
            self._generation += 1
            mine = self._generation
        try:
            done = await run(self, charts.chart_data, scheme_id, touch=False, thread=True)
        except Exception:  # the page must open even when a chart cannot be made
            log.exception("charts failed")
            return
        if not done:
            return  # no charts for this user (e.g. finance) or this scheme
        figs, titles, summaries = figures.build(done.value, lang)
        async with self:
            if self._generation != mine:
                return  # another scheme was chosen meanwhile: its load publishes
            self.titles, self.summaries = titles, summaries
            self.fig_premium, self.fig_coverage = figs["premium"], figs["coverage"]
            self.fig_status, self.fig_age, self.fig_salary = figs["status"], figs["age"], figs["salary"]
            self.ready = True

    @rx.event(background=True)
    async def load_home(self):
        """on_load of /employer: every scheme of the employer in scope (in the background: the tiles do not wait)."""
        await self._load()

    @rx.event(background=True)
    async def load_scheme(self, scheme_id: str):
        """The scheme page: one scheme (untrusted id; the service checks scope)."""
        await self._load(scheme_id if isinstance(scheme_id, str | int) and not isinstance(scheme_id, bool) else "?")
