"""Reconciliation page (INT-7): choose an employer of the portfolio and a scheme, a date and tolerances, upload
the insurer's list, read the report, download it, turn a difference into a task.

The state holds display strings only. The upload goes to our own route (session cookie, own Origin, CSRF token;
``portal.state.uploads``), which keeps the file for a reconciliation job; "fetch from the insurer" queues the same
job with the coupled insurer's records. The page follows the job's progress, then shows its report or its reason.
The route's answer (a job id) comes back through the browser, so it is untrusted: the job and its report are read
again through the service with this session's principal. Every id from the browser is re-checked by the service
(portfolio, office).
"""

from __future__ import annotations

from decimal import Decimal

import reflex as rx

from portal.core import clock
from portal.domain import reconciliation as rules
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import reconciliation
from portal.services.reconciliation.reports import value_text
from portal.state import uploads
from portal.state.auth import language_of
from portal.state.usecase import GUARDED, run

FILE_INPUT_ID = "reconciliation-file"
UPLOAD_ROUTE = "/api/reconciliation/upload"  # portal.api.routes.reconciliation_upload
DENY = "/intermediary/reconciliation"


def _delta(kind: str, delta: Decimal | None, lang: str) -> str:
    """insurer − portal as shown: an amount, or part-time points with a sign."""
    if delta is None:
        return ""
    sign = "+" if delta > 0 else ""
    if kind in rules.AMOUNT_KINDS:
        return sign + fmt.money(delta, lang)
    return sign + fmt.number(delta.quantize(Decimal("0.001")), lang)


class ReconciliationState(rx.State):
    """Choices, the form's errors, the report's summary and one page of its differences."""

    employers: list[dict[str, str]] = []  # id, label
    schemes: list[dict[str, str]] = []  # id, label, employer_id
    employer_id: str = ""
    scheme_id: str = ""
    as_of: str = ""
    money: str = ""  # the tolerances as typed; the domain's defaults (``Tolerance``) until changed
    parttime: str = ""
    errors: dict[str, str] = {}
    busy: bool = False
    report: dict[str, str] = {}  # summary lines, link
    totals: list[dict[str, str]] = []  # kind, label, count
    rows: list[dict[str, str]] = []
    kind: str = ""
    offset: int = 0
    shown: int = 0

    progress_pct: int = 0
    job: dict[str, str] = {}  # while a reconciliation runs: its text

    _report_id: int = 0
    _job_id: int = 0
    _watch_id: int = 0

    @rx.var
    def running(self) -> bool:
        return bool(self.job)

    @rx.var
    def fetch_insurer(self) -> str:
        """The coupled insurer whose records the chosen scheme can be compared with ("" when none)."""
        return next((s.get("insurer", "") for s in self.schemes if s["id"] == self.scheme_id), "")

    @rx.var
    def scheme_options(self) -> list[dict[str, str]]:
        return [s for s in self.schemes if s["employer_id"] == self.employer_id]

    @rx.var
    def page_text(self) -> str:
        if not self.shown:
            return ""
        last = min(self.offset + reconciliation.PAGE_SIZE, self.shown)
        return f"{self.offset + 1}–{last} / {self.shown}"

    @rx.var
    def has_previous(self) -> bool:
        return self.offset > 0

    @rx.var
    def has_next(self) -> bool:
        return self.offset + reconciliation.PAGE_SIZE < self.shown

    @rx.event
    async def load(self):
        self.errors, self.report, self.rows, self.totals, self._report_id = {}, {}, [], [], 0
        self.as_of = self.as_of or clock.today().isoformat()
        if not self.money and not self.parttime:
            default, lang = rules.Tolerance(), await language_of(self)
            self.money, self.parttime = fmt.as_input(default.money, lang), fmt.as_input(default.parttime, lang)
        done = await run(self, reconciliation.schemes, deny=DENY, quiet=GUARDED)
        if not done:
            self.schemes, self.employers = [], []
            return done.event
        choices = done.value
        self.schemes = [
            {"id": str(c.scheme_id), "label": c.label, "employer_id": str(c.employer_id), "insurer": c.insurer}
            for c in choices
        ]
        self.employers = list(
            {str(c.employer_id): {"id": str(c.employer_id), "label": c.employer_name} for c in choices}.values()
        )
        if self.employer_id not in {e["id"] for e in self.employers}:
            self.employer_id = self.employers[0]["id"] if self.employers else ""
        self._pick_scheme()
        return await self._latest()

    async def _latest(self):
        """The newest report of the chosen scheme made by the office (kept: the page shows it again), and the
        office's reconciliation of it that is still running (followed again)."""
        self.report, self.rows, self.totals, self._report_id, self.kind, self.offset = {}, [], [], 0, "", 0
        self.job, self._job_id, self.progress_pct = {}, 0, 0
        if not self.scheme_id:
            return None
        done = await run(self, reconciliation.latest_report, self.employer_id, self.scheme_id, deny=DENY)
        if not done:
            return done.event
        if done.value is not None:
            self._report_id = done.value.id
            if event := await self._show():
                return event
        running = await run(self, reconciliation.running_job, self.employer_id, self.scheme_id, deny=DENY)
        if not running:
            return running.event
        if running.value is not None:
            self._job_id = running.value.id
            return await self._follow()
        return None

    def _pick_scheme(self) -> None:
        options = [s["id"] for s in self.schemes if s["employer_id"] == self.employer_id]
        if self.scheme_id not in options:
            self.scheme_id = options[0] if options else ""

    @rx.event
    async def set_employer(self, value: str):
        if isinstance(value, str) and value in {e["id"] for e in self.employers}:
            self.employer_id = value
            self._pick_scheme()
            return await self._latest()
        return None

    @rx.event
    async def set_scheme(self, value: str):
        if isinstance(value, str) and value in {s["id"] for s in self.scheme_options}:
            self.scheme_id = value
            return await self._latest()
        return None

    @rx.event
    def set_as_of(self, value: str):
        self.as_of = value[:10] if isinstance(value, str) else ""

    @rx.event
    def set_money(self, value: str):
        self.money = value[:20] if isinstance(value, str) else ""

    @rx.event
    def set_parttime(self, value: str):
        self.parttime = value[:20] if isinstance(value, str) else ""

    def _choices(self) -> tuple[str, ...]:
        return (self.employer_id, self.scheme_id, self.as_of, self.money, self.parttime)

    @rx.event
    async def upload_file(self):
        """Post the chosen file to our route with the choices; ``uploaded`` receives the answer."""
        params = dict(zip(("employer", "scheme", "as_of", "money", "parttime"), self._choices(), strict=True))
        return await uploads.post_file(self, FILE_INPUT_ID, UPLOAD_ROUTE, params, ReconciliationState.uploaded)

    @rx.event
    async def uploaded(self, result: dict):
        """The route's answer as the browser passed it on (untrusted): a message at its field, or the job that
        reconciles the file, read again through the service (then its progress, then its report)."""
        answer = await uploads.read_answer(
            self, result, "job", ("as_of", "tolerance", "tolerance_pt", "file"), "reconciliation.no_file",
            "reconciliation.upload_failed", 800,
        )  # fmt: skip
        if answer.made is None:
            return answer.event
        self._job_id = answer.made
        return await self._follow()

    @rx.event
    async def fetch_records(self):
        """Compare with the records the coupled insurer gives through its adapter (a job, as for a file)."""
        lang = await language_of(self)
        self.errors = {}
        done = await run(self, reconciliation.queue_fetch, *self._choices(), lang, deny=DENY, fields="errors")
        if not done:
            return done.event
        self._job_id = done.value
        return await self._follow()

    async def _follow(self):
        """Show the job's state; follow it while it runs."""
        event = await self._refresh_job()
        if self._job_id:
            return ReconciliationState.watch
        return event

    async def _refresh_job(self):
        """The job's progress; once it is finished, its report or its reason at its field."""
        done = await run(self, reconciliation.job, self._job_id, deny=DENY, touch=False)
        if not done:
            self.job, self._job_id, self.progress_pct = {}, 0, 0
            return done.event
        view, lang = done.value, await language_of(self)
        self.progress_pct = view.percent
        if view.running:
            key = "reconciliation.fetching" if view.source == "insurer" else "reconciliation.running"
            self.job = {"text": t(key, lang, insurer=self.fetch_insurer)}
            return None
        self.job, self._job_id = {}, 0
        where = "fetch" if view.source == "insurer" else "file"
        if view.report_id is not None:
            self._report_id, self.kind, self.offset = view.report_id, "", 0
            return await self._show()
        if view.key:
            self.errors = {view.at or where: t(view.key, lang, **view.params)}
        else:
            self.errors = {where: t("reconciliation.job_failed", lang)}
        return None

    @rx.event(background=True)
    async def watch(self):
        """Follow a running reconciliation until it is finished (then its report or its reason is shown)."""
        await uploads.follow(self, "_refresh_job", "running")

    async def _show(self):
        lang = await language_of(self)
        done = await run(self, reconciliation.report, self._report_id, self.kind, self.offset, deny=DENY)
        if not done:
            self.report, self.rows, self.totals, self._report_id = {}, [], [], 0
            return done.event
        view = done.value
        counts = view.totals.get("counts", {})
        deltas = view.totals.get("deltas", {})
        self.totals = [
            {
                "kind": k,
                "label": t(f"reconciliation.kind.{k}", lang),
                "count": fmt.number(int(counts.get(k, 0)), lang),
                "delta": fmt.money(Decimal(deltas[k]), lang) if k in deltas else "",
            }
            for k in rules.KINDS
        ]
        self.report = {
            "summary": t(
                "reconciliation.summary",
                lang,
                file=view.file_name or "—",
                day=fmt.day(view.as_of, lang),
                insurer=fmt.number(view.insurer_rows, lang),
                portal=fmt.number(view.portal_rows, lang),
                matched=fmt.number(int(view.totals.get("matched", 0)), lang),
                money=fmt.money(view.money_tolerance, lang),
                parttime=str(view.parttime_tolerance.normalize()),
            ),
            "premium": t(
                "reconciliation.premium_totals",
                lang,
                insurer=fmt.money(Decimal(view.totals.get("insurer_premium", "0")), lang),
                portal=fmt.money(Decimal(view.totals.get("portal_premium", "0")), lang),
            ),
            "differences": str(view.differences),
            "link": view.link,
        }
        self.shown = view.shown
        self.rows = [
            {
                "id": str(r.id),
                "kind": t(f"reconciliation.kind.{r.kind}", lang),
                "number": r.number or t("reconciliation.line", lang, line=r.line or 0),
                "name": r.name,
                "portal": value_text(r.kind, r.portal_value, lang),
                "insurer": value_text(r.kind, r.insurer_value, lang),
                "delta": _delta(r.kind, r.delta, lang),
                "task": str(r.task_id or ""),
                "label": t("reconciliation.make_task", lang) + f": {r.number} {r.name}".rstrip(),
            }
            for r in view.rows
        ]
        return None

    @rx.event
    async def set_kind(self, value: str):
        self.kind = value if isinstance(value, str) and value in rules.KINDS else ""
        self.offset = 0
        if self._report_id:
            return await self._show()
        return None

    @rx.event
    async def page(self, step: int):
        if not self._report_id or not isinstance(step, int) or isinstance(step, bool):
            return None
        self.offset = max(0, self.offset + (1 if step > 0 else -1) * reconciliation.PAGE_SIZE)
        return await self._show()

    @rx.event
    async def make_task(self, difference_id: str):
        """Turn one difference into a task (the service checks the difference against the portfolio)."""
        lang = await language_of(self)
        done = await run(self, reconciliation.to_task, difference_id, lang, deny=DENY)
        if not done:
            return done.event
        return await self._show()
