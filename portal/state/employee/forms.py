"""My forms state (EE-5): the employee's forms (a list, and the count waiting for them on My documents) and one
form: review the PDF, fill in their part, sign with a fresh code of their authenticator app or a fresh eID sign-in
(the ``/auth/eid/sign`` route; it comes back with ``?eid=<result>``), or decline.

The form id comes from the URL and every event is untrusted: the forms services check it is the employee's own,
audit a refusal, and the page says only "not available". What the employee signs is the PDF they were shown:
its SHA-256 stays on the server in this state and goes with the signature (a PDF changed meanwhile is refused).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import reflex as rx

from portal.core import csrf
from portal.domain import forms as rules
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import forms as flow
from portal.services.principal import NoAccess
from portal.state import auth
from portal.state.auth import client_ip, language_of, route_param
from portal.state.signed_forms import Opened, open_form, row_of, shown_value
from portal.state.usecase import GUARDED, SIGNED_OUT, run

PERSON_SLOTS = 3  # beneficiaries entered on the phone at once (the rule allows more; the PDF shows them all)
WAITING = rules.FormStatus.WAITING_FOR_EMPLOYEE.value
MAX_REASON = flow.MAX_REASON  # a decline's reason, in characters
EID_RESULT = "eid"  # the query flag the eID signing callback comes back with (``portal.api.routes``)
EID_REFUSALS = (  # refusals of a signing with the eID the page says in words (anything else: "did not succeed")
    flow.EID_NOT_FRESH,
    flow.EID_OTHER_PERSON,
    flow.EID_NOT_LINKED,
    "forms.expired",
    "forms.already_signed",
    "forms.changed_since_viewed",
    "forms.closed",
    "forms.not_allowed",
)


def query_param(state: rx.State, name: str) -> str:
    """A query parameter of the page's address, as the untrusted string the browser sent."""
    value = state.router.url.query_parameters.get(name, "")
    return value if isinstance(value, str) else ""


def _as_input(value: Any, lang: str) -> str:
    """A stored value as an input shows it: ISO dates (a date input), amounts with the language's decimal sign."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return fmt.as_input(value, lang)
    return value.isoformat() if isinstance(value, date) else str(value)


def _for_me(row: dict[str, str], lang: str) -> dict[str, str]:
    """A row as the employee reads it: "waiting for you" rather than "waiting for the employee"."""
    if row["status"] == WAITING:
        row["status_label"] = t("formpage.waiting_for_you", lang)
    return row


class MyFormsState(rx.State):
    """The list of the employee's forms (/employee/forms) and the count waiting (on /employee/documents)."""

    rows: list[dict[str, str]] = []
    waiting: int = 0
    loaded: bool = False

    @rx.event
    async def load(self):
        self.rows, self.waiting, self.loaded = [], 0, False
        done = await run(self, flow.my_forms, deny="/employee/forms", quiet=GUARDED, touch=False)
        if not done or done.value is None:
            return done.event
        lang = await language_of(self)
        self.rows = [_for_me(row_of(r, lang), lang) for r in done.value]
        self.waiting = sum(1 for r in done.value if r.status == WAITING)
        self.loaded = True
        return None


class FormState(rx.State):
    """One form of the employee (/employee/forms/[form_id])."""

    form_id: str = ""
    title: str = ""
    intro: str = ""
    status: str = ""
    status_label: str = ""
    colour: str = "gray"
    expires: str = ""
    view_link: str = ""
    facts: list[dict[str, str]] = []  # label, value: what the form says (the preparer's values, the employee's)
    inputs: list[dict[str, Any]] = []  # name, type, label, value, options [{value,label}], required
    persons: list[dict[str, str]] = []  # the beneficiary slots: index, name, birth_date, relation
    relations: list[dict[str, str]] = []  # value, label
    has_persons: bool = False
    errors: dict[str, str] = {}
    message: str = ""
    notice: str = ""
    sign_totp: bool = False  # the account has an authenticator app: the code field
    sign_eid: bool = False  # the account is linked to an eID subject (and eID is configured): "Sign with eID"
    eid_href: str = ""  # /auth/eid/sign?form=<id>&sha=<SHA-256 of the PDF shown>&csrf=<the session's token>
    confirm_decline: bool = False
    decline_reason: str = ""  # typed in the decline dialog (optional; the service limits its length)
    available: bool = False
    loaded: bool = False
    _sha256: str = ""  # the SHA-256 of the PDF shown (what a signature is for)

    @rx.var
    def can_sign(self) -> bool:
        return self.status == WAITING

    @rx.event
    async def load(self):
        """on_load: the form of the URL (untrusted id) if it is the employee's own."""
        self.reset()
        fid = route_param(self, "form_id")[:20]
        self.form_id = fid
        event = await self._open(fid)
        if event is None and self.available:
            self._eid_result(query_param(self, EID_RESULT), await language_of(self))
        return event

    def _eid_result(self, flag: object, lang: str) -> None:
        """The outcome of a signing with the eID (``?eid=`` from the callback; untrusted: known flags only)."""
        if flag == "signed":
            self.notice = t("formpage.signed_eid", lang)
        elif flag in EID_REFUSALS:
            self.message = t(str(flag), lang)
        elif flag:
            self.message = t("formpage.eid_failed", lang)

    async def _open(self, fid: str):
        ip = client_ip(self)
        done = await run(
            self,
            lambda db, me: (open_form(db, me, fid, ip), flow.sign_methods(db, me)),
            commit_on=(NoAccess,),
            quiet=SIGNED_OUT,
        )
        lang = await language_of(self)
        self.loaded = True
        if not done or done.value is None:
            form_id = self.form_id
            self.reset()
            self.form_id, self.loaded = form_id, True
            if done.principal is None:
                return done.event
            self.message = t("formpage.not_available", lang)
            return None
        opened, methods = done.value
        self._show(opened, lang)
        self.sign_totp, self.sign_eid = methods.totp, methods.eid
        # the session's CSRF token: only the portal's own page starts a signing (not a link sent by someone else)
        query = {"form": opened.form_id, "sha": opened.sha256, "csrf": csrf.token_for(auth.session_token(self))}
        self.eid_href = "/auth/eid/sign?" + urlencode(query)
        return None

    def _show(self, opened: Opened, lang: str) -> None:
        spec = rules.KINDS[rules.FormKind(opened.kind)]
        status = rules.FormStatus(opened.status)
        self.available = True
        self.title, self.intro = spec.title[lang], spec.intro[lang]
        self.status, self.status_label = status.value, rules.STATUS_LABELS[status][lang]
        if status is rules.FormStatus.WAITING_FOR_EMPLOYEE:
            self.status_label = t("formpage.waiting_for_you", lang)
        self.colour = rules.STATUS_COLOURS[status]
        self.expires = (
            fmt.day(opened.expires, lang) if opened.expires and status is rules.FormStatus.WAITING_FOR_EMPLOYEE else ""
        )
        self.view_link, self._sha256 = opened.link, opened.sha256
        values = opened.values
        self.facts = [
            {"label": f.label[lang], "value": shown_value(f, values.get(f.name), lang)}
            for f in spec.fields
            if f.filled_by is rules.FilledBy.PREPARER or status is not rules.FormStatus.WAITING_FOR_EMPLOYEE
        ]
        self.inputs, self.persons, self.has_persons = [], [], False
        if status is not rules.FormStatus.WAITING_FOR_EMPLOYEE:
            return
        for f in spec.fields:
            if f.filled_by is not rules.FilledBy.EMPLOYEE:
                continue
            value = values.get(f.name)
            if f.type is rules.FieldType.PERSONS:
                self.has_persons = True
                people = list(value or [])
                self.persons = [
                    {
                        "index": str(i),
                        "name": people[i]["name"] if i < len(people) else "",
                        "birth_date": people[i]["birth_date"].isoformat() if i < len(people) else "",
                        "relation": people[i]["relation"] if i < len(people) else "partner",
                    }
                    for i in range(max(PERSON_SLOTS, len(people)))
                ]
                self.relations = [{"value": r, "label": rules.CHOICE_LABELS[r][lang]} for r in rules.RELATIONS]
                continue
            self.inputs.append(
                {
                    "name": f.name,
                    "type": f.type.value,
                    "label": f.label[lang] + ("" if f.required else " " + t("formpage.optional", lang)),
                    "value": _as_input(value, lang),
                    "options": [{"value": c, "label": rules.CHOICE_LABELS[c][lang]} for c in f.choices],
                }
            )

    def _values_of(self, form: dict) -> dict[str, Any]:
        """The employee's fields from the submitted form (untrusted: the service checks every value)."""
        data = form if isinstance(form, dict) else {}
        values: dict[str, Any] = {}
        for item in self.inputs:
            raw = data.get(item["name"], "")
            values[item["name"]] = raw.strip()[:2000] if isinstance(raw, str) else ""
        if self.has_persons:
            people = []
            for slot in self.persons:
                i = slot["index"]
                name, born, relation = (data.get(f"person_{k}_{i}", "") for k in ("name", "birth_date", "relation"))
                if not any(isinstance(x, str) and x.strip() for x in (name, born)):
                    continue
                people.append({"name": name, "birth_date": born, "relation": relation or "other"})
            values["persons"] = people
        return values

    @staticmethod
    def _at(name: str) -> str:
        """A service's field name as the page's (a beneficiary's ``persons.0.name`` → ``person_name_0``)."""
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "persons":
            return f"person_{parts[2]}_{parts[1]}"
        return name

    @rx.event
    async def save(self, form: dict):
        """Store the employee's part (the PDF is rendered again; they review it before signing)."""
        self.errors, self.message, self.notice = {}, "", ""
        values, fid, ip = self._values_of(form), self.form_id, client_ip(self)
        done = await run(
            self, lambda db, me: flow.fill(db, me, fid, values, ip), fields="errors", at=self._at, commit_on=(NoAccess,)
        )
        return await self._after(done, "formpage.saved")

    @rx.event
    async def sign(self, form: dict):
        """Sign the PDF shown with a fresh code of the authenticator app (``Verificatiecode``)."""
        self.errors, self.message, self.notice = {}, "", ""
        data = form if isinstance(form, dict) else {}
        code = data.get("code", "")
        code = code.strip().replace(" ", "")[:12] if isinstance(code, str) else ""
        fid, sha, ip = self.form_id, self._sha256, client_ip(self)
        done = await run(
            self,
            lambda db, me: flow.sign(db, me, fid, code, sha, ip),
            fields="errors",
            at=self._at,
            commit_on=(NoAccess,),
            thread=True,  # pyHanko runs its own event loop
        )
        return await self._after(done, "formpage.signed")

    @rx.event
    def ask_decline(self):
        self.confirm_decline, self.decline_reason = True, ""

    @rx.event
    def decline_change(self, is_open: bool):
        self.confirm_decline = bool(is_open) is True

    @rx.event
    def set_decline_reason(self, value: str):
        """The reason as typed (untrusted: kept short here, checked again by the service)."""
        self.decline_reason = value[: MAX_REASON + 1] if isinstance(value, str) else ""

    @rx.event
    async def decline(self):
        """Decline the form, with the reason typed (optional; the employer's list shows it)."""
        self.confirm_decline, self.errors, self.message, self.notice = False, {}, "", ""
        fid, ip, reason = self.form_id, client_ip(self), self.decline_reason
        done = await run(
            self,
            lambda db, me: flow.decline(db, me, fid, reason, ip),
            fields="errors",
            at=lambda name: "form" if name == "reason" else name,  # the dialog has closed: said at the top
            commit_on=(NoAccess,),
        )
        if done:
            self.decline_reason = ""
        return await self._after(done, "formpage.declined")

    async def _after(self, done, notice_key: str):
        lang = await language_of(self)
        if done.refused is not None:
            self.reset()
            self.loaded = True
            if done.principal is None:
                return rx.redirect("/login")
            self.message = t("formpage.not_available", lang)
            return None
        if not done:
            form_errors = {k: v for k, v in self.errors.items() if k == "form"}
            if form_errors:
                self.message = form_errors["form"]
            # the form may have changed meanwhile (expired, signed elsewhere): show it as it is now
            errors, message = self.errors, self.message
            await self._open(self.form_id)
            self.errors, self.message = errors, message
            return None
        await self._open(self.form_id)
        self.notice = t(notice_key, lang)
        return rx.scroll_to("form-top")
