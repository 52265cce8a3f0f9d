"""Insurer couplings (INT-4): per insurer the portfolio, group and scheme switches with their effective value and its
source, and the readiness check (what is missing per employer and per participant, with links to fix it) shown
before a scope is switched on. Cards stack on a phone; every button names what it does."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import intermediary_shell
from portal.state.intermediary.couplings import CouplingsState as S

DELIVERY_ROUTE = "/intermediary/couplings/delivery"


def _scope_row(r: rx.Var) -> rx.Component:
    return rx.cond(
        r["type"] == "insurer",
        rx.box(
            rx.heading(r["label"], as_="h2", size="5", margin_top="1.25rem"),
            rx.cond(
                r["no_address"] != "",
                rx.callout(r["no_address"], icon="triangle_alert", color_scheme="amber", size="1", margin_top="0.5rem"),
            ),
            width="100%",
        ),
        rx.card(
            rx.flex(
                rx.box(
                    rx.text(r["kind"], size="1", color_scheme="gray"),
                    rx.text(r["label"], weight="bold"),
                    rx.text(
                        rx.badge(r["value"], color_scheme=rx.cond(r["on"] == "1", "green", "gray")),
                        " ",
                        r["source"],
                        size="2",
                    ),
                    flex="1",
                    min_width="14rem",
                ),
                rx.flex(
                    rx.button(
                        text("coupling.check"),
                        on_click=S.check(r["insurer"], r["scope"], r["label"]),
                        aria_label=text("coupling.check") + ": " + r["label"].to(str),
                        id="check-" + r["id"].to(str),
                    ),
                    rx.button(
                        text("coupling.switch_off"),
                        on_click=S.switch_off(r["insurer"], r["scope"]),
                        variant="soft",
                        color_scheme="gray",
                        aria_label=text("coupling.switch_off") + ": " + r["label"].to(str),
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            width="100%",
        ),
    )


def _check_panel() -> rx.Component:
    return rx.cond(
        S.check_title != "",
        rx.el.section(
            rx.heading(S.check_title, as_="h2", size="4", id="coupling-check-title"),
            rx.cond(
                S.check_ready,
                rx.callout(text("coupling.ready"), icon="check", color_scheme="green"),
                rx.callout(text("coupling.not_ready"), icon="triangle_alert", color_scheme="amber"),
            ),
            rx.el.ul(
                rx.foreach(
                    S.check_rows,
                    lambda c: rx.el.li(
                        rx.text(c["what"], weight="bold", as_="span"),
                        ": ",
                        rx.text(c["missing"], as_="span"),
                        rx.cond(c["link"] != "", rx.fragment(" · ", rx.link(text("coupling.fix"), href=c["link"]))),
                        rx.cond(
                            c["scheme"] != "",
                            rx.fragment(
                                " · ",
                                rx.button(text("coupling.auto_enrol_on"), on_click=S.auto_enrol(c["scheme"]), size="1"),
                            ),
                        ),
                    ),
                ),
                aria_label=text("coupling.not_ready"),
                margin_y="0.75rem",
            ),
            rx.button(text("coupling.switch_on"), on_click=S.switch_on, color_scheme="green"),
            aria_labelledby="coupling-check-title",
            class_name="card-like",
            margin_y="1rem",
        ),
    )


def couplings_page() -> rx.Component:
    return intermediary_shell(
        "menu.couplings",
        rx.text(text("coupling.intro"), color_scheme="gray", size="2"),
        rx.link(text("coupling.delivery_link"), href=DELIVERY_ROUTE, display="block", margin_y="0.5rem"),
        rx.cond(S.message != "", rx.callout(S.message, icon="check", role="status", margin_y="0.5rem")),
        rx.cond(S.error != "", rx.callout(S.error, icon="triangle_alert", color_scheme="red", role="alert")),
        _check_panel(),
        rx.cond(
            S.rows.length() > 0,
            rx.vstack(rx.foreach(S.rows, _scope_row), spacing="2", width="100%"),
            rx.text(text("coupling.none")),
        ),
    )
