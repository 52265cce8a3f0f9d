"""Pure authentication rules: passwords, codes, lock-out, session expiry, TOTP, recovery codes (AUTH-1..3, AUTH-7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from portal.domain import auth

NOW = datetime(2026, 3, 14, 9, 26, 53)


@pytest.mark.parametrize(
    "pw",
    ["short1A!", "alllowercaseletters", "password123", "Password123!", "P@ssw0rd2024!", "qwertyuiop12",
     "aaaaaaaaaaaaaaaa", "abcdefghij1", "1234567890ab", "Welkom01!Welkom01!", ""],
)  # fmt: skip
def test_weak_passwords(pw: str) -> None:
    assert auth.password_strength(pw) == "weak"
    assert not auth.password_acceptable(pw)


@pytest.mark.parametrize("pw", ["Tr0ub4dor&3", "kT9mq2Lvx8ab", "blue-Horse-71"])
def test_fair_passwords(pw: str) -> None:
    assert auth.password_strength(pw) == "fair"
    assert auth.password_acceptable(pw)


@pytest.mark.parametrize(
    "pw", ["portal-demo-2026", "correct horse battery staple", "MyDog-Bella-Likes-Walks", "kT9#mq2Lvx8!zR"]
)
def test_strong_passwords(pw: str) -> None:
    assert auth.password_strength(pw) == "strong"


def test_demo_password_is_strong() -> None:
    assert auth.password_strength("portal-demo-2026") == "strong"


def test_password_containing_the_username_is_weak() -> None:
    assert auth.password_strength("janssen-2026", avoid=["janssen"]) == "weak"
    assert auth.password_strength("janssen-2026") != "weak"


@pytest.mark.parametrize(("raw", "ok"), [("Jan.Jansen", True), ("ab", False), ("a" * 64, True),
                                         ("a" * 65, False), ("jan jansen", False), ("jan@x", False)])  # fmt: skip
def test_username_rules(raw: str, ok: bool) -> None:
    name = auth.normalise_username(raw)
    assert name == raw.strip().lower()
    assert auth.username_valid(name) is ok


def test_email_rules() -> None:
    assert auth.normalise_email("  Jan@Example.NL ") == "jan@example.nl"
    assert auth.email_valid("jan@example.nl")
    for bad in ("jan", "jan@", "jan@example", "j an@example.nl", "a@b@c.nl", "x" * 250 + "@a.nl"):
        assert not auth.email_valid(bad)


def test_generate_code_is_six_digits_and_varies() -> None:
    codes = {auth.generate_code() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 40


def test_hash_secret_is_keyed_hmac() -> None:
    h = auth.hash_secret("k1", "123456")
    assert len(h) == 64 and h == auth.hash_secret("k1", "123456")
    assert h != auth.hash_secret("k2", "123456")


def test_code_expiry_at_the_boundary() -> None:
    expires = NOW + timedelta(minutes=15)
    assert auth.code_usable(expires, None, 0, expires - timedelta(microseconds=1))
    assert not auth.code_usable(expires, None, 0, expires)
    assert not auth.code_usable(expires, None, 0, expires + timedelta(seconds=1))


def test_code_single_use_and_attempt_limit() -> None:
    expires = NOW + timedelta(minutes=15)
    assert not auth.code_usable(expires, NOW, 0, NOW)
    assert auth.code_usable(expires, None, 4, NOW)
    assert not auth.code_usable(expires, None, 5, NOW)


def test_lockout_after_five_failures_and_unlock_after_the_period() -> None:
    count, until = 0, None
    for _ in range(4):
        count, until = auth.after_failure(count, NOW, 5, 15)
        assert until is None
    count, until = auth.after_failure(count, NOW, 5, 15)
    assert count == 5 and until == NOW + timedelta(minutes=15)
    assert auth.is_locked(until, NOW + timedelta(minutes=14, seconds=59))
    assert auth.minutes_left(until, NOW + timedelta(minutes=14, seconds=1)) == 1
    assert auth.minutes_left(until, NOW) == 15
    assert not auth.is_locked(until, NOW + timedelta(minutes=15))
    assert not auth.is_locked(None, NOW)


def test_one_failure_after_a_lock_is_over_counts_afresh() -> None:
    until = NOW + timedelta(minutes=15)
    assert auth.after_failure(5, until - timedelta(seconds=1), 5, 15, previous_lock=until)[1] is not None
    assert auth.after_failure(5, until, 5, 15, previous_lock=until) == (1, None)


POLICY = auth.LockoutPolicy(client_attempts=5, all_attempts=12, minutes=15)


def test_failures_from_one_client_lock_only_that_client() -> None:
    a, b, every = auth.Counter(), auth.Counter(), auth.Counter()
    for i in range(5):
        a, every = auth.count_failure(a, every, NOW, POLICY)
        assert (a.locked_until is None) == (i < 4)
    assert a == (5, NOW + timedelta(minutes=15)) and every == (5, None)
    assert auth.lock_in_force(a.locked_until, every.locked_until, NOW) == ("client", NOW + timedelta(minutes=15))
    assert auth.lock_in_force(b.locked_until, every.locked_until, NOW) is None  # client B still signs in
    assert auth.lock_in_force(a.locked_until, every.locked_until, NOW + timedelta(minutes=15)) is None


def test_the_ceiling_over_all_clients_locks_every_client() -> None:
    every = auth.Counter()
    for i in range(12):  # twelve clients with one failure each
        _mine, every = auth.count_failure(auth.Counter(), every, NOW, POLICY)
        assert (every.locked_until is None) == (i < 11)
    fresh = auth.Counter()
    assert auth.lock_in_force(fresh.locked_until, every.locked_until, NOW) == ("all", NOW + timedelta(minutes=15))
    assert auth.lock_in_force(None, every.locked_until, NOW + timedelta(minutes=14, seconds=59)) is not None
    assert auth.lock_in_force(None, every.locked_until, NOW + timedelta(minutes=15)) is None
    # both locks hold: the one that lasts longest is named
    later = NOW + timedelta(minutes=20)
    assert auth.lock_in_force(later, every.locked_until, NOW) == ("client", later)


@pytest.mark.parametrize(
    ("ip", "client"),
    [("10.0.0.7", "10.0.0.7"), (" ::1 ", "::1"), ("", "unknown"), ("*", "unknown"), ("x" * 80, "x" * 64)],
)
def test_throttle_client(ip: str, client: str) -> None:
    assert auth.throttle_client(ip) == client


@pytest.mark.parametrize(
    ("created", "seen", "end"),
    [
        (timedelta(hours=-11, minutes=-59, seconds=-59), timedelta(0), None),
        (timedelta(hours=-12), timedelta(0), "lifetime"),  # active a moment ago, but twelve hours old
        (timedelta(hours=-13), timedelta(minutes=-40), "lifetime"),
        (timedelta(hours=-1), timedelta(minutes=-30), None),  # the idle boundary itself still counts as alive
        (timedelta(hours=-1), timedelta(minutes=-30, seconds=-1), "idle"),
    ],
)
def test_session_end_by_lifetime_and_idle_time(created: timedelta, seen: timedelta, end: str | None) -> None:
    assert auth.session_end(NOW + created, NOW + seen, NOW, idle_minutes=30, lifetime_hours=12) == end


def test_totp_code_matches_pyotp() -> None:
    secret = pyotp.random_base32()
    step = auth.totp_step(NOW)
    assert step == int(NOW.replace(tzinfo=UTC).timestamp()) // 30
    assert auth.totp_code(secret, step) == pyotp.TOTP(secret).at(NOW.replace(tzinfo=UTC))


def test_totp_window_is_one_step_each_side() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    at = NOW.replace(tzinfo=UTC)
    step = auth.totp_step(NOW)
    for delta in (-30, 0, 30):
        code = totp.at(at + timedelta(seconds=delta))
        assert auth.match_totp(secret, code, NOW, last_step=0) == ("ok", step + delta // 30)
    for delta in (-60, 60):
        code = totp.at(at + timedelta(seconds=delta))
        if code not in {totp.at(at + timedelta(seconds=d)) for d in (-30, 0, 30)}:
            assert auth.match_totp(secret, code, NOW, last_step=0) == ("invalid", None)


def test_totp_replay_refused() -> None:
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).at(NOW.replace(tzinfo=UTC))
    result, step = auth.match_totp(secret, code, NOW, last_step=0)
    assert result == "ok" and step is not None
    assert auth.match_totp(secret, code, NOW, last_step=step)[0] == "replayed"
    # also a code of an earlier step than the last accepted one
    earlier = pyotp.TOTP(secret).at(NOW.replace(tzinfo=UTC) - timedelta(seconds=30))
    assert auth.match_totp(secret, earlier, NOW, last_step=step)[0] == "replayed"


def test_totp_rejects_malformed_codes() -> None:
    secret = pyotp.random_base32()
    for bad in ("", "12345", "1234567", "abcdef", None):
        assert auth.match_totp(secret, bad, NOW, 0) == ("invalid", None)  # type: ignore[arg-type]
    assert auth.totp_secret_valid(secret)
    assert not auth.totp_secret_valid("short")


def test_recovery_codes() -> None:
    codes = auth.generate_recovery_codes()
    assert len(codes) == 10 == len(set(codes))
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4]
        assert set("".join(groups)) <= set(auth.RECOVERY_ALPHABET)
        assert not set(code) & set("il1o0")
    code = codes[0]
    assert auth.normalise_recovery_code(code.upper().replace("-", " ")) == code
    assert auth.normalise_recovery_code(" " + code.replace("-", "") + " ") == code
    assert auth.normalise_recovery_code("abcd-efgh-ijkl") is None  # i and l are not in the alphabet
    assert auth.normalise_recovery_code("abcd-efgh") is None
