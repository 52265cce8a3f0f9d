"""End-to-end: the adviser opens the insurer couplings (INT-4), checks an a.s.r. scheme of the small demo employer
before switching it on (the check lists what is missing, with links to fix it, and switching on is refused), follows
the link to the scheme page and switches auto-enrolment of new employees on there, switches the scope on, and a
processed salary change then goes to the outbox (INT-5). The demo seeds this scheme coupled and ready: the test first
puts it back to not ready (auto-enrolment off, its own setting removed), and leaves it coupled again."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from portal.demo.seed import SMALL_NAME
from portal.domain.roles import FrontEnd
from portal.models import CouplingSetting, Employer, Mutation, OutboxMessage, Participation, Scheme, UserAccount
from portal.services import mutations
from portal.services.principal import Principal, acting_for
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login

pytestmark = pytest.mark.e2e


def _small() -> tuple[int, int]:
    """The small employer and its OP scheme, put back to not ready: auto-enrolment off, no setting of its own."""
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == SMALL_NAME)).one()
        scheme = db.exec(select(Scheme).where(Scheme.employer_id == employer.id, Scheme.kind == "OP")).one()
        scheme.auto_enrol = False
        db.add(scheme)
        for setting in db.exec(select(CouplingSetting).where(CouplingSetting.scope == f"scheme:{scheme.id}")).all():
            db.delete(setting)
        db.commit()
        return employer.id or 0, scheme.id or 0


def _message_status(mutation_id: int) -> str:
    with e2e_database() as db:
        return db.exec(select(OutboxMessage.status).where(OutboxMessage.mutation_id == mutation_id)).one()


def _auto_enrol(scheme_id: int) -> bool:
    with e2e_database() as db:
        return db.get(Scheme, scheme_id).auto_enrol  # type: ignore[union-attr]


def _salary_change(page: Page, employer_id: int, scheme_id: int) -> tuple[int, str]:
    """A plain raise (no warning, so processed at once) of the small employer's first active OP participant, made
    by the adviser acting for the employer through the wizard: the app's own commit queues its delivery job."""
    with e2e_database() as db:
        user = db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one()
        part = db.exec(
            select(Participation)
            .where(Participation.scheme_id == scheme_id, Participation.status == "active")
            .order_by(col(Participation.participant_number))
        ).first()
        assert part is not None
        office = db.get(Employer, employer_id).office_id  # type: ignore[union-attr]
        adviser = Principal(
            user_id=user.id or 0,
            username="adviser",
            display_name=user.display_name,
            front_end=FrontEnd.INTERMEDIARY,
            roles=frozenset({"adviser"}),
            employer_ids=frozenset({employer_id}),
            office_id=office,
        )
        day = date.today().replace(day=1).isoformat()
        old = mutations.preview_salary_parttime(db, acting_for(adviser, employer_id), part.id, day, "61000", "")
        salary = Decimal(old.old_values["salary"]) + 1000
        number, part_id = part.participant_number, part.id
    goto(page, f"/intermediary/employers/{employer_id}/participants/{number}")
    page.get_by_role("button", name="Salaris en/of parttimepercentage wijzigen").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Ingangsdatum").fill(day)
    dialog.get_by_label("Fulltime jaarsalaris (bruto)").fill(f"{salary:.2f}".replace(".", ","))
    dialog.get_by_role("button", name="Volgende").click()
    dialog.get_by_role("button", name="Wijziging indienen").click()
    expect(dialog.get_by_role("status")).to_contain_text("Uw wijziging is ingediend")
    with e2e_database() as db:
        m = db.exec(
            select(Mutation).where(Mutation.participation_id == part_id).order_by(col(Mutation.id).desc())
        ).first()
        assert m is not None and m.status == "processed"
        return m.id or 0, f"{salary:.2f}"


def test_readiness_check_then_switch_on_and_a_salary_change_waits_in_the_outbox(page: Page) -> None:
    employer_id, scheme_id = _small()
    login(page, "adviser", DEMO_SECRETS["adviser"], land=False)
    goto(page, "/intermediary/couplings")
    expect(page.get_by_role("link", name="Verzendstatus van de koppelingen")).to_have_attribute(
        "href", "/intermediary/couplings/delivery"
    )
    check = page.get_by_role("button", name=re.compile(f"^Controleren en aanzetten: {re.escape(SMALL_NAME)}"))
    check.first.click()
    panel = page.get_by_role("region", name=re.compile("Controle vóór aanzetten"))
    expect(panel).to_contain_text("Nog niet compleet")
    expect(panel).to_contain_text("nieuwe werknemers automatisch aanmelden")
    fix = panel.get_by_role("link", name="Aanvullen").first
    expect(fix).to_have_attribute("href", f"/intermediary/employers/{employer_id}/scheme?scheme={scheme_id}")
    panel.get_by_role("button", name="Koppeling aanzetten").click()
    expect(page.get_by_role("alert").filter(has_text="De koppeling kan nog niet aan")).to_be_visible()

    fix.click()  # the scheme page of that scheme, acting for the employer: the editor of auto-enrolment
    page.wait_for_url(f"**/intermediary/employers/{employer_id}/scheme?scheme={scheme_id}")
    details = page.locator("#scheme-details")
    expect(details).to_contain_text("Nieuwe medewerkers automatisch aanmelden")
    expect(details).to_contain_text("Nee")
    auto = page.get_by_role("checkbox", name="Nieuwe medewerkers automatisch aanmelden")
    expect(auto).not_to_be_checked()
    auto.click()
    expect(page.get_by_role("status").filter(has_text="voortaan automatisch aangemeld")).to_be_visible()
    expect(auto).to_be_checked()
    assert _auto_enrol(scheme_id) is True

    goto(page, "/intermediary/couplings")
    check.first.click()
    expect(panel).to_contain_text("Alles is compleet")
    panel.get_by_role("button", name="Koppeling aanzetten").click()
    expect(page.get_by_role("status")).to_contain_text("De koppeling staat aan.")
    card = page.locator(".rt-Card", has=page.get_by_role("button", name=re.compile(f"{re.escape(SMALL_NAME)}")))
    expect(card.first).to_contain_text("Aan")
    expect(card.first).to_contain_text("eigen instelling")

    mutation_id, salary = _salary_change(page, employer_id, scheme_id)
    with e2e_database() as db:
        [message] = db.exec(select(OutboxMessage).where(OutboxMessage.mutation_id == mutation_id)).all()
        assert (message.kind, message.scheme_id) == ("salary", scheme_id)
        assert json.loads(message.payload)["values"] == {"salary": salary}
    deadline = time.monotonic() + 30  # the delivery job the app queued after its commit
    while _message_status(mutation_id) != "sent" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _message_status(mutation_id) == "sent"
