"""My documents (EE-3): the latest benefit statement of each contract as a card, the viewer with "Download" and
"Open PDF", and the personal archive of earlier statements already opened. Phone first: cards, no table."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.pdf_viewer import pdf_viewer
from portal.components.shell import employee_shell
from portal.pages.employee.forms import forms_entry
from portal.state.employee.documents import MyDocumentsState as S


def _card(row: rx.Var, list_id: str) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.flex(
                rx.box(
                    rx.flex(
                        rx.heading(row["title"], as_="h3", size="3"),
                        rx.cond(
                            row["new"] != "",
                            rx.badge(text("doc.new"), color_scheme="blue", variant="solid", high_contrast=True),
                        ),
                        gap="0.5rem",
                        align="center",
                        wrap="wrap",
                    ),
                    rx.text(row["employer"], weight="medium", style={"overflowWrap": "anywhere"}),
                    rx.text(row["scheme"], size="2", color_scheme="gray", style={"overflowWrap": "anywhere"}),
                    rx.text(
                        text("mydocs.made_on"), " ", row["date"], " · ", row["language"], size="2", color_scheme="gray"
                    ),
                    min_width="0",
                ),
                rx.button(
                    rx.icon("file-text", size=16, aria_hidden="true"),
                    text("mydocs.open"),
                    on_click=S.open_statement(row["id"]),
                    aria_label=row["open_label"],
                    variant=rx.cond(S.selected["id"] == row["id"], "solid", "soft"),
                    size="3",
                    class_name=f"{list_id}-open",
                ),
                direction=rx.breakpoints(initial="column", sm="row"),
                justify="between",
                align=rx.breakpoints(initial="stretch", sm="center"),
                gap="0.75rem",
            ),
            size="2",
            width="100%",
        ),
        list_style="none",
    )


def _cards(rows: rx.Var, list_id: str, label_key: str) -> rx.Component:
    return rx.el.ul(
        rx.foreach(rows, lambda r: _card(r, list_id)),
        aria_label=text(label_key),
        id=list_id,
        display="flex",
        flex_direction="column",
        gap="0.75rem",
        padding="0",
        margin="0.5rem 0 1.25rem 0",
    )


def my_documents_page() -> rx.Component:
    """EE-3: the latest statement per contract, the viewer, the archive."""
    return employee_shell(
        "menu.my_documents",
        rx.text(text("mydocs.intro"), color_scheme="gray"),
        forms_entry(),  # EE-5: the forms to sign (no tab of their own)
        rx.cond(
            S.message != "",
            rx.callout(
                S.message,
                icon="triangle-alert",
                color_scheme="amber",
                role="alert",
                margin_top="0.75rem",
                id="mydocs-message",
            ),
        ),
        rx.box(pdf_viewer(S.selected, S.close_viewer, "statement"), margin_top="0.75rem"),
        rx.heading(text("mydocs.latest"), as_="h2", size="4", margin_top="1rem"),
        rx.cond(
            S.loaded & (S.latest.length() == 0),
            rx.callout(text("mydocs.none"), icon="info", color_scheme="gray", margin_top="0.5rem", id="mydocs-none"),
        ),
        _cards(S.latest, "latest-statements", "mydocs.latest"),
        rx.heading(text("mydocs.archive"), as_="h2", size="4"),
        rx.text(text("mydocs.archive_intro"), size="2", color_scheme="gray"),
        rx.cond(
            S.loaded & (S.archive.length() == 0),
            rx.text(text("mydocs.archive_none"), size="2", margin_top="0.5rem", id="archive-none"),
        ),
        _cards(S.archive, "archive", "mydocs.archive"),
    )
