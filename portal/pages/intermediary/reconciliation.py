"""Reconciliation with the insurer (INT-7): employer, scheme, as-of date and tolerances, the insurer's list
(xlsx or csv), then the report: totals per kind, the differences (a task from each), the xlsx download. Every
field has a visible label."""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.components.fields import job_progress, text
from portal.components.shell import intermediary_shell
from portal.components.table import Column, data_table, none_yet
from portal.domain.reconciliation import KINDS
from portal.state.auth import SessionState
from portal.state.intermediary.reconciliation import FILE_INPUT_ID
from portal.state.intermediary.reconciliation import ReconciliationState as R


def _error(name: str, fid: str) -> rx.Component:
    return rx.text(
        R.errors.get(name, ""), id=f"{fid}-error", role="alert", color_scheme="red", size="2", class_name="field-error"
    )


def _choice(key: str, fid: str, options: rx.Var, value: rx.Var, on_change: Any) -> rx.Component:
    return rx.box(
        rx.el.label(text(key), html_for=fid, class_name="field-label"),
        rx.el.select(
            rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["id"])),
            id=fid,
            value=value,
            on_change=on_change,
            class_name="native-select",
            max_width="28rem",
            width="100%",
        ),
        class_name="field",
    )


def _input(key: str, fid: str, value: rx.Var, on_change: Any, error: str, **props: Any) -> rx.Component:
    return rx.box(
        rx.el.label(text(key), html_for=fid, class_name="field-label"),
        rx.input(
            id=fid,
            value=value,
            on_change=on_change,
            aria_invalid=rx.cond(R.errors.get(error, "") != "", "true", "false"),
            aria_describedby=f"{fid}-error",
            size="3",
            **props,
        ),
        _error(error, fid),
        class_name="field",
    )


def _form() -> rx.Component:
    return rx.flex(
        rx.text(text("reconciliation.intro"), size="2"),
        rx.flex(
            _choice("reconciliation.employer", "recon-employer", R.employers, R.employer_id, R.set_employer),
            _choice("reconciliation.scheme", "recon-scheme", R.scheme_options, R.scheme_id, R.set_scheme),
            spacing="4",
            wrap="wrap",
        ),
        rx.flex(
            _input("reconciliation.as_of", "recon-as-of", R.as_of, R.set_as_of, "as_of", type="date", width="12rem"),
            _input("reconciliation.money_tolerance", "recon-money", R.money, R.set_money, "tolerance", width="9rem"),
            _input(
                "reconciliation.parttime_tolerance",
                "recon-parttime",
                R.parttime,
                R.set_parttime,
                "tolerance_pt",
                width="9rem",
            ),
            spacing="4",
            wrap="wrap",
        ),
        rx.box(
            rx.el.label(text("reconciliation.file"), html_for=FILE_INPUT_ID, class_name="field-label"),
            rx.el.input(
                id=FILE_INPUT_ID,
                type="file",
                accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                aria_describedby=f"{FILE_INPUT_ID}-error",
            ),
            _error("file", FILE_INPUT_ID),
            class_name="field",
        ),
        rx.box(
            rx.button(
                rx.icon("git-compare", size=16, aria_hidden="true"),
                text("reconciliation.compare"),
                on_click=R.upload_file,
                loading=R.busy | R.running,
                disabled=(R.scheme_id == "") | R.running,
                size="3",
            )
        ),
        _fetch(),
        _progress(),
        direction="column",
        spacing="4",
    )


def _fetch() -> rx.Component:
    """For a scheme coupled with an insurer that has an adapter: compare with the insurer's own records."""
    return rx.cond(
        R.fetch_insurer != "",
        rx.box(
            rx.text(text("reconciliation.fetch_intro"), " ", rx.el.strong(R.fetch_insurer), size="2"),
            rx.button(
                rx.icon("cloud-download", size=16, aria_hidden="true"),
                text("reconciliation.fetch"),
                on_click=R.fetch_records,
                loading=R.running,
                disabled=R.running,
                aria_describedby="recon-fetch-error",
                variant="outline",
                size="3",
                margin_top="0.5rem",
            ),
            _error("fetch", "recon-fetch"),
        ),
    )


def _progress() -> rx.Component:
    return job_progress(R.running, R.progress_pct, R.job, "reconciliation.progress", "recon-progress")


def _task_cell(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["task"] != "",
        rx.link(text("reconciliation.task_made"), href="/intermediary/tasks", high_contrast=True),
        rx.button(
            text("reconciliation.make_task"),
            on_click=R.make_task(row["id"]),
            aria_label=row["label"],
            size="1",
            variant="soft",
        ),
    )


COLUMNS = (
    Column("reconciliation.col.kind", lambda r: r["kind"]),
    Column("reconciliation.col.number", lambda r: r["number"], names_row=True, nowrap=True),
    Column("reconciliation.col.name", lambda r: r["name"]),
    Column("reconciliation.col.portal", lambda r: r["portal"], right=True, nowrap=True),
    Column("reconciliation.col.insurer", lambda r: r["insurer"], right=True, nowrap=True),
    Column("reconciliation.col.delta", lambda r: r["delta"], right=True, nowrap=True),
    Column("reconciliation.col.task", _task_cell),
)


def _totals() -> rx.Component:
    return rx.el.ul(
        rx.foreach(
            R.totals,
            lambda k: rx.el.li(
                rx.text(
                    k["label"], ": ", rx.el.strong(k["count"]), rx.cond(k["delta"] != "", " (" + k["delta"] + ")", "")
                ),
            ),
        ),
        aria_label=SessionState.t["reconciliation.report"],
        style={"padding_left": "1.2rem"},
    )


def _report() -> rx.Component:
    return rx.cond(
        R.report.get("link", "") != "",
        rx.el.section(
            rx.heading(text("reconciliation.report"), as_="h2", size="4", id="recon-report"),
            rx.text(R.report.get("summary", ""), size="2"),
            rx.text(R.report.get("premium", ""), size="2"),
            _totals(),
            rx.link(
                rx.icon("download", size=16, aria_hidden="true"),
                text("reconciliation.download"),
                href=R.report.get("link", ""),
                reload_document=True,
                high_contrast=True,
            ),
            rx.box(
                rx.el.label(text("reconciliation.filter"), html_for="recon-kind", class_name="field-label"),
                rx.el.select(
                    rx.el.option(text("reconciliation.all"), value=""),
                    *[rx.el.option(SessionState.t[f"reconciliation.kind.{k}"], value=k) for k in KINDS],
                    id="recon-kind",
                    value=R.kind,
                    on_change=R.set_kind,
                    class_name="native-select",
                ),
                class_name="field",
                margin_top="0.75rem",
            ),
            data_table(COLUMNS, R.rows, name=SessionState.t["reconciliation.report"], table_id="recon-table"),
            none_yet("reconciliation.none", R.rows.length() == 0),
            rx.flex(
                rx.button(text("reconciliation.previous"), on_click=R.page(-1), disabled=~R.has_previous, size="1"),
                rx.text(R.page_text, size="2"),
                rx.button(text("reconciliation.next"), on_click=R.page(1), disabled=~R.has_next, size="1"),
                spacing="3",
                align="center",
                margin_top="0.5rem",
            ),
            aria_labelledby="recon-report",
            margin_top="1.5rem",
        ),
    )


def reconciliation_page() -> rx.Component:
    return intermediary_shell("reconciliation.title", _form(), _report())
