"""Delivery of the insurer outbox (INT-5, API-2) against the real test insurer process (``tools/test_insurer.py``
on a loopback port): order per participation, idempotency across a lost answer and a dead worker, retries and the
dead letter, refusals, timeouts and duplicated answers, the insurer's records, and the adviser's retry and cancel
(audited; another office's message refused)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.config import get_settings
from portal.models import AuditEvent, Insurer, OutboxAttempt, OutboxMessage
from portal.services import delivery
from portal.services.delivery import job
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from tests.insurer import TestInsurer
from tests.services import delivery_world
from tests.services.delivery_world import World


@pytest.fixture
def insurer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestInsurer]:
    """The test insurer process, the portal pointed at it, short timeouts and backoff."""
    with TestInsurer(tmp_path / "insurer.db") as ins:
        for name, value in {
            "PORTAL_INSURER_URLS": f"ti={ins.url}",
            "PORTAL_INSURER_CONNECT_TIMEOUT": "1",
            "PORTAL_INSURER_READ_TIMEOUT": "0.5",
            "PORTAL_OUTBOX_BACKOFF_BASE": "0.01",
            "PORTAL_OUTBOX_BACKOFF_CAP": "0.02",
            "PORTAL_OUTBOX_MAX_ATTEMPTS": "3",
            "PORTAL_OUTBOX_BATCH": "20",
            "PORTAL_OUTBOX_CONCURRENCY": "4",
        }.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        try:
            yield ins
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()


@pytest.fixture
def w(db: Session) -> World:
    return delivery_world.build(db, n=6)


def drain(seconds: float = 20) -> None:
    """Run the job until nothing is due any more (retries included) or only failed messages are left."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report = delivery.deliver()
        if report.next_due_in is None:
            return
        time.sleep(min(report.next_due_in, 0.2))
    raise AssertionError("the outbox was not drained in time")


def rows(db: Session, ids: list[int]) -> dict[int, OutboxMessage]:
    db.expire_all()
    return {m.id or 0: m for m in db.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(ids))).all()}


def attempts_of(db: Session, message_id: int) -> list[OutboxAttempt]:
    return list(
        db.exec(select(OutboxAttempt).where(OutboxAttempt.message_id == message_id).order_by(col(OutboxAttempt.id)))
    )


def test_messages_reach_the_insurer_once_each_in_order_per_participation(
    db: Session, w: World, insurer: TestInsurer
) -> None:
    ids = delivery_world.messages(db, w, w.participations, per_participation=4)
    insurer.control(slow_share=0.3, slow_seconds=0.05, seed=7)  # answers out of order across participations
    drain()
    got = rows(db, ids)
    assert {m.status for m in got.values()} == {"sent"}
    seen = insurer.received()
    assert seen["applied"] == len(ids)
    assert set(seen["hits"].values()) == {1}
    for part in w.participations:
        mine = sorted(i for i, m in got.items() if m.participation_id == part)
        assert seen["order"][str(part)] == mine
    one = got[ids[0]]
    assert one.insurer_reference.startswith("TI-") and one.sent_at is not None and one.attempts == 1
    assert [a.outcome for a in attempts_of(db, ids[0])] == ["sent"]
    assert json.loads(attempts_of(db, ids[0])[0].answer)["reference"] == one.insurer_reference


def test_a_refused_message_is_a_dead_letter_at_once_and_holds_back_its_participations_later_messages(
    db: Session, w: World, insurer: TestInsurer
) -> None:
    blocked = w.participations[0]
    ids = delivery_world.messages(db, w, w.participations[:3], per_participation=2)
    insurer.control(refuse={"participations": [blocked], "message": "Polisnummer onbekend bij verzekeraar"})
    drain()
    got = rows(db, ids)
    first, later = sorted(i for i, m in got.items() if m.participation_id == blocked)
    assert got[first].status == "failed" and got[first].attempts == 1
    assert got[first].last_error == "Polisnummer onbekend bij verzekeraar"
    assert [(a.outcome, a.http_status) for a in attempts_of(db, first)] == [("refused", 422)]
    assert got[later].status == "waiting" and got[later].attempts == 0  # never tried: its elder failed
    assert {m.status for i, m in got.items() if m.participation_id != blocked} == {"sent"}
    assert str(blocked) not in insurer.received()["order"]

    # the adviser cancels the failed one: the later message of that participation goes
    delivery.cancel(db, w.adviser, first)
    db.commit()
    insurer.control(refuse={})
    drain()
    got = rows(db, ids)
    assert got[first].status == "cancelled" and got[later].status == "sent"
    assert insurer.received()["order"][str(blocked)] == [later]


def test_failing_insurer_gives_retries_with_backoff_then_a_dead_letter_after_the_last_attempt(
    db: Session, w: World, insurer: TestInsurer
) -> None:
    ids = delivery_world.messages(db, w, w.participations[:2])
    insurer.control(error_share=1.0)
    report = delivery.deliver(max_rounds=1)
    assert report.retrying == 2 and report.failed == 0
    got = rows(db, ids)
    assert {m.status for m in got.values()} == {"retrying"}
    for mid, m in got.items():  # full jitter: within [0, min(cap, base)] after the first attempt
        (tried,) = attempts_of(db, mid)
        assert 0 <= (m.next_attempt_at - tried.at).total_seconds() <= 0.01
    drain()
    got = rows(db, ids)
    for mid in ids:
        assert got[mid].status == "failed" and got[mid].attempts == 3  # PORTAL_OUTBOX_MAX_ATTEMPTS
        tries = attempts_of(db, mid)
        assert [(a.outcome, a.http_status) for a in tries] == [("error", 503)] * 3
        assert tries[-1].answer == got[mid].last_error == "test insurer: injected failure"


def test_an_answer_lost_to_a_timeout_is_sent_again_with_the_same_key_and_applied_once(
    db: Session, w: World, insurer: TestInsurer
) -> None:
    (mid,) = delivery_world.messages(db, w, w.participations[:1])
    insurer.control(timeout_share=1.0, timeout_seconds=1.0)
    delivery.deliver(max_rounds=1)
    assert rows(db, [mid])[mid].status == "retrying"
    assert [a.outcome for a in attempts_of(db, mid)] == ["timeout"]
    insurer.control(timeout_share=0)
    drain()
    m = rows(db, [mid])[mid]
    assert m.status == "sent"
    seen = insurer.received()
    assert seen["hits"][m.idempotency_key] == 2 and seen["applied"] == 1


def test_a_message_whose_worker_died_after_sending_is_sent_again_with_its_key_and_applied_once(
    db: Session, w: World, insurer: TestInsurer
) -> None:
    ids = delivery_world.messages(db, w, w.participations[:1], per_participation=2)
    # a worker claims and sends the first message, then dies before it records the answer
    envelopes, _lost, _numbers = job.claim([w.insurer_id], 10)
    assert [e.id for e in envelopes] == ids[:1]  # the second waits for the first (order per participation)
    adapter = delivery.adapter_for("ti")
    first_answer = adapter.send(envelopes[0])
    adapter.close()
    assert first_answer.outcome == "sent"
    assert delivery.deliver().rounds == 0  # still held by the dead worker's lease: nothing goes
    # its lease runs out
    db.connection().execute(
        update(OutboxMessage).where(col(OutboxMessage.id) == ids[0]).values(next_attempt_at=clock.now())
    )
    db.commit()
    report = delivery.deliver()
    assert report.lost == 1 and report.sent == 2
    got = rows(db, ids)
    assert got[ids[0]].status == got[ids[1]].status == "sent"
    assert got[ids[0]].insurer_reference == first_answer.reference  # the insurer's first answer, again
    assert got[ids[0]].attempts == 2
    assert [a.outcome for a in attempts_of(db, ids[0])] == ["lost", "sent"]
    seen = insurer.received()
    assert seen["applied"] == 2 and seen["hits"][got[ids[0]].idempotency_key] == 2
    assert seen["order"][str(w.participations[0])] == ids


def test_duplicated_answers_on_a_reused_connection_are_never_taken_for_another_messages_answer(
    db: Session, w: World, insurer: TestInsurer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_OUTBOX_MAX_ATTEMPTS", "20")
    get_settings.cache_clear()
    ids = delivery_world.messages(db, w, w.participations, per_participation=3)
    insurer.control(duplicate_share=0.5, seed=3)
    drain()
    got = rows(db, ids)
    assert {m.status for m in got.values()} == {"sent"}
    seen = insurer.received()
    assert seen["applied"] == len(ids)
    references = [m.insurer_reference for m in got.values()]
    assert len(set(references)) == len(ids)  # each message holds its own answer's reference
    mismatched = db.exec(select(OutboxAttempt).where(col(OutboxAttempt.answer).startswith("answer for another"))).all()
    assert mismatched  # the duplicates did reach the client, and were refused as answers
    for part in w.participations:
        assert seen["order"][str(part)] == sorted(i for i, m in got.items() if m.participation_id == part)


def test_the_insurer_restarting_in_the_middle_of_a_run_loses_nothing(
    db: Session, w: World, insurer: TestInsurer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_OUTBOX_MAX_ATTEMPTS", "100")  # the outage outlasts 3 quick attempts
    get_settings.cache_clear()
    ids = delivery_world.messages(db, w, w.participations, per_participation=5)
    insurer.control(exit_after=7)
    delivery.deliver(max_rounds=3)
    assert insurer.restart_if_gone()  # the test restarts it, on the same file
    insurer.control(outage_seconds=0.5)  # and it refuses connections for a while
    drain()
    got = rows(db, ids)
    assert {m.status for m in got.values()} == {"sent"}
    seen = insurer.received()
    assert seen["applied"] == len(ids)
    for part in w.participations:
        assert seen["order"][str(part)] == sorted(i for i, m in got.items() if m.participation_id == part)


def test_fetch_records_reads_the_insurers_participant_list(db: Session, w: World, insurer: TestInsurer) -> None:
    delivery_world.messages(db, w, w.participations[:2])
    drain()
    adapter = delivery.adapter_for("ti")
    try:
        records = adapter.fetch_records(str(w.scheme_id))
    finally:
        adapter.close()
    assert sorted(r["participation"] for r in records) == sorted(str(p) for p in w.participations[:2])
    assert all(r["salary"] == "50000.00" and r["last_kind"] == "salary" for r in records)


def test_an_adviser_retries_or_cancels_a_failed_message_of_the_portfolio_audited_and_nothing_else(
    db: Session, w: World, insurer: TestInsurer
) -> None:
    failed, other = delivery_world.messages(db, w, w.participations[:2])
    (foreign,) = delivery_world.messages(db, w, w.foreign_participations[:1], employer_id=w.foreign_employer_id)
    db.connection().execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_([failed, foreign]))
        .values(status="failed", attempts=3, last_error="Onbekende polis")
    )
    db.commit()

    view = delivery.overview(db, w.adviser)
    assert [(c.insurer, c.waiting, c.failed, c.sent) for c in view.insurers] == [("Test Insurer N.V.", 1, 1, 0)]
    assert [(f.id, f.last_error) for f in view.failed] == [(failed, "Onbekende polis")]  # not the foreign one

    with pytest.raises(NoAccess):
        delivery.retry(db, w.adviser, foreign)
    db.rollback()
    with pytest.raises(NoAccess):
        delivery.cancel(db, w.adviser, foreign)
    db.rollback()
    with pytest.raises(NoAccess):
        delivery.retry(db, w.adviser, "1 or 1=1")
    db.rollback()
    with pytest.raises(FieldError):
        delivery.retry(db, w.adviser, other)  # not failed
    db.rollback()
    assert rows(db, [foreign])[foreign].status == "failed"

    delivery.retry(db, w.adviser, failed)
    db.commit()
    m = rows(db, [failed])[failed]
    assert m.status == "waiting" and m.attempts == 0
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "outbox.retry")).one()
    assert (event.object_id, event.employer_id, event.actor_user_id) == (str(failed), w.employer_id, w.adviser.user_id)
    drain()
    assert rows(db, [failed])[failed].status == "sent"
    with pytest.raises(FieldError):
        delivery.cancel(db, w.adviser, failed)  # sent: nothing to cancel
    db.rollback()
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "outbox.cancel")).all()


def test_messages_for_an_insurer_without_an_address_wait_visibly_and_are_logged_once(
    db: Session, w: World, insurer: TestInsurer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PORTAL_INSURER_URLS names only ``ti``: another insurer's messages are not sent, not tried, and not silent."""
    monkeypatch.setattr(job, "_told", set())  # what this process has logged before (another backend's run)
    other = Insurer(code="nowhere", name="Zonder Adres N.V.")
    db.add(other)
    db.commit()
    ids = delivery_world.messages(db, w, w.participations[:2])
    unaddressed = delivery_world.messages(db, w, w.participations[2:5])
    db.connection().execute(
        update(OutboxMessage).where(col(OutboxMessage.id).in_(unaddressed)).values(insurer_id=other.id)
    )
    db.commit()
    with caplog.at_level("WARNING", logger="portal.delivery"):
        first = delivery.deliver()
        second = delivery.deliver()
    assert first.no_address == second.no_address == {"nowhere": 3}
    told = [r.getMessage() for r in caplog.records if "no address" in r.getMessage()]
    assert told == ["outbox: 3 message(s) for insurer 'nowhere' wait: no address configured (PORTAL_INSURER_URLS)"]
    got = rows(db, ids + unaddressed)
    assert {got[i].status for i in ids} == {"sent"}
    assert {(got[i].status, got[i].attempts) for i in unaddressed} == {("waiting", 0)}
    assert not db.exec(select(OutboxAttempt).where(col(OutboxAttempt.message_id).in_(unaddressed))).all()

    view = delivery.overview(db, w.adviser)
    by_name = {c.insurer: c for c in view.insurers}
    assert (by_name["Zonder Adres N.V."].configured, by_name["Zonder Adres N.V."].waiting) == (False, 3)
    assert (by_name["Test Insurer N.V."].configured, by_name["Test Insurer N.V."].sent) == (True, 2)
