"""The portfolio (INT-1) and one employer of it."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import acting_shell, coming_soon, intermediary_shell
from portal.components.table import Column, data_table
from portal.pages.frontends import welcome
from portal.pages.intermediary.review import review_queue
from portal.state.intermediary.portfolio import EmployerSummaryState, PortfolioState

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


def intermediary_home() -> rx.Component:
    """INT-1 (first part): the employers of the portfolio with their participant counts."""
    return intermediary_shell(
        "menu.portfolio",
        welcome("home.intermediary_intro"),
        rx.cond(
            PortfolioState.rows.length() > 0,
            data_table(
                PORTFOLIO, PortfolioState.rows, name="portfolio.caption", table_id="portfolio", caption="visible"
            ),
            rx.text(text("portfolio.empty")),
        ),
        review_queue(),
        coming_soon("INT-1"),
    )


def _fact(label_key: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(text(label_key)), rx.data_list.value(value))


def intermediary_employer() -> rx.Component:
    """One employer of the portfolio (/intermediary/employers/[employer_id]): its summary, and the employer's
    pages to act on (INT-2) in the acting shell's menu."""
    return acting_shell(
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
    )  # the way back to the portfolio is in the acting banner
