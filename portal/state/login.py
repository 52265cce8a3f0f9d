"""Login: username + password, then TOTP (set-up with QR code and recovery codes when new) (AUTH-2)."""

from __future__ import annotations

import json
import time

import reflex as rx

from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.services import accounts
from portal.services.errors import FieldError
from portal.state.auth import SessionState, client_ip, language_of
from portal.state.forms import message_of, text_of

PENDING_SECONDS = 300  # a password step must be followed by the second factor within five minutes
BROWSER_COOKIE_SECONDS = 120  # the browser key outlives the 60-second ticket a little, no more


class LoginState(rx.State):
    """The login wizard. The user id between the steps stays on the server (backend-only var)."""

    step: str = "password"  # password | totp | recovery | setup | codes
    errors: dict[str, str] = {}
    qr_data_uri: str = ""
    setup_key: str = ""
    recovery_codes: list[str] = []
    busy: bool = False

    _user_id: int | None = None
    _pending_since: float = 0.0
    _setup_secret: str = ""

    def _reset(self) -> None:
        self.step = "password"
        self.errors = {}
        self.qr_data_uri = ""
        self.setup_key = ""
        self.recovery_codes = []
        self._user_id = None
        self._setup_secret = ""

    def _pending_user(self) -> int | None:
        if self._user_id is None or time.monotonic() - self._pending_since > PENDING_SECONDS:
            self._reset()
            return None
        return self._user_id

    @rx.event
    def start(self):
        """on_load: begin at the password step."""
        self._reset()

    @rx.event
    async def submit_password(self, form: dict):
        """Step 1: check username and password; go on to the second factor."""
        username = text_of(form, "username", 64)
        password = text_of(form, "password", 256)
        lang = await language_of(self)
        self.errors = {}
        (await self.get_state(SessionState)).login_notice = ""
        if not username:
            self.errors = {"username": message_of(FieldError("username", "common.required"), lang)}
            return
        if not password:
            self.errors = {"password": message_of(FieldError("password", "common.required"), lang)}
            return
        try:
            with session_scope() as db:
                step = accounts.check_password(db, username, password, ip=client_ip(self))
        except FieldError as err:
            self.errors = {err.field: message_of(err, lang)}
            return
        self._user_id = step.user_id
        self._pending_since = time.monotonic()
        if step.needs_totp_setup:
            secret, _uri, qr = accounts.new_totp_setup(username.lower())
            self._setup_secret = secret
            self.qr_data_uri = qr
            self.setup_key = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
            self.step = "setup"
        else:
            self.step = "totp"

    @rx.event
    async def submit_totp(self, form: dict):
        """Step 2: the TOTP code (or a recovery code); a replayed code is refused."""
        user_id = self._pending_user()
        if user_id is None:
            return
        code = text_of(form, "code", 32).replace(" ", "")
        lang = await language_of(self)
        try:
            with session_scope() as db:
                if self.step == "recovery":
                    accounts.use_recovery_code(db, user_id, code, ip=client_ip(self))
                else:
                    accounts.verify_totp(db, user_id, code, ip=client_ip(self))
        except FieldError as err:
            self.errors = {"code": message_of(err, lang)}
            if err.key == "login_locked":
                self._reset()
                self.errors = {"username": message_of(err, lang)}
            return
        return self._finish(user_id)

    @rx.event
    async def submit_setup(self, form: dict):
        """Set-up: confirm the first code of the new authenticator; show the recovery codes once."""
        user_id = self._pending_user()
        if user_id is None or not self._setup_secret:
            return
        code = text_of(form, "code", 32).replace(" ", "")
        lang = await language_of(self)
        try:
            with session_scope() as db:
                codes = accounts.confirm_totp_setup(db, user_id, self._setup_secret, code)
        except FieldError as err:
            self.errors = {"code": message_of(err, lang)}
            return
        self.errors = {}
        self._setup_secret = ""
        self.qr_data_uri = ""
        self.setup_key = ""
        self.recovery_codes = codes
        self.step = "codes"

    @rx.event
    def codes_saved(self):
        """After the recovery codes were shown: sign in."""
        user_id = self._pending_user()
        if user_id is None or self.step != "codes":
            return None
        return self._finish(user_id)

    @rx.event
    def use_recovery(self, on: bool):
        """Switch between the authenticator code and a recovery code."""
        if self.step in ("totp", "recovery"):
            self.step = "recovery" if on is True else "totp"
            self.errors = {}

    def _finish(self, user_id: int):
        with session_scope() as db:
            issued = accounts.create_session(
                db, user_id, user_agent=self.router.headers.user_agent[:200], ip=client_ip(self)
            )
        self._reset()
        return bound_redirect(issued)


def bound_redirect(issued: accounts.LoginTicket) -> rx.event.EventSpec:
    """Put the login's browser key in a short-lived, SameSite=Strict cookie for ``/auth/complete`` only, then
    load that route with the ticket (one script: the cookie is set before the navigation). Only this browser
    can redeem the ticket; the route clears the cookie."""
    secure = "; Secure" if get_settings().base_url.startswith("https://") else ""
    cookie = (
        f"{accounts.BROWSER_COOKIE}={issued.browser_key}; Path={accounts.BROWSER_COOKIE_PATH}; "
        f"Max-Age={BROWSER_COOKIE_SECONDS}; SameSite=Strict{secure}"
    )
    url = f"/auth/complete?ticket={issued.ticket}"
    return rx.call_script(f"document.cookie = {json.dumps(cookie)}; window.location.replace({json.dumps(url)})")
