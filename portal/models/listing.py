"""The participant overview's denormalised, indexed rows (EMP-2): one per participation, as of a day.

Kept by ``portal.services.participants.read_table`` (``refresh_list_row`` after every change). A row holds what
the overview shows and sorts on, valid for the days ``fresh_from`` .. ``fresh_until`` (exclusive); outside
that window it is recomputed before it is listed. Not a source of truth: it can be rebuilt at any time.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Index, String, text
from sqlmodel import Field, SQLModel

from portal.models.base import money_field, pct_field


def _key_column(length: int) -> Column:
    """A text column compared byte-wise (C collation on PostgreSQL, SQLite's default BINARY), so that sort
    order and prefix ranges are the same on both databases."""
    return Column(String(length).with_variant(String(length, collation="C"), "postgresql"), nullable=False)


def _only(where: str) -> dict[str, Any]:
    """Keyword arguments of a partial index (rows matching ``where`` only) on SQLite and PostgreSQL."""
    return {"sqlite_where": text(where), "postgresql_where": text(where)}


class ParticipantListRow(SQLModel, table=True):
    """One participation as listed in the overview. ``listed_scheme_id`` is NULL while it is not listed
    (it starts after the day the row was computed for, or it ended long enough ago to be hidden:
    ``portal.domain.retention``)."""

    __tablename__ = "participant_list"
    __table_args__ = (
        Index("ix_plist_number", "listed_scheme_id", "participant_number"),
        Index("ix_plist_name", "listed_scheme_id", "sort_name", "participation_id"),
        Index("ix_plist_in_service", "listed_scheme_id", "date_in_service", "participation_id"),
        Index("ix_plist_salary", "listed_scheme_id", "salary", "participation_id"),
        Index("ix_plist_parttime", "listed_scheme_id", "parttime", "participation_id"),
        Index("ix_plist_status", "listed_scheme_id", "status", "participation_id"),
        Index(
            "ix_plist_employer_status", "employer_id", "status", "person_id", **_only("listed_scheme_id IS NOT NULL")
        ),
        Index("ix_plist_fresh_until", "employer_id", "fresh_until", **_only("fresh_until IS NOT NULL")),
        Index("ix_plist_fresh_from", "employer_id", "fresh_from"),
    )
    # No foreign keys: a derived table, rebuilt at will; checks would double the cost of a bulk refresh.
    participation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    employer_id: int
    person_id: int
    listed_scheme_id: int | None = None
    participant_number: str = Field(sa_column=_key_column(20))
    name: str = ""  # as shown: "Assob, G., ter"
    sort_name: str = Field(sa_column=_key_column(200))  # folded "assob g ter": last name, initials, prefix
    search_name: str = Field(sa_column=_key_column(200))  # folded "ter assob": prefix and last name
    date_in_service: date
    salary: Decimal | None = money_field(nullable=True)
    parttime: Decimal | None = pct_field(nullable=True)
    status: str = Field(max_length=12)
    fresh_from: date | None = None
    fresh_until: date | None = None


class ParticipantDue(SQLModel, table=True):
    """List rows that must be recomputed on ``due`` (a change that takes effect on that later day was written):
    the row of ``participation_id``, or every row of the employer (``participation_id`` 0, ``EVERY_ROW``: a
    change of most of them). Kept apart from the wide, heavily indexed ``participant_list``: marking 100,000
    rows due is an insert into this narrow table (one index, its key), not an update of every index of the
    list. ``refresh_due`` recomputes what is due on or before its day and then drops those marks; a mark of a
    row already recomputed since only costs a second, identical computation."""

    __tablename__ = "participant_due"
    # No foreign keys, like the list itself: derived, rebuilt at will. Read by (employer, day) only.
    employer_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    due: date = Field(primary_key=True)
    participation_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


EVERY_ROW = 0  # ``ParticipantDue.participation_id`` of a mark that makes every row of the employer due
