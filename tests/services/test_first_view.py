"""The first view of /employee (EE-1, issue 13's speed): the contract cards in the page's HTML for the session's
employee only, escaped, and the prerendered shell unchanged for anyone else; through the real middleware."""

from __future__ import annotations

import re

from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from portal.api import first_view
from portal.api.routes import SESSION_COOKIE
from portal.api.security_headers import SecurityHeaders
from portal.core import clock
from portal.demo.seed import DEMO_EMPLOYER_NAME, SMALL_NAME
from portal.models import Employer, UserAccount
from portal.services import employee
from tests.services.employer_fixtures import principal_of, session_token_of

# The shape of Reflex's prerendered page (``.web/build/client/employee.html``): the stylesheet in <head>, the
# app's root, then its scripts.
SHELL = (
    '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>'
    '<link as="style" href="/assets/app.css" rel="preload"/><script>theme()</script>'
    '<link href="/assets/app.css" rel="stylesheet" type="text/css"/></head><body>'
    '<div data-is-root-theme="true" class="radix-themes"><div role="status" id="page-loading">…</div></div>'
    '<script>scroll()</script><script type="module" async="">import("/assets/entry.js")</script></body></html>'
)
STATIC = "<!-- the static page -->"


def _client(shell: str | None = SHELL) -> TestClient:
    """The middleware as the app stacks it, in front of a stand-in for Reflex's static files."""

    async def static(request: Request) -> HTMLResponse:
        return HTMLResponse(STATIC)

    inner = Starlette(routes=[Route("/{path:path}", static, methods=["GET", "POST"])])
    return TestClient(SecurityHeaders(first_view.FirstView(inner, shell=lambda: shell)), base_url="http://localhost")


def test_the_shell_gets_the_first_view_after_the_apps_root_and_its_stylesheet_beside_the_first_paint() -> None:
    page = first_view.with_first_view(SHELL, first_view.Html('<div id="first-view">cards</div>'))
    assert page is not None
    assert '<link href="/assets/app.css" rel="stylesheet" type="text/css" media="print"/>' in page
    assert page.count('media="print"') == 1  # the preload is left alone
    root_end = page.index("</div></div>") + len("</div></div>")
    assert page[root_end:].startswith('<div id="first-view">cards</div><script>scroll()</script>')
    assert page.replace('<div id="first-view">cards</div>', "").replace(' media="print"', "") == SHELL
    assert first_view.with_first_view("<html><body>no scripts</body></html>", first_view.Html("x")) is None


def test_the_first_view_shows_the_employees_own_cards_from_the_same_use_case(db: Session, demo_data: None) -> None:
    token = session_token_of(db, "employee")
    html = first_view.first_view_for(token)
    assert html is not None
    mine = employee.my_contracts(db, principal_of(db, "employee"), clock.today())
    assert len(mine.contracts) >= 2
    for c in mine.contracts:
        assert c.employer_name in html and c.contract_number in html and c.participant_number in html
    assert {DEMO_EMPLOYER_NAME, SMALL_NAME} <= {c.employer_name for c in mine.contracts}
    assert "Actief" in html and "Passief" in html and "Mijn contracten" in html
    assert re.search(r"€ \d{1,3}(\.\d{3})*,\d{2}", html)  # Dutch money, as the live cards
    # the tab bar: the employee's menu as plain links; only the first card's heading is timed
    tabs = re.findall(r'<a href="(/employee[^"]*)"', html)
    assert tabs[:3] == ["/employee", "/employee/documents", "/employee/profile"]
    assert html.count('elementtiming="contracts"') == 1


def test_nobody_else_gets_a_first_view(db: Session, demo_data: None) -> None:
    assert first_view.first_view_for("") is None
    assert first_view.first_view_for("not-a-session") is None
    assert (
        first_view.first_view_for(session_token_of(db, "employer.hr")) is None
    )  # an employer's session: not an employee


def test_the_first_sign_ins_step_comes_first(db: Session, demo_data: None) -> None:
    token = session_token_of(db, "employee")
    user = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    user.private_email, user.private_email_asked_at = "", None
    db.add(user)
    db.commit()
    assert employee.needs_private_email_step(db, principal_of(db, "employee"))
    assert first_view.first_view_for(token) is None  # the app sends the employee to /employee/welcome


def test_names_from_the_database_are_escaped(db: Session, demo_data: None) -> None:
    demo = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER_NAME)).one()
    demo.name = '<script>alert("x")</script> & Co "B.V."'
    db.add(demo)
    db.commit()
    html = first_view.first_view_for(session_token_of(db, "employee"))
    assert html is not None
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co &quot;B.V.&quot;" in html


def test_the_middleware_answers_the_employee_with_the_first_view_and_others_with_the_static_page(
    db: Session, demo_data: None
) -> None:
    client = _client()
    client.cookies.set(SESSION_COOKIE, session_token_of(db, "employee"))
    answer = client.get("/employee", headers={"Accept-Encoding": "gzip"})
    assert answer.status_code == 200 and answer.headers["content-encoding"] == "gzip"
    assert answer.headers["cache-control"] == "no-store" and "Cookie" in answer.headers["vary"]
    assert '<div id="first-view"' in answer.text and DEMO_EMPLOYER_NAME in answer.text
    # the CSP allows the first view's one script by its hash
    assert first_view.SCRIPT_HASH in answer.headers["content-security-policy"]
    assert client.get("/employee/").text.count('id="first-view"') == 1
    assert STATIC in client.get("/employee/documents").text  # only the home has a first view
    assert STATIC in client.post("/employee").text

    stranger = _client()
    assert stranger.get("/employee").text == STATIC  # no session
    hr = _client()
    hr.cookies.set(SESSION_COOKIE, session_token_of(db, "employer.hr"))
    assert hr.get("/employee").text == STATIC
    unbuilt = _client(shell=None)
    unbuilt.cookies.set(SESSION_COOKIE, session_token_of(db, "employee"))
    assert unbuilt.get("/employee").text == STATIC  # before a build: the app as it was


def test_gzip_only_when_asked(db: Session, demo_data: None) -> None:
    client = _client()
    client.cookies.set(SESSION_COOKIE, session_token_of(db, "employee"))
    plain = client.get("/employee", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and '<div id="first-view"' in plain.text
