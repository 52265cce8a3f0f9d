"""A hidden marker that tells (people's tools and tests) which page's server check has completed."""

import reflex as rx

from portal.state.auth import SessionState


def ready_marker() -> rx.Component:
    return rx.el.div(id="page-ready", data_path=SessionState.loaded_path, hidden=True)
