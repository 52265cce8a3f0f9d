"""Session, principal and role guard: the one mechanism every state uses (AUTH-5)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from http.cookies import CookieError, SimpleCookie

import reflex as rx
from reflex_base.registry import RegistrationContext
from sqlmodel import Session

from portal.core import changes, csrf
from portal.core.db import session_scope
from portal.domain.roles import Access, acting_employer, home_path, may_open, menu_for
from portal.i18n import normalise_language, table
from portal.services import accounts, audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal, acting_for
from portal.state.paging import assign_changed

SESSION_COOKIE = "portal_session"
MIN_GAP_SECONDS = 0.2  # a live view looks again at most this often, however many changes are committed
# The rule of every guarded route, from the app's route table (``portal.pages.routes``), given when the app
# registers its pages. The guard refuses a path without a rule, and so every path until the rules are given.
_ACCESS: list[Access] = []


def use_access_rules(rules: Iterable[Access]) -> None:
    """Give the guard and the menus the route table's rules (replacing any given before)."""
    _ACCESS[:] = rules


def session_token(state: rx.State) -> str:
    """The opaque session token from the HttpOnly cookie of the websocket's request ('' if none)."""
    return _token_in(state.router.headers.cookie or "")


@lru_cache(maxsize=256)
def _token_in(raw: str) -> str:
    """The session cookie's value in a Cookie header (parsed once per distinct header: every event asks)."""
    try:
        jar = SimpleCookie(raw)
    except CookieError:
        return ""
    morsel = jar.get(SESSION_COOKIE)
    return morsel.value if morsel else ""


@contextmanager
def transaction(
    token: str, touch: bool = True, commit_on: tuple[type[Exception], ...] = ()
) -> Iterator[tuple[Session, Principal | None]]:
    """The one database transaction of an event, with the principal of the session ``token`` resolved in it
    from the server-side record (None without a live session; ``token`` '' resolves nobody). Every state
    reaches the database through here, mostly by way of ``portal.state.usecase.run``.

    Commits when the work succeeds, or raises one of ``commit_on`` (a use case that recorded its own refusal
    in the transaction); otherwise rolls back. After a refusal (NoAccess, FieldError) what resolving the
    principal records is kept all the same: the activity that postpones idle expiry, the end of an expired
    session. ``touch=False`` for background polling, which is no user activity."""
    kept: Exception | None = None
    try:
        with session_scope() as db:
            principal = accounts.resolve_session(db, token, touch=touch) if token else None
            try:
                yield db, principal
            except commit_on as err:
                kept = err  # leaving the block commits
    except (NoAccess, FieldError):
        if token:
            with session_scope() as db:
                accounts.resolve_session(db, token, touch=touch)
        raise
    if kept is not None:
        raise kept


def access_rules() -> tuple[Access, ...]:
    """The route table's rules as given to the guard (for menus built from them)."""
    return tuple(_ACCESS)


def acting_scope(state: rx.State) -> str | None:
    """The employer an adviser acts for in this event (INT-2): the untrusted id in the address of the page the
    browser is on (``/intermediary/employers/<id>/...``), None elsewhere. Sent with every event, so the scope
    follows the page; ``usecase.run`` narrows the principal to it after checking it against the portfolio."""
    return acting_employer(current_path(state))


def current_principal(state: rx.State, touch: bool = True) -> Principal | None:
    """Resolve the principal of the connected browser from the server-side session record (a transaction of
    its own: for a handler that only needs to know who is signed in, not to run a use case).

    ``touch=False`` for background polling, which must not count as user activity (idle expiry).
    """
    token = session_token(state)
    if not token:
        return None
    with transaction(token, touch=touch) as (_db, principal):
        return principal


def client_ip(state: rx.State) -> str:
    """The browser's address as seen by the server (for the audit trail)."""
    return getattr(state.router.session, "client_ip", "") or ""


def current_path(state: rx.State) -> str:
    """The browser's path without a trailing slash ("/employer", "/" for the root)."""
    return "/" + (state.router.url.path or "/").strip("/")


async def polling(state: rx.State, seconds: float, lifetime: float) -> AsyncIterator[Principal]:
    """The heartbeat of a live view's background event (a table that follows other sessions' changes, a job's
    progress). Every ``seconds``, and at once when a change is committed (``portal.core.changes``; at most once
    per ``MIN_GAP_SECONDS``), it yields the session's principal, for at most ``lifetime`` seconds, while
    the browser is connected, the session lives (checked without counting as activity) and this loop is
    still the state's newest one (``_watch_id`` unchanged since it started: a reload or leaving the page
    starts or stops another). The caller takes ``async with state`` for what it reads and changes."""
    async with state:
        my_id = state._watch_id  # type: ignore[attr-defined]
    started, woken = time.monotonic(), -MIN_GAP_SECONDS
    seen = changes.generation()
    while time.monotonic() - started < lifetime:
        before, seen = seen, await changes.changed_since(seen, seconds)  # the next poll, or a committed change
        if seen != before:  # woken by a change: in a burst of them, one look per gap
            if (gap := MIN_GAP_SECONDS - (time.monotonic() - woken)) > 0:
                await asyncio.sleep(gap)
            woken = time.monotonic()
        async with state:
            current = state._watch_id == my_id  # type: ignore[attr-defined]
        if not current or not client_connected(state):
            return
        principal = current_principal(state, touch=False)
        if principal is None:
            return
        yield principal


def client_connected(state: rx.State) -> bool:
    """Whether the browser of ``state`` still has a live websocket (background loops end when it has not).
    The app is found the way Reflex's own states find it (its registration context), not through our app
    module."""
    try:
        namespace = RegistrationContext.get().app.event_namespace
    except (LookupError, RuntimeError):  # no registration context, or no app registered in it
        namespace = None
    if namespace is None:
        return True  # not running inside the app server (unit tests)
    return state.router.session.client_token in namespace.token_to_sid


def route_param(state: rx.State, name: str) -> str:
    """A dynamic route segment (e.g. ``[employer_id]``) as the untrusted string the browser sent."""
    value = state.rx_router_page.params.get(name, "")
    return value if isinstance(value, str) else ""


async def language_of(state: rx.State) -> str:
    """The language chosen in the session state (for messages)."""
    return normalise_language((await state.get_state(SessionState)).lang)


# One refused page load is one audit entry: its guard and each of its on_load reads refuse the same address for
# the same reason within a moment (an acting page outside the portfolio: the guard, the acting banner and the
# page's own read). Repeats of one session within this many seconds are not written again.
REPEAT_SECONDS = 5.0
_refused_at: dict[tuple[str, str, str], float] = {}


def deny(state: rx.State, principal: Principal | None, what: str, reason: str | None = None) -> rx.event.EventSpec:
    """Record a refused read or action and send the browser to the no-access page (never the data)."""
    if _first_refusal(session_token(state), what, reason or ""):
        with transaction("") as (db, _nobody):
            audit.access_denied(db, principal, what, ip=client_ip(state), reason=reason)
    return rx.redirect("/no-access")


def _first_refusal(token: str, what: str, reason: str) -> bool:
    """Whether this refusal is not a repeat of the session's same refusal a moment ago (``REPEAT_SECONDS``);
    a caller without a session is never counted as a repeat."""
    if not token:
        return True
    now = time.monotonic()
    if len(_refused_at) > 4096:  # forget the old ones
        for key in [k for k, at in _refused_at.items() if now - at > REPEAT_SECONDS]:
            del _refused_at[key]
    last = _refused_at.get((token, what, reason))
    _refused_at[(token, what, reason)] = now
    return last is None or now - last > REPEAT_SECONDS


def full_page_redirect(path: str) -> rx.event.EventSpec:
    """Navigate with a full page load, so that the websocket reconnects with fresh cookies."""
    return rx.call_script(f"window.location.replace({json.dumps(path)})")


class SessionState(rx.State):
    """Who is signed in (display data only), the language and the menu of the current front end."""

    lang: str = rx.Cookie("nl", name="portal_lang", max_age=365 * 24 * 3600, same_site="lax")
    user_name: str = ""
    roles: list[str] = []
    front_end: str = ""
    menu: list[list[str]] = []  # [route, message key]
    signed_in: bool = False
    theme_pref: str = ""  # the account's light/dark choice, applied in every browser it signs in from
    loaded_path: str = ""  # set when a page's on_load has run: a readiness marker for people and tests
    csrf_token: str = ""  # of this browser's session, for our own POST routes (logout, upload)
    login_notice: str = ""  # message key shown above the login form (e.g. the session expired)

    @rx.var
    def t(self) -> dict[str, str]:
        """All texts in the chosen language."""
        return table(normalise_language(self.lang))

    @rx.var
    def role_label(self) -> str:
        texts = table(normalise_language(self.lang))
        return ", ".join(texts.get(f"role.{r}", r) for r in self.roles)

    @rx.var
    def menu_items(self) -> list[dict[str, str]]:
        texts = table(normalise_language(self.lang))
        return [{"route": route, "label": texts.get(key, key)} for route, key in self.menu]

    @rx.var
    def home(self) -> str:
        return home_path(self.front_end or None)

    def _fill(self, p: Principal) -> None:
        """Who is signed in, set on every page load: only values that changed are assigned, so an unchanged
        language does not send all texts (``t``, about 50 KB) to the browser again (the page's hydration has
        already sent the whole state)."""
        assign_changed(
            self,
            user_name=p.display_name or p.username,
            roles=sorted(p.roles),
            front_end=str(p.front_end),
            menu=[[route, key] for route, key in menu_for(_ACCESS, p.front_end, p.perms)],
            signed_in=True,
            lang=normalise_language(p.language),
            theme_pref=p.theme if p.theme in ("light", "dark") else "",
            csrf_token=csrf.token_for(session_token(self)),
        )

    def _clear(self) -> None:
        self.user_name = ""
        self.roles = []
        self.front_end = ""
        self.menu = []
        self.signed_in = False
        self.theme_pref = ""
        self.csrf_token = ""

    @rx.event
    async def guard(self):
        """on_load of every protected page: signed in, right front end, right role — else no data."""
        principal = current_principal(self)
        path = current_path(self)
        if principal is None:
            had_token = bool(session_token(self))
            self._clear()
            self.login_notice = "login.expired" if had_token else ""
            return full_page_redirect("/login") if had_token else rx.redirect("/login")
        self._fill(principal)
        self.loaded_path = path
        scope = acting_employer(path)
        if scope is not None:  # an employer's page in the portfolio: that employer must be in it right now, and
            # the page is judged by what the adviser may do for that employer (INT-2)
            try:
                principal = acting_for(principal, scope)
            except NoAccess as refused:
                return deny(self, principal, path, refused.reason)
        if not may_open(_ACCESS, path, principal.front_end, principal.perms):
            return deny(self, principal, path)
        return None

    @rx.event
    async def load_public(self):
        """on_load of the public pages: a signed-in user is sent to their own home."""
        principal = current_principal(self)
        if principal is not None:
            self._fill(principal)
            return rx.redirect(home_path(principal.front_end))
        self._clear()
        self.loaded_path = current_path(self)
        return None

    @rx.event
    async def load_no_access(self):
        """on_load of the no-access page: show the user's own home link."""
        principal = current_principal(self)
        if principal is not None:
            self._fill(principal)
        else:
            self._clear()
        self.loaded_path = current_path(self)

    @rx.event
    def set_language(self, lang: str):
        """Switch NL/EN; remembered in a cookie and, when signed in, on the account."""
        self.lang = normalise_language(lang, default=self.lang)
        with transaction(session_token(self)) as (db, principal):
            if principal is not None:
                accounts.set_preferences(db, principal, language=self.lang)

    @rx.event
    def toggle_language(self):
        """The globe control: flip between Dutch and English."""
        return SessionState.set_language("en" if normalise_language(self.lang) == "nl" else "nl")

    @rx.event
    def save_theme(self, theme: str):
        """Remember the light/dark choice on the account (the browser keeps it too)."""
        with transaction(session_token(self)) as (db, principal):
            if principal is not None and theme in ("light", "dark"):
                self.theme_pref = theme
                accounts.set_preferences(db, principal, theme=theme)
