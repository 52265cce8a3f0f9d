"""My contracts page state (EE-1): the session person's contracts as display strings, formatted for the locale.

Nothing comes in from the browser: the service finds the person from the server-side principal.
"""

from __future__ import annotations

import reflex as rx

from portal.core import clock
from portal.i18n import formatting as fmt
from portal.services import employee
from portal.state.auth import language_of
from portal.state.usecase import GUARDED, run


def _card(c: employee.MyContract, lang: str) -> dict[str, str]:
    """One contract as the page shows it; empty strings for what is not shown."""
    if c.status == "ended":
        coverage_key = "contracts.coverage_nil"
    elif c.status == "passive" and c.amount is None and not c.note:
        coverage_key = "contracts.reserve_kept"
    elif c.note == "not_active":
        coverage_key = "contracts.not_started"
    elif c.note:
        coverage_key = "contracts.not_computed"
    else:
        coverage_key = ""
    return {
        "id": str(c.participation_id),
        "status": c.status,
        "employer": c.employer_name,
        "former": "1" if c.former_employer else "",
        "insurer": c.insurer_name,
        "contract_number": c.contract_number,
        "scheme": f"{c.scheme_name} ({c.scheme_kind} {c.scheme_number})",
        "participant_number": c.participant_number,
        "start": fmt.day(c.start_date, lang),
        "end": fmt.day(c.end_date, lang),
        "premium": fmt.money(c.yearly_premium, lang),
        "salary": fmt.money(c.pensionable_salary, lang),
        "amount": fmt.money(c.amount, lang) if c.status != "ended" else "",
        "amount_key": f"contracts.amount.{c.amount_kind}" if c.amount_kind and c.status != "ended" else "",
        "coverage_key": coverage_key,
        "shown_until": fmt.day(c.shown_until, lang),
    }


class ContractsState(rx.State):
    """Display strings only (one dict of texts per contract card)."""

    cards: list[dict[str, str]] = []
    as_of: str = ""
    loaded: bool = False

    @rx.event
    async def load(self):
        """on_load: the contracts of the signed-in employee as of today."""
        done = await run(self, employee.my_contracts, clock.today(), deny="/employee", quiet=GUARDED)
        if not done or done.value is None:
            self.cards, self.as_of, self.loaded = [], "", False
            return done.event
        lang = await language_of(self)
        self.cards = [_card(c, lang) for c in done.value.contracts]
        self.as_of = fmt.day(done.value.as_of, lang)
        self.loaded = True
