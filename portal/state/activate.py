"""Account activation (AUTH-1): e-mail → code by e-mail → username and password → confirmation mail."""

from __future__ import annotations

import time

import reflex as rx

from portal.services import accounts
from portal.services.errors import FieldError
from portal.state.auth import language_of
from portal.state.forms import message_of, text_of
from portal.state.password import PasswordStrengthState
from portal.state.usecase import run

PENDING_SECONDS = 900


class ActivateState(rx.State):
    """The activation wizard; the verified account id stays on the server."""

    step: str = "email"  # email | code | choose | done
    email: str = ""
    errors: dict[str, str] = {}
    _user_id: int | None = None
    _verified_at: float = 0.0

    @rx.event
    def start(self):
        self.step = "email"
        self.email = ""
        self.errors = {}
        self._user_id = None
        return PasswordStrengthState.clear

    @rx.event
    async def submit_email(self, form: dict):
        """Send a code if the address was invited; the answer is the same either way."""
        email = text_of(form, "email").lower()
        lang = await language_of(self)
        self.errors = {}
        if not email:
            self.errors = {"email": message_of(FieldError("email", "common.required"), lang)}
            return
        done = await run(self, accounts.start_activation, email, public=True, fields="errors")
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
        """Choose username and password; the account becomes active."""
        if self._user_id is None or time.monotonic() - self._verified_at > PENDING_SECONDS:
            return ActivateState.start
        username = text_of(form, "username", 64)
        password = text_of(form, "password", 256)
        done = await run(
            self, accounts.complete_activation, self._user_id, username, password, public=True, fields="errors"
        )
        if not done:
            return None
        self.errors = {}
        self._user_id = None
        self.step = "done"
        return PasswordStrengthState.clear
