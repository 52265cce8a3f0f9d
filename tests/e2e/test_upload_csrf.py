"""End-to-end, against the real prod server (security finding 3 and the logout of finding 6): Reflex's
``/_upload`` is not served; our upload route refuses a tab's client token without the cookie, the cookie
without the session's CSRF token, and another Origin, storing nothing; no CORS header lets another origin in;
logout by GET or by a POST without the token ends nothing, the page's own button does.
The happy path of an upload through the page is in test_collective.py."""

from __future__ import annotations

import io
from urllib.parse import quote

import httpx
import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func
from sqlmodel import select

from portal.models import Batch, Scheme
from tests.e2e.conftest import DEMO_SECRETS, SERVER_VAR, e2e_database, login, wait_ready, wait_url
from tests.e2e.test_employer_pages import sign_in

pytestmark = pytest.mark.e2e

EVIL = "https://evil.example"


def _stored() -> tuple[int, list[str]]:
    """Batch rows in the server's database and files in its upload folder."""
    with e2e_database() as db:
        rows = int(db.exec(select(func.count()).select_from(Batch)).one())
    folder = SERVER_VAR / "files" / "uploads"
    return rows, sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _scheme_id() -> int:
    with e2e_database() as db:
        return db.exec(select(Scheme.id).where(Scheme.kind == "OP").order_by(Scheme.id)).first() or 0


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Deelnemernummer"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _session_of(page: Page) -> tuple[str, str, str]:
    """(session cookie, CSRF token in the page, Reflex client token of the tab) of a signed-in page."""
    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "portal_session")
    token = page.locator('input[name="csrf"]').first.input_value()
    client_token = page.evaluate("() => window.sessionStorage.getItem('token')") or ""
    assert cookie and len(token) == 64 and client_token
    return cookie, token, client_token


def _post_upload(server: str, cookie: str | None, headers: dict[str, str]) -> httpx.Response:
    cookies = {"portal_session": cookie} if cookie else {}
    params = {"scheme": str(_scheme_id()), "kind": "business_email", "effective": ""}
    base = {"Content-Type": "application/octet-stream", "X-File-Name": quote("aanval.xlsx")}
    with httpx.Client(base_url=server, cookies=cookies) as client:
        return client.post("/api/collective/upload", params=params, content=_xlsx(), headers=base | headers)


def test_reflex_upload_endpoint_is_not_served(page: Page, server: str) -> None:
    sign_in(page, "employer.hr", "/employer/collective")
    _, _, client_token = _session_of(page)
    files = {"files": ("aanval.xlsx", _xlsx(), "application/octet-stream")}
    headers = {"reflex-client-token": client_token, "reflex-event-handler": "collective_state.handle_upload"}
    before = _stored()
    answer = httpx.post(f"{server}/_upload", files=files, headers=headers)
    assert answer.status_code in (404, 405), answer.text[:200]
    assert _stored() == before


def test_upload_route_refuses_token_without_cookie_wrong_csrf_and_other_origin(page: Page, server: str) -> None:
    sign_in(page, "employer.hr", "/employer/collective")
    cookie, token, client_token = _session_of(page)
    own = server
    before = _stored()
    refused = {
        "client token, no cookie": _post_upload(
            server, None, {"Origin": own, "X-CSRF-Token": token, "reflex-client-token": client_token}
        ),
        "cookie, no CSRF token": _post_upload(server, cookie, {"Origin": own}),
        "cookie, wrong CSRF token": _post_upload(server, cookie, {"Origin": own, "X-CSRF-Token": "0" * 64}),
        "another Origin": _post_upload(server, cookie, {"Origin": EVIL, "X-CSRF-Token": token}),
        "no Origin": _post_upload(server, cookie, {"X-CSRF-Token": token}),
    }
    for what, answer in refused.items():
        assert answer.status_code in (401, 403), (what, answer.status_code, answer.text[:200])
        assert answer.json()["ok"] is False, what
        assert answer.headers.get("access-control-allow-origin") in (None, own), what
    assert _stored() == before, "a refused upload must store nothing"
    # another site's preflight for the CSRF header is not allowed either
    with httpx.Client(base_url=server) as client:
        preflight = client.options(
            "/api/collective/upload",
            headers={
                "Origin": EVIL,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-csrf-token",
            },
        )
    assert preflight.headers.get("access-control-allow-origin") != EVIL


def test_logout_only_by_the_pages_own_form(phone: Page, server: str) -> None:
    login(phone, "employee", DEMO_SECRETS["employee"], fresh=True)  # its own session: this test ends it
    wait_ready(phone, "/employee")
    cookie, _token, _ = _session_of(phone)
    with httpx.Client(base_url=server, cookies={"portal_session": cookie}) as client:
        # a link or an <img> cannot sign anyone out (404: the GET falls through to the pages, which have none)
        assert client.get("/auth/logout").status_code in (404, 405)
        assert client.post("/auth/logout", headers={"Origin": server}).status_code == 403  # no token
        assert client.post("/auth/logout", data={"csrf": "0" * 64}, headers={"Origin": server}).status_code == 403
    phone.goto("/employee/faq")
    wait_ready(phone, "/employee/faq")  # still signed in
    phone.get_by_role("button", name="Uitloggen").click()
    wait_url(phone, "/login")
    wait_ready(phone, "/login")
    phone.goto("/employee")  # the session has ended: the protected page sends the browser to the login page
    wait_url(phone, "/login")
    expect(phone.get_by_label("Gebruikersnaam")).to_be_visible()
