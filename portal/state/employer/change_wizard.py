"""The change wizards on the participant detail (EMP-4): salary/part-time, exit, partner or child.

Steps: 0 details (validated on the server, message at the field) → 1 summary with old and new values side
by side and the warnings to acknowledge → 2 submitted (says plainly that the change has been sent).
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.core.db import session_scope
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from portal.state.auth import current_principal, language_of
from portal.state.employer.detail import DetailState
from portal.state.forms import display, message_of, text_of

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

    def _show_error(self, err: FieldError, lang: str) -> None:
        field = err.field if err.field in FIELDS.get(self.kind, ()) else "form"
        self.errors = {field: message_of(err, lang)}
        if field in FIELDS.get(self.kind, ()):
            self.step = 0

    @rx.event
    async def preview(self, form: dict):
        """Step 0 → 1: validate on the server and show old and new values."""
        if self.kind not in KINDS:
            return
        self.values = {f: text_of(form, f, 120) for f in FIELDS[self.kind]}
        lang = await language_of(self)
        pid, _version = await self._target()
        principal = current_principal(self)
        args = self._args()
        try:
            with session_scope() as db:
                if self.kind == "salary_parttime":
                    pv = mutations.preview_salary_parttime(db, principal, pid, **args)
                elif self.kind == "exit":
                    pv = mutations.preview_exit(db, principal, pid, **args)
                else:
                    pv = mutations.preview_relation(db, principal, pid, **args)
        except FieldError as err:
            self._show_error(err, lang)
            return
        except NoAccess:
            self.errors = {"form": t("noaccess.text", lang)}
            return
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
        lang = await language_of(self)
        pid, version = await self._target()
        principal = current_principal(self)
        args = self._args()
        try:
            with session_scope() as db:
                if self.kind == "salary_parttime":
                    m = mutations.submit_salary_parttime(
                        db, principal, pid, args["effective"], args["salary"], args["parttime"], version,
                        acknowledged=list(self.acknowledged),
                    )  # fmt: skip
                elif self.kind == "exit":
                    m = mutations.submit_exit(db, principal, pid, args["exit_date"], version, list(self.acknowledged))
                else:
                    m = mutations.submit_relation(
                        db, principal, pid, expected_version=version, acknowledged=list(self.acknowledged), **args
                    )
                status = m.status
        except FieldError as err:
            self._show_error(err, lang)
            return None
        except NoAccess:
            self.errors = {"form": t("noaccess.text", lang)}
            return None
        self.errors = {}
        self.needs_review = status == "needs_review"
        self.step = 2
        return DetailState.reload
