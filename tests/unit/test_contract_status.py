"""The employee's contract status in words and the six-month cut-off of ended contracts (EE-1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.domain.contracts import contract_status, is_shown, last_day_shown


@pytest.mark.parametrize(
    ("stored", "words"),
    [("active", "active"), ("dormant", "passive"), ("terminated", "ended"), ("retired", "ended")],
)
def test_status_in_words_after_the_end_date(stored: str, words: str) -> None:
    end = date(2026, 3, 31)
    assert contract_status(stored, end, end + timedelta(days=1)) == words


@pytest.mark.parametrize("stored", ["dormant", "terminated", "retired"])
def test_active_up_to_and_including_the_last_day_in_service(stored: str) -> None:
    end = date(2026, 3, 31)
    assert contract_status(stored, end, end) == "active"
    assert contract_status(stored, end, end - timedelta(days=40)) == "active"


def test_without_an_end_date_the_stored_status_counts() -> None:
    assert contract_status("active", None, date(2026, 1, 1)) == "active"
    assert contract_status("dormant", None, date(2026, 1, 1)) == "passive"


def test_an_unknown_stored_status_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError):
        contract_status("paused", None, date(2026, 1, 1))


@pytest.mark.parametrize(
    ("end", "last"),
    [
        (date(2026, 5, 15), date(2026, 11, 15)),
        (date(2026, 8, 31), date(2027, 2, 28)),  # month end: clipped to February's last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # ... in a leap year
        (date(2026, 3, 31), date(2026, 9, 30)),
        (date(2026, 2, 28), date(2026, 8, 28)),  # not the month's end: the same day number
        (date(2026, 12, 31), date(2027, 6, 30)),  # across the year
    ],
)
def test_ended_contract_shown_through_the_last_day_then_hidden(end: date, last: date) -> None:
    assert last_day_shown(end) == last
    for stored in ("terminated", "retired"):
        assert is_shown(stored, end, end + timedelta(days=1))  # the first day ended
        assert is_shown(stored, end, last)  # the last day of the six months
        assert not is_shown(stored, end, last + timedelta(days=1))  # the day after


def test_ended_at_five_months_shown_at_seven_hidden() -> None:
    end = date(2026, 1, 31)
    assert is_shown("terminated", end, date(2026, 6, 30))
    assert not is_shown("terminated", end, date(2026, 8, 31))


def test_active_and_passive_are_shown_however_long_ago() -> None:
    assert is_shown("dormant", date(2001, 1, 31), date(2026, 11, 30))
    assert is_shown("active", None, date(2026, 11, 30))


def test_an_ended_contract_without_an_end_date_is_not_shown() -> None:
    assert not is_shown("terminated", None, date(2026, 11, 30))
