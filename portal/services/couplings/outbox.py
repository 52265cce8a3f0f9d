"""Writing the outbox (INT-5, API-2): a processed mutation of a coupled scheme that the coupling carries becomes
one ``OutboxMessage`` in the transaction in which the mutation becomes processed (a rollback takes both); one the
coupling does not carry becomes a task for the office (``tasks.on_uncarried``). The idempotency key comes from the
mutation id, so one mutation never makes two messages. A collective batch writes its messages set-based: its salary
and part-time changes in one INSERT ... SELECT (the payload built in SQL), its other changes (new participants) by
one read and one executemany (COPY on PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import String, and_, bindparam, case, cast, func, insert, literal
from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.sql import bulk_insert
from portal.domain import coupling as rules
from portal.models import Contract, Insurer, Mutation, OutboxMessage, Participation, Scheme
from portal.services import delivery, tasks
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
    delivery.after_commit(db)  # the delivery job starts once this transaction has committed
    return message


def record_batch(db: Session, batch_id: int, scheme_id: int | None) -> int:
    """The outbox messages of a collective batch's processed mutations (one per participant change), set-based;
    returns how many. Nothing when the batch's scheme is not coupled."""
    insurer_id = coupled_insurer(db, scheme_id)
    if insurer_id is None:
        return 0
    conn = db.connection()
    written = _insert_salary_changes(conn, batch_id, scheme_id, insurer_id)
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
        .where(
            Mutation.batch_id == batch_id,
            Mutation.status == "processed",
            Mutation.scheme_id == scheme_id,
            Mutation.kind != "salary_parttime",  # written by ``_insert_salary_changes``
        )
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
    if written + len(rows):
        delivery.after_commit(db)  # the delivery job starts once this transaction has committed
    return written + len(rows)


def _quoted(column: Any) -> Any:
    """A text column as a JSON string (quotes and backslashes escaped; identifiers hold no control characters)."""
    inner = func.replace(column, "\\", "\\\\", type_=String)
    return literal('"') + func.replace(inner, '"', '\\"', type_=String) + literal('"')


def _insert_salary_changes(conn: Connection, batch_id: int, scheme_id: int | None, insurer_id: int) -> int:
    """The messages of a batch's salary and/or part-time changes in one INSERT ... SELECT: the payload is built in
    SQL as ``rules.payload`` builds it (the mutation's old and new values are JSON objects already; the kind from
    which of the two fields they hold, ``retro_after_exit`` once the participant has left)."""
    m, part = Mutation.__table__, Participation.__table__  # type: ignore[attr-defined]
    scheme, contract = Scheme.__table__, Contract.__table__  # type: ignore[attr-defined]
    salary, parttime = m.c.new_values.like('%"salary"%'), m.c.new_values.like('%"parttime"%')
    kind = case(
        (part.c.end_date.is_not(None), literal(rules.RETRO)),
        (and_(salary, parttime), literal(rules.SALARY_PARTTIME)),
        (salary, literal(rules.SALARY)),
        else_=literal(rules.PARTTIME),
    )
    payload = (
        literal('{"contract_number": ') + _quoted(contract.c.number)
        + literal(', "effective_date": "') + cast(m.c.effective_date, String) + literal('"')
        + literal(', "kind": "') + kind + literal('"')
        + literal(', "participant_number": ') + _quoted(part.c.participant_number)
        + literal(', "policy_number": ') + _quoted(part.c.policy_number)
        + literal(', "previous": ') + m.c.old_values
        + literal(', "scheme_number": ') + _quoted(scheme.c.number)
        + literal(', "values": ') + m.c.new_values + literal("}")
    )  # fmt: skip
    now = clock.now()
    at = bindparam("at", now, type_=OutboxMessage.__table__.c.created_at.type)  # type: ignore[attr-defined]
    source = (
        select(
            literal(insurer_id), m.c.employer_id, m.c.scheme_id, m.c.participation_id, m.c.id, m.c.batch_id, kind,
            payload, literal("mutation:") + cast(m.c.id, String), literal("waiting"), literal(0), at, at,
            literal(""), literal(""),
        )
        .select_from(
            m.join(part, part.c.id == m.c.participation_id)
            .join(scheme, scheme.c.id == m.c.scheme_id)
            .join(contract, contract.c.id == scheme.c.contract_id)
        )
        .where(
            m.c.batch_id == batch_id,
            m.c.status == "processed",
            m.c.scheme_id == scheme_id,
            m.c.kind == "salary_parttime",
            m.c.new_values.like('%"salary"%') | m.c.new_values.like('%"parttime"%'),
        )
        .order_by(m.c.id)
    )  # fmt: skip
    names = [
        "insurer_id", "employer_id", "scheme_id", "participation_id", "mutation_id", "batch_id", "kind", "payload",
        "idempotency_key", "status", "attempts", "next_attempt_at", "created_at", "last_error", "insurer_reference",
    ]  # fmt: skip
    done = conn.execute(insert(OutboxMessage.__table__).from_select(names, source))  # type: ignore[attr-defined]
    return int(done.rowcount or 0)
