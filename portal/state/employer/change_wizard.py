"""The change wizards on the participant detail (EMP-4): salary/part-time, exit, partner or child.

Steps: 0 details (validated on the server, message at the field) → 1 summary with old and new values side
by side and the warnings to acknowledge → 2 submitted (says plainly that the change has been sent).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations
from portal.services.principal import Principal
from portal.state.auth import language_of
from portal.state.employer.detail import DetailState
from portal.state.forms import display, text_of
from portal.state.usecase import Done, run

KINDS = ("salary_parttime", "exit", "partner", "child")
FIELDS: dict[str, tuple[str, ...]] = {
    "salary_parttime": ("effective", "salary", "parttime"),
    "exit": ("exit_date",),
    "partner": ("bsn", "initials", "first_name", "name_prefix", "last_name", "birth_date", "gender",
                "partner_type", "start_date"),
    "child": ("bsn", "initials", "first_name", "name_prefix", "last_name", "birth_date", "gender"),
}  # fmt: skip


class ChangeWizardState(rx.State):
    """One wizard at a time, in a dialog on the detail page."""

    open: bool = False
    kind: str = ""
    step: int = 0
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    summary: list[list[str]] = []
    warnings: list[dict[str, str]] = []
    acknowledged: list[str] = []
    needs_review: bool = False
    busy: bool = False

    @rx.event
    def start(self, kind: str):
        if kind not in KINDS:
            return
        self.kind = kind
        self.step = 0
        self.errors = {}
        self.values = {}
        self.summary = []
        self.warnings = []
        self.acknowledged = []
        self.needs_review = False
        self.open = True

    @rx.event
    def set_open(self, value: bool):
        self.open = value is True
        if not self.open and self.step == 2:
            return DetailState.reload
        return None

    @rx.event
    def back(self):
        self.step = 0

    @rx.event
    def toggle_ack(self, key: str):
        if key in {w["key"] for w in self.warnings}:
            self.acknowledged = (
                [k for k in self.acknowledged if k != key] if key in self.acknowledged else [*self.acknowledged, key]
            )

    def _args(self) -> dict[str, Any]:
        v = self.values
        if self.kind == "salary_parttime":
            return {"effective": v.get("effective", ""), "salary": v.get("salary") or None,
                    "parttime": v.get("parttime") or None}  # fmt: skip
        if self.kind == "exit":
            return {"exit_date": v.get("exit_date", "")}
        args = {f: v.get(f, "") for f in FIELDS[self.kind]}
        args["kind"] = self.kind
        if self.kind == "partner":
            args["start_date"] = v.get("start_date") or None
        return args

    async def _target(self) -> tuple[int | None, int]:
        detail = await self.get_state(DetailState)
        return detail._participation_id, detail._version

    def _field(self, name: str) -> str:
        """Where the wizard shows a message about ``name``: at that field of the form, else above the form."""
        return name if name in FIELDS.get(self.kind, ()) else "form"

    async def _run(self, use_case: Callable[[Session, Principal | None], Any]) -> Done[Any]:
        """Preview or submit; a message at a field of the details step goes back to that step, a refusal is
        said above the form."""
        done = await run(self, use_case, fields="errors", at=self._field)
        if done.error and self._field(done.error.field) != "form":
            self.step = 0
        if done.refused:
            self.errors = {"form": t("noaccess.text", await language_of(self))}
        return done

    @rx.event
    async def preview(self, form: dict):
        """Step 0 → 1: validate on the server and show old and new values."""
        if self.kind not in KINDS:
            return
        self.values = {f: text_of(form, f, 120) for f in FIELDS[self.kind]}
        pid, _version = await self._target()
        args = self._args()
        preview_of = {
            "salary_parttime": mutations.preview_salary_parttime,
            "exit": mutations.preview_exit,
        }.get(self.kind, mutations.preview_relation)
        done = await self._run(lambda db, me: preview_of(db, me, pid, **args))
        if not done:
            return
        pv, lang = done.value, await language_of(self)
        self.errors = {}
        keys = list(dict.fromkeys([*pv.old_values, *pv.new_values]))
        self.summary = [
            [
                t(f"field.{k}", lang),
                display(k, pv.old_values.get(k, ""), lang),
                display(k, pv.new_values.get(k, ""), lang),
            ]
            for k in keys
            if k != "kind"
        ]
        self.summary.insert(0, [t("detail.col.effective", lang), "", fmt.day(pv.effective_date, lang)])
        self.warnings = [{"key": w.key, "text": t(w.key, lang, **(w.params or {}))} for w in pv.warnings]
        self.acknowledged = []
        self.needs_review = pv.needs_review
        self.step = 1

    @rx.event
    async def submit(self):
        """Step 1 → 2: submit (optimistic lock: the version the user saw)."""
        if self.step != 1 or self.kind not in KINDS:
            return None
        pid, version = await self._target()
        args, acknowledged = self._args(), list(self.acknowledged)

        def send(db: Session, me: Principal | None) -> str:
            if self.kind == "salary_parttime":
                m = mutations.submit_salary_parttime(
                    db, me, pid, args["effective"], args["salary"], args["parttime"], version, acknowledged=acknowledged
                )
            elif self.kind == "exit":
                m = mutations.submit_exit(db, me, pid, args["exit_date"], version, acknowledged)
            else:
                m = mutations.submit_relation(db, me, pid, expected_version=version, acknowledged=acknowledged, **args)
            return m.status

        done = await self._run(send)
        if not done:
            return None
        self.errors = {}
        self.needs_review = done.value == "needs_review"
        self.step = 2
        return DetailState.reload
