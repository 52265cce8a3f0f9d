"""Signed forms (DOC-5, EE-5): a form of one kind for one person (and their participation) at an employer, its
status, its values, the stored PDF (``var/files/documents``) and the SHA-256 of the PDF at each step."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portal.core import clock


class Form(SQLModel, table=True):
    """One form. ``status``: prepared, waiting_for_employee, waiting_for_countersignature, completed, declined,
    expired (``portal.domain.forms``). ``field_values``: JSON text (money as text, dates ISO). The SHA-256 of the
    PDF as prepared (the latest rendering before signing), as the employee signed it and as completed."""

    __tablename__ = "form"
    __table_args__ = (
        Index("ix_form_employer_status", "employer_id", "status", "created_at"),
        Index("ix_form_person_status", "person_id", "status"),
        Index("ix_form_status_expires", "status", "expires_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    employer_id: int = Field(foreign_key="employer.id")
    person_id: int = Field(foreign_key="person.id")
    participation_id: int | None = Field(default=None, foreign_key="participation.id", index=True)
    status: str = Field(default="prepared", max_length=32)
    language: str = Field(default="nl", max_length=5)
    field_values: str = "{}"
    stored_name: str = Field(default="", max_length=80)  # the current PDF under var/files/documents
    prepared_sha256: str = Field(default="", max_length=64)
    signed_sha256: str = Field(default="", max_length=64)
    completed_sha256: str = Field(default="", max_length=64)
    expires_at: datetime | None = None  # set when sent to the employee
    created_by: int | None = Field(default=None, foreign_key="user_account.id")  # None: made by the portal itself
    source_key: str = Field(default="", max_length=64, index=True)  # what made it, e.g. ``mutation:<id>`` (exit)
    created_by_name: str = Field(default="", max_length=120)
    acting_by: str = Field(default="", max_length=32)  # ``office:<id>`` when an adviser prepared it (INT-2)
    created_at: datetime = Field(default_factory=clock.now)
    updated_at: datetime = Field(default_factory=clock.now)
    sent_at: datetime | None = None
    signed_at: datetime | None = None
    signed_by: int | None = Field(default=None, foreign_key="user_account.id")
    countersigned_at: datetime | None = None
    countersigned_by: int | None = Field(default=None, foreign_key="user_account.id")
    countersigned_by_name: str = Field(default="", max_length=120)
    closed_at: datetime | None = None  # declined or expired
    closed_by: int | None = Field(default=None, foreign_key="user_account.id")
    decline_reason: str = Field(default="", max_length=500)
    document_id: int | None = None  # the document the completed PDF was filed as (``document``)
    mutation_id: int | None = None  # the processed mutation a completed form's data made (``mutation``)
    version: int = 1  # optimistic locking: every step bumps it, a concurrent step loses
