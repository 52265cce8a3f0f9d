"""Company page (EMP-8): my details, my company (postal address and contact person editable), my adviser."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import field, text
from portal.components.shell import employer_shell
from portal.state.employer.company import CompanyState

FIELDSET = {
    "border": "1px solid var(--gray-a6)",
    "borderRadius": "var(--radius-3)",
    "padding": "0.75rem 1rem 1rem",
    "margin": "0",
    "width": "100%",
    "display": "flex",
    "flexDirection": "column",
    "gap": "0.75rem",
    "minWidth": "0",
}
LEGEND = {"fontWeight": "600", "padding": "0 0.35rem"}


def notice(body: rx.Var | str, scheme: rx.Var | str = "blue") -> rx.Component:
    """A status message in high contrast (announced politely)."""
    return rx.callout(body, icon="info", color_scheme=scheme, high_contrast=True, role="status", width="100%")


def _fact(label_key: str, value: rx.Var) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(text(label_key), min_width="10rem"),
        rx.data_list.value(rx.cond(value != "", value, "—")),
    )


def section_card(section_id: str, title_key: str, *children: rx.Component) -> rx.Component:
    """A card holding one section of an employer page, named by its heading."""
    return rx.card(
        rx.el.section(
            rx.heading(text(title_key), as_="h2", size="4", margin_bottom="0.75rem", id=f"{section_id}-title"),
            *children,
            aria_labelledby=f"{section_id}-title",
        ),
        size="3",
        width="100%",
        id=section_id,
    )


def _buttons(save_key: str, on_cancel) -> rx.Component:
    return rx.hstack(
        rx.button(text(save_key), type="submit", size="3", high_contrast=True),
        rx.button(
            text("company.cancel"), type="button", variant="soft", color_scheme="gray", size="3", on_click=on_cancel
        ),
        spacing="3",
        margin_top="0.5rem",
    )


def _edit_button(label_key: str, on_click) -> rx.Component:
    return rx.button(
        rx.icon("pencil", size=16, aria_hidden="true"),
        text(label_key),
        variant="soft",
        size="2",
        on_click=on_click,
        margin_top="1rem",
    )


def _saved(which: str) -> rx.Component:
    return rx.cond(
        CompanyState.saved == which,
        rx.box(notice(text("company.saved"), "green"), margin_bottom="0.75rem"),
    )


# ---------------------------------------------------------------- my details


def _me_view() -> rx.Component:
    me = CompanyState.me
    return rx.box(
        rx.data_list.root(
            _fact("company.my_name", me["name"]),
            _fact("company.my_email", me["email"]),
            _fact("company.my_username", me["username"]),
        ),
        _edit_button("company.edit_me", CompanyState.edit_me(True)),
    )


def _me_form() -> rx.Component:
    errors = CompanyState.me_errors
    return rx.form(
        rx.vstack(
            field(
                "company.my_name", "display_name", errors, autocomplete="name", default_value=CompanyState.me["name"]
            ),
            field(
                "company.my_email",
                "email",
                errors,
                type="email",
                autocomplete="email",
                default_value=CompanyState.me["email"],
            ),
            _buttons("company.save", CompanyState.edit_me(False)),
            spacing="3",
            width="100%",
        ),
        on_submit=CompanyState.save_me,
        reset_on_submit=False,
        id="me-form",
    )


# ---------------------------------------------------------------- my company


def _firm_view() -> rx.Component:
    firm = CompanyState.firm
    return rx.box(
        rx.grid(
            rx.data_list.root(
                _fact("company.name", firm["name"]),
                _fact("company.kvk", firm["kvk"]),
                _fact(
                    "company.postal_address",
                    rx.vstack(
                        rx.text(firm["postal_street"], " ", firm["postal_house_number"]),
                        rx.text(firm["postal_code"], "  ", firm["postal_city"]),
                        rx.cond(firm["postal_country"] != "NL", rx.text(firm["country_name"])),
                        spacing="0",
                    ),
                ),
            ),
            rx.data_list.root(
                _fact("company.contact_name", firm["contact_name"]),
                _fact("company.contact_email", firm["contact_email"]),
                _fact("company.contact_phone", firm["contact_phone"]),
            ),
            columns={"initial": "1", "md": "2"},
            spacing="4",
        ),
        rx.cond(
            CompanyState.can_edit,
            _edit_button("company.edit_company", CompanyState.edit_firm(True)),
            rx.text(text("company.read_only"), size="2", color_scheme="gray", margin_top="1rem"),
        ),
    )


def _country() -> rx.Component:
    error = CompanyState.firm_errors.get("postal_country", "")
    return rx.box(
        rx.el.label(text("company.country"), html_for="f-postal_country", class_name="field-label"),
        rx.select.root(
            rx.select.trigger(
                id="f-postal_country",
                width="100%",
                aria_describedby="f-postal_country-error",
                aria_invalid=rx.cond(error != "", "true", "false"),
            ),
            rx.select.content(rx.foreach(CompanyState.countries, lambda c: rx.select.item(c[1], value=c[0]))),
            name="postal_country",
            default_value=CompanyState.firm["postal_country"],
            size="3",
        ),
        rx.text(
            error, id="f-postal_country-error", role="alert", color_scheme="red", size="2", class_name="field-error"
        ),
        width="100%",
        class_name="field",
    )


def _firm_form() -> rx.Component:
    errors = CompanyState.firm_errors
    firm = CompanyState.firm
    return rx.form(
        rx.vstack(
            rx.text(text("company.only_address"), size="2", color_scheme="gray"),
            rx.grid(
                rx.el.fieldset(
                    rx.el.legend(text("company.postal_address"), style=LEGEND),
                    rx.grid(
                        field(
                            "company.street",
                            "postal_street",
                            errors,
                            autocomplete="address-line1",
                            default_value=firm["postal_street"],
                        ),
                        field(
                            "company.house_number",
                            "postal_house_number",
                            errors,
                            default_value=firm["postal_house_number"],
                        ),
                        columns={"initial": "1", "sm": "minmax(0, 5fr) minmax(0, 2fr)"},
                        spacing="3",
                        width="100%",
                    ),
                    rx.grid(
                        field(
                            "company.postcode",
                            "postal_code",
                            errors,
                            autocomplete="postal-code",
                            default_value=firm["postal_code"],
                        ),
                        field(
                            "company.city",
                            "postal_city",
                            errors,
                            autocomplete="address-level2",
                            default_value=firm["postal_city"],
                        ),
                        columns={"initial": "1", "sm": "minmax(0, 2fr) minmax(0, 3fr)"},
                        spacing="3",
                        width="100%",
                    ),
                    _country(),
                    style=FIELDSET,
                ),
                rx.el.fieldset(
                    rx.el.legend(text("company.contact_person"), style=LEGEND),
                    field("company.contact_name", "contact_name", errors, default_value=firm["contact_name"]),
                    field(
                        "company.contact_email",
                        "contact_email",
                        errors,
                        type="email",
                        default_value=firm["contact_email"],
                    ),
                    field(
                        "company.contact_phone",
                        "contact_phone",
                        errors,
                        type="tel",
                        default_value=firm["contact_phone"],
                    ),
                    style=FIELDSET,
                ),
                columns={"initial": "1", "lg": "2"},
                spacing="4",
                width="100%",
                align="start",
            ),
            _buttons("company.save", CompanyState.edit_firm(False)),
            spacing="4",
            width="100%",
        ),
        on_submit=CompanyState.save_firm,
        reset_on_submit=False,
        id="company-form",
    )


# ---------------------------------------------------------------- my adviser


def _adviser() -> rx.Component:
    adv = CompanyState.adviser
    return rx.box(
        rx.data_list.root(
            _fact("company.adviser_name", adv["name"]),
            _fact("company.adviser_email", adv["email"]),
            _fact("company.adviser_phone", adv["phone"]),
        ),
        rx.text(text("company.adviser_read_only"), size="2", color_scheme="gray", margin_top="1rem"),
    )


def _notify() -> rx.Component:
    """PLT-2: the switch for notification mails about new documents, saved on the server at once."""
    return rx.box(
        rx.heading(text("doc.notify_heading"), as_="h3", size="3", margin_bottom="0.5rem"),
        rx.flex(
            rx.switch(
                id="notify-mail",
                checked=CompanyState.notify_mail,
                on_change=CompanyState.set_notify_mail,
                aria_describedby="notify-mail-hint notify-mail-state",
                size="2",
            ),
            rx.el.label(text("doc.notify_label"), html_for="notify-mail", class_name="field-label", margin="0"),
            align="center",
            gap="0.6rem",
        ),
        rx.text(text("doc.notify_hint"), id="notify-mail-hint", size="1", color_scheme="gray", margin_top="0.35rem"),
        rx.text(
            rx.cond(CompanyState.notify_mail, text("doc.notify_on"), text("doc.notify_off")),
            id="notify-mail-state",
            role="status",
            size="2",
            margin_top="0.25rem",
        ),
        rx.text(CompanyState.notify_error, role="alert", color_scheme="red", size="2"),
        id="notify",
        border_top="1px solid var(--gray-a5)",
        padding_top="0.75rem",
        margin_top="1rem",
    )


def company_page() -> rx.Component:
    """/employer/company"""
    return employer_shell(
        "menu.company",
        rx.cond(
            CompanyState.loaded,
            rx.vstack(
                rx.grid(
                    section_card(
                        "me",
                        "company.my_details",
                        _saved("me"),
                        rx.cond(CompanyState.editing_me, _me_form(), _me_view()),
                        _notify(),
                    ),
                    section_card("adviser", "company.my_adviser", _adviser()),
                    columns={"initial": "1", "lg": "2"},
                    spacing="4",
                    width="100%",
                ),
                section_card(
                    "company",
                    "company.my_company",
                    _saved("firm"),
                    rx.cond(CompanyState.editing_firm, _firm_form(), _firm_view()),
                ),
                spacing="4",
                max_width="64rem",
            ),
        ),
    )
