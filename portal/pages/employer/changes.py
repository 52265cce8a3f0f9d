"""Submitted changes page (EMP-6): status in words and colour, filter, paging; history via the detail."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, data_table
from portal.pages.employer.collective import batch_badge, discard_dialog
from portal.pages.employer.detail import mstatus_badge
from portal.state.acting import ActingState
from portal.state.auth import SessionState
from portal.state.employer.changes import ChangesState as C


def _batch_actions(b: rx.Var) -> rx.Component:
    return rx.cond(
        b["discardable"] != "",
        rx.button(
            text("bulk.discard"),
            aria_label=b["discard_label"],
            on_click=C.ask_discard(b["id"]),
            variant="soft",
            color_scheme="red",
            size="1",
        ),
    )


INDIVIDUAL = (
    Column(
        "part.col.number",
        lambda r: rx.cond(r["href"] != "", rx.link(r["number"], href=ActingState.base + r["href"]), r["number"]),
    ),
    Column("part.col.name", lambda r: r["name"], names_row=True),
    Column("detail.col.kind", lambda r: r["kind"]),
    Column("detail.col.effective", lambda r: r["effective"]),
    Column("detail.col.requested", lambda r: r["requested"]),
    Column("detail.col.by", lambda r: r["by"]),
    Column(
        "detail.col.status",
        lambda r: (
            mstatus_badge(r["status"]),
            rx.cond(r["reason"] != "", rx.text(r["reason"], size="1", color_scheme="gray")),
        ),
    ),
)

COLLECTIVE = (
    Column("changes.col.file", lambda b: b["file"], names_row=True),
    Column("changes.col.kind", lambda b: b["kind"]),
    Column("changes.col.uploaded_at", lambda b: b["at"]),
    Column("changes.col.uploaded_by", lambda b: b["by"]),
    Column("changes.col.rows", lambda b: b["rows"], right=True),
    Column("changes.col.counts", lambda b: b["counts"], right=True),
    Column(
        "detail.col.status",
        lambda b: (
            batch_badge(b["status"], b["status_label"]),
            rx.cond(b["message"] != "", rx.text(b["message"], size="1", color_scheme="gray")),
        ),
    ),
    Column(
        "changes.col.report",
        lambda b: rx.cond(
            b["report"] != "", rx.link(text("changes.col.report"), href=b["report"], reload_document=True), "—"
        ),
    ),
    Column("changes.col.actions", _batch_actions),
)


def _collective() -> rx.Component:
    return rx.box(
        data_table(COLLECTIVE, C.batches, name="changes.collective", table_id="batches", variant="surface"),
        rx.text(C.batch_message, role="alert", color_scheme="red", size="2", id="batches-message"),
        rx.cond(C.batches.length() == 0, rx.text(text("changes.no_batches"), margin_top="1rem")),
        discard_dialog(C.discard_open, C.discard_file, C.discard, C.close_discard, C.discard_open_change),
    )


def changes_page(shell: Shell = employer_shell) -> rx.Component:
    return shell(
        "menu.changes",
        rx.text(text("changes.intro"), color_scheme="gray", margin_bottom="1rem"),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(text("changes.individual"), value="individual"),
                rx.tabs.trigger(text("changes.collective"), value="collective"),
            ),
            rx.tabs.content(_individual(), value="individual", padding_top="1rem"),
            rx.tabs.content(_collective(), value="collective", padding_top="1rem"),
            value=C.view,
            on_change=C.set_view,
        ),
    )


def _individual() -> rx.Component:
    return rx.box(
        rx.flex(
            rx.cond(
                C.employers.length() > 1,
                rx.box(
                    rx.el.label(text("home.company"), html_for="changes-employer", class_name="field-label"),
                    rx.el.select(
                        rx.foreach(C.employers, lambda e: rx.el.option(e["name"], value=e["id"])),
                        id="changes-employer",
                        value=C.employer_id,
                        on_change=C.set_employer,
                        class_name="native-select",
                    ),
                ),
            ),
            rx.box(
                rx.el.label(text("part.status_filter"), html_for="changes-status", class_name="field-label"),
                rx.el.select(
                    rx.el.option(text("status.all"), value=""),
                    *[
                        rx.el.option(text(f"mutation.status.{s}"), value=s)
                        for s in ("submitted", "needs_review", "processed", "rejected")
                    ],
                    id="changes-status",
                    value=C.status,
                    on_change=C.set_status,
                    class_name="native-select",
                ),
            ),
            spacing="4",
            margin_bottom="1rem",
            class_name="toolbar",
        ),
        data_table(INDIVIDUAL, C.rows, name="menu.changes", table_id="changes", variant="surface"),
        rx.cond(C.total == 0, rx.text(text("changes.none"), margin_top="1rem")),
        rx.flex(
            rx.button(text("part.previous"), variant="soft", disabled=C.page <= 1, on_click=C.previous_page),
            rx.text(
                SessionState.t["part.page_of"]
                .to(str)
                .replace("{page}", C.page.to(str))
                .replace("{pages}", C.pages.to(str))
            ),
            rx.button(text("part.next"), variant="soft", disabled=C.page >= C.pages, on_click=C.next_page),
            spacing="3",
            align="center",
            justify="end",
            margin_top="1rem",
        ),
    )
