"""Intermediary pages: the portfolio list and one employer (scope checked by the services)."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations
from portal.services.organisation import portfolio
from portal.state.auth import language_of, route_param
from portal.state.forms import display, text_of
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


class ReviewState(rx.State):
    """Changes in the portfolio that wait for the adviser's decision (MUT-6): approve, or reject with a reason
    that the employer sees. The mutation id from the browser is re-checked by the service (scope, status)."""

    rows: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    done: str = ""

    async def _query(self) -> None:
        done = await run(self, mutations.review_queue)
        if not done:
            self.rows = []
            return
        found, lang = done.value, await language_of(self)
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
        """Approve or reject; a refusal or a field error is said at the change's row."""
        key = str(mutation_id)[:12]
        done = await run(self, mutations.review, mutation_id, approve, reason, fields="errors", at=key)
        lang = await language_of(self)
        if done.refused:
            self.errors = {key: t("review.not_allowed", lang)}
        if not done:
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
