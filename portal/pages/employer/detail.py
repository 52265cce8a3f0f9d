"""Participant detail page (EMP-3) with the change wizards in a dialog (EMP-4)."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import select_field, text, value_field
from portal.components.shell import Shell, employer_shell
from portal.components.statements import history_section
from portal.components.table import Column, data_table
from portal.components.wizard import compare_table, steps_indicator, submitted_callout, summary_step
from portal.pages.employer.participants import status_badge
from portal.state.acting import ActingState
from portal.state.auth import SessionState
from portal.state.employer.change_wizard import ChangeWizardState as W
from portal.state.employer.detail import DetailState as D

MSTATUS_COLOURS = (("processed", "green"), ("needs_review", "amber"), ("rejected", "red"), ("submitted", "blue"))


def _facts(rows: rx.Var) -> rx.Component:
    return rx.data_list.root(
        rx.foreach(rows, lambda r: rx.data_list.item(rx.data_list.label(r[0]), rx.data_list.value(r[1]))),
        size="2",
    )


def _section(title_key: str, *children: rx.Component) -> rx.Component:
    return rx.card(rx.heading(text(title_key), as_="h2", size="4", margin_bottom="0.75rem"), *children, width="100%")


def _scheme_card(scheme: rx.Var, index: rx.Var) -> rx.Component:
    facts = rx.data_list.root(
        rx.data_list.item(rx.data_list.label(text("detail.contract")), rx.data_list.value(scheme["number"])),
        rx.data_list.item(
            rx.data_list.label(text("detail.participant_number")), rx.data_list.value(scheme["participant_number"])
        ),
        rx.data_list.item(rx.data_list.label(text("detail.policy_number")), rx.data_list.value(scheme["policy"])),
        rx.data_list.item(rx.data_list.label(text("detail.premium_mode")), rx.data_list.value(scheme["mode"])),
        size="2",
    )
    cover = rx.cond(
        scheme["note"] != "", rx.text(scheme["note"], color_scheme="gray", size="2"), _facts(D.coverages[index])
    )
    return rx.box(
        rx.hstack(rx.heading(scheme["title"], as_="h3", size="3"), status_badge(scheme["status"]), align="center"),
        rx.grid(facts, cover, columns={"initial": "1", "md": "2"}, spacing="5", margin_top="0.5rem"),
        padding_y="0.75rem",
        border_top="1px solid var(--gray-a5)",
    )


RELATIONS = (
    Column("detail.col.relation", lambda r: (r["kind"], rx.cond(r["type"] != "", " (" + r["type"] + ")", ""))),
    Column("detail.name", lambda r: r["name"], names_row=True),
    Column("detail.bsn", lambda r: r["bsn"]),
    Column("field.birth_date", lambda r: r["birth_date"]),
    Column("detail.col.since", lambda r: r["start_date"]),
)


def _relations() -> rx.Component:
    return rx.cond(
        D.relations.length() > 0,
        data_table(RELATIONS, D.relations, name="detail.relations", table_id="relations"),
        rx.text(text("detail.no_relations"), color_scheme="gray"),
    )


def mstatus_badge(status: rx.Var) -> rx.Component:
    """A change's status in words and colour (EMP-6)."""
    return rx.badge(
        SessionState.t["mutation.status." + status.to(str)],
        color_scheme=rx.match(status, *MSTATUS_COLOURS, "gray"),
        variant="soft",
        high_contrast=True,
    )


HISTORY = (
    Column("detail.col.effective", lambda h: h["effective"]),
    Column("detail.col.requested", lambda h: h["requested"]),
    Column(
        "detail.col.kind",
        lambda h: (
            h["kind"],
            rx.cond(h["changes"] != "", rx.text(h["changes"], size="1", class_name="history-changes")),
        ),
        names_row=True,
    ),
    Column("detail.col.by", lambda h: h["by"]),
    Column(
        "detail.col.status",
        lambda h: (
            mstatus_badge(h["status"]),
            rx.cond(h["reason"] != "", rx.text(h["reason"], size="1", color_scheme="gray")),
        ),
    ),
)


def _history() -> rx.Component:
    return rx.cond(
        D.history.length() > 0,
        data_table(HISTORY, D.history, name="detail.history", table_id="history"),
        rx.text(text("detail.no_history"), color_scheme="gray"),
    )


def _date_field(name: str) -> rx.Component:
    return value_field(name, W.errors, W.values, type="date")


def _text_field(name: str, **props) -> rx.Component:
    return value_field(name, W.errors, W.values, **props)


def _select(name: str, options: list[tuple[str, str]]) -> rx.Component:
    return select_field(name, W.errors, W.values, options)


GENDERS = [("M", "gender.M"), ("F", "gender.F"), ("X", "gender.X"), ("U", "gender.U")]
PARTNER_TYPES = [("married", "partner_type.married"), ("registered", "partner_type.registered"),
                 ("cohabiting", "partner_type.cohabiting")]  # fmt: skip


def _person_fields() -> list[rx.Component]:
    return [
        _text_field("bsn", input_mode="numeric", max_length=11),
        rx.grid(_text_field("initials"), _text_field("first_name"), columns="2", spacing="3", width="100%"),
        rx.grid(_text_field("name_prefix"), _text_field("last_name"), columns="2", spacing="3", width="100%"),
        rx.grid(_date_field("birth_date"), _select("gender", GENDERS), columns="2", spacing="3", width="100%"),
    ]


def _data_step() -> rx.Component:
    fields = rx.match(
        W.kind,
        (
            "salary_parttime",
            rx.vstack(
                rx.text(text("wiz.salary_hint"), size="2", color_scheme="gray"),
                _date_field("effective"),
                _text_field("salary", input_mode="decimal"),
                _text_field("parttime", input_mode="decimal"),
                width="100%",
            ),
        ),
        ("exit", rx.vstack(_date_field("exit_date"), width="100%")),
        (
            "partner",
            rx.vstack(
                *_person_fields(), _select("partner_type", PARTNER_TYPES), _date_field("start_date"), width="100%"
            ),
        ),
        rx.vstack(*_person_fields(), width="100%"),
    )
    return rx.form(
        rx.vstack(
            fields,
            rx.hstack(
                rx.dialog.close(rx.button(text("wizard.cancel"), variant="soft", color_scheme="gray", type="button")),
                rx.button(text("wizard.next"), type="submit"),
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=W.preview,
        reset_on_submit=False,
        id="wizard-form",
    )


def _summary_step() -> rx.Component:
    return summary_step(compare_table(W.summary), W)


def _done_step() -> rx.Component:
    return rx.vstack(
        submitted_callout(W.needs_review),
        rx.hstack(rx.dialog.close(rx.button(text("wizard.close"))), justify="end", width="100%"),
        width="100%",
    )


def change_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(SessionState.t["wiz." + W.kind.to(str)]),
            rx.dialog.description(D.name + " · " + D.number, size="2", color_scheme="gray"),
            steps_indicator(["wizard.step_data", "wizard.step_summary", "wizard.step_done"], W.step),
            rx.cond(
                W.errors.get("form", "") != "",
                rx.callout(
                    W.errors.get("form", ""),
                    icon="circle-alert",
                    color_scheme="red",
                    role="alert",
                    width="100%",
                    margin_bottom="0.75rem",
                ),
            ),
            rx.match(W.step, (1, _summary_step()), (2, _done_step()), _data_step()),
            max_width="36rem",
        ),
        open=W.open,
        on_open_change=W.set_open,
    )


def _actions() -> rx.Component:
    return rx.cond(
        D.can_change & (D.status == "active"),
        rx.flex(
            rx.button(text("wiz.salary_parttime"), on_click=W.start("salary_parttime"), id="start-salary"),
            rx.button(text("wiz.exit"), variant="soft", on_click=W.start("exit"), id="start-exit"),
            rx.cond(~D.has_partner, rx.button(text("wiz.partner"), variant="soft", on_click=W.start("partner"))),
            rx.button(text("wiz.child"), variant="soft", on_click=W.start("child")),
            spacing="3",
            wrap="wrap",
        ),
    )


def _privacy() -> rx.Component:
    """The access request (AVG-inzage): user management and advisers only; the service checks again. A plain link
    to the signed URL, as the export and statement downloads (a full request to our route, not a page change)."""
    return rx.cond(
        D.can_export & (D.privacy_link != ""),
        rx.hstack(
            rx.link(
                rx.icon("download", size=16, aria_hidden="true"),
                text("privacy.export_button"),
                href=D.privacy_link,
                reload_document=True,  # the browser fetches our route itself (a file, not a page)
                high_contrast=True,
                id="privacy-export",
                class_name="download-link",
                _hover={"color": "var(--gray-12)", "text_decoration": "underline"},
            ),
            rx.text(text("privacy.export_hint"), size="2", color_scheme="gray"),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
    )


def detail_page(shell: Shell = employer_shell) -> rx.Component:
    return shell(
        "detail.title",
        rx.cond(
            D.found,
            rx.vstack(
                rx.hstack(
                    rx.link(text("detail.back"), href=ActingState.base + "/participants"),
                    rx.cond(  # an adviser acting for the employer: a task about this participant (INT-3)
                        ActingState.task_link != "",
                        rx.link(
                            text("acting.new_participant_task"),
                            href=ActingState.task_link + "&participation=" + D.participation_ref,
                            id="participant-new-task",
                        ),
                    ),
                    spacing="4",
                    wrap="wrap",
                ),
                rx.hstack(
                    rx.heading(D.name, as_="h2", size="5", id="participant-name"),
                    rx.text(D.number, color_scheme="gray"),
                    status_badge(D.status),
                    align="center",
                    wrap="wrap",
                ),
                _actions(),
                rx.grid(
                    _section("detail.personal", _facts(D.person)),
                    _section("detail.employment", _facts(D.employment)),
                    columns={"initial": "1", "lg": "2"},
                    spacing="4",
                    width="100%",
                ),
                _section("detail.access", rx.box(_facts(D.access), id="participant-access")),  # BULK-3
                _section("detail.coverages", rx.foreach(D.schemes, _scheme_card)),
                _section("detail.relations", _relations()),
                _section("detail.history", _history()),
                _section("statement.history", history_section()),  # DOC-3
                _privacy(),
                change_dialog(),
                spacing="4",
                width="100%",
            ),
        ),
    )
