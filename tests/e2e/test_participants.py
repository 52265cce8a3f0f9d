"""End-to-end: the participant overview (EMP-2) — search, sort, paging, status filter — on the demo data."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_SECRETS, goto, login, wait_ready

pytestmark = pytest.mark.e2e


def _money(text: str) -> Decimal:
    return Decimal(text.replace("€", "").replace(".", "").replace(",", ".").strip())


def open_overview(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    goto(page, "/employer/participants")
    expect(page.locator("#participants tbody tr")).to_have_count(25)


def test_overview_shows_formatted_rows_and_searches_on_the_server(page: Page) -> None:
    open_overview(page)
    expect(page.locator("#participant-range")).to_contain_text("1–25 van")
    page.get_by_label("Zoeken op naam, deelnemernummer of BSN").fill("ter assob")
    page.get_by_role("button", name="Zoeken").click()
    row = page.locator("#participants tbody tr").filter(has_text="Assob, G., ter")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("€ 52.242,28")
    expect(row).to_contain_text("100,000%")
    expect(row).to_contain_text("100001")
    page.get_by_label("Zoeken op naam, deelnemernummer of BSN").fill("100001")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#participants tbody tr")).to_have_count(1)


def test_overview_sorts_pages_and_filters(page: Page) -> None:
    open_overview(page)
    page.locator("#sort-salary").click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Fulltime salaris")
    page.locator("#sort-salary").click()
    expect(page.locator("th[aria-sort='descending']")).to_contain_text("Fulltime salaris")
    salaries = [_money(t) for t in page.locator("#participants tbody tr td:nth-child(4)").all_inner_texts()]
    assert salaries == sorted(salaries, reverse=True) and len(salaries) == 25
    first_page_numbers = page.locator("#participants tbody tr td:nth-child(1)").all_inner_texts()
    page.get_by_role("button", name="Volgende pagina").click()
    expect(page.locator("#participant-page")).to_contain_text("Pagina 2 van")
    second = page.locator("#participants tbody tr td:nth-child(1)").all_inner_texts()
    assert not set(first_page_numbers) & set(second)
    page.get_by_label("Status").select_option("dormant")
    expect(page.locator("#participant-page")).to_contain_text("Pagina 1 van")
    badges = page.locator("#participants tbody tr td:nth-child(6)")
    expect(badges.first).to_have_text("Slaper")
    assert set(badges.all_inner_texts()) == {"Slaper"}


def test_finance_user_has_no_participant_overview(page: Page) -> None:
    login(page, "employer.finance", DEMO_SECRETS["employer.finance"])
    wait_ready(page, "/employer")
    page.goto("/employer/participants")
    page.wait_for_url(re.compile(r"/no-access/?$"))
    expect(page.locator("#participants")).to_have_count(0)


def test_overview_as_of_a_past_date_shows_the_old_salary(page: Page) -> None:
    """MUT-3: "Stand per" a day before the salary change of 1 January 2026 shows the salary of that day."""
    open_overview(page)
    search = page.get_by_label("Zoeken op naam, deelnemernummer of BSN")
    search.fill("100001")
    page.get_by_role("button", name="Zoeken").click()
    row = page.locator("#participants tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("€ 52.242,28")
    expect(page.get_by_role("status").filter(has_text="stand per")).to_have_count(0)
    as_of = page.get_by_label("Stand per")
    as_of.fill("2025-06-01")
    page.get_by_role("button", name="Tonen").click()
    expect(row).to_contain_text("€ 50.476,12")
    expect(page.locator("#participant-as-of-note")).to_contain_text("stand per 01-06-2025")
    # The day stays while sorting, filtering and searching.
    page.locator("#sort-salary").click()
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Fulltime salaris")
    page.get_by_label("Status").select_option("active")
    expect(row).to_contain_text("€ 50.476,12")
    search.fill("")
    page.get_by_role("button", name="Zoeken").click()
    expect(row).to_have_count(25)
    page.get_by_role("button", name="Volgende pagina").click()
    expect(page.locator("#participant-page")).to_contain_text("Pagina 2 van")
    expect(page.locator("#participant-as-of-note")).to_contain_text("01-06-2025")
    # Empty is today again.
    as_of.fill("")
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#participant-as-of-note")).to_have_count(0)
    expect(as_of).not_to_have_value("")
    search.fill("100001")
    page.get_by_role("button", name="Zoeken").click()
    expect(row).to_have_count(1)  # wait for the search (a check of 25 rows would fail at once: strict mode)
    expect(row).to_contain_text("€ 52.242,28")
