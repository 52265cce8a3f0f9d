"""Page state belongs to the signed-in session that filled it, not to the browser tab (security, AUTH-5).

Reflex keeps every state on the server under the tab's client token, which lives in the tab's
``sessionStorage`` and travels in the websocket URL. Whoever presents that token gets the token's states sent
to them when a page loads. So before any event is handled, ``SessionBindingMiddleware`` compares the session
of the connection (the HttpOnly session cookie, checked against the server-side session record on every page
load) with the session that filled the token's states; when they differ — no cookie, another user's cookie,
a session that was logged out, expired or ended — every state of the portal is put back to its defaults
before anything is read or sent. The binding keeps only a hash of the session token, never the token.

Within one session, a page's data is kept only while that page is shown: every page load resets the states
that the new page does not show (``page_shows`` records, per route, which states a page shows), so the BSN of
the participant opened a minute ago does not stay on the server, or travel in the next page's snapshot, once
the user has moved on.
"""

from __future__ import annotations

import hashlib

import reflex as rx
from reflex.middleware import Middleware

from portal.state.auth import SessionState, current_principal, session_token

# Vars that hold no personal or tenant data and survive a wipe: the language cookie (resetting it would
# write "nl" back into the browser's cookie on every sign-out).
KEPT_VARS = frozenset({"lang"})
# Events after which the session is checked against the server-side record even when the cookie did not
# change: a page load or reconnect (what a reload, a stolen token or an expired session arrives with).
_PAGE_LOAD_EVENTS = ("hydrate_and_load", "hydrate", "on_load_internal")
# route (without slashes at the ends) -> full names of the states its page shows
_PAGE_STATES: dict[str, frozenset[str]] = {}


class SessionBindingState(rx.State):
    """Which session filled this tab's states: a hash of its token ('' = nobody signed in)."""

    _session_key: str = ""


def session_key(token: str) -> str:
    """The binding key of a session token (a hash: the token itself is never stored in a state)."""
    return hashlib.sha256(f"binding:{token}".encode()).hexdigest()[:32] if token else ""


def portal_states() -> tuple[type[rx.State], ...]:
    """Every state class of the portal (the whole tree under ``rx.State`` defined in ``portal``; walked on each
    call, only on page loads and session changes, so that no state defined later is missed)."""
    found: list[type[rx.State]] = []
    todo = list(rx.State.get_substates())
    while todo:
        cls = todo.pop()
        todo.extend(cls.get_substates())
        if cls.__module__.startswith("portal.") and cls is not SessionBindingState:
            found.append(cls)
    return tuple(sorted(found, key=lambda c: c.get_full_name()))


def reset_state(state: rx.State) -> None:
    """Put a state's own vars (backend vars included) back to their defaults; only changed vars are set, so
    an untouched state adds nothing to the delta."""
    cls = type(state)
    for name, field in cls.__fields__.items():
        if field._owner is not cls or name in KEPT_VARS:
            continue
        default = field.default_value()
        if getattr(state, name) != default:
            setattr(state, name, default)


async def wipe_all(root: rx.State) -> None:
    """Reset every portal state of this tab (loading the ones not yet loaded)."""
    for cls in portal_states():
        reset_state(await root.get_state(cls))


def page_shows(route: str, *states: type[rx.State]) -> None:
    """Record which states the page at ``route`` shows (its on_load states and the ones its parts use)."""
    names = {cls.get_full_name() for cls in states}
    _PAGE_STATES[route.strip("/")] = _PAGE_STATES.get(route.strip("/"), frozenset()) | names


def states_of(handlers: list) -> list[type[rx.State]]:
    """The states of a page's on_load event handlers."""
    return [h.state for h in handlers if getattr(h, "state", None) is not None]


async def forget_other_pages(root: rx.State, route: str) -> None:
    """Reset every portal state the page at ``route`` does not show (the session's own states stay)."""
    keep = _PAGE_STATES.get(route.strip("/"), frozenset())
    for cls in portal_states():
        if cls.get_full_name() not in keep and cls is not SessionState:
            reset_state(await root.get_state(cls))


def _is_page_load(event_name: str) -> bool:
    return event_name.rsplit(".", 1)[-1] in _PAGE_LOAD_EVENTS


def _alive(root: rx.State) -> bool:
    """Whether the connection's session is live right now (not counted as activity)."""
    return current_principal(root, touch=False) is not None


class SessionBindingMiddleware(Middleware):
    """Wipes a tab's states before an event whose connection belongs to another (or no) session."""

    async def preprocess(self, app, state, event):  # type: ignore[override]
        root = state._get_root_state()
        token = session_token(root)
        key = session_key(token)
        binding = await root.get_state(SessionBindingState)
        if key and (key != binding._session_key or _is_page_load(event.name)) and not _alive(root):
            key = ""
        if key != binding._session_key:
            await wipe_all(root)
            binding._session_key = key
        elif _is_page_load(event.name):
            await forget_other_pages(root, root.rx_router_page.path)
        return None
