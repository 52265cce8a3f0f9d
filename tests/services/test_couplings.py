"""Coupling settings and the outbox writing (INT-4, INT-5) on the demo office: only an adviser of the office sets a
coupling, and only for a scope of that office; switching on waits for the readiness check; a processed change of a
coupled scheme writes exactly one outbox message in its own transaction (or, when the coupling does not carry it, a
task), an uncoupled one none; a collective apply writes one message per participant change."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, col, select

from portal.core.config import get_settings
from portal.domain import coupling as rules
from portal.models import (
    AuditEvent,
    CompanyGroup,
    CouplingSetting,
    Mutation,
    OutboxMessage,
    Participation,
    Scheme,
    Task,
)
from portal.models import Contract as ContractRow
from portal.services import collective, couplings
from portal.services import mutations as mut
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, acting_for
from tests.services.coupling_fixtures import fill_gaps, insurer_address, uncouple  # noqa: F401
from tests.services.task_world import TODAY, World, world_fixture  # noqa: F401


def _insurer(db: Session, world: World) -> int:
    return db.exec(
        select(ContractRow.insurer_id)
        .join(Scheme, col(Scheme.contract_id) == ContractRow.id)
        .where(Scheme.id == world.part.scheme_id)
    ).one()


def _ready(db: Session, employer_id: int) -> None:
    """Complete what the insurer needs for every participant and scheme of ``employer_id``."""
    fill_gaps(db.connection(), employer_id)
    db.commit()


def _messages(db: Session) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def _scheme_scope(world: World) -> str:
    return f"scheme:{world.part.scheme_id}"


@pytest.fixture(autouse=True)
def _addressed(insurer_address: str) -> str:  # noqa: F811
    return insurer_address


@pytest.fixture(autouse=True)
def _uncoupled(db: Session, world: World) -> None:
    """These rules are shown from a portfolio without couplings (the demo couples the small employer)."""
    uncouple(db.connection())
    db.commit()


# -------------------------------------------------------------------------------------------- settings
def test_only_an_adviser_of_the_office_sets_a_coupling_of_its_own_scopes(db: Session, world: World) -> None:
    insurer = _insurer(db, world)
    with pytest.raises(NoAccess):
        couplings.set_coupling(db, world.hr, insurer, "portfolio", False)  # an employer user
    with pytest.raises(NoAccess) as foreign:
        couplings.set_coupling(db, world.other, insurer, _scheme_scope(world), False)  # another office's adviser
    assert foreign.value.reason == "other_office"
    group = db.exec(select(CompanyGroup).where(CompanyGroup.office_id == world.office_id)).first()
    assert group is not None
    with pytest.raises(NoAccess):
        couplings.set_coupling(db, world.other, insurer, f"group:{group.id}", False)
    with pytest.raises(NoAccess):
        couplings.check_readiness(db, world.other, insurer, _scheme_scope(world))
    with pytest.raises(FieldError):
        couplings.set_coupling(db, world.adviser, insurer, "employer:1", False)
    assert db.exec(select(func.count()).select_from(CouplingSetting)).one() == 0


def test_switching_on_waits_for_the_readiness_check_off_is_always_allowed(db: Session, world: World) -> None:
    insurer = _insurer(db, world)
    scope = _scheme_scope(world)
    check = couplings.check_readiness(db, world.adviser, insurer, scope)
    [item] = check.schemes
    assert not check.ready and "auto_enrol" in item.missing
    scheme_page = f"/intermediary/employers/{world.employer_id}/scheme?scheme={item.scheme_id}"
    assert item.link == item.link_of("auto_enrol") == scheme_page  # the editor of auto-enrolment
    with pytest.raises(FieldError) as refused:
        couplings.set_coupling(db, world.adviser, insurer, scope, True)
    assert refused.value.key == "coupling_not_ready" and refused.value.params["employers"] >= 1
    db.rollback()
    off = couplings.set_coupling(db, world.adviser, insurer, scope, False)
    assert off.enabled is False
    db.commit()
    _ready(db, world.employer_id)
    person = db.exec(select(Participation.person_id).where(Participation.id == world.part.id)).one()
    db.connection().execute(text("UPDATE person SET nationality = '' WHERE id = :p"), {"p": person})
    check = couplings.check_readiness(db, world.adviser, insurer, scope)
    [item] = check.schemes
    assert item.missing == [] and item.participants_missing == 1
    [gap] = item.participants
    assert gap.missing == ("nationality",)
    assert gap.link == f"/intermediary/employers/{world.employer_id}/participants/{world.part.participant_number}"
    db.connection().execute(text("UPDATE person SET nationality = 'DE' WHERE id = :p"), {"p": person})
    on = couplings.set_coupling(db, world.adviser, insurer, scope, True)
    db.commit()
    assert on.enabled and couplings.coupled_insurer(db, world.part.scheme_id) == insurer
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "coupling.set").order_by(col(AuditEvent.id))).all()
    assert [json.loads(e.detail)["enabled"] for e in events] == [False, True]
    assert all(e.actor_user_id == world.adviser.user_id for e in events)


def test_an_insurer_without_an_address_is_not_ready_and_is_not_switched_on(
    db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    insurer = _insurer(db, world)
    scope = _scheme_scope(world)
    _ready(db, world.employer_id)
    monkeypatch.setenv("PORTAL_INSURER_URLS", "someone-else=http://127.0.0.1:9")  # not this insurer, no default
    get_settings.cache_clear()
    check = couplings.check_readiness(db, world.adviser, insurer, scope)
    assert check.insurer_missing == ["insurer_address"] and not check.ready
    assert check.insurer_name and all(s.ready for s in check.schemes)  # only the address is missing
    with pytest.raises(FieldError) as refused:
        couplings.set_coupling(db, world.adviser, insurer, scope, True)
    assert refused.value.key == "coupling_no_address" and refused.value.params["insurer"] == check.insurer_name
    db.rollback()
    assert couplings.coupled_insurer(db, world.part.scheme_id) is None
    assert not db.exec(select(CouplingSetting)).all()

    monkeypatch.setenv("PORTAL_INSURER_URLS", "http://127.0.0.1:9")  # a default address: every insurer has one
    get_settings.cache_clear()
    assert couplings.check_readiness(db, world.adviser, insurer, scope).ready
    assert couplings.set_coupling(db, world.adviser, insurer, scope, True).enabled


def test_the_most_specific_setting_wins_in_the_lookup(db: Session, world: World) -> None:
    insurer = _insurer(db, world)
    _ready(db, world.employer_id)
    couplings.set_coupling(db, world.adviser, insurer, _scheme_scope(world), False)
    assert couplings.coupled_insurer(db, world.part.scheme_id) is None
    db.add(CouplingSetting(office_id=world.office_id, insurer_id=insurer, scope="portfolio", enabled=True))
    db.flush()
    assert couplings.coupled_insurer(db, world.part.scheme_id) is None  # its own "off" wins
    other = db.exec(
        select(Scheme.id).where(Scheme.employer_id == world.small_id, Scheme.kind == "OP")
    ).first()  # the small employer, a.s.r. too, without a setting of its own
    assert couplings.coupled_insurer(db, other) == insurer
    [row] = [r for r in couplings.overview(db, world.adviser) if r.insurer_id == insurer]
    mine = next(s for s in row.schemes if s.scope == _scheme_scope(world))
    assert (mine.own, mine.enabled, mine.source) == (False, False, "scheme")
    theirs = next(s for s in row.schemes if s.scope == f"scheme:{other}")
    assert (theirs.own, theirs.enabled, theirs.source) == (None, True, "portfolio")


# ---------------------------------------------------------------------------------------------- outbox
def _couple(db: Session, world: World) -> int:
    insurer = _insurer(db, world)
    _ready(db, world.employer_id)
    couplings.set_coupling(db, world.adviser, insurer, _scheme_scope(world), True)
    db.commit()
    return insurer


def test_a_processed_salary_change_writes_one_message_in_its_transaction(db: Session, world: World) -> None:
    insurer = _couple(db, world)
    version = world.part.version
    args = {"parttime": None, "expected_version": version, "today": TODAY}
    mut.submit_salary_parttime(db, world.hr, world.part.id, "2026-11-01", "53000", **args)
    db.rollback()  # a change rolled back leaves no message
    assert _messages(db) == []
    m = mut.submit_salary_parttime(db, world.hr, world.part.id, "2026-11-01", "53000", **args)
    assert m.status == "processed"
    db.commit()
    [message] = _messages(db)
    assert (message.insurer_id, message.participation_id, message.mutation_id, message.kind, message.status) == (
        insurer, world.part.id, m.id, "salary", "waiting")  # fmt: skip
    assert message.idempotency_key == f"mutation:{m.id}"
    body = json.loads(message.payload)
    assert body["values"] == {"salary": "53000.00"} and body["effective_date"] == "2026-11-01"
    policy = db.exec(select(Participation.policy_number).where(Participation.id == world.part.id)).one()
    assert policy and body["policy_number"] == policy


def test_an_uncoupled_scheme_writes_no_message(db: Session, world: World) -> None:
    args = {"parttime": None, "expected_version": world.part.version, "today": TODAY}
    mut.submit_salary_parttime(db, world.hr, world.part.id, "2026-11-01", "53000", **args)
    db.commit()
    assert _messages(db) == []


def test_a_child_of_a_coupled_scheme_makes_a_task_and_no_message(db: Session, world: World) -> None:
    """Partner and child changes go through the insurer's portal (the a.s.r. coupling does not carry them)."""
    _couple(db, world)
    db.refresh(world.part)
    m = mut.submit_relation(
        db, world.hr, world.part.id, kind="child", bsn="111222333", last_name="Jansen", birth_date="2026-10-02",
        expected_version=world.part.version, today=TODAY,
    )  # fmt: skip
    db.commit()
    assert m.status == "processed"
    assert _messages(db) == []
    [task] = db.exec(select(Task).where(Task.kind == "coupling_manual")).all()
    assert task.source_key == f"mutation:{m.id}:coupling" and task.office_id == world.office_id


def test_a_collective_raise_writes_one_message_per_participant_change(db: Session, world: World) -> None:
    _couple(db, world)
    odd = 'R"7\\x'  # a quote and a backslash: the payload built in SQL escapes them as JSON does
    db.connection().execute(
        text("UPDATE participation SET policy_number = :p WHERE id = :i"), {"p": odd, "i": world.part.id}
    )
    db.commit()
    batch = collective.submit_raise(db, world.hr, world.part.scheme_id, "2026-12-01", "2,5", today=TODAY)
    db.commit()
    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    changes = db.exec(select(Mutation).where(Mutation.batch_id == batch.id)).all()
    messages = db.exec(select(OutboxMessage).where(OutboxMessage.batch_id == batch.id)).all()
    assert len(changes) > 300 and len(messages) == len(changes)
    assert {m.kind for m in messages} == {"salary"} and {m.status for m in messages} == {"waiting"}
    assert sorted(m.idempotency_key for m in messages) == sorted(f"mutation:{c.id}" for c in changes)
    assert len({m.participation_id for m in messages}) == len(changes)
    [mine] = [m for m in messages if m.participation_id == world.part.id]
    change = next(c for c in changes if c.id == mine.mutation_id)
    scheme = db.get(Scheme, world.part.scheme_id)
    contract = db.get(ContractRow, scheme.contract_id)  # type: ignore[union-attr]
    refs = {
        "participant_number": world.part.participant_number,
        "policy_number": odd,
        "contract_number": contract.number,  # type: ignore[union-attr]
        "scheme_number": scheme.number,  # type: ignore[union-attr]
    }
    expected = rules.payload(
        "salary", date(2026, 12, 1), json.loads(change.new_values), json.loads(change.old_values), refs
    )
    assert json.loads(mine.payload) == json.loads(expected)
    assert json.loads(mine.payload)["values"] == {"salary": "53548.34"}  # 52,242.28 × 1.025


def test_an_advisers_change_for_an_employer_of_a_coupled_portfolio_writes_its_message(
    db: Session, world: World
) -> None:
    """Coupled for the whole portfolio: the small employer's change, made by the adviser acting for it (INT-2)."""
    insurer = _insurer(db, world)
    for employer_id in (world.employer_id, world.small_id):
        _ready(db, employer_id)
    couplings.set_coupling(db, world.adviser, insurer, "portfolio", True)
    db.commit()
    scheme = db.exec(select(Scheme.id).where(Scheme.employer_id == world.small_id, Scheme.kind == "OP")).one()
    part = db.exec(
        select(Participation)
        .where(Participation.scheme_id == scheme, Participation.status == "active")
        .order_by(col(Participation.participant_number))
    ).first()
    assert part is not None
    acting = acting_for(world.adviser, world.small_id)
    old = mut.preview_salary_parttime(db, acting, part.id, "2026-11-01", "61000", "", today=TODAY).old_values
    salary = str(Decimal(old["salary"]) + 1000)  # a plain raise: no warning, so processed at once
    m = mut.submit_salary_parttime(db, acting, part.id, "2026-11-01", salary, "", part.version, today=TODAY)
    db.commit()
    assert m.status == "processed", m.review_reason
    assert couplings.coupled_insurer(db, scheme) == insurer
    [message] = _messages(db)
    assert (message.mutation_id, message.scheme_id, message.kind) == (m.id, scheme, "salary")
