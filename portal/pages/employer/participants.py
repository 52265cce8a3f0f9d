"""Participant overview page (EMP-2): scheme choice, search, status filter, sortable columns, paging."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from portal.components.fields import scheme_choice, text
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, Sorting, data_table, pager
from portal.state.acting import ActingState
from portal.state.auth import SessionState
from portal.state.employer.participants import ParticipantOrderState as O
from portal.state.employer.participants import ParticipantRowsState as R
from portal.state.employer.participants import ParticipantsState as S

STATUS_COLOURS = (("active", "green"), ("dormant", "amber"), ("terminated", "gray"), ("retired", "blue"))


def status_badge(status: rx.Var) -> rx.Component:
    """A participant status in words and colour."""
    return rx.badge(
        SessionState.t["status." + status.to(str)],
        color_scheme=rx.match(status, *STATUS_COLOURS, "gray"),
        variant="soft",
        high_contrast=True,
    )


# The rows re-render on every page turn, sort or filter: the badge is a plain span with Radix Themes' badge
# classes, and the detail link is React Router's Link without the Radix Link wrapper (see components/table.py).
_EYE = "M2.062 12.348a1 1 0 0 1 0-.696 10.75 10.75 0 0 1 19.876 0 1 1 0 0 1 0 .696 10.75 10.75 0 0 1-19.876 0"
NUMBER, NAME, DATE_IN_SERVICE, SALARY, PARTTIME, STATUS = range(6)  # the fields of a row (see the state)
_BADGE = "rt-reset rt-Badge rt-r-size-1 rt-variant-soft rt-high-contrast"


def _eye_icon() -> rx.Component:
    """Lucide's "eye" as plain SVG (decorative); its stroke comes from portal.css (``.row-link .lucide-eye``)."""
    return rx.el.svg(
        rx.el.svg.path(d=_EYE),
        rx.el.svg.circle(cx="12", cy="12", r="3"),
        xmlns="http://www.w3.org/2000/svg",
        width="18",
        height="18",
        view_box="0 0 24 24",
        class_name="lucide lucide-eye",  # stroke and fill: portal.css (attributes, not a style object per row)
        aria_hidden="true",
    )


def _status(row: rx.Var) -> rx.Component:
    status = row[STATUS].to(str)
    return rx.el.span(
        SessionState.t["status." + status],
        data_accent_color=rx.match(status, *STATUS_COLOURS, "gray"),
        class_name=_BADGE,
    )


def _view_link(row: rx.Var) -> rx.Component:
    return ReactRouterLink.create(
        _eye_icon(),
        rx.el.span(text("part.view") + " " + row[NAME], class_name="sr-only"),
        to=ActingState.base + "/participants/" + row[NUMBER].to(str) + "?scheme=" + S.scheme_id,
        class_name="rt-Text rt-reset rt-Link rt-underline-auto row-link",
        data_accent_color="",
    )


# Every column but the last sorts, by the keys the state accepts (``SORTABLE``).
COLUMNS = (
    Column("part.col.number", lambda r: r[NUMBER], sort="number"),
    Column("part.col.name", lambda r: r[NAME], names_row=True, sort="name"),
    Column("part.col.date_in_service", lambda r: r[DATE_IN_SERVICE], sort="date_in_service"),
    Column("part.col.salary", lambda r: r[SALARY], right=True, nowrap=True, sort="salary"),
    Column("part.col.parttime", lambda r: r[PARTTIME], right=True, sort="parttime"),
    Column("part.col.status", _status, sort="status"),
    Column("part.col.actions", _view_link),
)


def _as_of_form() -> rx.Component:
    """The "as of" day (MUT-3): empty or today shows today; the server checks the day."""
    has_error = S.as_of_error != ""
    return rx.form(
        rx.el.label(text("part.as_of"), html_for="participant-as-of", class_name="field-label"),
        rx.hstack(
            rx.input(
                id="participant-as-of",
                name="as_of",
                type="date",
                default_value=S.as_of,
                key=S.as_of,  # a new day from the server replaces what the field shows
                aria_invalid=rx.cond(has_error, "true", "false"),
                aria_describedby="participant-as-of-error",
                size="2",
            ),
            rx.button(text("part.as_of_button"), type="submit", size="2", variant="soft"),
        ),
        rx.text(
            S.as_of_error,
            id="participant-as-of-error",
            role="alert",
            color_scheme="red",
            size="2",
            class_name="field-error",
        ),
        on_submit=S.apply_as_of,
        reset_on_submit=False,
        id="participant-as-of-form",
        width="auto",
    )


def _as_of_note() -> rx.Component:
    """Says plainly that the table shows another day than today."""
    return rx.cond(
        S.shown_day != "",
        rx.callout(
            SessionState.t["part.as_of_note"].to(str).replace("{day}", S.shown_day),
            icon="calendar",
            color_scheme="amber",
            role="status",
            id="participant-as-of-note",
            margin_bottom="1rem",
        ),
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        scheme_choice("part.scheme", "scheme-select", S.schemes, S.scheme_id, S.set_scheme),
        rx.form(
            rx.el.label(text("part.search"), html_for="participant-search", class_name="field-label"),
            rx.hstack(
                rx.input(
                    id="participant-search",
                    name="search",
                    type="search",
                    default_value=S.search,
                    max_length=100,
                    width="20rem",
                    size="2",
                ),
                rx.button(text("part.search_button"), type="submit", size="2"),
            ),
            on_submit=S.apply_search,
            reset_on_submit=False,
            id="participant-search-form",
            width="auto",
        ),
        _as_of_form(),
        rx.box(
            rx.el.label(text("part.status_filter"), html_for="status-filter", class_name="field-label"),
            rx.el.select(
                rx.el.option(text("status.all"), value=""),
                *[rx.el.option(text(f"status.{s}"), value=s) for s in ("active", "dormant", "terminated", "retired")],
                id="status-filter",
                value=S.status,
                on_change=S.set_status,
                class_name="native-select",
            ),
        ),
        rx.spacer(),
        rx.button(
            rx.icon("refresh-cw", size=16, aria_hidden="true"),
            text("part.refresh"),
            variant="soft",
            on_click=S.refresh,
            id="refresh",
        ),
        spacing="4",
        align="end",
        wrap="wrap",
        margin_bottom="1rem",
        width="100%",
        class_name="toolbar",
    )


def participants_page(shell: Shell = employer_shell) -> rx.Component:
    return shell(
        "menu.participants",
        _toolbar(),
        _as_of_note(),
        data_table(
            COLUMNS,
            R.rows,
            name="part.caption",
            table_id="participants",
            variant="surface",
            sorting=Sorting(O.sort, O.direction == "asc", S.sort_by),
            on_unmount=S.stop_watch,
        ),
        rx.cond(R.total == 0, rx.text(text("part.none"), margin_top="1rem")),
        pager(R, S.previous_page, S.next_page, messages="part", name="participant"),
    )
