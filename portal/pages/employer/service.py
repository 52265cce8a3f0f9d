"""Service & contact (EMP-1; the Allianz manual's chapters 8 and 9): the employer's FAQ with search, the contact data
of the adviser's office and of the insurers of the company's contracts, and "Have a good idea?"."""

from __future__ import annotations

import reflex as rx

from portal.components.faq import faq_block
from portal.components.fields import field, text
from portal.components.shell import employer_shell
from portal.domain.tasks import IDEA_MESSAGE_LIMIT, IDEA_SUBJECT_LIMIT
from portal.pages.employer.company import notice, section_card
from portal.state.auth import SessionState
from portal.state.employer.service import ServiceState


def _line(label_key: str, value: rx.Var, href: rx.Var | None = None) -> rx.Component:
    shown = rx.cond(value != "", rx.link(value, href=href) if href is not None else value, text("service.unknown"))
    return rx.data_list.item(
        rx.data_list.label(text(label_key), min_width="7rem"),
        rx.data_list.value(rx.text(shown, style={"overflowWrap": "anywhere"})),
    )


def _contact(c: rx.Var, heading: str) -> rx.Component:
    return rx.box(
        rx.heading(c["name"], as_=heading, size="3", margin_bottom="0.5rem"),
        rx.data_list.root(
            _line("service.phone", c["phone"], "tel:" + c["phone"].to(str).replace(" ", "")),
            _line("service.email", c["email"], "mailto:" + c["email"].to(str)),
            rx.cond(c["website"] != "", _line("service.website", c["website"].to(str), c["website"].to(str))),
            size="2",
        ),
        width="100%",
    )


def _contacts() -> rx.Component:
    return section_card(
        "service-contact",
        "service.contact",
        rx.grid(
            rx.box(
                rx.heading(text("service.office"), as_="h3", size="3", color_scheme="gray"),
                rx.text(text("service.office_hint"), size="2", color_scheme="gray", margin_bottom="0.5rem"),
                rx.cond(
                    ServiceState.office.contains("name"),
                    _contact(ServiceState.office, "h4"),
                    rx.text(text("service.no_office"), size="2"),
                ),
                id="service-office",
            ),
            rx.box(
                rx.heading(text("service.insurers"), as_="h3", size="3", color_scheme="gray"),
                rx.text(text("service.insurers_hint"), size="2", color_scheme="gray", margin_bottom="0.5rem"),
                rx.cond(
                    ServiceState.insurers.length() > 0,
                    rx.vstack(rx.foreach(ServiceState.insurers, lambda i: _contact(i, "h4")), spacing="4"),
                    rx.text(text("service.no_insurers"), size="2"),
                ),
                id="service-insurers",
            ),
            columns={"initial": "1", "md": "2"},
            spacing="5",
        ),
    )


def _limit(hint_key: str, limit: int) -> rx.Var:
    return SessionState.t[hint_key].to(str).replace("{limit}", str(limit))


def _idea_form() -> rx.Component:
    return section_card(
        "service-idea",
        "service.idea",
        rx.text(text("service.idea_intro"), size="2", margin_bottom="0.75rem"),
        rx.cond(
            ServiceState.sent != "",
            rx.box(notice(ServiceState.sent, "green"), margin_bottom="0.75rem", id="idea-sent", tab_index=-1),
        ),
        rx.form(
            rx.vstack(
                field(
                    "service.subject",
                    "subject",
                    ServiceState.idea_errors,
                    field_id="idea-subject",
                    hint=_limit("service.subject_hint", IDEA_SUBJECT_LIMIT),
                    max_length=IDEA_SUBJECT_LIMIT,
                ),
                field(
                    "service.message",
                    "message",
                    ServiceState.idea_errors,
                    field_id="idea-message",
                    type=None,
                    hint=_limit("service.message_hint", IDEA_MESSAGE_LIMIT),
                    control=rx.text_area,
                    max_length=IDEA_MESSAGE_LIMIT,
                    rows="5",
                ),
                rx.button(
                    rx.icon("send", size=16, aria_hidden="true"),
                    text("service.send"),
                    type="submit",
                    size="3",
                    high_contrast=True,
                    id="idea-send",
                ),
                spacing="3",
                width="100%",
                max_width="40rem",
            ),
            on_submit=ServiceState.send_idea,
            reset_on_submit=False,
        ),
    )


def service_page() -> rx.Component:
    """``/employer/service``: FAQ first (most come for an answer), then whom to contact, then the idea form."""
    return employer_shell(
        "menu.service",
        rx.text(text("service.intro"), color_scheme="gray", margin_bottom="1rem"),
        rx.vstack(
            section_card("service-faq", "faq.questions", faq_block(heading_level="h3", with_heading=False)),
            _contacts(),
            _idea_form(),
            spacing="5",
            width="100%",
            max_width="60rem",
        ),
    )
