"""The delivery job (INT-5): sends the due outbox messages to their insurers, in order per participation.

One round: claim up to ``PORTAL_OUTBOX_BATCH`` due messages — waiting or retrying with ``next_attempt_at`` <= now, or
``sending`` whose lease ran out (its worker died) — that the order rule lets go (every older message of the
participation sent or cancelled: ``domain.delivery.sendable``, here as one query), so a round holds at most one message
per participation. Messages of an insurer without an address (``PORTAL_INSURER_URLS``) are not claimed: they wait,
counted in the report and logged once per process (``unaddressed``). The claim is one conditional UPDATE committed
before anything is sent: status ``sending``, one more attempt, and ``next_attempt_at`` moved to the end of a lease
(``PORTAL_OUTBOX_LEASE_SECONDS``). Then the round's messages go out concurrently (``PORTAL_OUTBOX_CONCURRENCY`` requests
in flight, one keep-alive connection pool per insurer), each with its idempotency key, and all answers are recorded in
one transaction: an ``OutboxAttempt`` per try, the message sent (with the insurer's reference), retrying after a backoff
with full jitter, or failed (refused by the insurer, or its last attempt).

A worker killed at any point loses nothing: a claimed message it did not record stays ``sending`` until its lease ends,
then it is claimed again (the lost try is recorded as outcome ``lost``) and sent with the same key; the insurer answers
a known key with its first answer and does not apply it twice. A later message of the same participation cannot go
before that, so the order holds."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, exists, func, insert, select, update
from sqlalchemy.orm import aliased
from sqlmodel import col

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain import delivery as rules
from portal.models import Insurer, OutboxAttempt, OutboxMessage
from portal.services.delivery.adapters import Adapter, Envelope, NoAddress, SendResult, adapter_for, base_url

log = logging.getLogger("portal.delivery")
_running = threading.Lock()  # one delivery loop per process (several processes are safe: claims are atomic)
_told: set[str] = set()  # insurer codes whose missing address this process has logged (once, until it is set)


@dataclass
class Report:
    """What one run of the job did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0
    rounds: int = 0
    next_due_in: float | None = None  # seconds until the next message falls due (None: nothing left)
    outcomes: dict[str, int] = field(default_factory=dict)
    no_address: dict[str, int] = field(default_factory=dict)  # insurer code → messages waiting for want of an address


def lease_seconds() -> float:
    """How long a claim holds its messages (``PORTAL_OUTBOX_LEASE_SECONDS``). A claim older than that is
    presumed lost and its messages are claimed again; should its worker still be alive, the message goes twice
    with the same key (applied once by the insurer) and only the newest claim's answer sets its status."""
    return get_settings().outbox_lease_seconds


def _due(now: datetime):
    return and_(col(OutboxMessage.status).in_(rules.DUE), col(OutboxMessage.next_attempt_at) <= now)


def _not_held_back():
    older = aliased(OutboxMessage)
    return ~exists().where(
        older.participation_id == OutboxMessage.participation_id,
        older.id < OutboxMessage.id,
        col(older.status).notin_(tuple(rules.DONE)),
    )


def _sendable_query(now: datetime, status: str, insurer_ids: list[int], limit: int):
    """The sendable messages of one status, oldest due first: one range of the (status, next_attempt_at)
    index, no sort (a query over all three statuses at once would sort every due row on each round)."""
    return (
        select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.next_attempt_at)
        .where(
            OutboxMessage.status == status,
            col(OutboxMessage.next_attempt_at) <= now,
            col(OutboxMessage.insurer_id).in_(insurer_ids),
            _not_held_back(),
        )
        .order_by(OutboxMessage.next_attempt_at)
        .limit(limit)
    )


def _reachable() -> dict[int, str]:
    """The insurers (id → code) that have a base URL."""
    with session_scope() as db:
        rows = db.execute(select(Insurer.id, Insurer.code)).all()
    return {i: c for i, c in rows if base_url(c)}


def unaddressed(reachable: Iterable[int]) -> dict[str, int]:
    """The insurers (code → count) with messages that wait because no address is configured for them. Each is
    logged once per process (again only after its address was set and is gone again), not on every run."""
    ids = list(reachable)
    with session_scope() as db:
        rows = db.execute(
            select(Insurer.code, func.count())
            .select_from(OutboxMessage)
            .join(Insurer, Insurer.id == OutboxMessage.insurer_id)
            .where(col(OutboxMessage.status).in_(rules.DUE), col(OutboxMessage.insurer_id).notin_(ids))
            .group_by(Insurer.code)
        ).all()
    waiting = {code: int(n) for code, n in rows}
    for code in sorted(waiting.keys() - _told):
        log.warning(
            "outbox: %d message(s) for insurer %r wait: no address configured (PORTAL_INSURER_URLS)",
            waiting[code],
            code,
        )
    _told.intersection_update(waiting)  # an insurer that got its address is told about again should it lose it
    _told.update(waiting)
    return waiting


def claim(insurer_ids: Iterable[int], limit: int) -> tuple[list[Envelope], list[int], dict[int, int]]:
    """Claim up to ``limit`` sendable messages (committed); returns their envelopes, the ids whose previous
    claim was lost, and each id's attempt number."""
    now = clock.now()
    with session_scope() as db:
        ids = list(insurer_ids)
        found = [row for status in rules.DUE for row in db.execute(_sendable_query(now, status, ids, limit)).all()]
        if not found:
            return [], [], {}
        found.sort(key=lambda row: (row[2], row[0]))
        was = {mid: status for mid, status, _at in found[:limit]}
        claimed = db.execute(
            update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(list(was)), _due(now))
            .values(
                status=rules.SENDING,
                attempts=OutboxMessage.attempts + 1,
                next_attempt_at=now + timedelta(seconds=lease_seconds()),
            )
            .returning(
                OutboxMessage.id,
                OutboxMessage.idempotency_key,
                OutboxMessage.kind,
                OutboxMessage.insurer_id,
                OutboxMessage.employer_id,
                OutboxMessage.scheme_id,
                OutboxMessage.participation_id,
                OutboxMessage.payload,
                OutboxMessage.attempts,
            )
        ).all()
        lost = [row[0] for row in claimed if was.get(row[0]) == rules.SENDING]
        if lost:  # the try of a worker that died before recording its answer
            db.connection().execute(
                insert(OutboxAttempt.__table__),  # type: ignore[arg-type]
                [
                    {"message_id": i, "at": now, "outcome": rules.LOST, "answer": "no answer recorded (worker stopped)"}
                    for i in lost
                ],
            )
    codes = _codes()
    envelopes = [
        Envelope(mid, key, kind, codes.get(ins, ""), emp, sch, part, payload)
        for mid, key, kind, ins, emp, sch, part, payload, _n in claimed
    ]
    return envelopes, lost, {row[0]: row[-1] for row in claimed}


def _codes() -> dict[int, str]:
    with session_scope() as db:
        return dict(db.execute(select(Insurer.id, Insurer.code)).all())  # type: ignore[arg-type]


def record(results: list[tuple[Envelope, int, SendResult]], report: Report) -> None:
    """Record a round's answers in one transaction (an attempt each; the message's new status). A message whose
    claim was taken over meanwhile (another attempt number) keeps the newer claim's status."""
    s = get_settings()
    now = clock.now()
    attempts = []
    changes = []
    for env, attempt, result in results:
        attempts.append(
            {
                "message_id": env.id,
                "at": now,
                "outcome": result.outcome,
                "http_status": result.http_status,
                "answer": result.answer,
                "duration_ms": result.duration_ms,
            }
        )
        status = rules.outcome_status(result.outcome, attempt, s.outbox_max_attempts)
        wait = rules.backoff_seconds(attempt, s.outbox_backoff_base, s.outbox_backoff_cap)
        changes.append(
            {
                "mid": env.id,
                "n": attempt,
                "new_status": status,
                "new_next": now + timedelta(seconds=wait) if status == rules.RETRYING else now,
                "new_sent_at": now if status == rules.SENT else None,
                "new_error": "" if status == rules.SENT else (result.answer or result.outcome)[:2000],
                "new_reference": result.reference[:64],
            }
        )
        report.outcomes[result.outcome] = report.outcomes.get(result.outcome, 0) + 1
        setattr(report, status, getattr(report, status) + 1)
    table = OutboxMessage.__table__
    stmt = (
        update(table)  # type: ignore[arg-type]
        .where(
            table.c.id == bindparam("mid"),
            table.c.status == rules.SENDING,
            table.c.attempts == bindparam("n"),
        )
        .values(
            status=bindparam("new_status"),
            next_attempt_at=bindparam("new_next"),
            sent_at=bindparam("new_sent_at"),
            last_error=bindparam("new_error"),
            insurer_reference=bindparam("new_reference"),
        )
    )
    with session_scope() as db:
        conn = db.connection()
        conn.execute(insert(OutboxAttempt.__table__), attempts)  # type: ignore[arg-type]
        conn.execute(stmt, changes)


def next_due_in(insurer_ids: Iterable[int] | None = None) -> float | None:
    """Seconds until the earliest message that the order rule lets go falls due (0 when one is due now; None
    when none: everything sent, cancelled, failed or held back by a failed one)."""
    ids = list(insurer_ids) if insurer_ids is not None else list(_reachable())
    with session_scope() as db:
        first = db.execute(
            select(func.min(OutboxMessage.next_attempt_at)).where(
                col(OutboxMessage.status).in_(rules.DUE), col(OutboxMessage.insurer_id).in_(ids), _not_held_back()
            )
        ).scalar()
    if first is None:
        return None
    return max(0.0, (first - clock.now()).total_seconds())


def deliver(max_rounds: int | None = None) -> Report:
    """Send every message that is due now (round after round, until none is left or ``max_rounds``); returns
    what was done and when the next message falls due. Returns at once when this process runs it already."""
    report = Report()
    if not _running.acquire(blocking=False):
        return report
    adapters: dict[str, Adapter] = {}
    s = get_settings()
    try:
        reachable = _reachable()
        report.no_address = unaddressed(reachable)
        if not reachable:
            report.next_due_in = None
            return report
        with ThreadPoolExecutor(max_workers=s.outbox_concurrency, thread_name_prefix="outbox") as pool:

            def send(env: Envelope) -> SendResult:
                adapter = adapters.get(env.insurer_code)
                if adapter is None:
                    return SendResult(rules.ERROR, None, "", "no address configured for this insurer")
                return adapter.send(env)

            # The next round is claimed while the last one is on its way (its messages hold back the later
            # ones of their participations), and the last one's answers are recorded after that claim.
            pending: tuple[list[Envelope], dict[int, int], list[Future[SendResult]]] | None = None
            while True:
                envelopes: list[Envelope] = []
                if max_rounds is None or report.rounds < max_rounds:
                    envelopes, lost, numbers = claim(reachable, s.outbox_batch)
                    report.lost += len(lost)
                if pending is not None:
                    sent_envs, sent_numbers, futures = pending
                    pending = None
                    record(
                        [(e, sent_numbers[e.id], f.result()) for e, f in zip(sent_envs, futures, strict=True)], report
                    )
                    if not envelopes and (max_rounds is None or report.rounds < max_rounds):
                        continue  # the answers may have freed the next messages of their participations
                if not envelopes:
                    break
                report.rounds += 1
                for code in {e.insurer_code for e in envelopes} - adapters.keys():
                    with contextlib.suppress(NoAddress):
                        adapters[code] = adapter_for(code, s.outbox_concurrency)
                pending = (envelopes, numbers, [pool.submit(send, e) for e in envelopes])
        report.next_due_in = next_due_in(reachable)
        return report
    finally:
        for adapter in adapters.values():
            adapter.close()
        _running.release()
