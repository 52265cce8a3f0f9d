"""End-to-end: tasks (INT-3). An adviser creates an advice task, comments on it and completes it; a second
adviser of the office checks it (the first cannot check their own task); an exit makes an advice task; the
tasks page has no serious accessibility violations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.core import totp_secrets
from portal.domain.roles import FrontEnd, Role
from portal.models import AuditEvent, Employer, IntermediaryOffice, Participation, RoleGrant, Task, UserAccount
from portal.services import mutations
from portal.services.principal import Principal
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready, wait_url
from tests.e2e.test_accessibility import serious_violations
from tests.e2e.test_wizards import pick

pytestmark = pytest.mark.e2e

CHECKER = "task.checker"
CHECKER_SECRET = "ONSWG4TFORXW63THMFZXI5DBONVXGZLS"
TITLE = "Adviesgesprek waardeoverdracht plannen"


def _second_adviser() -> None:
    """A second adviser of the demo office (same password as the demo accounts)."""
    with e2e_database() as db:
        if db.exec(select(UserAccount).where(UserAccount.username == CHECKER)).first():
            return
        adviser = db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one()
        grant = db.exec(select(RoleGrant).where(RoleGrant.user_id == adviser.id)).one()
        user = UserAccount(
            username=CHECKER,
            email="checker@office.example",
            display_name="Bram Controleur",
            status="active",
            password_hash=adviser.password_hash,
            totp_secret=totp_secrets.seal(CHECKER_SECRET),
            activated_at=adviser.activated_at,
            password_changed_at=adviser.password_changed_at,
        )
        db.add(user)
        db.flush()
        db.add(RoleGrant(user_id=user.id or 0, role=Role.ADVISER, office_id=grant.office_id))


def _exit(number: str) -> int:
    """An exit submitted by the demo HR user (it makes an exit advice task for the office)."""
    with e2e_database() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == "employer.hr")).one()
        employer = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        part = db.exec(
            select(Participation).where(
                Participation.employer_id == employer.id, Participation.participant_number == number
            )
        ).first()
        hr = Principal(
            user_id=user.id or 0,
            username="employer.hr",
            display_name=user.display_name,
            front_end=FrontEnd.EMPLOYER,
            roles=frozenset({"hr"}),
            employer_ids=frozenset({employer.id or 0}),
        )
        m = mutations.submit_exit(db, hr, part.id, date.today().isoformat(), part.version)
        return m.id or 0


def _task(title: str) -> Task:
    with e2e_database() as db:
        return db.exec(select(Task).where(Task.title == title)).one()


def test_create_comment_complete_and_a_second_advisers_check(page: Page) -> None:
    _second_adviser()
    mutation_id = _exit(pick(40))
    login(page, "adviser", DEMO_SECRETS["adviser"], land=False)
    goto(page, "/intermediary/tasks")
    page.get_by_role("button", name="Alle taken van het kantoor").click()
    tasks = page.locator("#tasks")
    expect(tasks).to_contain_text("Uitdiensttreding: informeer werknemer en verzekeraar")
    with e2e_database() as db:
        made = db.exec(select(Task).where(Task.source_key == f"mutation:{mutation_id}:exit")).one()
        assert made.kind == "advice_exit" and made.needs_check

    new = page.get_by_role("region", name="Nieuwe taak")
    new.get_by_label("Werkgever").select_option(label="Noordkade Logistiek B.V.")
    new.get_by_label("Soort taak").select_option(label="Advies bij uitdiensttreding")
    new.get_by_label("Titel").fill(TITLE)
    new.get_by_label("Uiterlijk klaar op").fill((date.today() + timedelta(days=7)).isoformat())
    new.get_by_label("Behandelaar").select_option(label="Anouk van Leeuwen")
    new.get_by_role("button", name="Taak aanmaken").click()
    expect(page.get_by_role("status").first).to_contain_text("De taak is aangemaakt.")
    detail = page.locator("#task-detail")
    expect(detail.get_by_role("heading", name=TITLE)).to_be_visible()

    detail.get_by_label("Opmerking (max. 5.000 tekens)").fill("Werknemer gebeld; brief volgt.")
    detail.get_by_role("button", name="Opmerking toevoegen").click()
    expect(detail).to_contain_text("Werknemer gebeld; brief volgt.")
    expect(detail).to_contain_text("Anouk van Leeuwen")

    detail.get_by_role("button", name="Afronden").click()
    expect(detail).to_contain_text("Wacht op controle")
    detail.get_by_role("button", name="Controle akkoord").click()  # not by the assignee
    expect(detail).to_contain_text("De controle moet door een andere adviseur dan de behandelaar worden gedaan.")
    assert _task(TITLE).status == "waiting"

    page.context.clear_cookies()
    login(page, CHECKER, CHECKER_SECRET, land=False)
    goto(page, "/intermediary/tasks")
    page.get_by_role("button", name="Alle taken van het kantoor").click()
    page.locator("#tasks").get_by_role("button", name=TITLE).click()
    detail.get_by_role("button", name="Controle akkoord").click()
    expect(page.get_by_role("status").first).to_contain_text("De controle is vastgelegd.")
    task = _task(TITLE)
    assert task.status == "done" and task.checked_by is not None and task.checked_by != task.completed_by


def test_tasks_page_has_no_serious_violations_and_the_daily_mail_can_be_turned_off(page: Page) -> None:
    login(page, "adviser", DEMO_SECRETS["adviser"], land=False)
    goto(page, "/intermediary/tasks")
    page.get_by_role("button", name="Alle taken van het kantoor").click()
    expect(page.locator("#tasks")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("checkbox", name="Stuur mij elke ochtend een mail met mijn taken van die dag").click()
    expect(page.get_by_role("status").first).to_contain_text("U krijgt geen dagelijkse takenmail meer.")
    with e2e_database() as db:
        assert db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one().notify_tasks is False
    page.get_by_role("checkbox", name="Stuur mij elke ochtend een mail met mijn taken van die dag").click()
    expect(page.get_by_role("status").first).to_contain_text("U krijgt de dagelijkse takenmail.")


def _foreign_and_own_task() -> tuple[int, int]:
    """A task of another office (its own employer) and one of the demo office."""
    with e2e_database() as db:
        office = IntermediaryOffice(name="Zuidkade Advies", kvk_number="87654321")
        db.add(office)
        db.flush()
        theirs = Employer(name="Zuidkade Bouw", kvk_number="11223344", office_id=office.id)
        db.add(theirs)
        db.flush()
        foreign = Task(
            office_id=office.id or 0, kind="general", title="Geheim van Zuidkade", employer_id=theirs.id or 0
        )
        demo = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        own = Task(office_id=demo.office_id or 0, kind="general", title="Eigen taak via link", employer_id=demo.id or 0)
        db.add_all([foreign, own])
        db.flush()
        return foreign.id or 0, own.id or 0


def test_a_deep_link_opens_an_own_task_and_refuses_another_offices(page: Page) -> None:
    foreign, own = _foreign_and_own_task()
    login(page, "adviser", DEMO_SECRETS["adviser"])
    page.goto(f"/intermediary/tasks?task={own}")
    wait_ready(page, "/intermediary/tasks")
    expect(page.locator("#task-detail").get_by_role("heading", name="Eigen taak via link")).to_be_visible()
    page.goto(f"/intermediary/tasks?task={foreign}")
    wait_url(page, "/no-access")
    expect(page.locator("#task-detail")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("Geheim van Zuidkade")
    with e2e_database() as db:
        refusals = db.exec(
            select(AuditEvent).where(
                AuditEvent.action == "access.denied", AuditEvent.object_id == f"/intermediary/tasks?task={foreign}"
            )
        ).all()
        assert len(refusals) == 1 and "other_office" in refusals[0].detail and refusals[0].actor_name == "adviser"


def test_a_task_from_a_link_about_a_participant(page: Page) -> None:
    number = pick(41)
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        part = db.exec(
            select(Participation).where(
                Participation.employer_id == employer.id, Participation.participant_number == number
            )
        ).first()
        employer_id, part_id = employer.id, part.id
    login(page, "adviser", DEMO_SECRETS["adviser"])
    page.goto(f"/intermediary/tasks?employer={employer_id}&participation={part_id}")
    wait_ready(page, "/intermediary/tasks")
    new = page.get_by_role("region", name="Nieuwe taak")
    expect(new).to_contain_text(f"De nieuwe taak gaat over deelnemer {number}.")
    new.get_by_label("Titel").fill("Nabellen over de partnergegevens")
    new.get_by_role("button", name="Taak aanmaken").click()
    expect(page.get_by_role("status").first).to_contain_text("De taak is aangemaakt.")
    detail = page.locator("#task-detail")
    expect(detail.get_by_role("heading", name="Nabellen over de partnergegevens")).to_be_visible()
    task = _task("Nabellen over de partnergegevens")
    assert (task.employer_id, task.participation_id) == (employer_id, part_id)
    expect(new).not_to_contain_text("De nieuwe taak gaat over deelnemer")  # the link counts for one task only
    new.get_by_label("Werkgever").select_option(str(employer_id))
    new.get_by_label("Titel").fill("Jaargesprek inplannen")
    new.get_by_role("button", name="Taak aanmaken").click()
    # the new task opens (the status line still says the first one was made: not a sign of the second)
    expect(detail.get_by_role("heading", name="Jaargesprek inplannen")).to_be_visible()
    later = _task("Jaargesprek inplannen")
    assert (later.employer_id, later.participation_id) == (employer_id, None)


def test_reassign_selected_tasks(page: Page) -> None:
    _second_adviser()
    titles = ("Herverdelen een", "Herverdelen twee")
    with e2e_database() as db:
        adviser = db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one()
        demo = db.exec(select(Employer).where(Employer.name == "Noordkade Logistiek B.V.")).one()
        for title in titles:
            db.add(Task(office_id=demo.office_id or 0, kind="general", title=title, employer_id=demo.id or 0,
                        assignee_id=adviser.id, due_date=date.today() - timedelta(days=1)))  # fmt: skip
    login(page, "adviser", DEMO_SECRETS["adviser"], land=False)
    goto(page, "/intermediary/tasks")
    table = page.locator("#tasks")
    for title in titles:
        row = table.get_by_role("row", name=title)
        expect(row).to_contain_text("Te laat")  # overdue, in words
        row.get_by_role("checkbox", name=title).click()
    page.get_by_label("Geselecteerde taken toewijzen aan").select_option(label="Bram Controleur")
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.get_by_role("status").first).to_contain_text("2 taken toegewezen.")
    expect(table).not_to_contain_text(titles[0])  # no longer on my list
    with e2e_database() as db:
        checker_id = db.exec(select(UserAccount).where(UserAccount.username == CHECKER)).one().id
    assert {_task(t).assignee_id for t in titles} == {checker_id}


def test_the_task_list_on_a_phone_is_cards_with_labelled_values(phone: Page) -> None:
    """On a 390-px phone the list is one card per task (no table wider than the screen): the title opens the
    task, every value stands under its label, and the sort column is a labelled choice."""
    login(phone, "adviser", DEMO_SECRETS["adviser"], land=False)
    goto(phone, "/intermediary/tasks")
    expect(phone.locator("#tasks")).not_to_be_visible()
    cards = phone.get_by_role("list", name="Taken").get_by_role("listitem")
    expect(cards.first).to_be_visible()
    first = cards.first
    for label in ("Werkgever:", "Soort:", "Behandelaar:", "Uiterlijk:", "Wedervoorlegging:", "Status:"):
        expect(first).to_contain_text(label)
    box = first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    phone.get_by_label("Sorteren op").select_option(label="Werkgever")
    expect(phone.get_by_label("Sorteren op")).to_have_value("employer")
    title = first.get_by_role("button").first.inner_text()
    first.get_by_role("button").first.click()
    expect(phone.locator("#task-detail").get_by_role("heading", name=title)).to_be_visible()
    assert serious_violations(phone) == []
