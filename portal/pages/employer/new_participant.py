"""New participant wizard page (EMP-4, /employer/participants/new)."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import select_field, text, value_field
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, data_table
from portal.components.wizard import steps_indicator, submitted_callout, summary_step
from portal.pages.employer.detail import GENDERS
from portal.state.acting import ActingState
from portal.state.employer.new_participant import NewParticipantState as N

LANGUAGES = [("nl", "lang.nl"), ("en", "lang.en")]


def _f(name: str, **props) -> rx.Component:
    return value_field(name, N.errors, N.values, **props)


def _row(*children: rx.Component) -> rx.Component:
    return rx.grid(*children, columns={"initial": "1", "sm": str(len(children))}, spacing="3", width="100%")


def _scheme_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.fieldset(
                rx.el.legend(text("newp.choose_scheme"), class_name="field-label"),
                rx.foreach(
                    N.schemes,
                    lambda s: rx.el.label(
                        rx.el.input(type="radio", name="scheme", value=s["id"], default_checked=s["id"] == N.scheme_id),
                        " ",
                        s["label"],
                        display="block",
                        padding_y="0.25rem",
                    ),
                ),
                style={"border": "none", "padding": 0},
            ),
            rx.button(text("wizard.next"), type="submit"),
            spacing="3",
        ),
        on_submit=N.choose_scheme,
        reset_on_submit=False,
        id="scheme-form",
    )


def _details_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(text("detail.personal"), as_="h2", size="4"),
            _row(_f("bsn", input_mode="numeric", max_length=11), _f("birth_date", type="date")),
            _row(_f("initials"), _f("first_name")),
            _row(_f("name_prefix"), _f("last_name")),
            _row(select_field("gender", N.errors, N.values, GENDERS), _f("nationality", max_length=2)),
            _row(_f("street"), _f("house_number")),
            _row(_f("postcode"), _f("city"), _f("country", max_length=2)),
            _f("foreign_address"),
            _row(_f("business_email", type="email"), _f("private_email", type="email")),
            select_field("language", N.errors, N.values, LANGUAGES),
            rx.heading(text("detail.employment"), as_="h2", size="4", margin_top="0.5rem"),
            _row(
                _f("start_date", type="date", label_key="field.start"),
                _f("salary", input_mode="decimal"),
                _f("parttime", input_mode="decimal"),
            ),
            rx.el.label(
                rx.el.input(type="checkbox", name="takes_over", default_checked=N.takes_over, id="takes-over"),
                " ",
                text("field.takes_over_previous_contract"),
                html_for="takes-over",
            ),
            rx.hstack(
                rx.cond(
                    N.schemes.length() > 1,
                    rx.button(text("wizard.back"), variant="soft", type="button", on_click=N.back),
                ),
                rx.button(text("wizard.next"), type="submit"),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=N.preview,
        reset_on_submit=False,
        id="new-participant-form",
    )


def _summary_step() -> rx.Component:
    table = data_table(
        (Column("wizard.field", lambda r: r[0], names_row=True), Column("wizard.new", lambda r: r[1])),
        N.summary,
        name="wizard.step_summary",
        table_id="wizard-summary",
        head=False,
        width="100%",
    )
    return summary_step(table, N)


def _done_step() -> rx.Component:
    return rx.vstack(
        submitted_callout(N.needs_review),
        rx.cond(
            N.done_number != "",
            rx.link(text("newp.open"), href=ActingState.base + "/participants/" + N.done_number),
        ),
        rx.link(text("newp.another"), href=ActingState.base + "/participants/new"),
        spacing="3",
    )


def new_participant_page(shell: Shell = employer_shell) -> rx.Component:
    return shell(
        "menu.new_participant",
        rx.box(
            steps_indicator(["field.scheme", "wizard.step_data", "wizard.step_summary", "wizard.step_done"], N.step),
            rx.cond(
                N.errors.get("form", "") != "",
                rx.callout(
                    N.errors.get("form", ""),
                    icon="circle-alert",
                    color_scheme="red",
                    role="alert",
                    margin_bottom="0.75rem",
                ),
            ),
            rx.match(N.step, (0, _scheme_step()), (2, _summary_step()), (3, _done_step()), _details_step()),
            max_width="48rem",
        ),
    )
