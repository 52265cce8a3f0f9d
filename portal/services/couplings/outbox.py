"""Writing the outbox (INT-5, API-2): a processed mutation of a coupled scheme that the coupling carries becomes
one ``OutboxMessage`` in the transaction in which the mutation becomes processed (a rollback takes both); one the
coupling does not carry becomes a task for the office (``tasks.on_uncarried``). The idempotency key comes from the
mutation id, so one mutation never makes two messages. A collective batch writes its messages set-based: one read
of the batch's mutations, one executemany (COPY on PostgreSQL) of their messages."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.sql import bulk_insert
from portal.domain import coupling as rules
from portal.models import Contract, Insurer, Mutation, OutboxMessage, Participation, Scheme
from portal.services import tasks
from portal.services.couplings.settings import coupled_insurer


def _refs(participant_number: str, policy_number: str, contract_number: str, scheme_number: str) -> dict[str, str]:
    return {
        "participant_number": participant_number,
        "policy_number": policy_number,
        "contract_number": contract_number,
        "scheme_number": scheme_number,
    }


def record(db: Session, mutation: Mutation, today: date | None = None) -> OutboxMessage | None:
    """The outbox message (or the task) of a processed ``mutation``, written in the caller's transaction; None
    when its scheme is not coupled, or the coupling does not carry it."""
    if mutation.status != "processed" or mutation.id is None:
        return None
    insurer_id = coupled_insurer(db, mutation.scheme_id)
    if insurer_id is None:
        return None
    values: dict[str, Any] = json.loads(mutation.new_values or "{}")
    part = db.get(Participation, mutation.participation_id) if mutation.participation_id else None
    exited = part is not None and part.end_date is not None
    kind = rules.outbox_kind(mutation.kind, values, exited)
    if kind is None or part is None:
        if rules.becomes_task(mutation.kind):
            insurer = db.get(Insurer, insurer_id)
            tasks.on_uncarried(db, mutation, insurer.name if insurer else "", today)
        return None
    scheme = db.get(Scheme, mutation.scheme_id)
    contract = db.get(Contract, scheme.contract_id) if scheme else None
    refs = _refs(
        part.participant_number,
        part.policy_number,
        contract.number if contract else "",
        scheme.number if scheme else "",
    )
    previous = json.loads(mutation.old_values or "{}")
    message = OutboxMessage(
        insurer_id=insurer_id,
        employer_id=mutation.employer_id,
        scheme_id=mutation.scheme_id or 0,
        participation_id=part.id or 0,
        mutation_id=mutation.id,
        batch_id=mutation.batch_id,
        kind=kind,
        payload=rules.payload(kind, mutation.effective_date, values, previous, refs),
        idempotency_key=rules.idempotency_key(mutation.id),
    )
    db.add(message)
    db.flush()
    return message


def record_batch(db: Session, batch_id: int, scheme_id: int | None) -> int:
    """The outbox messages of a collective batch's processed mutations (one per participant change), set-based;
    returns how many. Nothing when the batch's scheme is not coupled."""
    insurer_id = coupled_insurer(db, scheme_id)
    if insurer_id is None:
        return 0
    conn = db.connection()
    query = (
        select(
            Mutation.id,
            Mutation.employer_id,
            Mutation.participation_id,
            Mutation.kind,
            Mutation.effective_date,
            Mutation.old_values,
            Mutation.new_values,
            Participation.participant_number,
            Participation.policy_number,
            Participation.end_date,
            Scheme.number,
            Contract.number,
        )
        .join(Participation, col(Participation.id) == Mutation.participation_id)
        .join(Scheme, col(Scheme.id) == Mutation.scheme_id)
        .join(Contract, col(Contract.id) == Scheme.contract_id)
        .where(Mutation.batch_id == batch_id, Mutation.status == "processed", Mutation.scheme_id == scheme_id)
        .order_by(col(Mutation.id))
    )
    now = clock.now()
    rows: list[dict[str, Any]] = []
    for mid, eid, pid, mkind, day, old, new, number, policy, end, scheme_no, contract_no in conn.execute(query):
        values = json.loads(new or "{}")
        kind = rules.outbox_kind(mkind, values, end is not None)
        if kind is None:
            continue  # the collective kinds a coupling does not carry (e-mail addresses) make no message
        rows.append(
            {
                "insurer_id": insurer_id,
                "employer_id": eid,
                "scheme_id": scheme_id,
                "participation_id": pid,
                "mutation_id": mid,
                "batch_id": batch_id,
                "kind": kind,
                "payload": rules.payload(
                    kind, day, values, json.loads(old or "{}"), _refs(number, policy, contract_no, scheme_no)
                ),
                "idempotency_key": rules.idempotency_key(mid),
                "status": "waiting",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
                "sent_at": None,
                "last_error": "",
                "insurer_reference": "",
            }
        )
    bulk_insert(conn, OutboxMessage.__table__, rows)  # type: ignore[attr-defined]
    return len(rows)
