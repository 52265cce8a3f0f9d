"""Header controls: language (globe), light/dark mode, logout."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.el.elements.base import BaseHTML

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


class NativeForm(BaseHTML):
    """A ``<form>`` that the browser itself submits to its ``action`` (``rx.el.form`` always prevents that)."""

    tag = "form"

    action: rx.Var[str]
    method: rx.Var[str]


def logout_form(button: rx.Component) -> rx.Component:
    """A plain POST to ``/auth/logout`` with the session's CSRF token: ends the server-side session (the
    route clears the HttpOnly cookie and sends the browser to the login page)."""
    return NativeForm.create(
        rx.el.input(type="hidden", name="csrf", value=SessionState.csrf_token),
        button,
        method="post",
        action="/auth/logout",
        margin="0",
    )


def logout_button() -> rx.Component:
    """Ends the server-side session."""
    return logout_form(
        rx.button(
            rx.icon("log-out", size=16, aria_hidden="true"),
            rx.text(text("common.logout"), size="2"),
            type="submit",
            variant="outline",
            color_scheme="gray",
            high_contrast=True,
            id="logout",
        )
    )
