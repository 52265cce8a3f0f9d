"""The frame of the public pages (login, activation, forgotten details): centred card, language, theme."""

from __future__ import annotations

import reflex as rx

from portal.components.controls import language_button, theme_button
from portal.components.fields import text
from portal.components.ready import ready_marker


def public_frame(title_key: str, *children: rx.Component) -> rx.Component:
    """A centred card with the product name, the page title and the language/theme controls."""
    return rx.box(
        ready_marker(),
        rx.flex(
            rx.text(text("app.name"), weight="bold", size="3"),
            rx.spacer(),
            language_button(),
            theme_button(),
            align="center",
            spacing="2",
            padding="0.75rem",
            width="100%",
            wrap="wrap",
            as_="header",
        ),
        rx.el.main(
            rx.card(
                rx.vstack(
                    rx.heading(text(title_key), as_="h1", size="6"),
                    *children,
                    spacing="4",
                    width="100%",
                ),
                width="100%",
                max_width="28rem",
                size={"initial": "2", "xs": "3"},  # less padding on a very narrow screen (a phone at 200 %)
            ),
            display="flex",
            justify_content="center",
            padding_x="0.75rem",
            padding_y="2rem",
        ),
        min_height="100vh",
    )
