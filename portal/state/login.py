"""Login: username + password, then TOTP (set-up with QR code and recovery codes when new) (AUTH-2); or the
"Sign in with eID" button when the national eID is configured (AUTH-6: the flow itself runs in HTTP routes,
``/auth/eid/...``, which come back here with ``?eid=<reason>`` when they refuse)."""

from __future__ import annotations

import json
import time

import reflex as rx

from portal.core import oidc
from portal.core.config import get_settings
from portal.services import accounts
from portal.services.errors import FieldError
from portal.state.auth import SessionState, client_ip, language_of
from portal.state.forms import message_of, text_of
from portal.state.usecase import run

# Why an eID sign-in was refused (``?eid=`` from the callback; untrusted): the texts ``eid.refused.<reason>``.
EID_REASONS = (
    "state",
    "code_refused",
    "provider_error",
    "provider_unreachable",
    "token_signature",
    "token_unsigned",
    "token_issuer",
    "token_audience",
    "token_expired",
    "token_nonce",
    "token_invalid",
    "claim_subject",
    "claim_missing",
    "claim_invalid",
    "unknown_person",
    "ambiguous_person",
    "no_participation",
    "subject_mismatch",
    "account_disabled",
    "session",
)
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
    eid_offered: bool = False  # PORTAL_OIDC_ISSUER and client id are set
    eid_refused: str = ""  # message key of a refused eID sign-in ('' for none)

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
        """on_load: begin at the password step; offer the eID when configured, and say why it refused."""
        self._reset()
        self.eid_offered = oidc.configured(get_settings())
        reason = self.router.url.query_parameters.get("eid", "")
        self.eid_refused = f"eid.refused.{reason}" if reason in EID_REASONS else ""

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
        ip = client_ip(self)
        done = await run(self, accounts.check_password, username, password, ip, public=True, fields="errors")
        if not done:
            return
        step = done.value
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
        check = accounts.use_recovery_code if self.step == "recovery" else accounts.verify_totp
        ip = client_ip(self)
        done = await run(self, check, user_id, code, ip, public=True, fields="errors", at="code")
        if done.error and done.error.key == "login_locked":  # start again: the message goes to the username
            self._reset()
            self.errors = {"username": done.errors["code"]}
        if not done:
            return None
        return await self._finish(user_id)

    @rx.event
    async def submit_setup(self, form: dict):
        """Set-up: confirm the first code of the new authenticator; show the recovery codes once."""
        user_id = self._pending_user()
        if user_id is None or not self._setup_secret:
            return
        code = text_of(form, "code", 32).replace(" ", "")
        done = await run(
            self,
            accounts.confirm_totp_setup,
            user_id,
            self._setup_secret,
            code,
            public=True,
            fields="errors",
            at="code",
        )
        if not done:
            return
        self.errors = {}
        self._setup_secret = ""
        self.qr_data_uri = ""
        self.setup_key = ""
        self.recovery_codes = done.value
        self.step = "codes"

    @rx.event
    async def codes_saved(self):
        """After the recovery codes were shown: sign in."""
        user_id = self._pending_user()
        if user_id is None or self.step != "codes":
            return None
        return await self._finish(user_id)

    @rx.event
    def use_recovery(self, on: bool):
        """Switch between the authenticator code and a recovery code."""
        if self.step in ("totp", "recovery"):
            self.step = "recovery" if on is True else "totp"
            self.errors = {}

    async def _finish(self, user_id: int):
        agent, ip = self.router.headers.user_agent[:200], client_ip(self)
        done = await run(self, accounts.create_session, user_id, agent, ip, public=True)
        self._reset()
        return bound_redirect(done.value)


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
