"""A list section that is a table on wide screens and a list of cards on narrow ones (phone first)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from portal.components.fields import text


def table_or_cards(
    title_key: str,
    title_id: str,
    headers: list[rx.Component],
    rows: Any,
    row: Callable[[Any], rx.Component],
    card: Callable[[Any], rx.Component],
    *,
    loaded: Any,
    none_key: str,
    table_id: str,
    wide: str = "md",
    table_props: dict[str, Any] | None = None,
    **box_props: Any,
) -> rx.Component:
    """A titled section of ``rows``: a table (``headers``, one ``row`` each) from breakpoint ``wide`` up, a list
    of ``card``s below it, and ``none_key``'s text once ``loaded`` with no rows."""
    return rx.el.section(
        rx.heading(text(title_key), as_="h2", size="4", margin_bottom="0.75rem", id=title_id),
        rx.box(
            rx.table.root(
                rx.el.caption(text(title_key), class_name="sr-only"),
                rx.table.header(rx.table.row(*headers)),
                rx.table.body(rx.foreach(rows, row)),
                width="100%",
                id=table_id,
                variant="surface",
                **(table_props or {}),
            ),
            overflow_x="auto",
            display=rx.breakpoints(initial="none", **{wide: "block"}),
            **box_props,
        ),
        rx.el.ul(
            rx.foreach(rows, card),
            aria_label=text(title_key),
            display=rx.breakpoints(initial="flex", **{wide: "none"}),
            flex_direction="column",
            gap="0.75rem",
            padding="0",
            margin="0",
        ),
        rx.cond(loaded & (rows.length() == 0), rx.text(text(none_key), margin_top="0.75rem")),
        aria_labelledby=title_id,
    )
