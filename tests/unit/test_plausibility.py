"""Plausibility warnings (MUT-5): each rule on both sides of its boundary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from portal.domain import plausibility as pl

TODAY = date(2026, 11, 1)


def keys(warnings: list[pl.Warning]) -> list[str]:
    return [w.key for w in warnings]


def test_salary_increase_above_fifty_percent() -> None:
    assert keys(pl.salary_change(Decimal("40000"), Decimal("60000.00"))) == []  # exactly +50 %
    warnings = pl.salary_change(Decimal("40000"), Decimal("60000.01"))
    assert keys(warnings) == ["salary_increase_large"]
    assert warnings[0].params == {"percent": "50"}
    assert keys(pl.salary_change(Decimal("40000"), Decimal("100000"))) == ["salary_increase_large"]


def test_salary_decrease_below_minus_thirty_percent() -> None:
    assert keys(pl.salary_change(Decimal("40000"), Decimal("28000"))) == []  # exactly −30 %
    assert keys(pl.salary_change(Decimal("40000"), Decimal("27999.99"))) == ["salary_decrease_large"]


def test_salary_without_a_comparison_gives_no_warning() -> None:
    assert pl.salary_change(None, Decimal("1")) == []
    assert pl.salary_change(Decimal("1"), None) == []
    assert pl.salary_change(Decimal("0"), Decimal("5")) == []


def test_parttime_set_to_zero() -> None:
    assert keys(pl.parttime_change(Decimal("0.000"))) == ["parttime_zero"]
    assert pl.parttime_change(Decimal("0.001")) == []
    assert pl.parttime_change(None) == []


def test_exit_more_than_six_months_back() -> None:
    assert pl.exit_date(date(2026, 5, 1), TODAY) == []
    assert keys(pl.exit_date(date(2026, 4, 30), TODAY)) == ["exit_far_back"]
    assert pl.exit_date(date(2027, 1, 1), TODAY) == []


def test_new_participant_starting_more_than_a_month_back() -> None:
    assert pl.new_participant(date(2026, 10, 1), TODAY) == []
    assert keys(pl.new_participant(date(2026, 9, 30), TODAY)) == ["start_far_back"]


def test_taking_over_a_previous_employers_contract() -> None:
    assert keys(pl.new_participant(TODAY, TODAY, takes_over_previous_contract=True)) == ["previous_employer_contract"]


def test_premium_waiver_during_illness_with_disability_cover() -> None:
    assert keys(pl.premium_waiver(True, True)) == ["illness_premium_waiver_disability"]
    assert pl.premium_waiver(True, False) == []
    assert pl.premium_waiver(False, True) == []


def test_unacknowledged_treats_untrusted_input_as_nothing_acknowledged() -> None:
    warnings = [pl.Warning("parttime_zero"), pl.Warning("salary_increase_large")]
    assert pl.unacknowledged(warnings, ["parttime_zero"]) == ["salary_increase_large"]
    assert pl.unacknowledged(warnings, ["parttime_zero", "salary_increase_large"]) == []
    assert pl.unacknowledged(warnings, "parttime_zero salary_increase_large") == keys(warnings)
    assert pl.unacknowledged(warnings, None) == keys(warnings)
    assert pl.unacknowledged(warnings, [1, {"x": 1}]) == keys(warnings)
    assert pl.unacknowledged([], None) == []


def test_each_warning_carries_the_figure_its_message_shows() -> None:
    # Warning equality ignores the params: compare them one by one
    assert [w.params for w in pl.salary_change(Decimal("40000"), Decimal("27200"))] == [{"percent": "32"}]
    assert [w.params for w in pl.salary_change(Decimal("40000"), Decimal("100000"))] == [{"percent": "150"}]
    assert [w.params for w in pl.exit_date(date(2026, 1, 1), TODAY)] == [{"months": 6}]
    assert [w.params for w in pl.new_participant(date(2026, 1, 1), TODAY)] == [{"months": 1}]
    assert [w.params for w in pl.parttime_change(Decimal(0))] == [{}]
    assert [w.params for w in pl.new_participant(TODAY, TODAY, True)] == [{}]


def test_a_salary_of_one_euro_is_compared_too() -> None:
    assert keys(pl.salary_change(Decimal("1"), Decimal("2"))) == ["salary_increase_large"]
    assert keys(pl.salary_change(Decimal("0.50"), Decimal("0.10"))) == ["salary_decrease_large"]
    assert pl.salary_change(Decimal("-100"), Decimal("5")) == []


def test_a_start_far_back_that_also_takes_over_a_contract_gets_both_warnings() -> None:
    assert keys(pl.new_participant(date(2026, 9, 30), TODAY, True)) == ["start_far_back", "previous_employer_contract"]
