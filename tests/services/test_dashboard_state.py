"""The dashboard's Reflex states (INT-1) run without a browser: the principal comes from the server-side session on
every event, the browser's arguments are reduced to allow-lists, an employer user gets nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import reflex as rx
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.core.db import session_scope
from portal.models import CompanyGroup, UserAccount
from portal.services import accounts, dashboard
from portal.state.intermediary.dashboard import (
    ATTENTION,
    FIGURES,
    ID,
    NAME,
    DashboardChartsState,
    DashboardFiguresState,
    DashboardOrderState,
    DashboardRowsState,
    DashboardState,
)


def _sign_in(monkeypatch: pytest.MonkeyPatch, username: str) -> None:
    with session_scope() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
        ticket = accounts.create_session(db, user.id or 0)
    with session_scope() as db:
        redeemed = accounts.redeem_ticket(db, *ticket)
    assert redeemed is not None
    monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])


@pytest.fixture
def adviser(db: Session, demo_data: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    dashboard.forget_shared()
    _sign_in(monkeypatch, "adviser")
    yield db


async def _dashboard() -> tuple[DashboardState, DashboardRowsState, rx.State]:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(DashboardState)
    async for _ in state.load():  # figures and table, then the charts, then the live watch
        pass
    return state, await root.get_state(DashboardRowsState), root


async def test_load_shows_figures_rows_and_charts(adviser: Session) -> None:
    state, rows, root = await _dashboard()
    cards = (await root.get_state(DashboardFiguresState)).cards
    assert [c[2] for c in cards] == list(FIGURES) and cards[0][1] == "3"
    assert rows.total == 3 and [r[NAME] for r in rows.rows] == sorted(r[NAME] for r in rows.rows)
    charts = await root.get_state(DashboardChartsState)
    assert charts.ready and set(charts.summaries) == {"premium", "status", "changes", "tasks"}
    assert state.groups and state.group == ""


async def test_load_sends_figures_and_table_before_the_charts(adviser: Session) -> None:
    """The first delta of the load holds the figures and the table; the charts come in the next one."""
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(DashboardState)
    steps = state.load()
    await steps.__anext__()
    assert (await root.get_state(DashboardFiguresState)).cards and (await root.get_state(DashboardRowsState)).rows
    assert not (await root.get_state(DashboardChartsState)).ready
    await steps.__anext__()
    assert (await root.get_state(DashboardChartsState)).ready


async def test_events_take_only_allowed_arguments(adviser: Session) -> None:
    state, rows, root = await _dashboard()
    order = await root.get_state(DashboardOrderState)
    await state.sort_by("name; DROP TABLE employer")
    assert (order.sort, order.direction) == ("name", "asc")
    await state.sort_by("active")
    await state.sort_by("active")
    assert (order.sort, order.direction) == ("active", "desc")
    assert rows.rows[0][NAME] == "Noordkade Distributie B.V."
    await state.set_group("99999")
    assert state.group == "" and rows.total == 3
    group = adviser.exec(select(CompanyGroup).where(CompanyGroup.name == "Noordkade Groep")).one()
    await state.set_group(str(group.id))
    assert state.group == str(group.id) and rows.total == 2
    await state.set_attention("yes")  # not the boolean a checkbox sends
    assert state.attention is False
    await state.apply_search({"search": "  bakkerij  "})
    assert state.search == "bakkerij" and rows.total == 0  # Bakkerij ter Horst is not in the group
    await state.set_group("")
    assert rows.total == 1
    await state.apply_search("not a form")
    assert state.search == "" and rows.total == 3
    await state.next_page()
    assert rows.page == 1  # one page only


async def test_an_employer_user_gets_nothing(db: Session, demo_data: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _sign_in(monkeypatch, "employer.hr")
    _state, rows, root = await _dashboard()
    assert rows.rows == [] and rows.total == 0
    assert (await root.get_state(DashboardFiguresState)).cards == []


async def test_a_refused_read_after_a_good_one_leaves_nothing_shown(adviser: Session, monkeypatch) -> None:
    """The session's adviser loses the role mid-session: the next read is refused and every figure, row, chart
    and group shown before is gone from the state."""
    state, rows, root = await _dashboard()
    assert rows.rows and (await root.get_state(DashboardFiguresState)).cards
    _sign_in(monkeypatch, "employer.hr")  # the same tab, another principal: no portfolio
    await state.apply_search({"search": ""})
    charts = await root.get_state(DashboardChartsState)
    assert rows.rows == [] and rows.total == 0 and state.groups == []
    assert (await root.get_state(DashboardFiguresState)).cards == [] and not charts.ready and charts.summaries == {}


async def test_the_attention_badge_is_the_domain_rule_as_the_filter_applies_it(adviser: Session) -> None:
    """The badge flags exactly the employers the "needs attention" filter keeps (in the demo one of them only for
    its overdue tasks), and none other."""
    state, rows, _root = await _dashboard()
    badged = {r[ID] for r in rows.rows if r[ATTENTION] == "1"}
    unbadged = {r[ID] for r in rows.rows if r[ATTENTION] == ""}
    await state.set_attention(True)
    assert {r[ID] for r in rows.rows} == badged and badged and unbadged
    assert all(r[ATTENTION] == "1" for r in rows.rows)
