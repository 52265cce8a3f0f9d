"""Payroll API keys and requests (API-1), as pure rules: the shape of a key (a lookup prefix and a random
secret, of which only the SHA-256 is stored), the fingerprint of a request for its ``Idempotency-Key``, and
the fixed-window rate limit per key."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

# the fixed-window rate limit per key: the one window rule of the portal (also the mail rate limits)
from portal.domain.rate import Window as Window
from portal.domain.rate import count_request as count_request
from portal.domain.rate import retry_after as retry_after
from portal.domain.rate import window_start as window_start

KEY_TAG = "pk"  # every key starts with it, so a key in a log or a repository is recognisable
PREFIX_CHARS = 12  # hex: the lookup prefix (unique, stored in clear)
SECRET_BYTES = 32
_KEY = re.compile(rf"{KEY_TAG}_([0-9a-f]{{{PREFIX_CHARS}}})_([A-Za-z0-9_-]{{43}})")
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9._:-]{1,100}")
MAX_NAME = 80


@dataclass(frozen=True)
class NewKey:
    """A freshly made key: ``plain`` is shown to its creator once; only ``prefix`` and ``secret_hash`` are kept."""

    plain: str
    prefix: str
    secret_hash: str


def secret_hash(secret: str) -> str:
    """The stored form of a key's secret (hex SHA-256; the secret is random, so no salt or slow hash is needed)."""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_key() -> NewKey:
    """A random key ``pk_<12 hex>_<43 url-safe characters>`` (256 bits of secret)."""
    prefix = secrets.token_hex(PREFIX_CHARS // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return NewKey(f"{KEY_TAG}_{prefix}_{secret}", prefix, secret_hash(secret))


def split_key(raw: object) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, None for anything else (a malformed key is refused unread)."""
    if not isinstance(raw, str):
        return None
    match = _KEY.fullmatch(raw.strip())
    return (match.group(1), match.group(2)) if match else None


def bearer(header: object) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (None without one)."""
    if not isinstance(header, str):
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def secret_matches(secret: str, stored_hash: str) -> bool:
    """Whether ``secret`` is the one whose hash was stored (compared in constant time)."""
    return hmac.compare_digest(secret_hash(secret), stored_hash)


def valid_idempotency_key(value: object) -> bool:
    """An ``Idempotency-Key``: 1–100 characters of letters, digits and ``._:-`` (a UUID fits)."""
    return isinstance(value, str) and IDEMPOTENCY_KEY.fullmatch(value) is not None


def request_fingerprint(method: str, path: str, body: Any) -> str:
    """The SHA-256 of a request's method, path and parsed JSON body in canonical form (key order and
    white space do not matter): the same key with another fingerprint is another request (409)."""
    canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def clean_name(value: object) -> str | None:
    """A key's name as its creator typed it (1–80 printable characters), None when empty or unusable."""
    if not isinstance(value, str):
        return None
    name = " ".join(value.split())
    if not name or len(name) > MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return None
    return name
