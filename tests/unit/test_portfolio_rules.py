"""The portfolio dashboard's rules (INT-1): integer premium cents equal the Decimal MUT-7 rule, needs attention,
top N with the rest, and the weeks of the changes chart."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.portfolio import (
    needs_attention,
    premium_cents,
    to_cents,
    to_milli,
    top_with_rest,
    week_starts,
)
from portal.domain.premium import SchemeYearParams, yearly_premium

money = st.decimals(min_value=0, max_value=250_000, places=2)
parttime = st.decimals(min_value=0, max_value=100, places=3)
percentage = st.decimals(min_value=0, max_value=30, places=3)


@given(salary=money, part=parttime, maximum=money, franchise=money, pct=percentage)
def test_premium_cents_equal_the_decimal_rule(
    salary: Decimal, part: Decimal, maximum: Decimal, franchise: Decimal, pct: Decimal
) -> None:
    params = SchemeYearParams(year=2026, max_salary=maximum, franchise=franchise, bands=((0, 120, pct),))
    expected = yearly_premium(salary, part, params, 40, "staffel")
    got = premium_cents(to_cents(salary), to_milli(part), to_cents(maximum), to_cents(franchise), to_milli(pct))
    assert Decimal(got).scaleb(-2) == expected


def test_premium_cents_spec_example_and_rounding() -> None:
    # MUT-7: € 40.000, 50 %, franchise € 18.475 → base € 10.762,50; at 11,7 % → € 1.259,2125 → € 1.259,21
    assert premium_cents(4_000_000, 50_000, 13_780_000, 1_847_500, 11_700) == 125_921
    # half a cent rounds up: base € 1,00 at 0,5 % → € 0,005 → € 0,01
    assert premium_cents(1_847_600, 100_000, 13_780_000, 1_847_500, 500) == 1
    assert premium_cents(1_000_000, 100_000, 13_780_000, 1_847_500, 11_700) == 0  # under the franchise
    capped = premium_cents(20_000_000, 100_000, 13_780_000, 1_847_500, 10_000)
    assert capped == premium_cents(13_780_000, 100_000, 13_780_000, 1_847_500, 10_000)  # above the maximum


def test_scales() -> None:
    assert (to_cents(Decimal("52242.28")), to_milli(Decimal("27.125")), to_milli(Decimal("100"))) == (
        5_224_228,
        27_125,
        100_000,
    )


def test_needs_attention() -> None:
    assert not needs_attention(0, 0)
    assert needs_attention(1, 0)
    assert needs_attention(0, 2)


def test_top_with_rest() -> None:
    items = [(f"e{i:02d}", Decimal(i)) for i in range(1, 14)]
    bars = top_with_rest(items, 10)
    assert [b.label for b in bars[:10]] == [f"e{i:02d}" for i in range(13, 3, -1)]
    assert (bars[-1].label, bars[-1].value, bars[-1].count) == (None, Decimal(6), 3)
    assert [b.label for b in top_with_rest([("b", 1), ("a", 1)], 10)] == ["a", "b"]  # ties by label, no rest
    assert top_with_rest([], 10) == []


def test_week_starts() -> None:
    sunday = date(2026, 11, 29)
    weeks = week_starts(sunday)
    assert len(weeks) == 12 and weeks[-1] == date(2026, 11, 23) and weeks[0] == date(2026, 9, 7)
    assert all(w.weekday() == 0 for w in weeks)
    assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(weeks))
    assert week_starts(date(2026, 11, 30))[-1] == date(2026, 11, 30)


def test_generated_portfolio_sizes_are_skewed_and_add_up() -> None:
    from portal.demo.portfolio import sizes

    out = sizes(200, 250_000)
    assert len(out) == 200 and sum(out) == 250_000 and min(out) >= 1
    assert out == sorted(out, reverse=True) and out[0] > 20 * out[-1]
    with pytest.raises(ValueError):
        sizes(3, 2)  # every employer has at least one participant
