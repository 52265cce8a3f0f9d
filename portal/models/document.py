"""Documents (DOC-1..4, DOC-6): financial and legal documents per scheme, benefit statements per participant,
and the per-employer "read" marker. Files live under ``var/files/documents`` with names we generate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.core import clock


class Document(SQLModel, table=True):
    """One stored PDF. ``category``: financial (invoice, booking_statement, reminder), legal (regulations,
    administration_agreement, addendum) or statement (benefit_statement, per participant and year).
    ``period``: what it covers, e.g. ``2026-11`` for an invoice or ``2026`` for a statement."""

    __tablename__ = "document"
    __table_args__ = (
        Index("ix_document_employer_category", "employer_id", "category", "created_at"),
        Index("ix_document_person_kind", "person_id", "kind", "period"),
    )
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id")
    scheme_id: int | None = Field(default=None, foreign_key="scheme.id")
    participation_id: int | None = Field(default=None, foreign_key="participation.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    category: str = Field(max_length=12)
    kind: str = Field(max_length=32)
    title: str = Field(default="", max_length=200)
    period: str = Field(default="", max_length=16)
    language: str = Field(default="nl", max_length=5)
    file_name: str = Field(default="", max_length=120)  # offered to the browser
    stored_name: str = Field(default="", max_length=80)  # our own name under var/files/documents
    size_bytes: int = 0
    created_at: datetime = Field(default_factory=clock.now)
    created_by: int | None = Field(default=None, foreign_key="user_account.id")
    created_by_name: str = ""


class DocumentRead(SQLModel, table=True):
    """DOC-2: a document opened by any user of the employer (the unread marker is per document and employer)."""

    __tablename__ = "document_read"
    __table_args__ = (UniqueConstraint("document_id", "employer_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    employer_id: int = Field(foreign_key="employer.id")
    read_at: datetime = Field(default_factory=clock.now)
    read_by: int | None = Field(default=None, foreign_key="user_account.id")


class DocumentOpened(SQLModel, table=True):
    """EE-3: a statement the employee opened or downloaded (their personal archive keeps it listed). Apart from
    ``document_read`` (DOC-2), which is the employer's unread marker."""

    __tablename__ = "document_opened"
    __table_args__ = (UniqueConstraint("document_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    opened_at: datetime = Field(default_factory=clock.now)
