"""One employer of the portfolio (the portfolio itself is the dashboard: ``pages.intermediary.dashboard``)."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import acting_shell
from portal.components.table import Column, data_table
from portal.state.intermediary.portfolio import EmployerSummaryState

SCHEMES = tuple(
    Column(key, lambda s, i=i: s[i])
    for i, key in enumerate(("employer.kind", "employer.number", "employer.scheme_name", "employer.insurer"))
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
