"""Portal accounts page (EMP-9): the company's accounts and their roles; invite a new account."""

from __future__ import annotations

import reflex as rx

from portal.components.dialogs import confirm_dialog
from portal.components.fields import field, text
from portal.components.shell import employer_shell
from portal.components.table import Column, data_table
from portal.domain.roles import ROLE_ORDER
from portal.state.auth import SessionState
from portal.state.employer.users import UsersState

FIELDSET = {
    "border": "1px solid var(--gray-a6)",
    "borderRadius": "var(--radius-3)",
    "padding": "0.75rem 1rem 1rem",
    "margin": "0",
    "width": "100%",
    "minWidth": "0",
}
LEGEND = {"fontWeight": "600", "padding": "0 0.35rem"}


def notice(body: rx.Var | str, scheme: rx.Var | str = "blue") -> rx.Component:
    """A status message in high contrast (announced politely)."""
    return rx.callout(body, icon="info", color_scheme=scheme, high_contrast=True, role="status", width="100%")


def _status(status: rx.Var) -> rx.Component:
    colour = rx.match(status, ("active", "green"), ("invited", "amber"), "gray")
    return rx.badge(
        SessionState.t["users.status." + status.to(str)],
        color_scheme=colour,
        variant="soft",
        high_contrast=True,
        size="2",
    )


def _role_badges(role_list: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(
            role_list.to(str).split(","),
            lambda r: rx.badge(SessionState.t["role." + r], variant="outline", color_scheme="gray", size="1"),
        ),
        spacing="1",
        wrap="wrap",
    )


def _actions(row: rx.Var) -> rx.Component:
    disabled = row["status"] == "disabled"
    who = row["who"]
    return rx.cond(
        row["self"] != "",
        rx.text(text("users.this_is_you"), size="2", color_scheme="gray"),
        rx.flex(
            rx.button(
                text("users.change_roles"),
                rx.el.span(" ", who, class_name="sr-only"),
                size="1",
                variant="soft",
                high_contrast=True,
                on_click=UsersState.open_roles(row["id"]),
            ),
            rx.button(
                rx.cond(disabled, text("users.enable"), text("users.disable")),
                rx.el.span(" ", who, class_name="sr-only"),
                size="1",
                variant="soft",
                high_contrast=True,
                color_scheme=rx.cond(disabled, "green", "red"),
                on_click=UsersState.ask_status(row["id"]),
            ),
            direction="column",
            align="start",
            spacing="1",
        ),
    )


COLUMNS = (
    Column("users.name", lambda r: r["name"], names_row=True, nowrap=True),
    Column("users.username", lambda r: r["username"], nowrap=True),
    Column("users.email", lambda r: r["email"], wrap_anywhere=True),
    Column("users.roles", lambda r: _role_badges(r["role_list"])),
    Column("users.status", lambda r: _status(r["status"])),
    Column("users.actions", _actions),
)


def _accounts_table() -> rx.Component:
    return rx.el.section(
        rx.heading(text("users.accounts"), as_="h2", size="4", margin_bottom="0.75rem", id="accounts-title"),
        rx.cond(
            UsersState.row_message != "",
            rx.box(notice(UsersState.row_message, rx.cond(UsersState.row_ok, "green", "red")), margin_bottom="0.75rem"),
        ),
        data_table(
            COLUMNS,
            UsersState.rows,
            name="users.accounts",
            table_id="accounts",
            size="1",
            variant="surface",
            row_props=lambda r: {"data_account": r["email"]},
        ),
        margin_bottom="2rem",
    )


def _role_choice(role: str, errors: rx.Var, checked: rx.Var | bool = False, prefix: str = "new") -> rx.Component:
    return rx.box(
        rx.checkbox(
            SessionState.t[f"role.{role}"],
            name=f"role_{role}",
            id=f"{prefix}-role-{role}",
            default_checked=checked,
            size="2",
            aria_describedby=f"{prefix}-role-{role}-hint",
        ),
        rx.text(
            text(f"users.role_hint.{role}"),
            id=f"{prefix}-role-{role}-hint",
            size="1",
            color_scheme="gray",
            padding_left="1.6rem",
        ),
    )


def _roles_fieldset(errors: rx.Var, prefix: str, checked: dict | None = None) -> rx.Component:
    error = errors.get("roles", "")
    return rx.el.fieldset(
        rx.el.legend(text("users.roles"), style=LEGEND),
        rx.vstack(
            *[_role_choice(role, errors, (checked or {}).get(role, False), prefix) for role in ROLE_ORDER],
            spacing="2",
        ),
        rx.text(
            error, id=f"{prefix}-roles-error", role="alert", color_scheme="red", size="2", class_name="field-error"
        ),
        aria_describedby=f"{prefix}-roles-error",
        style=FIELDSET,
    )


def _create_form() -> rx.Component:
    errors = UsersState.create_errors
    return rx.el.section(
        rx.card(
            rx.heading(text("users.new"), as_="h2", size="4", margin_bottom="0.5rem", id="new-account-title"),
            rx.text(text("users.new_intro"), size="2", color_scheme="gray", margin_bottom="1rem"),
            rx.cond(UsersState.created != "", rx.box(notice(UsersState.created, "green"), margin_bottom="1rem")),
            rx.form(
                rx.vstack(
                    rx.grid(
                        field("users.name", "display_name", errors, field_id="new-name", autocomplete="off"),
                        field("users.email", "email", errors, field_id="new-email", type="email", autocomplete="off"),
                        columns={"initial": "1", "sm": "2"},
                        spacing="3",
                        width="100%",
                    ),
                    _roles_fieldset(errors, "new"),
                    rx.button(text("users.create"), type="submit", size="3", high_contrast=True),
                    spacing="4",
                    width="100%",
                    align="start",
                ),
                on_submit=UsersState.create,
                reset_on_submit=False,
                key=UsersState.form_key,
                id="new-account-form",
            ),
            size="3",
        ),
        aria_labelledby="new-account-title",
        max_width="48rem",
    )


def _roles_dialog() -> rx.Component:
    roles = UsersState.edit_roles
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(text("users.change_roles")),
            rx.dialog.description(
                SessionState.t["users.change_roles_for"].to(str).replace("{name}", UsersState.edit_name),
                size="2",
                margin_bottom="1rem",
            ),
            rx.form(
                rx.vstack(
                    _roles_fieldset(
                        UsersState.edit_errors,
                        "edit",
                        {role: roles.contains(role) for role in ROLE_ORDER},
                    ),
                    rx.text(
                        UsersState.edit_errors.get("account", ""),
                        role="alert",
                        color_scheme="red",
                        size="2",
                        class_name="field-error",
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(text("company.cancel"), type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button(text("users.save_roles"), type="submit", high_contrast=True),
                        justify="end",
                        spacing="3",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=UsersState.save_roles,
                reset_on_submit=False,
                id="roles-form",
            ),
            max_width="28rem",
        ),
        open=UsersState.edit_open,
        on_open_change=UsersState.dialog_open_change,
    )


def _status_dialog() -> rx.Component:
    disable = UsersState.confirm_disable
    return confirm_dialog(
        title=rx.cond(disable, text("users.disable_title"), text("users.enable_title")),
        description=rx.cond(
            disable,
            SessionState.t["users.disable_text"].to(str).replace("{name}", UsersState.confirm_name),
            SessionState.t["users.enable_text"].to(str).replace("{name}", UsersState.confirm_name),
        ),
        cancel=text("company.cancel"),
        confirm=rx.cond(disable, text("users.disable"), text("users.enable")),
        on_confirm=UsersState.confirm_status,
        is_open=UsersState.confirm_open,
        on_open_change=UsersState.dialog_open_change,
        on_cancel=UsersState.close_dialogs,
        confirm_color=rx.cond(disable, "red", "green"),
    )


def users_page() -> rx.Component:
    """/employer/users"""
    return employer_shell(
        "menu.users",
        rx.text(text("users.intro"), margin_bottom="1.25rem", max_width="48rem"),
        rx.cond(UsersState.loaded, rx.box(_accounts_table(), _create_form(), max_width="72rem")),
        _roles_dialog(),
        _status_dialog(),
    )
