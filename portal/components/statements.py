"""Benefit statements on the employer pages (DOC-3): the scheme-wide generate block and a participant's history."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
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


def _history_row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["year"]),
        rx.table.cell(row["created"]),
        rx.table.cell(row["language"]),
        rx.table.cell(
            rx.link(
                text("statement.open"),
                href=row["link"],
                is_external=True,
                reload_document=True,
                aria_label=row["label"],
            )
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
            rx.box(
                rx.table.root(
                    rx.el.caption(text("statement.history"), class_name="sr-only"),
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell(text("statement.col.year")),
                            rx.table.column_header_cell(text("statement.col.created")),
                            rx.table.column_header_cell(text("statement.col.language")),
                            rx.table.column_header_cell(text("statement.col.title")),
                        )
                    ),
                    rx.table.body(rx.foreach(H.rows, _history_row)),
                    width="100%",
                    id="statement-history",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.text(text("statement.none"), color_scheme="gray"),
        ),
        spacing="3",
        width="100%",
    )
