"""The dormant lock and the collective-processing lock (MUT-2)."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain.locks import change_block, status_on


@pytest.mark.parametrize("status", ["dormant", "terminated", "retired"])
def test_no_change_on_a_participant_who_has_left(status: str) -> None:
    assert change_block(status, False) == "participant_dormant"
    assert change_block(status, True) == "participant_dormant"


def test_collective_lock_blocks_an_active_participant() -> None:
    assert change_block("active", True) == "scheme_collective_lock"


def test_an_active_participant_on_an_unlocked_scheme_may_change() -> None:
    assert change_block("active", False) is None


def test_a_participant_is_active_up_to_and_including_the_last_day_in_service() -> None:
    last_day = date(2026, 12, 1)
    assert status_on("dormant", last_day, date(2026, 11, 30)) == "active"
    assert status_on("dormant", last_day, last_day) == "active"
    assert status_on("dormant", last_day, date(2026, 12, 2)) == "dormant"
    assert status_on("active", None, date(2099, 1, 1)) == "active"
    assert status_on("retired", date(2020, 1, 1), date(2026, 1, 1)) == "retired"
    assert change_block(status_on("dormant", last_day, last_day), False) is None
    assert change_block(status_on("dormant", last_day, date(2026, 12, 2)), False) == "participant_dormant"
