"""The FAQ block (EE-2, EMP-1): a labelled search form (searched on the server), a count announced to screen
readers, the questions as an accordion (Radix: each question a button that opens its answer) and, on the
employee's page, the matching terms with their "i"."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import text
from portal.components.term_info import term_info
from portal.state.auth import SessionState
from portal.state.faq import FaqState


def _in_language(item: rx.Var, part: str) -> rx.Var:
    return rx.cond(SessionState.lang == "en", item[f"{part}_en"], item[f"{part}_nl"])


def _question(item: rx.Var) -> rx.Component:
    return rx.accordion.item(
        header=rx.text(_in_language(item, "q"), weight="medium", align="left"),
        content=rx.text(_in_language(item, "a"), as_="p", size="2", color="var(--gray-12)"),
        value=item["key"].to(str),
        id="faq-" + item["key"].to(str),
    )


def _term(key: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.flex(
            rx.text(SessionState.t["term." + key + ".name"], style={"&::first-letter": {"textTransform": "uppercase"}}),
            term_info(key),
            align="center",
            justify="between",
            gap="2",
        ),
        list_style="none",
        border_bottom="1px solid var(--gray-a4)",
        padding_y="0.25rem",
    )


def _count() -> rx.Var:
    questions = FaqState.items.length().to(str)
    return rx.cond(
        FaqState.with_terms,
        SessionState.t["faq.found"]
        .to(str)
        .replace("{questions}", questions)
        .replace("{terms}", FaqState.terms.length().to(str)),
        SessionState.t["faq.found_questions"].to(str).replace("{questions}", questions),
    )


def search_form() -> rx.Component:
    """The search field with its visible label, a search button and a button that shows everything again."""
    return rx.form(
        rx.el.label(text("faq.search_label"), html_for="faq-search", class_name="field-label"),
        rx.flex(
            rx.input(
                id="faq-search",
                name="q",
                type="search",
                default_value=FaqState.query,
                placeholder=text("faq.search_hint"),
                max_length=100,
                aria_describedby="faq-count",
                size="3",
                flex="1",
                min_width="0",
            ),
            rx.button(rx.icon("search", size=18, aria_hidden="true"), text("faq.search"), type="submit", size="3"),
            gap="2",
            width="100%",
        ),
        rx.flex(
            rx.text(_count(), id="faq-count", role="status", size="2", color_scheme="gray"),
            rx.cond(
                FaqState.query != "",
                rx.button(text("faq.clear"), type="button", variant="ghost", on_click=FaqState.clear, size="2"),
            ),
            justify="between",
            align="center",
            gap="2",
            margin_top="0.5rem",
            wrap="wrap",
        ),
        on_submit=FaqState.search,
        reset_on_submit=False,
        role="search",
        width="100%",
    )


def faq_block(heading_level: str = "h2", with_heading: bool = True) -> rx.Component:
    """Search, the matching questions (or a note that none match) and, when the state has them, the terms;
    ``with_heading``: the questions under their own heading (off where the page's section has one)."""
    return rx.vstack(
        search_form(),
        rx.heading(text("faq.questions"), as_=heading_level, size="4", margin_top="0.5rem")
        if with_heading
        else rx.fragment(),
        rx.cond(
            FaqState.items.length() > 0,
            rx.accordion.root(
                rx.foreach(FaqState.items, _question),
                type="multiple",
                collapsible=True,
                variant="ghost",
                width="100%",
                id="faq-questions",
            ),
            rx.callout(text("faq.none"), icon="info", color_scheme="gray", id="faq-none", width="100%"),
        ),
        rx.cond(
            FaqState.with_terms & (FaqState.terms.length() > 0),
            rx.box(
                rx.heading(text("faq.terms"), as_=heading_level, size="4", margin_bottom="0.25rem"),
                rx.text(text("faq.terms_intro"), size="2", color_scheme="gray"),
                rx.el.ul(rx.foreach(FaqState.terms, _term), id="faq-terms", padding="0", margin="0.5rem 0 0 0"),
                width="100%",
                margin_top="1rem",
            ),
        ),
        spacing="3",
        width="100%",
        align="stretch",
    )
