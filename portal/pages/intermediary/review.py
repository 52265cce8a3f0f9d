"""The review queue (MUT-6): changes in the portfolio that wait for the adviser's decision."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.state.intermediary.review import ReviewState


def _review_card(r: rx.Var) -> rx.Component:
    reason_id = "reason-" + r["id"].to(str)
    return rx.card(
        rx.text(r["employer"], " · ", r["number"], " ", r["name"], weight="bold"),
        rx.text(r["kind"], " · ", text("detail.col.effective"), ": ", r["effective"], size="2"),
        rx.text(r["changes"], size="2", margin_top="0.25rem"),
        rx.cond(r["warnings"] != "", rx.text(r["warnings"], size="2", color_scheme="amber", margin_top="0.25rem")),
        rx.text(r["requested"], size="1", color_scheme="gray", margin_top="0.25rem"),
        rx.flex(
            rx.button(text("review.approve"), on_click=ReviewState.approve(r["id"]), color_scheme="green"),
            rx.form(
                rx.el.input(type="hidden", name="mutation_id", value=r["id"]),
                rx.flex(
                    rx.box(
                        rx.el.label(text("review.reason"), html_for=reason_id, class_name="field-label"),
                        rx.input(id=reason_id, name="reason", max_length=500, width="100%"),
                        flex="1",
                        min_width="12rem",
                    ),
                    rx.button(text("review.reject"), type="submit", color_scheme="red", variant="soft"),
                    spacing="2",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=ReviewState.reject,
                reset_on_submit=True,
                flex="1",
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            margin_top="0.75rem",
        ),
        rx.text(ReviewState.errors.get(r["id"].to(str), ""), role="alert", color_scheme="red", size="2"),
        width="100%",
    )


def review_queue() -> rx.Component:
    return rx.box(
        rx.heading(text("review.title"), size="4", as_="h2", margin_top="1.5rem"),
        rx.text(text("review.intro"), color_scheme="gray", size="2", margin_bottom="0.75rem"),
        rx.cond(ReviewState.done != "", rx.callout(ReviewState.done, icon="check", margin_bottom="0.75rem")),
        rx.cond(
            ReviewState.rows.length() > 0,
            rx.vstack(rx.foreach(ReviewState.rows, _review_card), spacing="3", width="100%"),
            rx.text(text("review.none")),
        ),
        id="review-queue",
    )
