"""Tasks and tickets (INT-3): the to-do list ("mine" by default) or the office's tasks, the board by status,
filters, sort and paging on the server, reassigning selected tasks, creating a task, one opened task with its
comments, completion and the second check. Every id from the browser is checked again by the services; the
opened task's lock version stays on the server."""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.domain import tasks as rules
from portal.domain.errors import RuleError
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import tasks
from portal.services.principal import NoAccess
from portal.state.auth import language_of, route_param
from portal.state.forms import text_of
from portal.state.usecase import GUARDED, run

PAGE_SIZE = 25
PAGE = "/intermediary/tasks"  # what a refusal names in the audit (with the task or action refused)


def _title(row: Any, lang: str) -> str:
    return row.title or t(row.title_key, lang)


def _about(detail: dict[str, Any], lang: str) -> str:
    """What the event said, in words (the warning, the missing fields, the failed batch, who sent the idea)."""
    if warning := detail.get("warning"):
        return t(str(warning), lang, **(detail.get("params") or {}))
    if missing := detail.get("missing"):
        fields = ", ".join(t(f"task.missing.{m}", lang) for m in missing)
        return t("task.detail.missing", lang, fields=fields)
    if "batch_kind" in detail:
        return t("task.detail.batch", lang, rows=detail.get("rows_failed", 0))
    if idea_from := detail.get("idea_from"):
        return t("task.detail.idea", lang, name=idea_from)
    return ""


class TasksState(rx.State):
    """The tasks page. Filters, sort and page are checked against allow-lists by ``tasks.filter_of`` and
    ``tasks.list_tasks``; the page never trusts a row it sent to the browser."""

    view: str = "mine"
    f_employer: str = ""
    f_kind: str = ""
    f_assignee: str = ""
    f_status: str = "open_any"
    f_overdue: bool = False
    sort_by: str = "due_date"
    ascending: bool = True
    page: int = 1
    pages: int = 1
    page_text: str = ""
    rows: list[dict[str, str]] = []
    board: list[dict[str, str]] = []
    selected: list[str] = []
    employer_options: list[dict[str, str]] = []
    adviser_options: list[dict[str, str]] = []
    employer_filter: list[dict[str, str]] = []
    adviser_filter: list[dict[str, str]] = []
    notice: str = ""
    warning: str = ""
    errors: dict[str, str] = {}
    list_errors: dict[str, str] = {}
    task: dict[str, str] = {}
    comments: list[dict[str, str]] = []
    task_errors: dict[str, str] = {}
    digest: bool = True
    new_employer: str = ""
    new_about: str = ""
    _new_participation: int = 0
    _task_id: int = 0
    _task_version: int = 0

    # ----------------------------------------------------------------------------------------- reading
    def _filter(self) -> tasks.TaskFilter:
        return tasks.filter_of(
            mine=self.view == "mine",
            employer_id=self.f_employer or None,
            kind=self.f_kind,
            assignee_id=self.f_assignee or None,
            status=self.f_status,
            overdue=self.f_overdue,
        )

    async def _query(self) -> None:
        try:
            chosen = self._filter()
        except NoAccess:  # a filter id that is no id: no filter
            self.f_employer = self.f_assignee = ""
            chosen = self._filter()
        args = (chosen, self.sort_by, not self.ascending, self.page, PAGE_SIZE)

        def read(db: Any, me: Any) -> tuple[tasks.TaskPage, dict[str, int]]:  # one transaction, one snapshot
            return tasks.list_tasks(db, me, *args), tasks.board_counts(db, me, chosen)

        done = await run(self, read, quiet=GUARDED)
        if not done or done.value is None:
            self.rows, self.board = [], []
            return
        lang = await language_of(self)
        found, counts = done.value
        self.pages = max(1, -(-found.total // PAGE_SIZE))
        self.page_text = t("task.page", lang, page=found.page, pages=self.pages, total=found.total)
        self.rows = [
            {
                "id": str(r.id),
                "title": _title(r, lang),
                "employer": r.employer_name,
                "number": r.participant_number,
                "kind": t(f"task.kind.{r.kind}", lang),
                "assignee": r.assignee_name or t("task.unassigned", lang),
                "due": fmt.day(r.due_date, lang) if r.due_date else "—",
                "follow_up": fmt.day(r.follow_up_date, lang) if r.follow_up_date else "—",
                "status": t("task.awaiting_check" if r.awaiting_check else f"task.status.{r.status}", lang),
                "overdue": "1" if r.overdue else "",
            }
            for r in found.rows
        ]
        self.board = [
            {"status": s, "label": t(f"task.status.{s}", lang), "count": fmt.number(n, lang)} for s, n in counts.items()
        ]

    async def _options(self) -> None:
        lang = await language_of(self)
        found = await run(self, tasks.employers, quiet=GUARDED)
        people = await run(self, tasks.advisers, quiet=GUARDED)
        self.employer_options = [{"id": str(i), "label": name} for i, name in (found.value or [])] if found else []
        nobody = [{"id": "", "label": t("task.unassigned", lang)}]
        advisers = [{"id": str(i), "label": n} for i, n in (people.value or [])] if people else []
        self.adviser_options = nobody + advisers
        every = [{"id": "", "label": t("task.filter.any", lang)}]
        self.employer_filter = every + self.employer_options
        self.adviser_filter = every + advisers

    @rx.event
    async def load(self):
        self.notice = self.warning = ""
        self.errors, self.list_errors, self.task_errors, self.selected = {}, {}, {}, []
        self.page = 1
        await self._options()
        await self._query()
        setting = await run(self, tasks.digest_setting, quiet=GUARDED)
        self.digest = bool(setting.value) if setting else False
        refused = await self._subject(route_param(self, "employer"), route_param(self, "participation"))
        if refused is not None:
            return refused
        wanted = route_param(self, "task")  # a deep link: /intermediary/tasks?task=<id>
        if wanted:
            return await self._open(wanted)
        self._close()
        return None

    async def _subject(self, employer: str, participation: str) -> rx.event.EventSpec | None:
        """A new task about the employer (and participant) of a link (``?employer=..&participation=..``); outside
        the portfolio: refused (audited) and sent to the no-access page."""
        self.new_employer, self.new_about, self._new_participation = "", "", 0
        if not employer:
            return None
        args = (employer[:12], participation[:12] or None)
        where = f"{PAGE}?employer={args[0]}&participation={args[1] or ''}"
        done = await run(self, tasks.subject_of, *args, deny=where, quiet=GUARDED)
        if not done:
            return done.event
        eid, pid, number = done.value
        self.new_employer, self._new_participation = str(eid), pid or 0
        self.new_about = await self._said("task.about_participant", number=number) if number else ""
        return None

    @rx.event
    async def set_view(self, view: str):
        self.view = view if view in ("mine", "office") else "mine"
        self.page, self.selected = 1, []
        await self._query()

    @rx.event
    async def filter(self, form: dict):
        self.f_employer = text_of(form, "employer", 12)
        kind = text_of(form, "kind", 24)
        self.f_kind = kind if kind in rules.KINDS else ""
        self.f_assignee = text_of(form, "assignee", 12)
        status = text_of(form, "status", 16)
        self.f_status = status if status in tasks.STATUS_FILTERS else "open_any"
        self.f_overdue = text_of(form, "overdue", 4) in ("on", "true")
        self.page, self.selected = 1, []
        await self._query()

    @rx.event
    async def show_status(self, status: str):
        """The board: show the tasks of one status."""
        self.f_status = status if status in tasks.STATUS_FILTERS else "open_any"
        self.page = 1
        await self._query()

    @rx.event
    async def sort(self, column: str):
        if column not in tasks.SORTS:
            return
        self.ascending = not self.ascending if column == self.sort_by else True
        self.sort_by, self.page = column, 1
        await self._query()

    @rx.event
    async def turn(self, step: int):
        if step not in (-1, 1):
            return
        self.page = min(max(1, self.page + step), self.pages)
        await self._query()

    @rx.event
    async def toggle(self, task_id: str, checked: bool):
        """Select or deselect a task for reassigning; one more than can be reassigned at once is not selected
        and says so."""
        key = str(task_id)[:12]
        self.list_errors = {}
        if checked is True and key not in self.selected:
            try:
                rules.check_selection(len(self.selected) + 1)
            except RuleError as err:
                self.list_errors = {err.field: await self._said(err.key, **err.params)}
                return
            self.selected = [*self.selected, key]
        elif checked is not True:
            self.selected = [s for s in self.selected if s != key]

    # ---------------------------------------------------------------------------------------- changing
    @rx.event
    async def toggle_digest(self, on: bool):
        done = await run(self, tasks.set_digest, on is True, quiet=GUARDED)
        if done:
            self.digest = bool(done.value)
            self.notice = await self._said("task.digest_on" if self.digest else "task.digest_off")

    async def _said(self, key: str, **params: object) -> str:
        return t(key, await language_of(self), **params)

    @rx.event
    async def reassign(self, form: dict):
        self.notice, self.list_errors = "", {}
        who = text_of(form, "assignee", 12)
        done = await run(self, tasks.reassign, list(self.selected), who, deny=f"{PAGE}#reassign", fields="list_errors")
        if not done:
            return done.event
        self.notice = await self._said("task.reassigned", count=done.value)
        self.selected = []
        await self._query()

    @rx.event
    async def create(self, form: dict):
        self.notice, self.warning, self.errors = "", "", {}
        args: list[object] = [
            text_of(form, k, 220) for k in ("employer", "kind", "title", "due_date", "follow_up_date", "assignee")
        ]
        if self._new_participation and args[0] == self.new_employer:  # the participant of the link
            args.append(self._new_participation)
        done = await run(self, tasks.create, *args, deny=f"{PAGE}#new", fields="errors")
        if not done:
            return done.event
        saved = done.value
        self.new_employer, self.new_about, self._new_participation = "", "", 0  # the link's participant: once
        self.notice = await self._said("task.created")
        self.warning = " ".join([await self._said(w) for w in saved.warnings])
        await self._query()
        await self._open(saved.task_id)
        return rx.set_focus("task-detail-title")

    def _close(self) -> None:
        self.task, self.comments, self.task_errors = {}, [], {}
        self._task_id = self._task_version = 0

    @rx.event
    def close(self):
        self._close()

    async def _open(self, task_id: object) -> rx.event.EventSpec | None:
        """Show task ``task_id`` (untrusted); refused (audited): nothing shown and the no-access page."""
        tid = str(task_id)[:12]
        done = await run(self, tasks.task_detail, tid, deny=f"{PAGE}?task={tid}", quiet=GUARDED)
        if not done:
            self._close()
            return done.event
        lang = await language_of(self)
        found = done.value
        r = found.row
        self._task_id, self._task_version = r.id, r.lock_version
        self.task = {
            "id": str(r.id),
            "title": _title(r, lang),
            "own_title": r.title,
            "about": _about(found.detail, lang),
            "employer": r.employer_name,
            "number": r.participant_number,
            "kind": t(f"task.kind.{r.kind}", lang),
            "status": r.status,
            "status_label": t("task.awaiting_check" if r.awaiting_check else f"task.status.{r.status}", lang),
            "assignee": str(r.assignee_id or ""),
            "due": r.due_date.isoformat() if r.due_date else "",
            "follow_up": r.follow_up_date.isoformat() if r.follow_up_date else "",
            "overdue": "1" if r.overdue else "",
            "needs_check": "1" if r.needs_check else "",
            "awaiting_check": "1" if r.awaiting_check else "",
            "completable": "1" if r.completable else "",
        }
        self.comments = [
            {"author": c.author_name, "at": fmt.moment(c.at, lang), "text": c.text} for c in found.comments
        ]
        return None

    @rx.event
    async def open(self, task_id: str):
        self.task_errors = {}
        refused = await self._open(task_id)
        return refused or rx.set_focus("task-detail-title")

    def _where(self, action: str) -> str:
        """What a refused action on the opened task names in the audit."""
        return f"{PAGE}?task={self._task_id}#{action}"

    async def _after(self, done: Any, key: str) -> rx.event.EventSpec | None:
        if not done:
            if done.refused:
                self._close()
            return done.event
        self.notice = await self._said(key)
        self.task_errors = {}
        await self._query()
        return await self._open(self._task_id)

    @rx.event
    async def save(self, form: dict):
        self.notice, self.warning, self.task_errors = "", "", {}
        fields = {
            "title": text_of(form, "title", 220),
            "due_date": text_of(form, "due_date", 12),
            "follow_up_date": text_of(form, "follow_up_date", 12),
            "assignee_id": text_of(form, "assignee", 12),
            "status": text_of(form, "status", 16),
        }
        tid, version = self._task_id, self._task_version

        def use_case(db: Any, principal: Any) -> tasks.Saved:
            return tasks.update_task(db, principal, tid, version, **fields)

        done = await run(self, use_case, deny=self._where("save"), fields="task_errors")
        after = await self._after(done, "task.saved")
        if done:
            self.warning = " ".join([await self._said(w) for w in done.value.warnings])
        return after

    @rx.event
    async def add_comment(self, form: dict):
        self.notice, self.task_errors = "", {}
        text = text_of(form, "comment", 6000)
        done = await run(self, tasks.comment, self._task_id, text, deny=self._where("comment"), fields="task_errors")
        return await self._after(done, "task.saved")

    @rx.event
    async def complete(self):
        self.notice, self.task_errors = "", {}
        args = (self._task_id, self._task_version)
        done = await run(self, tasks.complete, *args, deny=self._where("complete"), fields="task_errors")
        handed_in = bool(done) and done.value is not None and done.value.awaiting_check
        return await self._after(done, "task.handed_in" if handed_in else "task.completed")

    async def _check(self, approve: bool) -> rx.event.EventSpec | None:
        self.notice, self.task_errors = "", {}
        args = (self._task_id, self._task_version, approve)
        done = await run(self, tasks.check, *args, deny=self._where("check"), fields="task_errors")
        return await self._after(done, "task.checked")

    @rx.event
    async def approve_check(self):
        return await self._check(True)

    @rx.event
    async def reject_check(self):
        return await self._check(False)
