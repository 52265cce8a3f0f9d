"""The portfolio dashboard's charts (INT-1): plotly figures from ``domain.portfolio.PortfolioCharts`` in the user's
language, each with a title and a text summary for screen readers (drawn by ``components.charts.chart_grid``)."""

from __future__ import annotations

from decimal import Decimal

import plotly.graph_objects as go

from portal.components.charts import COLOURS, layout
from portal.domain.charts import STATUSES
from portal.domain.portfolio import PortfolioCharts
from portal.domain.tasks import OPEN_STATUSES
from portal.i18n import formatting as fmt
from portal.i18n import t

CHARTS = ("premium", "status", "changes", "tasks")


def _label(label: str | None, count: int, lang: str) -> str:
    return label if label is not None else t("dash.chart.rest", lang, n=count)


def _items(parts: list[str], lang: str) -> str:
    return "; ".join(parts) if parts else t("dash.chart.empty", lang)


def _count(status: str, n: int, lang: str) -> str:
    return f"{t(f'status.{status}', lang)} {fmt.number(n, lang)}"


def build(data: PortfolioCharts, lang: str) -> tuple[dict[str, go.Figure], dict[str, str], dict[str, str]]:
    """(figures, titles, summaries) by chart name (``CHARTS``) in ``lang``."""
    year = data.today.year
    titles = {
        "premium": t("dash.chart.premium.title", lang, year=year),
        "status": t("dash.chart.status.title", lang),
        "changes": t("dash.chart.changes.title", lang),
        "tasks": t("dash.chart.tasks.title", lang),
    }
    figs: dict[str, go.Figure] = {}
    summaries: dict[str, str] = {}

    names = [_label(b.label, b.count, lang) for b in data.premium]
    premium = go.Figure(
        go.Bar(
            y=names,
            x=[float(b.value) for b in data.premium],
            orientation="h",
            marker_color=COLOURS[0],
            hovertemplate="%{y}: € %{x:,.2f}<extra></extra>",
        )
    )
    premium.update_yaxes(autorange="reversed")
    figs["premium"] = layout(premium, lang)
    figs["premium"].update_xaxes(tickprefix="€ " if lang == "nl" else "€", tickformat=",.0f")
    money_items = [f"{n}: {fmt.money(Decimal(b.value), lang)}" for n, b in zip(names, data.premium, strict=True)]
    summaries["premium"] = t(
        "dash.chart.premium.summary",
        lang,
        year=year,
        items=_items(money_items, lang),
    )

    bars = [_label(b.label, b.count, lang) for b in data.status]
    status = go.Figure()
    for i, s in enumerate(STATUSES):
        status.add_bar(
            y=bars,
            x=[b.status.get(s, 0) for b in data.status],
            name=t(f"status.{s}", lang),
            orientation="h",
            marker_color=COLOURS[1 + i],
        )
    status.update_layout(barmode="stack")
    status.update_yaxes(autorange="reversed")
    figs["status"] = layout(status, lang)
    summaries["status"] = t(
        "dash.chart.status.summary",
        lang,
        items=_items(
            [
                f"{n}: "
                + ", ".join(f"{t(f'status.{s}', lang)} {fmt.number(b.status.get(s, 0), lang)}" for s in STATUSES)
                for n, b in zip(bars, data.status, strict=True)
            ],
            lang,
        ),
    )

    weeks = [fmt.day(w, lang) for w in data.weeks]
    changes = go.Figure()
    for i, (key, values) in enumerate(
        (("dash.chart.submitted", data.submitted), ("dash.chart.processed", data.processed))
    ):
        changes.add_bar(x=weeks, y=list(values), name=t(key, lang), marker_color=COLOURS[i])
    changes.update_layout(barmode="group")
    changes.update_yaxes(title_text=t("chart.count_axis", lang), tickformat=",d")
    figs["changes"] = layout(changes, lang)
    most = max([*data.submitted, *data.processed], default=0)
    if most < 5:  # whole numbers only: a tick per change, and some height when there are none
        figs["changes"].update_yaxes(dtick=1, range=[0, max(most, 1) + 0.5])
    summaries["changes"] = t(
        "dash.chart.changes.summary",
        lang,
        items="; ".join(
            f"{t('dash.chart.week', lang, day=w)}: {fmt.number(a, lang)} / {fmt.number(b, lang)}"
            for w, a, b in zip(weeks, data.submitted, data.processed, strict=True)
        ),
    )
    advisers = [b.name or t("dash.chart.tasks.nobody", lang) for b in data.tasks]
    tasks = go.Figure()
    for i, s in enumerate(OPEN_STATUSES):
        tasks.add_bar(
            y=advisers,
            x=[b.status.get(s, 0) for b in data.tasks],
            name=t(f"task.status.{s}", lang),
            orientation="h",
            marker_color=COLOURS[i],
        )
    tasks.update_layout(barmode="stack")
    tasks.update_yaxes(autorange="reversed")
    figs["tasks"] = layout(tasks, lang)
    figs["tasks"].update_xaxes(tickformat=",d")
    summaries["tasks"] = t(
        "dash.chart.tasks.summary",
        lang,
        items=_items(
            [
                f"{n}: "
                + ", ".join(
                    f"{t(f'task.status.{s}', lang)} {fmt.number(b.status.get(s, 0), lang)}" for s in OPEN_STATUSES
                )
                for n, b in zip(advisers, data.tasks, strict=True)
            ],
            lang,
        ),
    )
    return figs, titles, summaries
