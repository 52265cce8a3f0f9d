"""Service & contact state (EMP-1): the contacts of the user's company and the "Have a good idea?" form. The company
is the signed-in user's own (the service decides); the form's values are untrusted and checked by the service."""

from __future__ import annotations

import reflex as rx

from portal.domain import tasks as rules
from portal.i18n import t
from portal.services import contact
from portal.state.auth import language_of
from portal.state.forms import text_of
from portal.state.usecase import GUARDED, run

PAGE = "/employer/service"


def _contact(c: contact.Contact) -> dict[str, str]:
    return {"name": c.name, "phone": c.phone, "email": c.email, "website": c.website}


class ServiceState(rx.State):
    """What the page shows (strings) and the idea form's messages."""

    office: dict[str, str] = {}
    insurers: list[dict[str, str]] = []
    idea_errors: dict[str, str] = {}
    sent: str = ""  # the thank-you message after an idea was sent
    loaded: bool = False

    @rx.event
    async def load(self):
        """on_load: the contacts of the user's company; the form empty."""
        self.idea_errors, self.sent = {}, ""
        done = await run(self, contact.service_contacts, deny=PAGE, quiet=GUARDED)
        if not done or done.value is None:
            self.office, self.insurers, self.loaded = {}, [], False
            return done.event
        found = done.value
        self.office = _contact(found.office) if found.office is not None else {}
        self.insurers = [_contact(i) for i in found.insurers]
        self.loaded = True
        return None

    @rx.event
    async def send_idea(self, form: dict):
        """Send the idea to the adviser's office as a task (messages at the fields; nothing saved on error)."""
        self.sent = ""
        subject = text_of(form, "subject", rules.IDEA_SUBJECT_LIMIT + 40)
        message = text_of(form, "message", rules.IDEA_MESSAGE_LIMIT + 40)
        done = await run(self, contact.submit_idea, subject, message, deny=f"{PAGE}#idea", fields="idea_errors")
        if not done:
            return done.event
        self.idea_errors = {}
        lang = await language_of(self)
        self.sent = t("service.sent", lang, subject=subject, office=self.office.get("name", ""))
        return [rx.set_value("idea-subject", ""), rx.set_value("idea-message", ""), rx.set_focus("idea-sent")]
