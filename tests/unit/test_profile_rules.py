"""EE-4 rules: the national id masked but its last three characters, the confirmation link's life, the language
of the next statement, and the addresses a statement mail goes to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.domain.profile import (
    CONFIRM_HOURS,
    confirmation_expires,
    confirmation_usable,
    mail_addresses,
    mask_national_id,
    statement_language,
)


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("123456782", "••••••782"),  # a BSN
        ("85.07.30-033.28", "••.••.••-••3.28"),  # a Belgian number: separators kept
        ("1234", "•234"),
        ("123", "•••"),  # three or fewer: nothing shown
        ("", ""),
    ],
)
def test_the_national_id_shows_only_its_last_three(raw: str, shown: str) -> None:
    assert mask_national_id(raw) == shown


def test_masking_keeps_the_length_and_hides_every_other_digit() -> None:
    masked = mask_national_id("987654321")
    assert len(masked) == 9 and masked.endswith("321") and not any(c.isdigit() for c in masked[:-3])


def test_a_confirmation_link_works_once_before_it_expires_and_unless_superseded() -> None:
    sent = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    expires = confirmation_expires(sent)
    assert expires - sent == timedelta(hours=CONFIRM_HOURS)
    assert confirmation_usable(expires, None, None, expires - timedelta(seconds=1))
    assert not confirmation_usable(expires, None, None, expires)  # the boundary itself: expired
    assert not confirmation_usable(expires, sent, None, sent)  # used
    assert not confirmation_usable(expires, None, sent, sent)  # a newer address was asked for


def test_the_employees_choice_of_language_wins_over_the_employers_record() -> None:
    assert statement_language("en", "nl") == "en"
    assert statement_language("nl", "en") == "nl"
    assert statement_language("", "en") == "en"
    assert statement_language("", "de") == "nl"
    assert statement_language("fr", "en") == "en"


def test_each_address_is_mailed_once() -> None:
    assert mail_addresses("A@x.nl", "", "a@x.nl ", "b@y.nl") == ["a@x.nl", "b@y.nl"]
    assert mail_addresses("", "") == []
