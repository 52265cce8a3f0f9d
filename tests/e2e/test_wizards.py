"""End-to-end: the change wizards on the participant detail (EMP-4) and the live overview (EMP-2)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import col, func, select

from portal.models import AuditEvent, Employer, Mutation, Participation, Relation, Scheme
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready

pytestmark = pytest.mark.e2e
DEMO_EMPLOYER = "Noordkade Logistiek B.V."


def pick(offset: int, with_partner: bool | None = None) -> str:
    """The participant number of an active OP participant of the demo employer (distinct per test)."""
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == DEMO_EMPLOYER)).one()
        query = (
            select(Participation)
            .join(Scheme, col(Scheme.id) == Participation.scheme_id)
            .where(Participation.employer_id == employer.id, Participation.status == "active", Scheme.kind == "OP")
            .order_by(col(Participation.participant_number))
        )
        partners = set(db.exec(select(Relation.person_id).where(Relation.kind == "partner")).all())
        found = [p for p in db.exec(query).all() if with_partner is None or (p.person_id in partners) == with_partner]
        return found[10 + offset].participant_number


def mutations_of(number: str) -> int:
    with e2e_database() as db:
        return db.exec(
            select(func.count())
            .select_from(Mutation)
            .join(Participation, col(Participation.id) == Mutation.participation_id)
            .where(Participation.participant_number == number)
        ).one()


def open_detail(page: Page, number: str) -> None:
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    goto(page, f"/employer/participants/{number}")
    expect(page.locator("#participant-name")).to_be_visible()
    expect(page.locator("#participant-new-task")).to_have_count(0)  # the adviser's task link: not for the employer


def test_salary_change_wizard_refuses_bad_input_then_submits(page: Page) -> None:
    number = pick(0)
    open_detail(page, number)
    page.get_by_role("button", name="Salaris en/of parttimepercentage wijzigen").click()
    dialog = page.get_by_role("dialog")
    too_far = (date.today() + timedelta(days=200)).isoformat()
    dialog.get_by_label("Ingangsdatum").fill(too_far)
    dialog.get_by_label("Fulltime jaarsalaris (bruto)").fill("60.000,00")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-effective-error")).not_to_be_empty()
    dialog.get_by_label("Ingangsdatum").fill(date.today().replace(day=1).isoformat())
    dialog.get_by_label("Parttimepercentage").fill("100,0001")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-parttime-error")).not_to_be_empty()
    dialog.get_by_label("Fulltime jaarsalaris (bruto)").fill("-5")
    dialog.get_by_label("Parttimepercentage").fill("")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-salary-error")).not_to_be_empty()
    assert mutations_of(number) == 0, "refused input must not save anything"

    dialog.get_by_label("Fulltime jaarsalaris (bruto)").fill("60.000,00")
    dialog.get_by_label("Parttimepercentage").fill("80")
    dialog.get_by_role("button", name="Volgende").click()
    summary = dialog.locator("#wizard-summary")
    expect(summary).to_contain_text("€ 60.000,00")
    expect(summary).to_contain_text("80,000%")
    expect(dialog.get_by_text("Nog niet ingediend")).to_be_visible()
    assert mutations_of(number) == 0, "a summary is not a submission"
    for box in dialog.get_by_role("checkbox").all():  # plausibility warnings, if any, must be acknowledged
        box.check()
    dialog.get_by_role("button", name="Wijziging indienen").click()
    expect(dialog.get_by_role("status")).to_contain_text("Uw wijziging is ingediend")
    dialog.get_by_role("button", name="Sluiten").click()
    expect(page.locator("#history")).to_contain_text("Salaris/parttime")
    assert mutations_of(number) == 1


def test_exit_wizard_refuses_exit_before_hire_then_submits(page: Page) -> None:
    number = pick(1)
    open_detail(page, number)
    page.get_by_role("button", name="Uitdiensttreding doorgeven").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Datum uit dienst").fill("1990-01-01")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-exit_date-error")).not_to_be_empty()
    assert mutations_of(number) == 0
    dialog.get_by_label("Datum uit dienst").fill(date.today().isoformat())
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#wizard-summary")).to_be_visible()
    for box in dialog.get_by_role("checkbox").all():
        box.check()
    dialog.get_by_role("button", name="Wijziging indienen").click()
    expect(dialog.get_by_role("status")).to_contain_text("ingediend")
    dialog.get_by_role("button", name="Sluiten").click()
    expect(page.locator("#history")).to_contain_text("Uitdiensttreding")
    assert mutations_of(number) == 1


def test_partner_wizard_needs_valid_bsn_and_start_date(page: Page) -> None:
    number = pick(2, with_partner=False)
    open_detail(page, number)
    page.get_by_role("button", name="Partner toevoegen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("BSN").fill("123456789")
    dialog.get_by_label("Voorletters").fill("É.")
    dialog.get_by_label("Tussenvoegsel").fill("van 't")
    dialog.get_by_label("Achternaam").fill("<b>Brönte</b>")
    dialog.get_by_label("Geboortedatum").fill("1985-05-05")
    dialog.get_by_label("Soort relatie").select_option("married")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-bsn-error")).not_to_be_empty()
    dialog.get_by_label("BSN").fill("111222333")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-start_date-error")).not_to_be_empty()
    assert mutations_of(number) == 0
    dialog.get_by_label("Ingangsdatum relatie").fill("2020-06-01")
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#wizard-summary")).to_contain_text("<b>Brönte</b>")
    for box in dialog.get_by_role("checkbox").all():
        box.check()
    dialog.get_by_role("button", name="Wijziging indienen").click()
    expect(dialog.get_by_role("status")).to_contain_text("ingediend")
    dialog.get_by_role("button", name="Sluiten").click()
    expect(page.locator("#relations")).to_contain_text("<b>Brönte</b>")  # shown as typed, not as markup
    expect(page.get_by_role("button", name="Partner toevoegen")).to_have_count(0)


def test_child_wizard_refuses_a_birth_date_in_the_future(page: Page) -> None:
    number = pick(3)
    open_detail(page, number)
    page.get_by_role("button", name="Kind toevoegen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("BSN").fill("123456782")
    dialog.get_by_label("Achternaam").fill("Jansen")
    dialog.get_by_label("Geboortedatum").fill((date.today() + timedelta(days=30)).isoformat())
    dialog.get_by_role("button", name="Volgende").click()
    expect(dialog.locator("#f-birth_date-error")).not_to_be_empty()
    dialog.get_by_label("Geboortedatum").fill("2021-03-03")
    dialog.get_by_role("button", name="Volgende").click()
    dialog.get_by_role("button", name="Wijziging indienen").click()
    expect(dialog.get_by_role("status")).to_contain_text("ingediend")


def test_another_employers_participant_is_refused(page: Page) -> None:
    with e2e_database() as db:
        other = db.exec(select(Employer).where(Employer.name == "Bakkerij ter Horst B.V.")).one()
        foreign = db.exec(select(Participation).where(Participation.employer_id == other.id)).first()
        number, scheme = foreign.participant_number, foreign.scheme_id
        denied_before = db.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "access.denied")
        ).one()
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    page.goto(f"/employer/participants/{number}?scheme={scheme}")  # the other employer's scheme and number
    page.wait_for_url(re.compile(r"/no-access/?$"))
    page.goto("/employer/participants/99999999")  # a number that exists nowhere
    page.wait_for_url(re.compile(r"/no-access/?$"))
    with e2e_database() as db:
        denied_after = db.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "access.denied")
        ).one()
    assert denied_after >= denied_before + 2


def test_overview_updates_live_when_another_session_changes_a_salary(browser: Browser, server: str) -> None:
    number = pick(4)
    watcher_ctx, editor_ctx = browser.new_context(base_url=server), browser.new_context(base_url=server)
    watcher, editor = watcher_ctx.new_page(), editor_ctx.new_page()
    try:
        login(watcher, "employer.hr", DEMO_SECRETS["employer.hr"])
        wait_ready(watcher, "/employer")
        goto(watcher, "/employer/participants")
        watcher.get_by_label("Zoeken op naam, deelnemernummer of BSN").fill(number)
        watcher.get_by_role("button", name="Zoeken").click()
        row = watcher.locator("#participants tbody tr").filter(has_text=number)
        expect(row).to_have_count(1)
        expect(row).not_to_contain_text("87,500%")

        open_detail(editor, number)
        editor.get_by_role("button", name="Salaris en/of parttimepercentage wijzigen").click()
        dialog = editor.get_by_role("dialog")
        dialog.get_by_label("Ingangsdatum").fill(date.today().isoformat())
        dialog.get_by_label("Parttimepercentage").fill("87,5")
        dialog.get_by_role("button", name="Volgende").click()
        dialog.get_by_role("button", name="Wijziging indienen").click()
        expect(dialog.get_by_role("status")).to_contain_text("ingediend en verwerkt")

        expect(row).to_contain_text("87,500%", timeout=10_000)  # no reload in the watcher
    finally:
        watcher_ctx.close()
        editor_ctx.close()


def test_new_participant_wizard(page: Page) -> None:
    from portal.domain.identifiers import make_bsn
    from portal.models import Person

    with e2e_database() as db:
        taken = set(db.exec(select(Person.bsn)).all())
    bsn = next(b for b in (make_bsn(900_000 + i) for i in range(100)) if b not in taken)
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    goto(page, "/employer/participants/new")
    if page.get_by_role("button", name="Volgende").count() and page.locator("#scheme-form").count():
        page.locator("#scheme-form input[type=radio]").first.check()
        page.get_by_role("button", name="Volgende").click()
    form = page.locator("#new-participant-form")
    form.get_by_label("BSN").fill("123456789")
    form.get_by_label("Geboortedatum").fill("1990-02-03")
    form.get_by_label("Voorletters").fill("S.")
    form.get_by_label("Roepnaam").fill("Séverine")
    form.get_by_label("Tussenvoegsel").fill("ter")
    form.get_by_label("Achternaam").fill("Haar")
    form.get_by_label("Datum in dienst").fill((date.today() + timedelta(days=200)).isoformat())
    form.get_by_label("Fulltime jaarsalaris (bruto)").fill("48.000")
    form.get_by_role("button", name="Volgende").click()
    expect(form.locator("#f-bsn-error")).not_to_be_empty()
    form.get_by_label("BSN").fill(bsn)
    form.get_by_role("button", name="Volgende").click()
    expect(form.locator("#f-start_date-error")).not_to_be_empty()
    form.get_by_label("Datum in dienst").fill(date.today().replace(day=1).isoformat())
    form.get_by_role("button", name="Volgende").click()
    expect(page.locator("#wizard-summary")).to_contain_text("Séverine")
    with e2e_database() as db:
        assert db.exec(select(Person).where(Person.bsn == bsn)).first() is None, "nothing saved before submit"
    for box in page.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Wijziging indienen").click()
    expect(page.get_by_role("status").filter(has_text="ingediend")).to_be_visible()
    with e2e_database() as db:
        person = db.exec(select(Person).where(Person.bsn == bsn)).one()
        assert (person.first_name, person.name_prefix, person.last_name) == ("Séverine", "ter", "Haar")
