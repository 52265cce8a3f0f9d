"""End-to-end: the employee who signed in with the eID signs a deferred-compensation agreement on a 390 × 844
phone with a fresh eID sign-in (EE-5, AUTH-6): "Ondertekenen met eID" on the form page, the provider asks for a
new sign-in, and the form page says it is signed and waits for the countersignature."""

from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import AuditEvent, Form
from portal.services import files, forms
from portal.services.forms.flow import FOLDER
from tests.e2e.conftest import assert_fits_the_phone, goto, server_files, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.services.employer_fixtures import demo_employer, participation_of, principal_of, schemes_of

pytestmark = pytest.mark.e2e

DC = "deferred_compensation"
SCREENSHOT = "/tmp/form_eid_sign_phone.png"


def _prepared_dc() -> int:
    """A complete deferred-compensation agreement for the demo employee, sent (in the server's database)."""
    with server_files() as db:
        employer = demo_employer(db)
        part = participation_of(db, schemes_of(db, employer.id)["OP"])
        values = {"amount": "150", "start_date": date.today().replace(day=1).isoformat()}
        [fid] = forms.prepare(db, principal_of(db, "employer.hr"), employer.id, DC, [part.id], values).form_ids
        return fid


def _remove(fid: int) -> None:
    """The form goes again (test_forms.py prepares the demo employee's agreement from an empty list)."""
    with server_files() as db:
        form = db.get(Form, fid)
        if form is not None:
            files.stored_path(FOLDER, form.stored_name).unlink(missing_ok=True)
            db.delete(form)
            db.commit()


def _at_provider_as_gijs(phone: Page) -> None:
    expect(phone.get_by_text("Test eID provider")).to_be_visible()
    phone.get_by_role("button", name="Sign in as Gijs ter Assob").click()


def test_the_employee_signs_with_a_fresh_eid_sign_in_on_the_phone(phone: Page) -> None:
    fid = _prepared_dc()
    try:
        goto(phone, "/login")
        phone.get_by_role("link", name="Inloggen met eID").click()
        _at_provider_as_gijs(phone)
        wait_url(phone, "/employee")
        phone.goto(f"/employee/forms/{fid}")
        expect(phone.locator("#form-title")).to_contain_text("salarisuitruil")
        button = phone.get_by_role("link", name="Ondertekenen met eID")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and box["height"] >= 44
        expect(phone.get_by_label("Verificatiecode")).to_be_visible()  # the demo account has an app too
        assert_fits_the_phone(phone)
        assert serious_violations(phone) == []
        button.scroll_into_view_if_needed()
        phone.screenshot(path=SCREENSHOT)
        button.click()
        _at_provider_as_gijs(phone)  # prompt=login: the provider asks again although it knows the browser
        wait_url(phone, f"/employee/forms/{fid}")
        expect(phone.locator("#form-notice")).to_contain_text("Ondertekend met eID")
        expect(phone.locator(".form-status")).to_have_text("Wacht op medeondertekening")
        expect(phone.get_by_role("link", name="Ondertekenen met eID")).to_have_count(0)
        assert_fits_the_phone(phone)
        with server_files() as db:
            form = db.get(Form, fid)
            assert form is not None and form.status == "waiting_for_countersignature" and form.signed_sha256
            signed = db.exec(select(AuditEvent).where(AuditEvent.action == "form.signed")).all()
            assert [json.loads(e.detail)["method"] for e in signed if e.object_id == str(fid)] == ["eid"]
    finally:
        _remove(fid)
