"""Forms page state of the employer (DOC-5, also an adviser acting for it, INT-2): prepare a form of a kind for
one or several participants (picked from a scheme's list; many at once as a background job whose progress the
page follows), the participants refused on their own with why, the list with its status in words and colour
(and a decline's reason), the PDF viewer, countersigning (with a fresh code of the countersigner's app) and the
verification of the signatures. pyHanko's signing and checking run in a worker thread, off the event loop.

Display strings only. Every id that comes back from the browser (scheme, participation, form) is untrusted: the
forms services check scope and permission again and audit a refusal; the page says only "not available"."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from portal.domain import forms as rules
from portal.domain.roles import Perm
from portal.i18n import t
from portal.services import background
from portal.services import forms as flow
from portal.services.organisation.scheme_access import schemes_of
from portal.services.participants import overview
from portal.services.principal import NoAccess, Principal
from portal.state import uploads
from portal.state.auth import client_ip, language_of
from portal.state.signed_forms import open_form, plain_id, row_of
from portal.state.usecase import GUARDED, run

KINDS = tuple(k.value for k in rules.FormKind)
PICK_PAGE = 50  # participants shown to pick from at once (search narrows)
JOB_RUNNING = ("queued", "running", "interrupted")  # a prepare job still to finish (an interrupted one is re-queued)


class EmployerFormsState(rx.State):
    schemes: list[dict[str, str]] = []  # id, label
    scheme_id: str = ""
    search: str = ""
    candidates: list[dict[str, str]] = []  # id (participation), number, name, label
    picked: list[str] = []  # participation ids
    picked_names: dict[str, str] = {}  # participation id -> "number name"
    kinds: list[dict[str, str]] = []  # value, label
    kind: str = rules.FormKind.DEFERRED_COMPENSATION.value
    errors: dict[str, str] = {}
    notice: str = ""
    message: str = ""
    rows: list[dict[str, str]] = []
    selected: dict[str, str] = {}  # the viewer: id, title, meta, view_link, download_link, ...
    checks: list[dict[str, str]] = []  # the verification: field, signer, result, certificate, ok
    checked_title: str = ""
    confirm_id: str = ""
    sign_errors: dict[str, str] = {}  # the countersign dialog's code field
    withdraw_id: str = ""
    refused: list[str] = []  # the picked participants no form was prepared for, each with why
    job: dict[str, str] = {}  # the prepare job while it runs: text
    progress_pct: int = 0
    can_prepare: bool = False
    loaded: bool = False
    _employers: dict[str, int] = {}  # scheme id -> employer id (from the scope-checked options)
    _job_id: int = 0
    _watch_id: int = 0

    @rx.var
    def running(self) -> bool:
        return self.job != {}

    @rx.var
    def employer_id(self) -> str:
        return str(self._employers.get(self.scheme_id, ""))

    @rx.var
    def confirm_open(self) -> bool:
        return self.confirm_id != ""

    @rx.var
    def withdraw_open(self) -> bool:
        return self.withdraw_id != ""

    @rx.var
    def picked_list(self) -> list[dict[str, str]]:
        return [{"id": i, "label": self.picked_names.get(i, i)} for i in self.picked]

    # ------------------------------------------------------------------------------------------ loading
    @rx.event
    async def load(self):
        """on_load: the schemes of the employer(s) in scope, the participants to pick from, the forms."""
        self.reset()
        done = await run(self, lambda db, me: schemes_of(db, me, perm=Perm.PARTICIPANTS_VIEW), quiet=GUARDED)
        if not done:
            return done.event
        lang = await language_of(self)
        options = done.value or []
        self.schemes = [{"id": str(o.scheme_id), "label": o.label} for o in options]
        self._employers = {str(o.scheme_id): o.employer_id for o in options}
        self.scheme_id = self.schemes[0]["id"] if self.schemes else ""
        self.can_prepare = done.principal is not None and done.principal.can(Perm.MUTATIONS_SUBMIT)
        self.kinds = [{"value": k, "label": rules.KINDS[rules.FormKind(k)].title[lang]} for k in KINDS]
        await self._candidates()
        refused = await self._list()
        self.loaded = True
        if refused is None and await self._running_job():
            return EmployerFormsState.watch  # a prepare job of this employer still runs: its progress again
        return refused

    async def _running_job(self) -> bool:
        """Follow the newest prepare job of the chosen employer that still runs (started before a reload, or by
        a colleague), if any."""
        employer_id = self._employers.get(self.scheme_id)
        if employer_id is None or not self.can_prepare:
            return False

        def newest(db: Session, me: Principal | None) -> int:
            runs = [background.latest(db, me, flow.PREPARE_JOB, flow.prepare_subject(k, employer_id)) for k in KINDS]
            running = [r for r in runs if r is not None and r.status in JOB_RUNNING]
            return max(r.id for r in running) if running else 0

        done = await run(self, newest, quiet=GUARDED, touch=False)
        self._job_id = done.value or 0 if done else 0
        await self._refresh_job()
        return self.running

    async def _candidates(self) -> None:
        if not self.scheme_id or not self.can_prepare:
            self.candidates = []
            return
        scheme_id, search = self.scheme_id, self.search

        def listing(db: Session, me: Principal | None) -> overview.ParticipantPage:
            return overview.list_participants(db, me, scheme_id, search, "active", page_size=PICK_PAGE)

        done = await run(self, listing, quiet=GUARDED, touch=False)
        if not done or done.value is None:
            self.candidates = []
            return
        self.candidates = [
            {
                "id": str(r.participation_id),
                "number": r.participant_number,
                "name": r.name,
                "label": f"{r.participant_number} · {r.name}",
            }
            for r in done.value.rows
        ]

    async def _list(self) -> rx.event.EventSpec | None:
        employer_id = self._employers.get(self.scheme_id)
        if employer_id is None:
            self.rows = []
            return None
        done = await run(self, flow.employer_forms, employer_id, deny="/employer/forms", quiet=GUARDED, touch=False)
        if not done or done.value is None:
            self.rows = []
            return done.event
        lang = await language_of(self)
        self.rows = [row_of(r, lang) for r in done.value]
        return None

    # ------------------------------------------------------------------------------------------ preparing
    @rx.event
    async def set_scheme(self, scheme_id: str):
        if isinstance(scheme_id, str) and scheme_id in self._employers:
            self.scheme_id = scheme_id
            self.picked, self.picked_names, self.selected, self.checks = [], {}, {}, []
            await self._candidates()
            return await self._list()
        return None

    @rx.event
    async def find(self, form: dict):
        value = form.get("search", "") if isinstance(form, dict) else ""
        self.search = value.strip()[:100] if isinstance(value, str) else ""
        await self._candidates()

    @rx.event
    def set_kind(self, kind: str):
        if isinstance(kind, str) and kind in KINDS:
            self.kind = kind
            self.errors = {}

    @rx.event
    def toggle(self, participation_id: str, on: bool):
        """Pick a participant (only one of the listed candidates; the service checks the employer again)."""
        pid = plain_id(participation_id)
        label = next((c["label"] for c in self.candidates if c["id"] == pid), None)
        if on is True and label is not None and pid not in self.picked:
            self.picked = [*self.picked, pid]
            self.picked_names = {**self.picked_names, pid: label}
        elif on is not True and pid in self.picked:
            self.picked = [x for x in self.picked if x != pid]

    @rx.event
    async def prepare(self, form: dict):
        """Prepare (and send) a form of the chosen kind for every picked participant with the filled values."""
        self.notice, self.message, self.errors = "", "", {}
        data = form if isinstance(form, dict) else {}
        values = {}
        for name in rules.preparer_fields(self.kind) if self.kind in KINDS else ():
            raw = data.get(name, "")
            if isinstance(raw, str) and raw.strip():
                values[name] = raw.strip()[:2000]
        employer_id = self._employers.get(self.scheme_id)
        if employer_id is None:
            return None
        kind, picked, ip = self.kind, list(self.picked), client_ip(self)
        if self.running:  # one job at a time from this page
            return None
        self.refused = []
        done = await run(
            self,
            lambda db, me: flow.start_prepare(db, me, employer_id, kind, picked, values, ip=ip),
            fields="errors",
        )
        return await self._after_prepare(done)

    async def _after_prepare(self, done):
        """At once: the forms made and the participants refused; for many, the job followed until it is done."""
        lang = await language_of(self)
        if not done or done.value is None:
            if done.refused is not None:
                self.message = t("formpage.not_available", lang)
            elif "form" in self.errors:
                self.message = self.errors["form"]
            return done.event
        prepared: flow.Prepared = done.value
        names = self.picked_names
        self.refused = [
            t("formpage.refused_line", lang, name=names.get(str(pid), str(pid)), reason=t(key, lang))
            for pid, key in prepared.refused
        ]
        self.picked, self.picked_names = [], {}
        if prepared.job_id:
            self._job_id = prepared.job_id
            await self._refresh_job()
            return EmployerFormsState.watch if self.running else await self._list()
        if prepared.form_ids:
            self.notice = t("formpage.prepared", lang, count=len(prepared.form_ids))
        return await self._list()

    async def _refresh_job(self) -> None:
        """The prepare job's progress (read through the services with this session's principal); once it is
        done, how many were made (and refused meanwhile), and the list again."""
        job_id = self._job_id
        if not job_id:
            self.job = {}
            return
        done = await run(self, background.job_progress, job_id, touch=False)
        lang = await language_of(self)
        if not done or done.value is None:
            self.job, self._job_id, self.progress_pct = {}, 0, 0
            return
        view: background.JobProgress = done.value
        self.progress_pct = view.percent
        if view.status in JOB_RUNNING:
            self.job = {"text": t("formpage.preparing", lang, done=view.done, total=view.total)}
            return
        self.job, self._job_id = {}, 0
        if view.status == "done":
            self.notice = t("formpage.prepared", lang, count=view.figures.get("made", view.done))
            if late := view.figures.get("refused", 0):
                self.refused = [*self.refused, t("formpage.refused_meanwhile", lang, count=late)]
        else:
            self.message = t("formpage.prepare_failed", lang)
        await self._list()

    @rx.event(background=True)
    async def watch(self):
        """Follow the prepare job until it is finished (then the forms it made are in the list)."""
        await uploads.follow(self, "_refresh_job", "running")

    # ------------------------------------------------------------------------------------------ one form
    async def _refused(self, done) -> rx.event.EventSpec | None:
        """A refused form id (audited by the service): said neutrally, nothing shown."""
        self.selected, self.checks, self.checked_title = {}, [], ""
        if done.principal is None:
            return rx.redirect("/login")
        self.message = t("formpage.not_available", await language_of(self))
        return None

    def _title_of(self, form_id: str) -> str:
        return next((r["title"] + " · " + r["person"] for r in self.rows if r["id"] == form_id), "")

    @rx.event
    async def open_form(self, form_id: str):
        """Show a form's PDF (the id is untrusted: ``pdf_of`` checks scope and audits the view)."""
        self.message, self.notice = "", ""
        fid, ip = plain_id(form_id), client_ip(self)
        done = await run(self, lambda db, me: open_form(db, me, fid, ip), commit_on=(NoAccess,))
        if not done or done.value is None:
            return await self._refused(done)
        lang, opened = await language_of(self), done.value
        title = self._title_of(str(opened.form_id)) or rules.KINDS[rules.FormKind(opened.kind)].title[lang]
        self.selected = {
            "id": str(opened.form_id),
            "title": title,
            "meta": rules.STATUS_LABELS[rules.FormStatus(opened.status)][lang],
            "view_link": opened.link,
            "download_link": opened.link,
            "frame_title": t("doc.viewer_frame", lang, title=title),
            "open_label": t("doc.open_new_tab_label", lang, title=title),
            "download_label": t("doc.download_label", lang, title=title),
        }
        return rx.scroll_to("form-viewer")

    @rx.event
    def close_viewer(self):
        self.selected = {}

    @rx.event
    async def verify(self, form_id: str):
        """Check every signature of the form's PDF: intact or not, and which certificate made it."""
        self.message, self.notice = "", ""
        fid, ip = plain_id(form_id), client_ip(self)
        done = await run(
            self,
            lambda db, me: flow.verify(db, me, fid, ip),
            commit_on=(NoAccess,),
            thread=True,  # pyHanko runs its own event loop
        )
        if not done or done.value is None:
            return await self._refused(done)
        lang = await language_of(self)
        result = done.value
        self.checked_title = self._title_of(fid)
        self.checks = [
            {
                "field": t(
                    "formpage.signature.employee" if s.field == flow.EMPLOYEE_FIELD else "formpage.signature.employer",
                    lang,
                ),
                "signer": s.name,
                "result": t("formpage.intact" if s.ok else "formpage.broken", lang),
                "certificate": s.certificate,
                "ok": "1" if s.ok else "",
            }
            for s in result.signatures
        ]
        if not result.signatures:
            self.checks = [
                {"field": t("formpage.unsigned", lang), "signer": "", "result": "", "certificate": "", "ok": ""}
            ]
        return rx.scroll_to("form-checks")

    @rx.event
    def ask_countersign(self, form_id: str):
        fid = plain_id(form_id)
        if any(r["id"] == fid for r in self.rows):
            self.confirm_id, self.sign_errors = fid, {}

    @rx.event
    def confirm_change(self, is_open: bool):
        if not is_open:
            self.confirm_id, self.sign_errors = "", {}

    @rx.event
    async def countersign(self, form: dict):
        """Countersign the form of the dialog with a fresh code of the countersigner's authenticator app (the
        service checks the id, the status, the signed PDF and the code). A wrong or used code is said at the
        code field and the dialog stays open; any other refusal closes it with its message."""
        fid, ip = self.confirm_id, client_ip(self)
        self.message, self.notice, self.sign_errors = "", "", {}
        if not fid:
            return None
        data = form if isinstance(form, dict) else {}
        code = data.get("code", "")
        code = code.strip().replace(" ", "")[:12] if isinstance(code, str) else ""
        done = await run(
            self,
            lambda db, me: flow.countersign(db, me, fid, code, ip),
            commit_on=(NoAccess,),
            fields="sign_errors",
            thread=True,  # pyHanko is CPU-bound (and runs its own event loop): off this one
        )
        if not done:
            if done.refused is not None:
                self.confirm_id = ""
                return await self._refused(done)
            if "code" in self.sign_errors:
                return None
            self.confirm_id, self.message = "", next(iter(self.sign_errors.values()), "")
            self.sign_errors = {}
            await self._list()
            return None
        self.confirm_id = ""
        self.notice = t("formpage.countersigned", await language_of(self))
        self.selected, self.checks = {}, []
        return await self._list()

    @rx.event
    def ask_withdraw(self, form_id: str):
        fid = plain_id(form_id)
        if any(r["id"] == fid for r in self.rows):
            self.withdraw_id = fid

    @rx.event
    def withdraw_change(self, is_open: bool):
        if not is_open:
            self.withdraw_id = ""

    @rx.event
    async def withdraw(self):
        """Withdraw an open form (it ends as declined; the service checks the id and the status again)."""
        fid, ip = self.withdraw_id, client_ip(self)
        self.withdraw_id, self.message, self.notice = "", "", ""
        if not fid:
            return None
        done = await run(
            self, lambda db, me: flow.decline(db, me, fid, "", ip), commit_on=(NoAccess,), message="message"
        )
        if not done:
            if done.refused is not None:
                return await self._refused(done)
            await self._list()
            return None
        self.notice = t("formpage.withdrawn", await language_of(self))
        self.selected, self.checks = {}, []
        return await self._list()
