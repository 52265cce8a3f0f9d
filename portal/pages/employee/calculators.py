"""Calculators (EE-6): deferred compensation and the projection of the retirement capital, phone first. Each form
has labelled fields with their messages at the field; each result is text and a chart with a text summary, and
says plainly that it is an estimate."""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.components.charts import chart_card
from portal.components.fields import field, filled, submit_button, text
from portal.components.shell import employee_shell
from portal.state.employee.calculators import CalculatorsState as S


def _lines(lines: rx.Var, list_id: str) -> rx.Component:
    """Label/value lines: the label above its value on a phone, beside it from the small breakpoint on."""
    return rx.data_list.root(
        rx.foreach(
            lines,
            lambda line: rx.data_list.item(
                rx.data_list.label(
                    line["label"], min_width=rx.breakpoints(initial="0", sm="16rem"), color_scheme="gray"
                ),
                rx.data_list.value(rx.text(line["value"], weight="bold", style={"overflowWrap": "anywhere"})),
            ),
        ),
        orientation={"initial": "vertical", "sm": "horizontal"},
        size="2",
        width="100%",
        id=list_id,
    )


def _hint(body: rx.Var, hint_id: str) -> rx.Component:
    return rx.text(body, size="2", color_scheme="gray", id=hint_id, margin_top="-0.25rem")


def _participation_choice() -> rx.Component:
    """The scheme the figures come from: a choice when there are several, a line of text when there is one."""
    return rx.cond(
        S.options.length() > 1,
        rx.box(
            rx.el.label(text("calc.participation"), html_for="f-participation-choice", class_name="field-label"),
            rx.el.select(
                rx.foreach(
                    S.options,
                    lambda o: rx.el.option(
                        filled("calc.participation_at", scheme=o["scheme"], employer=o["employer"]), value=o["id"]
                    ),
                ),
                id="f-participation-choice",
                value=S.participation,
                on_change=S.choose,
                class_name="native-select",
            ),
            class_name="field",
        ),
        rx.foreach(
            S.options,
            lambda o: rx.text(
                rx.text.strong(text("calc.participation"), ": "),
                filled("calc.participation_at", scheme=o["scheme"], employer=o["employer"]),
                size="2",
            ),
        ),
    )


def _callout(body: rx.Var, scheme: str = "blue", **props: object) -> rx.Component:
    """An information callout in high contrast (the soft blue text alone falls short of 4.5:1 on a card)."""
    return rx.callout(body, icon="info", color_scheme=scheme, high_contrast=True, width="100%", **props)


def _calculator(name: str, intro: list[rx.Component], fields: list[rx.Component], on_submit: Any) -> rx.Component:
    """One calculator as a card: heading, intro, its form (fields, the participation's message, a button) and its
    result (a sentence, label/value lines, the chart with its summary, the estimate sentence). ``name`` picks the
    state's vars ``<name>_errors``, ``<name>_lines``, ``<name>_sentence``, ``fig_<name>``, ``<name>_title`` and
    ``<name>_summary`` and the elements' ids."""
    errors: rx.Var = getattr(S, f"{name}_errors")
    lines: rx.Var = getattr(S, f"{name}_lines")
    summary: rx.Var = getattr(S, f"{name}_summary")
    heading = f"{name}-heading"
    return rx.card(
        rx.el.section(
            rx.heading(text(f"calc.{name}.heading"), as_="h2", size="4", id=heading),
            *intro,
            rx.form(
                rx.el.input(type="hidden", name="participation", value=S.participation),
                rx.vstack(
                    *fields,
                    rx.cond(
                        errors.contains("participation"),
                        rx.text(errors["participation"], role="alert", color_scheme="red", size="2"),
                    ),
                    submit_button("calc.compute", id=f"{name}-submit"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                aria_labelledby=heading,
                id=f"{name}-form",
            ),
            rx.box(
                rx.cond(
                    lines.length() > 0,
                    rx.vstack(
                        rx.text(getattr(S, f"{name}_sentence"), weight="medium", id=f"{name}-sentence"),
                        _lines(lines, f"{name}-result"),
                        rx.cond(
                            summary != "",
                            chart_card(name, getattr(S, f"fig_{name}"), getattr(S, f"{name}_title"), summary),
                        ),
                        rx.text(text("calc.estimate"), size="2", weight="medium"),
                        spacing="3",
                        width="100%",
                        margin_top="1rem",
                    ),
                ),
                aria_live="polite",
            ),
            aria_labelledby=heading,
        ),
        size="2",
        width="100%",
    )


def _deferral_section() -> rx.Component:
    return _calculator(
        "deferral",
        [rx.text(text("calc.deferral.help"), size="2", color_scheme="gray", margin_y="0.5rem")],
        [
            field(
                "calc.field.wage",
                "wage",
                S.deferral_errors,
                default_value=S.wage,
                key=S.participation + "-" + S.wage,  # a new start value (participation, language) refills the field
                input_mode="decimal",
                autocomplete="off",
            ),
            _hint(text("calc.field.wage_hint"), "f-wage-hint"),
            field("calc.field.amount", "amount", S.deferral_errors, input_mode="decimal", autocomplete="off"),
            _hint(S.limit_hint, "f-amount-hint"),
        ],
        S.calculate_deferral,
    )


def _projection_section() -> rx.Component:
    return _calculator(
        "projection",
        [
            rx.text(S.projection_help, size="2", color_scheme="gray", margin_top="0.5rem"),
            rx.text(
                rx.text.strong(text("calc.premium_today"), ": "),
                S.premium,
                size="2",
                id="premium-today",
                margin_y="0.5rem",
            ),
            rx.text(text("calc.projection.unknown_capital"), size="2", margin_bottom="0.5rem"),
        ],
        [
            field("calc.field.extra", "extra", S.projection_errors, default_value="0", input_mode="decimal"),
            field("calc.field.start", "start", S.projection_errors, input_mode="decimal", autocomplete="off"),
        ],
        S.calculate_projection,
    )


def _parameters() -> rx.Component:
    return rx.el.section(
        rx.heading(S.params_heading, as_="h2", size="3", id="params-heading", margin_bottom="0.5rem"),
        _lines(S.params_lines, "params"),
        aria_labelledby="params-heading",
        margin_top="0.5rem",
    )


def calculators_page() -> rx.Component:
    """EE-6: the two calculators on the employee's own available-premium participation, or why there are none."""
    return employee_shell(
        "title.calculators",
        rx.text(text("calc.intro"), color_scheme="gray"),
        rx.box(_callout(text("calc.estimate"), role="note"), margin_y="0.75rem"),
        rx.cond(
            S.loaded,
            rx.cond(
                S.options.length() == 0,
                _callout(text("calc.none"), "gray", id="calc-none"),
                rx.cond(
                    S.no_year != "",
                    _callout(filled("calc.no_year", year=S.no_year), "gray", id="calc-no-year"),
                    rx.vstack(
                        _participation_choice(),
                        _deferral_section(),
                        _projection_section(),
                        _parameters(),
                        spacing="4",
                        width="100%",
                    ),
                ),
            ),
        ),
    )
