"""The fixed-window rule shared by the payroll API and the mail rate limits (``portal.domain.rate``); the
window itself is tested through the API's rules in test_api_key_rules.py."""

from __future__ import annotations

from portal.domain import api_keys, rate


def test_the_api_uses_the_one_window_rule() -> None:
    assert api_keys.count_request is rate.count_request and api_keys.retry_after is rate.retry_after


def test_minutes_to_wait_round_up_and_are_at_least_one() -> None:
    assert [rate.minutes_to_wait(s) for s in (1, 59, 60, 61, 3000, 3600)] == [1, 1, 1, 2, 50, 60]


def test_a_caller_over_the_limit_waits_until_the_window_ends() -> None:
    window = rate.Window(start=3600, count=0)
    for _ in range(3):
        window = rate.count_request(window, 3600 + 600, 3600)
    assert rate.retry_after(window, 2, 3600 + 600, 3600) == 3000
    assert rate.count_request(window, 7200, 3600) == rate.Window(7200, 1)
