"""End-to-end: HR generates the benefit statements of a scheme (DOC-3) and opens one from the participant
detail; the home and scheme pages show the charts (EMP-11) with their titles and text summaries; axe finds
no serious violations; the scheme page fits a phone."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlmodel import col, func, select

from portal.models import Document, Employer, Participation
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e

CHART_TITLES = (
    re.compile(r"^Premie per maand in \d{4}$"),
    re.compile("^Premie en dekking per regeling$"),
    re.compile("^Deelnemers per status$"),
    re.compile("^Leeftijd van actieve deelnemers$"),
    re.compile("^Fulltime jaarsalaris van actieve deelnemers$"),
)


def _shot(name: str):
    from tests.conftest import _VAR

    return _VAR / name


def statement_count() -> int:
    with e2e_database() as db:
        return db.exec(select(func.count()).select_from(Document).where(Document.kind == "benefit_statement")).one()


def test_home_shows_the_charts_with_titles_and_summaries(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"], land=False)
    goto(page, "/employer")
    charts = page.get_by_role("region", name="Cijfers in beeld")
    expect(charts).to_be_visible()
    for title in CHART_TITLES:
        figure = charts.get_by_role("figure", name=title)
        expect(figure).to_be_visible()
        expect(figure.locator(".main-svg").first).to_be_attached(timeout=30_000)  # plotly has drawn it
    status = charts.get_by_role("figure", name="Deelnemers per status")
    expect(status.locator("figcaption")).to_contain_text(re.compile(r"Actief: \d+"))
    premium = charts.get_by_role("figure", name=CHART_TITLES[0])
    expect(premium.locator("figcaption")).to_contain_text("€ ")
    assert serious_violations(page) == []
    # Dark mode: rx.plotly switches to its dark template (light tick labels), and the page stays accessible.
    tick = status.page.locator("#chart-age .xtick text").first
    light_fill = tick.evaluate("e => getComputedStyle(e).fill")
    page.get_by_role("button", name="Wissel licht/donker").click()
    page.wait_for_function("document.documentElement.classList.contains('dark')")
    expect(tick).not_to_have_css("fill", light_fill, timeout=10_000)
    page.screenshot(path=str(_shot("home-dark.png")), full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("button", name="Wissel licht/donker").click()  # back to light for the other tests
    page.wait_for_function("!document.documentElement.classList.contains('dark')")


def test_hr_generates_statements_and_opens_one_from_the_detail(page: Page) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"], land=False)
    goto(page, "/employer/scheme")
    section = page.locator("#statements")
    expect(section.get_by_role("heading", name="Pensioenoverzichten")).to_be_visible()
    expect(page.get_by_label("Jaar", exact=True)).to_be_visible()
    button = page.get_by_role("button", name=re.compile(r"^Overzichten maken voor \d{4}$"))
    year = re.search(r"\d{4}", button.inner_text()).group(0)
    button.click()
    expect(page.get_by_role("status").filter(has_text="Klaar:")).to_contain_text("overzichten gemaakt", timeout=120_000)
    made = statement_count()
    assert made > 250
    expect(page.get_by_role("region", name="Cijfers in beeld").get_by_role("figure")).to_have_count(5)
    assert serious_violations(page) == []
    # Running it again replaces, never doubles.
    button.click()
    expect(page.get_by_role("status").filter(has_text="Klaar:")).to_be_visible(timeout=120_000)
    page.wait_for_timeout(500)
    assert statement_count() == made

    goto(page, "/employer/participants/100001")
    history = page.get_by_role("table", name="Pensioenoverzichten")
    expect(history).to_be_visible()
    link = history.get_by_role("link", name=f"Pensioenoverzicht {year} openen (PDF)")
    expect(link).to_have_attribute("href", re.compile(r"^/files/"))
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    text = PdfReader(BytesIO(response.body())).pages[0].extract_text()
    assert f"Pensioenoverzicht {year}" in text and "Assob, G., ter" in text and "€ " in text
    with page.expect_popup() as popup:
        link.click()
    assert "/files/" in popup.value.url
    assert serious_violations(page) == []


def test_a_participant_who_was_not_active_gets_a_clear_message(page: Page) -> None:
    """Someone who joined after 1 January gets no statement of this year: a reason, no file."""
    with e2e_database() as db:
        number = db.exec(
            select(Participation.participant_number)
            .join(Employer, col(Employer.id) == Participation.employer_id)
            .where(
                Employer.name == "Noordkade Logistiek B.V.", Participation.start_date > date(date.today().year, 1, 1)
            )
            .order_by(Participation.participant_number)
        ).first()
    if number is None:
        pytest.skip("no participant of the demo employer joined this year")
    before = statement_count()
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"], land=False)
    goto(page, f"/employer/participants/{number}")
    page.get_by_role("button", name=re.compile(r"^Overzicht \d{4} maken$")).click()
    expect(page.get_by_role("alert")).to_contain_text("niet actief")
    assert statement_count() == before


def test_scheme_page_with_charts_fits_a_phone(phone: Page) -> None:
    login(phone, "employer.hr", DEMO_SECRETS["employer.hr"], land=False)
    goto(phone, "/employer/scheme")
    expect(phone.get_by_role("button", name=re.compile("^Overzichten maken voor"))).to_be_visible()
    expect(phone.get_by_role("figure", name="Deelnemers per status")).to_be_visible()
    # every chart has been drawn (plotly's svg is in each figure) before the page's width is measured
    phone.wait_for_function(
        "[...document.querySelectorAll('figure')].every(f => f.querySelector('.js-plotly-plot .main-svg'))"
    )
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
