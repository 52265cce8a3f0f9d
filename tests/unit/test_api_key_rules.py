"""The payroll API's pure rules (API-1): the shape of a key and its stored hash, the bearer header, the
Idempotency-Key, the request fingerprint and the fixed-window rate limit."""

from __future__ import annotations

import hashlib

import pytest

from portal.domain import api_keys as rules
from portal.domain.api_keys import Window


def test_a_new_key_is_prefix_and_secret_and_only_the_hash_of_the_secret_is_kept() -> None:
    made = rules.new_key()
    tag, prefix, secret = made.plain.split("_", 2)
    assert (tag, prefix) == ("pk", made.prefix) and len(prefix) == 12 and len(secret) == 43
    assert made.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in made.secret_hash and rules.split_key(made.plain) == (prefix, secret)
    assert rules.secret_matches(secret, made.secret_hash)
    assert not rules.secret_matches(secret[:-1] + ("A" if secret[-1] != "A" else "B"), made.secret_hash)
    assert rules.new_key().prefix != made.prefix  # random


@pytest.mark.parametrize(
    "raw",
    [
        None,
        12,
        "",
        "pk_",
        "pk_abc_def",
        "xx_" + "0" * 12 + "_" + "A" * 43,
        "pk_" + "0" * 11 + "_" + "A" * 43,
        "pk_" + "0" * 12 + "_" + "A" * 42,
        "pk_" + "0" * 12 + "_" + "A" * 42 + "!",
        "pk_" + "G" * 12 + "_" + "A" * 43,
    ],
)
def test_malformed_keys_are_refused_unread(raw: object) -> None:
    assert rules.split_key(raw) is None


def test_bearer_header() -> None:
    assert rules.bearer("Bearer abc") == "abc"
    assert rules.bearer("bearer   abc ") == "abc"
    assert rules.bearer("Basic abc") is None
    assert rules.bearer("Bearer ") is None
    assert rules.bearer(None) is None


def test_idempotency_keys() -> None:
    assert rules.valid_idempotency_key("3f2b6c1e-8a5d-4c1b-9d1e-2a7b5c9e0f11")
    assert rules.valid_idempotency_key("a" * 100)
    assert not rules.valid_idempotency_key("a" * 101)
    assert not rules.valid_idempotency_key("")
    assert not rules.valid_idempotency_key("with space")
    assert not rules.valid_idempotency_key(None)


def test_the_fingerprint_ignores_key_order_but_not_values_method_or_path() -> None:
    base = rules.request_fingerprint("POST", "/p", {"a": "1", "b": ["x", {"c": 2}]})
    assert base == rules.request_fingerprint("post", "/p", {"b": ["x", {"c": 2}], "a": "1"})
    assert base != rules.request_fingerprint("POST", "/p", {"a": "2", "b": ["x", {"c": 2}]})
    assert base != rules.request_fingerprint("POST", "/q", {"a": "1", "b": ["x", {"c": 2}]})
    assert base != rules.request_fingerprint("POST", "/p", {"a": "1", "b": [{"c": 2}, "x"]})


def test_key_names() -> None:
    assert rules.clean_name("  Loket   payroll ") == "Loket payroll"
    assert rules.clean_name("x" * 80) == "x" * 80
    assert rules.clean_name("x" * 81) is None
    assert rules.clean_name("   ") is None
    assert rules.clean_name(None) is None
    assert rules.clean_name("a\x00b") is None


def test_fixed_window_rate_limit() -> None:
    w = rules.count_request(Window(0, 0), 1000.5, 60)
    assert w == Window(960, 1)
    w = rules.count_request(w, 1019.0, 60)
    assert w == Window(960, 2)
    assert rules.retry_after(w, 2, 1019.0, 60) is None  # at the limit: still allowed
    w = rules.count_request(w, 1019.0, 60)
    assert rules.retry_after(w, 2, 1019.0, 60) == 1  # over it: until the window ends (1020)
    assert rules.retry_after(Window(960, 3), 2, 961.0, 60) == 59
    assert rules.count_request(w, 1020.0, 60) == Window(1020, 1)  # a new window starts from one
