"""The contract cards' texts (EE-1): one card per contract with a line per scheme; figures formatted for the locale,
nil for ended, no premium for passive."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from portal.i18n.contract_cards import contract_cards as _cards
from portal.i18n.contract_cards import line as _line
from portal.services.employee import MyContract

ACTIVE = MyContract(
    participation_id=7,
    status="active",
    employer_name="Noordkade Logistiek B.V.",
    former_employer=False,
    insurer_name="a.s.r.",
    contract_number="GV-1",
    scheme_kind="OP",
    scheme_name="Ouderdomspensioen",
    scheme_number="01",
    participant_number="100001",
    start_date=date(2021, 3, 1),
    end_date=None,
    shown_until=None,
    yearly_premium=Decimal("52242.28"),
    pensionable_salary=Decimal("33297.28"),
    amount_kind="contribution",
    amount=Decimal("52242.28"),
    note="",
)


def test_active_card_in_dutch_and_english() -> None:
    nl = _line(ACTIVE, "nl")
    assert nl["premium"] == "€ 52.242,28" and nl["amount"] == "€ 52.242,28" and nl["salary"] == "€ 33.297,28"
    assert nl["start"] == "01-03-2021" and nl["end"] == "" and nl["amount_key"] == "contracts.amount.contribution"
    assert nl["coverage_key"] == "" and nl["former"] == ""
    assert _line(ACTIVE, "en")["premium"] == "€52,242.28"


def test_passive_card_has_no_premium_and_says_the_capital_stays() -> None:
    passive = replace(ACTIVE, status="passive", former_employer=True, yearly_premium=None, amount=None)
    card = _line(passive, "nl")
    assert card["premium"] == "" and card["amount"] == "" and card["former"] == "1"
    assert card["coverage_key"] == "contracts.reserve_kept"
    accrual = _line(replace(passive, amount_kind="accrual", amount=Decimal("534.20")), "nl")
    assert accrual["amount"] == "€ 534,20" and accrual["coverage_key"] == ""


def test_ended_card_is_nil_and_says_until_when_it_is_shown() -> None:
    ended = replace(
        ACTIVE,
        status="ended",
        end_date=date(2026, 8, 31),
        shown_until=date(2027, 2, 28),
        yearly_premium=Decimal("0.00"),
        pensionable_salary=None,
        amount=Decimal("0.00"),
        amount_kind="",
    )
    card = _line(ended, "nl")
    assert card["premium"] == "€ 0,00" and card["amount"] == "" and card["coverage_key"] == "contracts.coverage_nil"
    assert card["shown_until"] == "28-02-2027" and card["end"] == "31-08-2026"


def test_a_figure_that_cannot_be_computed_says_so() -> None:
    card = _line(replace(ACTIVE, yearly_premium=None, amount=None, amount_kind="", note="no_parameters"), "nl")
    assert card["premium"] == "" and card["coverage_key"] == "contracts.not_computed"
    future = _line(replace(ACTIVE, yearly_premium=None, amount=None, amount_kind="", note="not_active"), "nl")
    assert future["coverage_key"] == "contracts.not_started"


def test_one_card_per_contract_with_a_line_per_scheme() -> None:
    np_ = replace(ACTIVE, participation_id=8, scheme_kind="NP", scheme_name="Nabestaandenpensioen", scheme_number="02")
    former = replace(ACTIVE, participation_id=3, status="passive", employer_name="Bakkerij", contract_number="GV-9")
    ended_here = replace(ACTIVE, participation_id=9, status="ended", yearly_premium=Decimal("0.00"))
    cards, lines = _cards((ACTIVE, np_, former, ended_here), "nl")
    assert [c["id"] for c in cards] == ["7-8", "3", "9"]
    assert [c["status"] for c in cards] == ["active", "passive", "ended"]
    assert cards[0]["contract_number"] == "GV-1" and cards[1]["employer"] == "Bakkerij"
    assert [[x["scheme"] for x in card] for card in lines] == [
        ["Ouderdomspensioen (OP 01)", "Nabestaandenpensioen (NP 02)"],
        ["Ouderdomspensioen (OP 01)"],
        ["Ouderdomspensioen (OP 01)"],
    ]
