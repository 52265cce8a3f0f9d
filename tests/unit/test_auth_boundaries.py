"""Authentication rules at their thresholds (AUTH-1..3, AUTH-7): password strength one character either side
of each limit, every guessable pattern, lock-out counters that start afresh, TOTP details pyotp agrees on."""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from datetime import UTC, datetime, timedelta, timezone

import pyotp
import pytest

from portal.domain import auth

NOW = datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)


# ------------------------------------------------------------------------------------------- passwords
@pytest.mark.parametrize(
    ("pw", "strength"),
    [
        ("kT9mq2Lvx", "weak"),  # 9 characters
        ("kT9mq2Lvx8", "fair"),  # 10
        ("kmqvxbrtwz", "weak"),  # one class
        ("kmqvxbrtwZ", "fair"),  # two classes
        ("kmqvw12345", "weak"),  # 10 long, but 12345 is a run: 5 real characters
        ("kmqvwp12345", "fair"),  # 6 real characters
        ("kT9mq2Lvx8abc", "fair"),  # 13 characters, three classes
        ("kT9mq2Lvx8abcd", "strong"),  # 14
        ("kmqvxbrtwz12", "fair"),  # 12 characters, two classes: not strong below 20
        ("kmqvxbrtwzpdfgzhkw9", "fair"),  # 19 characters, two classes
        ("kmqvxbrtwzpdfgzhkwq9", "strong"),  # 20
        ("kmqvxbrtwzpdfgzhkwq", "weak"),  # 19 letters: one class whatever the length
    ],
)
def test_password_strength_at_each_threshold(pw: str, strength: str) -> None:
    assert auth.password_strength(pw) == strength
    assert auth.password_acceptable(pw) is (strength != "weak")


@pytest.mark.parametrize(
    ("pw", "classes"),
    [("", 0), ("abc", 1), ("ABC", 1), ("123", 1), ("!?", 1), ("aB", 2), ("a1", 2), ("a!", 2), ("A1!", 3), ("aA1!", 4)],
)
def test_char_classes(pw: str, classes: int) -> None:
    assert auth.char_classes(pw) == classes


@pytest.mark.parametrize("word", auth.COMMON_WORDS)
def test_every_common_word_is_guessable(word: str) -> None:
    assert auth.effective_length(word) == 0
    assert auth.effective_length(word.upper()) == 0
    # removed before sequences are looked for: what was around it may join into one ("ab" + "c")
    assert auth.effective_length("ab" + word + "c") == 0


@pytest.mark.parametrize(
    "pw", ["p@ssword", "p4ssword", "passw0rd", "log1n", "log!n", "s3cret", "$ecret", "5ecret", "7est"]
)
def test_leet_spelling_of_a_common_word_is_guessable(pw: str) -> None:
    assert auth.effective_length(pw) == 0


@pytest.mark.parametrize(
    ("pw", "left"),
    [
        ("xasdy", 2),  # qwerty rows
        ("xqwey", 2),
        ("xzxcy", 2),
        ("xazey", 2),  # azerty rows
        ("xqsdy", 2),
        ("xwxcy", 2),
        ("x890y", 2),  # the digit row (0 after 9)
        ("xlkjy", 2),  # a row backwards
        ("xytrw", 2),  # ... not in alphabetical order
        ("xpoiw", 2),
        ("xyasd", 2),  # a sequence at the end
        ("xcbay", 2),  # the alphabet backwards
        ("x135x", 5),  # steps of two are no sequence
        ("xkmqx", 5),
        ("xabx", 4),  # two in a row are no sequence yet
        ("xabcdefy", 2),  # a run is removed as a whole
        ("xqwertyuiopy", 2),
        ("aaab", 2),  # repeated characters count once
        ("abab", 4),
    ],
)
def test_sequences_and_repeats_are_not_secret(pw: str, left: int) -> None:
    assert auth.effective_length(pw) == left


def test_words_to_avoid() -> None:
    assert auth.effective_length("xyjax", ["jax"]) == 2
    assert auth.effective_length("xyjax", ["ja"]) == 5  # shorter than three characters: not a word to avoid
    assert auth.effective_length("xyjax", ["JAX"]) == 2
    # the longest word first: janssen goes whole, not jan leaving "ssen"
    assert auth.effective_length("janssenx", ["jan", "janssen"]) == 1
    assert auth.effective_length("janssenx", ["janssen", "jan"]) == 1
    assert auth.effective_length("ajaxq", ["jax", "ajax"]) == 1  # by length, not alphabetically
    assert not auth.password_acceptable("Jq-Janssen-1", avoid=["janssen"])
    assert auth.password_acceptable("Jq-Janssen-1")
    assert auth.password_strength("Jkmqvwp-Janssen", avoid=["janssen"]) == "strong"
    assert auth.password_strength("Jq-Janssen-1", avoid=(w for w in ["janssen"])) == "weak"
    assert auth.password_strength("Jq-Janssen-1") == "fair"


# ------------------------------------------------------------------------------------------- names
def test_usernames_and_email_addresses_at_their_limits() -> None:
    assert auth.normalise_username(None) == ""  # type: ignore[arg-type]
    assert auth.normalise_username("") == ""
    assert auth.normalise_email(None) == ""  # type: ignore[arg-type]
    assert auth.username_valid("abc") and not auth.username_valid("ab")
    assert auth.username_valid("a.b_c-9") and not auth.username_valid("Abc")
    address = "a" * 64 + "@" + "b" * 185 + ".nl"
    assert auth.email_valid(address + "x")  # 254 characters
    assert not auth.email_valid(address + "xy")  # 255
    assert not auth.email_valid("jan@example.")
    assert auth.email_valid("jan@mail.example.nl")


# ------------------------------------------------------------------------------------------- codes
def test_generate_code_covers_000000_to_999999(monkeypatch: pytest.MonkeyPatch) -> None:
    bounds = []

    def randbelow(n: int) -> int:
        bounds.append(n)
        return n - 1

    monkeypatch.setattr(auth.secrets, "randbelow", randbelow)
    assert auth.generate_code() == "999999"
    monkeypatch.setattr(auth.secrets, "randbelow", lambda n: 7)
    assert auth.generate_code() == "000007"
    assert bounds == [1_000_000]


def test_hash_secret_is_hmac_sha256_of_the_value() -> None:
    expected = hmac.new(b"server-key", b"123456", hashlib.sha256).hexdigest()
    assert auth.hash_secret("server-key", "123456") == expected
    assert auth.hash_secret("server-key", "654321") != expected


def test_code_usable_needs_all_three() -> None:
    expires = NOW + timedelta(minutes=15)
    assert auth.code_usable(expires, None, 2, NOW, max_attempts=3)
    assert not auth.code_usable(expires, None, 3, NOW, max_attempts=3)
    assert not auth.code_usable(expires, NOW, 0, NOW - timedelta(minutes=1))
    assert auth.CODE_MAX_ATTEMPTS == 5


# ------------------------------------------------------------------------------------------- lock-out
POLICY = auth.LockoutPolicy(client_attempts=3, all_attempts=4, minutes=10)


def test_lockout_policy_defaults() -> None:
    assert auth.LockoutPolicy() == auth.LockoutPolicy(client_attempts=5, all_attempts=50, minutes=15)


def test_after_failure_while_the_previous_lock_still_holds_keeps_counting() -> None:
    until = NOW + timedelta(minutes=1)
    assert auth.after_failure(7, NOW, 5, 15, previous_lock=until) == (8, NOW + timedelta(minutes=15))
    assert auth.after_failure(3, NOW, 5, 15, previous_lock=None) == (4, None)
    assert auth.after_failure(4, NOW, 5, 15) == (5, NOW + timedelta(minutes=15))


def test_counters_start_afresh_once_their_lock_is_over() -> None:
    over = NOW - timedelta(seconds=1)
    client, every = auth.count_failure(auth.Counter(3, over), auth.Counter(4, over), NOW, POLICY)
    assert client == auth.Counter(1, None) and every == auth.Counter(1, None)
    held = NOW + timedelta(minutes=2)
    client, every = auth.count_failure(auth.Counter(3, held), auth.Counter(4, held), NOW, POLICY)
    assert client == auth.Counter(4, NOW + timedelta(minutes=10)) and every == auth.Counter(
        5, NOW + timedelta(minutes=10)
    )


def test_each_counter_locks_at_its_own_limit() -> None:
    client, every = auth.count_failure(auth.Counter(2), auth.Counter(0), NOW, POLICY)
    assert client == (3, NOW + timedelta(minutes=10)) and every == (1, None)
    client, every = auth.count_failure(auth.Counter(0), auth.Counter(3), NOW, POLICY)
    assert client == (1, None) and every == (4, NOW + timedelta(minutes=10))


def test_the_lock_that_lasts_longest_is_named() -> None:
    soon, later = NOW + timedelta(minutes=5), NOW + timedelta(minutes=20)
    assert auth.lock_in_force(soon, later, NOW) == ("all", later)
    assert auth.lock_in_force(later, soon, NOW) == ("client", later)
    assert auth.lock_in_force(soon, None, NOW) == ("client", soon)
    assert auth.lock_in_force(NOW, later, NOW) == ("all", later)  # a lock ending now is over
    assert auth.lock_in_force(None, None, NOW) is None


@pytest.mark.parametrize(
    ("left", "minutes"),
    [
        (timedelta(seconds=1), 1),
        (timedelta(seconds=60), 1),
        (timedelta(seconds=61), 2),
        (timedelta(hours=2), 120),
        (timedelta(seconds=-30), 1),
    ],
)
def test_minutes_left_rounds_up(left: timedelta, minutes: int) -> None:
    assert auth.minutes_left(NOW + left, NOW) == minutes


def test_session_end_lifetime_is_checked_before_idle_time() -> None:
    created, seen = NOW - timedelta(hours=12), NOW - timedelta(hours=1)
    assert auth.session_end(created, seen, NOW, idle_minutes=30, lifetime_hours=12) == "lifetime"
    assert auth.session_end(created, seen, NOW, idle_minutes=30, lifetime_hours=13) == "idle"
    assert auth.session_end(created, seen, NOW, idle_minutes=60, lifetime_hours=13) is None


# ------------------------------------------------------------------------------------------- TOTP
def test_totp_step_of_naive_and_aware_times_is_the_same_utc_step(monkeypatch: pytest.MonkeyPatch) -> None:
    step = int(NOW.timestamp()) // 30
    amsterdam = timezone(timedelta(hours=1))
    assert auth.totp_step(NOW) == step
    assert auth.totp_step(NOW.astimezone(amsterdam)) == step
    # a naive time is UTC, whatever time zone the server runs in
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert auth.totp_step(NOW.replace(tzinfo=None)) == step
    finally:
        monkeypatch.undo()
        time.tzset()
    assert os.environ.get("TZ") != "America/New_York"


@pytest.mark.parametrize("length", [26, 28, 32])
def test_totp_code_of_secrets_that_need_padding(length: int) -> None:
    secret = pyotp.random_base32(length=32)[:length]
    step = auth.totp_step(NOW)
    assert auth.totp_code(secret, step) == pyotp.TOTP(secret).at(NOW)
    assert auth.totp_code(secret.lower(), step) == pyotp.TOTP(secret).at(NOW)


def test_totp_code_matches_the_rfc_6238_test_vector() -> None:
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    # RFC 6238 appendix B, SHA-1: 59 s -> 94287082, 1111111109 s -> 07081804 (the last six digits here)
    assert auth.totp_code(secret, 59 // 30) == "287082"
    assert auth.totp_code(secret, 1111111109 // 30) == "081804"
    assert auth.totp_code(secret, 20000000000 // 30) == "353130"


def test_totp_secret_valid_from_sixteen_characters() -> None:
    assert auth.totp_secret_valid("A" * 16)
    assert not auth.totp_secret_valid("A" * 15)
    assert auth.totp_secret_valid("ABCDEFGHIJKLMNOP2345====")
    assert not auth.totp_secret_valid("abcdefghijklmnop")  # lower case is not what is stored
    assert not auth.totp_secret_valid("ABCDEFGHIJKLMNO1")  # 1 is not a base32 digit


def test_totp_code_typed_with_blanks_is_accepted() -> None:
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).at(NOW)
    step = auth.totp_step(NOW)
    assert auth.match_totp(secret, f" {code[:3]} {code[3:]}\t", NOW, last_step=step - 1) == ("ok", step)
    assert auth.match_totp(secret, code, NOW, last_step=step) == ("replayed", step)


# ------------------------------------------------------------------------------------------- recovery codes
def test_recovery_codes_count_and_form() -> None:
    codes = auth.generate_recovery_codes(3)
    assert len(codes) == 3 == len(set(codes)) and codes == sorted(codes)
    assert all(len(c) == 14 and c[4] == "-" and c[9] == "-" for c in codes)
    assert auth.normalise_recovery_code("ABCD EFGH-JKMN") == "abcd-efgh-jkmn"
    assert auth.normalise_recovery_code("abcdefghjkmnp") is None  # 13 characters
    assert auth.normalise_recovery_code("abcdefghjkm") is None  # 11
    assert auth.normalise_recovery_code(None) is None  # type: ignore[arg-type]
