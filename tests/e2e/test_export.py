"""End-to-end: the export page (EMP-5) — generate a participant file, watch it become ready, download it
through the signed link; a bad date at the field; finance has no access; a garbage link goes nowhere."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import func, select

from portal.models import AuditEvent, ExportFile
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e


def open_export_page(page: Page, username: str = "employer.hr") -> None:
    login(page, username, DEMO_SECRETS[username], land=False)
    goto(page, "/employer/export")


def export_count() -> int:
    with e2e_database() as db:
        return db.exec(select(func.count()).select_from(ExportFile)).one()


def test_generate_wait_and_download(page: Page, tmp_path: Path) -> None:
    open_export_page(page)
    expect(page.get_by_label("Regeling")).to_be_visible()  # the demo employer has two schemes
    field = page.get_by_label("Peildatum", exact=True)
    expect(field).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))  # today by default
    field.fill("2026-06-30")
    page.get_by_role("button", name="Export maken").click()
    expect(page.get_by_role("status").filter(has_text="Uw export wordt gemaakt")).to_be_visible()
    history = page.get_by_role("table", name="Exportgeschiedenis")
    row = history.get_by_role("row").filter(has_text="30-06-2026").first
    expect(row).to_contain_text("Hanna de Vries")
    expect(row).to_contain_text("Klaar", timeout=60_000)  # polled: no reload needed
    expect(page.get_by_role("list", name="Exportgeschiedenis")).to_be_hidden()  # the phone's cards
    link = row.get_by_role("link", name="Export met peildatum 30-06-2026 downloaden")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "deelnemers-OP-01-2026-06-30.xlsx"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    sheet = openpyxl.load_workbook(target, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "peildatum 30-06-2026" in rows[0][0]
    assert rows[2][0] == "Deelnemernummer"
    mine = next(r for r in rows[3:] if r[0] == "100001")
    assert mine[1] == "Assob, G., ter" and mine[5] == 52242.28 and mine[7] == "Actief"
    with e2e_database() as db:
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "file.downloaded")).all()
        assert any(e.object_type == "export" and e.actor_name == "employer.hr" for e in events)
    assert serious_violations(page) == []


def test_a_date_too_far_ahead_is_refused_at_the_field(page: Page) -> None:
    open_export_page(page)
    before = export_count()
    page.get_by_label("Peildatum", exact=True).fill("2099-01-01")
    page.get_by_role("button", name="Export maken").click()
    expect(page.locator("#export-as-of-error")).to_contain_text("hoogstens 3 maanden in de toekomst")
    expect(page.get_by_label("Peildatum", exact=True)).to_have_attribute("aria-invalid", "true")
    assert export_count() == before


def test_finance_gets_no_access(page: Page) -> None:
    login(page, "employer.finance", DEMO_SECRETS["employer.finance"])
    wait_ready(page, "/employer")
    expect(page.get_by_role("link", name="Export")).to_have_count(0)  # no menu entry
    page.goto("/employer/export")
    wait_url(page, "/no-access")
    expect(page.get_by_role("heading", name="Exportgeschiedenis")).to_have_count(0)


def test_the_page_fits_a_phone(phone: Page) -> None:
    open_export_page(phone)
    expect(phone.get_by_label("Peildatum", exact=True)).to_be_visible()
    expect(phone.get_by_role("button", name="Export maken")).to_be_visible()
    phone.get_by_role("button", name="Export maken").click()
    history = phone.get_by_role("list", name="Exportgeschiedenis")  # cards instead of the wide table
    expect(history.get_by_role("link").first).to_be_visible(timeout=60_000)
    expect(phone.get_by_role("table", name="Exportgeschiedenis")).to_be_hidden()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"


def test_a_garbage_link_redirects_to_no_access(server: str, page: Page) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(f"{server}/files/garbage")
    assert err.value.code == 303 and err.value.headers["Location"] == "/no-access"
    # Signed in, in the browser: the same, with an audit entry.
    open_export_page(page)
    page.goto("/files/not-a-real-link")
    wait_url(page, "/no-access")
    with e2e_database() as db:
        denied = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
        assert any(json.loads(e.detail).get("path") == "/files" and e.actor_name == "employer.hr" for e in denied)
