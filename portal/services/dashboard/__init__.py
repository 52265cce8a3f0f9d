"""Dashboard context (INT-1): the intermediary's portfolio at a glance — figures, the employer table and charts,
read across participants, changes waiting for review and collective batches, always within the principal's
portfolio. Callers use ``dashboard.<function>``."""

from __future__ import annotations

from portal.services.dashboard.aggregates import EmployerFigures, PortfolioMemo, forget_shared
from portal.services.dashboard.charts import PortfolioCharts, StatusBar, chart_data
from portal.services.dashboard.portfolio import (
    MAX_PAGE_SIZE,
    SORT_COLUMNS,
    Dashboard,
    EmployerPage,
    Figures,
    GroupOption,
    dashboard,
    employer_page,
    portfolio_version,
)

__all__ = [
    "MAX_PAGE_SIZE",
    "SORT_COLUMNS",
    "Dashboard",
    "EmployerFigures",
    "EmployerPage",
    "Figures",
    "GroupOption",
    "PortfolioCharts",
    "PortfolioMemo",
    "StatusBar",
    "chart_data",
    "dashboard",
    "employer_page",
    "forget_shared",
    "portfolio_version",
]
