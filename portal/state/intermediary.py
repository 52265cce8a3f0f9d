"""Intermediary pages: the portfolio list and one employer (scope checked by the services)."""

from __future__ import annotations

import reflex as rx

from portal.core.db import session_scope
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations
from portal.services.errors import FieldError
from portal.services.organisation import portfolio
from portal.services.principal import NoAccess
from portal.state.auth import current_principal, deny, language_of, route_param
from portal.state.forms import display, message_of, text_of


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


class ReviewState(rx.State):
    """Changes in the portfolio that wait for the adviser's decision (MUT-6): approve, or reject with a reason
    that the employer sees. The mutation id from the browser is re-checked by the service (scope, status)."""

    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    done: str = ""

    async def _query(self) -> None:
        principal = current_principal(self)
        lang = await language_of(self)
        try:
            with session_scope() as db:
                found = mutations.review_queue(db, principal)
        except NoAccess:
            self.rows = []
            return
        self.rows = [
            {
                "id": str(r.mutation_id),
                "employer": r.employer_name,
                "number": r.participant_number or "—",
                "name": r.name,
                "kind": t(f"mutation.kind.{r.kind}", lang),
                "effective": fmt.day(r.effective_date, lang),
                "requested": f"{fmt.moment(r.requested_at, lang)} · {r.requested_by}",
                "changes": "; ".join(
                    f"{t(f'mutation.field.{k}', lang)}: {display(k, old, lang)} → {display(k, new, lang)}"
                    for k, old, new in r.changes
                ),
                "warnings": " ".join(t(w["key"], lang, **(w.get("params") or {})) for w in r.warnings),
            }
            for r in found
        ]

    @rx.event
    async def load(self):
        self.errors, self.done = {}, ""
        await self._query()

    async def _decide(self, mutation_id: object, approve: bool, reason: str) -> None:
        principal = current_principal(self)
        lang = await language_of(self)
        key = str(mutation_id)[:12]
        try:
            with session_scope() as db:
                mutations.review(db, principal, mutation_id, approve, reason)
        except NoAccess:
            self.errors = {key: t("review.not_allowed", lang)}
            return
        except FieldError as err:
            self.errors = {key: message_of(err, lang)}
            return
        self.errors = {}
        self.done = t("review.approved" if approve else "review.rejected", lang)
        await self._query()

    @rx.event
    async def approve(self, mutation_id: str):
        await self._decide(mutation_id, True, "")

    @rx.event
    async def reject(self, form: dict):
        await self._decide(text_of(form, "mutation_id", 12), False, text_of(form, "reason", 500))
