"""API-keys page (API-1): the company's keys for its payroll package; make one (shown once) or revoke one."""

from __future__ import annotations

import reflex as rx

from portal.components.dialogs import confirm_dialog
from portal.components.fields import field, text
from portal.components.shell import employer_shell
from portal.components.table import Column, data_table
from portal.pages.employer.users import notice
from portal.state.auth import SessionState
from portal.state.employer.api_keys import ApiKeysState


def _status(row: rx.Var) -> rx.Component:
    revoked = row["revoked"] != ""
    return rx.badge(
        rx.cond(revoked, text("api_keys.revoked"), text("api_keys.active")),
        color_scheme=rx.cond(revoked, "gray", "green"),
        variant="soft",
        high_contrast=True,
        size="2",
    )


def _actions(row: rx.Var) -> rx.Component:
    return rx.cond(
        row["revoked"] != "",
        rx.text("—", size="2"),
        rx.button(
            text("api_keys.revoke"),
            rx.el.span(" ", row["name"], class_name="sr-only"),
            size="1",
            variant="soft",
            color_scheme="red",
            high_contrast=True,
            on_click=ApiKeysState.ask_revoke(row["id"]),
        ),
    )


COLUMNS = (
    Column("api_keys.name", lambda r: r["name"], names_row=True),
    Column("api_keys.prefix", lambda r: rx.code(r["prefix"]), nowrap=True),
    Column("api_keys.created", lambda r: r["created"]),
    Column("api_keys.last_used", lambda r: r["last_used"], nowrap=True),
    Column("api_keys.status", _status),
    Column("api_keys.actions", _actions),
)


def _keys() -> rx.Component:
    return rx.el.section(
        rx.heading(text("api_keys.keys"), as_="h2", size="4", margin_bottom="0.75rem", id="api-keys-title"),
        rx.cond(ApiKeysState.message != "", rx.box(notice(ApiKeysState.message, "green"), margin_bottom="0.75rem")),
        rx.cond(
            ApiKeysState.rows.length() > 0,  # type: ignore[attr-defined]
            data_table(
                COLUMNS, ApiKeysState.rows, name="api_keys.keys", table_id="api-keys", size="1", variant="surface"
            ),
            rx.text(text("api_keys.none"), color_scheme="gray"),
        ),
        margin_bottom="2rem",
    )


def _new_key() -> rx.Component:
    return rx.callout.root(
        rx.callout.text(text("api_keys.shown_once")),
        rx.el.label(text("api_keys.new_key"), html_for="new-api-key", class_name="field-label"),
        rx.input(id="new-api-key", value=ApiKeysState.new_key, read_only=True, size="3", width="100%"),
        color_scheme="amber",
        role="status",
        width="100%",
        margin_bottom="1rem",
    )


def _create_form() -> rx.Component:
    return rx.el.section(
        rx.card(
            rx.heading(text("api_keys.new"), as_="h2", size="4", margin_bottom="0.75rem", id="new-api-key-title"),
            rx.cond(ApiKeysState.new_key != "", _new_key()),
            rx.form(
                rx.vstack(
                    field("api_keys.name", "name", ApiKeysState.errors, field_id="api-key-name", autocomplete="off"),
                    rx.button(text("api_keys.create"), type="submit", size="3", high_contrast=True),
                    spacing="3",
                    align="start",
                    width="100%",
                ),
                on_submit=ApiKeysState.create,
                reset_on_submit=False,
                key=ApiKeysState.form_key,
                id="new-api-key-form",
            ),
            size="3",
        ),
        aria_labelledby="new-api-key-title",
        max_width="48rem",
    )


def _revoke_dialog() -> rx.Component:
    return confirm_dialog(
        title=text("api_keys.revoke_title"),
        description=SessionState.t["api_keys.revoke_text"].to(str).replace("{name}", ApiKeysState.confirm_name),
        cancel=text("api_keys.cancel"),
        confirm=text("api_keys.revoke"),
        on_confirm=ApiKeysState.confirm_revoke,
        is_open=ApiKeysState.confirm_open,
        on_open_change=ApiKeysState.dialog_open_change,
    )


def api_keys_page() -> rx.Component:
    """/employer/api-keys"""
    return employer_shell(
        "menu.api_keys",
        rx.text(text("api_keys.intro"), margin_bottom="1.25rem", max_width="48rem"),
        rx.cond(ApiKeysState.loaded, rx.box(_create_form(), rx.box(height="1.5rem"), _keys(), max_width="72rem")),
        _revoke_dialog(),
    )
