"""My profile (EE-4): name, date of birth and the national id (masked) as the employer's record has them, the
private e-mail address (confirmed by a link), the language of the statements and the notification preference;
and the step after the first sign-in that asks for the private address, and the confirmation link's page."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import field, notice, text
from portal.components.public import public_frame
from portal.components.shell import employee_shell
from portal.state.auth import SessionState
from portal.state.employee.profile import ConfirmEmailState, ProfileState, WelcomeState

P = ProfileState
TOUCH = {"min_height": "44px"}


def _fact(label_key: str, value: rx.Var, fid: str) -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(text(label_key), min_width=rx.breakpoints(initial="0", sm="12rem"), color_scheme="gray"),
        rx.data_list.value(rx.text(value, id=fid, style={"overflowWrap": "anywhere"})),
    )


def _section(title_key: str, section_id: str, *children: rx.Component) -> rx.Component:
    return rx.el.section(
        rx.card(
            rx.vstack(
                rx.heading(text(title_key), as_="h2", size="4", id=f"{section_id}-title"),
                *children,
                spacing="3",
                width="100%",
            ),
            size="2",
            width="100%",
        ),
        aria_labelledby=f"{section_id}-title",
        id=section_id,
        width="100%",
    )


def _employer(e: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(e["name"], weight="medium", style={"overflowWrap": "anywhere"}),
        rx.cond(e["former"] != "", rx.text(text("contracts.former_employer_note"), size="2")),
        rx.cond(
            e["contact"] != "",
            rx.text(e["contact"], size="2", color_scheme="gray", style={"overflowWrap": "anywhere"}),
            rx.text(text("profile.no_contact"), size="2", color_scheme="gray"),
        ),
        list_style="none",
        margin_bottom="0.5rem",
    )


def _email_form(errors: rx.Var, on_submit, form_id: str, label_key: str, button_key: str) -> rx.Component:
    return rx.form(
        rx.vstack(
            field(label_key, "private_email", errors, field_id=f"{form_id}-email", type="email", autocomplete="email"),
            rx.button(text(button_key), type="submit", size="3", width="100%", id=f"{form_id}-submit"),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        id=form_id,
        width="100%",
    )


def _radio(value: str, label_key: str) -> rx.Component:
    return rx.el.label(
        rx.el.input(
            type="radio",
            name="statement_language",
            value=value,
            checked=P.statement_language == value,
            on_change=P.set_statement_language(value),
            id=f"lang-{value}",
            style={"width": "1.25rem", "height": "1.25rem"},
        ),
        text(label_key),
        display="flex",
        align_items="center",
        gap="0.75rem",
        style=TOUCH,
    )


def profile_page() -> rx.Component:
    """EE-4: what the employer keeps (shown), what the employee sets (the address, language, mails)."""
    return employee_shell(
        "menu.profile",
        rx.cond(P.status != "", notice(P.status, "green")),
        rx.vstack(
            _section(
                "profile.personal",
                "personal",
                rx.data_list.root(
                    _fact("profile.name", P.name, "profile-name"),
                    _fact("profile.birth_date", P.birth_date, "profile-birth"),
                    _fact("profile.national_id", P.national_id, "profile-national-id"),
                    orientation={"initial": "vertical", "sm": "horizontal"},
                    size="2",
                ),
                rx.text(text("profile.employer_keeps"), size="2"),
                rx.el.ul(rx.foreach(P.employers, _employer), padding="0", margin="0", id="employer-contacts"),
            ),
            _section(
                "profile.private_email",
                "private-email",
                rx.text(text("profile.private_email_intro"), size="2", color_scheme="gray"),
                rx.text(
                    text("profile.private_email_current"),
                    " ",
                    rx.cond(P.private_email != "", rx.el.strong(P.private_email), text("profile.none_set")),
                    id="private-email-current",
                    style={"overflowWrap": "anywhere"},
                ),
                rx.cond(
                    P.pending_email != "",
                    rx.text(
                        text("profile.pending"),
                        " ",
                        rx.el.strong(P.pending_email),
                        size="2",
                        id="pending-email",
                        style={"overflowWrap": "anywhere"},
                    ),
                ),
                _email_form(
                    P.errors,
                    P.submit_email,
                    "private-email-form",
                    "profile.new_private_email",
                    "profile.send_confirmation",
                ),
                rx.cond(
                    P.private_email != "",
                    rx.button(
                        text("profile.remove_email"),
                        on_click=P.remove_email,
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                        width="100%",
                        id="remove-email",
                    ),
                ),
            ),
            _section(
                "profile.statement_language",
                "statement-language",
                rx.el.fieldset(
                    rx.el.legend(text("profile.statement_language_legend"), class_name="field-label"),
                    _radio("nl", "profile.language.nl"),
                    _radio("en", "profile.language.en"),
                    border="none",
                    padding="0",
                    margin="0",
                ),
                rx.text(text("profile.statement_language_note"), size="2", color_scheme="gray"),
            ),
            _section(
                "profile.notifications",
                "notifications",
                rx.el.label(
                    rx.switch(
                        checked=P.notify,
                        on_change=P.set_notify,
                        id="notify-switch",
                        size="3",
                    ),
                    text("profile.notify_label"),
                    html_for="notify-switch",
                    display="flex",
                    align_items="center",
                    gap="0.75rem",
                    style=TOUCH,
                ),
                rx.text(text("profile.notify_note"), size="2", color_scheme="gray"),
            ),
            spacing="4",
            width="100%",
        ),
    )


def welcome_page() -> rx.Component:
    """The step after the first sign-in: the private address, or skip (asked once)."""
    W = WelcomeState
    return employee_shell(
        "profile.welcome_title",
        rx.text(text("profile.welcome_intro")),
        rx.cond(
            W.sent_to != "",
            rx.vstack(
                notice(text("profile.welcome_sent"), "green"),
                rx.text(W.sent_to, weight="bold", id="welcome-sent-to", style={"overflowWrap": "anywhere"}),
                rx.link(
                    rx.button(text("profile.welcome_continue"), size="3", width="100%", as_="span"),
                    href="/employee",
                    width="100%",
                    id="welcome-continue",
                ),
                spacing="3",
                width="100%",
                margin_top="1rem",
            ),
            rx.vstack(
                _email_form(W.errors, W.submit, "welcome-form", "profile.private_email", "profile.send_confirmation"),
                rx.button(
                    text("profile.welcome_skip"),
                    on_click=W.skip,
                    variant="soft",
                    color_scheme="gray",
                    size="3",
                    width="100%",
                    id="welcome-skip",
                ),
                rx.text(text("profile.welcome_later"), size="2", color_scheme="gray"),
                spacing="3",
                width="100%",
                margin_top="1rem",
            ),
        ),
    )


def confirm_email_page() -> rx.Component:
    """The confirmation link's page: confirmed, or the link is no longer valid."""
    C = ConfirmEmailState
    return public_frame(
        "profile.confirm_title",
        rx.match(
            C.outcome,
            (
                "confirmed",
                rx.vstack(
                    notice(text("profile.confirmed"), "green"),
                    rx.text(C.email, weight="bold", id="confirmed-email", style={"overflowWrap": "anywhere"}),
                    spacing="3",
                    width="100%",
                ),
            ),
            ("invalid", notice(text("profile.confirm_invalid"), "amber")),
            rx.spinner(),
        ),
        rx.link(
            rx.cond(SessionState.signed_in, text("profile.to_profile"), text("profile.to_login")),
            href=rx.cond(SessionState.signed_in, "/employee/profile", "/login"),
            id="confirm-continue",
        ),
    )
