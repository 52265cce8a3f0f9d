"""Our own state-changing HTTP routes (security finding 3 and the logout of finding 6): the collective upload
and the logout act only for a request with the session cookie, the portal's own Origin and the session's CSRF
token. Every refusal stores nothing (no batch row, no file under var/files) and ends nothing. The routes run
through Starlette's test client on the real database; the browser path is in tests/e2e."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from starlette.testclient import TestClient

from portal.api.routes import SESSION_COOKIE, api
from portal.core import csrf
from portal.core.config import get_settings
from portal.domain.bulk import MAX_FILE_BYTES
from portal.models import AuditEvent, Batch, UserAccount
from portal.services import accounts, files
from tests.services.bulk_files import EFFECTIVE, World, fill, salary_template, workbook, world

URL = "/api/collective/upload"


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    return world(db)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(api, base_url=get_settings().base_url) as c:
        yield c


def _session(db: Session, username: str = "employer.hr") -> str:
    """A live session token of ``username``, as the login route puts it in the cookie."""
    user = db.exec(select(UserAccount).where(UserAccount.username == username)).one()
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
    assert redeemed is not None
    db.commit()
    return redeemed[0]


def _file(db: Session, w: World) -> bytes:
    rows = salary_template(db, w)
    return workbook(fill(rows, {str(rows[1][0]): (61000, None)}))


def _post(
    client: TestClient,
    w: World,
    data: bytes,
    cookie: str | None,
    token: str | None,
    origin: str | None = "own",
    extra: dict[str, str] | None = None,
):
    headers = {"Content-Type": "application/octet-stream", "X-File-Name": quote("salaris wijziging.xlsx")}
    if origin is not None:
        headers["Origin"] = csrf.portal_origin() if origin == "own" else origin
    if token is not None:
        headers[csrf.HEADER] = token
    headers.update(extra or {})
    client.cookies.clear()
    if cookie is not None:
        client.cookies.set(SESSION_COOKIE, cookie)
    params = {"scheme": str(w.scheme_id), "kind": "salary_parttime", "effective": EFFECTIVE.isoformat()}
    return client.post(URL, params=params, content=data, headers=headers)


def _stored(db: Session) -> tuple[int, list[str]]:
    """Batch rows and uploaded files: both must stay as they were after a refusal."""
    db.expire_all()
    rows = int(db.exec(select(func.count()).select_from(Batch)).one())
    return rows, sorted(p.name for p in files.folder("uploads").iterdir())


def _refusals(db: Session) -> list[AuditEvent]:
    db.expire_all()
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == "request.refused")).all())


# ------------------------------------------------------------------------------------------- the token
def test_csrf_token_is_bound_to_its_session() -> None:
    one, other = csrf.token_for("session-one"), csrf.token_for("session-two")
    assert one and one != other and len(one) == 64
    assert csrf.valid("session-one", one)
    assert not csrf.valid("session-two", one)  # useless for another session
    assert not csrf.valid("session-one", "")
    assert not csrf.valid("session-one", None)
    assert not csrf.valid("", csrf.token_for(""))
    assert "session-one" not in one  # the cookie's value is not in the token


def test_only_the_portals_own_origin_counts() -> None:
    own = csrf.portal_origin()
    assert csrf.same_origin(own) and csrf.same_origin(own.upper())
    for other in (None, "", "null", "https://evil.example", own + ".evil.example", own.replace("http", "ws")):
        assert not csrf.same_origin(other), other


# ---------------------------------------------------------------------------------------------- upload
def test_upload_with_cookie_origin_and_token_reaches_the_service(db: Session, w: World, client: TestClient) -> None:
    data = _file(db, w)
    cookie = _session(db)
    before = _stored(db)
    answer = _post(client, w, data, cookie, csrf.token_for(cookie))
    assert answer.status_code == 201, answer.text
    assert answer.headers.get("access-control-allow-origin") is None
    batch = db.get(Batch, answer.json()["batch"])
    assert batch is not None and batch.status == "validating" and batch.file_name == "salaris wijziging.xlsx"
    after = _stored(db)
    assert after[0] == before[0] + 1 and batch.stored_name in after[1]


def test_upload_with_a_client_token_but_no_cookie_is_refused(db: Session, w: World, client: TestClient) -> None:
    data = _file(db, w)
    cookie = _session(db)
    before = _stored(db)
    # what Reflex's /_upload trusted: the tab's client token; here even with the session's CSRF token
    answer = _post(client, w, data, None, csrf.token_for(cookie), extra={"reflex-client-token": "tab-of-victim"})
    assert answer.status_code == 401 and answer.json()["ok"] is False
    assert _stored(db) == before
    answer = _post(client, w, data, "not-a-session", csrf.token_for("not-a-session"))
    assert answer.status_code == 401
    assert _stored(db) == before


@pytest.mark.parametrize("token", [None, "", "0" * 64, "other-session"])
def test_upload_with_the_cookie_but_without_its_csrf_token_is_refused(
    db: Session, w: World, client: TestClient, token: str | None
) -> None:
    data = _file(db, w)
    cookie = _session(db)
    if token == "other-session":
        token = csrf.token_for(_session(db, "employer.finance"))  # a valid token, of someone else's session
    before = _stored(db)
    answer = _post(client, w, data, cookie, token)
    assert answer.status_code == 403
    assert answer.json() == {"ok": False, "field": "file", "error": answer.json()["error"]}
    assert "geweigerd" in answer.json()["error"]
    assert _stored(db) == before
    refused = _refusals(db)
    assert [(e.actor_name, e.object_id) for e in refused] == [("employer.hr", URL)]
    assert '"csrf_token"' in refused[0].detail


@pytest.mark.parametrize("origin", [None, "null", "https://evil.example", "http://localhost:1"])
def test_upload_from_another_origin_is_refused(db: Session, w: World, client: TestClient, origin: str | None) -> None:
    data = _file(db, w)
    cookie = _session(db)
    before = _stored(db)
    answer = _post(client, w, data, cookie, csrf.token_for(cookie), origin=origin)
    assert answer.status_code == 403
    assert answer.headers.get("access-control-allow-origin") is None
    assert _stored(db) == before
    assert ['"origin"' in e.detail for e in _refusals(db)] == [True]


def test_upload_larger_than_the_limit_is_refused_while_it_streams(db: Session, w: World, client: TestClient) -> None:
    cookie = _session(db)
    before = _stored(db)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the route counts what arrives
        block = b"\0" * (1024 * 1024)
        for _ in range(MAX_FILE_BYTES // len(block) + 1):
            yield block

    headers = {"Origin": csrf.portal_origin(), csrf.HEADER: csrf.token_for(cookie)}
    client.cookies.set(SESSION_COOKIE, cookie)
    params = {"scheme": str(w.scheme_id), "kind": "salary_parttime", "effective": EFFECTIVE.isoformat()}
    answer = client.post(URL, params=params, content=chunks(), headers=headers)
    assert answer.status_code == 413 and "20 MB" in answer.json()["error"]
    assert _stored(db) == before


def test_upload_outside_the_users_scope_is_refused_by_the_service(db: Session, w: World, client: TestClient) -> None:
    data = _file(db, w)
    cookie = _session(db, "employee")  # signed in, but not for this employer's scheme
    before = _stored(db)
    answer = _post(client, w, data, cookie, csrf.token_for(cookie))
    assert answer.status_code == 403 and answer.json() == {"ok": False, "redirect": "/no-access"}
    assert _stored(db) == before


def test_reflex_upload_endpoint_is_not_ours(client: TestClient) -> None:
    assert client.post("/_upload", content=b"x").status_code in (404, 405)


# ---------------------------------------------------------------------------------------------- logout
def _alive(db: Session, token: str) -> bool:
    db.expire_all()
    return accounts.resolve_session(db, token, touch=False) is not None


def test_logout_by_get_does_not_end_the_session(db: Session, w: World, client: TestClient) -> None:
    cookie = _session(db)
    client.cookies.set(SESSION_COOKIE, cookie)
    answer = client.get("/auth/logout", follow_redirects=False)
    assert answer.status_code == 405
    assert _alive(db, cookie)


@pytest.mark.parametrize(
    ("origin", "token"),
    [("own", None), ("own", "wrong"), ("own", "other-session"), (None, "right"), ("https://evil.example", "right")],
)
def test_logout_without_origin_and_csrf_token_does_not_end_the_session(
    db: Session, w: World, client: TestClient, origin: str | None, token: str | None
) -> None:
    cookie = _session(db)
    form = {
        None: {},
        "wrong": {"csrf": "0" * 64},
        "other-session": {"csrf": csrf.token_for(_session(db, "employer.finance"))},
        "right": {"csrf": csrf.token_for(cookie)},
    }[token]
    headers = {"Origin": csrf.portal_origin() if origin == "own" else origin} if origin else {}
    client.cookies.set(SESSION_COOKIE, cookie)
    answer = client.post("/auth/logout", data=form, headers=headers, follow_redirects=False)
    assert answer.status_code == 403
    assert _alive(db, cookie)
    assert len(_refusals(db)) == 1


def test_logout_with_origin_and_csrf_token_ends_the_session(db: Session, w: World, client: TestClient) -> None:
    cookie = _session(db)
    client.cookies.set(SESSION_COOKIE, cookie)
    answer = client.post(
        "/auth/logout",
        data={"csrf": csrf.token_for(cookie)},
        headers={"Origin": csrf.portal_origin()},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert SESSION_COOKIE in answer.headers.get("set-cookie", "")
    assert not _alive(db, cookie)
