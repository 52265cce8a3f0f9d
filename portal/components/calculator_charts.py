"""The calculators' charts (EE-6): plotly figures in the user's language, each with a title and a text summary for
screen readers (drawn by ``components.charts.chart_card``, which follows light/dark as the dashboard's do)."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from portal.components.charts import COLOURS, layout
from portal.domain.calculators import Deferral, Projection
from portal.domain.premium import CENT
from portal.i18n import formatting as fmt
from portal.i18n import t

MONTHS = Decimal(12)


def deferral_figure(d: Deferral, lang: str) -> tuple[go.Figure, str, str]:
    """The gross monthly pay, now and with the deferral, split into net pay, tax and contributions, and the part
    that goes to the pension: (figure, title, summary)."""
    gross = d.yearly_wage / MONTHS
    net = (d.net_monthly_before, d.net_monthly_after)
    pension = (Decimal(0), d.monthly_amount)
    tax = tuple((gross - n - p).quantize(CENT) for n, p in zip(net, pension, strict=True))
    bars = [t("calc.chart.before", lang), t("calc.chart.after", lang)]
    fig = go.Figure()
    for i, (key, values) in enumerate(
        (("calc.chart.net", net), ("calc.chart.tax", tax), ("calc.chart.pension", pension))
    ):
        fig.add_bar(
            x=bars,
            y=[float(v) for v in values],
            name=t(key, lang),
            marker_color=COLOURS[i],
            hovertemplate="%{x}: € %{y:,.2f}<extra>" + t(key, lang) + "</extra>",
        )
    fig.update_layout(barmode="stack")
    summary = t(
        "calc.chart.deferral.summary",
        lang,
        net_before=fmt.money(net[0], lang),
        tax_before=fmt.money(tax[0], lang),
        net_after=fmt.money(net[1], lang),
        tax_after=fmt.money(tax[1], lang),
        amount=fmt.money(d.monthly_amount, lang),
    )
    return layout(fig, lang, money_axis=True), t("calc.chart.deferral.title", lang), summary


def scenario_label(name: str, rate: Decimal, lang: str) -> str:
    """``Neutraal (3 % per jaar)``."""
    return t("calc.scenario.line", lang, scenario=t(f"calc.scenario.{name}", lang), rate=rate_text(rate, lang))


def rate_text(rate: Decimal, lang: str) -> str:
    """A rate without trailing zeros: ``3 %``, ``37,56 %``."""
    return f"{fmt.number(rate, lang)} %"


def projection_figure(p: Projection, lang: str) -> tuple[go.Figure, str, str]:
    """The capital by age up to the retirement age, one line per return scenario: (figure, title, summary)."""
    fig = go.Figure()
    for i, s in enumerate(p.scenarios):
        fig.add_scatter(
            x=list(p.ages),
            y=[float(c) for c in s.capitals],
            mode="lines",
            name=scenario_label(s.name, s.rate, lang),
            line={"color": COLOURS[(2, 0, 1)[i]], "width": 3, "dash": ("dot", "solid", "dash")[i]},
            hovertemplate="%{x}: € %{y:,.0f}<extra>" + t(f"calc.scenario.{s.name}", lang) + "</extra>",
        )
    fig.update_xaxes(tickformat="d")  # ages; the heading says so (an axis title would run into the legend)
    items = "; ".join(f"{scenario_label(s.name, s.rate, lang)} {fmt.money(s.final, lang)}" for s in p.scenarios)
    summary = t("calc.chart.projection.summary", lang, age=p.retirement_age, items=items)
    return layout(fig, lang, money_axis=True), t("calc.chart.projection.title", lang), summary
