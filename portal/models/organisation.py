"""Organisations and schemes: intermediary office, insurer, company group, employer, contract, scheme."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.core import clock
from portal.models.base import money_field, pct_field


class IntermediaryOffice(SQLModel, table=True):
    """An advice / administration office serving a portfolio of employers."""

    __tablename__ = "intermediary_office"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    kvk_number: str = Field(max_length=8)
    email: str = ""
    phone: str = ""
    created_at: datetime = Field(default_factory=clock.now)


class Insurer(SQLModel, table=True):
    """An insurer (pension or group-insurance carrier); ``code`` selects its coupling adapter."""

    __tablename__ = "insurer"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    name: str
    # Contact data for employers (EMP-1 "Service & contact"); empty when unknown.
    phone: str = Field(default="", max_length=32)
    email: str = Field(default="", max_length=254)
    website: str = Field(default="", max_length=200)


class CompanyGroup(SQLModel, table=True):
    """A group of related employers (an employer user may see the whole group)."""

    __tablename__ = "company_group"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    office_id: int | None = Field(default=None, foreign_key="intermediary_office.id", index=True)


class Employer(SQLModel, table=True):
    """A company with collective schemes; belongs to one office's portfolio and optionally a group."""

    __tablename__ = "employer"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    kvk_number: str = Field(max_length=8, index=True)
    office_id: int | None = Field(default=None, foreign_key="intermediary_office.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="company_group.id", index=True)
    postal_street: str = ""
    postal_house_number: str = ""
    postal_code: str = ""
    postal_city: str = ""
    postal_country: str = Field(default="NL", max_length=2)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    data_version: int = 0  # bumped in the same transaction as every change of this employer's data (live views)
    created_at: datetime = Field(default_factory=clock.now)


class Contract(SQLModel, table=True):
    """A contract between an employer and an insurer."""

    __tablename__ = "contract"
    __table_args__ = (UniqueConstraint("insurer_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    insurer_id: int = Field(foreign_key="insurer.id", index=True)
    number: str = Field(max_length=32)
    start_date: date
    end_date: date | None = None


class Scheme(SQLModel, table=True):
    """A scheme (regeling) under a contract: kind OP, NP, ANW, WIA, WAIVER…; number e.g. ``01``."""

    __tablename__ = "scheme"
    __table_args__ = (UniqueConstraint("contract_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)  # denormalised for scope checks
    kind: str = Field(max_length=16)
    number: str = Field(max_length=8)
    name: str
    # new employees are enrolled at once ("aan bij WN"); a coupling needs it on (INT-4 readiness)
    auto_enrol: bool = False
    retro_review_months: int = 6  # retroactive changes further back than this need review (MUT-6)
    collective_lock_batch: int | None = None  # set while a collective change is processed (MUT-2)
    collective_locked_at: datetime | None = None


class SchemeYear(SQLModel, table=True):
    """Yearly parameters of a scheme: maximum pensionable salary, franchise, premium mode."""

    __tablename__ = "scheme_year"
    __table_args__ = (UniqueConstraint("scheme_id", "year"),)
    id: int | None = Field(default=None, primary_key=True)
    scheme_id: int = Field(foreign_key="scheme.id", index=True)
    year: int
    max_salary: Decimal = money_field()
    franchise: Decimal = money_field()
    flat_percentage: Decimal | None = pct_field(nullable=True)  # flat premium (new pension law)
    accrual_percentage: Decimal | None = pct_field(nullable=True)  # e.g. partner pension as % of salary


class PremiumBand(SQLModel, table=True):
    """An age band (staffel) of a scheme year: premium percentage for ages ``age_from``..``age_to``."""

    __tablename__ = "premium_band"
    __table_args__ = (UniqueConstraint("scheme_year_id", "age_from"),)
    id: int | None = Field(default=None, primary_key=True)
    scheme_year_id: int = Field(foreign_key="scheme_year.id", index=True)
    age_from: int
    age_to: int
    percentage: Decimal = pct_field()
