"""The calculators page's state without a browser (EE-6): the demo employee's start, results as text and a chart
summary in the session's language, messages at the fields and no result on bad input, and someone else's
participation (by event argument or form field) refused, audited and sent to the no-access page."""

from __future__ import annotations

from datetime import date

import pytest
import reflex as rx
from sqlmodel import Session, col, select

from portal.core import clock
from portal.models import AuditEvent, Participation
from portal.services.principal import own_person_ids
from portal.state.employee.calculators import CalculatorsState
from tests.services.employer_fixtures import principal_of

TODAY = date(2026, 11, 1)


async def _loaded() -> CalculatorsState:
    state = await (rx.State(_reflex_internal_init=True)).get_state(CalculatorsState)
    await state.load()
    return state


def _denials(db: Session) -> list[AuditEvent]:
    db.expire_all()
    return list(
        db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "access.denied", AuditEvent.object_id == "/employee/calculators"
            )
        ).all()
    )


def _foreign(db: Session) -> int:
    owned = own_person_ids(db, principal_of(db, "employee"))
    other = db.exec(select(Participation.id).where(col(Participation.person_id).not_in(owned)).limit(1)).one()
    return int(other or 0)


async def test_a_deferral_and_a_projection_in_dutch(db: Session, sign_in) -> None:
    with clock.frozen(TODAY):
        sign_in("employee")
        state = await _loaded()
        assert state.loaded and len(state.options) == 1 and state.participation == state.options[0]["id"]
        assert state.wage == "52.242,28" and state.premium.startswith("€ ") and state.no_year == ""
        assert "67" in state.projection_help and state.params_lines
        await state.calculate_deferral({"participation": state.participation, "wage": state.wage, "amount": "200"})
        assert state.deferral_errors == {}
        assert "€ 200,00 per maand" in state.deferral_sentence
        assert state.deferral_summary.startswith("Nu: netto € ") and "naar pensioen € 200,00" in state.deferral_summary
        assert len(state.deferral_lines) == 6 and len(state.fig_deferral.data) == 3
        await state.calculate_projection({"participation": state.participation, "extra": "0", "start": ""})
        assert state.projection_errors == {} and len(state.fig_projection.data) == 3
        assert state.projection_summary.startswith("Kapitaal bij 67 jaar: Somber (1 % per jaar) € ")
        assert "Neutraal (3 % per jaar)" in state.projection_summary


async def test_bad_amounts_are_messages_at_the_fields_and_clear_the_result(db: Session, sign_in) -> None:
    with clock.frozen(TODAY):
        sign_in("employee")
        state = await _loaded()
        pid = state.participation
        await state.calculate_deferral({"participation": pid, "wage": "52242", "amount": "200"})
        assert state.deferral_lines
        await state.calculate_deferral({"participation": pid, "wage": "abc", "amount": "600"})
        assert state.deferral_errors == {
            "wage": "Vul een bedrag in cijfers in, bijvoorbeeld 150 of 1.250,50.",
            "amount": "In 2026 kunt u hoogstens € 6.000,00 per jaar inleggen (12 × het maandbedrag).",
        }
        assert state.deferral_lines == [] and state.deferral_summary == "" and not state.fig_deferral.data
        await state.calculate_projection({"participation": pid, "extra": "-10", "start": ""})
        assert state.projection_errors == {"extra": "Het bedrag mag niet negatief zijn."}
        assert state.projection_lines == []
        await state.load()  # a new page load: no old message stays
        assert state.deferral_errors == {} and state.projection_errors == {}
    assert _denials(db) == []


async def test_someone_elses_participation_is_refused_and_audited(db: Session, sign_in) -> None:
    other = _foreign(db)
    with clock.frozen(TODAY):
        sign_in("employee")
        state = await _loaded()
        event = await state.calculate_deferral({"participation": str(other), "wage": "40000", "amount": "100"})
        assert event is not None and "/no-access" in str(event)
        assert state.deferral_lines == [] and state.deferral_errors == {}
        assert [e.detail for e in _denials(db)] and "out_of_scope" in _denials(db)[0].detail
        event = await state.choose(str(other))
        assert event is not None and "/no-access" in str(event)
        assert state.participation == state.options[0]["id"]  # the choice did not change


@pytest.mark.parametrize("username", ["employer.hr", "adviser"])
async def test_anyone_else_on_the_page_gets_nothing(db: Session, sign_in, username: str) -> None:
    with clock.frozen(TODAY):
        sign_in(username)
        state = await _loaded()
    assert not state.loaded and state.options == [] and state.participation == ""


async def test_a_refused_load_after_a_good_one_leaves_no_figures(db: Session, sign_in) -> None:
    with clock.frozen(TODAY):
        sign_in("employee")
        state = await _loaded()
        await state.calculate_deferral({"participation": state.participation, "wage": state.wage, "amount": "200"})
        assert state.wage and state.deferral_lines and state._start is not None
        sign_in("employer.hr")
        await state.load()
    assert not state.loaded and state.wage == "" and state.deferral_lines == [] and state.options == []
    assert state._start is None and state.fig_deferral.data == ()
