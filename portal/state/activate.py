"""Account activation (AUTH-1): e-mail → code by e-mail → username and password → confirmation mail.

An employee's invitation link (``/activate?invitation=<token>``, BULK-3) skips the e-mail and code: a working
link goes straight to choosing username and password (the token stays on the server); a link that does not
work shows one neutral message, whatever the reason."""

from __future__ import annotations

import time

import reflex as rx

from portal.i18n import t
from portal.services import accounts, invitations
from portal.services.errors import FieldError
from portal.state.auth import client_ip, language_of
from portal.state.forms import message_of, text_of
from portal.state.password import PasswordStrengthState
from portal.state.usecase import run

PENDING_SECONDS = 900


class ActivateState(rx.State):
    """The activation wizard; the verified account id stays on the server."""

    step: str = "email"  # email | code | choose | done | invalid (an invitation link that does not work)
    email: str = ""
    errors: dict[str, str] = {}
    invited_text: str = ""  # the greeting when the choice follows a working invitation link
    _user_id: int | None = None
    _verified_at: float = 0.0
    _invitation: str = ""

    @rx.event
    async def start(self):
        self.step = "email"
        self.email = ""
        self.errors = {}
        self.invited_text = ""
        self._user_id = None
        self._invitation = ""
        token = self.router.url.query_parameters.get("invitation", "")
        if token:
            await self._open_invitation(str(token))
        return PasswordStrengthState.clear

    @rx.event
    def use_email(self):
        """From the message about a link that does not work: activate with e-mail address and code instead."""
        self.step = "email"
        self.errors = {}
        self._invitation = ""
        self.invited_text = ""

    async def _open_invitation(self, token: str) -> None:
        """A working link: straight to the choice; otherwise the neutral message (the refusal is audited)."""
        done = await run(self, invitations.open_link, token, public=True, fields="errors")
        if not done:
            self.step, self.invited_text = "invalid", ""
            return
        self.errors = {}
        self._invitation = token
        self._verified_at = time.monotonic()
        self.invited_text = t("activate.invited", await language_of(self), name=done.value.display_name)
        self.step = "choose"

    @rx.event
    async def submit_email(self, form: dict):
        """Send a code if the address was invited; the answer is the same either way."""
        email = text_of(form, "email").lower()
        lang = await language_of(self)
        self.errors = {}
        if not email:
            self.errors = {"email": message_of(FieldError("email", "common.required"), lang)}
            return
        done = await run(self, accounts.start_activation, email, None, client_ip(self), public=True, fields="errors")
        if not done:
            return
        self.email = email
        self.step = "code"

    @rx.event
    async def submit_code(self, form: dict):
        """Check the code from the e-mail (single use, 15 minutes)."""
        code = text_of(form, "code", 16).replace(" ", "")
        done = await run(
            self, accounts.verify_activation_code, self.email, code, public=True, fields="errors", at="code"
        )
        if not done:
            return
        self.errors = {}
        self._user_id = done.value
        self._verified_at = time.monotonic()
        self.step = "choose"

    @rx.event
    async def submit_choice(self, form: dict):
        """Choose username and password; the account becomes active (the link, if any, is used up)."""
        username = text_of(form, "username", 64)
        password = text_of(form, "password", 256)
        if self._invitation:
            done = await run(
                self, invitations.activate_by_link, self._invitation, username, password, public=True, fields="errors"
            )
            if not done and done.error is not None and done.error.key == "invitation_invalid":
                self._invitation = ""
                self.step = "invalid"
                return None
        elif self._user_id is None or time.monotonic() - self._verified_at > PENDING_SECONDS:
            return ActivateState.start
        else:
            done = await run(
                self, accounts.complete_activation, self._user_id, username, password, public=True, fields="errors"
            )
        if not done:
            return None
        self.errors = {}
        self._user_id = None
        self._invitation = ""
        self.invited_text = ""  # the greeting named the person: not kept once the account is active
        self.step = "done"
        return PasswordStrengthState.clear
