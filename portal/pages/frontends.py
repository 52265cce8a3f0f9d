"""Pages of the three front ends. Each is guarded on the server by SessionState.guard (on_load)."""

from __future__ import annotations

import reflex as rx

from portal.components.charts import chart_grid
from portal.components.fields import text
from portal.components.shell import coming_soon, employee_shell, employer_shell, intermediary_shell
from portal.state.auth import SessionState
from portal.state.employer.charts import ChartsState
from portal.state.employer.home import HomeState


def welcome(intro_key: str) -> rx.Component:
    return rx.vstack(
        rx.text(SessionState.t["home.welcome"].to(str).replace("{name}", SessionState.user_name), size="4"),
        rx.text(text(intro_key), color_scheme="gray"),
        spacing="1",
        margin_bottom="1rem",
    )


def _tile(item: rx.Var) -> rx.Component:
    count = HomeState.counts.get(item["route"], "")
    return rx.link(
        rx.card(
            rx.text(item["label"], weight="bold"),
            rx.cond(count != "", rx.text(count, size="2", color_scheme="gray", as_="div", margin_top="0.25rem")),
            width="100%",
            height="100%",
        ),
        href=item["route"],
        underline="none",
    )


def employer_home() -> rx.Component:
    """EMP-1: home with tiles for what this user's roles allow."""
    return employer_shell(
        "menu.home",
        welcome("home.employer_intro"),
        rx.grid(
            rx.foreach(SessionState.menu_items[1:], _tile),
            columns={"initial": "1", "sm": "2", "lg": "4"},
            spacing="4",
            id="home-tiles",
        ),
        chart_grid(ChartsState, text("chart.section")),  # EMP-11
    )


def employer_page(title_key: str, feature: str):
    """A page of the employer front end that a later issue fills."""

    def page() -> rx.Component:
        return employer_shell(title_key, coming_soon(feature))

    return page


def intermediary_page(title_key: str, feature: str):
    def page() -> rx.Component:
        return intermediary_shell(title_key, coming_soon(feature))

    return page


def employee_page(title_key: str, feature: str):
    def page() -> rx.Component:
        return employee_shell(title_key, coming_soon(feature))

    return page
