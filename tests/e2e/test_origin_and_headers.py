"""Only the portal's own origin reaches the app (finding 4), and every response carries the security headers
under which every page still works (finding 5)."""

from __future__ import annotations

import http.server
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import DEMO_SECRETS, goto, login
from tests.harness import free_port

pytestmark = pytest.mark.e2e

# Opens the event websocket the way Reflex's front end does and records what comes back.
PROBE = """
(url) => new Promise((resolve) => {
  const seen = [];
  const ws = new WebSocket(url);
  ws.onopen = () => { seen.push("open"); ws.send("40"); };
  ws.onmessage = (e) => seen.push(String(e.data));
  ws.onerror = () => seen.push("error");
  ws.onclose = () => resolve(seen);
  setTimeout(() => { ws.close(); resolve(seen); }, 3000);
})
"""


def _event_url(server: str) -> str:
    return server.replace("http://", "ws://") + "/_event/?EIO=4&transport=websocket&token=origin-probe"


@pytest.fixture
def foreign_site() -> Iterator[str]:
    """A page on another port of localhost (the same site for the browser's cookies, another origin)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>elsewhere</title><p>another site</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://localhost:{port}"
    httpd.shutdown()


def test_the_event_websocket_refuses_a_foreign_origin(page: Page, server: str, foreign_site: str) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])  # the browser holds a live session cookie
    own = page.evaluate(PROBE, _event_url(server))
    assert "open" in own and any(m.startswith("40") for m in own), f"the own origin must connect: {own}"
    page.goto(foreign_site + "/")
    foreign = page.evaluate(PROBE, _event_url(server))
    assert "open" not in foreign, f"a page on {foreign_site} opened the event websocket: {foreign}"
    assert not [m for m in foreign if m not in ("error",)], foreign


def _get(url: str, origin: str, method: str = "GET") -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, method=method, headers={"Origin": origin})
    if method == "OPTIONS":
        request.add_header("Access-Control-Request-Method", "GET")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


def test_http_answers_allow_no_foreign_origin(server: str, foreign_site: str) -> None:
    for method in ("GET", "OPTIONS"):
        _, headers = _get(server + "/ping", foreign_site, method)
        assert "access-control-allow-origin" not in headers, (method, headers)
    _, headers = _get(server + "/ping", server)
    assert headers.get("access-control-allow-origin") == server


@pytest.mark.parametrize("path", ["/login", "/employer/participants", "/ping", "/auth/complete", "/files/nothing"])
def test_every_response_carries_the_security_headers(server: str, path: str) -> None:
    _, headers = _get(server + path, server)
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'self'" in csp, (path, csp)
    if path.startswith("/files/"):  # a stored file runs nothing at all
        assert csp.startswith("default-src 'none'"), csp
    else:
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"):
            assert directive in csp, (path, csp)
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0], "inline scripts: by hash"
    assert headers.get("x-frame-options") == "SAMEORIGIN"
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("referrer-policy") == "same-origin"
    assert "strict-transport-security" not in headers, "HSTS only on https"


CSP_PROBE = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});
"""

PAGES = {
    "employer.hr": [
        "/employer",
        "/employer/participants",
        "/employer/participants/100001",
        "/employer/participants/new",
        "/employer/documents",
        "/employer/scheme",
        "/employer/collective",
        "/employer/export",
        "/employer/changes",
        "/employer/company",
        "/employer/users",
    ],
    "adviser": ["/intermediary", "/intermediary/tasks"],
    "employee": ["/employee", "/employee/documents"],
    "": ["/login", "/activate", "/forgot", "/no-access"],
}


def test_the_policy_is_enforced_and_a_violation_is_seen(page: Page) -> None:
    """The probe of the next test works: an injected inline script is blocked and reported."""
    page.add_init_script(CSP_PROBE)
    goto(page, "/login")
    page.evaluate(
        "const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s)"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.__csp"))


@pytest.mark.parametrize("user", list(PAGES))
def test_every_front_end_works_under_the_policy(page: Page, user: str) -> None:
    page.add_init_script(CSP_PROBE)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    if user:
        login(page, user, DEMO_SECRETS[user])
    for path in PAGES[user]:
        goto(page, path)
        page.wait_for_timeout(400)  # charts and frames load after the page is ready
        violations = page.evaluate("window.__csp")
        assert not violations and not console, f"{path}: {violations} {console}"
