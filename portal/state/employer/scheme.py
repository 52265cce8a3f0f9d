"""Scheme page state (EMP-7): the scheme selector and the chosen scheme's data, formatted for the locale; for an
adviser, the scheme's one setting the portal keeps (auto-enrolment of new employees, a coupling prerequisite)."""

from __future__ import annotations

import reflex as rx

from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import couplings
from portal.services.organisation import schemes
from portal.state.auth import language_of
from portal.state.employer.charts import ChartsState
from portal.state.employer.statements import StatementRunState
from portal.state.usecase import GUARDED, run


class SchemeState(rx.State):
    """Display strings only; the scheme id the browser sends back is re-checked by the service."""

    options: list[list[str]] = []  # [id, label]
    scheme_id: str = ""
    facts: dict[str, str] = {}
    years: list[dict[str, str]] = []
    band_years: list[str] = []  # column headers of the age-band table
    band_rows: list[list[str]] = []  # [age range, percentage per year...]
    mode_key: str = ""  # message key of the current year's premium mode
    loaded: bool = False
    auto_enrol: bool = False
    may_change: bool = False  # the viewer may change the scheme's settings (shown only; the service decides)
    settings_message: str = ""
    settings_error: str = ""

    def _clear(self) -> None:
        self.options, self.scheme_id, self.facts, self.years = [], "", {}, []
        self.band_years, self.band_rows, self.mode_key, self.loaded = [], [], "", False
        self.auto_enrol, self.may_change, self.settings_message, self.settings_error = False, False, "", ""

    async def _show(self, scheme_id: object):
        """Show a scheme; refusals the page guard has handled end quietly, anything else is audited here."""
        where = f"/employer/scheme?scheme={str(scheme_id)[:20]}"
        done = await run(self, schemes.scheme_overview, scheme_id, deny=where, quiet=GUARDED)
        if not done:
            self._clear()
            return done.event
        view, lang = done.value, await language_of(self)
        several_employers = len({c.employer_name for c in view.choices}) > 1
        self.options = [
            [
                str(c.id),
                f"{c.kind} · {c.name} ({c.number})" + (f" — {c.employer_name}" if several_employers else ""),
            ]
            for c in view.choices
        ]
        self.scheme_id = str(view.id or "")
        self.auto_enrol, self.may_change = view.auto_enrol, view.may_change_settings
        self.settings_message, self.settings_error = "", ""
        counts = view.participants or {}
        self.facts = {
            "kind": view.kind,
            "name": view.name,
            "contract_number": view.contract_number,
            "scheme_number": view.scheme_number,
            "insurer": view.insurer,
            "employer": view.employer_name,
            "start_date": fmt.day(view.start_date, lang),
            "end_date": fmt.day(view.end_date, lang),
            "active": fmt.number(counts.get("active", 0), lang),
            "dormant": fmt.number(counts.get("dormant", 0), lang),
            "auto_enrol": t("scheme.yes" if view.auto_enrol else "scheme.no", lang),
        }
        self.years = [
            {
                "year": str(y.year),
                "max_salary": fmt.money(y.max_salary, lang),
                "franchise": fmt.money(y.franchise, lang),
                "mode": y.premium_mode,
                "flat": fmt.percent(y.flat_percentage, lang) if y.flat_percentage is not None else "—",
                "accrual": fmt.percent(y.accrual_percentage, lang) if y.accrual_percentage is not None else "",
            }
            for y in view.years
        ]
        self.mode_key = f"scheme.mode.{view.years[0].premium_mode}" if view.years else ""
        with_bands = [y for y in view.years if y.bands]
        ranges = sorted({(b.age_from, b.age_to) for y in with_bands for b in y.bands})
        self.band_years = [str(y.year) for y in with_bands]
        self.band_rows = [
            [
                f"{lo} – {hi}",
                *(
                    next((fmt.percent(b.percentage, lang) for b in y.bands if (b.age_from, b.age_to) == (lo, hi)), "—")
                    for y in with_bands
                ),
            ]
            for lo, hi in ranges
        ]
        self.loaded = True
        return [ChartsState.load_scheme(self.scheme_id), StatementRunState.load(self.scheme_id)]

    @rx.event
    async def load(self):
        """on_load: the scheme named in the address (``?scheme=<id>``, the readiness check's link), else the first
        scheme of the employer in scope."""
        wanted = self.router.url.query_parameters.get("scheme", "")
        return await self._show(wanted if isinstance(wanted, str) and wanted else None)

    @rx.event
    async def save_auto_enrol(self, enabled: bool):
        """Switch auto-enrolment of new employees of the shown scheme on or off (the service checks who may, and
        the scheme against the employer acted for; ``enabled`` must be a bool)."""
        self.settings_message, self.settings_error = "", ""
        where = "/employer/scheme#auto_enrol"
        done = await run(self, couplings.set_auto_enrol, self.scheme_id, enabled, deny=where, message="settings_error")
        if not done:
            return done.event
        lang = await language_of(self)
        self.auto_enrol = done.value.auto_enrol
        self.facts = {**self.facts, "auto_enrol": t("scheme.yes" if self.auto_enrol else "scheme.no", lang)}
        saved = "scheme.auto_enrol_saved_on" if self.auto_enrol else "scheme.auto_enrol_saved_off"
        self.settings_message = t(saved, lang)
        return None

    @rx.event
    async def choose(self, scheme_id: str):
        """The selector: show another scheme (untrusted id, checked by the service)."""
        return await self._show(scheme_id if isinstance(scheme_id, str | int) else "?")
