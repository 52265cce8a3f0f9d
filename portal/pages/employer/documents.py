"""Documents page (DOC-1, DOC-2): scheme choice, Financial / Legal (by role), the list with "New" markers and
a viewer that shows the PDF in the page with a download link. On a phone the list becomes cards and the
viewer offers "Open PDF" and "Download" instead of a cramped frame."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import scheme_choice, text
from portal.components.pdf_viewer import pdf_viewer
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, data_table, none_yet, titled_section
from portal.state.acting import ActingState
from portal.state.auth import SessionState
from portal.state.employer.documents import DocumentsState as D


def _new_badge(row: rx.Var) -> rx.Component:
    """The unread marker: a visible badge, and words for screen readers."""
    return rx.cond(
        row["unread"] != "",
        rx.fragment(
            rx.badge(text("doc.new"), color_scheme="blue", variant="solid", high_contrast=True, aria_hidden="true"),
            rx.el.span(text("doc.new_sr"), class_name="sr-only"),
        ),
    )


def _open_button(row: rx.Var, **props) -> rx.Component:
    return rx.button(
        rx.icon("eye", size=16, aria_hidden="true"),
        text("doc.open"),
        on_click=D.open_document(row["id"]),
        aria_label=row["open_label"],
        variant=rx.cond(D.selected["id"] == row["id"], "solid", "soft"),
        size="2",
        **props,
    )


def _title(row: rx.Var) -> rx.Component:
    return rx.flex(
        rx.text(row["title"], weight=rx.cond(row["unread"] != "", "bold", "regular")),
        _new_badge(row),
        gap="0.5rem",
        align="center",
        wrap="wrap",
    )


COLUMNS = (
    Column("doc.col.title", _title, names_row=True),
    Column("doc.col.kind", lambda r: r["kind"]),
    Column("doc.col.period", lambda r: r["period"], nowrap=True),
    Column("doc.col.date", lambda r: r["date"], nowrap=True),
    Column("doc.col.scheme", lambda r: r["scheme"]),
    Column("doc.col.open", _open_button),
)


def _card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.flex(
                rx.text(row["title"], weight=rx.cond(row["unread"] != "", "bold", "regular")),
                _new_badge(row),
                gap="0.5rem",
                align="center",
                wrap="wrap",
            ),
            rx.text(row["kind"] + " · " + row["period"].to(str), size="2", color_scheme="gray"),
            rx.text(row["date"] + " · " + row["scheme"].to(str), size="2", color_scheme="gray"),
            rx.box(_open_button(row, width="100%"), margin_top="0.5rem"),
            size="1",
        ),
        list_style="none",
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        scheme_choice(  # "all schemes" plus more than one scheme
            "doc.scheme",
            "doc-scheme",
            D.schemes,
            D.scheme_id,
            D.set_scheme,
            2,
            True,
            class_name="field",
            max_width="100%",
        ),
        rx.cond(
            D.categories.length() > 1,
            rx.box(
                rx.el.span(text("doc.category"), id="doc-category-label", class_name="field-label"),
                rx.flex(
                    rx.foreach(
                        D.categories,
                        lambda c: rx.button(
                            SessionState.t["doc.category." + c.to(str)],
                            rx.cond(
                                D.unread[c] != "0",
                                rx.badge(D.unread[c], variant="solid", high_contrast=True, radius="full"),
                            ),
                            on_click=D.set_category(c),
                            variant=rx.cond(D.category == c, "solid", "outline"),
                            aria_pressed=rx.cond(D.category == c, "true", "false"),
                            size="2",
                            id="doc-category-" + c.to(str),
                        ),
                    ),
                    role="group",
                    aria_labelledby="doc-category-label",
                    gap="0.5rem",
                    wrap="wrap",
                ),
                class_name="field",
            ),
        ),
        spacing="4",
        gap="1rem",
        align="end",
        wrap="wrap",
        margin_bottom="1rem",
    )


def _viewer() -> rx.Component:
    return pdf_viewer(D.selected, D.close_viewer, "doc")


def _list() -> rx.Component:
    return titled_section(
        "doc.list",
        "doc-list-title",
        data_table(
            COLUMNS,
            D.rows,
            name="doc.list",
            table_id="doc-table",
            variant="surface",
            row_props=lambda r: {"class_name": rx.cond(r["unread"] != "", "doc-row doc-unread", "doc-row")},
            card=_card,
        ),
        none_yet("doc.none", D.loaded & (D.rows.length() == 0)),
    )


def documents_page(shell: Shell = employer_shell) -> rx.Component:
    """/employer/documents (and an adviser's, acting for the employer: reading leaves the unread marker, DOC-2)"""
    return shell(
        "menu.documents",
        rx.text(text("doc.intro"), color_scheme="gray", margin_bottom="1rem", max_width="48rem"),
        rx.cond(
            ActingState.employer_name != "",
            rx.callout(text("acting.documents_note"), icon="info", id="acting-documents-note", margin_bottom="1rem"),
        ),
        rx.cond(
            D.categories.length() == 0,
            rx.cond(D.loaded, rx.callout(text("doc.no_rights"), icon="info", role="status")),
            rx.fragment(
                _toolbar(),
                rx.cond(
                    D.message != "",
                    rx.callout(
                        D.message, icon="triangle-alert", color_scheme="red", role="alert", margin_bottom="1rem"
                    ),
                ),
                _viewer(),
                _list(),
            ),
        ),
    )
