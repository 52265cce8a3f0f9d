"""Forgotten password (code by e-mail, then a new password) and forgotten username (AUTH-3)."""

from __future__ import annotations

import reflex as rx

from portal.services import accounts
from portal.services.errors import FieldError
from portal.state.auth import client_ip, language_of
from portal.state.forms import message_of, text_of
from portal.state.password import PasswordStrengthState
from portal.state.usecase import run


class ForgotState(rx.State):
    """Both recovery flows; answers never reveal whether a username or address exists."""

    tab: str = "password"
    step: str = "ask"  # ask | reset | done
    username: str = ""
    username_sent: bool = False
    errors: dict[str, str] = {}

    @rx.event
    def start(self):
        self.tab = "password"
        self.step = "ask"
        self.username = ""
        self.username_sent = False
        self.errors = {}
        return PasswordStrengthState.clear

    @rx.event
    def set_tab(self, tab: str):
        if tab in ("password", "username"):
            self.tab = tab
            self.errors = {}

    @rx.event
    async def request_reset(self, form: dict):
        username = text_of(form, "username", 64)
        lang = await language_of(self)
        if not username:
            self.errors = {"username": message_of(FieldError("username", "common.required"), lang)}
            return
        done = await run(
            self, accounts.start_password_reset, username, None, client_ip(self), public=True, fields="errors"
        )
        if not done:
            return
        self.errors = {}
        self.username = username
        self.step = "reset"

    @rx.event
    async def complete_reset(self, form: dict):
        code = text_of(form, "code", 16).replace(" ", "")
        password = text_of(form, "password", 256)
        done = await run(
            self, accounts.complete_password_reset, self.username, code, password, public=True, fields="errors"
        )
        if not done:
            return None
        self.errors = {}
        self.step = "done"
        return PasswordStrengthState.clear

    @rx.event
    async def request_username(self, form: dict):
        email = text_of(form, "email").lower()
        lang = await language_of(self)
        if not email:
            self.errors = {"email": message_of(FieldError("email", "common.required"), lang)}
            return
        ip = client_ip(self)
        done = await run(self, accounts.send_username_reminder, email, None, ip, public=True, fields="errors")
        if not done:
            return
        self.errors = {}
        self.username_sent = True
