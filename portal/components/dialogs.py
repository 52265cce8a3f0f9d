"""The confirmation dialog of a consequential action (revoke a key, disable an account, discard a batch): a title,
what will happen, a cancel and a confirm button, opened and closed by its state."""

from __future__ import annotations

from typing import Any

import reflex as rx


def confirm_dialog(
    *,
    title: rx.Component | rx.Var | str,
    description: rx.Component | rx.Var | str,
    cancel: rx.Component | rx.Var | str,
    confirm: rx.Component | rx.Var | str,
    on_confirm: Any,
    is_open: rx.Var,
    on_open_change: Any,
    on_cancel: Any = None,
    confirm_color: rx.Var | str = "red",
    details: rx.Component | None = None,
) -> rx.Component:
    """An alert dialog asking to confirm; ``details`` (optional) stands under the description, ``on_cancel``
    (optional) runs on the cancel button, ``on_open_change`` on Escape or a click outside."""
    cancel_props: dict[str, Any] = {"on_click": on_cancel} if on_cancel is not None else {}
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2"),
            *([details] if details is not None else []),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button(cancel, variant="soft", color_scheme="gray", **cancel_props)),
                rx.alert_dialog.action(
                    rx.button(confirm, color_scheme=confirm_color, high_contrast=True, on_click=on_confirm)
                ),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
            max_width="28rem",
        ),
        open=is_open,
        on_open_change=on_open_change,
    )
