"""The payroll API (API-1): an employer's API keys and the answers stored under an ``Idempotency-Key``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.core import clock


class ApiKey(SQLModel, table=True):
    """A key of one employer: ``prefix`` finds it, ``secret_hash`` (SHA-256 of the secret) proves it; the
    key itself is shown once, to its creator. ``window_start``/``window_count``: the fixed rate-limit window
    (epoch seconds) and the requests counted in it."""

    __tablename__ = "api_key"
    __table_args__ = (UniqueConstraint("prefix"),)
    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=16)
    secret_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=clock.now)
    created_by_name: str = ""
    revoked_at: datetime | None = None
    revoked_by_name: str = ""
    last_used_at: datetime | None = None
    window_start: int = 0
    window_count: int = 0


class ApiIdempotency(SQLModel, table=True):
    """The answer given to the first request with ``idem_key`` of one API key: the same key with the same
    request (``fingerprint``) gets it again; with another request, 409."""

    __tablename__ = "api_idempotency"
    __table_args__ = (UniqueConstraint("api_key_id", "idem_key"),)
    id: int | None = Field(default=None, primary_key=True)
    api_key_id: int = Field(foreign_key="api_key.id")
    idem_key: str = Field(max_length=100)
    fingerprint: str = Field(max_length=64)
    status_code: int
    body: str
    created_at: datetime = Field(default_factory=clock.now, index=True)  # kept PORTAL_API_IDEMPOTENCY_DAYS
