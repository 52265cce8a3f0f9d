"""Export page (EMP-5): scheme, as-of date, "Generate export", and the export history with downloads."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import notice, scheme_choice, text
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, data_table, none_yet, titled_section
from portal.state.auth import SessionState
from portal.state.employer.export import ExportState as E

STATUS_COLOURS = (("queued", "gray"), ("processing", "blue"), ("ready", "green"), ("failed", "red"))


def _status(status: rx.Var) -> rx.Component:
    """The state of an export in words and colour (announced when it changes)."""
    return rx.badge(
        SessionState.t["export.status." + status.to(str)],
        color_scheme=rx.match(status, *STATUS_COLOURS, "gray"),
        variant="soft",
        high_contrast=True,
    )


def _download(row: rx.Var) -> rx.Component:
    """A plain link to the signed URL (a full request to our route, not a client-side page change)."""
    return rx.cond(
        row["link"] != "",
        rx.link(
            rx.icon("download", size=16, aria_hidden="true"),
            text("export.download"),
            href=row["link"],
            aria_label=row["label"],
            reload_document=True,  # the browser fetches our route itself (a file, not a page)
            high_contrast=True,
            _hover={"color": "var(--gray-12)", "text_decoration": "underline"},  # the default hover is too light
            class_name="download-link",
        ),
        rx.cond(row["status"] == "failed", rx.text(text("export.failed_message"), size="1", color_scheme="red")),
    )


COLUMNS = (
    Column("export.col.requested_at", lambda r: r["requested_at"], names_row=True, nowrap=True),
    Column("export.col.as_of", lambda r: r["as_of"], nowrap=True),
    Column("export.col.by", lambda r: r["by"]),
    Column("export.col.rows", lambda r: r["rows"], right=True),
    Column("export.col.state", lambda r: _status(r["status"])),
    Column("export.col.file", _download),
)


def _card(row: rx.Var) -> rx.Component:
    """The same history entry as a card, for narrow screens (a six-column table does not fit a phone)."""
    return rx.el.li(
        rx.card(
            rx.flex(
                rx.text(SessionState.t["export.col.as_of"] + ": ", rx.el.strong(row["as_of"])),
                _status(row["status"]),
                justify="between",
                align="center",
                gap="2",
            ),
            rx.text(
                SessionState.t["export.col.requested_at"] + ": " + row["requested_at"].to(str),
                size="2",
                color_scheme="gray",
            ),
            rx.text(row["by"], size="2", color_scheme="gray"),
            rx.box(_download(row), margin_top="0.5rem"),
            size="1",
        ),
        list_style="none",
    )


def _form() -> rx.Component:
    error = E.error
    return rx.form(
        rx.flex(
            scheme_choice(
                "export.scheme",
                "export-scheme",
                E.schemes,
                E.scheme_id,
                E.set_scheme,
                wide=True,
                class_name="field",
                max_width="100%",
            ),
            rx.box(
                rx.el.label(text("export.as_of"), html_for="export-as-of", class_name="field-label"),
                rx.input(
                    id="export-as-of",
                    name="as_of",
                    type="date",
                    default_value=E.as_of,
                    key=E.as_of,  # a new default (after loading) replaces the field
                    aria_invalid=rx.cond(error != "", "true", "false"),
                    aria_describedby="export-as-of-hint export-as-of-error",
                    size="3",
                    width="12rem",
                ),
                rx.text(text("export.as_of_hint"), id="export-as-of-hint", size="1", color_scheme="gray"),
                class_name="field",
            ),
            rx.box(
                rx.button(
                    rx.icon("file-spreadsheet", size=16, aria_hidden="true"),
                    text("export.generate"),
                    type="submit",
                    size="3",
                    disabled=E.scheme_id == "",
                    id="export-generate",
                ),
                padding_top=rx.breakpoints(initial="0", sm="1.65rem"),  # level with the fields beside it
            ),
            spacing="4",
            align="start",
            wrap="wrap",
            class_name="toolbar",
        ),
        rx.text(error, id="export-as-of-error", role="alert", color_scheme="red", size="2", class_name="field-error"),
        on_submit=E.generate,
        reset_on_submit=False,
        id="export-form",
        margin_bottom="1rem",
    )


def _history() -> rx.Component:
    return titled_section(
        "export.history",
        "export-history-title",
        data_table(
            COLUMNS,
            E.rows,
            name="export.history",
            table_id="export-history",
            variant="surface",
            busy=E.pending,
            card=_card,
            wide="sm",
            on_unmount=E.stop_watch,
        ),
        none_yet("export.none", E.loaded & (E.rows.length() == 0)),
    )


def export_page(shell: Shell = employer_shell) -> rx.Component:
    return shell(
        "menu.export",
        rx.text(text("export.intro"), color_scheme="gray", margin_bottom="1rem", max_width="48rem"),
        rx.cond(
            E.loaded & (E.schemes.length() == 0),
            notice(text("export.no_schemes")),
            rx.fragment(
                _form(),
                rx.cond(
                    E.notice != "",
                    rx.callout(E.notice, icon="info", role="status", high_contrast=True, margin_bottom="1rem"),
                ),
                _history(),
            ),
        ),
    )
