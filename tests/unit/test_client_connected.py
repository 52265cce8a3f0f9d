"""A background loop asks whether its browser is still connected through Reflex's own registration context (the
app the running server registered), not by reading our app module out of ``sys.modules``."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from reflex_base.registry import RegistrationContext

from portal.state.auth import client_connected


def _tab(token: str) -> Any:
    return SimpleNamespace(router=SimpleNamespace(session=SimpleNamespace(client_token=token)))


def test_connected_means_a_live_socket_of_the_tab_in_the_registered_app() -> None:
    sockets: dict[str, str] = {"tab-1": "sid-1"}
    app = SimpleNamespace(event_namespace=SimpleNamespace(token_to_sid=sockets))
    context = RegistrationContext.ensure_context().fork()
    object.__setattr__(context, "_app", app)  # what rx.App() does when the server starts
    with context:
        assert client_connected(_tab("tab-1"))
        assert not client_connected(_tab("tab-2"))
        sockets.clear()  # the browser went away
        assert not client_connected(_tab("tab-1"))
        app.event_namespace = None  # registered, but not serving (compiling, exporting)
        assert client_connected(_tab("tab-1"))


def test_outside_the_app_server_a_tab_counts_as_connected() -> None:
    with RegistrationContext.ensure_context().fork():  # no app registered (unit tests, scripts)
        assert client_connected(_tab("tab-1"))
