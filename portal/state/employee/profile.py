"""My profile page state (EE-4), the first-sign-in step that asks once for the private e-mail address, and the
public page of the confirmation link. Display strings only; what comes from the browser (the address, the
language, yes/no, the link's token) is checked by the profile service."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import employee
from portal.services.errors import FieldError
from portal.state.auth import client_ip, language_of
from portal.state.forms import text_of
from portal.state.usecase import GUARDED, run


class ProfileState(rx.State):
    name: str = ""
    birth_date: str = ""
    national_id: str = ""  # masked but the last three
    private_email: str = ""
    pending_email: str = ""
    statement_language: str = "nl"
    notify: bool = True
    employers: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    status: str = ""  # what the last action did, in words (announced)
    loaded: bool = False

    @rx.event
    async def load(self):
        """on_load: the profile of the signed-in employee."""
        self.errors, self.status = {}, ""
        return await self._load()

    async def _load(self):
        done = await run(self, employee.my_profile, deny="/employee/profile", quiet=GUARDED, touch=False)
        if not done or done.value is None:
            self.reset()  # a refused load shows nothing of an earlier profile (name, national id, addresses)
            return done.event
        p, lang = done.value, await language_of(self)
        self.name, self.birth_date, self.national_id = p.name, fmt.day(p.birth_date, lang), p.national_id_masked
        self.private_email, self.pending_email = p.private_email, p.pending_email
        self.statement_language, self.notify = p.statement_language, p.notify
        self.employers = [
            {
                "name": e.name,
                "contact": " · ".join(x for x in (e.contact_name, e.contact_email, e.contact_phone) if x),
                "email": e.contact_email,
                "former": "1" if e.former else "",
            }
            for e in p.employers
        ]
        self.loaded = True
        return None

    @rx.event
    async def submit_email(self, form: dict):
        """Set or change the private address: a confirmation mail goes to it (the service sends one per address)."""
        address = text_of(form, "private_email", 254)
        ip = client_ip(self)
        done = await run(
            self, employee.request_private_email, address, None, ip, deny="/employee/profile", fields="errors"
        )
        if not done:
            return done.event
        self.errors = {}
        self.status = t(f"profile.email_{done.value}", await language_of(self), email=address.strip().lower())
        return await self._load()

    @rx.event
    async def remove_email(self):
        done = await run(self, employee.remove_private_email, deny="/employee/profile")
        if not done:
            return done.event
        self.status = t("profile.email_removed", await language_of(self))
        return await self._load()

    @rx.event
    async def set_statement_language(self, language: str):
        done = await run(self, employee.set_statement_language, language, deny="/employee/profile", fields="errors")
        if not done:
            return done.event
        self.status = t("profile.language_saved", await language_of(self))
        return await self._load()

    @rx.event
    async def set_notify(self, on: bool):
        done = await run(self, employee.set_notify, on, deny="/employee/profile", fields="errors")
        if not done:
            return done.event
        self.status = t("profile.notify_saved" if on else "profile.notify_off_saved", await language_of(self))
        return await self._load()


class WelcomeState(rx.State):
    """The step after the first sign-in: the private address asked once (may be skipped)."""

    errors: dict[str, str] = {}
    sent_to: str = ""

    @rx.event
    async def check(self):
        """First on_load of ``/employee``: to the step while it was never asked."""
        done = await run(self, employee.needs_private_email_step, deny="/employee", quiet=GUARDED, touch=False)
        if done and done.value:
            return rx.redirect("/employee/welcome")
        return done.event

    @rx.event
    def start(self):
        self.errors, self.sent_to = {}, ""

    @rx.event
    async def submit(self, form: dict):
        address = text_of(form, "private_email", 254)
        ip = client_ip(self)
        done = await run(
            self, employee.request_private_email, address, None, ip, deny="/employee/welcome", fields="errors"
        )
        if not done:
            return done.event
        self.errors, self.sent_to = {}, address.strip().lower()
        return None

    @rx.event
    async def skip(self):
        done = await run(self, employee.skip_private_email_step, deny="/employee/welcome")
        if not done:
            return done.event
        return rx.redirect("/employee")


class ConfirmEmailState(rx.State):
    """The confirmation link's page (public: it may be opened on another device than the sign-in)."""

    outcome: str = ""  # confirmed, invalid
    email: str = ""

    @rx.event
    async def load(self):
        token = self.router.url.query_parameters.get("token", "")
        self.outcome, self.email = "", ""
        done = await run(
            self,
            employee.confirm_private_email,
            token if isinstance(token, str) else "",
            public=True,
            message="email",
            commit_on=(FieldError,),
        )
        if not done:
            self.outcome, self.email = "invalid", ""
            return
        self.outcome, self.email = "confirmed", done.value or ""
