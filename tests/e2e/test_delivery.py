"""End-to-end (INT-5): a message the insurer refused shows on /intermediary/couplings/delivery with the insurer's
answer; the adviser sends it again, and the app's own delivery job brings it to the test insurer process."""

from __future__ import annotations

import re
import time
import uuid
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.domain import coupling
from portal.models import Contract, Employer, Insurer, OutboxMessage, Participation, Scheme
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login
from tests.insurer import TestInsurer

pytestmark = pytest.mark.e2e
PAGE = "/intermediary/couplings/delivery"
ANSWER = "Polisnummer onbekend bij de verzekeraar"


def _failed_message() -> tuple[int, str, str, str]:
    """A failed outbox message of a participant of the demo employer (in the demo adviser's portfolio)."""
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        part = db.exec(
            select(Participation).where(Participation.employer_id == employer.id).order_by(Participation.id)
        ).first()
        assert part is not None
        scheme = db.get(Scheme, part.scheme_id)
        contract = db.get(Contract, scheme.contract_id)  # type: ignore[union-attr]
        key = uuid.uuid4().hex
        message = OutboxMessage(
            insurer_id=contract.insurer_id,  # type: ignore[union-attr]
            employer_id=employer.id or 0,
            scheme_id=part.scheme_id,
            participation_id=part.id or 0,
            kind="salary",
            payload=coupling.payload(  # as the portal writes it: the insurer knows the participant by its number
                "salary", date(2026, 1, 1), {"salary": "61000.00"}, {}, {"participant_number": part.participant_number}
            ),
            idempotency_key=key,
            status="failed",
            attempts=1,
            last_error=ANSWER,
        )
        db.add(message)
        db.flush()
        insurer = db.get(Insurer, contract.insurer_id)  # type: ignore[union-attr]
        return message.id or 0, part.participant_number, key, insurer.name  # type: ignore[union-attr]


def _status(message_id: int) -> str:
    with e2e_database() as db:
        return db.get(OutboxMessage, message_id).status  # type: ignore[union-attr]


def test_adviser_sees_a_failed_message_with_the_insurers_answer_and_sends_it_again(
    page: Page, test_insurer: TestInsurer
) -> None:
    message_id, number, key, insurer = _failed_message()
    login(page, "adviser", DEMO_SECRETS["adviser"], land=False)
    goto(page, PAGE)
    expect(page.get_by_role("heading", name="Verzending naar verzekeraars")).to_be_visible()
    card = page.get_by_role("group", name=re.compile(re.escape(number)))
    expect(card).to_contain_text(ANSWER)
    expect(card).to_contain_text("Salariswijziging")
    counts = page.get_by_role("group", name=insurer)
    expect(counts).to_contain_text(re.compile(r"Mislukt\s*1"))

    card.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.get_by_role("status")).to_contain_text("Het bericht wordt opnieuw verstuurd.")
    expect(page.get_by_text("Geen mislukte berichten.")).to_be_visible()

    deadline = time.monotonic() + 30  # the app's delivery job, queued after the retry's commit
    while _status(message_id) != "sent" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _status(message_id) == "sent"
    assert test_insurer.received()["hits"][key] == 1
    page.get_by_role("button", name="Vernieuwen").click()
    with e2e_database() as db:  # other tests of the session (couplings) may have sent messages to this insurer too
        sent = len(
            db.exec(
                select(OutboxMessage.id)
                .join(Insurer, Insurer.id == OutboxMessage.insurer_id)
                .where(Insurer.name == insurer, OutboxMessage.status == "sent")
            ).all()
        )
    assert sent >= 1
    expect(counts).to_contain_text(re.compile(rf"Verzonden\s*{sent}(?!\d)"))
    expect(counts).to_contain_text(re.compile(r"Mislukt\s*0"))
