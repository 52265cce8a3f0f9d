"""API keys context (API-1): an employer's API keys (``keys``: made, revoked, checked on every request, rate-
limited, audited) and what a payroll package does with one (``payroll``: the portal's own mutation and
participant use cases, idempotent answers). Callers use ``api_keys.<function>``."""

from __future__ import annotations

from portal.services.api_keys.keys import (
    API_PERMISSIONS,
    Caller,
    CreatedKey,
    KeyRefused,
    KeyRow,
    authenticate,
    create_key,
    list_keys,
    principal_of_key,
    revoke_key,
)
from portal.services.api_keys.payroll import (
    exit_participant,
    new_participant,
    participants_as_of,
    purge_answers,
    remember,
    replay,
    salary_parttime,
)

__all__ = [
    "API_PERMISSIONS",
    "Caller",
    "CreatedKey",
    "KeyRefused",
    "KeyRow",
    "authenticate",
    "create_key",
    "exit_participant",
    "list_keys",
    "new_participant",
    "participants_as_of",
    "principal_of_key",
    "purge_answers",
    "remember",
    "replay",
    "revoke_key",
    "salary_parttime",
]
