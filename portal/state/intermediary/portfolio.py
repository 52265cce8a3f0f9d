"""The portfolio list and one employer of it (scope checked by the services)."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.services.organisation import portfolio
from portal.state.auth import language_of, route_param
from portal.state.usecase import SIGNED_OUT, run


class PortfolioState(rx.State):
    """The employers of the adviser's portfolio (one row per employer, counts formatted for the locale)."""

    rows: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        done = await run(self, portfolio.portfolio)
        if not done:
            self.rows = []
            return None
        lang = await language_of(self)
        self.rows = [
            {
                "id": str(r.id),
                "href": f"/intermediary/employers/{r.id}",
                "name": r.name,
                "kvk": r.kvk_number,
                "group": r.group,
                "active": fmt.number(r.active, lang),
                "dormant": fmt.number(r.dormant, lang),
            }
            for r in done.value
        ]
        return None


class EmployerSummaryState(rx.State):
    """One employer of the portfolio; an id outside the portfolio is refused and audited."""

    name: str = ""
    kvk: str = ""
    address: str = ""
    contact: str = ""
    schemes: list[list[str]] = []

    @rx.event
    async def load(self):
        raw_id = route_param(self, "employer_id")
        self.name = self.kvk = self.address = self.contact = ""
        self.schemes = []
        where = f"/intermediary/employers/{raw_id[:20]}"
        # a signed-out browser: the guard already sends it to the login page
        done = await run(self, portfolio.employer_summary, raw_id, deny=where, quiet=SIGNED_OUT)
        if not done:
            return done.event
        summary = done.value
        self.name = summary.name
        self.kvk = summary.kvk_number
        self.address = summary.address
        self.contact = summary.contact
        self.schemes = [list(s) for s in summary.schemes]
        return None
