"""My contracts page state (EE-1): the session person's contracts as display strings, formatted for the locale.

Nothing comes in from the browser: the service finds the person from the server-side principal.
"""

from __future__ import annotations

import reflex as rx

from portal.core import clock
from portal.i18n import formatting as fmt
from portal.i18n.contract_cards import contract_cards
from portal.services import employee
from portal.state.auth import language_of
from portal.state.usecase import GUARDED, run


class ContractsState(rx.State):
    """Display strings only: a dict of texts per contract card and, per card, one per scheme."""

    cards: list[dict[str, str]] = []
    lines: list[list[dict[str, str]]] = []
    as_of: str = ""
    loaded: bool = False

    @rx.event
    async def load(self):
        """on_load: the contracts of the signed-in employee as of today."""
        done = await run(self, employee.my_contracts, clock.today(), deny="/employee", quiet=GUARDED)
        if not done or done.value is None:
            self.cards, self.lines, self.as_of, self.loaded = [], [], "", False
            return done.event
        lang = await language_of(self)
        self.cards, self.lines = contract_cards(done.value.contracts, lang)
        self.as_of = fmt.day(done.value.as_of, lang)
        self.loaded = True
