"""End-to-end: the access request (AVG-inzage, issue 16 part 6) — user management finds the download on the
participant's detail page, a link signed on the server for them; with the browser's session it gives everything
about the participant as a ZIP (an attachment, no secrets), audited."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import AuditEvent, UserAccount
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e


def test_user_management_downloads_the_zip_from_the_detail_page(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"], land=False)
    goto(page, "/employer/participants/100001")
    link = page.get_by_role("link", name="Gegevens exporteren (AVG-inzage)")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile(r"^/files/"))
    with page.expect_download() as info:  # a click: the browser fetches our route and saves the attachment
        link.click()
    assert re.fullmatch(r"avg-inzage-\d+-\d{4}-\d{2}-\d{2}\.zip", info.value.suggested_filename)
    saved = Path(info.value.path()).read_bytes()
    response = page.request.get(link.get_attribute("href") or "")  # the same link, with the browser's session
    assert response.ok and response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"].startswith("attachment")
    assert zipfile.is_zipfile(io.BytesIO(saved))
    with zipfile.ZipFile(io.BytesIO(response.body())) as archive:
        doc = json.loads(archive.read("person.json"))
        names = archive.namelist()
    assert "LEESMIJ.txt" in names
    assert {p["participant_number"] for p in doc["participations"]} == {"100001"}
    assert doc["person"]["last_name"] == "Assob"
    with e2e_database() as db:
        account = db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
        raw = json.dumps(doc)
        assert account.password_hash and account.password_hash not in raw
        assert account.totp_secret and account.totp_secret not in raw
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export")).all()
        assert any(e.actor_name == "employer.hr" and e.object_id == str(doc["person"]["id"]) for e in events)
    assert serious_violations(page) == []
