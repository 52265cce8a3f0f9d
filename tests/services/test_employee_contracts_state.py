"""The contracts page's state without a browser (EE-1): the signed-in employee's contracts as cards, formatted in
the session's language; an employer user or an adviser on the page gets nothing (the service refuses them)."""

from __future__ import annotations

from datetime import date

import pytest
import reflex as rx
from sqlmodel import Session, select

from portal.core import clock
from portal.services import employee
from portal.state.employee.contracts import ContractsState
from tests.services.employer_fixtures import principal_of

TODAY = date(2026, 11, 1)


async def _loaded() -> ContractsState:
    state = await (rx.State(_reflex_internal_init=True)).get_state(ContractsState)
    await state.load()
    return state


async def test_the_employee_sees_their_contracts_as_cards(db: Session, sign_in) -> None:
    with clock.frozen(TODAY):
        sign_in("employee")
        state = await _loaded()
        expected = employee.my_contracts(db, principal_of(db, "employee"), TODAY)
    assert state.loaded and state.as_of == "01-11-2026"
    lines = [line for card in state.lines for line in card]
    assert [x["id"] for x in lines] == [str(c.participation_id) for c in expected.contracts]
    assert [x["status"] for x in lines] == [c.status for c in expected.contracts]
    # one card per contract: the demo employee's OP and NP at each employer share the contract's card
    assert [(c["status"], c["former"], len(x)) for c, x in zip(state.cards, state.lines, strict=True)] == [
        ("active", "", 2),
        ("passive", "1", 2),
    ]
    active = next(x for x in lines if x["status"] == "active")
    assert active["premium"].startswith("€ ") and "," in active["premium"]
    assert all(x["premium"] == "" for x in lines if x["status"] == "passive")


@pytest.mark.parametrize("username", ["employer.hr", "adviser"])
async def test_anyone_else_on_the_page_gets_nothing(db: Session, sign_in, username: str) -> None:
    with clock.frozen(TODAY):
        sign_in(username)
        state = await _loaded()
    assert state.cards == [] and state.lines == [] and not state.loaded and state.as_of == ""


async def test_no_contract_left_to_show_is_an_empty_list_not_an_error(db: Session, sign_in) -> None:
    """Every contract ended years ago (arranged in the rows): the page shows its empty state."""
    from sqlmodel import col

    from portal.models import Participation
    from portal.services.principal import own_person_ids

    owned = own_person_ids(db, principal_of(db, "employee"))
    for part in db.exec(select(Participation).where(col(Participation.person_id).in_(owned))).all():
        part.status, part.end_date = "terminated", date(2020, 1, 31)
        db.add(part)
    db.commit()
    with clock.frozen(TODAY):
        sign_in("employee")
        state = await _loaded()
    assert state.loaded and state.cards == [] and state.as_of == "01-11-2026"
