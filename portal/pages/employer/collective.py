"""Collective changes page (BULK): tabs per kind, download → upload → check → apply, with progress."""

from __future__ import annotations

import reflex as rx

from portal.components.dialogs import confirm_dialog
from portal.components.fields import scheme_choice, text
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, data_table
from portal.state.acting import ActingState
from portal.state.auth import SessionState
from portal.state.employer.collective import FILE_INPUT_ID
from portal.state.employer.collective import CollectiveState as C

STATUS_COLOURS = (
    ("validating", "blue"),
    ("rejected", "red"),
    ("ready", "amber"),
    ("queued", "blue"),
    ("processing", "blue"),
    ("processed", "green"),
    ("failed", "red"),
    ("discarded", "gray"),
)


def batch_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    """A batch status in words and colour."""
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLOURS, "gray"), variant="soft", high_contrast=True)


def _error(name: str) -> rx.Component:
    return rx.text(
        C.errors.get(name, ""),
        id=f"bulk-{name}-error",
        role="alert",
        color_scheme="red",
        size="2",
        class_name="field-error",
    )


def _scheme_select() -> rx.Component:
    return scheme_choice("bulk.scheme", "bulk-scheme", C.schemes, C.scheme_id, C.set_scheme, margin_bottom="1rem")


def _effective_field() -> rx.Component:
    return rx.box(
        rx.el.label(text("bulk.effective"), html_for="bulk-effective", class_name="field-label"),
        rx.input(
            id="bulk-effective",
            name="effective",
            type="date",
            value=C.effective,
            on_change=C.set_effective,
            aria_describedby="bulk-effective-hint bulk-effective-error",
            aria_invalid=rx.cond(C.errors.contains("effective"), "true", "false"),
            size="3",
            max_width="16rem",
        ),
        rx.text(text("bulk.effective_hint"), id="bulk-effective-hint", size="2", color_scheme="gray"),
        _error("effective"),
        class_name="field",
    )


def _upload_block() -> rx.Component:
    """Step 3: a labelled file input; the button has the browser post the file to our own upload route."""
    return rx.box(
        rx.text(text("bulk.step3"), weight="medium", margin_bottom="0.5rem"),
        rx.el.label(text("bulk.file"), html_for=FILE_INPUT_ID, class_name="field-label"),
        rx.el.input(
            id=FILE_INPUT_ID,
            name="file",
            type="file",
            # no type filter in the browser: any file reaches the server, which names what is wrong with it
            aria_describedby="bulk-file-error",
            aria_invalid=rx.cond(C.errors.contains("file"), "true", "false"),
            class_name="dropzone",
            width="100%",
        ),
        _error("file"),
        rx.button(
            text("bulk.upload"),
            on_click=C.upload_file,
            loading=C.busy,
            size="3",
            margin_top="0.75rem",
        ),
        margin_top="1.25rem",
    )


def _download_button(label_key: str) -> rx.Component:
    return rx.button(
        rx.icon("download", size=16, aria_hidden="true"),
        text(label_key),
        on_click=C.download,
        variant="soft",
        size="3",
    )


def _salary_tab() -> rx.Component:
    return rx.box(
        rx.text(text("bulk.step1_salary"), weight="medium", margin_bottom="0.5rem"),
        rx.flex(_effective_field(), rx.box(_download_button("bulk.download")), spacing="4", align="end", wrap="wrap"),
        rx.text(text("bulk.step2_salary"), weight="medium", margin_top="1.25rem"),
        _upload_block(),
    )


def _new_tab() -> rx.Component:
    return rx.box(
        rx.text(text("bulk.step1_new"), weight="medium", margin_bottom="0.75rem"),
        _download_button("bulk.download_template"),
        _upload_block(),
    )


def _email_tab() -> rx.Component:
    return rx.box(
        rx.text(text("bulk.step1_email"), weight="medium", margin_bottom="0.75rem"),
        _download_button("bulk.download"),
        _upload_block(),
    )


SAMPLE = (
    Column("bulk.col.number", lambda r: r["number"]),
    Column("bulk.col.name", lambda r: r["name"], names_row=True),
    Column("bulk.col.old", lambda r: r["old"], right=True),
    Column("bulk.col.new", lambda r: r["new"], right=True),
    Column("bulk.col.premium_old", lambda r: r["premium_old"], right=True),
    Column("bulk.col.premium_new", lambda r: r["premium_new"], right=True),
)


def _raise_tab() -> rx.Component:
    return rx.box(
        rx.form(
            rx.flex(
                _effective_field(),
                rx.box(
                    rx.el.label(text("bulk.percentage"), html_for="bulk-percentage", class_name="field-label"),
                    rx.input(
                        id="bulk-percentage",
                        name="percentage",
                        input_mode="decimal",
                        aria_describedby="bulk-percentage-hint bulk-percentage-error",
                        aria_invalid=rx.cond(C.errors.contains("percentage"), "true", "false"),
                        size="3",
                        max_width="10rem",
                    ),
                    rx.text(text("bulk.percentage_hint"), id="bulk-percentage-hint", size="2", color_scheme="gray"),
                    _error("percentage"),
                    class_name="field",
                ),
                rx.box(rx.button(text("bulk.preview"), type="submit", variant="soft", size="3")),
                spacing="4",
                align="end",
                wrap="wrap",
            ),
            on_submit=C.preview_raise,
        ),
        rx.cond(
            C.preview.contains("summary"),
            rx.box(
                rx.callout(C.preview["summary"], icon="info", margin_top="1rem"),
                rx.heading(text("bulk.raise_sample"), size="3", margin_top="1rem", as_="h3"),
                data_table(SAMPLE, C.sample, name="bulk.raise_sample", table_id="raise-sample", variant="surface"),
                rx.button(text("bulk.raise_submit"), on_click=C.submit_raise, size="3", margin_top="1rem"),
            ),
        ),
    )


def _batch_panel() -> rx.Component:
    return rx.cond(
        C.batch.contains("id"),
        rx.card(
            rx.flex(
                rx.heading(text("bulk.current"), size="4", as_="h2"),
                batch_badge(C.batch["status"], C.batch["status_label"]),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.text(
                C.batch["kind"],
                rx.cond(C.batch["file_name"] != "", " · " + C.batch["file_name"].to(str), ""),
                " · ",
                C.batch["uploaded"],
                " · ",
                C.batch["by"],
                size="2",
                color_scheme="gray",
                margin_top="0.25rem",
            ),
            rx.text(C.batch["text"], margin_top="0.75rem", id="batch-text"),
            rx.cond(
                C.running,
                rx.box(
                    rx.el.label(text("bulk.progress"), html_for="batch-progress", class_name="field-label"),
                    rx.progress(
                        value=C.progress_pct, max=100, id="batch-progress", aria_label=SessionState.t["bulk.progress"]
                    ),
                    margin_top="0.75rem",
                ),
            ),
            rx.flex(
                rx.cond(C.batch["status"] == "ready", rx.button(text("bulk.apply"), on_click=C.apply, size="3")),
                rx.cond(
                    C.discardable,
                    rx.button(
                        text("bulk.discard"), on_click=C.ask_discard, variant="soft", color_scheme="red", size="3"
                    ),
                ),
                spacing="3",
                wrap="wrap",
                margin_top="0.75rem",
            ),
            _error("apply"),
            rx.cond(
                C.issues.length() > 0,
                rx.el.ul(
                    rx.foreach(C.issues, lambda i: rx.el.li(i)),
                    id="batch-issues",
                    class_name="issue-list",
                    aria_label="report",
                ),
            ),
            rx.cond(
                C.batch["report"] != "",
                rx.link(
                    rx.icon("file-spreadsheet", size=16, aria_hidden="true"),
                    text("bulk.report_download"),
                    href=C.batch["report"],
                    reload_document=True,
                    margin_top="0.5rem",
                    display="inline-flex",
                    gap="0.35rem",
                ),
            ),
            rx.link(
                text("bulk.to_changes"),
                href=ActingState.base + "/changes?view=collective",
                display="block",
                margin_top="0.75rem",
            ),
            margin_top="1.5rem",
            id="batch-panel",
        ),
    )


def discard_dialog(is_open: rx.Var, file_name: rx.Var, on_confirm, on_close, on_open_change) -> rx.Component:
    """Confirm discarding a checked batch (shared by the collective page and the submitted changes)."""
    return confirm_dialog(
        title=text("bulk.discard_title"),
        description=text("bulk.discard_text"),
        details=rx.cond(file_name.to(str) != "", rx.text(file_name, weight="medium", size="2", margin_top="0.5rem")),
        cancel=text("bulk.discard_cancel"),
        confirm=text("bulk.discard"),
        on_confirm=on_confirm,
        on_cancel=on_close,
        is_open=is_open,
        on_open_change=on_open_change,
    )


def collective_page(shell: Shell = employer_shell) -> rx.Component:
    return shell(
        "bulk.title",
        rx.cond(
            C.denied,
            rx.callout(text("bulk.no_rights"), icon="info", color_scheme="amber"),
            rx.box(
                rx.text(text("bulk.intro"), color_scheme="gray", margin_bottom="1rem"),
                _scheme_select(),
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger(text("bulk.tab.salary"), value="salary"),
                        rx.tabs.trigger(text("bulk.tab.new"), value="new"),
                        rx.tabs.trigger(text("bulk.tab.email"), value="email"),
                        rx.tabs.trigger(text("bulk.tab.raise"), value="raise"),
                        wrap="wrap",
                    ),
                    rx.tabs.content(_salary_tab(), value="salary", padding_top="1rem"),
                    rx.tabs.content(_new_tab(), value="new", padding_top="1rem"),
                    rx.tabs.content(_email_tab(), value="email", padding_top="1rem"),
                    rx.tabs.content(_raise_tab(), value="raise", padding_top="1rem"),
                    value=C.tab,
                    on_change=C.set_tab,
                ),
                _batch_panel(),
                discard_dialog(C.discard_open, C.batch["file_name"], C.discard, C.close_discard, C.discard_open_change),
            ),
        ),
    )
