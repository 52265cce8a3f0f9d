"""Benefit statements on the employer pages (DOC-3): the scheme-wide generate block and a participant's history."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.table import Column, data_table
from portal.state.auth import SessionState
from portal.state.employer.statements import StatementHistoryState as H
from portal.state.employer.statements import StatementRunState as R


def generate_block() -> rx.Component:
    """Scheme page: choose a year, "Generate statements for {year}", progress and result."""
    label = SessionState.t["statement.generate"].to(str).replace("{year}", R.year)
    return rx.cond(
        R.allowed,
        rx.el.section(
            rx.heading(text("statement.section"), as_="h2", size="4", margin_bottom="0.5rem"),
            rx.text(text("statement.section_intro"), size="2", color_scheme="gray", margin_bottom="0.75rem"),
            rx.flex(
                rx.box(
                    rx.el.label(text("statement.year"), html_for="statement-year", class_name="field-label"),
                    rx.select.root(
                        rx.select.trigger(id="statement-year", min_width="8rem"),
                        rx.select.content(rx.foreach(R.years, lambda y: rx.select.item(y, value=y))),
                        value=R.year,
                        on_change=R.set_year,
                    ),
                ),
                rx.button(
                    label,
                    on_click=R.generate,
                    loading=(R.status == "queued") | (R.status == "running"),
                    id="statement-generate",
                ),
                align="end",
                gap="3",
                wrap="wrap",
            ),
            rx.cond(
                R.error != "",
                rx.callout(R.error, icon="circle-alert", color_scheme="red", role="alert", margin_top="0.75rem"),
            ),
            rx.cond(
                (R.status == "queued") | (R.status == "running"),
                rx.progress(
                    value=rx.cond(R.total > 0, (R.done * 100 / rx.cond(R.total > 0, R.total, 1)).to(int), 0),
                    max=100,
                    aria_label=SessionState.t["statement.progress_label"],
                    margin_top="0.75rem",
                    max_width="24rem",
                ),
            ),
            rx.cond(
                R.status_text != "",
                rx.text(R.status_text, role="status", size="2", margin_top="0.5rem", id="statement-status"),
            ),
            margin_bottom="1.75rem",
            id="statements",
        ),
    )


HISTORY = (
    Column("statement.col.year", lambda r: r["year"], names_row=True),
    Column("statement.col.created", lambda r: r["created"]),
    Column("statement.col.language", lambda r: r["language"]),
    Column(
        "statement.col.title",
        lambda r: rx.link(
            text("statement.open"), href=r["link"], is_external=True, reload_document=True, aria_label=r["label"]
        ),
    ),
)


def history_section() -> rx.Component:
    """Participant detail: the statements per year with links signed on the server."""
    make_label = SessionState.t["statement.make_one"].to(str).replace("{year}", H.year)
    return rx.vstack(
        rx.cond(
            H.can_make,
            rx.flex(
                rx.button(make_label, variant="soft", on_click=H.make, id="statement-make"),
                rx.cond(H.notice != "", rx.text(H.notice, role="status", size="2")),
                gap="3",
                align="center",
                wrap="wrap",
            ),
        ),
        rx.cond(H.error != "", rx.callout(H.error, icon="circle-alert", color_scheme="red", role="alert")),
        rx.cond(
            H.rows.length() > 0,
            data_table(HISTORY, H.rows, name="statement.history", table_id="statement-history", width="100%"),
            rx.text(text("statement.none"), color_scheme="gray"),
        ),
        spacing="3",
        width="100%",
    )
