"""Submitted changes (EMP-6, individual part): per participant the latest change by effective date."""

from __future__ import annotations

import reflex as rx

from portal.db import session_scope
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations, participants
from portal.services.principal import NoAccess
from portal.state.auth import current_principal
from portal.state.forms import language_of

STATUSES = ("", "submitted", "needs_review", "processed", "rejected")
PAGE_SIZE = 25


class ChangesState(rx.State):
    """One page of the latest changes, filterable by status; an employer of a group can be chosen."""

    employers: list[dict[str, str]] = []
    employer_id: str = ""
    status: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict[str, str]] = []

    async def _query(self) -> None:
        principal = current_principal(self)
        lang = await language_of(self)
        try:
            with session_scope() as db:
                if not self.employers:
                    seen: dict[int, str] = {}
                    for o in participants.schemes_of(db, principal):
                        seen.setdefault(o.employer_id, o.employer_name)
                    self.employers = [{"id": str(k), "name": v} for k, v in seen.items()]
                    self.employer_id = self.employers[0]["id"] if self.employers else ""
                if not self.employer_id:
                    return
                result = mutations.latest_changes(
                    db, principal, self.employer_id, status=self.status or None, page=self.page, page_size=PAGE_SIZE
                )
        except NoAccess:
            self.rows, self.total = [], 0
            return
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.rows = [
            {
                "number": r.participant_number or "—",
                "href": f"/employer/participants/{r.participant_number}" if r.participant_number else "",
                "name": r.name,
                "kind": t(f"mutation.kind.{r.kind}", lang),
                "effective": fmt.day(r.effective_date, lang),
                "requested": fmt.moment(r.requested_at, lang),
                "by": r.requested_by + (f" ({t('changes.on_behalf', lang)})" if r.on_behalf_of else ""),
                "status": r.status,
                "reason": r.review_reason,
            }
            for r in result.rows
        ]

    @rx.event
    async def load(self):
        self.employers = []
        self.page = 1
        await self._query()

    @rx.event
    async def set_status(self, status: str):
        self.status = status if status in STATUSES else ""
        self.page = 1
        await self._query()

    @rx.event
    async def set_employer(self, employer_id: str):
        if employer_id in {e["id"] for e in self.employers}:
            self.employer_id = employer_id
            self.page = 1
            await self._query()

    @rx.event
    async def next_page(self):
        if self.page < self.pages:
            self.page += 1
            await self._query()

    @rx.event
    async def previous_page(self):
        if self.page > 1:
            self.page -= 1
            await self._query()
