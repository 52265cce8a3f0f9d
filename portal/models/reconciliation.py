"""Reconciliation reports (INT-7): one run of an insurer's participant/premium list against a scheme's
participants as of a date, and its differences (each can become a task, INT-3)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Index, Numeric
from sqlmodel import Field, SQLModel

from portal.core import clock
from portal.models.base import money_field, pct_field


class ReconciliationReport(SQLModel, table=True):
    """A reconciliation made by an adviser: the scheme, the date, the tolerances, the totals (JSON text) and the
    stored xlsx of the report (private ``reports`` folder, served through a signed link)."""

    __tablename__ = "reconciliation_report"
    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="intermediary_office.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    scheme_id: int = Field(foreign_key="scheme.id", index=True)
    as_of: date
    file_name: str = Field(default="", max_length=255)  # as uploaded (shown, never a path)
    money_tolerance: Decimal = money_field()
    parttime_tolerance: Decimal = pct_field()
    insurer_rows: int = 0
    portal_rows: int = 0
    differences: int = 0
    totals: str = "{}"  # JSON: counts per kind, summed deltas, premium on both sides
    stored_name: str = Field(default="", max_length=48)  # the xlsx of the report
    created_by: int = Field(foreign_key="user_account.id")
    created_at: datetime = Field(default_factory=clock.now)


class ReconciliationDifference(SQLModel, table=True):
    """One difference of a report; ``task_id`` once an adviser turned it into a task."""

    __tablename__ = "reconciliation_difference"
    __table_args__ = (Index("ix_reconciliation_difference_report", "report_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="reconciliation_report.id")
    position: int = 0  # order in the report
    kind: str = Field(max_length=24)
    number: str = Field(default="", max_length=32)
    name: str = Field(default="", max_length=120)
    birth_date: date | None = None
    participation_id: int | None = Field(default=None, foreign_key="participation.id")
    person_id: int | None = None
    line: int | None = None  # row in the insurer's file
    portal_value: str = Field(default="", max_length=32)
    insurer_value: str = Field(default="", max_length=32)
    delta: Decimal | None = Field(default=None, sa_column=Column(Numeric(14, 3), nullable=True))
    task_id: int | None = Field(default=None, foreign_key="task.id")
