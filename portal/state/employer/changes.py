"""Submitted changes (EMP-6): individually, per participant the latest change by effective date; collectively,
every batch with its file, status, counts and report."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import collective, files, mutations, participants
from portal.services.principal import Principal
from portal.state.auth import language_of, route_param
from portal.state.forms import requested_by
from portal.state.usecase import EVERY, run

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
    view: str = "individual"
    batches: list[dict[str, str]] = []
    discard_open: bool = False
    discard_file: str = ""
    batch_message: str = ""
    _discard_id: int = 0

    async def _query(self) -> None:
        lang = await language_of(self)

        def changes(db: Session, me: Principal | None) -> mutations.ChangesPage | None:
            if not self.employers:
                seen: dict[int, str] = {}
                for o in participants.schemes_of(db, me):
                    seen.setdefault(o.employer_id, o.employer_name)
                self.employers = [{"id": str(k), "name": v} for k, v in seen.items()]
                self.employer_id = self.employers[0]["id"] if self.employers else ""
            if not self.employer_id:
                return None
            self.batches = _batch_rows(db, me, self.employer_id, lang)
            return mutations.latest_changes(
                db, me, self.employer_id, status=self.status or None, page=self.page, page_size=PAGE_SIZE
            )

        done = await run(self, changes)
        if done.refused:
            self.rows, self.total = [], 0
        if done.value is None:
            return
        result = done.value
        self.total, self.page, self.pages = result.total, result.page, result.pages
        self.rows = [
            {
                "number": r.participant_number or "—",
                "href": f"/participants/{r.participant_number}" if r.participant_number else "",  # under the base
                "name": r.name,
                "kind": t(f"mutation.kind.{r.kind}", lang),
                "effective": fmt.day(r.effective_date, lang),
                "requested": fmt.moment(r.requested_at, lang),
                "by": requested_by(r.requested_by, r.api_key, lang)
                + (f" ({t('changes.on_behalf', lang)})" if r.on_behalf_of else ""),
                "status": r.status,
                "reason": r.review_reason,
            }
            for r in result.rows
        ]

    @rx.event
    async def load(self):
        self.employers = []
        self.page = 1
        self.view = "collective" if route_param(self, "view") == "collective" else "individual"
        await self._query()

    @rx.event
    def ask_discard(self, batch_id: str):
        """Ask to confirm discarding a listed batch (the service decides whether it may be)."""
        row = next((b for b in self.batches if isinstance(batch_id, str) and b["id"] == batch_id), None)
        self.batch_message = ""
        if row is None or not row["discardable"]:
            return
        self._discard_id, self.discard_file, self.discard_open = int(row["id"]), row["file"], True

    @rx.event
    def close_discard(self):
        self.discard_open, self._discard_id = False, 0

    @rx.event
    def discard_open_change(self, is_open: bool):
        if is_open is not True:
            self.discard_open, self._discard_id = False, 0

    @rx.event
    async def discard(self):
        """Discard the batch asked for (not applied; its file may be uploaded again)."""
        target, self._discard_id, self.discard_open = self._discard_id, 0, False
        if not target:
            return None
        done = await run(self, collective.discard, target, redirect=EVERY, message="batch_message")
        if done.refused:
            return done.event
        if done.ok:
            self.batch_message = ""
        await self._query()
        return None

    @rx.event
    def set_view(self, view: str):
        self.view = view if view in ("individual", "collective") else "individual"

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


def _batch_rows(db, principal, employer_id: str, lang: str) -> list[dict[str, str]]:
    """The employer's collective changes for the table (a signed report link where there is a report)."""
    out = []
    for b in collective.batches(db, principal, employer_id):
        pct = str(b.raise_pct.normalize()) if b.raise_pct is not None else ""
        kind = t(f"batch.kind.{b.kind}", lang, pct=pct)
        out.append(
            {
                "id": str(b.id),
                "kind": kind,
                "file": b.file_name or "—",
                "by": b.uploaded_by,
                "at": fmt.moment(b.created_at, lang),
                "rows": fmt.number(b.rows_total, lang),
                "counts": f"{fmt.number(b.rows_changed, lang)} / {fmt.number(b.rows_failed, lang)}",
                "status": b.status,
                "status_label": t(f"batch.status.{b.status}", lang),
                "message": t(b.message, lang) if b.message and b.message != "rows_failed" else "",
                "report": files.link(principal, "batch_report", b.id) if b.has_report and principal else "",
                "discardable": "1" if b.status in collective.DISCARDABLE else "",
                "discard_label": f"{t('bulk.discard', lang)}: {b.file_name or kind}",
            }
        )
    return out
