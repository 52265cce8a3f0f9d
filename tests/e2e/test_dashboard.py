"""End-to-end: the adviser's portfolio dashboard (INT-1) — the figures on screen match the data, search, sort and
paging of the employer table, a live update after a change made elsewhere, and an axe audit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func
from sqlmodel import col, delete, select

from portal.core import clock
from portal.domain.tasks import OPEN_STATUSES
from portal.i18n import formatting as fmt
from portal.models import Employer, IntermediaryOffice, Mutation, ParticipantListRow, Task
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, login, wait_ready
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_review import _needs_review
from tests.e2e.test_wizards import pick

pytestmark = pytest.mark.e2e
EXTRA = "Paginatest"  # employers added for paging, removed afterwards


def _office_ids() -> list[int]:
    with e2e_database() as db:
        office = db.exec(select(IntermediaryOffice).order_by(IntermediaryOffice.id)).first()
        return list(db.exec(select(Employer.id).where(Employer.office_id == office.id)).all())


def _figure(page: Page, name: str):
    return page.locator(f"#figure-{name}")


def test_figures_on_screen_match_the_data(page: Page) -> None:
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    ids = _office_ids()
    L = ParticipantListRow
    with e2e_database() as db:
        active = db.exec(
            select(L.employer_id, func.count(func.distinct(L.person_id)))
            .where(col(L.employer_id).in_(ids), L.status == "active", col(L.listed_scheme_id).is_not(None))
            .group_by(L.employer_id)
        ).all()
        reviews = db.exec(
            select(func.count()).where(col(Mutation.employer_id).in_(ids), Mutation.status == "needs_review")
        ).one()
        office = db.exec(select(Employer.office_id).where(col(Employer.id).in_(ids))).first()
        still_open = db.exec(select(Task).where(Task.office_id == office, col(Task.status).in_(OPEN_STATUSES))).all()
        overdue = [t for t in still_open if t.due_date is not None and t.due_date < clock.today()]
    expect(_figure(page, "employers")).to_have_text(str(len(ids)))
    expect(_figure(page, "active")).to_have_text(fmt.number(sum(n for _e, n in active), "nl"))
    expect(_figure(page, "reviews")).to_have_text(fmt.number(reviews, "nl"))
    expect(_figure(page, "tasks_open")).to_have_text(fmt.number(len(still_open), "nl"))
    expect(_figure(page, "tasks_overdue")).to_have_text(fmt.number(len(overdue), "nl"))
    expect(_figure(page, "premium")).to_contain_text("€")
    table = page.get_by_role("table", name="Werkgevers in uw portefeuille")
    expect(table.locator("tbody tr")).to_have_count(len(ids))
    for charts in ("premium", "status", "changes", "tasks"):
        expect(page.locator(f"#chart-{charts}-summary")).not_to_be_empty()


@pytest.fixture
def many_employers() -> Iterator[int]:
    """28 extra employers in the adviser's office (31 in all: two pages), removed after the test."""
    with e2e_database() as db:
        office = db.exec(select(IntermediaryOffice).order_by(IntermediaryOffice.id)).first()
        for i in range(28):
            db.add(Employer(name=f"{EXTRA} {i:02d} B.V.", kvk_number=f"900000{i:02d}", office_id=office.id))
    try:
        yield 28
    finally:
        with e2e_database() as db:
            db.exec(delete(Employer).where(col(Employer.name).startswith(EXTRA)))  # type: ignore[call-overload]


def test_search_sort_and_paging(page: Page, many_employers: int) -> None:
    total = len(_office_ids())
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    table = page.get_by_role("table", name="Werkgevers in uw portefeuille")
    rows = table.locator("tbody tr")
    expect(page.locator("#employer-range")).to_have_text(f"1–25 van {total}")
    expect(rows).to_have_count(25)
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator("#employer-page")).to_have_text("Pagina 2 van 2")
    expect(rows).to_have_count(total - 25)

    page.get_by_label("Zoek werkgever (naam of KvK-nummer)").fill("noordkade")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#employer-page")).to_have_text("Pagina 1 van 1")
    expect(rows).to_have_count(2)  # Noordkade Logistiek and its sister company
    expect(rows.first).to_contain_text("Noordkade")

    page.get_by_label("Zoek werkgever (naam of KvK-nummer)").fill("9000001")
    page.get_by_role("button", name="Zoeken").click()
    expect(rows).to_have_count(10)  # KvK numbers 90000010 .. 90000019
    page.get_by_role("button", name="KvK-nummer").click()  # ascending
    expect(rows.first).to_contain_text("90000010")
    page.get_by_role("button", name="KvK-nummer").click()  # descending
    expect(rows.first).to_contain_text("90000019")
    expect(table.locator("th[aria-sort=descending]")).to_contain_text("KvK-nummer")

    page.get_by_label("Zoek werkgever (naam of KvK-nummer)").fill("")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name="Actief").click()
    page.get_by_role("button", name="Actief").click()  # most active participants first
    expect(rows.first).to_contain_text("Noordkade Distributie B.V.")


def test_dashboard_updates_live_when_a_change_waits_for_review(browser: Browser, server: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, locale="nl-NL")
    page = context.new_page()
    waiting: list[int] = []
    try:
        login(page, "adviser", DEMO_SECRETS["adviser"])
        wait_ready(page, "/intermediary")
        before = _figure(page, "reviews")
        expect(before).not_to_be_empty()
        count = int(before.inner_text().replace(".", ""))
        row = page.locator("#portfolio tbody tr").filter(has_text="Noordkade Logistiek B.V.")
        waiting.append(_needs_review(pick(30), "64000"))  # submitted by the employer's HR user, through the service
        expect(_figure(page, "reviews")).to_have_text(fmt.number(count + 1, "nl"), timeout=10_000)  # no reload
        expect(row).to_contain_text("Vraagt aandacht")
        only = page.get_by_label("Alleen werkgevers die aandacht vragen")
        only.click()  # the box shows what the server applied
        expect(only).to_be_checked()
        flagged = page.locator("#portfolio tbody tr")
        expect(flagged.filter(has_text="Noordkade Logistiek B.V.")).to_have_count(1)
        expect(flagged.filter(has_not_text="Vraagt aandacht")).to_have_count(0)
    finally:
        context.close()
        with e2e_database() as db:  # leave the review queue as the other tests expect it
            for m in db.exec(select(Mutation).where(col(Mutation.id).in_(waiting))):
                m.status = "rejected"
                db.add(m)


def test_dashboard_has_no_serious_violations(page: Page) -> None:
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    expect(page.locator("#chart-premium")).to_be_visible()
    expect(page.locator("#portfolio tbody tr").first).to_be_visible()
    assert serious_violations(page) == []


def test_dashboard_fits_a_phone(phone: Page) -> None:
    login(phone, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(phone, "/intermediary")
    employers = phone.get_by_role("list", name="Werkgevers in uw portefeuille")
    expect(employers.get_by_role("link", name="Noordkade Logistiek B.V.")).to_be_visible()
    expect(phone.locator("#chart-premium")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
