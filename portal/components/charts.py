"""Dashboard charts (EMP-11): plotly figures from ``domain.charts.ChartData`` and their place on a page.

Figures are built on the server in the user's language: titles and labels from the catalogue, Dutch number
separators (``separators=",."``) and euro amounts. They carry no template of their own, so ``rx.plotly`` puts
its light or dark template on them as the colour mode changes. Every chart sits in a ``<figure>`` named by its
visible heading and described by a short text summary for screen readers.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import plotly.graph_objects as go
import reflex as rx
from babel.dates import get_month_names

from portal.domain.charts import AGE_EDGES, SALARY_EDGES, STATUSES, ChartData
from portal.i18n import formatting as fmt
from portal.i18n import t

CHARTS = ("premium", "coverage", "status", "age", "salary")
COLOURS = ("#3e63dd", "#12a594", "#e54666", "#f76b15", "#8e4ec6", "#ffc53d")
CONFIG = {"displayModeBar": False, "responsive": True}


def layout(fig: go.Figure, lang: str, money_axis: bool = False) -> go.Figure:
    """A small figure's common look: locale separators, no own template (rx.plotly follows light/dark)."""
    fig.update_layout(
        separators=",." if lang == "nl" else ".,",
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        height=260,
        autosize=True,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "y": -0.2},
        font={"size": 12},
    )
    fig.layout.template = None  # rx.plotly supplies the light or dark template
    fig.update_yaxes(automargin=True, rangemode="tozero")
    fig.update_xaxes(automargin=True)
    if money_axis:
        fig.update_yaxes(tickprefix="€ " if lang == "nl" else "€", tickformat=",.0f")
    return fig


def _money0(amount: Decimal, lang: str) -> str:
    return fmt.money(amount, lang)


def age_labels(lang: str) -> list[str]:
    """``jonger dan 25``, ``25–34``, …, ``65 en ouder``."""
    labels = [t("chart.age.under", lang, n=AGE_EDGES[0])]
    labels += [f"{lo}–{hi - 1}" for lo, hi in itertools.pairwise(AGE_EDGES)]
    return [*labels, t("chart.age.over", lang, n=AGE_EDGES[-1])]


def salary_labels(lang: str) -> list[str]:
    """``onder € 30.000``, ``€ 30.000–40.000``-style buckets in the locale."""

    def k(n: int) -> str:
        return fmt.money(Decimal(n), lang).removesuffix(",00").removesuffix(".00")

    labels = [t("chart.salary.under", lang, n=k(SALARY_EDGES[0]))]
    labels += [f"{k(lo)}–{k(hi)}" for lo, hi in itertools.pairwise(SALARY_EDGES)]
    return [*labels, t("chart.salary.over", lang, n=k(SALARY_EDGES[-1]))]


def _counts_summary(labels: list[str], values: list[int] | tuple[int, ...], lang: str) -> str:
    items = "; ".join(f"{label}: {fmt.number(v, lang)}" for label, v in zip(labels, values, strict=True))
    return t("chart.summary_counts", lang, items=items)


def build(data: ChartData, lang: str) -> tuple[dict[str, go.Figure], dict[str, str], dict[str, str]]:
    """(figures, titles, summaries) by chart name (``CHARTS``) in ``lang``."""
    months = [get_month_names("abbreviated", locale=fmt.LOCALES.get(lang, "nl_NL"))[m] for m in range(1, 13)]
    figs: dict[str, go.Figure] = {}
    titles = {
        "premium": t("chart.premium.title", lang, year=data.year),
        "coverage": t("chart.coverage.title", lang),
        "status": t("chart.status.title", lang),
        "age": t("chart.age.title", lang),
        "salary": t("chart.salary.title", lang),
    }
    summaries: dict[str, str] = {}

    premium = go.Figure()
    for i, s in enumerate(data.schemes):
        premium.add_bar(
            x=months,
            y=[float(v) for v in s.months],
            name=f"{s.kind} · {s.name}",
            marker_color=COLOURS[i % len(COLOURS)],
            hovertemplate="%{x}: € %{y:,.2f}<extra>" + s.kind + "</extra>",
        )
    premium.update_layout(barmode="stack", showlegend=len(data.schemes) > 1)
    figs["premium"] = layout(premium, lang, money_axis=True)
    totals = [sum((s.months[m] for s in data.schemes), Decimal(0)) for m in range(12)]
    top = max(range(12), key=lambda m: totals[m]) if data.schemes else 0
    summaries["premium"] = t(
        "chart.premium.summary",
        lang,
        year=data.year,
        total=_money0(sum(totals, Decimal(0)), lang),
        month=get_month_names("wide", locale=fmt.LOCALES.get(lang, "nl_NL"))[top + 1],
        amount=_money0(totals[top], lang),
    ) + (" " + t("chart.premium.note", lang))

    names = [f"{s.kind} · {s.name}" for s in data.schemes]
    kinds = [s.kind for s in data.schemes]  # short axis labels; the full name is in the hover and the summary
    coverage = go.Figure()
    for i, (key, values) in enumerate(
        (
            ("chart.coverage.premium", [float(s.yearly_premium) for s in data.schemes]),
            ("chart.coverage.amount", [float(s.coverage) for s in data.schemes]),
        )
    ):
        coverage.add_bar(
            x=kinds,
            y=values,
            name=t(key, lang),
            marker_color=COLOURS[i],
            customdata=names,
            hovertemplate="%{customdata}: € %{y:,.2f}<extra></extra>",
        )
    coverage.update_layout(barmode="group")
    figs["coverage"] = layout(coverage, lang, money_axis=True)
    summaries["coverage"] = (
        "; ".join(
            t(
                "chart.coverage.summary_line",
                lang,
                scheme=n,
                premium=_money0(s.yearly_premium, lang),
                amount=_money0(s.coverage, lang),
            )
            for n, s in zip(names, data.schemes, strict=True)
        )
        + "."
    )

    status_labels = [t(f"status.{s}", lang) for s in STATUSES]
    status_values = [data.status.get(s, 0) for s in STATUSES]
    figs["status"] = layout(
        go.Figure(
            go.Pie(
                labels=status_labels,
                values=status_values,
                hole=0.5,
                sort=False,
                marker={"colors": list(COLOURS[1:5])},
                textinfo="value",
            )
        ),
        lang,
    )
    summaries["status"] = _counts_summary(status_labels, status_values, lang)

    for name, labels, values, colour in (
        ("age", age_labels(lang), data.age, COLOURS[4]),
        ("salary", salary_labels(lang), data.salary, COLOURS[3]),
    ):
        fig = go.Figure(go.Bar(x=labels, y=list(values), marker_color=colour, name=t("chart.count_axis", lang)))
        fig.update_yaxes(title_text=t("chart.count_axis", lang), tickformat=",d")
        figs[name] = layout(fig, lang)
        summaries[name] = _counts_summary(labels, values, lang)
    return figs, titles, summaries


def chart_card(name: str, figure: rx.Var, title: rx.Var, summary: rx.Var) -> rx.Component:
    """One chart: a visible heading that names the figure, the plot, and a text summary for screen readers."""
    return rx.card(
        rx.el.figure(
            rx.heading(title, as_="h3", size="3", id=f"chart-{name}-title", margin_bottom="0.5rem"),
            rx.box(
                rx.plotly(data=figure, config=CONFIG, use_resize_handler=True, width="100%", height="260px"),
                aria_hidden="true",
                width="100%",
            ),
            rx.el.figcaption(summary, id=f"chart-{name}-summary", class_name="sr-only"),
            aria_labelledby=f"chart-{name}-title",
            aria_describedby=f"chart-{name}-summary",
            margin="0",
        ),
        width="100%",
        min_width="0",
        id=f"chart-{name}",
    )


def chart_grid(state: type[rx.State], heading: rx.Var, names: tuple[str, ...] = CHARTS) -> rx.Component:
    """The charts of ``state`` (a state with ``figures``-named vars ``fig_<name>``, ``titles`` and
    ``summaries``) under a heading; one column on a phone, two or three on wider screens."""
    return rx.cond(
        state.ready,  # type: ignore[attr-defined]
        rx.el.section(
            rx.heading(heading, as_="h2", size="4", margin_bottom="0.75rem"),
            rx.grid(
                *[
                    chart_card(
                        name,
                        getattr(state, f"fig_{name}"),
                        state.titles[name],  # type: ignore[attr-defined]
                        state.summaries[name],  # type: ignore[attr-defined]
                    )
                    for name in names
                ],
                columns={"initial": "1", "md": "2", "xl": "3"},
                spacing="4",
                width="100%",
            ),
            margin_top="1.5rem",
            aria_label=heading,
            id="charts",
        ),
    )
