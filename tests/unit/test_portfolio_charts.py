"""The portfolio dashboard's figures (INT-1): four charts in the user's language, each with a text summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.components import portfolio_charts
from portal.domain.portfolio import PortfolioCharts, Ranked, StatusBar, TaskBar, week_starts

TODAY = date(2026, 11, 30)
DATA = PortfolioCharts(
    today=TODAY,
    premium=[Ranked("Noordkade B.V.", Decimal("12345.67")), Ranked(None, Decimal("100.00"), 3)],
    status=[StatusBar("Noordkade B.V.", {"active": 1200, "dormant": 30}), StatusBar(None, {"active": 5}, 3)],
    weeks=week_starts(TODAY),
    submitted=[0] * 11 + [4],
    processed=[0] * 10 + [1, 2],
    tasks=[TaskBar("Anouk", {"open": 3, "in_progress": 1, "waiting": 0}), TaskBar("", {"open": 2})],
)


def test_charts_in_dutch_and_english_with_summaries() -> None:
    figs, titles, summaries = portfolio_charts.build(DATA, "nl")
    assert set(figs) == set(titles) == set(summaries) == set(portfolio_charts.CHARTS)
    assert titles["premium"] == "Jaarpremie per werkgever (2026)"
    assert "Noordkade B.V.: € 12.345,67" in summaries["premium"]
    assert "Overige werkgevers (3): € 100,00" in summaries["premium"]
    assert "Noordkade B.V.: Actief 1.200, Slaper 30" in summaries["status"]
    assert "week van 30-11-2026: 4 / 2" in summaries["changes"]
    assert list(figs["premium"].data[0].y) == ["Noordkade B.V.", "Overige werkgevers (3)"]
    assert figs["changes"].layout.separators == ",."
    assert titles["tasks"] == "Open taken per adviseur"
    assert "Anouk: Open 3, In behandeling 1, Wacht op iemand 0; Niemand: Open 2" in summaries["tasks"]
    assert list(figs["tasks"].data[0].y) == ["Anouk", "Niemand"] and list(figs["tasks"].data[0].x) == [3, 2]
    figs, titles, summaries = portfolio_charts.build(DATA, "en")
    assert titles["changes"] == "Changes per week (12 weeks)"
    assert "Other employers (3)" in summaries["status"]
    assert [d.name for d in figs["changes"].data] == ["Submitted", "Processed"]
    assert figs["premium"].layout.template.to_plotly_json() == {}  # rx.plotly supplies light or dark


def test_an_empty_portfolio_is_said_in_words() -> None:
    empty = PortfolioCharts(TODAY, [], [], week_starts(TODAY), [0] * 12, [0] * 12)
    _figs, _titles, summaries = portfolio_charts.build(empty, "nl")
    assert "geen gegevens" in summaries["premium"] and "geen gegevens" in summaries["status"]
    assert "geen gegevens" in summaries["tasks"]
