"""Collective changes page (BULK-1..4): download a file, upload it, follow its check and its processing."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from portal.core import clock
from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import background, collective, files
from portal.services.organisation.scheme_access import schemes_of
from portal.services.principal import Principal
from portal.state import uploads
from portal.state.auth import acting_scope, language_of
from portal.state.forms import text_of
from portal.state.usecase import EVERY, run

TABS = {"salary": "salary_parttime", "new": "new_participants", "email": "business_email", "raise": "integral_raise"}
RUNNING = ("validating", "queued", "processing")
SHOWN_ISSUES = 200
FILE_INPUT_ID = "bulk-file"
UPLOAD_ROUTE = "/api/collective/upload"  # portal.api.routes.collective_upload


class CollectiveState(rx.State):
    """The chosen scheme and tab, the latest batch of that scheme and its report, the raise preview."""

    schemes: list[dict[str, str]] = []
    scheme_id: str = ""
    tab: str = "salary"
    effective: str = ""
    denied: bool = False
    errors: dict[str, str] = {}
    batch: dict[str, str] = {}
    issues: list[str] = []
    progress_pct: int = 0
    preview: dict[str, str] = {}
    sample: list[dict[str, str]] = []
    busy: bool = False
    discard_open: bool = False

    _batch_id: int = 0
    _watch_id: int = 0

    @rx.var
    def running(self) -> bool:
        return self.batch.get("status", "") in RUNNING

    @rx.var
    def discardable(self) -> bool:
        return self.batch.get("status", "") in collective.DISCARDABLE

    async def _refresh_batch(self) -> None:
        """The latest batch of the chosen scheme, its report lines and progress."""
        lang = await language_of(self)

        def latest(db: Session, me: Principal | None) -> tuple[collective.BatchRow, list, str, Any] | None:
            if self._batch_id:
                row, issues = collective.batch(db, me, self._batch_id)
            else:
                employer_id = next((s["employer_id"] for s in self.schemes if s["id"] == self.scheme_id), "")
                mine = [b for b in collective.batches(db, me, employer_id, 20) if str(b.scheme_id) == self.scheme_id]
                if not mine:
                    return None
                row, issues = collective.batch(db, me, mine[0].id)
                self._batch_id = row.id
            report = files.link(me, "batch_report", row.id) if row.has_report and me else ""
            running = background.done_and_total(db, me, "apply_batch", f"batch:{row.id}")  # while it runs
            return row, issues, report, running

        done = await run(self, latest, touch=False)
        if done.value is None:  # refused, or no batch yet
            self.batch, self.issues = {}, []
            return
        row, issues, report, progress_now = done.value
        pct = str(row.raise_pct.normalize()) if row.raise_pct is not None else ""
        self.batch = {
            "id": str(row.id),
            "status": row.status,
            "status_label": t(f"batch.status.{row.status}", lang),
            "kind": t(f"batch.kind.{row.kind}", lang, pct=pct),
            "file_name": row.file_name,
            "uploaded": fmt.moment(row.created_at, lang),
            "by": row.uploaded_by,
            "text": _status_text(row, lang),
            "report": report,
        }
        self.issues = [collective.issue_text(i, lang) for i in issues[:SHOWN_ISSUES]]
        if len(issues) > SHOWN_ISSUES:
            self.issues.append(t("bulk.more_issues", lang, count=len(issues) - SHOWN_ISSUES))
        self.progress_pct = (
            int(100 * progress_now[0] / progress_now[1])
            if progress_now and progress_now[1]
            else (100 if row.status == "processed" else 0)
        )

    @rx.event
    async def load(self):
        self.errors, self.preview, self.sample, self.batch, self.issues = {}, {}, [], {}, []
        self._batch_id = 0
        self.effective = self.effective or clock.today().isoformat()
        done = await run(self, lambda db, me: schemes_of(db, me, perm=Perm.MUTATIONS_SUBMIT))
        if not done:
            self.denied, self.schemes = True, []
            return
        self.denied = False
        self.schemes = [
            {"id": str(o.scheme_id), "label": o.label, "employer_id": str(o.employer_id)} for o in done.value
        ]
        if self.scheme_id not in {s["id"] for s in self.schemes}:
            self.scheme_id = self.schemes[0]["id"] if self.schemes else ""
        await self._refresh_batch()
        if self.running:
            return CollectiveState.watch

    @rx.event
    async def set_scheme(self, scheme_id: str):
        if isinstance(scheme_id, str) and scheme_id in {s["id"] for s in self.schemes}:
            self.scheme_id, self._batch_id, self.preview, self.sample = scheme_id, 0, {}, []
            await self._refresh_batch()

    @rx.event
    def set_tab(self, tab: str):
        if isinstance(tab, str) and tab in TABS:
            self.tab, self.errors = tab, {}

    @rx.event
    def set_effective(self, value: str):
        self.effective = value[:10] if isinstance(value, str) else ""
        self.errors = {k: v for k, v in self.errors.items() if k != "effective"}

    @rx.event
    async def download(self):
        """Step 1: the file to fill in (as of the effective date for the salary file)."""
        lang = await language_of(self)
        args = (self.scheme_id, TABS[self.tab], self.effective, lang)
        done = await run(self, collective.template, *args, redirect=EVERY, fields="errors")
        if not done:
            return done.event
        self.errors = {}
        name, data = done.value
        return rx.download(data=data, filename=name)

    @rx.event
    async def upload_file(self):
        """Step 3: the browser posts the chosen file to our upload route (session cookie, own Origin, the
        session's CSRF token); ``uploaded`` receives the route's answer. Nothing here trusts the browser:
        the route re-checks the session and the service checks scope and file."""
        params = {"scheme": self.scheme_id, "kind": TABS[self.tab], "effective": self.effective}
        acting_for = acting_scope(self)  # on an adviser's acting page the route works for that employer only
        query = params if acting_for is None else {**params, "acting": acting_for}
        return await uploads.post_file(self, FILE_INPUT_ID, UPLOAD_ROUTE, query, CollectiveState.uploaded)

    @rx.event
    async def uploaded(self, result: dict):
        """The upload route's answer (as the browser passed it on: untrusted): show its message, or follow the
        new batch, read again through the service with this session's principal."""
        answer = await uploads.read_answer(self, result, "batch", ("effective", "file"), "bulk.no_file",
                                           "bulk.upload_failed")  # fmt: skip
        if answer.made is None:
            return answer.event
        self._batch_id = answer.made
        await self._refresh_batch()
        if not self.batch:  # not a batch this principal may see
            self._batch_id = 0
            return None
        return CollectiveState.watch

    @rx.event
    async def apply(self):
        """Apply the checked batch (all or nothing; the scheme is locked meanwhile)."""
        done = await run(self, collective.confirm, self._batch_id, redirect=EVERY, fields="errors", at="apply")
        if not done:
            return done.event
        self.errors = {}
        await self._refresh_batch()
        return CollectiveState.watch

    @rx.event
    def ask_discard(self):
        """Ask to confirm discarding the shown batch (the service decides whether it may be)."""
        self.discard_open = bool(self._batch_id)

    @rx.event
    def close_discard(self):
        self.discard_open = False

    @rx.event
    def discard_open_change(self, is_open: bool):
        self.discard_open = is_open is True and bool(self._batch_id)

    @rx.event
    async def discard(self):
        """Discard the shown batch (not applied; its file may be uploaded again)."""
        self.discard_open = False
        done = await run(self, collective.discard, self._batch_id, redirect=EVERY, fields="errors", at="apply")
        if done.refused:
            return done.event
        if done.error:
            await self._refresh_batch()
            return None
        self.errors = {}
        await self._refresh_batch()
        return None

    def _raise_args(self, form: dict) -> tuple[str, str]:
        self.effective = text_of(form, "effective", 10) or self.effective
        return self.effective, text_of(form, "percentage", 12)

    @rx.event
    async def preview_raise(self, form: dict):
        """BULK-4: salaries and premiums before and after the raise (nothing is written)."""
        effective, pct = self._raise_args(form)
        done = await run(
            self, collective.preview_raise, self.scheme_id, effective, pct, redirect=EVERY, fields="errors"
        )
        if done.error:
            self.preview, self.sample = {}, []
        if not done:
            return done.event
        p, lang = done.value, await language_of(self)
        self.errors = {}
        self.preview = {
            "percentage": str(p.percentage),
            "effective": p.effective.isoformat(),
            "summary": t(
                "bulk.raise_summary",
                lang,
                count=fmt.number(p.participants, lang),
                before=fmt.money(p.salaries_before, lang),
                after=fmt.money(p.salaries_after, lang),
                premium_before=fmt.money(p.premium_before, lang),
                premium_after=fmt.money(p.premium_after, lang),
            ),
        }
        self.sample = [
            {
                "number": s["number"],
                "name": s["name"],
                "old": fmt.money(s["old"], lang),
                "new": fmt.money(s["new"], lang),
                "premium_old": fmt.money(s["premium_old"], lang),
                "premium_new": fmt.money(s["premium_new"], lang),
            }
            for s in p.sample
        ]
        return None

    @rx.event
    async def submit_raise(self):
        """Submit the previewed raise as a collective batch."""
        if not self.preview:
            return None
        raised = (self.scheme_id, self.preview["effective"], self.preview["percentage"])
        done = await run(
            self,
            collective.submit_raise,
            *raised,
            redirect=EVERY,
            fields="errors",
            at=lambda f: "apply" if f == "form" else f,
        )
        if not done:
            return done.event
        self.errors, self.preview, self.sample = {}, {}, []
        self._batch_id = done.value.id or 0
        await self._refresh_batch()
        return CollectiveState.watch

    @rx.event(background=True)
    async def watch(self):
        """Follow a running batch (check, queue, processing) until it is finished."""
        await uploads.follow(self, "_refresh_batch", "running")


def _status_text(row: collective.BatchRow, lang: str) -> str:
    if row.status == "ready":
        return t(
            "bulk.ready_text", lang, rows=fmt.number(row.rows_total, lang), changes=fmt.number(row.rows_changed, lang)
        )
    if row.status == "rejected":
        return t("bulk.rejected_text", lang)
    if row.status == "failed":
        return t("bulk.failed_text", lang)
    if row.status == "discarded":
        return t("bulk.discarded_text", lang)
    if row.status == "processed":
        return t("bulk.processed_text", lang, changes=fmt.number(row.rows_changed, lang))
    return t("bulk.running_text", lang)
