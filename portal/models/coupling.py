"""Couplings to insurers (INT-4, INT-5, API-2): where a coupling is switched on, and the outbox of changes it carries.

A ``CouplingSetting`` switches the coupling to one insurer on or off for one scope of an office's portfolio: the
whole portfolio (``scope="portfolio"``), a company group (``"group:<id>"``) or one employer's scheme
(``"scheme:<id>"``); the most specific setting wins. Every processed mutation of a coupled scheme that the coupling
carries is written as an ``OutboxMessage`` in the transaction of the mutation itself, and the delivery job sends the
messages in order per participation, recording each try as an ``OutboxAttempt``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.core import clock

OUTBOX_STATUSES = ("waiting", "sending", "sent", "retrying", "failed", "cancelled")


class CouplingSetting(SQLModel, table=True):
    """The coupling to ``insurer_id`` switched on (or explicitly off) for one scope of an office's portfolio."""

    __tablename__ = "coupling_setting"
    __table_args__ = (UniqueConstraint("office_id", "insurer_id", "scope"),)
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="intermediary_office.id", index=True)
    insurer_id: int = Field(foreign_key="insurer.id", index=True)
    scope: str = Field(max_length=32)  # "portfolio", "group:<id>" or "scheme:<id>"
    group_id: int | None = Field(default=None, foreign_key="company_group.id")
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    scheme_id: int | None = Field(default=None, foreign_key="scheme.id")
    enabled: bool = False
    set_by_name: str = ""
    set_at: datetime = Field(default_factory=clock.now)


class OutboxMessage(SQLModel, table=True):
    """One change for an insurer, written with the mutation (or batch line) it carries; ``payload`` is JSON text
    (Decimals and dates as ISO strings). ``status``: waiting, sending, sent, retrying, failed (dead letter after the
    last attempt, or refused by the insurer), cancelled (by an adviser)."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
        Index("ix_outbox_message_participation", "participation_id", "id"),
        Index("ix_outbox_message_insurer_status", "insurer_id", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    insurer_id: int = Field(foreign_key="insurer.id")
    employer_id: int = Field(foreign_key="employer.id", index=True)
    scheme_id: int = Field(foreign_key="scheme.id")
    participation_id: int = Field(foreign_key="participation.id")
    mutation_id: int | None = Field(default=None, foreign_key="mutation.id", index=True)
    batch_id: int | None = Field(default=None, foreign_key="batch.id", index=True)
    kind: str = Field(max_length=24)  # domain.coupling.CARRIED_KINDS: hire, exit, ..., deferred_compensation
    payload: str = "{}"
    idempotency_key: str = Field(max_length=64)
    status: str = Field(default="waiting", max_length=12)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=clock.now)
    created_at: datetime = Field(default_factory=clock.now)
    sent_at: datetime | None = None
    last_error: str = ""
    insurer_reference: str = Field(default="", max_length=64)


class OutboxAttempt(SQLModel, table=True):
    """One try to deliver a message and the insurer's answer (``outcome``: sent, error, timeout, refused)."""

    __tablename__ = "outbox_attempt"
    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_message.id", index=True)
    at: datetime = Field(default_factory=clock.now)
    outcome: str = Field(max_length=12)
    http_status: int | None = None
    answer: str = ""  # the insurer's answer (or the error), cut to 2,000 characters
    duration_ms: int = 0
