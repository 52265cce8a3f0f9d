"""Participant detail (EMP-3): personal data, employment, coverages, partner and children, history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

import reflex as rx

from portal.domain.roles import Perm
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import invitations, participants, privacy
from portal.services.principal import NoAccess
from portal.state.auth import language_of, route_param
from portal.state.forms import display, requested_by
from portal.state.usecase import EVERY, SIGNED_OUT, run

LOCAL = ZoneInfo("Europe/Amsterdam")  # the day an invitation went out, as the employer's calendar has it


def show(value: object, lang: str) -> str:
    """A value for display in the user's locale (money and percentages are passed in as Decimal)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return fmt.day(value, lang)
    return str(value)


class DetailState(rx.State):
    """The detail page's data, formatted on the server; the ids needed for changes stay backend-only."""

    found: bool = False
    number: str = ""
    name: str = ""
    employer_name: str = ""
    status: str = ""
    person: list[list[str]] = []  # [label, value]
    employment: list[list[str]] = []
    schemes: list[dict[str, str]] = []
    coverages: list[list[list[str]]] = []  # per scheme: [label, value] rows
    relations: list[dict[str, str]] = []
    history: list[dict[str, str]] = []
    access: list[list[str]] = []  # BULK-3: invitation sent (date) and signed in (yes/no), nothing more
    participation_ref: str = ""  # the participation's id, for a link to a new task about it (INT-3, advisers)
    can_change: bool = False
    can_export: bool = False  # the access-request download (user management, advisers); the service decides
    privacy_link: str = ""  # its signed /files/ link (15 minutes), made for this user at load
    privacy_file: str = ""
    has_partner: bool = False

    _participation_id: int | None = None
    _version: int = 0
    _scheme_id: str = ""
    _employer_id: int | None = None
    _person_id: int | None = None

    @rx.event
    async def load(self):
        """on_load: resolve the number in the URL within the principal's scope (else: no access + audit; the page
        guard sends a signed-out browser to the login page)."""
        number = route_param(self, "number")
        scheme = self.router.url.query_parameters.get("scheme", "")
        self.reset()  # nothing of a participant shown before stays, whatever this load comes to
        where = f"/employer/participants/{number[:20]}"
        done = await run(self, participants.participant_detail, number, scheme or None, deny=where, quiet=SIGNED_OUT)
        if not done:
            return done.event
        lang = await language_of(self)
        self._fill(done.value, lang)
        self.can_change = done.principal is not None and done.principal.can(Perm.MUTATIONS_SUBMIT)
        self.can_export = privacy.may_export(done.principal)
        await self._access(lang)
        return await self.sign_export_link() if self.can_export else None

    @rx.event
    async def sign_export_link(self):
        """Sign the link of the "Export personal data (GDPR access)" download for the person shown (the
        backend-only id, checked again by the service now and when the link is used; it expires after 15 minutes
        and is signed again at every load, like the statement and export links). A refusal is audited by the
        service (``privacy.export_refused``), clears the link and goes to the no-access page."""
        done = await run(self, privacy.export_link, self._person_id, redirect=EVERY, commit_on=(NoAccess,))
        if not done or done.value is None:
            self.privacy_link = self.privacy_file = ""
            return done.event
        self.privacy_link, self.privacy_file = done.value.url, done.value.file_name
        return None

    async def _access(self, lang: str) -> None:
        """Whether the employee was invited (when) and has signed in (BULK-3), checked in the same scope."""
        done = await run(self, invitations.invitation_status, self._participation_id, quiet=SIGNED_OUT)
        if not done or done.value is None:
            self.access = []
            return
        sent = done.value.sent_at
        self.access = [
            [
                t("detail.invitation", lang),
                t("detail.invitation_sent", lang, day=fmt.day(sent.astimezone(LOCAL).date(), lang))
                if sent
                else t("detail.invitation_none", lang),
            ],
            [
                t("detail.signed_in", lang),
                t("detail.signed_in_yes" if done.value.signed_in else "detail.signed_in_no", lang),
            ],
        ]

    @rx.event
    async def reload(self):
        """Re-read after a change (same participation, same scope checks)."""
        if self._participation_id is None:
            return
        done = await run(self, participants.participant_detail, self._participation_id)
        if not done:
            self.reset()
            return
        lang = await language_of(self)
        self._fill(done.value, lang)
        await self._access(lang)

    def _fill(self, d, lang: str) -> None:
        p, e = d.person, d.employment
        self._participation_id = d.participation_id
        self._employer_id = d.employer_id
        self._person_id = p.person_id
        self.participation_ref = str(d.participation_id)
        self._scheme_id = str(d.scheme_id)
        asked = next((x for x in d.participations if x.participation_id == d.participation_id), None)
        self._version = asked.version if asked else 0
        self.found = True
        self.number = d.participant_number
        self.name = p.name
        self.employer_name = d.employer_name
        self.status = asked.status if asked else ""
        address = " ".join(x for x in (p.street, p.house_number) if x)
        place = " ".join(x for x in (p.postcode, p.city) if x)
        self.person = [
            [t("detail.name", lang), p.name],
            [t("detail.first_name", lang), show(p.first_name, lang)],
            [t("detail.bsn", lang), p.bsn],
            [t("detail.birth_date", lang), f"{fmt.day(p.birth_date, lang)} ({p.age})"],
            [t("detail.gender", lang), t(f"gender.{p.gender}", lang)],
            [t("detail.nationality", lang), p.nationality],
            [t("detail.address", lang), ", ".join(x for x in (address, place) if x) or show(p.foreign_address, lang)],
            [t("detail.country", lang), p.country],
            [t("detail.business_email", lang), show(p.business_email, lang)],
            [t("detail.private_email", lang), show(p.private_email, lang)],
            [t("detail.language", lang), p.language.upper()],
        ]
        self.employment = [
            [t("detail.start_date", lang), fmt.day(e.start_date, lang)],
            [t("detail.end_date", lang), show(e.end_date, lang)],
            [t("detail.salary", lang), fmt.money(e.salary, lang) or "—"],
            [t("detail.parttime", lang), fmt.percent(e.parttime, lang) or "—"],
            [t("detail.terms_from", lang), show(e.terms_valid_from, lang)],
        ]
        self.schemes = []
        self.coverages = []
        for x in d.participations:
            self.schemes.append(
                {
                    "title": f"{x.scheme_kind} · {x.scheme_name}",
                    "number": f"{x.contract_number}-{x.scheme_number}",
                    "participant_number": x.participant_number,
                    "policy": x.policy_number or "—",
                    "status": x.status,
                    "mode": t(f"premium_mode.{x.premium_mode}", lang),
                    "note": "" if x.coverage else t(f"coverage_note.{x.coverage_note}", lang),
                }
            )
            c = x.coverage
            self.coverages.append(
                []
                if c is None
                else [
                    [t("cov.year", lang), str(c.year)],
                    [t("cov.pensionable_salary", lang), fmt.money(c.pensionable_salary, lang)],
                    [t("cov.premium_percentage", lang), fmt.percent(c.premium_percentage, lang)],
                    [t("cov.yearly_premium", lang), fmt.money(c.yearly_premium, lang)],
                    [t("cov.monthly_premium", lang), fmt.money(c.monthly_premium, lang)],
                    [t(f"cov.amount_{c.amount_kind}", lang), fmt.money(Decimal(c.amount), lang)],
                ]
            )
        self.relations = [
            {
                "kind": t(f"relation.{r.kind}", lang),
                "type": t(f"partner_type.{r.partner_type}", lang) if r.partner_type else "",
                "name": r.name,
                "bsn": r.bsn,
                "birth_date": show(r.birth_date, lang),
                "start_date": show(r.start_date, lang),
            }
            for r in d.relations
        ]
        self.has_partner = any(r.kind == "partner" and r.end_date is None for r in d.relations)
        self.history = [
            {
                "effective": fmt.day(h.effective_date, lang),
                "requested": fmt.moment(h.requested_at, lang),
                "kind": t(f"mutation.kind.{h.kind}", lang),
                "by": (
                    t("acting.history_by", lang, name=h.requested_by_name, office=h.on_behalf_of_name)
                    if h.on_behalf_of
                    else requested_by(h.requested_by_name, h.api_key, lang)
                ),
                "status": h.status,
                "reason": h.review_reason,
                "changes": "; ".join(
                    f"{t(f'mutation.field.{k}', lang)}: "
                    + (f"{display(k, old, lang)} → " if old else "")
                    + display(k, new, lang)
                    for k, old, new in h.changes
                ),
            }
            for h in d.history
        ]
