"""Mutations (beheermutaties): every change a user submits, with effective date and request time (MUT-3)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portal.core import clock


class Mutation(SQLModel, table=True):
    """One submitted change. Its effects are stored as versions; this row is the request and its status.

    ``status``: submitted, needs_review, processed, rejected. ``old_values`` / ``new_values`` / ``warnings``
    are JSON texts (values as strings: Decimals and dates in ISO form).
    """

    __tablename__ = "mutation"
    __table_args__ = (
        Index("ix_mutation_employer_requested", "employer_id", "requested_at"),
        Index("ix_mutation_employer_status", "employer_id", "status"),
        Index("ix_mutation_participation_effective", "participation_id", "effective_date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id")
    scheme_id: int | None = Field(default=None, foreign_key="scheme.id")
    participation_id: int | None = Field(default=None, foreign_key="participation.id")
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    kind: str = Field(max_length=24)  # salary_parttime, exit, partner, child, new_participant, ...
    effective_date: date
    requested_at: datetime = Field(default_factory=clock.now)
    requested_by: int | None = Field(default=None, foreign_key="user_account.id")
    requested_by_name: str = ""
    # the API key of a change a payroll package sent (API-1; a key is never deleted, only revoked); None otherwise
    requested_by_api_key_id: int | None = None
    on_behalf_of: str = ""  # e.g. "office:1" when an intermediary acts for the employer (INT-2)
    channel: str = Field(default="portal", max_length=12)  # portal, excel, api
    status: str = Field(default="submitted", max_length=14)
    review_reason: str = ""
    reviewed_by_name: str = ""
    reviewed_at: datetime | None = None
    old_values: str = "{}"
    new_values: str = "{}"
    warnings: str = "[]"  # acknowledged plausibility warnings (MUT-5)
    batch_id: int | None = None  # a collective change (BULK) this mutation belongs to
