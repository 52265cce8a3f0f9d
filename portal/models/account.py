"""Accounts, role grants, server-side sessions, verification and recovery codes, login throttling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from portal.core import clock


class UserAccount(SQLModel, table=True):
    """A login. ``status``: invited (not yet activated), active, disabled."""

    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    username: str | None = Field(default=None, max_length=64, unique=True, index=True)  # lower-case
    email: str = Field(max_length=254, index=True)  # lower-case
    display_name: str = ""
    status: str = Field(default="invited", max_length=10)
    password_hash: str = ""
    totp_secret: str = ""
    totp_last_step: int = 0  # last accepted TOTP time step (replay protection)
    language: str = Field(default="nl", max_length=5)
    theme: str = Field(default="light", max_length=8)
    notify_mail: bool = True  # DOC-4 / PLT-2: notification mails about new documents (a preference per user)
    notify_tasks: bool = True  # INT-3: an adviser's daily mail of the tasks due or to follow up that day
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    # EE-4, the employee's own across employers (the person records are the employers'): a private address that
    # counts only once confirmed (``EmailConfirmation``), the language of the statements ("" = as the employer's
    # record says) and when the first sign-in step asked for the private address (shown once)
    private_email: str = Field(default="", max_length=254)
    statement_language: str = Field(default="", max_length=5)
    private_email_asked_at: datetime | None = None
    created_at: datetime = Field(default_factory=clock.now)
    activated_at: datetime | None = None
    password_changed_at: datetime | None = None


class RoleGrant(SQLModel, table=True):
    """A role of an account within a scope (employer, company group, office, or own person)."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "role", "employer_id", "group_id", "office_id"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    role: str = Field(max_length=24)  # user_management, hr, finance, adviser, employee
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="company_group.id")
    office_id: int | None = Field(default=None, foreign_key="intermediary_office.id")


class AuthSession(SQLModel, table=True):
    """A server-side session; the browser only holds an opaque token whose hash is stored here."""

    __tablename__ = "auth_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    ticket_hash: str | None = Field(default=None, max_length=64, index=True)
    ticket_expires_at: datetime | None = None
    browser_hash: str | None = Field(default=None, max_length=64)  # the ticket is redeemed only in this browser
    created_at: datetime = Field(default_factory=clock.now)
    last_seen_at: datetime = Field(default_factory=clock.now)
    ended_at: datetime | None = None
    end_reason: str = ""  # logout, idle, lifetime, disabled, password_reset, ticket_expired, ticket_foreign, replaced
    user_agent: str = ""
    ip: str = ""


class VerificationCode(SQLModel, table=True):
    """A one-time code sent by e-mail (activation, password reset); stored as a hash."""

    __tablename__ = "verification_code"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    purpose: str = Field(max_length=16)  # activation, reset
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    used_at: datetime | None = None
    attempts: int = 0


class EmailConfirmation(SQLModel, table=True):
    """EE-4: a private e-mail address waiting for its confirmation link (one-time, expiring; the token is
    stored as a hash). ``used_at`` set: confirmed; a newer request for another address supersedes it."""

    __tablename__ = "email_confirmation"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    email: str = Field(max_length=254)  # lower-case
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(default_factory=clock.now)
    expires_at: datetime
    used_at: datetime | None = None
    superseded_at: datetime | None = None


class RecoveryCode(SQLModel, table=True):
    """A one-time recovery code for the second factor (stored as a hash)."""

    __tablename__ = "recovery_code"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = None


class LoginThrottle(SQLModel, table=True):
    """Failed login attempts per username (known or not, so lock-out reveals nothing) and client: ``client``
    is the address the server saw, or ``*`` for the count over all clients (the username's ceiling)."""

    __tablename__ = "login_throttle"
    username: str = Field(primary_key=True, max_length=64)
    client: str = Field(primary_key=True, max_length=64)
    failed_count: int = 0
    locked_until: datetime | None = None
    last_failed_at: datetime | None = None


class RateWindow(SQLModel, table=True):
    """A fixed-window count of a rate-limited action (``portal.domain.rate``): ``scope`` names the limit (e.g.
    ``mail.account``, ``mail.ip``), ``subject`` whom it counts (an account, an address asked for, a client);
    ``window_start`` in epoch seconds."""

    __tablename__ = "rate_window"
    scope: str = Field(primary_key=True, max_length=32)
    subject: str = Field(primary_key=True, max_length=128)
    window_start: int = 0
    count: int = 0


class EidLink(SQLModel, table=True):
    """An eID identity (the provider's ``issuer`` and its stable ``subject``, the ``sub`` claim) linked to an
    employee account at its first sign-in by national id (AUTH-6). Later sign-ins with that subject must
    resolve to the same account, or they are refused."""

    __tablename__ = "eid_link"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=clock.now)
    last_used_at: datetime = Field(default_factory=clock.now)


class Invitation(SQLModel, table=True):
    """An invitation of an employee's (invited) account to the employee front end, to one business address
    (BULK-3). The link's token is random and kept only as a hash, written together with the mail's
    ``sent_mail`` row right before the message leaves (``mailed_at``, ``expires_at``); ``used_at`` when the
    account was activated through it; ``withdrawn_at`` when a newer address replaced it."""

    __tablename__ = "invitation"
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id")
    email: str = Field(max_length=254)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = Field(default_factory=clock.now)
    mailed_at: datetime | None = None
    expires_at: datetime | None = None
    used_at: datetime | None = None
    withdrawn_at: datetime | None = None
