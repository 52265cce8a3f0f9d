"""The frame of a mutation wizard: numbered steps with the current one marked, one panel per step."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.table import Column, data_table


def steps_indicator(step_keys: list[str], current: rx.Var) -> rx.Component:
    """An ordered list of the steps; the current one has aria-current="step"."""
    return rx.el.ol(
        *[
            rx.el.li(
                rx.text(f"{i + 1}. ", as_="span"),
                text(key),
                aria_current=rx.cond(current == i, "step", "false"),
                class_name="wizard-step",
            )
            for i, key in enumerate(step_keys)
        ],
        class_name="wizard-steps",
        aria_label=text("wizard.steps"),
    )


COMPARE = (
    Column("wizard.field", lambda r: r[0], names_row=True),
    Column("wizard.old", lambda r: r[1]),
    Column("wizard.new", lambda r: rx.text(r[2], weight="bold")),
)


def compare_table(rows: rx.Var) -> rx.Component:
    """Old and new values side by side (rows: [label, old, new])."""
    return data_table(COMPARE, rows, name="wizard.step_summary", table_id="wizard-summary", width="100%")


def warnings_block(warnings: rx.Var, on_toggle) -> rx.Component:
    """Plausibility warnings (MUT-5): each must be acknowledged with its own checkbox (the server keeps the
    list of acknowledged keys; the service refuses a submission that misses one)."""
    return rx.vstack(
        rx.foreach(
            warnings,
            lambda w: rx.callout(
                rx.vstack(
                    rx.text(w["text"]),
                    rx.el.label(
                        rx.el.input(
                            type="checkbox",
                            on_change=lambda _v: on_toggle(w["key"]),
                            id="ack-" + w["key"],
                        ),
                        " ",
                        text("wizard.acknowledge"),
                        html_for="ack-" + w["key"],
                    ),
                    spacing="2",
                ),
                icon="triangle-alert",
                color_scheme="amber",
                width="100%",
            ),
        ),
        width="100%",
    )


def summary_step(table: rx.Component, state: type) -> rx.Component:
    """The summary step of a wizard state (``warnings``, ``toggle_ack``, ``back``, ``submit``): what will
    change, the warnings to acknowledge, a plain "not sent yet", and the submit button."""
    return rx.vstack(
        table,
        warnings_block(state.warnings, state.toggle_ack),
        rx.callout(text("wizard.not_sent"), icon="info", color_scheme="blue", width="100%"),
        rx.hstack(
            rx.button(text("wizard.back"), variant="soft", color_scheme="gray", on_click=state.back),
            rx.button(text("wizard.submit"), on_click=state.submit, id="wizard-submit"),
            justify="end",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


def submitted_callout(needs_review: rx.Var) -> rx.Component:
    """The last step's message: the change is sent (and processed, or waiting for review)."""
    return rx.callout(
        rx.cond(needs_review, text("wizard.submitted_review"), text("wizard.submitted")),
        icon="circle-check",
        color_scheme=rx.cond(needs_review, "amber", "green"),
        role="status",
        width="100%",
    )
