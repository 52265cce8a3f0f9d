"""Collective changes by file (BULK) and participant exports (EMP-5): the requests and their status.

The files themselves live under ``var/files`` (never in a public folder), under names we generate; these
rows hold the metadata and are what the authorized download route checks.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from portal.core import clock
from portal.models.base import money_field, pct_field


class Batch(SQLModel, table=True):
    """One collective change (an uploaded file, or an integral raise without a file).

    ``kind``: salary_parttime (BULK-1), new_participants (BULK-2), business_email (BULK-3),
    integral_raise (BULK-4). ``status``: validating, rejected, ready (validated, waiting for the user to
    apply), queued, processing, processed, failed. ``report`` is a JSON list of row problems
    ``{"row", "number", "column", "key", "params"}``; ``message`` a file-level problem key.
    """

    __tablename__ = "batch"
    __table_args__ = (
        Index("ix_batch_employer_created", "employer_id", "created_at"),
        Index("ix_batch_employer_sha", "employer_id", "file_sha256"),
        Index("ix_batch_status", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id")
    scheme_id: int = Field(foreign_key="scheme.id")
    kind: str = Field(max_length=20)
    status: str = Field(default="validating", max_length=12)
    file_name: str = Field(default="", max_length=255)  # as uploaded (shown, never used as a path)
    stored_name: str = Field(default="", max_length=80)  # our own name under var/files/uploads
    file_sha256: str = Field(default="", max_length=64)
    file_size: int = 0
    effective_date: date | None = None
    raise_pct: Decimal | None = pct_field(nullable=True)
    created_at: datetime = Field(default_factory=clock.now)
    uploaded_by: int | None = Field(default=None, foreign_key="user_account.id")
    uploaded_by_name: str = ""
    on_behalf_of: str = ""
    language: str = Field(default="nl", max_length=5)
    rows_total: int = 0
    rows_changed: int = 0
    rows_failed: int = 0
    message: str = ""
    report: str = "[]"
    queued_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = 0
    # The employer's ``data_version`` right after this batch's lines were checked and staged
    # (``BatchLine``): when it is still that value at apply time, nothing changed and the staged lines
    # are applied as they are, without reading and checking the file again.
    checked_version: int | None = None


class BatchLine(SQLModel, table=True):
    """One checked salary/part-time change of a batch, staged between validation and apply (BULK-1/4).

    ``cover_id`` is the live version that holds the terms on the effective date; ``simple`` says it is the
    employment's last version (open ended), so the change is applied set-based in SQL: supersede it, copy
    its part before the date, add the new terms from the date. Other lines (later versions to re-apply on
    top, MUT-3) go through ``slot_change``. ``old_values``/``new_values`` are the mutation's JSON texts.
    The lines are deleted when the batch is applied or fails.
    """

    __tablename__ = "batch_line"
    batch_id: int = Field(foreign_key="batch.id", primary_key=True)
    seq: int = Field(primary_key=True)  # the line's position in the batch (mutations follow it)
    participation_id: int
    employment_id: int
    person_id: int
    cover_id: int | None = None
    simple: bool = False
    salary: Decimal | None = money_field(nullable=True)  # the new salary; None = unchanged
    parttime_pct: Decimal | None = pct_field(nullable=True)  # the new part-time; None = unchanged
    old_values: str = "{}"
    new_values: str = "{}"


class ExportFile(SQLModel, table=True):
    """A generated participant file as of a date (EMP-5). ``status``: queued, processing, ready, failed."""

    __tablename__ = "export_file"
    __table_args__ = (Index("ix_export_employer_requested", "employer_id", "requested_at"),)
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id")
    scheme_id: int = Field(foreign_key="scheme.id")
    as_of: date
    language: str = Field(default="nl", max_length=5)
    status: str = Field(default="queued", max_length=12)
    requested_at: datetime = Field(default_factory=clock.now)
    requested_by: int | None = Field(default=None, foreign_key="user_account.id")
    requested_by_name: str = ""
    on_behalf_of: str = ""
    file_name: str = Field(default="", max_length=120)  # the name offered to the browser
    stored_name: str = Field(default="", max_length=80)  # our own name under var/files/exports
    rows: int = 0
    size_bytes: int = 0
    finished_at: datetime | None = None
    message: str = ""
