"""Background work (PLT-3) through one job-run model: every job is a ``JobRun`` row, written with the request
that wants it, claimed by one worker at a time, queued again when its worker is gone, read by the pages for
their progress bars. ``runs`` (queue, claim, report, finish), ``progress`` (reading, scope-checked),
``recovery`` (what to queue again), ``holders`` (who holds a run, and whether they are gone), ``mails`` (a
run's mails, one per user, at most once), ``faults`` (the kill tests' pause). Callers use
``background.<function>``."""

from __future__ import annotations

from portal.services.background.faults import pause
from portal.services.background.mails import Delivery, Letter, Mailing, MailsNotSent, deliver, raise_unreached
from portal.services.background.progress import JobProgress, done_and_total, job_progress, latest, view
from portal.services.background.recovery import due, recover
from portal.services.background.runs import LostClaim, Run, begin, claim, execute, finish, perform, queue

__all__ = [
    "Delivery",
    "JobProgress",
    "Letter",
    "LostClaim",
    "Mailing",
    "MailsNotSent",
    "Run",
    "begin",
    "claim",
    "deliver",
    "done_and_total",
    "due",
    "execute",
    "finish",
    "job_progress",
    "latest",
    "pause",
    "perform",
    "queue",
    "raise_unreached",
    "recover",
    "view",
]
