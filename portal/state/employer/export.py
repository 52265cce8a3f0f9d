"""Export page (EMP-5): choose a scheme and a date, generate the participant file, download earlier files.

The state holds display strings only. The scheme id and the date that come back from the browser are
re-checked by the export service (scope, Perm.EXPORT, date window); download links are signed on the server
for the signed-in user each time the history is read. While an export is queued or being written a background
event polls once a second and stops when nothing is pending or the browser has gone.
"""

from __future__ import annotations

import reflex as rx

from portal.core import clock
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services.exports import participant_file as exports
from portal.services.organisation.scheme_access import schemes_of
from portal.state.auth import language_of, polling
from portal.state.usecase import GUARDED, run

POLL_SECONDS = 1.0
POLL_LIFETIME = 15 * 60  # a job that takes longer than this is shown as it stands; the page can be reloaded


class ExportState(rx.State):
    """Scheme choice, the date field's error, the history table, and the polling while work is pending."""

    schemes: list[dict[str, str]] = []  # id, label
    scheme_id: str = ""
    as_of: str = ""  # the default of the date field (ISO, as date inputs use)
    error: str = ""
    notice: str = ""
    rows: list[dict[str, str]] = []
    pending: bool = False
    loaded: bool = False

    _watch_id: int = 0

    async def _history(self) -> rx.event.EventSpec | None:
        """Read the history of the chosen scheme (links signed now); None, or a redirect when refused (quietly
        when the page guard has handled it)."""
        where = f"/employer/export?scheme={self.scheme_id[:20]}"
        done = await run(self, exports.export_history, self.scheme_id, deny=where, quiet=GUARDED, touch=False)
        if not done:
            self.rows, self.pending = [], False
            return done.event
        history, lang = done.value, await language_of(self)
        self.rows = [
            {
                "id": str(h.id),
                "requested_at": fmt.moment(h.requested_at, lang),
                "as_of": fmt.day(h.as_of, lang),
                "by": h.requested_by + (f" ({t('export.on_behalf', lang)})" if h.on_behalf else ""),
                "rows": fmt.number(h.rows, lang) if h.status == "ready" else "",
                "status": h.status if h.status in exports.STATUSES else "failed",
                "link": h.link,
                "label": t("export.download_label", lang, day=fmt.day(h.as_of, lang)),
            }
            for h in history
        ]
        self.pending = any(h.status in exports.UNFINISHED for h in history)
        return None

    @rx.event
    async def load(self):
        """on_load: the schemes the user may export, today's date, the history; poll when work is pending."""
        self.error, self.notice, self.loaded = "", "", False
        done = await run(self, lambda db, me: schemes_of(db, me, perm=Perm.EXPORT))
        if not done:
            self.schemes, self.scheme_id, self.rows = [], "", []
            return None  # the page guard has sent the browser to the no-access page
        self.schemes = [{"id": str(o.scheme_id), "label": o.label} for o in done.value]
        if self.scheme_id not in {s["id"] for s in self.schemes}:
            self.scheme_id = self.schemes[0]["id"] if self.schemes else ""
        self.as_of = clock.today().isoformat()
        if not self.scheme_id:
            self.rows, self.loaded = [], True
            return None
        refused = await self._history()
        self.loaded = True
        return refused or self._start_watch()

    def _start_watch(self):
        if not self.pending:
            return None
        self._watch_id += 1
        return ExportState.watch

    @rx.event
    async def set_scheme(self, scheme_id: str):
        """The scheme selector (untrusted: only a listed id is taken; the service checks scope again)."""
        if isinstance(scheme_id, str) and scheme_id in {s["id"] for s in self.schemes}:
            self.scheme_id = scheme_id
            self.error, self.notice = "", ""
            refused = await self._history()
            return refused or self._start_watch()
        return None

    @rx.event
    async def generate(self, form: dict):
        """The "Generate export" button: request the file; the job starts when the request is committed. A refusal
        the page guard would have given goes to the no-access page; any other is audited too."""
        lang = await language_of(self)
        raw = form.get("as_of", "") if isinstance(form, dict) else ""
        as_of = raw.strip()[:20] if isinstance(raw, str) else ""
        self.error, self.notice = "", ""
        where = f"/employer/export?scheme={self.scheme_id[:20]}"
        done = await run(
            self, exports.request_export, self.scheme_id, as_of, lang, deny=where, redirect=GUARDED, message="error"
        )
        if not done:
            return done.event
        self.notice = t("export.queued_notice", lang)
        if as_of:
            self.as_of = as_of
        refused = await self._history()
        return refused or self._start_watch()

    @rx.event
    def stop_watch(self):
        """The page was left: end the polling."""
        self._watch_id += 1

    @rx.event(background=True)
    async def watch(self):
        """While an export is pending: re-read the history every second; stop when none is pending, the page
        is left, the browser disconnects or the session ends."""
        async for _principal in polling(self, POLL_SECONDS, POLL_LIFETIME):
            async with self:
                await self._history()
                if not self.pending:
                    return
