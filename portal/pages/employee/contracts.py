"""My contracts (EE-1, EE-7): one card per contract, phone first; status in words and colour, figures as of today."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.shell import employee_shell
from portal.components.term_info import term_info, with_term
from portal.state.auth import SessionState
from portal.state.employee.contracts import ContractsState

STATUS_COLOURS = (("active", "green"), ("passive", "amber"), ("ended", "gray"))
STATUS_ICONS = (("active", "circle-check"), ("passive", "circle-pause"), ("ended", "circle-x"))


def _t(key: rx.Var) -> rx.Var:
    return SessionState.t[key].to(str)


def _fill(template_key: str, **values: rx.Var) -> rx.Var:
    out = SessionState.t[template_key].to(str)
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out


def _fact(
    label: rx.Var, value: rx.Component | rx.Var, strong: bool = False, term: str | rx.Var | None = None
) -> rx.Component:
    """A label above its value on a phone, beside it from the small breakpoint on; ``term``: its "i" (EE-2)."""
    return rx.data_list.item(
        rx.data_list.label(
            with_term(label, term) if term is not None else label,
            min_width=rx.breakpoints(initial="0", sm="18rem"),
            color_scheme="gray",
        ),
        rx.data_list.value(
            rx.text(value, weight=rx.cond(strong, "bold", "regular"), style={"overflowWrap": "anywhere"})
        ),
    )


def _status_badge(c: rx.Var) -> rx.Component:
    status = c["status"].to(str)
    return rx.badge(
        rx.match(status, *[(s, rx.icon(i, size=16, aria_hidden="true")) for s, i in STATUS_ICONS], rx.fragment()),
        _t("contracts.status." + status),
        color_scheme=rx.match(status, *STATUS_COLOURS, "gray"),
        variant="soft",
        high_contrast=True,
        size="3",
        radius="full",
    )


def _period(c: rx.Var) -> rx.Var:
    return rx.cond(
        c["end"] != "",
        _fill("contracts.from_to", start=c["start"], end=c["end"]),
        _fill("contracts.since", start=c["start"]),
    )


def _data(*facts: rx.Component) -> rx.Component:
    return rx.data_list.root(*facts, orientation={"initial": "vertical", "sm": "horizontal"}, size="2", width="100%")


def _scheme(line: rx.Var) -> rx.Component:
    """One scheme of the contract: its period, premium and coverage (or why there is none)."""
    status = line["status"].to(str)
    return rx.box(
        rx.separator(size="4", margin_bottom="0.75rem"),
        rx.flex(  # the "i"s go under a long scheme name rather than break its words
            rx.heading(line["scheme"], as_="h3", size="3", style={"overflowWrap": "break-word"}, min_width="0"),
            rx.flex(
                rx.cond(line["scheme_term"] != "", term_info(line["scheme_term"].to(str))),
                term_info("scheme_number"),
                gap="1",
            ),
            align="center",
            column_gap="1",
            wrap="wrap",
            margin_bottom="0.5rem",
        ),
        _data(
            _fact(text("contracts.period"), _period(line)),
            _fact(
                text("contracts.premium"),
                rx.cond(line["premium"] != "", line["premium"], text("contracts.no_premium")),
                strong=True,
                term="yearly_premium",
            ),
            rx.cond(
                line["salary"] != "",
                _fact(
                    rx.cond(
                        status == "passive",
                        text("contracts.pensionable_salary_at_exit"),
                        text("contracts.pensionable_salary"),
                    ),
                    line["salary"],
                    term="pensionable_salary",
                ),
            ),
            rx.cond(
                line["amount_key"] != "",
                rx.cond(line["amount"] != "", _fact(_t(line["amount_key"]), line["amount"], strong=True)),
            ),
        ),
        rx.cond(
            line["coverage_key"] != "",
            rx.flex(
                rx.text(_t(line["coverage_key"]), size="2"),
                rx.cond(line["coverage_term"] != "", term_info(line["coverage_term"].to(str))),
                align="center",
                gap="1",
                margin_top="0.5rem",
            ),
        ),
        rx.cond(
            line["shown_until"] != "",
            rx.text(
                _fill("contracts.shown_until", day=line["shown_until"]),
                size="2",
                color_scheme="gray",
                margin_top="0.25rem",
            ),
        ),
        width="100%",
    )


def _card(c: rx.Var, i: rx.Var) -> rx.Component:
    """One contract: employer, status in words, numbers, then each of its schemes."""
    status = c["status"].to(str)
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.heading(
                        c["employer"],
                        as_="h2",
                        size="4",
                        style={"overflowWrap": "anywhere"},
                        custom_attrs={"elementtiming": "contracts"},  # its paint time (bench/employee_phone.py)
                    ),
                    rx.flex(_status_badge(c), term_info("status_" + status), align="center", gap="1"),
                    justify="between",
                    align="start",
                    gap="2",
                    wrap="wrap",
                    width="100%",
                ),
                rx.cond(c["former"] != "", rx.text(text("contracts.former_employer_note"), size="2", weight="medium")),
                rx.text(_t("contracts.status_help." + status), size="2", color_scheme="gray"),
                _data(
                    _fact(text("contracts.insurer"), c["insurer"]),
                    _fact(text("contracts.contract_number"), c["contract_number"], term="contract_number"),
                    _fact(text("contracts.participant_number"), c["participant_number"], term="participant_number"),
                ),
                rx.foreach(ContractsState.lines[i], _scheme),
                spacing="3",
                width="100%",
            ),
            size="2",
            width="100%",
            border_left=rx.match(
                status,
                ("active", "4px solid var(--green-9)"),
                ("passive", "4px solid var(--amber-9)"),
                "4px solid var(--gray-8)",
            ),
        ),
        list_style="none",
    )


def contracts_page() -> rx.Component:
    """EE-1: the employee's home — every contract as a card, an "as of" line, an empty state."""
    return employee_shell(
        "title.contracts",
        rx.text(text("contracts.intro"), color_scheme="gray"),
        rx.cond(
            ContractsState.as_of != "",
            rx.text(
                _fill("contracts.as_of", day=ContractsState.as_of),
                size="2",
                weight="medium",
                id="as-of",
                margin_top="0.25rem",
            ),
        ),
        rx.cond(
            ContractsState.loaded & (ContractsState.cards.length() == 0),
            rx.callout(
                text("contracts.none"), icon="info", color_scheme="gray", margin_top="1rem", id="contracts-empty"
            ),
        ),
        rx.el.ul(
            rx.foreach(ContractsState.cards, _card),
            aria_label=text("contracts.list"),
            id="contracts",
            display="flex",
            flex_direction="column",
            gap="1rem",
            padding="0",
            margin="1rem 0 0 0",
        ),
    )
