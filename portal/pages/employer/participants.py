"""Participant overview page (EMP-2): scheme choice, search, status filter, sortable columns, paging."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import employer_shell
from portal.state.auth import SessionState
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


def _sort_header(column: str, align: str = "left") -> rx.Component:
    active = S.sort == column
    return rx.table.column_header_cell(
        rx.button(
            text(f"part.col.{column}"),
            rx.cond(
                active,
                rx.cond(
                    S.direction == "asc",
                    rx.icon("arrow-up", size=14, aria_hidden="true"),
                    rx.icon("arrow-down", size=14, aria_hidden="true"),
                ),
                rx.icon("arrow-up-down", size=14, aria_hidden="true", opacity="0.4"),
            ),
            variant="ghost",
            color_scheme="gray",
            high_contrast=True,
            margin="0",
            on_click=S.sort_by(column),
            id=f"sort-{column}",
        ),
        aria_sort=rx.cond(active, rx.cond(S.direction == "asc", "ascending", "descending"), "none"),
        text_align=align,
    )


def _row(row: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row["number"]),
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["date_in_service"]),
        rx.table.cell(row["salary"], text_align="right", white_space="nowrap"),
        rx.table.cell(row["parttime"], text_align="right"),
        rx.table.cell(status_badge(row["status"])),
        rx.table.cell(
            rx.link(
                rx.icon("eye", size=18, aria_hidden="true"),
                rx.el.span(text("part.view") + " " + row["name"], class_name="sr-only"),
                href=row["href"],
            )
        ),
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.cond(
            S.schemes.length() > 1,
            rx.box(
                rx.el.label(text("part.scheme"), html_for="scheme-select", class_name="field-label"),
                rx.el.select(
                    rx.foreach(S.schemes, lambda s: rx.el.option(s["label"], value=s["id"])),
                    id="scheme-select",
                    value=S.scheme_id,
                    on_change=S.set_scheme,
                    class_name="native-select",
                ),
            ),
        ),
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
            .replace("{first}", S.first_row.to(str))
            .replace("{last}", S.last_row.to(str))
            .replace("{total}", S.total.to(str)),
            id="participant-range",
            aria_live="polite",
        ),
        rx.spacer(),
        rx.button(
            rx.icon("chevron-left", size=16, aria_hidden="true"),
            text("part.previous"),
            variant="soft",
            disabled=S.page <= 1,
            on_click=S.previous_page,
        ),
        rx.text(
            SessionState.t["part.page_of"]
            .to(str)
            .replace("{page}", S.page.to(str))
            .replace("{pages}", S.pages.to(str)),
            id="participant-page",
        ),
        rx.button(
            text("part.next"),
            rx.icon("chevron-right", size=16, aria_hidden="true"),
            variant="soft",
            disabled=S.page >= S.pages,
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
        rx.box(
            rx.table.root(
                rx.el.caption(text("part.caption"), class_name="sr-only"),
                rx.table.header(
                    rx.table.row(
                        _sort_header("number"),
                        _sort_header("name"),
                        _sort_header("date_in_service"),
                        _sort_header("salary", "right"),
                        _sort_header("parttime", "right"),
                        _sort_header("status"),
                        rx.table.column_header_cell(text("part.col.actions")),
                    )
                ),
                rx.table.body(rx.foreach(S.rows, _row)),
                width="100%",
                id="participants",
                variant="surface",
            ),
            overflow_x="auto",
            on_unmount=S.stop_watch,
        ),
        rx.cond(S.total == 0, rx.text(text("part.none"), margin_top="1rem")),
        _pager(),
    )
