"""New participant wizard (EMP-4): scheme first when there are several, then the person and the
employment, a summary with warnings to acknowledge, and a final step that says the change is submitted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import mutations, participants
from portal.services.mutations.queries import participant_number
from portal.services.principal import Principal
from portal.state.auth import language_of
from portal.state.forms import display, text_of
from portal.state.usecase import Done, run

PERSON = ("bsn", "initials", "first_name", "name_prefix", "last_name", "birth_date", "gender", "nationality",
          "street", "house_number", "postcode", "city", "country", "foreign_address", "business_email",
          "private_email", "language")  # fmt: skip
EMPLOYMENT = ("start_date", "salary", "parttime")
FIELDS = PERSON + EMPLOYMENT


class NewParticipantState(rx.State):
    """Steps: 0 scheme, 1 details, 2 summary, 3 submitted."""

    schemes: list[dict[str, str]] = []
    scheme_id: str = ""
    step: int = 0
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    takes_over: bool = False
    summary: list[list[str]] = []
    warnings: list[dict[str, str]] = []
    acknowledged: list[str] = []
    needs_review: bool = False
    done_number: str = ""

    @rx.event
    async def load(self):
        self.step, self.errors, self.summary = 0, {}, []
        self.values = {"country": "NL", "nationality": "NL", "language": "nl", "parttime": "100"}
        self.warnings, self.acknowledged, self.needs_review, self.done_number = [], [], False, ""
        self.takes_over = False
        done = await run(self, lambda db, me: participants.schemes_of(db, me, perm=Perm.MUTATIONS_SUBMIT))
        if not done:
            self.schemes = []
            return
        self.schemes = [
            {"id": str(o.scheme_id), "label": o.label, "employer_id": str(o.employer_id)} for o in done.value
        ]
        self.scheme_id = self.schemes[0]["id"] if self.schemes else ""
        if len(self.schemes) == 1:
            self.step = 1

    @rx.event
    def choose_scheme(self, form: dict):
        scheme_id = text_of(form, "scheme", 12)
        if scheme_id in {s["id"] for s in self.schemes}:
            self.scheme_id = scheme_id
            self.errors = {}
            self.step = 1

    @rx.event
    def back(self):
        self.step = max(0 if len(self.schemes) > 1 else 1, self.step - 1)

    @rx.event
    def toggle_ack(self, key: str):
        if key in {w["key"] for w in self.warnings}:
            self.acknowledged = (
                [k for k in self.acknowledged if k != key] if key in self.acknowledged else [*self.acknowledged, key]
            )

    def _employer_id(self) -> str:
        return next((s["employer_id"] for s in self.schemes if s["id"] == self.scheme_id), "")

    def _kwargs(self) -> dict[str, Any]:
        kw: dict[str, Any] = {f: self.values.get(f, "") for f in FIELDS}
        kw["takes_over_previous_contract"] = self.takes_over
        return kw

    async def _run(self, use_case: Callable[[Session, Principal | None], Any], back: bool = False) -> Done[Any]:
        """Preview or submit: messages at the fields of the details (``back``: from the summary, back to the
        details step), anything else and a refusal above the form."""
        done = await run(self, use_case, fields="errors", at=lambda f: f if f in FIELDS else "form")
        if back and done.error and done.error.field in FIELDS:
            self.step = 1
        if done.refused:
            self.errors = {"form": t("noaccess.text", await language_of(self))}
        return done

    @rx.event
    async def preview(self, form: dict):
        """Details → summary: everything validated on the server, errors at the fields."""
        self.values = {f: text_of(form, f, 200) for f in FIELDS}
        self.takes_over = isinstance(form, dict) and form.get("takes_over") in ("on", "true", True)
        employer_id, scheme_id, values = self._employer_id(), self.scheme_id, self._kwargs()
        done = await self._run(
            lambda db, me: mutations.preview_new_participant(db, me, employer_id, scheme_id, **values)
        )
        if not done:
            return
        pv, lang = done.value, await language_of(self)
        self.errors = {}
        self.summary = [
            [t(f"field.{k}", lang), display(k, v, lang)] for k, v in pv.new_values.items() if v not in ("", None)
        ]
        self.summary.insert(0, [t("field.start", lang), fmt.day(pv.effective_date, lang)])
        self.warnings = [{"key": w.key, "text": t(w.key, lang, **(w.params or {}))} for w in pv.warnings]
        self.acknowledged = []
        self.needs_review = pv.needs_review
        self.step = 2

    @rx.event
    async def submit(self):
        if self.step != 2:
            return
        employer_id, scheme_id, values = self._employer_id(), self.scheme_id, self._kwargs()
        acknowledged = list(self.acknowledged)

        def send(db: Session, me: Principal | None) -> tuple[str, str]:
            m = mutations.submit_new_participant(db, me, employer_id, scheme_id, acknowledged=acknowledged, **values)
            return m.status, participant_number(db, me, m.id)

        done = await self._run(send, back=True)
        if not done:
            return
        status, number = done.value
        self.errors = {}
        self.needs_review = status == "needs_review"
        self.done_number = number
        self.step = 3
