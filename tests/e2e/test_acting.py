"""End-to-end: an adviser acts for an employer of the portfolio (INT-2) — from the portfolio to the employer's
pages under its address, a salary change through the wizard recorded on behalf of the employer, the documents
note, an employer outside the portfolio by address, and an accessibility audit of an acting page."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, func, select

from portal.demo.seed import DEMO_ACCOUNTS
from portal.models import AuditEvent, Employer, IntermediaryOffice, Mutation, Participation, Scheme
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_wizards import DEMO_EMPLOYER, mutations_of, pick

pytestmark = pytest.mark.e2e


def _demo_employer() -> tuple[int, str]:
    """The demo employer's id and its office's name."""
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER)).one()
        office = db.get(IntermediaryOffice, employer.office_id)
        assert office is not None
        return employer.id or 0, office.name


def _adviser(page: Page) -> None:
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")


def test_adviser_acts_for_an_employer_through_a_salary_change_recorded_on_behalf(page: Page) -> None:
    employer_id, office = _demo_employer()
    base = f"/intermediary/employers/{employer_id}"
    number = pick(20)
    _adviser(page)
    page.get_by_role("link", name=DEMO_EMPLOYER).first.click()
    wait_ready(page, base)
    expect(page.locator("#acting-banner")).to_have_text(f"U handelt namens {DEMO_EMPLOYER}")
    expect(page.locator("#acting-back")).to_have_attribute("href", "/intermediary")
    employer_menu = page.get_by_role("navigation", name="Pagina's van de werkgever")
    employer_menu.get_by_role("link", name="Deelnemers").click()
    wait_ready(page, f"{base}/participants")
    page.get_by_label("Zoeken op naam, deelnemernummer of BSN").fill(number)
    page.get_by_role("button", name="Zoeken").click()
    row = page.locator("#participants tbody tr").filter(has_text=number)
    expect(row).to_have_count(1)
    row.get_by_role("link").first.click()  # the detail link stays under the employer's address
    wait_ready(page, f"{base}/participants/{number}")
    expect(page.locator("#participant-name")).to_be_visible()
    expect(page.get_by_role("link", name="Terug naar het overzicht").first).to_have_attribute(
        "href", f"{base}/participants"
    )
    page.get_by_role("button", name="Salaris en/of parttimepercentage wijzigen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Ingangsdatum").fill(date.today().replace(day=1).isoformat())
    dialog.get_by_label("Fulltime jaarsalaris (bruto)").fill("61.000,00")
    dialog.get_by_role("button", name="Volgende").click()
    for box in dialog.get_by_role("checkbox").all():  # plausibility warnings, if any, must be acknowledged
        box.check()
    dialog.get_by_role("button", name="Wijziging indienen").click()
    expect(dialog.get_by_role("status")).to_contain_text("Uw wijziging is ingediend")
    dialog.get_by_role("button", name="Sluiten").click()
    expect(page.locator("#history")).to_contain_text(f"{office}, namens de werkgever")
    assert mutations_of(number) == 1
    with e2e_database() as db:
        behalf = db.exec(
            select(Mutation.on_behalf_of).where(Mutation.employer_id == employer_id).order_by(col(Mutation.id).desc())
        ).first()
    assert behalf is not None and behalf.startswith("office:")


def test_an_employer_outside_the_portfolio_by_address_shows_no_data_and_is_audited(page: Page) -> None:
    _adviser(page)
    path = "/intermediary/employers/999999/participants"

    def denied() -> int:
        with e2e_database() as db:
            return db.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "access.denied", AuditEvent.object_id == path)
            ).one()

    before = denied()
    page.goto(path)
    wait_url(page, "/no-access")
    expect(page.locator("#participants")).to_have_count(0)
    expect(page.locator("#acting-banner")).to_have_count(0)
    assert denied() > before


def test_the_other_offices_adviser_gets_nothing_of_this_offices_employer_by_address(page: Page) -> None:
    employer_id, _office = _demo_employer()
    secret = next(a.totp_secret for a in DEMO_ACCOUNTS if a.username == "adviser.zuidas")
    login(page, "adviser.zuidas", secret)
    wait_ready(page, "/intermediary")
    for path in (f"/intermediary/employers/{employer_id}/participants", f"/intermediary/employers/{employer_id}"):
        page.goto(path)
        wait_url(page, "/no-access")
        expect(page.get_by_text(DEMO_EMPLOYER)).to_have_count(0)
        with e2e_database() as db:
            denied = db.exec(
                select(AuditEvent).where(AuditEvent.action == "access.denied", AuditEvent.object_id == path)
            ).all()
        assert any(e.actor_name == "adviser.zuidas" and "out_of_portfolio" in e.detail for e in denied)


def test_the_documents_page_says_an_adviser_leaves_the_unread_marker(page: Page) -> None:
    employer_id, _office = _demo_employer()
    _adviser(page)
    goto(page, f"/intermediary/employers/{employer_id}/documents")
    expect(page.locator("#acting-documents-note")).to_contain_text("haalt de markering 'ongelezen'")


def test_an_acting_page_shows_that_employer_only_and_has_no_serious_violations(page: Page) -> None:
    employer_id, _office = _demo_employer()
    with e2e_database() as db:
        schemes = db.exec(select(func.count()).select_from(Scheme).where(Scheme.employer_id == employer_id)).one()
    _adviser(page)
    goto(page, f"/intermediary/employers/{employer_id}/participants")
    expect(page.locator("#participants tbody tr").first).to_be_visible()
    expect(page.locator("#scheme-select option")).to_have_count(schemes)  # not the whole portfolio's
    assert serious_violations(page) == []


def test_a_task_about_the_employer_or_a_participant_is_one_link_away(page: Page) -> None:
    """INT-3: from an acting page, a new task about the employer (the banner) or about the participant shown (the
    detail page) opens the tasks page's form filled in with them."""
    employer_id, _office = _demo_employer()
    base = f"/intermediary/employers/{employer_id}"
    number = pick(21)
    with e2e_database() as db:
        participation = db.exec(
            select(Participation).where(
                Participation.employer_id == employer_id, Participation.participant_number == number
            )
        ).first()
        assert participation is not None
    _adviser(page)
    goto(page, f"{base}/participants/{number}")
    expect(page.locator("#acting-new-task")).to_have_attribute("href", f"/intermediary/tasks?employer={employer_id}")
    page.get_by_role("link", name="Taak aanmaken over deze deelnemer").click()
    wait_ready(page, "/intermediary/tasks")
    new = page.get_by_role("region", name="Nieuwe taak")
    expect(new).to_contain_text(f"De nieuwe taak gaat over deelnemer {number}.")
    assert f"participation={participation.id}" in page.url
