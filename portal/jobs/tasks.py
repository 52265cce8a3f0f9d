"""The background tasks (PLT-3). They only call services; the services decide and record everything.

Huey takes a task off the queue before running it, so a worker killed in the middle loses it: every start of a
consumer and a periodic check queue again whatever the database says is unfinished (``recover``). The
services claim their work with a conditional update inside the transaction that does it, so a task queued
twice, or run by two workers at once, still changes the data once.
"""

from __future__ import annotations

import logging

from huey import crontab

from portal.jobs.queue import get_huey, register

log = logging.getLogger("portal.jobs")
huey = get_huey()
STALE_MINUTES = 5  # a started job without progress for this long is taken to be lost


@huey.task(retries=2, retry_delay=3)
def validate_batch(batch_id: int) -> None:
    """Read and check an uploaded collective file row by row (nothing is applied)."""
    from portal.services import collective

    collective.run_validation(batch_id)


@huey.task(retries=2, retry_delay=3)
def apply_batch(batch_id: int) -> None:
    """Apply a validated collective change, all or nothing."""
    from portal.services import collective

    collective.run_apply(batch_id)


@huey.task(retries=2, retry_delay=3)
def build_export(export_id: int) -> None:
    """Write a participant file as of a date."""
    from portal.services.exports import participant_file as exports

    exports.run_export(export_id)


@huey.task(retries=1, retry_delay=10)
def notify_documents(document_ids: list[int]) -> None:
    """Mail the users concerned about new documents (DOC-4), one mail per user."""
    from portal.services.documents import notifications

    notifications.notify_documents(document_ids)


@huey.task(retries=1, retry_delay=5)
def generate_statements(scheme_id: int, year: int, user_id: int | None = None) -> None:
    """Make the benefit statements of a scheme for a year (DOC-3); running it again replaces, never doubles."""
    from portal.services.documents import statement_runs

    statement_runs.run_statements(scheme_id, year, user_id)


@huey.periodic_task(crontab(minute="*"))
def recover_periodic() -> None:
    """Queue again what a lost worker left unfinished (started longer than STALE_MINUTES ago)."""
    recover(stale_minutes=STALE_MINUTES)


def recover(stale_minutes: int | None = None) -> int:
    """Queue every unfinished batch and export again (only those older than ``stale_minutes`` when given);
    returns how many were queued."""
    from portal.core.db import session_scope
    from portal.services import collective
    from portal.services.exports import participant_file as exports

    with session_scope() as db:
        validations, applies = collective.unfinished(db, stale_minutes)
        pending_exports = exports.unfinished(db, stale_minutes)
    for batch_id in validations:
        validate_batch(batch_id)
    for batch_id in applies:
        apply_batch(batch_id)
    for export_id in pending_exports:
        build_export(export_id)
    count = len(validations) + len(applies) + len(pending_exports)
    if count:
        log.info("queued %s unfinished job(s) again", count)
    return count


def recover_now() -> None:
    """At a consumer's start: queue again everything unfinished (a previous consumer may have been killed)."""
    try:
        recover()
    except Exception:  # pragma: no cover - a database that is not migrated yet must not stop the consumer
        log.exception("could not look for unfinished jobs")


for _task in (validate_batch, apply_batch, build_export, notify_documents, generate_statements):
    register(_task.func.__name__, _task)
