"""The changes completed forms make (DOC-5) go to the insurer like any other change of a coupled scheme (INT-4,
INT-5), on SQLite and PostgreSQL: a deferred-compensation agreement becomes one outbox message (amount per month
as a decimal string, start date) in the transaction that completes the form, delivered to the test insurer, which
knows the amount afterwards; a decision to join becomes a "pass it on by hand" task for the adviser; an uncoupled
scheme gets neither."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from portal.core.config import get_settings
from portal.models import Contract, CouplingSetting, Employer, Form, Mutation, OutboxMessage, Scheme, Task
from portal.services import delivery, forms
from portal.services.forms import completion
from tests.insurer import TestInsurer
from tests.services.test_forms import World, _prepare, _shown, _signed_dc
from tests.services.test_forms import w as w  # the fixture

SIGN_DAY = "2026-11-10"


def _couple(w: World) -> int:
    """Switch the coupling of the demo employee's scheme on (as an adviser would after the readiness check)."""
    scheme = w.db.get(Scheme, w.part.scheme_id)
    contract = w.db.get(Contract, scheme.contract_id)
    employer = w.db.get(Employer, w.employer_id)
    w.db.add(
        CouplingSetting(
            office_id=employer.office_id,
            insurer_id=contract.insurer_id,
            scope=f"scheme:{scheme.id}",
            employer_id=employer.id,
            scheme_id=scheme.id,
            enabled=True,
        )
    )
    w.db.commit()
    return contract.insurer_id


def _messages(db: Session) -> list[OutboxMessage]:
    db.expire_all()
    return list(db.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all())


def _manual_tasks(db: Session) -> list[Task]:
    made = select(Task).where(Task.kind == "coupling_manual", col(Task.source_key).like("mutation:%"))  # not the demo's
    return list(db.exec(made).all())


def _completed_dc(w: World) -> Form:
    fid = _signed_dc(w)  # 250 a month from 2026-12-01, signed by the employee
    with w.later():
        return forms.countersign(w.db, w.hr, fid, w.code(w.hr))


def _signed_join(w: World, decision: str) -> Form:
    [fid] = _prepare(w, "join_decision", information_shown="Brochure OP 2027").form_ids
    forms.fill(w.db, w.employee, fid, {"decision": decision})
    with w.later():
        return forms.sign(w.db, w.employee, fid, w.code(), _shown(w, fid))


@pytest.fixture
def insurer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestInsurer]:
    """The test insurer process, every insurer's address pointed at it."""
    with TestInsurer(tmp_path / "insurer.db") as ins:
        monkeypatch.setenv("PORTAL_INSURER_URLS", ins.url)
        monkeypatch.setenv("PORTAL_INSURER_READ_TIMEOUT", "2")
        get_settings.cache_clear()
        try:
            yield ins
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()


# ---------------------------------------------------------------------------------------------- deferral
def test_a_completed_deferral_of_a_coupled_scheme_is_one_message_to_the_insurer(w: World) -> None:
    insurer_id = _couple(w)
    form = _completed_dc(w)
    m = w.db.get(Mutation, form.mutation_id)
    [message] = _messages(w.db)
    assert (message.kind, message.status, message.insurer_id) == ("deferred_compensation", "waiting", insurer_id)
    assert (message.mutation_id, message.participation_id, message.scheme_id) == (m.id, w.part.id, w.part.scheme_id)
    assert message.idempotency_key == f"mutation:{m.id}" and message.employer_id == w.employer_id
    body = json.loads(message.payload)
    assert body["kind"] == "deferred_compensation" and body["effective_date"] == SIGN_DAY  # the signing date
    assert body["values"] == {"deferral_amount": "250.00", "deferral_start": "2026-12-01"}
    assert body["participant_number"] == w.part.participant_number
    assert _manual_tasks(w.db) == []


def test_the_deferral_message_is_written_in_the_transaction_of_the_change(w: World) -> None:
    _couple(w)
    fid = _signed_dc(w)
    form = w.db.get(Form, fid)
    completion.take_effect(w.db, form)  # the change and its message, not committed ...
    w.db.rollback()  # ... rolled back together
    assert _messages(w.db) == [] and w.db.exec(select(Mutation).where(Mutation.channel == "form")).all() == []
    form = w.db.get(Form, fid)
    mutation = completion.take_effect(w.db, form)
    w.db.commit()
    assert [m.mutation_id for m in _messages(w.db)] == [mutation.id]


def test_an_uncoupled_scheme_sends_no_deferral_and_makes_no_task(w: World) -> None:
    form = _completed_dc(w)
    assert form.mutation_id is not None
    assert _messages(w.db) == [] and _manual_tasks(w.db) == []


def test_the_test_insurer_takes_the_deferral_and_knows_the_amount(w: World, insurer: TestInsurer) -> None:
    _couple(w)
    _completed_dc(w)
    with w.later(300):  # the message is due (made at the countersignature's moment)
        report = delivery.deliver()
    assert report.sent == 1
    [message] = _messages(w.db)
    assert message.status == "sent" and message.insurer_reference.startswith("TI-")
    adapter = delivery.adapter_for("ti")
    try:
        [record] = adapter.fetch_records(str(w.part.scheme_id))
    finally:
        adapter.close()
    assert (record["last_kind"], record["deferral_amount"], record["deferral_start"]) == (
        "deferred_compensation",
        "250.00",
        "2026-12-01",
    )
    # a kind it does not know is refused, nothing applied
    body = {"message_id": 1, "idempotency_key": "k-unknown", "kind": "join_decision", "participation": "x"}
    answer = insurer.post(body)
    assert answer.status_code == 422 and "join_decision" in answer.text
    assert "k-unknown" not in insurer.received()["hits"]


# ---------------------------------------------------------------------------------------------- join decision
@pytest.mark.parametrize("decision", ["yes", "no"])
def test_a_join_decision_of_a_coupled_scheme_is_a_task_for_the_adviser_and_no_message(w: World, decision: str) -> None:
    _couple(w)
    form = _signed_join(w, decision)
    m = w.db.get(Mutation, form.mutation_id)
    assert m.kind == "join_decision" and json.loads(m.new_values) == {"join_decision": decision}
    assert _messages(w.db) == []
    [task] = _manual_tasks(w.db)
    assert task.source_key == f"mutation:{m.id}:coupling" and task.participation_id == w.part.id
    assert json.loads(task.detail)["mutation_kind"] == "join_decision"


def test_a_join_decision_of_an_uncoupled_scheme_makes_no_task(w: World) -> None:
    form = _signed_join(w, "yes")
    assert form.mutation_id is not None
    assert _messages(w.db) == [] and _manual_tasks(w.db) == []
