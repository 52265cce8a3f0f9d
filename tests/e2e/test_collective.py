"""End-to-end: a collective salary change (BULK-1) through the page and the in-process job queue — download,
fill, upload a file with a bad row (report at the row), upload the corrected file, apply, see it processed —
and the batch list in "submitted changes collective" (EMP-6)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import Mutation, Participation
from tests.e2e.conftest import e2e_database, wait_ready
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_employer_pages import sign_in

pytestmark = pytest.mark.e2e


def _save(rows: list[list[object]], path: Path) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def _upload(page: Page, path: Path) -> None:
    page.get_by_label(re.compile("Ingevuld bestand")).set_input_files(str(path))
    page.get_by_role("button", name="Uploaden en controleren").click()


def test_collective_salary_change_with_report_then_applied(page: Page, tmp_path: Path) -> None:
    sign_in(page, "employer.hr", "/employer/collective")
    assert serious_violations(page) == []
    page.get_by_label("Ingangsdatum").fill("2026-12-01")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Excel-bestand").click()
    data = Path(download.value.path()).read_bytes()
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]
    assert rows[0][5] == "Nieuw fulltime salaris" and len(rows) > 100
    target, other = str(rows[5][0]), str(rows[6][0])
    rows[5][5] = 61000
    rows[6][5] = "ongeveer veel"  # text in a number column
    _upload(page, _save(rows, tmp_path / "salaris-fout.xlsx"))
    panel = page.locator("#batch-panel")
    expect(panel).to_contain_text("Afgekeurd", timeout=30_000)
    expect(page.locator("#batch-issues")).to_contain_text(f"Regel 7, kolom F ({other})")
    with page.expect_download() as report:
        panel.get_by_role("link", name="Download het bestand met foutmeldingen").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(report.value.path()).read_bytes()))
    report_rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    assert report_rows[0][-1] == "Foutmelding" and f"({other})" in report_rows[6][-1]

    rows[6][5] = None
    _upload(page, _save(rows, tmp_path / "salaris.xlsx"))
    expect(panel).to_contain_text("Gecontroleerd, wacht op doorvoeren", timeout=30_000)
    expect(panel).to_contain_text("1 deelnemer(s) wijzigen")
    page.get_by_role("button", name="Wijzigingen doorvoeren").click()
    expect(panel).to_contain_text("Verwerkt", timeout=30_000)
    expect(panel).to_contain_text("1 deelnemer(s) gewijzigd")
    copy = tmp_path / "salaris-kopie.xlsx"  # the same file again, under another name: refused (BULK-5)
    copy.write_bytes((tmp_path / "salaris.xlsx").read_bytes())
    _upload(page, copy)
    expect(page.locator("#bulk-file-error")).to_contain_text("al eerder geüpload")

    page.goto("/employer/changes?view=collective")
    wait_ready(page, "/employer/changes")
    table = page.locator("#batches")
    expect(table.get_by_role("row", name=re.compile("salaris.xlsx"))).to_contain_text("Verwerkt")
    expect(table.get_by_role("row", name=re.compile("salaris-fout.xlsx"))).to_contain_text("Afgekeurd")
    # the change is stored from the chosen date on (and only that participant changed)
    with e2e_database() as db:
        changed = db.exec(select(Mutation).where(Mutation.channel == "excel")).all()
        assert [(m.effective_date, json.loads(m.new_values)) for m in changed] == [
            (date(2026, 12, 1), {"salary": "61000.00"})
        ]
        number = db.exec(
            select(Participation.participant_number).where(Participation.id == changed[0].participation_id)
        )
        assert number.one() == target


def test_example_row_and_wrong_file_type_are_reported(page: Page, tmp_path: Path) -> None:
    sign_in(page, "employer.hr", "/employer/collective")
    page.get_by_role("tab", name="Nieuwe deelnemers").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download invulbestand").click()
    template = tmp_path / "nieuwe-deelnemers.xlsx"
    template.write_bytes(Path(download.value.path()).read_bytes())
    _upload(page, template)
    expect(page.locator("#batch-issues")).to_contain_text("Regel 2 is nog de voorbeeldregel", timeout=30_000)
    notes = tmp_path / "deelnemers.csv"
    notes.write_bytes(b"BSN;Achternaam\n123456782;Nieuw\n")
    _upload(page, notes)
    expect(page.locator("#batch-issues")).to_contain_text("Dit is geen Excel-bestand", timeout=30_000)


def test_checked_batch_is_discarded_and_the_same_file_accepted_again(page: Page, tmp_path: Path) -> None:
    sign_in(page, "employer.hr", "/employer/collective")
    page.get_by_label("Ingangsdatum").fill("2026-12-01")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Excel-bestand").click()
    data = Path(download.value.path()).read_bytes()
    rows = [list(r) for r in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True)]
    rows[9][5] = 64321
    first = _save(rows, tmp_path / "salaris-intrekken.xlsx")
    _upload(page, first)
    panel = page.locator("#batch-panel")
    expect(panel).to_contain_text("Gecontroleerd, wacht op doorvoeren", timeout=30_000)
    panel.get_by_role("button", name="Intrekken").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Wijziging intrekken?")
    dialog.get_by_role("button", name="Intrekken").click()
    expect(panel).to_contain_text("Ingetrokken")
    expect(panel.get_by_role("button", name="Wijzigingen doorvoeren")).to_have_count(0)

    again = tmp_path / "salaris-opnieuw.xlsx"  # the same file: accepted now that the first is discarded
    again.write_bytes(first.read_bytes())
    _upload(page, again)
    expect(panel).to_contain_text("Gecontroleerd, wacht op doorvoeren", timeout=30_000)
    expect(page.locator("#bulk-file-error")).to_have_text("")

    page.goto("/employer/changes?view=collective")
    wait_ready(page, "/employer/changes")
    table = page.locator("#batches")
    expect(table.get_by_role("row", name=re.compile("salaris-intrekken.xlsx"))).to_contain_text("Ingetrokken")
    table.get_by_role("button", name="Intrekken: salaris-opnieuw.xlsx").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Intrekken").click()
    expect(table.get_by_role("row", name=re.compile("salaris-opnieuw.xlsx"))).to_contain_text("Ingetrokken")
    with e2e_database() as db:
        assert not db.exec(select(Mutation).where(Mutation.new_values.contains("64321"))).all()
