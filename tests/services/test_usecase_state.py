"""The states' use-case helper (``portal.state.usecase.run``) without a browser: the principal comes from the
server-side session, a refusal is audited and redirected (or stays quiet when the page guard has handled it),
field errors become messages at the fields and nothing is written, and a use case that records its own refusal
has that record committed."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex.istate.manager.token import BaseStateToken
from reflex.istate.proxy import StateProxy
from reflex_base.event.context import EventContext
from sqlmodel import Session, col, select

import portal.state.auth as auth
from portal.core import clock
from portal.core.db import session_scope
from portal.i18n import t
from portal.models import AuditEvent, AuthSession, Employer, RoleGrant, UserAccount
from portal.services import audit
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal
from portal.services.validation import FieldErrors
from portal.state.auth import SessionState
from portal.state.employer.company import COMPANY_LIMITS, CompanyState
from portal.state.usecase import EVERY, GUARDED, SIGNED_OUT, Done, run
from tests.services.employer_fixtures import session_token_of


class UseCaseProbe(rx.State):
    """A page's state as the helper sees it: a dict of messages by field and one message."""

    errors: dict[str, str] = {}  # noqa: RUF012 (a Reflex state var)
    error: str = ""


@pytest.fixture
def token(db: Session, monkeypatch: pytest.MonkeyPatch) -> str:
    """A live session of an HR user; the probe state's websocket cookie carries its token."""
    employer = Employer(name="Probe B.V.", kvk_number="12345678")
    db.add(employer)
    db.flush()
    user = UserAccount(username="probe.hr", email="hr@probe.example", status="active", password_hash="x")
    db.add(user)
    db.flush()
    db.add(RoleGrant(user_id=user.id or 0, role="hr", employer_id=employer.id))
    db.commit()
    value = session_token_of(db, "probe.hr")
    monkeypatch.setattr(auth, "session_token", lambda state: value)
    return value


async def _probe() -> UseCaseProbe:
    root = rx.State(_reflex_internal_init=True)
    return await root.get_state(UseCaseProbe)


def _written(action: str) -> list[AuditEvent]:
    with session_scope() as db:
        return list(db.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))))


def _write(db: Session, me: Principal | None, then: Exception | None = None) -> str:
    """A use case that writes (an audit event) and then succeeds, or raises ``then``."""
    audit.record(db, "probe.written", actor=me)
    if then is not None:
        raise then
    return "value"


def _path_of(event: object) -> str:
    assert isinstance(event, rx.event.EventSpec)
    return next(json.loads(str(value)) for name, value in event.args if str(name) == "path")


async def test_success_gives_the_value_and_the_sessions_principal_in_one_committed_transaction(token: str) -> None:
    state = await _probe()
    done = await run(state, _write, deny="/probe")
    assert done and done.value == "value" and done.event is None and done.errors == {}
    assert done.principal is not None and done.principal.username == "probe.hr"
    assert [e.actor_name for e in _written("probe.written")] == ["probe.hr"]
    assert _written("access.denied") == []


async def test_a_refusal_is_audited_and_redirected_and_nothing_is_written(token: str) -> None:
    state = await _probe()
    done = await run(state, lambda db, me: _write(db, me, NoAccess("out_of_scope")), deny="/probe#act")
    assert not done and done.refused is not None and done.refused.reason == "out_of_scope"
    assert _path_of(done.event) == "/no-access"
    (denied,) = _written("access.denied")
    assert (denied.actor_name, denied.object_type, denied.object_id) == ("probe.hr", "route", "/probe#act")
    assert json.loads(denied.detail) == {"reason": "out_of_scope"}
    assert _written("probe.written") == []  # the use case's own writes are rolled back


async def test_field_errors_become_messages_at_the_fields_in_the_sessions_language(token: str) -> None:
    state = await _probe()
    several = FieldErrors([FieldError("email", "common.required"), FieldError("name", "form.too_long", {"limit": 9})])
    done = await run(state, lambda db, me: _write(db, me, several), deny="/probe", fields="errors")
    assert not done and done.error is several and done.event is None and done.refused is None
    assert state.errors == {"email": "Dit veld is verplicht.", "name": "Gebruik hier hoogstens 9 tekens."}
    assert done.errors == state.errors
    assert _written("probe.written") == [] and _written("access.denied") == []
    (await state.get_state(SessionState)).lang = "en"
    await run(state, lambda db, me: _write(db, me, FieldError("form", "common.required")), message="error")
    assert state.error == t("common.required", "en") == "This field is required."
    assert _written("probe.written") == []


async def test_at_moves_messages_to_the_forms_own_fields(token: str) -> None:
    state = await _probe()
    await run(state, lambda db, me: _write(db, me, FieldError("x", "common.required")), fields="errors", at="code")
    assert list(state.errors) == ["code"]
    outside = FieldError("kind", "common.required")
    await run(state, lambda db, me: _write(db, me, outside), fields="errors", at=lambda f: "form" if f == "kind" else f)
    assert list(state.errors) == ["form"]


async def test_a_field_error_nobody_shows_propagates_and_writes_nothing(token: str) -> None:
    state = await _probe()
    with pytest.raises(FieldError):
        await run(state, lambda db, me: _write(db, me, FieldError("x", "common.required")), deny="/probe")
    assert _written("probe.written") == []


async def test_guarded_refusals_stay_quiet_and_a_signed_out_caller_counts_as_one(
    token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = await _probe()
    done = await run(state, lambda db, me: _write(db, me, NoAccess("missing_role")), deny="/probe", quiet=GUARDED)
    assert not done and done.event is None and done.refused is not None
    done = await run(state, lambda db, me: _write(db, me, NoAccess("out_of_scope")), deny="/probe", quiet=GUARDED)
    assert _path_of(done.event) == "/no-access"
    assert [json.loads(e.detail)["reason"] for e in _written("access.denied")] == ["out_of_scope"]
    monkeypatch.setattr(auth, "session_token", lambda state: "")  # no session cookie
    done = await run(state, lambda db, me: _write(db, me, NoAccess("bad_id")), deny="/probe", quiet=SIGNED_OUT)
    assert done.principal is None and done.event is None
    done = await run(state, lambda db, me: _write(db, me, NoAccess("bad_id")), deny="/probe")
    assert _path_of(done.event) == "/no-access"  # not quiet: denied, with nobody as the actor
    assert [(e.actor_user_id, json.loads(e.detail)["reason"]) for e in _written("access.denied")][-1] == (
        None,
        "bad_id",
    )


async def test_redirect_reasons_go_to_no_access_without_a_second_audit_entry(token: str) -> None:
    state = await _probe()
    for policy in ({"not_editable"}, EVERY):
        done = await run(state, lambda db, me: _write(db, me, NoAccess("not_editable")), deny="/probe", redirect=policy)
        assert _path_of(done.event) == "/no-access"
    assert _written("access.denied") == []
    done = await run(state, lambda db, me: _write(db, me, NoAccess("out_of_scope")), redirect={"not_editable"})
    assert done.event is None and done.refused is not None  # no deny route: the handler decides
    assert _written("access.denied") == []


async def test_commit_on_keeps_what_the_use_case_recorded_about_its_refusal(token: str) -> None:
    state = await _probe()
    await run(state, lambda db, me: _write(db, me, NoAccess("not_editable")), commit_on=(NoAccess,))
    assert len(_written("probe.written")) == 1
    done = await run(
        state,
        lambda db, me: _write(db, me, FieldError("year", "common.required")),
        message="error",
        commit_on=(FieldError,),
    )
    assert state.error == "Dit veld is verplicht." and done.error is not None
    assert len(_written("probe.written")) == 2
    await run(state, lambda db, me: _write(db, me, NoAccess("not_editable")), commit_on=(FieldError,))
    assert len(_written("probe.written")) == 2  # another exception: rolled back


async def test_a_refused_event_still_counts_as_activity_and_ends_an_expired_session(token: str) -> None:
    state = await _probe()
    long_ago = clock.now() - timedelta(minutes=5)
    with session_scope() as db:
        db.exec(select(AuthSession)).one().last_seen_at = long_ago
    await run(state, lambda db, me: _write(db, me, FieldError("x", "common.required")), fields="errors")
    with session_scope() as db:
        assert clock.now() - db.exec(select(AuthSession)).one().last_seen_at < timedelta(minutes=1)
        db.exec(select(AuthSession)).one().last_seen_at = clock.now() - timedelta(hours=2)  # idle too long
    done = await run(state, lambda db, me: _write(db, me, NoAccess("not_signed_in")), deny="/probe")
    assert done.principal is None and _path_of(done.event) == "/no-access"
    with session_scope() as db:
        assert db.exec(select(AuthSession)).one().end_reason == "idle"
    assert len(_written("session.expired")) == 1 and _written("probe.written") == []


async def test_background_polling_is_no_activity(token: str) -> None:
    state = await _probe()
    long_ago = clock.now() - timedelta(minutes=5)
    with session_scope() as db:
        db.exec(select(AuthSession)).one().last_seen_at = long_ago
    done = await run(state, _write, touch=False)
    assert done.principal is not None
    with session_scope() as db:
        assert clock.now() - db.exec(select(AuthSession)).one().last_seen_at > timedelta(minutes=4)


async def test_a_public_use_case_has_no_principal_and_refusals_propagate(token: str) -> None:
    state = await _probe()
    done = await run(state, _write, None, public=True)  # called as use_case(db, *args)
    assert done.value == "value" and done.principal is None
    with pytest.raises(NoAccess):
        await run(state, _write, None, NoAccess("not_active"), public=True, deny="/probe")
    done = await run(state, _write, None, FieldError("code", "common.required"), public=True, fields="errors")
    assert state.errors == {"code": "Dit veld is verplicht."}
    assert [e.actor_name for e in _written("probe.written")] == [""]


async def test_in_a_background_event_the_use_case_runs_outside_the_states_lock(token: str) -> None:
    """Called from ``@rx.event(background=True)`` outside ``async with self``: the helper takes the lock only
    to write the messages (writing without it would raise), never while the use case runs."""
    manager = StateManagerMemory()

    async def nothing(*args: object, **kwargs: object) -> None:
        return None

    seen: list[tuple[bool, int]] = []

    def watch(db: Session, me: Principal | None, then: Exception | None = None) -> str:
        seen.append((proxy._is_mutable(), threading.get_ident()))
        return _write(db, me, then)

    with EventContext(token="tab", state_manager=manager, enqueue_impl=nothing, emit_delta_impl=nothing):
        root = await manager.get_state(BaseStateToken(ident="tab", cls=rx.State))
        proxy = StateProxy(await root.get_state(UseCaseProbe))
        done: Done[str] = await run(proxy, watch, touch=False)
        assert done.value == "value"
        failed = await run(proxy, lambda db, me: watch(db, me, FieldError("x", "common.required")), fields="errors")
        assert failed.errors == {"x": "Dit veld is verplicht."}
        await run(proxy, watch, thread=True)
        async with proxy:
            assert proxy.errors == {"x": "Dit veld is verplicht."}
    assert [mutable for mutable, _ in seen] == [False, False, False]
    assert seen[0][1] == threading.get_ident() != seen[2][1]  # thread=True: a worker thread


# -- the subtle cases through a real page state ------------------------------------------------------------------
@pytest.fixture
def hr(db: Session, demo_data: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    value = session_token_of(db, "employer.hr")
    monkeypatch.setattr(auth, "session_token", lambda state: value)
    yield value


async def _company() -> CompanyState:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(CompanyState)
    await state.load()
    assert state.loaded and state.can_edit
    return state


async def test_a_forged_company_field_commits_the_services_audit_entry_and_no_second_one(hr: str) -> None:
    state = await _company()
    form = {**state.firm, "name": "Overgenomen B.V."}  # a field the page does not offer
    event = await state.save_firm(form)
    assert _path_of(event) == "/no-access"
    (refused,) = _written("company.change_refused")  # committed although the use case raised
    assert json.loads(refused.detail)["fields"] == ["name"]
    assert _written("access.denied") == []  # audited by the service, not twice


async def test_bad_company_fields_show_every_message_and_change_nothing(hr: str) -> None:
    state = await _company()
    before = dict(state.firm)
    form = {name: state.firm[name] for name in COMPANY_LIMITS}
    event = await state.save_firm({**form, "contact_email": "geen-adres", "postal_city": ""})
    assert event is None and set(state.firm_errors) == {"contact_email", "postal_city"}
    await state.load()
    assert state.firm == before
