"""End-to-end: reconciliation with the insurer (INT-7) — the adviser uploads a small insurer list (csv) for an
employer of the portfolio (a file with missing columns first: the reason at the field), sees the report with its
totals (no serious axe violations), turns a difference into a task, finds the report again on a new visit, and
the task in the to-do list."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEMO_SECRETS, goto, login, wait_ready
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e


def test_upload_insurer_list_see_report_and_make_task(page: Page, tmp_path: Path) -> None:
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    goto(page, "/intermediary/reconciliation")
    page.get_by_label("Werkgever").select_option(label="Noordkade Logistiek B.V.")
    page.get_by_label("Peildatum").fill("2026-06-01")
    bad = tmp_path / "fout.csv"
    bad.write_text("Polisnummer;BSN;Status\nX-1;123456782;actief\n", encoding="utf-8")
    page.get_by_label("Lijst van de verzekeraar (xlsx of csv)").set_input_files(str(bad))
    page.get_by_role("button", name="Vergelijken").click()
    expect(page.get_by_role("alert").filter(has_text="De kolommen kloppen niet")).to_be_visible(timeout=20_000)

    good = tmp_path / "verzekeraar.csv"
    good.write_text(
        "Polisnummer;BSN;Geboortedatum;Status;Jaarsalaris;Deeltijd %;Jaarpremie\n"
        "X-1;123456782;01-02-1980;actief;50.000,00;100;4.000,00\n",
        encoding="utf-8",
    )
    page.get_by_label("Lijst van de verzekeraar (xlsx of csv)").set_input_files(str(good))
    page.get_by_role("button", name="Vergelijken").click()
    expect(page.get_by_role("heading", name="Verschillen")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("Verzekerd bij verzekeraar, onbekend in portaal: 1")).to_be_visible()
    expect(page.get_by_role("link", name="Download rapport (xlsx)")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Soort verschil").select_option("insured_unknown")
    page.get_by_role("button", name="Maak taak: X-1").click()
    expect(page.get_by_role("link", name="Taak gemaakt")).to_be_visible(timeout=10_000)
    goto(page, "/intermediary/reconciliation")  # the report is kept: shown again with its task
    page.get_by_label("Werkgever").select_option(label="Noordkade Logistiek B.V.")
    expect(page.get_by_text("Verzekerd bij verzekeraar, onbekend in portaal: 1")).to_be_visible(timeout=20_000)
    goto(page, "/intermediary/tasks")
    expect(page.get_by_text("Afstemming: Verzekerd bij verzekeraar, onbekend in portaal — X-1").first).to_be_visible(
        timeout=20_000
    )
