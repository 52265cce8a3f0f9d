"""Tasks and tickets of an intermediary office (INT-3, INT-6): to-dos with follow-up dates and a completion check."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portal.core import clock


class Task(SQLModel, table=True):
    """One task of an office about an employer (and a participant when there is one).

    ``kind``: see ``portal.domain.tasks.KINDS``. ``status``: open, in_progress, waiting, done, cancelled.
    ``title`` is what a person typed; a task made by an event has ``title_key`` (a message key) instead, and
    ``detail`` (JSON) holds what the event said (e.g. the plausibility warning, the missing fields).
    ``source_key`` names the event that made the task (``mutation:12:exit``), unique per office, so an event
    never makes two tasks. ``completed_by`` is set when a task that needs a check is handed in for it; a second
    adviser's ``checked_by`` makes it done. ``lock_version`` goes up with every change (optimistic locking).
    """

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_office_status_assignee_due", "office_id", "status", "assignee_id", "due_date"),
        Index("ix_task_office_employer", "office_id", "employer_id"),
        Index("ix_task_office_source", "office_id", "source_key", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="intermediary_office.id")
    kind: str = Field(max_length=24)
    title: str = Field(default="", max_length=200)
    title_key: str = Field(default="", max_length=64)
    detail: str = "{}"
    employer_id: int = Field(foreign_key="employer.id")
    participation_id: int | None = Field(default=None, foreign_key="participation.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    assignee_id: int | None = Field(default=None, foreign_key="user_account.id")
    due_date: date | None = None
    follow_up_date: date | None = None
    status: str = Field(default="open", max_length=12)
    needs_check: bool = False
    completed_by: int | None = Field(default=None, foreign_key="user_account.id")
    checked_by: int | None = Field(default=None, foreign_key="user_account.id")
    closed_at: datetime | None = None
    created_by: int | None = Field(default=None, foreign_key="user_account.id")  # None: made by an event
    source_key: str | None = Field(default=None, max_length=64)
    lock_version: int = 1
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)


class TaskComment(SQLModel, table=True):
    """A comment on a task, with its author and time (at most 5,000 characters)."""

    __tablename__ = "task_comment"
    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    author_id: int | None = Field(default=None, foreign_key="user_account.id")
    author_name: str = ""
    at: datetime = Field(default_factory=clock.now)
    text: str = ""
