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
    weighted_base,
)
from portal.domain.premium import SchemeYearParams, cents, pensionable_salary

money = st.decimals(min_value=0, max_value=250_000, places=2)
parttime = st.decimals(min_value=0, max_value=100, places=3)
percentage = st.decimals(min_value=0, max_value=30, places=3)


participation = st.tuples(money, parttime, percentage)


@given(people=st.lists(participation, max_size=20), maximum=money, franchise=money)
def test_premium_cents_are_the_exact_decimal_sum_rounded_once(
    people: list[tuple[Decimal, Decimal, Decimal]], maximum: Decimal, franchise: Decimal
) -> None:
    params = SchemeYearParams(year=2026, max_salary=maximum, franchise=franchise)
    exact = sum((pensionable_salary(s, p, params) * pct / 100 for s, p, pct in people), Decimal(0))
    weighted = sum(
        weighted_base(to_cents(s), to_milli(p), to_cents(maximum), to_cents(franchise)) * to_milli(pct)
        for s, p, pct in people
    )
    assert Decimal(premium_cents(weighted)).scaleb(-2) == cents(exact)


def test_premium_cents_spec_example_and_rounding() -> None:
    # MUT-7: € 40.000, 50 %, franchise € 18.475 → base € 10.762,50; at 11,7 % → € 1.259,2125 → € 1.259,21
    base = weighted_base(4_000_000, 50_000, 13_780_000, 1_847_500)
    assert base == (4_000_000 - 1_847_500) * 50_000  # € 21.525,00 full time × 50,000 %
    assert premium_cents(base * 11_700) == 125_921
    assert premium_cents(weighted_base(1_847_600, 100_000, 13_780_000, 1_847_500) * 500) == 1  # € 0,005 rounds up
    assert premium_cents(weighted_base(1_847_600, 100_000, 13_780_000, 1_847_500) * 499) == 0
    assert weighted_base(1_000_000, 100_000, 13_780_000, 1_847_500) == 0  # under the franchise
    assert weighted_base(20_000_000, 100_000, 13_780_000, 1_847_500) == weighted_base(
        13_780_000, 100_000, 13_780_000, 1_847_500
    )  # above the maximum


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
    assert needs_attention(0, 0, 1) and not needs_attention(0, 0, 0)


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
