"""Company page state (EMP-8): my details, my company (address and contact person editable), my adviser."""

from __future__ import annotations

import reflex as rx

from portal.services.organisation import company
from portal.services.principal import NoAccess
from portal.state.auth import SessionState, client_ip, language_of
from portal.state.forms import text_of
from portal.state.usecase import GUARDED, run

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
        done = await run(self, company.company_profile, self._employer_id, deny="/employer/company", quiet=GUARDED)
        if not done:
            self.loaded = False
            self.me, self.firm, self.adviser = {}, {}, {}
            return done.event
        self._fill(done.value, await language_of(self))
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
        name, email = text_of(form, "display_name", 200), text_of(form, "email")
        ip = client_ip(self)
        done = await run(
            self, company.update_my_details, name, email, ip, deny="/employer/company#me", fields="me_errors"
        )
        if not done:
            return done.event
        self.me_errors, self.editing_me, self.saved = {}, False, "me"
        if done.principal is not None:
            session = await self.get_state(SessionState)
            session.user_name = name or session.user_name
        return await self._reload()

    @rx.event
    async def set_notify_mail(self, enabled: bool):
        """The notification switch (untrusted: the service takes only a real boolean), saved at once."""
        self.saved, self.notify_error = "", ""
        done = await run(
            self, company.update_notify_mail, enabled, deny="/employer/company#notify", message="notify_error"
        )
        if not done:
            return done.event
        self.saved = "notify"
        return await self._reload()

    @rx.event
    async def save_firm(self, form: dict):
        """Save the postal address and contact person (messages at the fields; nothing saved on error). A form
        that also names another company field (a forged event) goes to the service too, which refuses it and
        audits the refusal: that audit entry is committed, and not written twice."""
        values: dict[str, object] = {name: text_of(form, name, limit + 40) for name, limit in COMPANY_LIMITS.items()}
        if isinstance(form, dict):
            values |= {k: text_of(form, k, 100) for k in form if k in company.COMPANY_FIELDS and k not in values}
        done = await run(
            self,
            company.update_company_contact,
            values,
            self._employer_id,
            commit_on=(NoAccess,),
            redirect={"not_editable"},
            deny="/employer/company#company",
            fields="firm_errors",
        )
        if not done:
            return done.event
        self.firm_errors, self.editing_firm, self.saved = {}, False, "firm"
        return await self._reload()
