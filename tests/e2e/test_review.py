"""End-to-end: the adviser reviews changes that need review (MUT-6) on the intermediary home — approve one,
reject another with a reason — and the employer sees the outcome with the reason."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from portal.models import Mutation, UserAccount
from portal.services import mutations
from portal.services.principal import Principal
from tests.e2e.conftest import DEMO_SECRETS, e2e_database, goto, login, wait_ready
from tests.e2e.test_wizards import pick

pytestmark = pytest.mark.e2e


def _needs_review(number: str, salary: str) -> int:
    """A salary change far back (beyond the scheme's review window), submitted by the demo HR user."""
    from portal.domain.roles import FrontEnd
    from portal.models import Employer, Participation

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
        today = date.today()
        effective = date(today.year - 1, today.month, 1)
        preview = mutations.preview_salary_parttime(db, hr, part.id, effective.isoformat(), salary, "")
        m = mutations.submit_salary_parttime(
            db, hr, part.id, effective.isoformat(), salary, "", part.version, acknowledged=preview.warning_keys
        )
        assert m.status == "needs_review"
        return m.id or 0


def _status(mutation_id: int) -> tuple[str, str]:
    with e2e_database() as db:
        m = db.get(Mutation, mutation_id)
        return m.status, m.review_reason


def test_adviser_approves_and_rejects_changes_needing_review(page: Page) -> None:
    first, second = pick(20), pick(21)
    approve_id, reject_id = _needs_review(first, "61000"), _needs_review(second, "99000")
    login(page, "adviser", DEMO_SECRETS["adviser"])
    wait_ready(page, "/intermediary")
    queue = page.locator("#review-queue")
    to_approve = queue.locator(".rt-Card", has_text=first)
    expect(to_approve).to_contain_text("61.000,00")
    to_approve.get_by_role("button", name="Goedkeuren").click()
    expect(queue).to_contain_text("De wijziging is goedgekeurd en doorgevoerd.")
    expect(queue.locator(".rt-Card", has_text=first)).to_have_count(0)
    assert _status(approve_id) == ("processed", "")

    to_reject = queue.locator(".rt-Card", has_text=second)
    to_reject.get_by_label("Reden van afkeuren").fill("Salaris klopt niet met de loonstrook")
    to_reject.get_by_role("button", name="Afkeuren").click()
    expect(queue).to_contain_text("De wijziging is afgekeurd.")
    assert _status(reject_id) == ("rejected", "Salaris klopt niet met de loonstrook")

    page.context.clear_cookies()  # the employer signs in in the same browser
    login(page, "employer.hr", DEMO_SECRETS["employer.hr"])
    wait_ready(page, "/employer")
    goto(page, "/employer/changes")
    row = page.locator("#changes").get_by_role("row", name=re.compile(second))
    expect(row).to_contain_text("Afgewezen")
    expect(row).to_contain_text("Salaris klopt niet met de loonstrook")
