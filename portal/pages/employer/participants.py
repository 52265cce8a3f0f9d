"""Participant overview page (EMP-2): scheme choice, search, status filter, sortable columns, paging."""

from __future__ import annotations

import reflex as rx
from reflex_components_core.react_router.dom import ReactRouterLink

from portal.components.fields import scheme_choice, text
from portal.components.shell import employer_shell
from portal.state.auth import SessionState
from portal.state.employer.participants import SORTABLE
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


# The column headers are plain table elements with Radix Themes' class names too (what rx.table.column_header_cell
# and a ghost rx.button render), drawn by one foreach: a sort re-renders them all, and 24 Radix components (cell,
# button and two icon switches per column) cost more than the header is worth. The arrow is Lucide's arrow-up,
# arrow-down or arrow-up-down drawn as one SVG whose paths follow the sort ("M0 0" draws nothing).
SORT_COLUMNS = [[c, "col-right" if c in ("salary", "parttime") else "col-left"] for c in SORTABLE]
_UP = ("m5 12 7-7 7 7", "M12 19V5", "M0 0", "M0 0")
_DOWN = ("M12 5v14", "m19 12-7 7-7-7", "M0 0", "M0 0")
_UP_DOWN = ("m21 16-4 4-4-4", "M17 20V4", "m3 8 4-4 4 4", "M7 4v16")
_SORT_BUTTON = "rt-reset rt-BaseButton rt-r-size-2 rt-variant-ghost rt-high-contrast rt-Button sort-button"


def _sort_header(col: rx.Var) -> rx.Component:
    column = col[0].to(str)
    active = O.sort == column
    asc = O.direction == "asc"
    arrow = rx.el.svg(
        *(rx.el.svg.path(d=rx.cond(active, rx.cond(asc, _UP[i], _DOWN[i]), _UP_DOWN[i])) for i in range(4)),
        xmlns="http://www.w3.org/2000/svg",
        width="14",
        height="14",
        view_box="0 0 24 24",
        class_name=rx.cond(active, "lucide sort-arrow", "lucide sort-arrow sort-arrow-idle"),
        aria_hidden="true",
    )
    return rx.el.th(
        rx.el.button(
            SessionState.t["part.col." + column],
            arrow,
            id="sort-" + column,
            on_click=S.sort_by(column),
            data_accent_color="gray",
            class_name=_SORT_BUTTON,
        ),
        scope="col",
        aria_sort=rx.cond(active, rx.cond(asc, "ascending", "descending"), "none"),
        class_name="rt-TableCell rt-TableColumnHeaderCell " + col[1].to(str),
    )


# The rows are plain table elements carrying Radix Themes' own class names (the markup rx.table.row /
# rx.table.cell / rx.badge render), and the detail link is React Router's Link without the Radix Link
# wrapper: 25 rows re-render on every page turn, sort or filter, and a component per cell, badge, icon
# and link (with per-cell emotion styles) cost more time in the browser than the server took for the query.
_EYE = "M2.062 12.348a1 1 0 0 1 0-.696 10.75 10.75 0 0 1 19.876 0 1 1 0 0 1 0 .696 10.75 10.75 0 0 1-19.876 0"
_CELL = "rt-TableCell"
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


def _row(row: rx.Var) -> rx.Component:
    status = row[STATUS].to(str)
    href = "/employer/participants/" + row[NUMBER].to(str) + "?scheme=" + S.scheme_id
    return rx.el.tr(
        rx.el.td(row[NUMBER], class_name=_CELL),
        rx.el.th(row[NAME], scope="row", class_name=f"{_CELL} rt-TableRowHeaderCell"),
        rx.el.td(row[DATE_IN_SERVICE], class_name=_CELL),
        rx.el.td(row[SALARY], class_name=f"{_CELL} cell-amount"),
        rx.el.td(row[PARTTIME], class_name=f"{_CELL} cell-number"),
        rx.el.td(
            rx.el.span(
                SessionState.t["status." + status],
                data_accent_color=rx.match(status, *STATUS_COLOURS, "gray"),
                class_name=_BADGE,
            ),
            class_name=_CELL,
        ),
        rx.el.td(
            ReactRouterLink.create(
                _eye_icon(),
                rx.el.span(text("part.view") + " " + row[NAME], class_name="sr-only"),
                to=href,
                class_name="rt-Text rt-reset rt-Link rt-underline-auto row-link",
                data_accent_color="",
            ),
            class_name=_CELL,
        ),
        class_name="rt-TableRow",
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


def _pager() -> rx.Component:
    return rx.flex(
        rx.text(
            SessionState.t["part.range"]
            .to(str)
            .replace("{first}", R.first_row.to(str))
            .replace("{last}", R.last_row.to(str))
            .replace("{total}", R.total.to(str)),
            id="participant-range",
            aria_live="polite",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16, aria_hidden="true"),
            text("part.previous"),
            variant="soft",
            disabled=R.page <= 1,
            on_click=S.previous_page,
        ),
        rx.text(
            SessionState.t["part.page_of"]
            .to(str)
            .replace("{page}", R.page.to(str))
            .replace("{pages}", R.pages.to(str)),
            id="participant-page",
        ),
        rx.button(
            text("part.next"),
            rx.icon("chevron-right", size=16, aria_hidden="true"),
            variant="soft",
            disabled=R.page >= R.pages,
            on_click=S.next_page,
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        margin_top="1rem",
    )


def participants_page() -> rx.Component:
    return employer_shell(
        "menu.participants",
        _toolbar(),
        _as_of_note(),
        rx.box(
            rx.table.root(
                rx.el.caption(text("part.caption"), class_name="sr-only"),
                rx.table.header(
                    rx.table.row(
                        rx.foreach(SORT_COLUMNS, _sort_header),
                        rx.table.column_header_cell(text("part.col.actions")),
                    )
                ),
                rx.table.body(rx.foreach(R.rows, _row)),
                width="100%",
                id="participants",
                variant="surface",
            ),
            overflow_x="auto",
            on_unmount=S.stop_watch,
        ),
        rx.cond(R.total == 0, rx.text(text("part.none"), margin_top="1rem")),
        _pager(),
    )
