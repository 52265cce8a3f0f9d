"""The "i" beside a term (EE-2): a real button named "Explanation: <term>" that opens a short explanation in a
popover. Radix's popover gives the keyboard behaviour: Enter or Space opens it, focus moves into it, Escape (or the
close button) closes it and focus returns to the "i". The touch target is 44 × 44 px."""

from __future__ import annotations

import reflex as rx

from portal.state.auth import SessionState


def _text(key: str | rx.Var, part: str) -> rx.Var:
    return SessionState.t["term." + key + "." + part].to(str)


def _round_button(icon: str, label: rx.Var, **props: object) -> rx.Component:
    """A quiet icon button with a 44 × 44 px target (the negative margin keeps its line from growing)."""
    return rx.icon_button(
        rx.icon(icon, size=18, aria_hidden="true"),
        variant="ghost",
        color_scheme="gray",
        high_contrast=True,
        radius="full",
        aria_label=label,
        min_width="44px",
        min_height="44px",
        **props,
    )


def term_info(key: str | rx.Var) -> rx.Component:
    """The "i" button and popover of term ``key`` (a key of ``portal.i18n.term_messages.TERMS``, or a string var
    holding one)."""
    name = _text(key, "name")
    label = SessionState.t["term.explain"].to(str).replace("{term}", name)
    return rx.popover.root(
        rx.popover.trigger(
            _round_button("info", label, margin="-10px 0", title=label, class_name="term-info", data_term=key),
        ),
        rx.popover.content(
            rx.flex(
                rx.text(name, weight="bold", size="3", style={"&::first-letter": {"textTransform": "uppercase"}}),
                rx.popover.close(_round_button("x", SessionState.t["term.close"], margin="-10px -10px -10px 0")),
                justify="between",
                align="center",
                gap="2",
            ),
            rx.text(_text(key, "text"), size="2", as_="p"),
            aria_label=name,
            max_width="min(22rem, calc(100vw - 2rem))",
            class_name="term-popover",
        ),
    )


def with_term(content: rx.Component | rx.Var, key: str | rx.Var) -> rx.Component:
    """``content`` (a label or heading) followed by the "i" of term ``key``, on one line where it fits."""
    return rx.flex(content, term_info(key), align="center", gap="1", wrap="nowrap")
