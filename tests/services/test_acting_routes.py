"""Acting for an employer (INT-2, AUTH-5) on the demo data, through the states' one entry (``usecase.run``) and
the page guard: on ``/intermediary/employers/<id>/...`` every event works for that one employer, the id checked
against the adviser's portfolio on every request. Another employer (by address or by event argument), another
office's adviser, an employer user and an employee get nothing, and the refusal is audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
import reflex as rx
from sqlmodel import Session, col, select

import portal.state.auth as auth
from portal.core.db import session_scope
from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.domain.roles import Perm
from portal.models import (
    AuditEvent,
    Document,
    DocumentRead,
    Employer,
    IntermediaryOffice,
    Mutation,
    Participation,
    RoleGrant,
    UserAccount,
)
from portal.pages.routes import ACCESS
from portal.services import participants
from portal.services.mutations import queries
from portal.services.mutations.submit import submit_salary_parttime
from portal.services.organisation import acting
from portal.services.principal import Principal
from portal.state.acting import ActingState
from portal.state.auth import SessionState
from portal.state.employer import detail as detail_state
from portal.state.employer.detail import DetailState
from portal.state.employer.documents import DocumentsState
from portal.state.usecase import GUARDED, run
from tests.services.employer_fixtures import session_token_of

TODAY = date(2026, 11, 1)


@dataclass
class Offices:
    a: int  # the demo employer (office 1)
    b: int  # the small employer (office 1, the same portfolio)
    c: int  # the other office's employer
    office: int
    other_office: int


class ActingProbe(rx.State):
    """A page's state on an acting address."""


@pytest.fixture
def world(db: Session, demo_data: None) -> Offices:
    """The demo office and its employers, and a second office with its own employer and adviser."""
    a = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER_NAME)).one()
    b = db.exec(select(Employer).where(Employer.name == SMALL_NAME)).one()
    other = IntermediaryOffice(name="Ander Advies B.V.", kvk_number="76543210")
    db.add(other)
    db.flush()
    c = Employer(name="Buurman B.V.", kvk_number="87654321", office_id=other.id)
    db.add(c)
    user = UserAccount(username="other.adviser", email="adviser@ander.example", status="active", password_hash="x")
    db.add(user)
    db.flush()
    db.add(RoleGrant(user_id=user.id or 0, role="adviser", office_id=other.id))
    db.commit()
    assert a.office_id is not None and a.office_id == b.office_id != other.id
    return Offices(a.id or 0, b.id or 0, c.id or 0, a.office_id, other.id or 0)


@pytest.fixture
def sign_in(db: Session, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str], None]:
    """Sign ``username`` in and put the browser on ``path`` (the address every event carries)."""

    monkeypatch.setattr(auth, "_ACCESS", list(ACCESS))  # the route table's rules, as the app gives them

    def on(username: str, path: str) -> None:
        token = session_token_of(db, username)
        monkeypatch.setattr(auth, "session_token", lambda state: token)
        monkeypatch.setattr(auth, "current_path", lambda state: path)

    return on


def _denials(reason: str) -> list[AuditEvent]:
    with session_scope() as db:
        rows = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(col(AuditEvent.id)))
        return [e for e in rows if reason in (e.detail or "")]


async def _probe() -> ActingProbe:
    return await (rx.State(_reflex_internal_init=True)).get_state(ActingProbe)


def _scope(db: Session, me: Principal | None) -> frozenset[int]:
    assert me is not None
    return me.employer_ids


async def test_on_an_employers_address_every_event_works_for_that_employer_only(world: Offices, sign_in) -> None:
    sign_in("adviser", f"/intermediary/employers/{world.a}/participants")
    done = await run(await _probe(), _scope)
    assert done and done.value == frozenset({world.a})
    sign_in("adviser", "/intermediary")  # the portfolio itself: the whole portfolio, without employer permissions
    done = await run(await _probe(), _scope)
    assert done and {world.a, world.b} <= (done.value or frozenset())
    assert done.principal is not None and done.principal.acting_employer_id is None
    assert not done.principal.can(Perm.PARTICIPANTS_VIEW)


@pytest.mark.parametrize("path", ["/intermediary", "/intermediary/tasks", "/employer/participants", "/anything"])
async def test_an_employers_service_refuses_an_adviser_on_any_other_address(world: Offices, sign_in, path: str) -> None:
    """The browser says which page it is on; an adviser who sends another address than an employer's (a forged
    one, or from the portfolio's own pages) is not narrowed, and so holds no employer permission at all: the
    employer services refuse, whatever employer the arguments name (INT-2)."""
    sign_in("adviser", path)
    probe = await _probe()
    for use_case, args in (
        (queries.latest_changes, (world.a,)),
        (lambda db, me: participants.schemes_of(db, me), ()),
        (acting.employer_acted_for, ()),
    ):
        done = await run(probe, use_case, *args)
        assert not done and done.value is None and done.refused is not None, use_case
        assert done.refused.reason in ("missing_role", "employer_required")


async def test_another_employer_of_the_portfolio_by_event_argument_is_refused(world: Offices, sign_in) -> None:
    sign_in("adviser", f"/intermediary/employers/{world.a}/changes")
    probe = await _probe()
    mine = await run(probe, queries.latest_changes, world.a)
    assert mine
    theirs = await run(probe, queries.latest_changes, world.b, deny="/intermediary/changes", quiet=GUARDED)
    assert not theirs and theirs.refused is not None and theirs.refused.reason == "out_of_scope"
    assert _denials("out_of_scope")
    again = await run(probe, queries.latest_changes, world.b, deny="/employer/changes?page=2", quiet=GUARDED)
    assert again.refused is not None  # an employer page's refusal, audited under the address the adviser was on
    assert any(e.object_id == f"/intermediary/employers/{world.a}/changes?page=2" for e in _denials("out_of_scope"))
    b_part = await run(probe, lambda db, me: participants.schemes_of(db, me))
    assert b_part and {o.employer_id for o in b_part.value or []} == {world.a}


async def test_an_address_outside_the_portfolio_gives_nothing_and_an_audit_entry(world: Offices, sign_in) -> None:
    for raw in (str(world.c), "999999", "abc", "0"):
        path = f"/intermediary/employers/{raw}/participants"
        sign_in("adviser", path)
        done = await run(await _probe(), _scope, quiet=GUARDED)  # not quiet: out of portfolio is always audited
        assert not done and done.value is None and done.refused is not None
        assert done.refused.reason == "out_of_portfolio"
        assert any(e.object_id == path for e in _denials("out_of_portfolio"))


async def test_an_adviser_of_another_office_gets_nothing(
    world: Offices, sign_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = f"/intermediary/employers/{world.a}/participants"
    sign_in("other.adviser", path)
    done = await run(await _probe(), _scope)
    assert not done and done.value is None
    root = rx.State(_reflex_internal_init=True)
    session = await root.get_state(SessionState)
    answer = await session.guard()
    assert answer is not None and "/no-access" in str(answer)
    acting_state = await root.get_state(ActingState)
    await acting_state.load()
    await (await root.get_state(DocumentsState)).load()  # the page's own read on the same load
    denied = [e for e in _denials("out_of_portfolio") if e.object_id == path]
    assert len(denied) == 1 and denied[0].actor_name == "other.adviser"  # one refused page load, one entry
    monkeypatch.setattr(auth, "REPEAT_SECONDS", -1.0)  # a later attempt is audited again
    assert (await run(await _probe(), _scope)).refused is not None
    assert len([e for e in _denials("out_of_portfolio") if e.object_id == path]) == 2
    assert acting_state.employer_name == "" and acting_state.menu == [] and acting_state.base == "/employer"
    sign_in("other.adviser", f"/intermediary/employers/{world.c}/participants")  # its own employer: fine
    assert (await run(await _probe(), _scope)).value == frozenset({world.c})


@pytest.mark.parametrize("username", ["employer.hr", "employee"])
async def test_employer_users_and_employees_never_reach_an_employers_intermediary_pages(
    world: Offices, sign_in, username: str
) -> None:
    path = f"/intermediary/employers/{world.a}/participants"
    sign_in(username, path)
    root = rx.State(_reflex_internal_init=True)
    answer = await (await root.get_state(SessionState)).guard()
    assert answer is not None and "/no-access" in str(answer)
    with session_scope() as db:
        denied = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert any(e.object_id == path and e.actor_name == username for e in denied)
    done = await run(await _probe(), _scope)  # an event sent from that address: no principal to work with
    assert not done and done.value is None


async def test_the_guard_and_the_acting_state_name_the_employer_and_its_pages(world: Offices, sign_in) -> None:
    sign_in("adviser", f"/intermediary/employers/{world.a}/documents")
    root = rx.State(_reflex_internal_init=True)
    assert await (await root.get_state(SessionState)).guard() is None
    state = await root.get_state(ActingState)
    await state.load()
    base = f"/intermediary/employers/{world.a}"
    assert state.base == base and state.employer_name == DEMO_EMPLOYER_NAME
    routes = [route for route, _key in state.menu]
    assert routes[0] == base and f"{base}/participants" in routes and f"{base}/documents" in routes
    assert all(r.startswith(base) for r in routes)


async def test_a_change_made_acting_is_recorded_on_behalf_and_shown_so_in_the_history(
    world: Offices, sign_in, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    part = db.exec(
        select(Participation).where(Participation.employer_id == world.a, Participation.participant_number == "100001")
    ).first()
    assert part is not None
    sign_in("adviser", f"/intermediary/employers/{world.a}/participants/100001")

    def salary(db: Session, me: Principal | None) -> Mutation:
        return submit_salary_parttime(db, me, part.id, "2026-12-01", "55.000,00", None, part.version, today=TODAY)

    done = await run(await _probe(), salary)
    assert done and done.value is not None and done.value.on_behalf_of == f"office:{world.office}"
    shown = await run(await _probe(), participants.participant_detail, "100001", None)
    assert shown and shown.value is not None
    entry = next(h for h in shown.value.history if h.mutation_id == done.value.id)
    with session_scope() as s:
        office = s.get(IntermediaryOffice, world.office)
        assert office is not None and entry.on_behalf_of_name == office.name
        assert acting.office_names(s, {"office:x", f"office:{world.office}"}) == {f"office:{world.office}": office.name}
    detail = await (rx.State(_reflex_internal_init=True)).get_state(DetailState)
    monkeypatch.setattr(detail_state, "route_param", lambda state, name: "100001")
    for lang, words in (("nl", "namens de werkgever"), ("en", "on behalf of the employer")):
        (await detail.get_state(SessionState)).lang = lang
        await detail.load()
        assert detail.found and any(h["by"].endswith(f"({entry.on_behalf_of_name}, {words})") for h in detail.history)
    assert detail.person and detail.name and detail.participation_ref
    sign_in("other.adviser", f"/intermediary/employers/{world.a}/participants/100001")
    await detail.load()  # refused: nothing of the participant shown before stays in the state
    assert not detail.found
    assert (detail.name, detail.person, detail.history, detail.participation_ref) == ("", [], [], "")
    sign_in("adviser", f"/intermediary/employers/{world.b}/participants/100001")  # the same number elsewhere
    other = await run(await _probe(), submit_salary_parttime, part.id, "2026-12-01", "1", None, part.version)
    assert not other and other.refused is not None


async def test_an_adviser_opening_a_document_leaves_the_employers_unread_marker(world: Offices, sign_in) -> None:
    with session_scope() as db:
        read = select(DocumentRead.document_id).where(DocumentRead.employer_id == world.a)
        unread = db.exec(select(Document).where(Document.employer_id == world.a, col(Document.id).not_in(read))).first()
        theirs = db.exec(select(Document).where(Document.employer_id == world.b)).first()
    assert unread is not None and theirs is not None
    sign_in("adviser", f"/intermediary/employers/{world.a}/documents")
    root = rx.State(_reflex_internal_init=True)
    docs = await root.get_state(DocumentsState)
    await docs.load()
    await docs.open_document(str(unread.id))
    assert docs.selected.get("id") == str(unread.id)
    with session_scope() as db:
        marks = db.exec(select(DocumentRead).where(DocumentRead.document_id == unread.id)).all()
    assert marks == []  # still unread for the employer (DOC-2)
    await docs.open_document(str(theirs.id))  # another employer's document, by event argument
    assert docs.selected == {} and docs.message != ""
    with session_scope() as db:
        refused = db.exec(
            select(AuditEvent).where(AuditEvent.action == "access.denied", AuditEvent.object_id == str(theirs.id))
        ).all()
    assert refused
