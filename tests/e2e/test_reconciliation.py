"""End-to-end: reconciliation with the insurer (INT-7) — the adviser uploads a small insurer list (csv) for an
employer of the portfolio (a file with missing columns first: the job's reason at the field), the comparison runs
as a background job that the page follows, then the report with its totals (no serious axe violations), turns a
difference into a task, finds the report again on a new visit, and the task in the to-do list. For a scheme
coupled with an insurer, "fetch from the insurer" compares the records the test insurer process has received."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import Contract, CouplingSetting, Employer, Scheme
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready
from tests.e2e.test_accessibility import serious_violations
from tests.insurer import TestInsurer

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


EMPLOYER = "Noordkade Logistiek B.V."


@pytest.fixture
def coupled_scheme(test_insurer: TestInsurer) -> Iterator[int]:
    """Noordkade's OP scheme with its insurer's coupling switched on (scheme scope), for this test only."""
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == EMPLOYER)).one()
        scheme = db.exec(select(Scheme).where(Scheme.employer_id == employer.id, Scheme.kind == "OP")).one()
        contract = db.get(Contract, scheme.contract_id)
        assert contract is not None and employer.office_id is not None
        setting = CouplingSetting(
            office_id=employer.office_id, insurer_id=contract.insurer_id, scope=f"scheme:{scheme.id}",
            employer_id=employer.id, scheme_id=scheme.id, enabled=True,
        )  # fmt: skip
        db.add(setting)
        db.commit()
        setting_id, scheme_id = setting.id, scheme.id or 0
    try:
        yield scheme_id
    finally:
        with e2e_database() as db:
            found = db.get(CouplingSetting, setting_id)
            if found is not None:
                db.delete(found)
                db.commit()


def test_fetch_from_the_insurer_compares_what_it_received(
    page: Page, coupled_scheme: int, test_insurer: TestInsurer
) -> None:
    key = uuid.uuid4().hex
    person = {"bsn": "123456782", "birth_date": "1980-02-01", "last_name": "Verzekerd", "salary": "50000.00",
              "parttime": "100"}  # fmt: skip
    payload = {"kind": "hire", "participant_number": "TI-E2E-1", "values": person}
    body = {"message_id": 1, "idempotency_key": key, "kind": "hire", "employer": 1, "scheme": coupled_scheme,
            "participation": f"e2e-{key}", "payload": payload}  # fmt: skip
    sent = test_insurer.post(body)
    assert sent.status_code == 201, sent.text
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    goto(page, "/intermediary/reconciliation")
    page.get_by_label("Werkgever").select_option(label=EMPLOYER)
    page.get_by_label("Regeling").select_option(value=str(coupled_scheme))
    page.get_by_label("Peildatum").fill("2026-06-01")
    page.get_by_role("button", name="Ophalen bij de verzekeraar").click()
    expect(page.get_by_role("heading", name="Verschillen")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Verzekerd bij verzekeraar, onbekend in portaal: 1")).to_be_visible()
    page.get_by_label("Soort verschil").select_option("insured_unknown")  # the report's other rows come first
    expect(page.get_by_role("button", name="Maak taak: TI-E2E-1 Verzekerd")).to_be_visible()

    test_insurer.control(records_answer=[503, json.dumps({"message": "onderhoud bij de verzekeraar"})])
    try:
        page.get_by_role("button", name="Ophalen bij de verzekeraar").click()
        expect(page.get_by_role("alert").filter(has_text="onderhoud bij de verzekeraar")).to_be_visible(timeout=30_000)
    finally:
        test_insurer.control(records_answer=None)
