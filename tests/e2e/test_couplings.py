"""End-to-end: the adviser opens the insurer couplings (INT-4), checks an a.s.r. scheme of the small demo employer
before switching it on (the check lists what is missing, with links to fix it, and switching on is refused), the
data is completed, the scope is switched on, and a processed salary change then waits in the outbox (INT-5)."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import col, select

from portal.demo.seed import SMALL_NAME
from portal.domain.roles import FrontEnd
from portal.models import Employer, OutboxMessage, Participation, Scheme, UserAccount
from portal.services import mutations
from portal.services.principal import Principal, acting_for
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login
from tests.services.coupling_fixtures import fill_gaps

pytestmark = pytest.mark.e2e


def _small() -> tuple[int, int]:
    with e2e_database() as db:
        employer = db.exec(select(Employer).where(Employer.name == SMALL_NAME)).one()
        scheme = db.exec(select(Scheme).where(Scheme.employer_id == employer.id, Scheme.kind == "OP")).one()
        return employer.id or 0, scheme.id or 0


def _salary_change(employer_id: int, scheme_id: int) -> tuple[int, str]:
    """A salary change of the small employer's first active OP participant, submitted by the adviser acting."""
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
        acting = acting_for(adviser, employer_id)  # INT-2: the adviser acting for the employer
        day = date.today().replace(day=1).isoformat()
        old = mutations.preview_salary_parttime(db, acting, part.id, day, "61000", "").old_values
        salary = str(Decimal(old["salary"]) + 1000)  # a plain raise: no warning, so processed at once
        m = mutations.submit_salary_parttime(db, acting, part.id, day, salary, "", part.version)
        assert m.status == "processed"
        db.commit()
        return m.id or 0, f"{Decimal(salary):.2f}"


def test_readiness_check_then_switch_on_and_a_salary_change_waits_in_the_outbox(page: Page) -> None:
    employer_id, scheme_id = _small()
    login(page, "adviser", DEMO_SECRETS["adviser"])
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
    expect(fix).to_have_attribute("href", re.compile(f"^/intermediary/employers/{employer_id}/"))
    panel.get_by_role("button", name="Koppeling aanzetten").click()
    expect(page.get_by_role("alert").filter(has_text="De koppeling kan nog niet aan")).to_be_visible()

    with e2e_database() as db:
        fill_gaps(db.connection(), employer_id)
        db.commit()
    check.first.click()
    expect(panel).to_contain_text("Alles is compleet")
    panel.get_by_role("button", name="Koppeling aanzetten").click()
    expect(page.get_by_role("status")).to_contain_text("De koppeling staat aan.")
    card = page.locator(".rt-Card", has=page.get_by_role("button", name=re.compile(f"{re.escape(SMALL_NAME)}")))
    expect(card.first).to_contain_text("Aan")
    expect(card.first).to_contain_text("eigen instelling")

    mutation_id, salary = _salary_change(employer_id, scheme_id)
    with e2e_database() as db:
        [message] = db.exec(select(OutboxMessage).where(OutboxMessage.mutation_id == mutation_id)).all()
        assert (message.status, message.kind, message.scheme_id) == ("waiting", "salary", scheme_id)
        assert json.loads(message.payload)["values"] == {"salary": salary}
