"""Date arithmetic and the date windows of mutations (MUT-1) and retroactive review (MUT-6), boundary days included."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.dates import (
    add_months,
    check_collective_new_window,
    check_future_window,
    is_retroactive,
    needs_retro_review,
)

TODAY = date(2026, 11, 1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 11, 1), -12, date(2025, 11, 1)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 5), 0, date(2026, 5, 5)),
    ],
)
def test_add_months_clips_to_the_end_of_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31)), st.integers(-240, 240))
def test_add_months_keeps_the_day_or_clips_it(day: date, months: int) -> None:
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


def test_future_window_boundary_days() -> None:
    assert check_future_window(date(2027, 2, 1), TODAY) is None  # exactly three months ahead
    assert check_future_window(date(2027, 2, 2), TODAY) == "date_too_far_ahead"  # one day more
    assert check_future_window(TODAY, TODAY) is None
    assert check_future_window(date(2001, 1, 1), TODAY) is None  # retroactive is allowed here


def test_future_window_from_a_month_end() -> None:
    today = date(2026, 11, 30)
    assert check_future_window(date(2027, 2, 28), today) is None
    assert check_future_window(date(2027, 3, 1), today) == "date_too_far_ahead"


def test_collective_new_participant_window_boundary_days() -> None:
    assert check_collective_new_window(date(2026, 8, 1), TODAY) is None  # exactly three months back
    assert check_collective_new_window(date(2026, 7, 31), TODAY) == "date_too_far_back"
    assert check_collective_new_window(date(2027, 2, 1), TODAY) is None
    assert check_collective_new_window(date(2027, 2, 2), TODAY) == "date_too_far_ahead"


def test_is_retroactive() -> None:
    assert is_retroactive(TODAY - timedelta(days=1), TODAY)
    assert not is_retroactive(TODAY, TODAY)
    assert not is_retroactive(TODAY + timedelta(days=1), TODAY)


def test_retro_review_boundary_days() -> None:
    assert not needs_retro_review(date(2026, 5, 1), TODAY, 6)  # exactly six months back
    assert needs_retro_review(date(2026, 4, 30), TODAY, 6)
    assert not needs_retro_review(TODAY, TODAY, 6)
    assert needs_retro_review(TODAY - timedelta(days=1), TODAY, 0)  # 0: every retroactive change
    assert not needs_retro_review(TODAY, TODAY, 0)
