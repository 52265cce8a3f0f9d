"""Background work (PLT-3): one row per job run, whatever the job does, and the mails a job has sent.

A ``JobRun`` is written in the same transaction as the request that wants the work (an outbox row): once that
commits, the work is known to the database even if the queue loses its message or the worker dies. The
consumer's start-up and a periodic check queue again every run that is unfinished and no longer held by a
live worker (``portal.services.background``). Progress bars read ``done``/``total`` of the run.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.core import clock


class JobRun(SQLModel, table=True):
    """One piece of background work. ``kind`` is the task name (validate_batch, apply_batch, build_export,
    generate_statements, notify_documents); ``subject`` names what it works on (``batch:12``,
    ``statements:3:2026``) and ``args`` holds its arguments (JSON). ``status``: queued, running, done, failed.

    ``owner`` is the attempt that holds a running job (machine, process id and a random token); every write
    of the job's own bookkeeping is conditional on it, so an attempt that was presumed dead and taken over
    cannot record anything any more. ``checkpoint`` (JSON) is what a resumed attempt needs, written in the
    same transaction as the work it describes. ``heartbeat_at`` is refreshed while the job runs."""

    __tablename__ = "job_run"
    __table_args__ = (
        Index("ix_job_run_subject", "kind", "subject"),
        Index("ix_job_run_status", "status"),
        Index("ix_job_run_employer", "employer_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    status: str = Field(default="queued", max_length=12)
    subject: str = Field(default="", max_length=64)
    args: str = "{}"
    employer_id: int | None = Field(default=None, foreign_key="employer.id")  # whose progress this is (scope)
    started_by: int | None = None  # the user id (as in the audit trail, no foreign key); None: the system
    done: int = 0
    total: int = 0
    attempts: int = 0
    owner: str = Field(default="", max_length=160)
    checkpoint: str = "{}"
    error: str = ""
    created_at: datetime = Field(default_factory=clock.now)
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None


class SentMail(SQLModel, table=True):
    """A mail of a job to one user (DOC-4 notifications, INT-3 task digest): written before the message is
    handed to the mail server (``sending``) and marked ``sent`` right after it accepted it; the unique (job,
    user, address) key makes a retried or duplicated job skip a user (or one of their addresses: a statement
    mail goes to each address of the person, EE-3; ``address`` is "" for a mail to the account's own) it
    already mailed. ``once_key`` names a mail that
    goes once per user whatever run sends it (``task_digest:2026-11-01``: one digest per adviser per day, also
    when two runs for that day exist or run at once); it is unique per user (NULL for the document mails, and
    NULLs never collide). ``document_ids``: what the mail listed (document or task ids). ``status``: sending,
    sent, failed (the server refused it), unconfirmed (an attempt died between handing it over and recording
    the answer: it may have gone out, and is never sent again)."""

    __tablename__ = "sent_mail"
    __table_args__ = (
        UniqueConstraint("job_id", "user_id", "address", name="uq_sent_mail_job_user"),
        Index("uq_sent_mail_once_user", "once_key", "user_id", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job_run.id")
    user_id: int = Field(foreign_key="user_account.id")
    once_key: str | None = Field(default=None, max_length=64)
    # "" for a mail to the account's address; a statement mail (EE-3) goes to each of the person's addresses,
    # one row per address (lower-case), so (job, user, address) is the unit that is sent once
    address: str = Field(default="", max_length=254)
    document_ids: str = "[]"
    message_id: str = Field(default="", max_length=200)
    status: str = Field(default="sending", max_length=12)
    created_at: datetime = Field(default_factory=clock.now)
    sent_at: datetime | None = None
