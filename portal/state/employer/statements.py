"""Benefit statements on the employer pages (DOC-3): generate for a whole scheme (scheme page, with progress)
and the history of one participant (detail page, links signed on the server for the signed-in user).

Display strings only; the scheme and participation ids stay on the server or are re-checked by the service.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from portal.core import clock
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services.documents import statement_runs, statements
from portal.services.errors import FieldError
from portal.state.auth import current_principal, language_of, polling
from portal.state.usecase import run

POLL_SECONDS = 1.0
POLL_LIFETIME = 15 * 60


class StatementRunState(rx.State):
    """The "Generate statements for {year}" block of the scheme page."""

    allowed: bool = False
    years: list[str] = []
    year: str = ""
    status: str = ""  # none, queued, running, done, failed, interrupted
    status_text: str = ""
    done: int = 0
    total: int = 0
    error: str = ""

    _scheme_id: str = ""
    _watch_id: int = 0

    async def _read(self) -> None:
        lang = await language_of(self)
        done = await run(self, statement_runs.run_status, self._scheme_id, self.year, touch=False)
        if not done:
            self.allowed, self.status = False, "none"
            return
        s = done.value
        self.status, self.done, self.total = s.state, s.done, s.total
        self.status_text = (
            ""
            if s.state == "none"
            else t(
                f"statement.status.{s.state}",
                lang,
                done=fmt.number(s.done, lang),
                total=fmt.number(s.total, lang),
                made=fmt.number(s.made, lang),
                skipped=fmt.number(s.skipped, lang),
            )
        )

    @rx.event
    async def load(self, scheme_id: str):
        """Called by the scheme page when a scheme is shown (the id is checked again by every service call)."""
        principal = current_principal(self, touch=False)
        self._scheme_id = str(scheme_id)[:20] if isinstance(scheme_id, str | int) else ""
        self.error = ""
        self.allowed = principal is not None and principal.can(Perm.MUTATIONS_SUBMIT) and bool(self._scheme_id)
        if not self.allowed:
            return None
        today = clock.today()
        self.years = [str(y) for y in statement_runs.statement_years(today)[:5]]
        if self.year not in self.years:
            self.year = self.years[0]
        await self._read()
        return self._watch()

    def _watch(self):
        if self.status not in ("queued", "running"):
            return None
        self._watch_id += 1
        return StatementRunState.watch

    @rx.event
    async def set_year(self, year: str):
        """The year selector (only a listed year is taken)."""
        if isinstance(year, str) and year in self.years:
            self.year, self.error = year, ""
            await self._read()

    @rx.event
    async def generate(self):
        """Queue the statements of the scheme for the chosen year; the service checks role, scope and year (a
        refused year is audited by the service: committed with its message)."""
        self.error = ""
        done = await run(
            self,
            statement_runs.request_statements,
            self._scheme_id,
            self.year,
            deny=f"/employer/scheme?scheme={self._scheme_id}",
            message="error",
            commit_on=(FieldError,),
        )
        if done.refused:
            self.allowed = False
        if not done:
            return done.event
        await asyncio.sleep(0.05)  # the queue records "queued" right after the commit
        await self._read()
        self._watch_id += 1
        return StatementRunState.watch

    @rx.event(background=True)
    async def watch(self):
        """While statements are being made: re-read the progress every second."""
        async for _principal in polling(self, POLL_SECONDS, POLL_LIFETIME):
            async with self:
                await self._read()
                if self.status not in ("queued", "running"):
                    return


class StatementHistoryState(rx.State):
    """The participant's statements on the detail page, and "make statement {year}" for this participant."""

    rows: list[dict[str, str]] = []
    can_make: bool = False
    year: str = ""
    error: str = ""
    notice: str = ""

    _participation_id: int | None = None

    async def _list(self) -> None:
        done = await run(self, statements.statements_of, self._participation_id, touch=False)
        if not done:
            self.rows = []
            return
        entries, lang = done.value, await language_of(self)
        self.rows = [
            {
                "year": e.year,
                "title": e.title,
                "created": fmt.moment(e.created_at, lang),
                "language": e.language.upper(),
                "link": e.link,
                "label": t("statement.open_label", lang, title=e.title),
            }
            for e in entries
        ]

    @rx.event
    async def load(self):
        """on_load of the detail page, after DetailState.load has resolved the participant in scope."""
        from portal.state.employer.detail import DetailState

        detail = await self.get_state(DetailState)
        self._participation_id = detail._participation_id if detail.found else None
        self.error, self.notice = "", ""
        principal = current_principal(self, touch=False)
        self.can_make = principal is not None and principal.can(Perm.MUTATIONS_SUBMIT)
        self.year = str(clock.today().year)
        if self._participation_id is None:
            self.rows = []
            return
        await self._list()

    @rx.event
    async def make(self):
        """Make this participant's statement of the current year now (clear message when there is none; the
        service audits it, committed with the message)."""
        self.error, self.notice = "", ""
        if self._participation_id is None:
            return None
        done = await run(
            self,
            statements.request_statement,
            self._participation_id,
            self.year,
            deny=f"statement:{self._participation_id}",
            message="error",
            commit_on=(FieldError,),
        )
        if not done:
            return done.event
        self.notice = t("statement.made_one", await language_of(self))
        await self._list()
        return None
