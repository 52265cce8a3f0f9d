"""Intermediary pages: the portfolio list and one employer (scope checked by the services)."""

from __future__ import annotations

import reflex as rx

from portal.db import session_scope
from portal.i18n import formatting as fmt
from portal.services import portfolio
from portal.services.principal import NoAccess
from portal.state.auth import current_principal, deny, route_param
from portal.state.forms import language_of


class PortfolioState(rx.State):
    """The employers of the adviser's portfolio (one row per employer, counts formatted for the locale)."""

    rows: list[dict[str, str]] = []

    @rx.event
    async def load(self):
        principal = current_principal(self)
        lang = await language_of(self)
        try:
            with session_scope() as db:
                rows = portfolio.portfolio(db, principal)
        except NoAccess:
            self.rows = []
            return None
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
            for r in rows
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
    def load(self):
        principal = current_principal(self)
        raw_id = route_param(self, "employer_id")
        self.name = self.kvk = self.address = self.contact = ""
        self.schemes = []
        try:
            with session_scope() as db:
                summary = portfolio.employer_summary(db, principal, raw_id)
        except NoAccess as refused:
            if principal is None:
                return None  # the guard already sends the browser to the login page
            return deny(self, principal, f"/intermediary/employers/{raw_id[:20]}", refused.reason)
        self.name = summary.name
        self.kvk = summary.kvk_number
        self.address = summary.address
        self.contact = summary.contact
        self.schemes = [list(s) for s in summary.schemes]
        return None
