"""The one CSRF mechanism of our own HTTP routes (upload, logout): a token bound to the server-side session
and a check that a request comes from the portal's own pages.

The token is an HMAC of the session token under the server secret: it needs no storage, says nothing about
the session token (which stays in the HttpOnly cookie), and is worthless with any other session's cookie.
"""

from __future__ import annotations

import hmac

from portal.core.config import get_settings, own_origins
from portal.domain.auth import hash_secret

HEADER = "X-CSRF-Token"
FIELD = "csrf"


def token_for(session_token: str) -> str:
    """The CSRF token of the session ``session_token`` ('' when there is no session)."""
    if not session_token:
        return ""
    return hash_secret(get_settings().secret, f"csrf:{session_token}")


def valid(session_token: str, candidate: object) -> bool:
    """Whether ``candidate`` is the CSRF token of this session (compared in constant time)."""
    if not session_token or not isinstance(candidate, str) or not candidate:
        return False
    return hmac.compare_digest(token_for(session_token).encode(), candidate.encode())


def portal_origin() -> str:
    """The portal's own origin (scheme://host[:port]) from ``PORTAL_BASE_URL``."""
    return own_origins(get_settings().base_url)[0].lower()


def same_origin(origin: object) -> bool:
    """Whether a request's ``Origin`` header is the portal's own origin, the same one CORS and the websocket
    allow (``own_origins``); a missing header is refused."""
    allowed = {o.lower() for o in own_origins(get_settings().base_url)}
    return isinstance(origin, str) and bool(origin) and origin.rstrip("/").lower() in allowed
