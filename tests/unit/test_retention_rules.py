"""Retention rules (issue 16, data protection): when an ended contract leaves the employer's overview (EE-1: six
months after its end date), the bound a query compares with, and the audit trail's cut-off (month ends, leap days)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.contracts import is_shown
from portal.domain.retention import (
    DEFAULT_AUDIT_YEARS,
    DEFAULT_ENDED_MONTHS,
    audit_cutoff,
    hidden_from,
    is_hidden,
    last_hidden_end,
)


@pytest.mark.parametrize(
    ("end", "months", "first_hidden"),
    [
        (date(2026, 5, 15), 6, date(2026, 11, 16)),  # shown through 15 Nov
        (date(2025, 8, 31), 6, date(2026, 3, 1)),  # 31 Aug + 6 = 28 Feb (clipped), hidden from 1 Mar
        (date(2027, 8, 31), 6, date(2028, 3, 1)),  # 29 Feb 2028 is the last day shown in a leap year
        (date(2026, 12, 31), 2, date(2027, 3, 1)),
        (date(2026, 1, 31), 1, date(2026, 3, 1)),  # 28 Feb is the last day shown
        (date(2026, 3, 10), 0, date(2026, 3, 11)),  # 0 months: hidden from the day after the end
    ],
)
def test_hidden_from_the_day_after_the_months_clipped_at_month_ends(end: date, months: int, first_hidden: date) -> None:
    assert hidden_from(end, months) == first_hidden
    assert is_hidden("terminated", end, first_hidden, months)
    assert not is_hidden("terminated", end, first_hidden - timedelta(days=1), months)


def test_the_default_is_six_months_as_in_ee1_and_the_employees_own_view_agrees() -> None:
    assert DEFAULT_ENDED_MONTHS == 6 and DEFAULT_AUDIT_YEARS == 7
    end = date(2025, 8, 31)
    for day in (date(2026, 2, 28), date(2026, 3, 1)):
        assert is_hidden("terminated", end, day, 6) == (not is_shown("terminated", end, day))


@pytest.mark.parametrize("stored", ["active", "dormant"])
def test_only_ended_contracts_are_hidden_a_passive_one_stays(stored: str) -> None:
    # dormant = passive (reserves remain, EE-1): listed however long ago the employment ended
    assert not is_hidden(stored, date(2010, 1, 1), date(2026, 11, 1), 6)


@pytest.mark.parametrize("stored", ["terminated", "retired"])
def test_ended_ones_are_hidden_and_never_without_an_end_date(stored: str) -> None:
    assert is_hidden(stored, date(2020, 1, 1), date(2026, 11, 1), 6)
    assert not is_hidden(stored, None, date(2026, 11, 1), 6)


def test_negative_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        hidden_from(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        last_hidden_end(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        audit_cutoff(date(2026, 1, 1), 0)


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    months=st.integers(min_value=0, max_value=36),
    back=st.integers(min_value=-5, max_value=1200),
)
def test_the_query_bound_is_exactly_the_rule(day: date, months: int, back: int) -> None:
    """The overview's query compares the end date with ``last_hidden_end``: the same answer as ``is_hidden``
    for every day, period and end date, month ends and leap days included."""
    end = day - timedelta(days=back)
    assert (end <= last_hidden_end(day, months)) == is_hidden("terminated", end, day, months)


def test_the_query_bound_at_a_clipped_month_end() -> None:
    # 31 Mar, one month: an end on 28 Feb was shown through 28 Mar and is hidden; 1 Mar is shown through 1 Apr
    assert last_hidden_end(date(2026, 3, 31), 1) == date(2026, 2, 28)


@pytest.mark.parametrize(
    ("today", "years", "cutoff"),
    [
        (date(2026, 12, 1), 7, date(2019, 12, 1)),
        (date(2028, 2, 29), 1, date(2027, 2, 28)),  # a leap day: the year before has none
        (date(2028, 2, 29), 4, date(2024, 2, 29)),
        (date(2026, 1, 1), 1, date(2025, 1, 1)),
    ],
)
def test_audit_cutoff_whole_calendar_years_back(today: date, years: int, cutoff: date) -> None:
    assert audit_cutoff(today, years) == cutoff
