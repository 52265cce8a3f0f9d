"""Participant overview (EMP-2): server-side search, sort, filter and paging; live refresh on changes."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from portal.core import clock
from portal.i18n import formatting as fmt
from portal.services import participants
from portal.services.principal import Principal
from portal.state.auth import language_of, polling
from portal.state.paging import PAGE_SIZE, PagedRowsState, assign_changed
from portal.state.usecase import run

SORTABLE = ("number", "name", "date_in_service", "salary", "parttime", "status")
STATUSES = ("", "active", "dormant", "terminated", "retired")
WATCH_SECONDS = 1.0  # how often an open overview looks for changes made elsewhere
WATCH_LIFETIME = 4 * 3600


class ParticipantOrderState(rx.State):
    """The overview's sort column and direction. A state of its own because the browser re-renders every
    part of the page that shows a state when any var of that state changes: a page turn, search or filter
    leaves these as they are, so the column headers are not rendered again."""

    sort: str = "name"
    direction: str = "asc"


class ParticipantRowsState(PagedRowsState, rx.State):
    """The page of participants shown and the pager's numbers, written by ``ParticipantsState``'s events; rows
    are [number, name, date_in_service, salary, parttime, status] (the detail link is built in the page)."""


class ParticipantsState(rx.State):
    """One page of participants of the chosen scheme; everything is queried on the server. The filters live
    here, the sort order in ``ParticipantOrderState`` and the rows and paging in ``ParticipantRowsState``
    (see there why); the browser's events all come here."""

    schemes: list[dict[str, str]] = []
    scheme_id: str = ""
    search: str = ""
    status: str = ""
    denied: bool = False
    as_of: str = ""  # the "as of" field (ISO day; '' = today)
    as_of_error: str = ""
    shown_day: str = ""  # the day shown, formatted, when it is not today ('' = today)

    _data_version: int = -1
    _employer_id: int | None = None
    _watch_id: int = 0
    _day: str = ""  # the ISO day actually listed ('' = today)
    _memo: participants.TotalsMemo | None = None

    async def _table(self) -> ParticipantRowsState:
        return await self.get_state(ParticipantRowsState)

    async def _query(self, as_of: str | None = None, touch: bool = True) -> None:
        """Run the query for the current filters: the principal is resolved from the session record in the
        same transaction as the listing (scope and audit in the service). ``as_of``: a newly asked day
        (untrusted), kept only when the service accepts it (else its message at the field, nothing changed);
        ``touch=False`` for the live watch (not user activity)."""
        lang = await language_of(self)
        table = await self._table()
        order = await self.get_state(ParticipantOrderState)
        day = self._day if as_of is None else as_of
        if self._memo is None:
            self._memo = participants.TotalsMemo()

        def listing(db: Session, me: Principal | None) -> participants.ParticipantPage | None:
            if not self.schemes:
                options = participants.schemes_of(db, me)
                self.schemes = [
                    {"id": str(o.scheme_id), "label": o.label, "employer_id": str(o.employer_id)} for o in options
                ]
                if self.schemes and self.scheme_id not in {s["id"] for s in self.schemes}:
                    self.scheme_id = self.schemes[0]["id"]
            if not self.scheme_id:
                return None
            return participants.list_participants(
                db,
                me,
                self.scheme_id,
                search=self.search,
                status=self.status,
                sort=order.sort,
                direction=order.direction,
                page=table.page,
                page_size=PAGE_SIZE,
                as_of=day or None,
                memo=self._memo,
            )

        done = await run(self, listing, message="as_of_error", touch=touch)
        if done.error:  # a bad "as of" day: its message is at the field, nothing else changes
            return
        if done.refused:
            self.denied = True
        if done.value is None:  # refused, or no scheme to list
            table.rows, table.total = [], 0
            return
        result = done.value
        self._employer_id = next((int(s["employer_id"]) for s in self.schemes if s["id"] == self.scheme_id), None)
        self._data_version = result.data_version
        today = result.as_of == clock.today()
        self._day = "" if today else result.as_of.isoformat()
        assign_changed(
            self,
            denied=False,
            as_of_error="",
            as_of=result.as_of.isoformat(),
            shown_day="" if today else fmt.day(result.as_of, lang),
        )
        assign_changed(
            table,
            total=result.total,
            page=result.page,
            rows=[
                [
                    r.participant_number,
                    r.name,
                    fmt.day(r.date_in_service, lang),
                    fmt.money(r.salary, lang),
                    fmt.percent(r.parttime, lang),
                    r.status,
                ]
                for r in result.rows
            ],
        )

    @rx.event
    async def load(self):
        """on_load: first page of the first scheme, as of today; then watch for changes made elsewhere."""
        self.schemes = []
        (await self._table()).page = 1
        self._day, self.as_of_error = "", ""
        await self._query()
        self._watch_id += 1
        return ParticipantsState.watch

    @rx.event
    async def refresh(self):
        await self._query()

    @rx.event
    async def set_scheme(self, scheme_id: str):
        if isinstance(scheme_id, str) and scheme_id in {s["id"] for s in self.schemes}:
            self.scheme_id = scheme_id
            (await self._table()).page = 1
            await self._query()

    @rx.event
    async def apply_search(self, form: dict):
        value = form.get("search", "") if isinstance(form, dict) else ""
        self.search = value.strip()[:100] if isinstance(value, str) else ""
        (await self._table()).page = 1
        await self._query()

    @rx.event
    async def apply_as_of(self, form: dict):
        """The "as of" field: show the overview as of that day (empty = today); the service checks the day."""
        value = form.get("as_of", "") if isinstance(form, dict) else ""
        (await self._table()).page = 1
        await self._query(as_of=value.strip()[:20] if isinstance(value, str) else "invalid")

    @rx.event
    async def set_status(self, status: str):
        self.status = status if status in STATUSES else ""
        if self.status == "all":
            self.status = ""
        (await self._table()).page = 1
        await self._query()

    @rx.event
    async def sort_by(self, column: str):
        if column not in SORTABLE:
            return
        order = await self.get_state(ParticipantOrderState)
        if order.sort == column:
            order.direction = "desc" if order.direction == "asc" else "asc"
        else:
            order.sort, order.direction = column, "asc"
        (await self._table()).page = 1
        await self._query()

    @rx.event
    async def go_page(self, page: int):
        try:
            wanted = int(page)
        except (TypeError, ValueError):
            return
        table = await self._table()
        table.page = min(max(1, wanted), table.pages)
        await self._query()

    @rx.event
    async def next_page(self):
        table = await self._table()
        if table.page < table.pages:
            table.page += 1
            await self._query()

    @rx.event
    async def previous_page(self):
        table = await self._table()
        if table.page > 1:
            table.page -= 1
            await self._query()

    @rx.event
    def stop_watch(self):
        """The table left the screen: end the live watch."""
        self._watch_id += 1

    @rx.event(background=True)
    async def watch(self):
        """Live view: re-query when the employer's data version changes (a change made in any session)."""
        async for _principal in polling(self, WATCH_SECONDS, WATCH_LIFETIME):
            async with self:
                employer_id, seen = self._employer_id, self._data_version
            if employer_id is None:
                continue
            done = await run(self, participants.data_version, employer_id, touch=False)
            if not done:
                return
            if done.value != seen:
                async with self:
                    await self._query(touch=False)
