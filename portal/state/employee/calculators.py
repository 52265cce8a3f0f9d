"""Calculators page state (EE-6): the signed-in employee's available-premium participations, the two forms and
their results as display strings and plotly figures, formatted for the locale.

What comes in from the browser (the chosen participation, the typed amounts) is untrusted: the service re-checks
the participation against the session's person (someone else's id: audited, the no-access page) and parses the
amounts; a bad amount is a message at its field and clears the result (nothing is computed on bad input).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import plotly.graph_objects as go
import reflex as rx

from portal.components import calculator_charts as charts
from portal.core import clock
from portal.domain.calculators import SCENARIOS, CalculatorYearParams, Deferral, Projection, years_to_retirement
from portal.i18n import formatting as fmt
from portal.i18n import t
from portal.services import employee
from portal.services.validation import errors_of
from portal.state.auth import language_of
from portal.state.usecase import GUARDED, run

ROUTE = "/employee/calculators"


def _message(err: Any, lang: str) -> str:
    """A field message with its amounts in the locale (``€ 6.000,00``)."""
    params = {k: fmt.money(v, lang) if isinstance(v, Decimal) else v for k, v in (err.params or {}).items()}
    return t(err.key, lang, **params)


def _option(p: employee.CalcParticipation) -> dict[str, str]:
    return {"id": str(p.participation_id), "employer": p.employer_name, "scheme": p.scheme_name}


def _params_lines(params: CalculatorYearParams, note: str, lang: str) -> list[dict[str, str]]:
    """The year's figures as label/value lines, so that the employee sees what the estimate rests on."""
    brackets = "; ".join(
        t("calc.params.bracket", lang, rate=charts.rate_text(rate, lang), start=fmt.money(start, lang))
        for start, rate in params.brackets
    )
    returns = "; ".join(
        charts.scenario_label(name, rate, lang) for name, rate in zip(SCENARIOS, params.returns, strict=True)
    )
    social = t(
        "calc.params.social_value",
        lang,
        rate=charts.rate_text(params.social_rate, lang),
        ceiling=fmt.money(params.social_ceiling, lang),
    )
    return [
        {"label": t("calc.params.brackets", lang), "value": brackets},
        {"label": t("calc.params.social", lang), "value": social},
        {"label": t("calc.params.limit", lang), "value": fmt.money(params.deferral_limit, lang)},
        {"label": t("calc.params.age", lang), "value": str(params.retirement_age)},
        {"label": t("calc.params.returns", lang), "value": returns},
        {"label": "", "value": t("calc.params.note", lang, note=note)},
    ]


def _deferral_lines(d: Deferral, lang: str) -> list[dict[str, str]]:
    m = fmt.money
    return [
        {"label": t("calc.result.net_before", lang), "value": m(d.net_monthly_before, lang)},
        {"label": t("calc.result.net_after", lang), "value": m(d.net_monthly_after, lang)},
        {"label": t("calc.result.net_change", lang), "value": m(d.net_monthly_change, lang)},
        {"label": t("calc.result.tax_saved", lang), "value": m(d.tax_saved_monthly, lang)},
        {"label": t("calc.result.pension_before", lang), "value": m(d.pension_yearly_before, lang)},
        {"label": t("calc.result.pension_after", lang), "value": m(d.pension_yearly_after, lang)},
    ]


def _projection_lines(p: Projection, lang: str) -> list[dict[str, str]]:
    lines = [
        {"label": charts.scenario_label(s.name, s.rate, lang), "value": fmt.money(s.final, lang)} for s in p.scenarios
    ]
    return [
        *lines,
        {"label": t("calc.result.contribution", lang), "value": fmt.money(p.yearly_contribution, lang)},
        {"label": t("calc.result.total", lang), "value": fmt.money(p.total_contributed, lang)},
    ]


class CalculatorsState(rx.State):
    """Display strings and two figures; the participation chosen; the messages at the fields of each form."""

    loaded: bool = False
    options: list[dict[str, str]] = []
    participation: str = ""
    wage: str = ""  # the chosen participation's yearly wage, the wage field's starting value
    premium: str = ""
    no_year: str = ""  # the year without parameters, else ""
    limit_hint: str = ""
    projection_help: str = ""
    params_heading: str = ""
    params_lines: list[dict[str, str]] = []

    deferral_errors: dict[str, str] = {}
    deferral_lines: list[dict[str, str]] = []
    deferral_sentence: str = ""
    fig_deferral: go.Figure = rx.field(default_factory=go.Figure)  # not a copied default (see test_state_defaults)
    deferral_title: str = ""
    deferral_summary: str = ""

    projection_errors: dict[str, str] = {}
    projection_lines: list[dict[str, str]] = []
    projection_sentence: str = ""
    fig_projection: go.Figure = rx.field(default_factory=go.Figure)
    projection_title: str = ""
    projection_summary: str = ""

    _start: employee.CalculatorStart | None = None

    @rx.event
    async def load(self):
        """on_load: the employee's participations and this year's figures; no result yet."""
        self._clear_all()
        done = await run(self, employee.calculator_start, clock.today(), deny=ROUTE, quiet=GUARDED)
        if not done or done.value is None:
            self.reset()  # nothing of an earlier employee's figures stays (``_start`` included)
            return done.event
        start, lang = done.value, await language_of(self)
        self._start = start
        self.options = [_option(p) for p in start.participations]
        self.no_year = "" if start.params is not None else str(start.today.year)
        if start.params is not None:
            params = start.params
            self.limit_hint = t(
                "calc.field.amount_hint", lang, year=params.year, limit=fmt.money(params.deferral_limit, lang)
            )
            self.params_heading = t("calc.params.heading", lang, year=params.year)
            self.params_lines = _params_lines(params, start.source_note, lang)
        self._choose(self.options[0]["id"] if self.options else "", lang)
        self.loaded = True

    def _choose(self, participation_id: str, lang: str) -> None:
        start = self._start
        chosen = next(
            (p for p in (start.participations if start else ()) if str(p.participation_id) == participation_id), None
        )
        self.participation = participation_id if chosen else ""
        self.wage = fmt.number(chosen.yearly_wage, lang) if chosen else ""
        self.premium = fmt.money(chosen.yearly_premium, lang) if chosen else ""
        self.projection_help = ""
        if chosen and start and start.params:
            age = start.params.retirement_age
            years = years_to_retirement(chosen.birth_date, start.today, age)
            self.projection_help = t("calc.projection.help", lang, age=age, years=years)

    @rx.event
    async def choose(self, participation_id: object):
        """Another of the employee's participations (untrusted: someone else's id is refused and audited)."""
        done = await run(self, employee.calc_participation, clock.today(), participation_id, deny=ROUTE)
        if not done or done.value is None:
            return done.event
        self._choose(str(done.value.participation_id), await language_of(self))
        self._clear_all()

    def _clear(self, name: str) -> None:
        """Forget the result of calculator ``name`` (deferral or projection)."""
        for var in (f"{name}_sentence", f"{name}_summary", f"{name}_title"):
            setattr(self, var, "")
        setattr(self, f"{name}_lines", [])
        setattr(self, f"fig_{name}", go.Figure())

    def _clear_all(self) -> None:
        """No result and no message in either calculator (a new page load or another participation)."""
        for name in ("deferral", "projection"):
            self._clear(name)
            setattr(self, f"{name}_errors", {})

    async def _compute(self, name: str, use_case: Any, form: object, *keys: str) -> tuple[Any, str, Any]:
        """Run calculator ``name``'s use case on the form's fields ``keys`` (untrusted) for the form's (or the
        chosen) participation: (result or None, language, the event to return). The old result goes first; bad
        amounts become messages at their fields, with their amounts in the locale."""
        data = form if isinstance(form, dict) else {}
        self._clear(name)
        setattr(self, f"{name}_errors", {})
        participation = data.get("participation", self.participation)
        fields = [data.get(key) for key in keys]
        done = await run(self, use_case, clock.today(), participation, *fields, deny=ROUTE, fields=f"{name}_errors")
        lang = await language_of(self)
        if not done or done.value is None:
            if done.error:
                setattr(self, f"{name}_errors", {e.field: _message(e, lang) for e in errors_of(done.error)})
            return None, lang, done.event
        return done.value, lang, None

    @rx.event
    async def calculate_deferral(self, form: dict[str, Any]):
        """The deferral form: the typed wage and monthly amount (untrusted) for the chosen participation."""
        d, lang, event = await self._compute("deferral", employee.deferred_compensation, form, "wage", "amount")
        if d is None:
            return event
        self.deferral_lines = _deferral_lines(d, lang)
        self.deferral_sentence = t(
            "calc.deferral.sentence",
            lang,
            amount=fmt.money(d.monthly_amount, lang),
            net=fmt.money(-d.net_monthly_change, lang),
            yearly=fmt.money(d.pension_yearly_extra, lang),
        )
        self.fig_deferral, self.deferral_title, self.deferral_summary = charts.deferral_figure(d, lang)

    @rx.event
    async def calculate_projection(self, form: dict[str, Any]):
        """The projection form: the typed extra monthly contribution and start capital (untrusted)."""
        p, lang, event = await self._compute("projection", employee.savings_projection, form, "extra", "start")
        if p is None:
            return event
        self.projection_lines = _projection_lines(p, lang)
        if p.years == 0:
            self.projection_sentence = t("calc.projection.reached", lang, age=p.retirement_age)
            return
        low, mid, high = (s.final for s in p.scenarios)
        self.projection_sentence = t(
            "calc.projection.sentence",
            lang,
            age=p.retirement_age,
            low=fmt.money(low, lang),
            mid=fmt.money(mid, lang),
            high=fmt.money(high, lang),
        )
        self.fig_projection, self.projection_title, self.projection_summary = charts.projection_figure(p, lang)
