"""The employee's contracts as the cards show them (EE-1, EE-7): display strings in one language, one card per
contract with a line per scheme. Built once for the live page (``ContractsState``) and for its first view, the
HTML that ``/employee`` carries before the app has started (``portal.api.first_view``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portal.i18n import formatting as fmt
from portal.i18n.term_messages import TERM_OF_SCHEME_KIND

if TYPE_CHECKING:  # the service's result type only: formatting imports no use case
    from portal.services import employee


def line(c: employee.MyContract, lang: str) -> dict[str, str]:
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


def contract_cards(
    contracts: tuple[employee.MyContract, ...], lang: str
) -> tuple[list[dict[str, str]], list[list[dict[str, str]]]]:
    """One card per contract of the person (employer, contract and participant number, status), in the service's
    order, with a line per scheme: (cards, lines of each card)."""
    groups: dict[tuple[str, str, str, str], list[employee.MyContract]] = {}
    for c in contracts:
        groups.setdefault((c.status, c.employer_name, c.contract_number, c.participant_number), []).append(c)
    cards, lines = [], []
    for members in groups.values():
        shown = [line(c, lang) for c in members]
        first = shown[0]
        cards.append({k: first[k] for k in _CARD_KEYS} | {"id": "-".join(x["id"] for x in shown)})
        lines.append(shown)
    return cards, lines


_CARD_KEYS = ("status", "employer", "former", "insurer", "contract_number", "participant_number")
