"""Account use cases (AUTH-1..3, AUTH-6, AUTH-7): invitation, activation, login with 2FA or the national eID,
sessions, resets, preferences.

Every function takes the caller's ``db`` session; the caller commits. Exception: failure paths that must leave
a trace whatever the caller does next (attempt counters, lock-out, audit of failed logins) commit *before*
raising their ``FieldError``, because callers roll back on exceptions. ``now`` defaults to the current time
and exists so tests can move the clock; a naive ``now`` is read as UTC (stored values are aware UTC).

Nothing here reveals whether a username or e-mail address exists: unknown and known accounts get the same
outcome, the same message and the same lock-out.

The package holds one module per idea: ``login`` (password, TOTP, recovery codes), ``sessions``, ``activation``
(invitation), ``recovery`` (forgotten password or username), ``throttle`` (lock-out), ``codes`` (e-mailed
codes), ``preferences``, ``eid`` (national eID sign-in); ``_common`` has what they share. Callers use
``accounts.<function>``.
"""

from __future__ import annotations

from portal.services.accounts._common import (
    BROWSER_COOKIE,
    BROWSER_COOKIE_PATH,
    CODES_PER_HOUR,
    LANGUAGES,
    LAST_SEEN_EVERY,
    SCOPE_KEYS,
    THEMES,
    TICKET_SECONDS,
    TOTP_ISSUER,
    LoginStep,
    hash_password,
)
from portal.services.accounts.activation import (
    activate_invited,
    complete_activation,
    email_taken,
    invite_user,
    start_activation,
    verify_activation_code,
)
from portal.services.accounts.eid import EidOutcome, refuse_eid, sign_in_with_eid
from portal.services.accounts.login import (
    check_password,
    confirm_totp_setup,
    new_totp_setup,
    reencrypt_totp_secrets,
    set_known_totp,
    totp_secrets_not_under,
    use_recovery_code,
    verify_totp,
)
from portal.services.accounts.preferences import set_preferences
from portal.services.accounts.recovery import complete_password_reset, send_username_reminder, start_password_reset
from portal.services.accounts.sessions import (
    LoginTicket,
    create_session,
    end_session,
    redeem_ticket,
    replace_session,
    resolve_session,
)

__all__ = [
    "BROWSER_COOKIE",
    "BROWSER_COOKIE_PATH",
    "CODES_PER_HOUR",
    "LANGUAGES",
    "LAST_SEEN_EVERY",
    "SCOPE_KEYS",
    "THEMES",
    "TICKET_SECONDS",
    "TOTP_ISSUER",
    "EidOutcome",
    "LoginStep",
    "LoginTicket",
    "activate_invited",
    "check_password",
    "complete_activation",
    "complete_password_reset",
    "confirm_totp_setup",
    "create_session",
    "email_taken",
    "end_session",
    "hash_password",
    "invite_user",
    "new_totp_setup",
    "redeem_ticket",
    "reencrypt_totp_secrets",
    "refuse_eid",
    "replace_session",
    "resolve_session",
    "send_username_reminder",
    "set_known_totp",
    "set_preferences",
    "sign_in_with_eid",
    "start_activation",
    "start_password_reset",
    "totp_secrets_not_under",
    "use_recovery_code",
    "verify_activation_code",
    "verify_totp",
]
