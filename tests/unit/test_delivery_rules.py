"""The delivery rules (INT-5): backoff with full jitter, the status after an attempt (dead letter after N or on a
refusal), the order per participation, and the insurers' URL setting."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import delivery as rules
from portal.domain.delivery import Queued, sendable
from portal.services.delivery.adapters import parse_urls

STATUSES = ("waiting", "sending", "sent", "retrying", "failed", "cancelled")


def test_the_backoff_ceiling_doubles_per_attempt_up_to_the_cap() -> None:
    assert [rules.backoff_ceiling(n, 10, 100) for n in range(0, 7)] == [0, 10, 20, 40, 80, 100, 100]
    assert rules.backoff_ceiling(10_000, 1, 3600) == 3600  # no overflow for absurd attempt numbers


@given(st.integers(1, 200), st.floats(0.001, 100), st.floats(0.001, 10_000), st.floats(0, 0.999999))
def test_full_jitter_stays_within_zero_and_the_ceiling(attempt: int, base: float, cap: float, r: float) -> None:
    wait = rules.backoff_seconds(attempt, base, cap, rnd=lambda: r)
    assert 0 <= wait <= min(cap, base * 2 ** (attempt - 1))


def test_full_jitter_spreads_over_the_whole_range() -> None:
    rnd = random.Random(1)
    waits = [rules.backoff_seconds(4, 1, 100, rnd=rnd.random) for _ in range(2000)]
    assert min(waits) < 0.5 and max(waits) > 7.5  # uniform over [0, 8], not a fixed delay
    assert rules.backoff_seconds(4, 1, 100, rnd=lambda: 0.5) == 4


@pytest.mark.parametrize(
    ("outcome", "attempts", "status"),
    [
        ("sent", 1, "sent"),
        ("sent", 8, "sent"),
        ("error", 1, "retrying"),
        ("timeout", 7, "retrying"),
        ("error", 8, "failed"),  # the 8th attempt of 8: dead letter
        ("timeout", 9, "failed"),
        ("lost", 8, "failed"),
        ("refused", 1, "failed"),  # the insurer refused it: trying again cannot help
    ],
)
def test_status_after_an_attempt(outcome: str, attempts: int, status: str) -> None:
    assert rules.outcome_status(outcome, attempts, max_attempts=8) == status


def test_only_a_failed_message_may_be_retried_or_cancelled() -> None:
    assert [s for s in ("waiting", "sending", "sent", "retrying", "failed", "cancelled") if rules.may_retry(s)] == [
        "failed"
    ]


def test_a_message_goes_only_when_every_older_message_of_its_participation_is_sent_or_cancelled() -> None:
    q = [
        Queued(1, 10, "sent"),
        Queued(2, 10, "waiting"),  # its elder is sent: goes
        Queued(3, 10, "waiting"),  # waits for 2
        Queued(4, 20, "failed"),
        Queued(5, 20, "waiting"),  # held back by the failed 4
        Queued(6, 30, "cancelled"),
        Queued(7, 30, "retrying"),  # the cancelled elder does not hold it back
        Queued(8, 40, "sending"),  # being sent (or lost by its worker): the only one of 40
        Queued(9, 40, "waiting"),
    ]
    assert sendable(q) == [2, 7, 8]
    assert sendable(reversed(q)) == [2, 7, 8]  # by id, not by the order given


@given(st.lists(st.tuples(st.integers(1, 5), st.sampled_from(STATUSES)), max_size=30))
def test_at_most_one_message_per_participation_goes_and_never_one_with_an_unfinished_elder(
    items: list[tuple[int, str]],
) -> None:
    q = [Queued(i + 1, part, status) for i, (part, status) in enumerate(items)]
    chosen = sendable(q)
    by_id = {m.id: m for m in q}
    parts = [by_id[i].participation_id for i in chosen]
    assert len(parts) == len(set(parts))
    for i in chosen:
        m = by_id[i]
        assert m.status in rules.DUE
        assert all(o.status in rules.DONE for o in q if o.participation_id == m.participation_id and o.id < m.id)


def test_insurer_urls_per_code_with_a_default() -> None:
    assert parse_urls("ASR=http://asr.example/api/, http://all.example ,nn=https://nn.example") == {
        "asr": "http://asr.example/api",
        "*": "http://all.example",
        "nn": "https://nn.example",
    }
    assert parse_urls("*=http://x") == {"*": "http://x"}
    assert parse_urls("") == {}
