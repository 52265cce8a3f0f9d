"""The delivery page's state (INT-5) with a real session: the failed messages with the insurer's answer, a retry
audited, and another office's message id from the browser refused and audited the common way."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import reflex as rx
from sqlalchemy import update
from sqlmodel import Session, col, select

import portal.state.auth as auth
from portal.models import AuditEvent, OutboxMessage
from portal.services import accounts
from portal.state.intermediary.delivery import DeliveryState
from tests.services import delivery_world
from tests.services.delivery_world import World


@pytest.fixture
def w(db: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    world = delivery_world.build(db, n=3, foreign=1)
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, world.adviser.user_id))
    assert redeemed is not None
    db.commit()
    monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
    yield world


async def _state() -> DeliveryState:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(DeliveryState)
    await state.load()
    return state


async def test_failed_messages_shown_with_the_insurers_answer_retried_and_a_foreign_id_refused_and_audited(
    db: Session, w: World
) -> None:
    mine, sent = delivery_world.messages(db, w, w.participations[:2])
    (theirs,) = delivery_world.messages(db, w, w.foreign_participations, employer_id=w.foreign_employer_id)
    db.connection().execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_([mine, theirs]))
        .values(status="failed", attempts=8, last_error="Polisnummer onbekend")
    )
    db.connection().execute(update(OutboxMessage).where(col(OutboxMessage.id) == sent).values(status="sent"))
    db.commit()

    state = await _state()
    assert state.insurers == [
        {
            "id": str(w.insurer_id),
            "insurer": "Test Insurer N.V.",
            "sent": "1",
            "waiting": "0",
            "retrying": "0",
            "failed": "1",
            "no_address": "1",  # no PORTAL_INSURER_URLS here: shown as "geen adres ingesteld"
        }
    ]
    assert [(r["id"], r["answer"], r["kind"], r["attempts"]) for r in state.failed] == [
        (str(mine), "Polisnummer onbekend", "Salariswijziging", "8")
    ]

    event = await state.retry(str(theirs))
    assert "/no-access" in str(event)
    [denied] = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
    assert denied.object_id == "/intermediary/couplings/delivery#retry"
    assert json.loads(denied.detail) == {"reason": "out_of_scope"}
    db.expire_all()
    assert db.get(OutboxMessage, theirs).status == "failed"  # type: ignore[union-attr]

    assert await state.retry(str(mine)) is None
    assert state.done == "Het bericht wordt opnieuw verstuurd." and state.failed == []
    db.expire_all()
    assert db.get(OutboxMessage, mine).status == "waiting"  # type: ignore[union-attr]
    [retried] = db.exec(select(AuditEvent).where(AuditEvent.action == "outbox.retry")).all()
    assert retried.object_id == str(mine) and retried.actor_user_id == w.adviser.user_id

    await state.cancel(str(mine))  # no longer failed: a message at its row, nothing changed
    assert state.errors == {str(mine): "Dit bericht is niet (meer) mislukt; vernieuw de pagina."}
    assert not db.exec(select(AuditEvent).where(AuditEvent.action == "outbox.cancel")).all()
