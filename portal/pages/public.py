"""Public pages: login (+ second factor), activation, forgotten details, no access."""

from __future__ import annotations

import reflex as rx

from portal.components.fields import field, notice, or_separator, strength_meter, submit_button, text
from portal.components.public import public_frame
from portal.state.activate import ActivateState
from portal.state.auth import SessionState
from portal.state.forgot import ForgotState
from portal.state.login import LoginState
from portal.state.password import PasswordStrengthState


def _form(*children: rx.Component, on_submit, form_id: str) -> rx.Component:
    return rx.form(
        rx.vstack(*children, spacing="4", width="100%"),
        on_submit=on_submit,
        reset_on_submit=False,
        id=form_id,
        width="100%",
    )


def _code_field(label_key: str, errors: rx.Var, name: str = "code") -> rx.Component:
    return field(label_key, name, errors, autocomplete="one-time-code", input_mode="numeric", max_length=16)


def _eid_refused() -> rx.Component:
    """Why the national eID sign-in was refused, and that nothing was linked."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("circle-alert")),
        rx.vstack(
            rx.heading(text("eid.refused.title"), as_="h2", size="3"),
            rx.text(SessionState.t[LoginState.eid_refused]),
            rx.text(text("eid.refused.nothing_linked"), size="2"),
            spacing="1",
        ),
        color_scheme="red",
        role="alert",
        id="eid-refused",
        width="100%",
    )


def _eid_button() -> rx.Component:
    """The "Sign in with eID" button: a plain link to ``/auth/eid/start`` (a full page load: the flow leaves the
    app; a link, not a form, as the policy lets forms post to the portal only)."""
    return rx.vstack(
        rx.button(
            rx.el.a(
                rx.icon("fingerprint"),
                text("eid.sign_in"),
                href="/auth/eid/start",
                id="eid-sign-in",
                custom_attrs={"reloadDocument": True},  # a real page load, not the app's client-side routing
            ),
            as_child=True,
            size="3",
            width="100%",
            min_height="44px",
        ),
        rx.text(text("eid.sign_in_hint"), size="2", color_scheme="gray"),
        or_separator("eid.or"),
        spacing="2",
        width="100%",
    )


def _password_step() -> rx.Component:
    return rx.vstack(
        rx.cond(SessionState.login_notice != "", notice(SessionState.t[SessionState.login_notice], "amber")),
        rx.cond(LoginState.eid_refused != "", _eid_refused()),
        rx.cond(LoginState.eid_offered, _eid_button()),
        _form(
            field("login.username", "username", LoginState.errors, autocomplete="username"),
            field(
                "login.password",
                "password",
                LoginState.errors,
                type="password",
                autocomplete="current-password",
            ),
            submit_button("login.submit"),
            on_submit=LoginState.submit_password,
            form_id="login-form",
        ),
        rx.vstack(
            rx.link(text("login.forgot_username"), href="/forgot?tab=username"),
            rx.link(text("login.forgot_password"), href="/forgot"),
            rx.link(text("login.first_visit"), href="/activate", weight="bold"),
            spacing="1",
        ),
        spacing="4",
        width="100%",
    )


def _totp_step() -> rx.Component:
    recovery = LoginState.step == "recovery"
    return rx.vstack(
        rx.heading(text("login.totp_title"), as_="h2", size="4"),
        rx.text(rx.cond(recovery, text("login.recovery_code"), text("login.totp_intro"))),
        _form(
            rx.cond(
                recovery,
                field("login.recovery_code", "code", LoginState.errors, autocomplete="off"),
                _code_field("login.totp_code", LoginState.errors),
            ),
            submit_button("login.totp_submit"),
            on_submit=LoginState.submit_totp,
            form_id="totp-form",
        ),
        rx.button(
            rx.cond(recovery, text("login.use_totp"), text("login.use_recovery")),
            variant="ghost",
            on_click=LoginState.use_recovery(~recovery),
        ),
        spacing="3",
        width="100%",
    )


def _setup_step() -> rx.Component:
    return rx.vstack(
        rx.heading(text("login.setup_title"), as_="h2", size="4"),
        rx.text(text("login.setup_intro")),
        rx.center(
            rx.image(
                src=LoginState.qr_data_uri,
                alt=text("login.setup_qr_alt"),
                width="220px",
                height="220px",
                background="white",
                padding="8px",
                border_radius="8px",
            ),
            width="100%",
        ),
        rx.text(text("login.setup_manual"), size="2"),
        rx.code(LoginState.setup_key, id="totp-setup-key", size="3"),
        _form(
            _code_field("login.totp_code", LoginState.errors),
            submit_button("login.totp_submit"),
            on_submit=LoginState.submit_setup,
            form_id="setup-form",
        ),
        spacing="3",
        width="100%",
    )


def _codes_step() -> rx.Component:
    return rx.vstack(
        rx.heading(text("login.recovery_title"), as_="h2", size="4"),
        rx.text(text("login.recovery_intro")),
        rx.el.ul(
            rx.foreach(LoginState.recovery_codes, lambda c: rx.el.li(rx.code(c, size="3"))),
            id="recovery-codes",
            style={"columns": "2", "listStyle": "none", "padding": 0},
        ),
        rx.button(text("login.recovery_saved"), on_click=LoginState.codes_saved, size="3", width="100%"),
        spacing="3",
        width="100%",
    )


def login_page() -> rx.Component:
    return public_frame(
        "login.title",
        rx.match(
            LoginState.step,
            ("totp", _totp_step()),
            ("recovery", _totp_step()),
            ("setup", _setup_step()),
            ("codes", _codes_step()),
            _password_step(),
        ),
    )


def _choose_password(errors: rx.Var, label_key: str) -> rx.Component:
    return rx.box(
        field(
            label_key,
            "password",
            errors,
            type="password",
            autocomplete="new-password",
            on_change=PasswordStrengthState.measure.debounce(150),
        ),
        strength_meter(PasswordStrengthState.strength),
        width="100%",
    )


def _eid_option() -> rx.Component:
    """After a working invitation link: the eID way in, for those who want no password."""
    return rx.vstack(
        rx.text(text("activate.eid_hint"), size="2"),
        rx.link(
            rx.button(
                text("activate.eid"), variant="outline", size="3", width="100%", min_height="44px", type="button"
            ),
            href="/login",
            id="activate-eid",
            width="100%",
        ),
        width="100%",
        spacing="2",
    )


def activate_page() -> rx.Component:
    return public_frame(
        "activate.title",
        rx.match(
            ActivateState.step,
            (
                "code",
                rx.vstack(
                    notice(text("activate.code_sent")),
                    _form(
                        _code_field("activate.code", ActivateState.errors),
                        submit_button("activate.verify"),
                        on_submit=ActivateState.submit_code,
                        form_id="activate-code-form",
                    ),
                    width="100%",
                    spacing="3",
                ),
            ),
            (
                "invalid",
                rx.vstack(
                    notice(ActivateState.errors["invitation"], "amber"),
                    rx.link(text("activate.with_email"), href="/activate", on_click=ActivateState.use_email),
                    width="100%",
                    spacing="3",
                ),
            ),
            (
                "choose",
                rx.vstack(
                    rx.cond(
                        ActivateState.invited_text != "",
                        notice(ActivateState.invited_text, "green"),
                        rx.text(text("activate.choose")),
                    ),
                    _form(
                        field("activate.username", "username", ActivateState.errors, autocomplete="username"),
                        _choose_password(ActivateState.errors, "activate.password"),
                        submit_button("activate.submit"),
                        on_submit=ActivateState.submit_choice,
                        form_id="activate-choose-form",
                    ),
                    rx.cond(ActivateState.invited_text != "", _eid_option()),
                    width="100%",
                    spacing="3",
                ),
            ),
            (
                "done",
                rx.vstack(
                    notice(text("activate.done"), "green"),
                    rx.link(text("common.to_login"), href="/login"),
                    width="100%",
                ),
            ),
            _form(
                field("activate.email", "email", ActivateState.errors, type="email", autocomplete="email"),
                submit_button("activate.send_code"),
                on_submit=ActivateState.submit_email,
                form_id="activate-email-form",
            ),
        ),
        rx.link(text("common.to_login"), href="/login", size="2"),
    )


def _forgot_password() -> rx.Component:
    return rx.match(
        ForgotState.step,
        (
            "reset",
            rx.vstack(
                notice(text("forgot.code_sent")),
                _form(
                    _code_field("forgot.code", ForgotState.errors),
                    _choose_password(ForgotState.errors, "forgot.new_password"),
                    submit_button("forgot.set_password"),
                    on_submit=ForgotState.complete_reset,
                    form_id="reset-form",
                ),
                width="100%",
                spacing="3",
            ),
        ),
        ("done", notice(text("forgot.password_done"), "green")),
        _form(
            field("forgot.username", "username", ForgotState.errors, autocomplete="username"),
            submit_button("forgot.send_code"),
            on_submit=ForgotState.request_reset,
            form_id="forgot-password-form",
        ),
    )


def _forgot_username() -> rx.Component:
    return rx.cond(
        ForgotState.username_sent,
        notice(text("forgot.username_sent"), "green"),
        _form(
            field("forgot.email", "email", ForgotState.errors, type="email", autocomplete="email"),
            submit_button("forgot.send_username"),
            on_submit=ForgotState.request_username,
            form_id="forgot-username-form",
        ),
    )


def forgot_page() -> rx.Component:
    return public_frame(
        "forgot.title",
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(text("forgot.password_tab"), value="password"),
                rx.tabs.trigger(text("forgot.username_tab"), value="username"),
            ),
            rx.tabs.content(rx.box(_forgot_password(), padding_top="1rem"), value="password"),
            rx.tabs.content(rx.box(_forgot_username(), padding_top="1rem"), value="username"),
            value=ForgotState.tab,
            on_change=ForgotState.set_tab,
            width="100%",
        ),
        rx.link(text("common.to_login"), href="/login", size="2"),
    )


def no_access_page() -> rx.Component:
    return public_frame(
        "noaccess.title",
        rx.callout(text("noaccess.text"), icon="shield-alert", color_scheme="red", role="alert"),
        rx.cond(
            SessionState.signed_in,
            rx.link(text("noaccess.home"), href=SessionState.home),
            rx.link(text("common.to_login"), href="/login"),
        ),
    )
