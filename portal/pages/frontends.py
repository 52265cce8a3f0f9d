"""Pages of the three front ends. Each is guarded on the server by SessionState.guard (on_load)."""

from __future__ import annotations

import reflex as rx

from portal.components.charts import chart_grid
from portal.components.fields import text
from portal.components.shell import coming_soon, employee_shell, employer_shell, intermediary_shell
from portal.components.table import Column, data_table
from portal.state.auth import SessionState
from portal.state.employer.charts import ChartsState
from portal.state.employer.home import HomeState
from portal.state.intermediary import EmployerSummaryState, PortfolioState, ReviewState


def _welcome(intro_key: str) -> rx.Component:
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
        _welcome("home.employer_intro"),
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


PORTFOLIO = (
    Column("portfolio.employer", lambda r: rx.link(r["name"], href=r["href"]), names_row=True),
    Column("portfolio.kvk", lambda r: r["kvk"]),
    Column("portfolio.group", lambda r: r["group"]),
    Column("portfolio.active", lambda r: r["active"], right=True),
    Column("portfolio.dormant", lambda r: r["dormant"], right=True),
)
SCHEMES = tuple(
    Column(key, lambda s, i=i: s[i])
    for i, key in enumerate(("employer.kind", "employer.number", "employer.scheme_name", "employer.insurer"))
)


def _review_card(r: rx.Var) -> rx.Component:
    reason_id = "reason-" + r["id"].to(str)
    return rx.card(
        rx.text(r["employer"], " · ", r["number"], " ", r["name"], weight="bold"),
        rx.text(r["kind"], " · ", text("detail.col.effective"), ": ", r["effective"], size="2"),
        rx.text(r["changes"], size="2", margin_top="0.25rem"),
        rx.cond(r["warnings"] != "", rx.text(r["warnings"], size="2", color_scheme="amber", margin_top="0.25rem")),
        rx.text(r["requested"], size="1", color_scheme="gray", margin_top="0.25rem"),
        rx.flex(
            rx.button(text("review.approve"), on_click=ReviewState.approve(r["id"]), color_scheme="green"),
            rx.form(
                rx.el.input(type="hidden", name="mutation_id", value=r["id"]),
                rx.flex(
                    rx.box(
                        rx.el.label(text("review.reason"), html_for=reason_id, class_name="field-label"),
                        rx.input(id=reason_id, name="reason", max_length=500, width="100%"),
                        flex="1",
                        min_width="12rem",
                    ),
                    rx.button(text("review.reject"), type="submit", color_scheme="red", variant="soft"),
                    spacing="2",
                    align="end",
                    wrap="wrap",
                ),
                on_submit=ReviewState.reject,
                reset_on_submit=True,
                flex="1",
            ),
            spacing="3",
            align="end",
            wrap="wrap",
            margin_top="0.75rem",
        ),
        rx.text(ReviewState.errors.get(r["id"].to(str), ""), role="alert", color_scheme="red", size="2"),
        width="100%",
    )


def _review_queue() -> rx.Component:
    return rx.box(
        rx.heading(text("review.title"), size="4", as_="h2", margin_top="1.5rem"),
        rx.text(text("review.intro"), color_scheme="gray", size="2", margin_bottom="0.75rem"),
        rx.cond(ReviewState.done != "", rx.callout(ReviewState.done, icon="check", margin_bottom="0.75rem")),
        rx.cond(
            ReviewState.rows.length() > 0,
            rx.vstack(rx.foreach(ReviewState.rows, _review_card), spacing="3", width="100%"),
            rx.text(text("review.none")),
        ),
        id="review-queue",
    )


def intermediary_home() -> rx.Component:
    """INT-1 (first part): the employers of the portfolio with their participant counts."""
    return intermediary_shell(
        "menu.portfolio",
        _welcome("home.intermediary_intro"),
        rx.cond(
            PortfolioState.rows.length() > 0,
            data_table(
                PORTFOLIO, PortfolioState.rows, name="portfolio.caption", table_id="portfolio", caption="visible"
            ),
            rx.text(text("portfolio.empty")),
        ),
        _review_queue(),
        coming_soon("INT-1"),
    )


def _fact(label_key: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(text(label_key)), rx.data_list.value(value))


def intermediary_employer() -> rx.Component:
    """One employer of the portfolio (/intermediary/employers/[employer_id])."""
    return intermediary_shell(
        "home.company",
        rx.heading(EmployerSummaryState.name, as_="h2", size="5", margin_bottom="0.75rem"),
        rx.data_list.root(
            _fact("portfolio.kvk", EmployerSummaryState.kvk),
            _fact("employer.address", EmployerSummaryState.address),
            _fact("employer.contact", EmployerSummaryState.contact),
            margin_bottom="1rem",
        ),
        data_table(
            SCHEMES, EmployerSummaryState.schemes, name="employer.schemes", caption="visible", margin_bottom="1rem"
        ),
        rx.link(text("employer.back"), href="/intermediary"),
    )


def intermediary_page(title_key: str, feature: str):
    def page() -> rx.Component:
        return intermediary_shell(title_key, coming_soon(feature))

    return page


def employee_home() -> rx.Component:
    return employee_shell("title.contracts", _welcome("home.employee_intro"), coming_soon("EE-1"))


def employee_page(title_key: str, feature: str):
    def page() -> rx.Component:
        return employee_shell(title_key, coming_soon(feature))

    return page
