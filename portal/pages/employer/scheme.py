"""Scheme page (EMP-7): choose a scheme, see its data, coverage and yearly parameters. Read only for the employer;
an adviser (acting for the employer) switches auto-enrolment of new employees on or off here (INT-4)."""

from __future__ import annotations

import reflex as rx

from portal.components.charts import chart_grid
from portal.components.fields import text
from portal.components.shell import Shell, employer_shell
from portal.components.statements import generate_block
from portal.components.table import Column, ColumnPerItem, data_table
from portal.state.auth import SessionState
from portal.state.employer.charts import ChartsState
from portal.state.employer.scheme import SchemeState


def _fact(label_key: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(text(label_key), min_width="12rem"),
        rx.data_list.value(value),
    )


def _selector() -> rx.Component:
    return rx.box(
        rx.el.label(text("scheme.choose"), html_for="scheme-select", class_name="field-label"),
        rx.select.root(
            rx.select.trigger(id="scheme-select", width="100%", max_width="36rem"),
            rx.select.content(
                rx.foreach(SchemeState.options, lambda o: rx.select.item(o[1], value=o[0])),
            ),
            value=SchemeState.scheme_id,
            on_change=SchemeState.choose,
            size="3",
        ),
        margin_bottom="1.25rem",
    )


def _section(title_key: str, *children: rx.Component, **props) -> rx.Component:
    return rx.el.section(
        rx.heading(text(title_key), as_="h2", size="4", margin_bottom="0.75rem"),
        *children,
        margin_bottom="1.75rem",
        **props,
    )


def _details() -> rx.Component:
    f = SchemeState.facts
    return _section(
        "scheme.details",
        rx.card(
            rx.data_list.root(
                _fact("scheme.kind", SessionState.t["scheme.kind." + f["kind"].to(str)].to(str) | f["kind"]),
                _fact("scheme.name", f["name"]),
                _fact("scheme.contract_number", f["contract_number"]),
                _fact("scheme.scheme_number", f["scheme_number"]),
                _fact("scheme.insurer", f["insurer"]),
                _fact("scheme.start_date", f["start_date"]),
                rx.cond(f["end_date"] != "", _fact("scheme.end_date", f["end_date"])),
                _fact("scheme.active", f["active"]),
                _fact("scheme.dormant", f["dormant"]),
                _fact("scheme.auto_enrol", f["auto_enrol"]),
                size="2",
            ),
            size="2",
        ),
        id="scheme-details",
    )


def _outcome(message: rx.Var, icon: str, color: str, role: str) -> rx.Component:
    """What saving the setting came to (shown only when there is something to say)."""
    callout = rx.callout(message, icon=icon, color_scheme=color, role=role, size="1", margin_top="0.75rem")
    return rx.cond(message != "", callout)


def _settings() -> rx.Component:
    """The adviser's editor of auto-enrolment (the readiness check of a coupling links here)."""
    return _section(
        "scheme.settings",
        rx.card(
            rx.text(text("scheme.settings_intro"), size="2", color_scheme="gray", margin_bottom="0.75rem"),
            rx.flex(
                rx.checkbox(
                    id="auto-enrol",
                    checked=SchemeState.auto_enrol,
                    on_change=SchemeState.save_auto_enrol,
                    size="3",
                ),
                rx.el.label(text("scheme.auto_enrol"), html_for="auto-enrol", class_name="field-label"),
                spacing="2",
                align="center",
            ),
            _outcome(SchemeState.settings_message, "check", "green", "status"),
            _outcome(SchemeState.settings_error, "triangle_alert", "red", "alert"),
            size="2",
        ),
        id="scheme-settings",
    )


def _coverage() -> rx.Component:
    kind = SchemeState.facts["kind"].to(str)
    return _section(
        "scheme.coverage",
        rx.text(SessionState.t["scheme.coverage." + kind].to(str) | text("scheme.coverage.other")),
        rx.cond(SchemeState.mode_key != "", rx.text(SessionState.t[SchemeState.mode_key], margin_top="0.5rem")),
        rx.text(text("scheme.basis"), color_scheme="gray", size="2", margin_top="0.5rem"),
        id="scheme-coverage",
    )


YEARS = (
    Column("scheme.year", lambda r: r["year"], names_row=True),
    Column("scheme.max_salary", lambda r: r["max_salary"], right=True),
    Column("scheme.franchise", lambda r: r["franchise"], right=True),
    Column("scheme.premium_mode", lambda r: SessionState.t["scheme.mode_short." + r["mode"].to(str)]),
    Column("scheme.flat_percentage", lambda r: r["flat"], right=True),
    Column("scheme.accrual", lambda r: r["accrual"], right=True, shown=SchemeState.facts["kind"] == "NP"),
)
BANDS = (
    Column("scheme.age", lambda r: r[0], names_row=True),
    ColumnPerItem(SchemeState.band_years, lambda r: r[1:], right=True),
)


def _years() -> rx.Component:
    return _section(
        "scheme.parameters",
        data_table(YEARS, SchemeState.years, name="scheme.parameters", table_id="scheme-years", variant="surface"),
    )


def _bands() -> rx.Component:
    return _section(
        "scheme.bands",
        rx.text(text("scheme.bands_intro"), size="2", color_scheme="gray", margin_bottom="0.5rem"),
        data_table(
            BANDS,
            SchemeState.band_rows,
            name="scheme.bands",
            table_id="scheme-bands",
            size="1",
            variant="surface",
            max_width="40rem",
        ),
    )


def scheme_page(shell: Shell = employer_shell) -> rx.Component:
    """/employer/scheme"""
    return shell(
        "menu.scheme",
        rx.callout(
            text("scheme.no_changes"),
            icon="info",
            color_scheme="blue",
            high_contrast=True,
            margin_bottom="1.25rem",
            id="scheme-no-changes",
        ),
        rx.cond(
            SchemeState.loaded,
            rx.box(
                rx.cond(SchemeState.options.length() > 1, _selector()),
                rx.grid(_details(), _coverage(), columns={"initial": "1", "lg": "2"}, spacing="5"),
                rx.cond(SchemeState.may_change, _settings()),
                rx.cond(SchemeState.years.length() > 0, _years(), rx.text(text("scheme.no_parameters"))),
                rx.cond(SchemeState.band_rows.length() > 0, _bands()),
                generate_block(),  # DOC-3
                chart_grid(ChartsState, text("chart.section")),  # EMP-11
                max_width="64rem",
            ),
            rx.text(text("scheme.none")),
        ),
    )
