"""Documents page (DOC-1, DOC-2): scheme choice, Financial / Legal (by role), the list with "New" markers and
a viewer that shows the PDF in the page with a download link. On a phone the list becomes cards and the
viewer offers "Open PDF" and "Download" instead of a cramped frame."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import scheme_choice, text
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
    s = D.selected
    return rx.cond(
        s.contains("id"),
        rx.el.section(
            rx.card(
                rx.flex(
                    rx.box(
                        rx.heading(text("doc.viewer"), as_="h2", size="4", id="doc-viewer-title"),
                        rx.text(s["title"], weight="bold"),
                        rx.text(s["meta"], size="2", color_scheme="gray"),
                        min_width="0",
                    ),
                    rx.button(
                        rx.icon("x", size=16, aria_hidden="true"),
                        text("doc.close"),
                        on_click=D.close_viewer,
                        variant="soft",
                        color_scheme="gray",
                        size="2",
                    ),
                    justify="between",
                    align="start",
                    gap="0.75rem",
                ),
                rx.flex(
                    rx.link(
                        rx.icon("download", size=16, aria_hidden="true"),
                        text("doc.download"),
                        href=s["download_link"],
                        aria_label=s["download_label"],
                        reload_document=True,  # the browser fetches our route itself (a file, not a page)
                        high_contrast=True,
                        class_name="download-link",
                        id="doc-download",
                    ),
                    rx.link(
                        rx.icon("external-link", size=16, aria_hidden="true"),
                        text("doc.open_new_tab"),
                        href=s["view_link"],
                        aria_label=s["open_label"],
                        reload_document=True,
                        is_external=True,
                        high_contrast=True,
                        class_name="download-link",
                        id="doc-open-tab",
                    ),
                    gap="1.25rem",
                    wrap="wrap",
                    margin_y="0.75rem",
                ),
                rx.box(
                    rx.el.iframe(
                        src=s["view_link"],
                        title=s["frame_title"],
                        id="doc-frame",
                        width="100%",
                        height="100%",
                        border="1px solid var(--gray-a6)",
                        border_radius="var(--radius-2)",
                    ),
                    height="75vh",
                    display=rx.breakpoints(initial="none", md="block"),  # a phone gets the links above instead
                ),
                rx.text(text("doc.link_hint"), size="1", color_scheme="gray", margin_top="0.5rem"),
                size="2",
            ),
            id="doc-viewer",
            aria_labelledby="doc-viewer-title",
            margin_bottom="1rem",
        ),
    )


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
