"""The review queue (MUT-6): approve or reject changes waiting for the adviser."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations
from portal.state.auth import language_of
from portal.state.forms import display, requested_by, text_of
from portal.state.usecase import run


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
                "requested": f"{fmt.moment(r.requested_at, lang)} · {requested_by(r.requested_by, r.api_key, lang)}",
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
