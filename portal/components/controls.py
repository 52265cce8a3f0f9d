"""Header controls: language (globe), light/dark mode, logout."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.state.auth import SessionState


def language_button() -> rx.Component:
    """The globe control: switches NL ↔ EN and shows which language it switches to."""
    return rx.button(
        rx.icon("globe", size=16, aria_hidden="true"),
        rx.text(rx.cond(SessionState.lang == "en", "NL", "EN"), size="2", aria_hidden="true"),
        rx.el.span(text("common.switch_language"), class_name="sr-only"),
        variant="ghost",
        color_scheme="gray",
        high_contrast=True,
        margin="0",
        on_click=SessionState.toggle_language,
        title=text("common.switch_language"),
        id="language-switch",
    )


def theme_button() -> rx.Component:
    """Light / dark mode toggle (kept by the browser and remembered on the account)."""
    return rx.button(
        rx.color_mode_cond(
            light=rx.icon("moon", size=16, aria_hidden="true"),
            dark=rx.icon("sun", size=16, aria_hidden="true"),
        ),
        variant="ghost",
        color_scheme="gray",
        high_contrast=True,
        margin="0",
        on_click=[
            rx.toggle_color_mode,
            SessionState.save_theme(rx.color_mode_cond(light="dark", dark="light")),
        ],
        aria_label=text("common.toggle_theme"),
        title=text("common.toggle_theme"),
        id="theme-switch",
    )


def logout_button() -> rx.Component:
    """Ends the server-side session."""
    return rx.button(
        rx.icon("log-out", size=16, aria_hidden="true"),
        rx.text(text("common.logout"), size="2"),
        variant="outline",
        color_scheme="gray",
        high_contrast=True,
        on_click=SessionState.logout,
        id="logout",
    )
