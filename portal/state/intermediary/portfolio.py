"""One employer of the portfolio (scope checked by the service); the portfolio itself is the dashboard's."""

from __future__ import annotations

import reflex as rx

from portal.services.organisation import portfolio
from portal.state.auth import route_param
from portal.state.usecase import SIGNED_OUT, run


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
