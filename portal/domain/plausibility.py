"""Plausibility warnings (MUT-5): they do not block a change, but the user must acknowledge each one.

Each function takes plain values and returns a list of ``Warning`` (empty when all looks normal). A
mutation that carries an acknowledged warning is flagged for review (MUT-6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from portal.domain.dates import add_months

RAISE_LIMIT = Decimal("0.50")  # more than +50 % is unusual
CUT_LIMIT = Decimal("0.30")  # more than −30 % is unusual
EXIT_BACK_MONTHS = 6
START_BACK_MONTHS = 1


@dataclass(frozen=True)
class Warning:  # the domain word (shadows the builtin inside this module only)
    """A plausibility warning: message ``key`` with ``params`` for its text."""

    key: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)


def _pct(ratio: Decimal) -> str:
    return str((ratio * 100).quantize(Decimal("1")))


def salary_change(old: Decimal | None, new: Decimal | None) -> list[Warning]:
    """A salary change of more than +50 % or less than −30 % compared with the salary it replaces."""
    if old is None or new is None or old <= 0:
        return []
    ratio = (new - old) / old
    if ratio > RAISE_LIMIT:
        return [Warning("salary_increase_large", {"percent": _pct(ratio)})]
    if ratio < -CUT_LIMIT:
        return [Warning("salary_decrease_large", {"percent": _pct(-ratio)})]
    return []


def parttime_change(new: Decimal | None) -> list[Warning]:
    """A part-time percentage set to 0 % (e.g. unpaid leave): premium and coverage change a lot."""
    return [Warning("parttime_zero")] if new is not None and new == 0 else []


def exit_date(exit_on: date, today: date) -> list[Warning]:
    """An exit more than six months back."""
    if exit_on < add_months(today, -EXIT_BACK_MONTHS):
        return [Warning("exit_far_back", {"months": EXIT_BACK_MONTHS})]
    return []


def new_participant(start: date, today: date, takes_over_previous_contract: bool = False) -> list[Warning]:
    """A start date more than one month back; taking over a contract from a previous employer."""
    out = []
    if start < add_months(today, -START_BACK_MONTHS):
        out.append(Warning("start_far_back", {"months": START_BACK_MONTHS}))
    if takes_over_previous_contract:
        out.append(Warning("previous_employer_contract"))
    return out


def premium_waiver(suspends_premium_for_illness: bool, employer_has_disability_scheme: bool) -> list[Warning]:
    """Suspending premium during long illness while the employer has disability (WIA) cover: the employer
    may end up paying the disability pension itself."""
    if suspends_premium_for_illness and employer_has_disability_scheme:
        return [Warning("illness_premium_waiver_disability")]
    return []


def unacknowledged(warnings: list[Warning], acknowledged: object) -> list[str]:
    """Keys of ``warnings`` not in ``acknowledged`` (untrusted: anything that is not a list of str counts as none)."""
    given = {a for a in acknowledged if isinstance(a, str)} if isinstance(acknowledged, list | tuple | set) else set()
    return [w.key for w in warnings if w.key not in given]
