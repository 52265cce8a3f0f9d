"""Pure authentication rules (AUTH-1..3, AUTH-7): passwords, usernames, codes, lock-out, session expiry, TOTP,
recovery codes.

No I/O and no clock: every time-dependent rule takes ``now`` as an argument (UTC; compare like with like:
aware with aware, as the database returns aware UTC datetimes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import math
import re
import secrets
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, NamedTuple

Strength = Literal["weak", "fair", "strong"]
TotpResult = Literal["ok", "replayed", "invalid"]

# ---------------------------------------------------------------- passwords

# fmt: off
COMMON_WORDS = (
    "password", "passwort", "wachtwoord", "welkom", "welcome", "qwerty", "azerty", "letmein", "admin",
    "iloveyou", "monkey", "dragon", "football", "voetbal", "secret", "geheim", "changeme", "trustno",
    "master", "login", "sunshine", "princess", "summer", "winter", "zomer", "hello", "test",
)
# fmt: on
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn", "1234567890")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})


def char_classes(pw: str) -> int:
    """How many of the classes lower-case, upper-case, digit and other occur in ``pw``."""
    return sum(
        (
            any(c.islower() for c in pw),
            any(c.isupper() for c in pw),
            any(c.isdigit() for c in pw),
            any(not c.isalnum() for c in pw),
        )
    )


def _is_sequence(chunk: str) -> bool:
    """An alphabetic/numeric run (abc, 987) or a piece of a keyboard row (qwer, lkj)."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(chunk)}
    if steps in ({1}, {-1}):
        return True
    return any(chunk in row or chunk[::-1] in row for row in _KEYBOARD_ROWS)


def _strip_patterns(text: str, extra_words: Iterable[str]) -> str:
    """Remove common words, sequences (3+ chars) and repeated characters; what is left is the real secret."""
    words = sorted({*COMMON_WORDS, *(w.lower() for w in extra_words if len(w) >= 3)}, key=len, reverse=True)
    for word in words:
        text = text.replace(word, "")
    out, i = [], 0
    while i < len(text):
        j = i + 3
        if j <= len(text) and _is_sequence(text[i:j]):
            while j < len(text) and _is_sequence(text[i : j + 1]):
                j += 1
            i = j
            continue
        out.append(text[i])
        i += 1
    return re.sub(r"(.)\1+", r"\1", "".join(out))


def effective_length(pw: str, avoid: Iterable[str] = ()) -> int:
    """Length of ``pw`` after removing guessable parts (also in 'leet' spelling such as p@ssw0rd)."""
    avoid = list(avoid)
    lower = pw.lower()
    return min(len(_strip_patterns(lower, avoid)), len(_strip_patterns(lower.translate(_LEET), avoid)))


def password_strength(pw: str, avoid: Iterable[str] = ()) -> Strength:
    """weak / fair / strong as shown while typing; ``avoid`` lists words such as the username or e-mail."""
    classes = char_classes(pw)
    if len(pw) < 10 or classes < 2 or effective_length(pw, avoid) < 6:
        return "weak"
    if (len(pw) >= 14 and classes >= 3) or (len(pw) >= 20 and classes >= 2):
        return "strong"
    return "fair"


def password_acceptable(pw: str, avoid: Iterable[str] = ()) -> bool:
    """A password may be chosen unless it is weak."""
    return password_strength(pw, avoid) != "weak"


# ---------------------------------------------------------------- usernames, e-mail

_USERNAME = re.compile(r"[a-z0-9._-]{3,64}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def normalise_username(raw: str) -> str:
    """Usernames are compared and stored lower-case, without surrounding blanks."""
    return (raw or "").strip().lower()


def username_valid(name: str) -> bool:
    """3–64 characters from a–z, 0–9, dot, underscore and hyphen (after normalisation)."""
    return bool(_USERNAME.fullmatch(name))


def normalise_email(raw: str) -> str:
    """E-mail addresses are compared and stored lower-case, without surrounding blanks."""
    return (raw or "").strip().lower()


def email_valid(email: str) -> bool:
    """A plausible address (one @, a dot in the domain, no blanks, at most 254 characters)."""
    return len(email) <= 254 and bool(_EMAIL.fullmatch(email))


# ---------------------------------------------------------------- one-time codes and secrets

CODE_MAX_ATTEMPTS = 5


def generate_code() -> str:
    """A 6-digit one-time code for e-mail verification (cryptographically random)."""
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_secret(secret_key: str, value: str) -> str:
    """HMAC-SHA256 (hex, 64 chars) of ``value`` under the server secret: what is stored instead of codes."""
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def code_usable(
    expires_at: datetime,
    used_at: datetime | None,
    attempts: int,
    now: datetime,
    max_attempts: int = CODE_MAX_ATTEMPTS,
) -> bool:
    """A code works once, before ``expires_at`` (exclusive), and only while fewer than ``max_attempts`` failed."""
    return used_at is None and now < expires_at and attempts < max_attempts


# ---------------------------------------------------------------- lock-out

ALL_CLIENTS = "*"  # the client part of the per-username counter that adds up the failures of every client
LockScope = Literal["client", "all"]


def throttle_client(ip: str) -> str:
    """The client part of a lock-out key: the address the server saw ('unknown' when there is none; never
    the all-clients marker, so a client cannot pose as the per-username ceiling)."""
    clean = (ip or "").strip()[:64]
    return clean if clean and clean != ALL_CLIENTS else "unknown"


def after_failure(
    failed_count: int,
    now: datetime,
    attempts_limit: int,
    minutes: int,
    previous_lock: datetime | None = None,
) -> tuple[int, datetime | None]:
    """Count one more failure; the ``attempts_limit``-th failure in a row locks for ``minutes``. Once a
    ``previous_lock`` is over, counting starts afresh (one failure after a lock does not lock again)."""
    if previous_lock is not None and not is_locked(previous_lock, now):
        failed_count = 0
    new_count = failed_count + 1
    if new_count >= attempts_limit:
        return new_count, now + timedelta(minutes=minutes)
    return new_count, None


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    """Whether a lock is still in force at ``now``."""
    return locked_until is not None and now < locked_until


class Counter(NamedTuple):
    """Failed attempts of one lock-out key and the lock they caused (if any)."""

    failed: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LockoutPolicy:
    """``client_attempts`` failures of one username from one client lock that client out of it for
    ``minutes``; ``all_attempts`` failures from all clients together lock the username everywhere."""

    client_attempts: int = 5
    all_attempts: int = 50
    minutes: int = 15


def count_failure(
    client: Counter, all_clients: Counter, now: datetime, policy: LockoutPolicy
) -> tuple[Counter, Counter]:
    """One more failed attempt on a username from a client: both its counter for that client and its
    counter over all clients go up; each locks at its own limit. Another client's counter is not touched,
    so an attacker elsewhere locks only themselves until the ceiling over all clients is reached."""
    mine = after_failure(client.failed, now, policy.client_attempts, policy.minutes, client.locked_until)
    every = after_failure(all_clients.failed, now, policy.all_attempts, policy.minutes, all_clients.locked_until)
    return Counter(*mine), Counter(*every)


def lock_in_force(
    client_lock: datetime | None, all_lock: datetime | None, now: datetime
) -> tuple[LockScope, datetime] | None:
    """The lock that refuses a login at ``now``: this client's lock on the username, or the username's
    ceiling over all clients; the one that lasts longest when both hold. None when neither does."""
    locks: list[tuple[datetime, LockScope]] = [
        (until, scope)
        for scope, until in (("client", client_lock), ("all", all_lock))
        if until is not None and is_locked(until, now)
    ]
    if not locks:
        return None
    until, scope = max(locks, key=lambda lock: lock[0])
    return scope, until


def minutes_left(locked_until: datetime, now: datetime) -> int:
    """Whole minutes (rounded up, at least 1) until a lock ends, for the message to the user."""
    return max(1, math.ceil((locked_until - now).total_seconds() / 60))


# ---------------------------------------------------------------- sessions

SessionEnd = Literal["lifetime", "idle"]


def session_end(
    created_at: datetime, last_seen_at: datetime, now: datetime, idle_minutes: int, lifetime_hours: int
) -> SessionEnd | None:
    """Why a session is over at ``now``, or None while it lives: ``lifetime`` once ``lifetime_hours`` have
    passed since sign-in (however active it was; the cookie's Max-Age ends there too), ``idle`` after more
    than ``idle_minutes`` without activity."""
    if now - created_at >= timedelta(hours=lifetime_hours):
        return "lifetime"
    if now - last_seen_at > timedelta(minutes=idle_minutes):
        return "idle"
    return None


# ---------------------------------------------------------------- TOTP (RFC 6238, 30 s, 6 digits, SHA-1)

TOTP_PERIOD = 30
TOTP_WINDOW = 1


def totp_step(now: datetime) -> int:
    """The RFC 6238 time step of ``now`` (naive UTC or aware)."""
    aware = now if now.tzinfo else now.replace(tzinfo=UTC)
    return int(aware.timestamp()) // TOTP_PERIOD


def totp_code(secret: str, step: int) -> str:
    """The 6-digit code of base32 ``secret`` at ``step`` (RFC 4226 dynamic truncation)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def totp_secret_valid(secret: str) -> bool:
    """A base32 secret of at least 16 characters (80 bits)."""
    return len(secret) >= 16 and bool(re.fullmatch(r"[A-Z2-7]+=*", secret))


def match_totp(secret: str, code: str, now: datetime, last_step: int) -> tuple[TotpResult, int | None]:
    """Check ``code`` against the steps around ``now`` (±1). Only steps after ``last_step`` are accepted:
    a code of an already accepted (or earlier) step is a replay. Returns (result, matched step)."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return "invalid", None
    current = totp_step(now)
    for step in range(current - TOTP_WINDOW, current + TOTP_WINDOW + 1):
        if hmac.compare_digest(totp_code(secret, step), code):
            return ("ok", step) if step > last_step else ("replayed", step)
    return "invalid", None


# ---------------------------------------------------------------- recovery codes

RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0, 1
RECOVERY_COUNT = 10


def generate_recovery_codes(count: int = RECOVERY_COUNT) -> list[str]:
    """``count`` distinct codes like ``abcd-efgh-jkmn`` (12 random characters, about 59 bits)."""
    codes: set[str] = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(12))
        codes.add(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return sorted(codes)


def normalise_recovery_code(raw: str) -> str | None:
    """Canonical ``xxxx-xxxx-xxxx`` form of user input (case, blanks and dashes ignored), or None."""
    clean = re.sub(r"[\s-]", "", (raw or "").lower())
    if len(clean) != 12 or any(c not in RECOVERY_ALPHABET for c in clean):
        return None
    return f"{clean[:4]}-{clean[4:8]}-{clean[8:]}"
