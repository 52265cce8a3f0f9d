"""The eID sign-in routes (AUTH-6) against a real OpenID provider (panva's ``oidc-provider`` on a loopback port,
``tests/eid.py``): ``/auth/eid/start`` sends the browser to the provider with PKCE (S256), state and nonce;
the callback exchanges the code, verifies the ID token and opens the session as the password + TOTP login
does. Refused (login page with the reason, nothing linked, audited): a wrong state, a callback in a browser
that did not start, a replayed code, an expired token; and, checked on real tokens of the provider, a token
for another audience, unsigned, signed with another key, of another issuer or with another nonce."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlmodel import Session, func, select

from portal.api.routes import EID_COOKIE, SESSION_COOKIE, _eid_serializer, api
from portal.core import oidc
from portal.core.config import get_settings
from portal.models import AuditEvent, AuthSession, EidLink, Person, UserAccount
from portal.services import accounts
from tests.conftest import _VAR
from tests.eid import (
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    running_provider,
    sign_in_at,
)

BASE = "http://portal.test"
CALLBACK = BASE + oidc.CALLBACK_PATH
UNKNOWN_BSN = "111222333"
ID_TOKEN_TTL = 120  # seconds: shorter than the ten minutes a flow may take, so the expiry can be tested


def demo_employee_identity(db: Session) -> tuple[str, str]:
    """The demo employee's BSN and birth date (ISO), as the demo data holds them."""
    employee = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    person = db.get(Person, employee.person_id)
    assert person is not None
    return person.bsn, person.birth_date.isoformat()


@pytest.fixture(scope="module")
def providers() -> Iterator[tuple[ExitStack, dict[str, str]]]:
    """The providers started for this module's tests, by their accounts: one process serves every test with
    the same accounts (each flow still has its own state, nonce, code and tokens; a start costs a second)."""
    with ExitStack() as stack:
        yield stack, {}


@pytest.fixture
def issuer(db: Session, demo_data: None, providers: tuple[ExitStack, dict[str, str]]) -> str:
    """The provider, with the demo employee (by the demo data's BSN and birth date), an unknown number, no
    number and an invalid one."""
    bsn, born = demo_employee_identity(db)
    accounts_ = [
        {"id": "gijs", "name": "Gijs ter Assob", "national_id": bsn, "birthdate": born},
        {"id": "unknown", "name": "Nobody Known", "national_id": UNKNOWN_BSN},
        {"id": "noclaim", "name": "No Number"},
        {"id": "invalid", "name": "Bad Number", "national_id": "123456789"},
    ]
    stack, started = providers
    key = json.dumps(accounts_, sort_keys=True)
    if key not in started:
        started[key] = stack.enter_context(
            running_provider(_VAR / "eid", [CALLBACK], accounts_, id_token_ttl=ID_TOKEN_TTL)
        )
    return started[key]


@pytest.fixture
def eid(issuer: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The portal configured for the provider (issuer, client id and secret; its base URL ``BASE``)."""
    for name, value in (
        ("PORTAL_OIDC_ISSUER", issuer),
        ("PORTAL_OIDC_CLIENT_ID", CLIENT_ID),
        ("PORTAL_OIDC_CLIENT_SECRET", CLIENT_SECRET),
        ("PORTAL_BASE_URL", BASE),
    ):
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    yield issuer
    monkeypatch.undo()
    get_settings.cache_clear()


def _start(client) -> str:
    """Press "Sign in with eID": the provider's authorization URL (the flow cookie now in ``client``)."""
    answer = client.get("/auth/eid/start", follow_redirects=False)
    assert answer.status_code == 303
    return answer.headers["location"]


def _browser():
    from starlette.testclient import TestClient

    return TestClient(api, base_url=BASE)


def _callback(client, url: str):
    assert url.startswith(CALLBACK), url
    return client.get(url[len(BASE) :], follow_redirects=False)


def _refused(db: Session, answer, reason: str) -> None:
    assert (answer.status_code, answer.headers["location"]) == (303, f"/login?eid={reason}")
    assert not any(c.startswith(f"{SESSION_COOKIE}=") for c in answer.headers.get_list("set-cookie"))
    db.expire_all()
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "login.eid_refused")).all()
    assert any(json.loads(e.detail)["reason"] == reason for e in events), [e.detail for e in events]


def _nothing_linked(db: Session) -> None:
    db.expire_all()
    assert db.exec(select(func.count()).select_from(EidLink)).one() == 0
    assert db.exec(select(func.count()).select_from(AuthSession)).one() == 0


def test_sign_in_with_pkce_state_and_nonce_opens_the_employees_session(db: Session, eid: str) -> None:
    browser = _browser()
    authorize = _start(browser)
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(eid + "/auth?")
    assert (query["client_id"], query["redirect_uri"], query["code_challenge_method"]) == (
        [CLIENT_ID],
        [CALLBACK],
        ["S256"],
    )
    assert all(len(query[k][0]) >= 32 for k in ("state", "nonce", "code_challenge"))
    cookie = [c for c in browser.cookies.jar if c.name == EID_COOKIE]
    assert cookie and cookie[0].path == "/auth/eid"
    # PKCE S256 (RFC 7636): the challenge sent is BASE64URL(SHA-256(verifier)) of the verifier this browser keeps
    state, nonce, verifier = _eid_serializer().loads(cookie[0].value)
    assert (query["state"], query["nonce"]) == ([state], [nonce]) and 43 <= len(verifier) <= 128
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [digest]
    answer = _callback(browser, sign_in_at(authorize, "gijs", eid))
    assert (answer.status_code, answer.headers["location"]) == (303, "/employee")
    token = answer.cookies.get(SESSION_COOKIE)
    assert token
    principal = accounts.resolve_session(db, token)
    employee = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    assert principal is not None and principal.user_id == employee.id
    link = db.exec(select(EidLink)).one()
    assert (link.issuer, link.subject, link.user_id) == (eid, "gijs", employee.id)


def test_a_wrong_state_is_refused(db: Session, eid: str) -> None:
    browser = _browser()
    back = sign_in_at(_start(browser), "gijs", eid)
    state = parse_qs(urlsplit(back).query)["state"][0]
    answer = _callback(browser, back.replace(f"state={state}", "state=forged-state"))
    _refused(db, answer, "state")
    _nothing_linked(db)


def test_a_callback_in_a_browser_that_did_not_start_is_refused(db: Session, eid: str) -> None:
    back = sign_in_at(_start(_browser()), "gijs", eid)
    _refused(db, _callback(_browser(), back), "state")  # no flow cookie: someone else's code and state
    _nothing_linked(db)


def test_a_replayed_code_is_refused(db: Session, eid: str) -> None:
    browser = _browser()
    back = sign_in_at(_start(browser), "gijs", eid)
    flow_cookie = browser.cookies.get(EID_COOKIE)
    assert _callback(browser, back).headers["location"] == "/employee"
    sessions = db.exec(select(func.count()).select_from(AuthSession)).one()
    replay = _browser()  # the same flow cookie and the same callback URL once more
    replay.cookies.set(EID_COOKIE, flow_cookie, path="/auth/eid")
    _refused(db, _callback(replay, back), "code_refused")
    assert db.exec(select(func.count()).select_from(AuthSession)).one() == sessions


def test_an_expired_id_token_is_refused(db: Session, eid: str) -> None:
    browser = _browser()
    back = sign_in_at(_start(browser), "gijs", eid)
    # the browser comes back five minutes later: the flow (ten minutes) still counts, the token (two) not
    with time_machine.travel(time.time() + 5 * 60, tick=True):
        answer = _callback(browser, back)
    _refused(db, answer, "token_expired")
    _nothing_linked(db)


@pytest.mark.parametrize(
    ("account", "reason"),
    [("unknown", "unknown_person"), ("noclaim", "claim_missing"), ("invalid", "claim_invalid")],
)
def test_a_missing_invalid_or_unknown_national_id_is_refused(db: Session, eid: str, account: str, reason: str) -> None:
    browser = _browser()
    _refused(db, _callback(browser, sign_in_at(_start(browser), account, eid)), reason)
    _nothing_linked(db)


def test_without_configuration_there_is_no_eid_sign_in(db: Session) -> None:
    answer = _browser().get("/auth/eid/start", follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/login")


# The ID token checks, on real tokens of the provider (fetched by the test as a client would).


def _real_id_token(issuer: str, client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> tuple[str, str]:
    """An ID token the provider issued to ``client_id`` for the demo employee, and the nonce it carries."""
    meta = oidc.metadata(issuer)
    nonce = "nonce-" + base64.urlsafe_b64encode(time.time_ns().to_bytes(8, "big")).decode()
    client = OAuth2Client(
        client_id=client_id, client_secret=secret, redirect_uri=CALLBACK, scope=oidc.SCOPE, code_challenge_method="S256"
    )
    verifier = "v" * 64
    url, _state = client.create_authorization_url(meta["authorization_endpoint"], nonce=nonce, code_verifier=verifier)
    code = parse_qs(urlsplit(sign_in_at(url, "gijs", issuer)).query)["code"][0]
    token = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=verifier)
    return token["id_token"], nonce


def _verify(issuer: str, raw: str, nonce: str, now: float | None = None, expect_issuer: str = "") -> dict:
    jwks = oidc.metadata(issuer)["jwks_uri"]
    return oidc.verify_id_token(raw, jwks, expect_issuer or issuer, CLIENT_ID, nonce, now)


def _reason(call) -> str:
    with pytest.raises(oidc.OidcError) as refused:
        call()
    return refused.value.reason


def test_a_real_token_passes_and_every_tampering_is_refused(issuer: str) -> None:
    raw, nonce = _real_id_token(issuer)
    claims = _verify(issuer, raw, nonce)
    assert (claims["sub"], claims["aud"], claims["iss"]) == ("gijs", CLIENT_ID, issuer)
    head, body, _signature = raw.split(".")
    none_head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    assert _reason(lambda: _verify(issuer, f"{none_head}.{body}.", nonce)) == "token_unsigned"
    assert _reason(lambda: _verify(issuer, f"{head}.{body}.", nonce)) == "token_unsigned"
    forged = jwt.encode({"alg": "RS256", "kid": "eid-1"}, jwt.decode(raw, _keys(issuer)).claims, _other_key())
    assert _reason(lambda: _verify(issuer, forged, nonce)) == "token_signature"
    assert _reason(lambda: _verify(issuer, raw, "another-nonce")) == "token_nonce"
    assert _reason(lambda: _verify(issuer, raw, nonce, expect_issuer="https://eid.example")) == "token_issuer"
    later = claims["exp"] + oidc.LEEWAY_SECONDS + 1
    assert _reason(lambda: _verify(issuer, raw, nonce, now=later)) == "token_expired"
    assert _verify(issuer, raw, nonce, now=claims["exp"] + oidc.LEEWAY_SECONDS - 1)["sub"] == "gijs"


def test_a_real_token_for_another_audience_is_refused(issuer: str) -> None:
    raw, nonce = _real_id_token(issuer, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)
    assert jwt.decode(raw, _keys(issuer)).claims["aud"] == OTHER_CLIENT_ID
    assert _reason(lambda: _verify(issuer, raw, nonce)) == "token_audience"


def _keys(issuer: str):
    return oidc._keys(oidc.metadata(issuer)["jwks_uri"])


def _other_key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True)


def test_an_eid_sign_in_gets_a_new_session_id_and_ends_the_one_the_browser_held(db: Session, eid: str) -> None:
    """Session fixation (ASVS 3.2.1): after signing in with the eID the browser holds a new session id; the
    session it held before (here the demo HR user's: a shared computer) has ended."""
    hr = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
    before = accounts.redeem_ticket(db, *accounts.create_session(db, hr.id or 0))
    assert before is not None
    db.commit()
    browser = _browser()
    browser.cookies.set(SESSION_COOKIE, before[0], path="/")
    answer = _callback(browser, sign_in_at(_start(browser), "gijs", eid))
    token = answer.cookies.get(SESSION_COOKIE)
    assert token and token != before[0]
    db.expire_all()
    assert accounts.resolve_session(db, before[0]) is None
    assert db.exec(select(AuthSession).where(AuthSession.user_id == hr.id)).one().end_reason == "replaced"
