"""The new-participant wizard's state without a browser: the number shown on the last step comes from the
mutations service (scope-checked), not from a query in the state; a number asked for another employer's change is
refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import reflex as rx
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.core import clock
from portal.models import Mutation, Participation, UserAccount
from portal.services import accounts
from portal.services.mutations.queries import participant_number
from portal.services.principal import NoAccess
from portal.state.employer.new_participant import NewParticipantState
from tests.services.test_mutations import Demo, demo, person_form

__all__ = ["demo"]  # fixture

TODAY = date(2026, 11, 1)


@pytest.fixture
def hr(db: Session, demo: Demo, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """employer.hr signed in on the demo's day; the state's websocket cookie carries the session token."""
    with clock.frozen(TODAY):
        user = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
        redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
        assert redeemed is not None
        db.commit()
        monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
        yield redeemed[0]


async def test_the_submitted_participants_number_is_shown(db: Session, demo: Demo, hr: str) -> None:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(NewParticipantState)
    await state.load()
    scheme = next(s for s in state.schemes if s["employer_id"] == str(demo.employer_id) and "OP" in s["label"])
    state.choose_scheme({"scheme": scheme["id"]})
    await state.preview(person_form())
    assert state.step == 2 and state.errors == {}
    await state.submit()
    assert state.step == 3 and not state.needs_review and state.errors == {}
    mutation = db.exec(select(Mutation).where(Mutation.kind == "new_participant")).one()
    part = db.get(Participation, mutation.participation_id)
    assert part is not None and state.done_number == part.participant_number != ""


def test_the_number_is_refused_outside_the_employers_in_scope(db: Session, demo: Demo) -> None:
    from portal.services import mutations as mut
    from tests.services.test_mutations import op_scheme

    m = mut.submit_new_participant(
        db, demo.hr, demo.employer_id, op_scheme(db, demo.employer_id).id, **person_form(), today=TODAY
    )
    db.commit()
    assert participant_number(db, demo.hr, m.id) == db.get(Participation, m.participation_id).participant_number
    for principal in (demo.other_hr, demo.finance, None):
        with pytest.raises(NoAccess):
            participant_number(db, principal, m.id)
    for forged in ("1 OR 1=1", -1, None, 2**40):
        with pytest.raises(NoAccess):
            participant_number(db, demo.hr, forged)
