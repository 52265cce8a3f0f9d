"""End-to-end fixtures: one prod build + server per test session, a real SMTP server, the national eID
stand-in (a real OpenID provider, ``tests/eid.py``), headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlmodel import select

from portal.core.config import get_settings
from portal.models import Person, Relation, UserAccount
from tests.conftest import _VAR, use_database
from tests.eid import CLIENT_ID, CLIENT_SECRET, running_provider
from tests.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    ScaledDatabase,
    ScaledOut,
    app_env,
    free_port,
    portal_cli,
    running_app,
    running_scaled,
    scaled_out_available,
)
from tests.insurer import TestInsurer
from tests.smtp import SmtpCapture

ROOT = Path(__file__).resolve().parents[2]
E2E_DB = _VAR / "e2e.db"
SERVER_LOG = _VAR / "e2e-server.log"
# The server's own var/ (job queue, stored files): the service tests flush and consume the queue under _VAR,
# and a server consumer on that queue would take their jobs. Same secret, so codes made here verify there.
SERVER_VAR = _VAR / "e2e-server"
SERVER_DAYS = SERVER_VAR / "clock-days"  # the days the server's business date is moved (``server_date``)
DEMO_PASSWORD = "portal-demo-2026"
EID_UNKNOWN_BSN = "111222333"  # an account of the eID stand-in whose (valid) number the portal does not know
DEMO_SECRETS = {
    "employer.hr": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    "employer.finance": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
    "adviser": "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
    "employee": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
}


@pytest.fixture(scope="session")
def smtp() -> Iterator[SmtpCapture]:
    capture = SmtpCapture()
    capture.start()
    yield capture
    capture.stop()


@pytest.fixture(scope="session")
def test_insurer() -> Iterator[TestInsurer]:
    """The stand-alone test insurer (``tools/test_insurer.py``) that the app's coupling outbox goes to."""
    SERVER_VAR.mkdir(parents=True, exist_ok=True)
    with TestInsurer(SERVER_VAR / "test_insurer.db") as insurer:
        yield insurer


@pytest.fixture(scope="session")
def server(smtp: SmtpCapture, test_insurer: TestInsurer, scaled_database: object) -> Iterator[str]:
    """Build the front end once and serve the app in prod mode on a free port, with its own database. (The
    scaled-out server's demo data meanwhile loads in the background: ``scaled_database``.)"""
    port = free_port()
    SERVER_VAR.mkdir(parents=True, exist_ok=True)
    env = app_env(
        SERVER_VAR,
        f"sqlite:///{E2E_DB}",
        f"http://localhost:{port}",
        PORTAL_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        PORTAL_SECRET_KEY=get_settings().secret,
        PORTAL_CLOCK_DAYS_FILE=str(SERVER_DAYS),
        PORTAL_INSURER_URLS=test_insurer.url,  # every insurer's outbox goes to the test insurer
    )
    SERVER_DAYS.unlink(missing_ok=True)
    portal_cli(env, "setup", "--demo")
    with e2e_database() as db:
        employee = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
        person = db.get(Person, employee.person_id)
        assert person is not None
        eid_accounts = [
            {"id": "gijs", "name": "Gijs ter Assob", "national_id": person.bsn, "birthdate": str(person.birth_date)},
            {"id": "unknown", "name": "Nobody Known", "national_id": EID_UNKNOWN_BSN},
        ]
    callback = f"http://localhost:{port}/auth/eid/callback"
    with running_provider(SERVER_VAR, [callback], eid_accounts) as issuer:  # the national eID stand-in
        env.update(PORTAL_OIDC_ISSUER=issuer, PORTAL_OIDC_CLIENT_ID=CLIENT_ID, PORTAL_OIDC_CLIENT_SECRET=CLIENT_SECRET)
        with running_app(env, port, SERVER_LOG) as base:
            yield base
    assert_no_secrets_in_the_log(SERVER_LOG.read_text(errors="replace"), env["PORTAL_SECRET_KEY"])


SCALED_VAR = _VAR / "e2e-scaled"  # the scaled-out server's shared file folder (its app and job workers)
SCALED_LOG = _VAR / "e2e-scaled.log"
SCALED_REDIS_DBS = (13, 14)  # Reflex's state, the job queue: numbers no other test uses (test_jobs takes 15)


@pytest.fixture(scope="session")
def scaled_database(
    request: pytest.FixtureRequest, smtp: SmtpCapture, test_insurer: TestInsurer
) -> Iterator[tuple[ScaledDatabase, dict] | str]:
    """The scaled-out server's database and environment, its demo data loaded in the background from the start
    of the session (requested by ``server``, so it overlaps with the front-end build); or why there is none
    (no PostgreSQL or Redis answers, or no test of this run needs it)."""
    if not any("scaled_server" in getattr(item, "fixturenames", ()) for item in request.session.items):
        yield "no test of this run uses the scaled-out server"
        return
    postgres = os.environ.get("PORTAL_TEST_POSTGRES_URL") or "postgresql://postgres@127.0.0.1:5432/portal_test"
    reason = scaled_out_available(postgres)
    if reason:
        yield reason
        return
    port = free_port()
    shutil.rmtree(SCALED_VAR, ignore_errors=True)
    SCALED_VAR.mkdir(parents=True)
    env = app_env(
        SCALED_VAR,
        "",
        f"http://127.0.0.1:{port}",
        PORTAL_SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        PORTAL_SECRET_KEY=get_settings().secret,
        PORTAL_INSURER_URLS=test_insurer.url,
        PORTAL_SCALED_PORT=str(port),
    )
    database = ScaledDatabase(postgres, env)
    database.start()
    try:
        yield database, env
    finally:
        database.drop()


@pytest.fixture(scope="session")
def scaled_server(server: str, scaled_database: tuple[ScaledDatabase, dict] | str) -> Iterator[ScaledOut]:
    """The app scaled out on this machine (issue 16, PLT-3), beside the embedded ``server``: a PostgreSQL
    database of this run with the demo data (dropped after), Reflex's Redis state manager and two backend
    workers, the job queue on Redis with two ``portal worker`` processes, one shared file folder. It serves the
    front end ``server`` built (no second build), under 127.0.0.1 (its own cookies, apart from localhost's)."""
    if isinstance(scaled_database, str):
        pytest.skip(scaled_database)
    database, env = scaled_database
    port = int(env["PORTAL_SCALED_PORT"])
    with running_scaled(env, port, database, SCALED_REDIS_DBS, SCALED_LOG) as scaled:
        yield scaled
    # its app and job workers' log: no demo BSN, TOTP secret, password or secret key either
    assert_no_secrets_in_the_log(SCALED_LOG.read_text(errors="replace"), env["PORTAL_SECRET_KEY"])


def assert_no_secrets_in_the_log(log: str, secret_key: str) -> None:
    """After the whole e2e run (every sign-in, change, upload, mail, form and eID callback of it): the server's
    log (its stdout and stderr: access lines, job and error logs) holds no citizen service number (BSN) of anyone
    in the demo data, no TOTP secret, no demo password, not the server's secret key, and no session token the
    browsers held (PLT-1, AUTH-7, issue 16: secrets and personal data never in logs)."""
    with e2e_database() as db:
        bsns = {b for b in db.exec(select(Person.bsn)).all() if b} | {
            b for b in db.exec(select(Relation.bsn)).all() if b
        }
    assert len(bsns) > 5000  # the demo's people and their partners and children
    numbers = set(re.findall(r"(?<![0-9])[0-9]{9}(?![0-9])", log))
    leaked = sorted(numbers & bsns)
    assert leaked == [], f"{len(leaked)} BSN(s) of demo people in the server log, e.g. {leaked[0][:3]}……"
    tokens = {c["value"] for cookies, _ in _SESSIONS.values() for c in cookies if len(c["value"]) >= 16}
    words = {*DEMO_SECRETS.values(), DEMO_PASSWORD, secret_key, *tokens}
    found = sorted(w[:4] for w in words if w and w in log)
    assert found == [], f"secrets in the server log (first characters): {found}"


@contextmanager
def server_date(day: date) -> Iterator[None]:
    """Move the e2e server's business date (``clock.today()``; its ``now()`` stays) to ``day`` for the block."""
    try:
        SERVER_DAYS.write_text(str((day - date.today()).days))
        yield
    finally:
        SERVER_DAYS.unlink(missing_ok=True)


@contextmanager
def e2e_database():
    """Point this process's services at the e2e server's database (to arrange data, read audit)."""
    from portal.core.db import session_scope

    use_database(f"sqlite:///{E2E_DB}")
    try:
        with session_scope() as db:
            yield db
    finally:
        use_database("")


@contextmanager
def server_files():
    """The e2e server's database and its file folder (a statement or form written here is one the server can
    serve)."""
    before = os.environ.get("PORTAL_VAR_DIR")
    with e2e_database() as db:
        os.environ["PORTAL_VAR_DIR"] = str(SERVER_VAR)
        get_settings.cache_clear()
        try:
            yield db
        finally:
            if before is None:
                os.environ.pop("PORTAL_VAR_DIR", None)
            else:
                os.environ["PORTAL_VAR_DIR"] = before
            get_settings.cache_clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


@pytest.fixture
def phone(browser: Browser, server: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="nl-NL",
    )
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


class TotpClock:
    """Hands out TOTP codes that the server has not yet seen (the server refuses replays)."""

    def __init__(self) -> None:
        self.last_step: dict[str, int] = {}

    def code(self, secret: str) -> str:
        while True:
            now_step = int(time.time()) // 30
            step = max(now_step, self.last_step.get(secret, -1) + 1)  # never a step that may expire in transit
            if step <= now_step + 1:
                self.last_step[secret] = step
                return pyotp.TOTP(secret).at(step * 30)
            time.sleep(1)


TOTP = TotpClock()


def goto(page: Page, path: str) -> None:
    """Open ``path`` and wait until the server has checked it (the page-ready marker)."""
    page.goto(path)
    wait_ready(page, path)


def wait_url(page: Page, path: str) -> None:
    """Wait until the browser shows ``path`` (with or without a trailing slash)."""
    page.wait_for_url(re.compile(re.escape(path) + r"/?(\?.*)?$"))


def wait_ready(page: Page, path: str) -> None:
    page.wait_for_selector(f'#page-ready[data-path="{path}"]', state="attached")


_SESSIONS: dict[str, tuple[list, str]] = {}  # username -> (cookies, landing path) of a sign-in through the page


def login(
    page: Page,
    username: str,
    secret: str,
    password: str = DEMO_PASSWORD,
    lang: str = "nl",
    fresh: bool = False,
    land: bool = True,
) -> None:
    """Sign in with password and TOTP through the real login page.

    The first sign-in of a user in a test session goes through the page; later ones reuse that server-side
    session's cookie (TOTP codes cannot be replayed, so a new login would wait for the next 30-second step) and
    open the page that sign-in landed on (the app sends on from there, as from /login). ``land=False``: a reused
    session is only put in the browser, for a test that opens its own page next (one page load less).
    ``fresh=True`` always goes through the page (tests of the login itself, or tests that log out).
    """
    if not fresh and username in _SESSIONS:
        cookies, landing = _SESSIONS[username]
        page.context.add_cookies(cookies)
        if land:
            page.goto(landing)
        return
    labels = {
        "nl": ("Gebruikersnaam", "Wachtwoord", "Inloggen", "Verificatiecode", "Bevestigen"),
        "en": ("Username", "Password", "Sign in", "Verification code", "Verify"),
    }[lang]
    goto(page, "/login")
    page.get_by_label(labels[0]).fill(username)
    page.get_by_label(labels[1], exact=True).fill(password)
    page.get_by_role("button", name=labels[2]).click()
    page.get_by_label(labels[3]).fill(TOTP.code(secret))
    page.get_by_role("button", name=labels[4]).click()
    if not fresh:
        page.wait_for_url(lambda url: "/login" not in url and "/auth/" not in url)
        landing = urlsplit(page.url).path
        if landing.startswith("/employee/"):  # a first sign-in's own step (e.g. the private e-mail question)
            landing = "/employee"
        _SESSIONS[username] = (page.context.cookies(), landing)


def assert_fits_the_phone(phone: Page, tabs: int | None = None) -> None:
    """Nothing wider than the 390 px phone (no sideways scrolling) and every bottom-bar tab at least 44 × 44 px;
    ``tabs``: how many there must be."""
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    wide = phone.evaluate(
        "() => [...document.querySelectorAll('main *, nav *')].filter(e => e.getBoundingClientRect().right > 390.5)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wide == []
    links = phone.get_by_role("navigation", name="Hoofdmenu").get_by_role("link").all()
    assert tabs is None or len(links) == tabs
    for tab in links:
        box = tab.bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
