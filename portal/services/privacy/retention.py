"""Retention (data protection): ended contracts leave the employer's overview, old audit events are removed.

(a) Ended contracts (terminated, retired) are hidden from the employer's participant overview
``PORTAL_RETENTION_ENDED_MONTHS`` (six, SPEC EE-1 and the Vivium seed) after their end date. That needs no job:
the overview's list rows carry the rule (``read_table``: the hiding day is one of a row's bounds, so
``refresh_due`` hides it on the day, before the overview is read), and the overview of another day applies it
in its query. ``relist`` only brings rows in line that were computed under another setting or before the rule
existed; the nightly job runs it so a changed setting counts from the next morning.

(b) Audit events older than ``PORTAL_AUDIT_RETENTION_YEARS`` (seven; no figure in SPEC or seeds) are removed
by the nightly job in batches of ``BATCH`` (each its own short transaction, so the table is never locked for
long); each batch's removal is itself an audit event in the same transaction (``audit.purged``: how many, the
cut-off, the setting).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, delete, or_, select
from sqlmodel import Session, col

from portal.core import clock
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.domain.retention import ENDED_STATUSES, audit_cutoff, last_hidden_end
from portal.models import AuditEvent, ParticipantListRow, Participation
from portal.services import audit
from portal.services.participants import read_table

log = logging.getLogger("portal.retention")

BATCH = 5_000  # audit events removed per transaction
RELIST_CHUNK = 2_000  # list rows recomputed per transaction
L = ParticipantListRow


@dataclass(frozen=True)
class RetentionReport:
    """What one retention run did: list rows brought in line, audit events removed, and the cut-off day."""

    relisted: int
    audit_removed: int
    audit_cutoff: date


def _out_of_line(today: date, months: int) -> list[int]:
    """The ended participations whose list row disagrees with the hiding rule on ``today``: listed though
    hidden, or not listed though shown (a longer setting). Rows of participations that have not started stay."""
    hidden = col(Participation.end_date) <= last_hidden_end(today, months)
    query = (
        select(L.participation_id)
        .join(Participation, col(Participation.id) == L.participation_id)
        .where(
            col(Participation.status).in_(sorted(ENDED_STATUSES)),
            col(Participation.end_date).is_not(None),
            or_(
                and_(col(L.listed_scheme_id).is_not(None), hidden),
                and_(col(L.listed_scheme_id).is_(None), ~hidden, Participation.start_date <= today),
            ),
        )
        .order_by(L.participation_id)
    )
    with session_scope() as db:
        return [int(i) for i in db.connection().execute(query).scalars()]


def relist(today: date | None = None) -> int:
    """Recompute the list rows that disagree with the hiding rule (``_out_of_line``), ``RELIST_CHUNK`` per
    transaction; how many. Nothing to do on an ordinary night (rows hide themselves on the day)."""
    day = today or clock.today()
    ids = _out_of_line(day, get_settings().retention_ended_months)
    for i in range(0, len(ids), RELIST_CHUNK):
        with session_scope() as db:
            read_table.refresh_list_row(db, ids[i : i + RELIST_CHUNK], day)
    return len(ids)


def purge_audit_batch(db: Session, cutoff: date, limit: int = BATCH, years: int | None = None) -> int:
    """Remove at most ``limit`` audit events recorded before ``cutoff`` (UTC midnight), oldest first, and record
    the removal (``audit.purged``: how many, the cut-off, the setting, the ids removed) in the same transaction of
    ``db``, so nothing is ever removed without its record; how many (the caller commits)."""
    moment = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    oldest = select(AuditEvent.id).where(col(AuditEvent.at) < moment).order_by(col(AuditEvent.id)).limit(limit)
    ids = [int(i) for i in db.connection().execute(oldest).scalars()]
    if not ids:
        return 0
    result = db.connection().execute(delete(AuditEvent).where(col(AuditEvent.id).in_(ids)))
    removed = int(result.rowcount or 0)
    audit.record(
        db,
        "audit.purged",
        object_type="audit_event",
        object_id="*",
        removed=removed,
        cutoff=cutoff.isoformat(),
        years=years if years is not None else get_settings().audit_retention_years,
        first_id=ids[0],
        last_id=ids[-1],
    )
    return removed


def purge_audit(today: date | None = None, limit: int = BATCH) -> tuple[int, date]:
    """Remove every audit event older than ``PORTAL_AUDIT_RETENTION_YEARS`` in batches of ``limit``, each in its
    own transaction with its own ``audit.purged`` record (by the system); (how many, the cut-off day)."""
    years = get_settings().audit_retention_years
    cutoff = audit_cutoff(today or clock.today(), years)
    removed = 0
    while True:
        with session_scope() as db:
            gone = purge_audit_batch(db, cutoff, limit, years)
        if not gone:
            break
        removed += gone
    if removed:
        log.info("retention: %d audit event(s) from before %s removed", removed, cutoff.isoformat())
    return removed, cutoff


def run_retention(today: date | None = None) -> RetentionReport:
    """The nightly retention job: list rows in line with the hiding rule, then the audit trail's purge."""
    day = today or clock.today()
    relisted = relist(day)
    removed, cutoff = purge_audit(day)
    if relisted:
        with session_scope() as db:
            audit.record(
                db, "participants.retention_relisted", object_type="participant_list", object_id="*", rows=relisted
            )
    return RetentionReport(relisted, removed, cutoff)
