"""The portfolio dashboard (/intermediary, INT-1): figure cards, the employer table with search, filters, sortable
headers and a pager, the charts, and the review queue. Wide screen first; on a phone the cards stack and the table
becomes a list of cards."""

from __future__ import annotations

import reflex as rx

from portal.components.charts import chart_grid
from portal.components.fields import text
from portal.components.shell import intermediary_shell
from portal.components.table import Column, Sorting, data_table, pager
from portal.pages.frontends import welcome
from portal.pages.intermediary.review import review_queue
from portal.state.auth import SessionState
from portal.state.intermediary.dashboard import (
    ACTIVE,
    ATTENTION,
    DORMANT,
    FAILED,
    GROUP,
    ID,
    KVK,
    NAME,
    OVERDUE,
    PREMIUM,
    REVIEWS,
    WAITING,
)
from portal.state.intermediary.dashboard import DashboardChartsState as C
from portal.state.intermediary.dashboard import DashboardFiguresState as F
from portal.state.intermediary.dashboard import DashboardOrderState as O
from portal.state.intermediary.dashboard import DashboardRowsState as R
from portal.state.intermediary.dashboard import DashboardState as S

_BADGE = "rt-reset rt-Badge rt-r-size-1 rt-variant-soft rt-high-contrast"


def _card(card: rx.Var) -> rx.Component:
    """One figure: its label above its value (a group of a description list)."""
    return rx.el.div(
        rx.el.dt(card[0], class_name="rt-Text rt-r-size-2", color="var(--gray-11)"),
        rx.el.dd(
            card[1],
            class_name="rt-Text rt-r-size-6 rt-r-weight-bold",
            margin="0",
            white_space="nowrap",
            id="figure-" + card[2],
        ),
        grid_column=rx.cond(card[2] == "premium", "span 2", "auto"),  # an amount needs the room of two
        border="1px solid var(--gray-a6)",
        border_radius="var(--radius-3)",
        background="var(--color-panel-solid)",
        padding="0.75rem 1rem",
    )


def _figures() -> rx.Component:
    return rx.el.section(
        rx.heading(text("dash.figures"), as_="h2", size="4", margin_bottom="0.75rem", id="figures-title"),
        rx.el.dl(
            rx.foreach(F.cards, _card),
            display="grid",
            grid_template_columns="repeat(auto-fill, minmax(9.5rem, 1fr))",
            gap="0.75rem",
            margin="0",
        ),
        rx.text(text("dash.premium_note"), size="1", color_scheme="gray", margin_top="0.5rem"),
        aria_labelledby="figures-title",
        id="figures",
        margin_bottom="1.5rem",
    )


def _name(row: rx.Var) -> tuple[rx.Component, ...]:
    return (
        rx.link(row[NAME], href="/intermediary/employers/" + row[ID].to(str)),
        rx.cond(
            row[ATTENTION] != "",
            rx.el.span(
                SessionState.t["dash.attention"], data_accent_color="red", class_name=_BADGE, margin_left="0.5rem"
            ),
        ),
    )


COLUMNS = (
    Column("dash.col.employer", _name, names_row=True, sort="name"),
    Column("dash.col.kvk", lambda r: r[KVK], sort="kvk"),
    Column("dash.col.group", lambda r: r[GROUP], sort="group"),
    Column("dash.col.active", lambda r: r[ACTIVE], right=True, sort="active"),
    Column("dash.col.dormant", lambda r: r[DORMANT], right=True, sort="dormant"),
    Column("dash.col.premium", lambda r: r[PREMIUM], right=True, nowrap=True, sort="premium"),
    Column("dash.col.reviews", lambda r: r[REVIEWS], right=True, sort="reviews"),
    Column("dash.col.tasks_overdue", lambda r: r[OVERDUE], right=True, sort="tasks_overdue"),
    Column("dash.col.batches_failed", lambda r: r[FAILED], right=True, sort="batches_failed"),
    Column("dash.col.batches_waiting", lambda r: r[WAITING], right=True, sort="batches_waiting"),
)


def _phone_card(row: rx.Var) -> rx.Component:
    """An employer on a phone: the name as a link, then its figures."""
    return rx.el.li(
        rx.card(
            rx.flex(*_name(row), align="center", wrap="wrap"),
            rx.text(text("dash.col.kvk"), ": ", row[KVK], size="2"),
            rx.text(
                text("dash.col.active"),
                ": ",
                row[ACTIVE],
                " · ",
                text("dash.col.dormant"),
                ": ",
                row[DORMANT],
                size="2",
            ),
            rx.text(text("dash.col.premium"), ": ", row[PREMIUM], size="2"),
            rx.text(
                text("dash.col.reviews"),
                ": ",
                row[REVIEWS],
                " · ",
                text("dash.col.batches_failed"),
                ": ",
                row[FAILED],
                " · ",
                text("dash.col.tasks_overdue"),
                ": ",
                row[OVERDUE],
                size="2",
            ),
            width="100%",
        ),
        list_style="none",
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.form(
            rx.el.label(text("dash.search"), html_for="employer-search", class_name="field-label"),
            rx.hstack(
                rx.input(
                    id="employer-search",
                    name="search",
                    type="search",
                    default_value=S.search,
                    max_length=100,
                    width="min(20rem, 70vw)",
                    size="2",
                ),
                rx.button(text("dash.search_button"), type="submit", size="2"),
            ),
            on_submit=S.apply_search,
            reset_on_submit=False,
            id="employer-search-form",
            width="auto",
        ),
        rx.box(
            rx.el.label(text("dash.group_filter"), html_for="group-filter", class_name="field-label"),
            rx.el.select(
                rx.el.option(text("dash.group_all"), value=""),
                rx.foreach(S.groups, lambda g: rx.el.option(g["name"], value=g["id"])),
                id="group-filter",
                value=S.group,
                on_change=S.set_group,
                class_name="native-select",
            ),
        ),
        rx.el.label(
            rx.checkbox(id="attention-filter", checked=S.attention, on_change=S.set_attention),
            text("dash.attention_filter"),
            html_for="attention-filter",
            display="flex",
            gap="0.5rem",
            align_items="center",
            padding_bottom="0.4rem",
        ),
        spacing="4",
        align="end",
        wrap="wrap",
        margin_bottom="1rem",
        width="100%",
        class_name="toolbar",
    )


def _employers() -> rx.Component:
    return rx.el.section(
        rx.heading(text("dash.employers"), as_="h2", size="4", margin_bottom="0.75rem", id="employers-title"),
        _toolbar(),
        data_table(
            COLUMNS,
            R.rows,
            name="dash.caption",
            table_id="portfolio",
            variant="surface",
            sorting=Sorting(O.sort, O.direction == "asc", S.sort_by),
            card=_phone_card,
            on_unmount=S.stop_watch,
        ),
        rx.cond(R.total == 0, rx.text(text("dash.none"), margin_top="1rem")),
        pager(R, S.previous_page, S.next_page, messages="dash", name="employer"),
        aria_labelledby="employers-title",
    )


def intermediary_home() -> rx.Component:
    """INT-1: the portfolio dashboard, live."""
    return intermediary_shell(
        "menu.portfolio",
        welcome("home.intermediary_intro"),
        rx.text(text("dash.live"), size="2", color_scheme="gray", margin_bottom="1rem"),
        _figures(),
        _employers(),
        chart_grid(C, text("dash.charts"), ("premium", "status", "changes", "tasks")),
        review_queue(),
    )
