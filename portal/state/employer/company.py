"""Company page state (EMP-8): my details, my company (address and contact person editable), my adviser."""

from __future__ import annotations

import reflex as rx

from portal.core.db import session_scope
from portal.services.errors import FieldError
from portal.services.organisation import company
from portal.services.principal import NoAccess
from portal.services.validation import errors_of
from portal.state.auth import SessionState, current_principal, deny, language_of
from portal.state.forms import message_of, text_of

GUARDED = ("not_signed_in", "wrong_front_end", "missing_role")
COMPANY_LIMITS = {
    "postal_street": 100,
    "postal_house_number": 20,
    "postal_code": 12,
    "postal_city": 80,
    "postal_country": 2,
    "contact_name": 100,
    "contact_email": 254,
    "contact_phone": 32,
}


class CompanyState(rx.State):
    """What the page shows (strings), which form is open, and the messages at the fields."""

    me: dict[str, str] = {}
    firm: dict[str, str] = {}
    adviser: dict[str, str] = {}
    countries: list[list[str]] = []  # [code, name] in the page's language
    can_edit: bool = False
    editing_me: bool = False
    editing_firm: bool = False
    me_errors: dict[str, str] = {}
    firm_errors: dict[str, str] = {}
    saved: str = ""  # "me" | "firm" | "notify" | "" : which section was just saved (a status message)
    notify_mail: bool = True
    notify_error: str = ""
    loaded: bool = False
    _employer_id: int | None = None

    def _fill(self, profile: company.CompanyProfile, lang: str) -> None:
        self._employer_id = profile.employer_id
        self.me = {"name": profile.my_name, "email": profile.my_email, "username": profile.my_username}
        self.notify_mail = profile.my_notify_mail
        names = dict(company.country_options(lang))
        self.firm = {
            "name": profile.company_name,
            "kvk": profile.kvk_number,
            "postal_street": profile.postal_street,
            "postal_house_number": profile.postal_house_number,
            "postal_code": profile.postal_code,
            "postal_city": profile.postal_city,
            "postal_country": profile.postal_country,
            "country_name": names.get(profile.postal_country, profile.postal_country),
            "contact_name": profile.contact_name,
            "contact_email": profile.contact_email,
            "contact_phone": profile.contact_phone,
        }
        self.adviser = {"name": profile.adviser_name, "email": profile.adviser_email, "phone": profile.adviser_phone}
        self.can_edit = profile.can_edit_company
        self.countries = [[code, name] for code, name in company.country_options(lang)] if self.can_edit else []
        self.loaded = True

    async def _reload(self):
        principal = current_principal(self)
        lang = await language_of(self)
        try:
            with session_scope() as db:
                profile = company.company_profile(db, principal, self._employer_id)
        except NoAccess as refused:
            self.loaded = False
            self.me, self.firm, self.adviser = {}, {}, {}
            if principal is None or refused.reason in GUARDED:
                return None
            return deny(self, principal, "/employer/company", refused.reason)
        self._fill(profile, lang)
        return None

    @rx.event
    async def load(self):
        """on_load: the signed-in user's own company; forms closed."""
        self._employer_id = None
        self.editing_me = self.editing_firm = False
        self.me_errors, self.firm_errors, self.saved = {}, {}, ""
        return await self._reload()

    @rx.event
    def edit_me(self, open_form: bool):
        self.editing_me = open_form is True
        self.me_errors, self.saved = {}, ""

    @rx.event
    def edit_firm(self, open_form: bool):
        self.editing_firm = open_form is True and self.can_edit
        self.firm_errors, self.saved = {}, ""

    @rx.event
    async def save_me(self, form: dict):
        """Save my name and e-mail address (messages at the fields; nothing saved on error)."""
        principal = current_principal(self)
        lang = await language_of(self)
        try:
            with session_scope() as db:
                company.update_my_details(db, principal, text_of(form, "display_name", 200), text_of(form, "email"))
        except FieldError as err:
            self.me_errors = {e.field: message_of(e, lang) for e in errors_of(err)}
            return None
        except NoAccess as refused:
            return deny(self, principal, "/employer/company#me", refused.reason)
        self.me_errors, self.editing_me, self.saved = {}, False, "me"
        if principal is not None:
            session = await self.get_state(SessionState)
            session.user_name = text_of(form, "display_name", 200) or session.user_name
        return await self._reload()

    @rx.event
    async def set_notify_mail(self, enabled: bool):
        """The notification switch (untrusted: the service takes only a real boolean), saved at once."""
        principal = current_principal(self)
        lang = await language_of(self)
        self.saved, self.notify_error = "", ""
        try:
            with session_scope() as db:
                company.update_notify_mail(db, principal, enabled)
        except FieldError as err:
            self.notify_error = message_of(err, lang)
            return None
        except NoAccess as refused:
            return deny(self, principal, "/employer/company#notify", refused.reason)
        self.saved = "notify"
        return await self._reload()

    @rx.event
    async def save_firm(self, form: dict):
        """Save the postal address and contact person (messages at the fields; nothing saved on error). A form
        that also names another company field (a forged event) goes to the service too, which refuses it."""
        principal = current_principal(self)
        lang = await language_of(self)
        values: dict[str, object] = {name: text_of(form, name, limit + 40) for name, limit in COMPANY_LIMITS.items()}
        if isinstance(form, dict):
            values |= {k: text_of(form, k, 100) for k in form if k in company.COMPANY_FIELDS and k not in values}
        refused: NoAccess | None = None
        try:
            with session_scope() as db:  # commits the audit entry of a refused field too
                try:
                    company.update_company_contact(db, principal, values, employer_id=self._employer_id)
                except NoAccess as err:
                    refused = err
        except FieldError as err:
            self.firm_errors = {e.field: message_of(e, lang) for e in errors_of(err)}
            return None
        if refused is not None:
            if refused.reason == "not_editable":
                return rx.redirect("/no-access")  # audited by the service
            return deny(self, principal, "/employer/company#company", refused.reason)
        self.firm_errors, self.editing_firm, self.saved = {}, False, "firm"
        return await self._reload()
