"""A hidden marker that tells (people's tools and tests) which page's server check has completed."""

import reflex as rx
from reflex_base.style import set_color_mode

from portal.state.auth import SessionState


def ready_marker() -> rx.Component:
    return rx.el.div(id="page-ready", data_path=SessionState.loaded_path, hidden=True)


def theme_sync() -> rx.Component:
    """Applies the signed-in account's light/dark choice once the server has sent it (any device)."""
    return rx.cond(
        SessionState.theme_pref != "",
        rx.el.span(hidden=True, on_mount=set_color_mode(SessionState.theme_pref)),
    )
