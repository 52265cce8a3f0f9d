"""End-to-end: the documents page (DOC-1, DOC-2) — a finance user opens an invoice in the viewer (a signed
/files/ link), downloads it, and the "New" marker is gone for an HR colleague too; a deep link from a mail opens
a document; a document outside one's rights gives a clear message and an audit entry; the page on a phone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from portal.models import AuditEvent, Document, DocumentRead, Employer, UserAccount
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, login, wait_ready
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e
PATH = "/employer/documents"


def open_documents(page: Page, username: str, query: str = "") -> None:
    login(page, username, DEMO_SECRETS[username])
    page.goto(PATH + query)
    wait_ready(page, PATH)


def unread(kind: str) -> tuple[int, str]:
    """An unread document of the demo employer (id, title), straight from the server's database."""
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        read = select(DocumentRead.document_id)
        doc = db.exec(
            select(Document)
            .where(Document.employer_id == employer.id, Document.kind == kind, Document.id.not_in(read))
            .order_by(Document.id)
        ).first()
        assert doc is not None, f"no unread {kind} left"
        return doc.id or 0, doc.title


def test_finance_opens_an_invoice_and_the_marker_clears_for_hr(
    page: Page, browser: Browser, server: str, tmp_path: Path
) -> None:
    doc_id, title = unread("invoice")
    open_documents(page, "employer.finance")
    expect(page.get_by_role("button", name=re.compile(r"^Juridisch"))).to_have_count(0)  # finance: no legal
    table = page.get_by_role("table", name="Documenten")
    row = table.get_by_role("row").filter(has_text=title)
    expect(row).to_contain_text("Nieuw")
    expect(row).to_contain_text("ongelezen document")  # the words for screen readers
    expect(table).not_to_contain_text("Pensioenreglement")
    assert serious_violations(page) == []
    row.get_by_role("button", name=f"{title} openen").click()
    frame = page.get_by_title(f"PDF: {title}")
    expect(frame).to_be_visible()
    expect(frame).to_have_attribute("src", re.compile(r"^/files/[\w.\-]+$"))
    expect(row).not_to_contain_text("Nieuw")
    assert serious_violations(page) == []  # with the viewer open
    download_link = page.get_by_role("link", name=f"Downloaden (PDF): {title}")
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == ".pdf" and target.read_bytes().startswith(b"%PDF-")
    with e2e_database() as db:
        opened = db.exec(select(AuditEvent).where(AuditEvent.action == "document.opened")).all()
        assert any(e.object_id == str(doc_id) and e.actor_name == "employer.finance" for e in opened)
    page.get_by_role("button", name="Sluiten").click()
    expect(frame).to_have_count(0)

    colleague = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    try:
        hr = colleague.new_page()
        hr.set_default_timeout(20_000)
        open_documents(hr, "employer.hr")
        hr_row = hr.get_by_role("table", name="Documenten").get_by_role("row").filter(has_text=title)
        expect(hr_row).to_be_visible()
        expect(hr_row).not_to_contain_text("Nieuw")  # cleared by the finance colleague (DOC-2)
        hr.get_by_role("button", name=re.compile(r"^Juridisch")).click()  # HR + user management: both
        expect(hr.get_by_role("table", name="Documenten")).to_contain_text("Pensioenreglement")
        assert serious_violations(hr) == []
    finally:
        colleague.close()


def test_a_deep_link_opens_the_document_and_a_foreign_one_is_refused(page: Page) -> None:
    doc_id, title = unread("reminder")
    open_documents(page, "employer.finance", f"?doc={doc_id}")
    expect(page.get_by_title(f"PDF: {title}")).to_be_visible()
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        mine = select(Document).where(Document.category == "legal", Document.employer_id == employer.id)
        legal = db.exec(mine).first()
        legal_id = legal.id
    page.goto(f"{PATH}?doc={legal_id}")
    wait_ready(page, PATH)
    expect(page.get_by_role("alert").filter(has_text="niet beschikbaar")).to_be_visible()
    expect(page.locator("#doc-frame")).to_have_count(0)
    with e2e_database() as db:
        events = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied")).all()
        assert any(
            e.object_type == "document" and e.object_id == str(legal_id) and json.loads(e.detail)["reason"]
            == "missing_role" for e in events
        )  # fmt: skip


def test_on_a_phone_the_list_stacks_and_the_viewer_offers_links(phone: Page) -> None:
    open_documents(phone, "employer.hr")
    cards = phone.get_by_role("list", name="Documenten")
    expect(cards).to_be_visible()
    expect(phone.get_by_role("table", name="Documenten")).to_be_hidden()
    assert serious_violations(phone) == []
    cards.get_by_role("listitem").first.get_by_role("button").click()
    expect(phone.get_by_role("link", name=re.compile(r"^PDF openen: "))).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile(r"^Downloaden \(PDF\): "))).to_be_visible()
    expect(phone.locator("#doc-frame")).to_be_hidden()
    assert serious_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def notify_mail_of(username: str) -> bool:
    with e2e_database() as db:
        return db.exec(select(UserAccount.notify_mail).where(UserAccount.username == username)).one()


def test_the_notification_switch_is_saved_on_the_server(page: Page) -> None:
    login(page, "employer.finance", DEMO_SECRETS["employer.finance"])
    page.goto("/employer/company")
    wait_ready(page, "/employer/company")
    switch = page.get_by_role("switch", name="E-mail mij als er een nieuw document voor mij is")
    expect(switch).to_be_checked()
    switch.click()
    expect(page.locator("#notify-mail-state")).to_have_text("Meldingen per e-mail staan uit.")
    expect(switch).not_to_be_checked()
    assert notify_mail_of("employer.finance") is False
    page.reload()
    wait_ready(page, "/employer/company")
    expect(switch).not_to_be_checked()
    switch.click()
    expect(page.locator("#notify-mail-state")).to_have_text("Meldingen per e-mail staan aan.")
    assert notify_mail_of("employer.finance") is True
