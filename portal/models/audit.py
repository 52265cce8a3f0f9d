"""Audit trail (PLT-1): who did what, when, on whose behalf."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portal.core import clock


class AuditEvent(SQLModel, table=True):
    """One audited action or access. ``detail`` is a JSON text without secrets."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_employer_at", "employer_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=clock.now, index=True)
    actor_user_id: int | None = Field(default=None, index=True)
    actor_name: str = ""
    actor_api_key_id: int | None = None  # the API key a payroll package acted with (API-1; no user account then)
    on_behalf_of: str = ""  # e.g. "employer:12" when an adviser acts for an employer
    action: str = Field(max_length=48, index=True)
    object_type: str = ""
    object_id: str = ""
    employer_id: int | None = None
    detail: str = "{}"
    ip: str = ""
