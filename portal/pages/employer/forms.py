"""Forms page (DOC-5): prepare a form of a kind for one or several participants (many at once with a progress
bar), who was refused and why, the list of forms with their status in words and colour (a decline's reason
beside it), the PDF viewer, countersigning (with a fresh code of one's authenticator app) and the check of the
signatures. The same page for an adviser acting for the employer (INT-2)."""

from __future__ import annotations

import reflex as rx

from portal.components.dialogs import confirm_dialog
from portal.components.fields import field, job_progress, scheme_choice, submit_button, text
from portal.components.pdf_viewer import pdf_viewer
from portal.components.shell import Shell, employer_shell
from portal.components.table import Column, data_table, none_yet, titled_section
from portal.state.employer.forms import EmployerFormsState as F

WAITING_FOR_COUNTERSIGNATURE = "waiting_for_countersignature"
SIGNED = ("waiting_for_countersignature", "completed")
OPEN = rx.Var.create(["prepared", "waiting_for_employee", "waiting_for_countersignature"])


def _status(row: rx.Var) -> rx.Component:
    """The status in words and colour; a decline's reason beside it, when one was given."""
    return rx.flex(
        rx.badge(
            row["status_label"],
            color_scheme=row["colour"].to(str),
            variant="soft",
            high_contrast=True,
            size="2",
            class_name="form-status",
            data_status=row["status"],
        ),
        rx.cond(
            row["reason"].to(str) != "",
            rx.text(
                text("formpage.reason"),
                ": ",
                row["reason"],
                size="2",
                class_name="form-reason",
                style={"overflowWrap": "anywhere"},
            ),
        ),
        direction="column",
        gap="0.25rem",
        align="start",
    )


def _actions(row: rx.Var, **props) -> rx.Component:
    return rx.flex(
        rx.button(
            rx.icon("eye", size=16, aria_hidden="true"),
            text("formpage.open"),
            on_click=F.open_form(row["id"]),
            aria_label=row["open_label"],
            variant="soft",
            size="2",
            class_name="form-open",
        ),
        rx.cond(
            (row["status"] == SIGNED[0]) | (row["status"] == SIGNED[1]),
            rx.button(
                rx.icon("shield-check", size=16, aria_hidden="true"),
                text("formpage.verify"),
                on_click=F.verify(row["id"]),
                variant="soft",
                color_scheme="gray",
                size="2",
                class_name="form-verify",
            ),
        ),
        rx.cond(
            F.can_prepare & (row["status"] == WAITING_FOR_COUNTERSIGNATURE),
            rx.button(
                rx.icon("pen-line", size=16, aria_hidden="true"),
                text("formpage.countersign"),
                on_click=F.ask_countersign(row["id"]),
                size="2",
                class_name="form-countersign",
            ),
        ),
        rx.cond(
            F.can_prepare & OPEN.contains(row["status"]),
            rx.button(
                text("formpage.withdraw"),
                on_click=F.ask_withdraw(row["id"]),
                variant="ghost",
                color_scheme="red",
                size="2",
                class_name="form-withdraw",
            ),
        ),
        gap="0.5rem",
        wrap="wrap",
        **props,
    )


COLUMNS = (
    Column("formpage.col.form", lambda r: r["title"], names_row=True),
    Column("formpage.col.person", lambda r: r["number"].to(str) + " · " + r["person"].to(str)),
    Column("formpage.col.status", _status),
    Column("formpage.col.date", lambda r: r["date"], nowrap=True),
    Column("formpage.col.actions", _actions),
)


def _card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.text(row["title"], weight="bold"),
            rx.text(row["number"].to(str) + " · " + row["person"].to(str), size="2"),
            rx.flex(_status(row), rx.text(row["date"], size="2", color_scheme="gray"), gap="0.5rem", align="start"),
            _actions(row, margin_top="0.5rem"),
            size="1",
        ),
        list_style="none",
    )


def _kind_choice() -> rx.Component:
    return rx.box(
        rx.el.label(text("formpage.kind"), html_for="form-kind", class_name="field-label"),
        rx.el.select(
            rx.foreach(F.kinds, lambda k: rx.el.option(k["label"], value=k["value"])),
            id="form-kind",
            name="kind",
            value=F.kind,
            on_change=F.set_kind,
            class_name="native-select",
            width="100%",
            max_width="28rem",
        ),
        rx.text(F.errors.get("kind", ""), role="alert", color_scheme="red", size="2", class_name="field-error"),
        class_name="field",
    )


def _candidates() -> rx.Component:
    return rx.box(
        rx.form(
            rx.flex(
                rx.box(
                    field("formpage.search", "search", F.errors, field_id="form-search", default_value=F.search),
                    flex="1",
                    min_width="12rem",
                ),
                rx.button(text("formpage.find"), type="submit", size="3", variant="soft"),
                gap="0.5rem",
                align="end",
            ),
            on_submit=F.find,
        ),
        rx.el.fieldset(
            rx.el.legend(text("formpage.candidates"), class_name="field-label"),
            rx.cond(
                F.candidates.length() == 0,
                rx.text(text("formpage.no_candidates"), size="2", color_scheme="gray"),
            ),
            rx.box(
                rx.foreach(
                    F.candidates,
                    lambda c: rx.el.label(
                        rx.checkbox(
                            checked=F.picked.contains(c["id"]),
                            on_change=lambda on: F.toggle(c["id"], on),
                            id="pick-" + c["id"].to(str),
                            aria_label=c["label"],
                            class_name="form-pick",
                        ),
                        rx.text(c["label"], as_="span", size="2"),
                        display="flex",
                        gap="0.5rem",
                        align_items="center",
                        padding_y="0.25rem",
                    ),
                ),
                max_height="14rem",
                overflow_y="auto",
                border="1px solid var(--gray-a5)",
                border_radius="var(--radius-2)",
                padding="0.5rem",
            ),
            border="none",
            padding="0",
            margin="0.5rem 0 0 0",
            id="form-candidates",
        ),
        rx.box(
            rx.text(text("formpage.picked"), weight="medium", size="2", margin_top="0.75rem"),
            rx.cond(
                F.picked.length() == 0,
                rx.text(text("formpage.none_picked"), size="2", color_scheme="gray"),
                rx.flex(
                    rx.foreach(F.picked_list, lambda p: rx.badge(p["label"], size="2", variant="soft")),
                    gap="0.5rem",
                    wrap="wrap",
                    id="form-picked",
                ),
            ),
            rx.text(
                F.errors.get("participants", ""), role="alert", color_scheme="red", size="2", class_name="field-error"
            ),
        ),
    )


def _values() -> rx.Component:
    return rx.match(
        F.kind,
        (
            "deferred_compensation",
            rx.grid(
                field(
                    "formpage.field.amount",
                    "amount",
                    F.errors,
                    field_id="form-amount",
                    input_mode="decimal",
                    hint=text("formpage.amount_hint"),
                ),
                field(
                    "formpage.field.start_date",
                    "start_date",
                    F.errors,
                    field_id="form-start",
                    type="date",
                    hint=text("formpage.start_hint"),
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                gap="1rem",
            ),
        ),
        (
            "join_decision",
            field(
                "formpage.field.information_shown",
                "information_shown",
                F.errors,
                field_id="form-information",
                type=None,
                control=rx.text_area,
                rows="4",
            ),
        ),
        (
            "exit",
            rx.grid(
                field("formpage.field.exit_date", "exit_date", F.errors, field_id="form-exit-date", type="date"),
                field(
                    "formpage.field.dormant_rights",
                    "dormant_rights",
                    F.errors,
                    field_id="form-dormant",
                    input_mode="decimal",
                ),
                columns=rx.breakpoints(initial="1", sm="2"),
                gap="1rem",
            ),
        ),
        rx.text(text("formpage.no_fields"), size="2", color_scheme="gray"),
    )


def _prepare() -> rx.Component:
    return rx.cond(
        F.can_prepare,
        rx.card(
            rx.heading(text("formpage.prepare"), as_="h2", size="4", margin_bottom="0.75rem"),
            rx.flex(
                scheme_choice("formpage.scheme", "form-scheme", F.schemes, F.scheme_id, F.set_scheme, 1, True),
                _kind_choice(),
                _candidates(),
                rx.form(
                    rx.flex(
                        _values(),
                        rx.box(submit_button("formpage.send", id="form-send", disabled=F.running), max_width="20rem"),
                        direction="column",
                        gap="1rem",
                    ),
                    on_submit=F.prepare,
                    reset_on_submit=False,
                    id="form-prepare",
                ),
                _progress(),
                _refused(),
                direction="column",
                gap="1rem",
            ),
            size="3",
            margin_bottom="1.5rem",
            max_width="48rem",
        ),
        rx.cond(F.loaded, rx.callout(text("formpage.no_rights"), icon="info", margin_bottom="1rem")),
    )


def _progress() -> rx.Component:
    """The prepare job's progress while it runs (many participants at once)."""
    return job_progress(F.running, F.progress_pct, F.job, "formpage.progress", "form-progress")


def _refused() -> rx.Component:
    """The participants no form was prepared for, each with why."""
    return rx.cond(
        F.refused.length() > 0,
        rx.callout.root(
            rx.callout.icon(rx.icon("triangle-alert")),
            rx.box(
                rx.text(text("formpage.refused_title"), weight="bold"),
                rx.el.ul(rx.foreach(F.refused, lambda line: rx.el.li(line)), margin="0.25rem 0 0 1rem", padding="0"),
            ),
            color_scheme="amber",
            role="status",
            id="form-refused",
        ),
    )


def _checks() -> rx.Component:
    return rx.cond(
        F.checks.length() > 0,
        rx.card(
            rx.heading(text("formpage.checks"), as_="h2", size="4"),
            rx.text(F.checked_title, size="2", color_scheme="gray"),
            rx.el.ul(
                rx.foreach(
                    F.checks,
                    lambda c: rx.el.li(
                        rx.flex(
                            rx.icon(
                                rx.cond(c["ok"] != "", "circle-check", "circle-x"),
                                color=rx.cond(c["ok"] != "", "var(--green-11)", "var(--red-11)"),
                                size=18,
                                aria_hidden="true",
                            ),
                            rx.text(c["field"], weight="bold"),
                            rx.text(c["result"], class_name="check-result"),
                            gap="0.5rem",
                            align="center",
                            wrap="wrap",
                        ),
                        rx.cond(
                            c["signer"] != "",
                            rx.text(text("formpage.signer"), ": ", c["signer"], size="2"),
                        ),
                        rx.cond(
                            c["certificate"] != "",
                            rx.text(
                                text("formpage.certificate"),
                                ": ",
                                c["certificate"],
                                size="2",
                                color_scheme="gray",
                                style={"overflowWrap": "anywhere"},
                            ),
                        ),
                        class_name="form-check",
                        margin_top="0.5rem",
                        list_style="none",
                    ),
                ),
                padding="0",
                margin="0",
            ),
            id="form-checks",
            margin_bottom="1rem",
        ),
    )


def _confirm() -> rx.Component:
    """Countersigning: what it means, and a fresh code of the countersigner's authenticator app (a wrong or used
    code is said at the field; the dialog stays open)."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(text("formpage.countersign_title")),
            rx.alert_dialog.description(text("formpage.countersign_text"), size="2"),
            rx.form(
                rx.box(
                    field(
                        "formpage.code",
                        "code",
                        F.sign_errors,
                        field_id="countersign-code",
                        autocomplete="one-time-code",
                        input_mode="numeric",
                        pattern="[0-9 ]*",
                        max_length=8,
                        hint=text("formpage.code_hint"),
                    ),
                    margin_top="0.75rem",
                ),
                rx.hstack(
                    rx.alert_dialog.cancel(rx.button(text("formpage.cancel"), variant="soft", color_scheme="gray")),
                    rx.button(
                        text("formpage.countersign"), type="submit", high_contrast=True, id="countersign-confirm"
                    ),
                    justify="end",
                    spacing="3",
                    margin_top="1rem",
                ),
                on_submit=F.countersign,
                reset_on_submit=True,
            ),
            max_width="28rem",
        ),
        open=F.confirm_open,
        on_open_change=F.confirm_change,
    )


def _confirm_withdraw() -> rx.Component:
    return confirm_dialog(
        title=text("formpage.withdraw_title"),
        description=text("formpage.withdraw_text"),
        cancel=text("formpage.cancel"),
        confirm=text("formpage.withdraw"),
        on_confirm=F.withdraw,
        is_open=F.withdraw_open,
        on_open_change=F.withdraw_change,
    )


def forms_page(shell: Shell = employer_shell) -> rx.Component:
    """/employer/forms (and an adviser's, acting for the employer)."""
    return shell(
        "menu.forms",
        rx.text(text("formpage.intro"), color_scheme="gray", margin_bottom="1rem", max_width="48rem"),
        rx.cond(
            F.notice != "",
            rx.callout(
                F.notice,
                icon="circle-check",
                color_scheme="green",
                role="status",
                margin_bottom="1rem",
                id="form-notice",
            ),
        ),
        rx.cond(
            F.message != "",
            rx.callout(
                F.message,
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
                margin_bottom="1rem",
                id="form-message",
            ),
        ),
        _prepare(),
        rx.box(pdf_viewer(F.selected, F.close_viewer, "form"), id="form-viewer-box"),
        _checks(),
        titled_section(
            "formpage.list",
            "form-list-title",
            rx.cond(
                ~F.can_prepare,
                scheme_choice("formpage.scheme", "form-scheme-list", F.schemes, F.scheme_id, F.set_scheme, 1, True),
            ),
            data_table(COLUMNS, F.rows, name="formpage.list", table_id="form-table", variant="surface", card=_card),
            none_yet("formpage.none", F.loaded & (F.rows.length() == 0)),
        ),
        _confirm(),
        _confirm_withdraw(),
    )
