"""The background tasks (PLT-3). Each takes the id of its job run (``portal.services.background``), claims it
and calls a service; the services decide and record everything.

Huey takes a task off the queue before running it, so a worker killed in the middle loses it: every start of a
consumer and a periodic check queue again whatever the job runs say is unfinished and no longer held
(``recover``). A run is claimed by one attempt at a time, and each job makes sure its work is done once however
often it is attempted (see the services' docstrings).
"""

from __future__ import annotations

import logging
from typing import Any

from huey import crontab

from portal.jobs.queue import get_huey, register

log = logging.getLogger("portal.jobs")
huey = get_huey()
STALE_MINUTES = 5  # the periodic check: a queued run untouched or a running one without heartbeat this long


def _left(task: Any) -> int:
    """How many more times huey will try this task after this attempt."""
    return int(getattr(task, "retries", 0) or 0)


@huey.task(retries=2, retry_delay=3, context=True)
def validate_batch(job_id: int, task: Any = None) -> None:
    """Read and check an uploaded collective file row by row (nothing is applied)."""
    from portal.services import background, collective

    background.execute(job_id, "validate_batch", collective.validation_job, _left(task))


@huey.task(retries=2, retry_delay=3, context=True)
def apply_batch(job_id: int, task: Any = None) -> None:
    """Apply a validated collective change, all or nothing."""
    from portal.services import background, collective

    background.execute(job_id, "apply_batch", collective.apply_job, _left(task))


@huey.task(retries=2, retry_delay=3, context=True)
def build_export(job_id: int, task: Any = None) -> None:
    """Write a participant file as of a date."""
    from portal.services import background
    from portal.services.exports import participant_file as exports

    background.execute(job_id, "build_export", exports.export_job, _left(task))


@huey.task(retries=1, retry_delay=10, context=True)
def notify_documents(job_id: int, task: Any = None) -> None:
    """Mail the users concerned about new documents (DOC-4), one mail per user, never twice."""
    from portal.services import background
    from portal.services.documents import notifications

    background.execute(job_id, "notify_documents", notifications.notification_job, _left(task))


@huey.task(retries=1, retry_delay=5, context=True)
def generate_statements(job_id: int, task: Any = None) -> None:
    """Make the benefit statements of a scheme for a year (DOC-3); an attempt after a lost one resumes it."""
    from portal.services import background
    from portal.services.documents import statement_runs

    background.execute(job_id, "generate_statements", statement_runs.statements_job, _left(task))


@huey.task(retries=2, retry_delay=60, context=True)
def task_digest(job_id: int, task: Any = None) -> None:
    """Mail each adviser the tasks due or to follow up that day (INT-3), one mail per adviser, never twice."""
    from portal.services import background, tasks

    background.execute(job_id, "task_digest", tasks.digest_job, _left(task))


@huey.task(retries=2, retry_delay=60, context=True)
def send_invitations(job_id: int, task: Any = None) -> None:
    """Mail the invitations to the employee front end (BULK-3), one mail per invitation, never twice."""
    from portal.services import background, invitations

    background.execute(job_id, "send_invitations", invitations.invitation_job, _left(task))


@huey.task(retries=2, retry_delay=3, context=True)
def reconcile(job_id: int, task: Any = None) -> None:
    """Compare an insurer's list (uploaded, or fetched through its adapter) with a scheme and keep the report."""
    from portal.services import background, reconciliation

    background.execute(job_id, "reconcile", reconciliation.reconcile_job, _left(task))


@huey.task(retries=1, retry_delay=5, context=True)
def prepare_forms(job_id: int, task: Any = None) -> None:
    """Prepare (and send) a form for many participants at once (DOC-5), all or nothing, once."""
    from portal.services import background, forms

    background.execute(job_id, "prepare_forms", forms.prepare_job, _left(task))


@huey.task(retries=2, retry_delay=60, context=True)
def notify_forms(job_id: int, task: Any = None) -> None:
    """Mail the employees that a form waits for their signature (DOC-5), one mail per address, never twice."""
    from portal.services import background, forms

    background.execute(job_id, "notify_forms", forms.mail_job, _left(task))


@huey.task(retries=2, retry_delay=30, context=True)
def exit_forms(job_id: int, task: Any = None) -> None:
    """Render and send the exit forms the exits recorded, then mail their employees (DOC-5), each form once."""
    from portal.services import background, forms

    background.execute(job_id, "exit_forms", forms.exit_job, _left(task))


@huey.task()
def deliver_outbox() -> None:
    """Send the due insurer outbox (INT-5), then queue itself for when the next retry falls due (within a
    minute; later ones are picked up by the periodic check). A process that runs it already returns at once."""
    from portal.services import delivery

    report = delivery.deliver()
    if report.rounds or report.lost:
        log.info("outbox delivery: %s", report)
    if report.next_due_in is not None and report.next_due_in <= 60:
        deliver_outbox.schedule(delay=max(0.2, report.next_due_in))


@huey.periodic_task(crontab(hour="6", minute="30"))
def task_digest_daily() -> None:
    """Every morning: the day's task mails (a day that has its run already gets no second one)."""
    from portal.services import tasks

    tasks.queue_today()


@huey.periodic_task(crontab(hour="3", minute="15"))
def purge_api_answers_daily() -> None:
    """Every night: remove the payroll API's stored idempotent answers older than PORTAL_API_IDEMPOTENCY_DAYS."""
    purge_api_answers()


def purge_api_answers() -> int:
    """Remove the expired stored API answers (``api_keys.purge_answers``) in a transaction of its own; how many."""
    from portal.core.db import session_scope
    from portal.services import api_keys

    with session_scope() as db:
        removed = api_keys.purge_answers(db)
    if removed:
        log.info("payroll API: %d stored answer(s) older than the retention removed", removed)
    return removed


@huey.periodic_task(crontab(hour="2", minute="45"))
def retention_daily() -> None:
    """Every night: ended contracts out of the overview in line with PORTAL_RETENTION_ENDED_MONTHS, audit events
    older than PORTAL_AUDIT_RETENTION_YEARS removed (each batch audited)."""
    retention()


def retention() -> object:
    """The retention run (``privacy.run_retention``: its own transactions); what it did."""
    from portal.services import privacy

    report = privacy.run_retention()
    if report.relisted or report.audit_removed:
        log.info("retention: %s", report)
    return report


@huey.periodic_task(crontab(minute="*/15"))
def expire_forms_periodic() -> None:
    """Every quarter of an hour: mark the forms past their expiry that still wait for the employee expired, and
    queue a run for exit forms left without one (``stranded_exit_forms``)."""
    expire_forms()
    stranded_exit_forms()


def stranded_exit_forms() -> int | None:
    """Queue an ``exit_forms`` run for the exit forms still without their PDF when no run is unfinished
    (``forms.queue_stranded``), in a transaction of its own; the run's id, or None."""
    from portal.core.db import session_scope
    from portal.services import forms

    with session_scope() as db:
        return forms.queue_stranded(db)


def expire_forms() -> int:
    """Expire the due forms (``forms.expire_due``, audited by the system) in a transaction of its own; how many."""
    from portal.core.db import session_scope
    from portal.services import forms

    with session_scope() as db:
        expired = forms.expire_due(db)
    if expired:
        log.info("signed forms: %d expired", expired)
    return expired


@huey.periodic_task(crontab(minute="*"))
def recover_periodic() -> None:
    """Queue again what a lost worker left unfinished (see ``background.recovery``), and the outbox delivery
    (what fell due; also what a killed worker was sending, once its lease ran out)."""
    recover(stale_minutes=STALE_MINUTES)
    deliver_outbox()


def recover(stale_minutes: int | None = None) -> int:
    """Queue again every job run that is unfinished and not held by a live worker (at a consumer's start:
    also every queued one); returns how many were queued."""
    from portal.services import background

    return background.recover(stale_minutes)


def recover_now() -> None:
    """At a consumer's start: queue again everything unfinished (a previous consumer may have been killed)."""
    try:
        recover()
        deliver_outbox()  # the outbox a stopped or killed worker left
    except Exception:  # pragma: no cover - a database that is not migrated yet must not stop the consumer
        log.exception("could not look for unfinished jobs")


for _task in (
    validate_batch,
    apply_batch,
    build_export,
    notify_documents,
    generate_statements,
    task_digest,
    send_invitations,
    reconcile,
    prepare_forms,
    notify_forms,
    exit_forms,
    deliver_outbox,
):
    register(_task.func.__name__, _task)
