"""My forms (EE-5), phone first (390 × 844): the list of forms as cards, and one form: review the PDF (open it
on the phone; a frame on a wide screen), fill in one's part, sign with the code of the authenticator app
("Verificatiecode") or a fresh eID sign-in ("Ondertekenen met eID"), or decline after a confirm. Reached from
My documents (no tab of its own)."""

from __future__ import annotations

import reflex as rx

from portal.components.dialogs import confirm_dialog
from portal.components.fields import field, filled, or_separator, text
from portal.components.pdf_viewer import pdf_frame
from portal.components.shell import employee_shell
from portal.state.employee.forms import MAX_REASON
from portal.state.employee.forms import FormState as S
from portal.state.employee.forms import MyFormsState as L


def _status(status_label: rx.Var, colour: rx.Var, status: rx.Var) -> rx.Component:
    return rx.badge(
        status_label,
        color_scheme=colour.to(str),
        variant="soft",
        high_contrast=True,
        size="2",
        class_name="form-status",
        data_status=status,
    )


def _card(row: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.card(
                rx.flex(
                    rx.box(
                        rx.heading(row["title"], as_="h2", size="3"),
                        rx.text(row["employer"], size="2", style={"overflowWrap": "anywhere"}),
                        rx.text(row["date"], size="2", color_scheme="gray"),
                        min_width="0",
                    ),
                    rx.icon("chevron-right", size=20, aria_hidden="true", flex_shrink="0"),
                    justify="between",
                    align="center",
                    gap="0.5rem",
                ),
                rx.box(_status(row["status_label"], row["colour"], row["status"]), margin_top="0.5rem"),
                size="2",
                width="100%",
            ),
            href="/employee/forms/" + row["id"].to(str),
            underline="none",
            color="inherit",
            class_name="my-form-link",
            display="block",
        ),
        list_style="none",
    )


def my_forms_page() -> rx.Component:
    """/employee/forms: every form, newest first."""
    return employee_shell(
        "menu.my_forms",
        rx.text(text("formpage.mine_intro"), color_scheme="gray"),
        rx.cond(
            L.loaded & (L.rows.length() == 0),
            rx.callout(
                text("formpage.mine_none"), icon="info", color_scheme="gray", margin_top="0.75rem", id="my-forms-none"
            ),
        ),
        rx.el.ul(
            rx.foreach(L.rows, _card),
            aria_label=text("menu.my_forms"),
            id="my-forms",
            display="flex",
            flex_direction="column",
            gap="0.75rem",
            padding="0",
            margin="0.75rem 0 0 0",
        ),
    )


def forms_entry() -> rx.Component:
    """The way to the forms from My documents: a card with the count waiting for the employee."""
    return rx.cond(
        L.rows.length() > 0,
        rx.link(
            rx.card(
                rx.flex(
                    rx.icon("file-pen-line", size=22, aria_hidden="true", flex_shrink="0"),
                    rx.box(
                        rx.text(text("formpage.waiting_link"), weight="bold"),
                        rx.cond(
                            L.waiting > 0,
                            rx.badge(
                                filled("formpage.waiting_count", count=L.waiting.to(str)),
                                color_scheme="amber",
                                variant="solid",
                                high_contrast=True,
                                id="forms-waiting",
                            ),
                            rx.text(text("formpage.all_forms"), size="2", color_scheme="gray"),
                        ),
                        flex="1",
                        min_width="0",
                    ),
                    rx.icon("chevron-right", size=20, aria_hidden="true", flex_shrink="0"),
                    gap="0.75rem",
                    align="center",
                ),
                size="2",
            ),
            href="/employee/forms",
            underline="none",
            color="inherit",
            id="forms-entry",
            display="block",
            margin_top="0.75rem",
        ),
    )


def _input(item: rx.Var) -> rx.Component:
    name = item["name"].to(str)
    fid = "ff-" + name
    error = S.errors.get(name, "")
    common = {
        "id": fid,
        "name": name,
        "aria_invalid": rx.cond(error != "", "true", "false"),
        "aria_describedby": fid + "-error",
    }
    control = rx.match(
        item["type"],
        (
            "choice",
            rx.el.select(
                rx.el.option(text("formpage.choose"), value=""),
                rx.foreach(
                    item["options"].to(list[dict[str, str]]), lambda o: rx.el.option(o["label"], value=o["value"])
                ),
                default_value=item["value"].to(str),
                class_name="native-select",
                width="100%",
                **common,
            ),
        ),
        ("date", rx.input(type="date", default_value=item["value"].to(str), size="3", width="100%", **common)),
        (
            "money",
            rx.input(input_mode="decimal", default_value=item["value"].to(str), size="3", width="100%", **common),
        ),
        rx.text_area(default_value=item["value"].to(str), rows="3", size="3", width="100%", **common),
    )
    return rx.box(
        rx.el.label(item["label"], html_for=fid, class_name="field-label"),
        control,
        rx.text(error, id=fid + "-error", role="alert", color_scheme="red", size="2", class_name="field-error"),
        class_name="field",
        width="100%",
    )


def _person(slot: rx.Var) -> rx.Component:
    i = slot["index"].to(str)
    n = "person_name_" + i
    b = "person_birth_date_" + i
    r = "person_relation_" + i
    return rx.el.fieldset(
        rx.el.legend(filled("formpage.person", n=(slot["index"].to(int) + 1).to(str)), class_name="field-label"),
        rx.box(
            rx.el.label(text("formpage.person_name"), html_for="ff-" + n, class_name="field-label"),
            rx.input(id="ff-" + n, name=n, default_value=slot["name"], size="3", width="100%", auto_complete="off"),
            rx.text(S.errors.get(n, ""), role="alert", color_scheme="red", size="2", class_name="field-error"),
            class_name="field",
        ),
        rx.box(
            rx.el.label(text("formpage.person_birth"), html_for="ff-" + b, class_name="field-label"),
            rx.input(id="ff-" + b, name=b, type="date", default_value=slot["birth_date"], size="3", width="100%"),
            rx.text(S.errors.get(b, ""), role="alert", color_scheme="red", size="2", class_name="field-error"),
            class_name="field",
        ),
        rx.box(
            rx.el.label(text("formpage.person_relation"), html_for="ff-" + r, class_name="field-label"),
            rx.el.select(
                rx.foreach(S.relations, lambda o: rx.el.option(o["label"], value=o["value"])),
                id="ff-" + r,
                name=r,
                default_value=slot["relation"],
                class_name="native-select",
                width="100%",
            ),
            class_name="field",
        ),
        border="1px solid var(--gray-a5)",
        border_radius="var(--radius-2)",
        padding="0.75rem",
        margin="0",
        display="flex",
        flex_direction="column",
        gap="0.5rem",
        min_width="0",
    )


def _review() -> rx.Component:
    return rx.card(
        rx.heading(text("formpage.review"), as_="h2", size="4"),
        rx.text(text("formpage.review_text"), size="2", color_scheme="gray"),
        rx.link(
            rx.icon("file-text", size=18, aria_hidden="true"),
            text("formpage.open_pdf"),
            href=S.view_link,
            is_external=True,
            reload_document=True,
            id="form-open-pdf",
            display="flex",
            align_items="center",
            justify_content="center",
            gap="0.5rem",
            min_height="44px",
            margin_top="0.75rem",
            padding="0.5rem 1rem",
            border="1px solid var(--accent-8)",
            border_radius="var(--radius-3)",
            weight="medium",
        ),
        pdf_frame(S.view_link, S.title, "form-frame", "70vh", margin_top="0.75rem"),
        rx.cond(
            S.facts.length() > 0,
            rx.el.dl(
                rx.foreach(
                    S.facts,
                    lambda f: rx.box(
                        rx.el.dt(f["label"], class_name="field-label"),
                        rx.el.dd(f["value"], margin="0", style={"overflowWrap": "anywhere"}),
                        margin_top="0.5rem",
                    ),
                ),
                margin="0.75rem 0 0 0",
                aria_label=text("formpage.details"),
            ),
        ),
        size="2",
    )


def _fill() -> rx.Component:
    return rx.cond(
        S.can_sign & ((S.inputs.length() > 0) | S.has_persons),
        rx.card(
            rx.heading(text("formpage.fill"), as_="h2", size="4"),
            rx.text(text("formpage.fill_text"), size="2", color_scheme="gray"),
            rx.form(
                rx.flex(
                    rx.foreach(S.inputs, _input),
                    rx.cond(S.has_persons, rx.foreach(S.persons, _person)),
                    rx.button(
                        text("formpage.save"), type="submit", size="3", variant="soft", width="100%", id="form-save"
                    ),
                    direction="column",
                    gap="0.75rem",
                    margin_top="0.75rem",
                ),
                on_submit=S.save,
                reset_on_submit=False,
                key=S.view_link,  # a new rendering: the fields start from the stored values
            ),
            size="2",
        ),
    )


def _sign_with_eid() -> rx.Component:
    """ "Sign with eID": a plain link to ``/auth/eid/sign`` (a full page load: the flow leaves the app, as the
    login's eID button), for an account linked to an eID subject."""
    return rx.cond(
        S.sign_eid,
        rx.flex(
            rx.text(text("formpage.sign_eid_text"), size="2", color_scheme="gray"),
            rx.button(
                rx.el.a(
                    rx.icon("fingerprint", size=18, aria_hidden="true"),
                    text("formpage.sign_eid"),
                    href=S.eid_href,
                    id="form-sign-eid",
                    custom_attrs={"reloadDocument": True},  # a real page load, not the app's client-side routing
                ),
                as_child=True,
                size="3",
                width="100%",
                min_height="44px",
            ),
            rx.cond(S.sign_totp, or_separator("formpage.sign_or")),
            direction="column",
            gap="0.75rem",
            margin_top="0.75rem",
        ),
    )


def _sign_with_code() -> rx.Component:
    """The code of the authenticator app, for an account that has one."""
    return rx.cond(
        S.sign_totp,
        rx.box(
            rx.cond(~S.sign_eid, rx.text(text("formpage.sign_text"), size="2", color_scheme="gray")),
            rx.form(
                rx.flex(
                    field(
                        "formpage.code",
                        "code",
                        S.errors,
                        field_id="form-code",
                        autocomplete="one-time-code",
                        input_mode="numeric",
                        pattern="[0-9 ]*",
                        max_length=8,
                        hint=text("formpage.code_hint"),
                    ),
                    rx.button(
                        rx.icon("pen-line", size=18, aria_hidden="true"),
                        text("formpage.sign"),
                        type="submit",
                        size="3",
                        width="100%",
                        id="form-sign",
                    ),
                    direction="column",
                    gap="0.75rem",
                    margin_top="0.75rem",
                ),
                on_submit=S.sign,
                reset_on_submit=True,
            ),
        ),
    )


def _sign() -> rx.Component:
    return rx.cond(
        S.can_sign,
        rx.card(
            rx.heading(text("formpage.sign_step"), as_="h2", size="4"),
            _sign_with_eid(),
            _sign_with_code(),
            rx.button(
                text("formpage.decline"),
                on_click=S.ask_decline,
                variant="ghost",
                color_scheme="red",
                size="3",
                width="100%",
                margin_top="1rem",
                id="form-decline",
            ),
            size="2",
        ),
    )


def _decline_confirm() -> rx.Component:
    """Declining, after a confirm, with an optional reason (the employer's list shows it)."""
    return confirm_dialog(
        title=text("formpage.decline_title"),
        description=text("formpage.decline_text"),
        cancel=text("formpage.cancel"),
        confirm=text("formpage.decline"),
        on_confirm=S.decline,
        is_open=S.confirm_decline,
        on_open_change=S.decline_change,
        details=rx.box(
            field(
                "formpage.decline_reason",
                "reason",
                S.errors,
                field_id="form-decline-reason",
                type=None,
                control=rx.text_area,
                rows="3",
                max_length=MAX_REASON,
                value=S.decline_reason,
                on_change=S.set_decline_reason,
                hint=text("formpage.decline_reason_hint"),
            ),
            margin_top="0.75rem",
        ),
    )


def my_form_page() -> rx.Component:
    """/employee/forms/[form_id]: review, fill in, sign or decline one form."""
    return employee_shell(
        "menu.my_form",
        rx.link(
            rx.icon("chevron-left", size=16, aria_hidden="true"),
            text("formpage.back"),
            href="/employee/forms",
            display="inline-flex",
            align_items="center",
            gap="0.25rem",
            min_height="44px",
            id="form-back",
        ),
        rx.box(id="form-top"),
        rx.cond(
            S.notice != "",
            rx.callout(
                S.notice, icon="circle-check", color_scheme="green", role="status", margin_y="0.75rem", id="form-notice"
            ),
        ),
        rx.cond(
            S.message != "",
            rx.callout(
                S.message,
                icon="triangle-alert",
                color_scheme="red",
                role="alert",
                margin_y="0.75rem",
                id="form-message",
            ),
        ),
        rx.cond(
            S.available,
            rx.flex(
                rx.box(
                    rx.heading(S.title, as_="h2", size="5", id="form-title"),
                    rx.flex(
                        _status(S.status_label, S.colour, S.status),
                        rx.cond(
                            S.expires != "",
                            rx.text(text("formpage.expires"), " ", S.expires, size="2"),
                        ),
                        gap="0.5rem",
                        align="center",
                        wrap="wrap",
                        margin_top="0.5rem",
                    ),
                    rx.text(S.intro, size="2", margin_top="0.5rem"),
                ),
                _review(),
                _fill(),
                _sign(),
                direction="column",
                gap="1rem",
            ),
        ),
        _decline_confirm(),
    )
