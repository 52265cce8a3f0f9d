"""The OpenID Connect relying party for the national eID stand-in (AUTH-6), with authlib (client, PKCE) and
joserfc (authlib's JOSE library: ID token signature and claims).

The flow: ``start`` makes a fresh ``state``, ``nonce`` and PKCE code verifier (S256) and the provider's
authorization URL; the route keeps the three in a signed, short-lived cookie of the browser that started.
``finish`` exchanges the returned code (with the verifier and the client secret) at the token endpoint and
verifies the ID token: signature against the provider's JWKS (RS/PS/ES algorithms only: an unsigned token is
refused), ``iss`` the configured issuer, ``aud`` containing our client id (and ``azp`` ours when there are
more audiences), ``exp``/``iat`` present and not expired, ``nonce`` the one sent. Any failure is an
``OidcError`` with a short reason for the audit trail and the refusal page.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import (
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

from portal.core import clock
from portal.core.config import Settings

SCOPE = "openid national_id"
ALGORITHMS = ("RS256", "PS256", "ES256")
LEEWAY_SECONDS = 30
TIMEOUT_SECONDS = 10
CALLBACK_PATH = "/auth/eid/callback"


class OidcError(Exception):
    """The flow failed; ``reason`` says where (state, code_refused, token_signature, token_unsigned,
    token_issuer, token_audience, token_expired, token_nonce, token_invalid, provider_unreachable)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Flow:
    """What the browser that started a sign-in must bring back: state, nonce and the PKCE code verifier."""

    state: str
    nonce: str
    verifier: str


def configured(settings: Settings) -> bool:
    """Whether eID sign-in is offered (issuer and client id set)."""
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def redirect_uri(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + CALLBACK_PATH


@lru_cache(maxsize=4)
def _discovery(issuer: str) -> dict[str, Any]:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    meta = httpx.get(url, timeout=TIMEOUT_SECONDS).raise_for_status().json()
    if meta.get("issuer") != issuer:  # OpenID Connect Discovery 4.3: the document must name the same issuer
        raise OidcError("provider_unreachable")
    return meta


def metadata(issuer: str) -> dict[str, Any]:
    """The provider's discovery document (cached; a failure is not cached)."""
    try:
        return _discovery(issuer)
    except (httpx.HTTPError, ValueError) as err:
        raise OidcError("provider_unreachable") from err


def _keys(jwks_uri: str, fresh: bool = False) -> KeySet:
    if fresh:
        _fetch_keys.cache_clear()
    return _fetch_keys(jwks_uri)


@lru_cache(maxsize=4)
def _fetch_keys(jwks_uri: str) -> KeySet:
    return KeySet.import_key_set(httpx.get(jwks_uri, timeout=TIMEOUT_SECONDS).raise_for_status().json())


def _client(settings: Settings) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret or None,
        redirect_uri=redirect_uri(settings),
        scope=SCOPE,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if settings.oidc_client_secret else "none",
        timeout=TIMEOUT_SECONDS,
    )


FRESH_LOGIN = {"prompt": "login", "max_age": "0"}  # a new authentication at the provider (signing a form)


def start(settings: Settings, extra: Mapping[str, str] | None = None) -> tuple[str, Flow]:
    """The provider's authorization URL for a new sign-in, and the flow values to keep in the browser.
    ``extra``: further authorization request parameters (``FRESH_LOGIN``: the provider must authenticate the
    user anew, not reuse its session, and put ``auth_time`` in the ID token)."""
    flow = Flow(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48))
    endpoint = metadata(settings.oidc_issuer)["authorization_endpoint"]
    with _client(settings) as client:
        url, _state = client.create_authorization_url(
            endpoint, state=flow.state, nonce=flow.nonce, code_verifier=flow.verifier, **dict(extra or {})
        )
    return url, flow


def finish(settings: Settings, flow: Flow, state: str, code: str, now: float | None = None) -> dict[str, Any]:
    """The verified ID token claims of a returning sign-in (``state`` and ``code`` from the callback URL)."""
    if not state or not secrets.compare_digest(state.encode(), flow.state.encode()):
        raise OidcError("state")
    if not code:
        raise OidcError("code_refused")
    meta = metadata(settings.oidc_issuer)
    try:
        with _client(settings) as client:
            token = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=flow.verifier)
    except (AuthlibBaseError, httpx.HTTPError, ValueError) as err:
        raise OidcError("code_refused") from err
    raw = token.get("id_token")
    if not isinstance(raw, str):
        raise OidcError("token_invalid")
    return verify_id_token(raw, meta["jwks_uri"], settings.oidc_issuer, settings.oidc_client_id, flow.nonce, now)


def _header(raw: str) -> dict[str, Any]:
    try:
        head = raw.split(".", 1)[0]
        return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, IndexError) as err:
        raise OidcError("token_invalid") from err


def verify_id_token(
    raw: str, jwks: str | KeySet, issuer: str, client_id: str, nonce: str, now: float | None = None
) -> dict[str, Any]:
    """The claims of ID token ``raw`` after checking signature (keys: a JWKS URI or a KeySet), issuer,
    audience, expiry and nonce as of ``now`` (seconds since the epoch; the current time by default)."""
    header = _header(raw)
    if str(header.get("alg", "none")).lower() == "none" or raw.count(".") != 2 or raw.endswith("."):
        raise OidcError("token_unsigned")
    if header.get("alg") not in ALGORITHMS:
        raise OidcError("token_signature")
    keys = jwks if isinstance(jwks, KeySet) else _keys(jwks)
    try:
        token = jwt.decode(raw, keys, algorithms=list(ALGORITHMS))
    except JoseError:
        if isinstance(jwks, KeySet):
            raise OidcError("token_signature") from None
        try:  # the provider may have rotated its keys: fetch them once more
            token = jwt.decode(raw, _keys(jwks, fresh=True), algorithms=list(ALGORITHMS))
        except JoseError as err:
            raise OidcError("token_signature") from err
    moment = int(clock.now().timestamp() if now is None else now)
    registry = jwt.JWTClaimsRegistry(
        now=moment,
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    claims = dict(token.claims)
    try:
        registry.validate(claims)
    except ExpiredTokenError as err:
        raise OidcError("token_expired") from err
    except (InvalidClaimError, MissingClaimError) as err:
        claim = getattr(err, "claim", "")
        reason = {"iss": "token_issuer", "aud": "token_audience", "nonce": "token_nonce", "exp": "token_expired"}
        raise OidcError(reason.get(claim, "token_invalid")) from err
    except JoseError as err:
        raise OidcError("token_invalid") from err
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise OidcError("token_audience")
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > moment + LEEWAY_SECONDS:
        raise OidcError("token_invalid")
    return claims
