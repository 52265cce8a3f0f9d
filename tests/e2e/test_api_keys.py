"""End-to-end (API-1): a user-management user makes an API key on /employer/api-keys (shown once), the key
works against the running server's payroll API, and once revoked it is refused."""

from __future__ import annotations

import hashlib
import re

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.core import migrate
from portal.models import ApiKey
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, login, wait_ready

pytestmark = pytest.mark.e2e


def test_a_user_manager_creates_a_key_shown_once_and_revokes_it(page: Page) -> None:
    with e2e_database():  # this checkout's migrations (``portal setup`` runs the installed checkout's; a no-op on main)
        migrate.upgrade()
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="API-sleutels").click()
    wait_ready(page, "/employer/api-keys")
    expect(page.get_by_text("Er zijn nog geen API-sleutels.")).to_be_visible()

    form = page.locator("#new-api-key-form")
    form.get_by_role("button", name="Sleutel aanmaken").click()
    expect(form.locator("#api-key-name-error")).to_contain_text("Geef de sleutel een naam")
    form.get_by_label("Naam").fill("Loket salarispakket")
    form.get_by_role("button", name="Sleutel aanmaken").click()
    shown = page.get_by_label("Nieuwe sleutel")
    expect(shown).to_have_value(re.compile(r"^pk_[0-9a-f]{12}_"))
    key = shown.input_value()
    expect(page.get_by_text("hij wordt maar één keer getoond")).to_be_visible()
    table = page.get_by_role("table")
    row = table.get_by_role("row").filter(has_text="Loket salarispakket")
    expect(row).to_contain_text("Actief")
    expect(row).to_contain_text(key[:15])  # the prefix, never the secret
    expect(row).not_to_contain_text(key)
    with e2e_database() as db:
        stored = db.exec(select(ApiKey).where(ApiKey.name == "Loket salarispakket")).one()
        assert stored.secret_hash == hashlib.sha256(key.split("_", 2)[2].encode()).hexdigest()

    auth = {"Authorization": f"Bearer {key}"}
    listed = page.request.get("/api/v1/participants?page_size=2", headers=auth)
    assert listed.status == 200 and len(listed.json()["items"]) == 2

    page.reload()
    wait_ready(page, "/employer/api-keys")
    expect(row).to_contain_text("Actief")
    expect(page.get_by_label("Nieuwe sleutel")).to_have_count(0)  # shown once
    assert key not in page.content()

    row.get_by_role("button", name=re.compile("Intrekken")).click()
    page.get_by_role("alertdialog").get_by_role("button", name="Intrekken").click()
    expect(page.get_by_text("Sleutel Loket salarispakket is ingetrokken.")).to_be_visible()
    expect(row).to_contain_text("Ingetrokken")
    refused = page.request.get("/api/v1/participants", headers=auth)
    assert refused.status == 401 and refused.headers["content-type"].startswith("application/problem+json")

    # the readable API documentation, served by the app under its own Content-Security-Policy
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    answer = page.goto("/api/v1/docs")
    assert answer is not None and "default-src 'self'" in answer.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Benefits portal payroll API", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="POST /api/v1/participants/{number}/exit")).to_be_visible()
    assert blocked == []
