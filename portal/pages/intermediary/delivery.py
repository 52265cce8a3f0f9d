"""Delivery to insurers (INT-5): per insurer the messages sent, waiting, retrying and failed; the failed ones
with the insurer's answer, to send again or cancel. Cards, so that it reads on a phone."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import intermediary_shell
from portal.state.intermediary.delivery import DeliveryState as S


def _figure(key: str, value: rx.Var, color: str | None = None) -> rx.Component:
    return rx.box(
        rx.text(text(key), size="1", color_scheme="gray"),
        rx.text(value, size="4", weight="bold", color_scheme=color),
        min_width="6rem",
    )


def _insurer_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.heading(row["insurer"], as_="h3", size="3", margin_bottom="0.5rem"),
        rx.cond(
            row["no_address"] != "",
            rx.callout(
                rx.text(
                    rx.text(text("delivery.no_address"), weight="bold", as_="span"),
                    ": ",
                    text("delivery.no_address_text"),
                    as_="span",
                ),
                icon="triangle_alert",
                color_scheme="amber",
                size="1",
                margin_bottom="0.5rem",
                class_name="no-address",
            ),
        ),
        rx.flex(
            _figure("delivery.col.sent", row["sent"]),
            _figure("delivery.col.waiting", row["waiting"]),
            _figure("delivery.col.retrying", row["retrying"]),
            _figure("delivery.col.failed", row["failed"], "red"),
            spacing="4",
            wrap="wrap",
        ),
        width="100%",
        role="group",
        aria_label=row["insurer"],
    )


def _failed_card(row: rx.Var) -> rx.Component:
    return rx.card(
        rx.text(row["employer"], " · ", row["participant"], weight="bold"),
        rx.text(row["insurer"], " · ", row["kind"], size="2"),
        rx.text(
            text("delivery.created"),
            ": ",
            row["created"],
            " · ",
            text("delivery.attempts"),
            ": ",
            row["attempts"],
            size="1",
            color_scheme="gray",
        ),
        rx.box(
            rx.text(text("delivery.answer"), size="1", color_scheme="gray"),
            rx.text(row["answer"], size="2", class_name="insurer-answer", word_break="break-word"),
            margin_top="0.5rem",
        ),
        rx.flex(
            rx.button(text("delivery.retry"), on_click=S.retry(row["id"]), color_scheme="green"),
            rx.button(text("delivery.cancel"), on_click=S.cancel(row["id"]), color_scheme="red", variant="soft"),
            spacing="3",
            wrap="wrap",
            margin_top="0.75rem",
        ),
        rx.text(S.errors.get(row["id"].to(str), ""), role="alert", color_scheme="red", size="2"),
        width="100%",
        role="group",
        aria_label=row["participant"],
    )


def delivery_page() -> rx.Component:
    return intermediary_shell(
        "delivery.title",
        rx.text(text("delivery.intro"), color_scheme="gray", size="2", margin_bottom="0.75rem"),
        rx.flex(
            rx.link(text("delivery.back"), href="/intermediary/couplings"),
            rx.button(text("delivery.refresh"), on_click=S.load, variant="soft", size="1"),
            spacing="4",
            align="center",
            margin_bottom="1rem",
        ),
        rx.cond(S.done != "", rx.callout(S.done, icon="check", margin_bottom="0.75rem", role="status")),
        rx.heading(text("delivery.counts"), as_="h2", size="4", margin_bottom="0.5rem"),
        rx.cond(
            S.insurers.length() > 0,
            rx.grid(
                rx.foreach(S.insurers, _insurer_card),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="3",
                width="100%",
            ),
            rx.text(text("delivery.none")),
        ),
        rx.heading(text("delivery.failed_title"), as_="h2", size="4", margin_top="1.5rem", margin_bottom="0.5rem"),
        rx.cond(
            S.failed.length() > 0,
            rx.vstack(rx.foreach(S.failed, _failed_card), spacing="3", width="100%"),
            rx.text(text("delivery.failed_none")),
        ),
    )
