"""People, employments with effective-dated versions, participations and relations."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from portal.core import clock
from portal.models.base import money_field, pct_field


class Person(SQLModel, table=True):
    """A natural person as one employer knows them: employee, participant (also after leaving).

    Personal data is employer-scoped: each employer holds its own record for a BSN (unique per employer), with
    what that employer entered, and its employments, participations and relations hang off that record. So
    nothing one employer entered is ever shown to another. The same human at two employers has two records
    with the same BSN; only the employee themself reaches both (``principal.own_person_ids``).
    """

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_employer_bsn", "employer_id", "bsn", unique=True),)
    id: int | None = Field(default=None, primary_key=True)
    # the employer that holds this record; None only for a record from before migration 0007 that no employment,
    # participation, mutation or document tied to an employer (no employer finds or shows it)
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    bsn: str = Field(max_length=11, index=True)  # or another national id number; unique per employer
    initials: str = ""
    first_name: str = ""
    name_prefix: str = ""  # tussenvoegsel, e.g. "ter", "van der"
    last_name: str = Field(index=True)
    birth_date: date
    gender: str = Field(default="U", max_length=1)  # M, F, X, U
    nationality: str = Field(default="NL", max_length=2)
    street: str = ""
    house_number: str = ""
    postcode: str = ""
    city: str = ""
    country: str = Field(default="NL", max_length=2)  # address abroad when not NL
    foreign_address: str = ""  # free-form lines for an address abroad
    business_email: str = ""
    private_email: str = ""
    language: str = Field(default="nl", max_length=5)
    created_at: datetime = Field(default_factory=clock.now)


class Employment(SQLModel, table=True):
    """A person's employment at an employer; salary and part-time live in versions."""

    __tablename__ = "employment"
    __table_args__ = (Index("ix_employment_employer_person", "employer_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    start_date: date
    end_date: date | None = None


class EmploymentVersion(SQLModel, table=True):
    """An effective-dated version of employment terms (bitemporal: valid period and recording time).

    A retroactive change adds versions; nothing is rewritten in place. ``superseded_at`` marks a version
    that a later recording replaced, so history "as recorded at T" stays reconstructable.
    """

    __tablename__ = "employment_version"
    # live versions of an employment in date order straight from the index (superseded ones are skipped
    # without reading them: ``superseded_at IS NULL`` is an index condition), however long the history
    __table_args__ = (Index("ix_employment_version_live", "employment_id", "superseded_at", "valid_from"),)
    id: int | None = Field(default=None, primary_key=True)
    employment_id: int = Field(foreign_key="employment.id")
    valid_from: date
    valid_to: date | None = None  # exclusive; None = open ended
    recorded_at: datetime = Field(default_factory=clock.now)
    superseded_at: datetime | None = None
    salary: Decimal = money_field()  # yearly gross salary, euros
    parttime_pct: Decimal = pct_field()  # 0.000 .. 100.000


class Participation(SQLModel, table=True):
    """A person's enrolment in a scheme through an employment."""

    __tablename__ = "participation"
    __table_args__ = (
        UniqueConstraint("scheme_id", "participant_number"),
        Index("ix_participation_scheme_status", "scheme_id", "status"),
        Index("ix_participation_employer_number", "employer_id", "participant_number"),
        # the employer's highest numbers first without sorting all of them (``next_participant_number``)
        Index(
            "ix_participation_employer_number_length",
            "employer_id",
            text("length(participant_number)"),
            "participant_number",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    employment_id: int = Field(foreign_key="employment.id", index=True)
    scheme_id: int = Field(foreign_key="scheme.id")
    employer_id: int = Field(foreign_key="employer.id")  # denormalised for scope and fast listing
    participant_number: str = Field(max_length=20)
    policy_number: str = Field(default="", max_length=32)
    status: str = Field(default="active", max_length=12)  # active, dormant, terminated, retired
    premium_mode: str = Field(default="staffel", max_length=8)  # staffel (age bands) or flat
    start_date: date
    end_date: date | None = None
    version: int = 1  # optimistic locking counter


class Relation(SQLModel, table=True):
    """A partner or child of a person (effective from ``start_date``)."""

    __tablename__ = "relation"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=8)  # partner, child
    partner_type: str = Field(default="", max_length=16)  # married, registered, cohabiting
    bsn: str = Field(max_length=11)
    initials: str = ""
    first_name: str = ""
    name_prefix: str = ""
    last_name: str = ""
    birth_date: date | None = None
    gender: str = Field(default="U", max_length=1)
    start_date: date | None = None
    end_date: date | None = None
    recorded_at: datetime = Field(default_factory=clock.now)
