"""My contracts page state (EE-1): the session person's contracts as display strings, formatted for the locale.

Nothing comes in from the browser: the service finds the person from the server-side principal.
"""

from __future__ import annotations

import reflex as rx

from portal.core import clock
from portal.i18n import formatting as fmt
from portal.i18n.term_messages import TERM_OF_SCHEME_KIND
from portal.services import employee
from portal.state.auth import language_of
from portal.state.usecase import GUARDED, run


def _line(c: employee.MyContract, lang: str) -> dict[str, str]:
    """One participation (a scheme of the contract) as its card shows it; empty strings for what is not shown."""
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
    coverage_term = {"contracts.coverage_nil": "value_transfer", "contracts.reserve_kept": "dormant_rights"}
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
        "coverage_term": coverage_term.get(coverage_key, ""),  # EE-2: the term that explains the note
        "scheme_term": TERM_OF_SCHEME_KIND.get(c.scheme_kind, ""),
        "shown_until": fmt.day(c.shown_until, lang),
    }


def _cards(
    contracts: tuple[employee.MyContract, ...], lang: str
) -> tuple[list[dict[str, str]], list[list[dict[str, str]]]]:
    """One card per contract of the person (employer, contract and participant number, status), in the service's
    order, with a line per scheme: (cards, lines of each card)."""
    groups: dict[tuple[str, str, str, str], list[employee.MyContract]] = {}
    for c in contracts:
        groups.setdefault((c.status, c.employer_name, c.contract_number, c.participant_number), []).append(c)
    cards, lines = [], []
    for members in groups.values():
        shown = [_line(c, lang) for c in members]
        first = shown[0]
        cards.append({k: first[k] for k in _CARD_KEYS} | {"id": "-".join(x["id"] for x in shown)})
        lines.append(shown)
    return cards, lines


_CARD_KEYS = ("status", "employer", "former", "insurer", "contract_number", "participant_number")


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
        self.cards, self.lines = _cards(done.value.contracts, lang)
        self.as_of = fmt.day(done.value.as_of, lang)
        self.loaded = True
