"""Identifiers (BSN eleven-test, KvK) and the listing name format."""

from __future__ import annotations

import pytest

from portal.domain.identifiers import (
    BSN_CAPACITY,
    compact_bsn,
    format_initials,
    format_name,
    initials_of,
    is_valid_bsn,
    is_valid_kvk,
    make_bsn,
    search_key,
)


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "111.222.333", " 123456782 ", "111-222-333"])
def test_valid_bsns(bsn: str) -> None:
    assert is_valid_bsn(bsn)


@pytest.mark.parametrize(
    "bsn",
    ["000000000", "123456789", "111222334", "12345678a", "", "1234567820", "abcdefghi", "11122233"],
)
def test_invalid_bsns(bsn: str) -> None:
    assert not is_valid_bsn(bsn)


def test_non_string_bsn_is_invalid() -> None:
    assert not is_valid_bsn(111222333)  # type: ignore[arg-type]
    assert not is_valid_bsn(None)  # type: ignore[arg-type]


def test_compact_bsn_restores_a_dropped_leading_zero() -> None:
    assert compact_bsn("12.34.56.789") == "123456789"
    assert compact_bsn("12345672") == "012345672"


def test_make_bsn_valid_and_unique_over_ten_thousand() -> None:
    values = [make_bsn(n) for n in range(10_000)]
    assert all(len(v) == 9 and v.isdigit() and is_valid_bsn(v) for v in values)
    assert len(set(values)) == len(values)


def test_make_bsn_is_deterministic_and_covers_far_counters() -> None:
    assert make_bsn(42) == make_bsn(42)
    far = [make_bsn(n) for n in range(BSN_CAPACITY - 2_000, BSN_CAPACITY)]
    spread = [make_bsn(n) for n in range(0, BSN_CAPACITY, BSN_CAPACITY // 2_000)]
    assert all(is_valid_bsn(v) for v in far + spread)
    assert len(set(far + spread)) == len(far) + len(spread)


@pytest.mark.parametrize("n", [-1, BSN_CAPACITY])
def test_make_bsn_rejects_out_of_range_counters(n: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        make_bsn(n)


@pytest.mark.parametrize(
    ("last", "initials", "prefix", "expected"),
    [
        ("Assob", "G.", "ter", "Assob, G., ter"),
        ("Assob", "G", "ter", "Assob, G., ter"),
        ("Berg", "J.W.", "van der", "Berg, J.W., van der"),
        ("Berg", "JW", "van der", "Berg, J.W., van der"),
        ("Jansen", "P.", "", "Jansen, P."),
        ("Çelik", "Ö.", "", "Çelik, Ö."),
        ("Vries", "", "de", "Vries, de"),
        (" Dijk ", " A. ", " van ", "Dijk, A., van"),
    ],
)
def test_format_name(last: str, initials: str, prefix: str, expected: str) -> None:
    assert format_name(last, initials, prefix) == expected


def test_initials() -> None:
    assert initials_of("Jan Willem") == "J.W."
    assert initials_of("Zoë") == "Z."
    assert initials_of("") == ""
    assert format_initials("g.h") == "g.h."
    assert format_initials("") == ""


@pytest.mark.parametrize(
    ("kvk", "ok"),
    [
        ("12345678", True),
        ("08123456", True),
        ("1234 5678", True),
        ("1234567", False),
        ("123456789", False),
        ("1234567a", False),
        ("", False),
    ],
)
def test_kvk(kvk: str, ok: bool) -> None:
    assert is_valid_kvk(kvk) is ok


def test_format_name_of_a_last_name_alone() -> None:
    assert format_name("Jansen") == "Jansen"
    assert format_name("Jansen", "P.") == "Jansen, P."


def test_kvk_separators_and_non_strings() -> None:
    assert is_valid_kvk("1234.5678") and is_valid_kvk("12.34.56.78")
    assert not is_valid_kvk(12345678)  # type: ignore[arg-type]
    assert not is_valid_kvk(None)  # type: ignore[arg-type]


def test_make_bsn_gives_the_same_numbers_in_every_release() -> None:
    """Demo data and its tests rely on the counter -> BSN mapping: it is fixed, not just valid and unique."""
    assert [make_bsn(0), make_bsn(1), make_bsn(BSN_CAPACITY - 1)] == ["237174212", "323593963", "150754462"]
    assert BSN_CAPACITY == 81_000_000


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Çelik-Boër, G.", "celik boer g"),
        ("  Ångström  ", "angstrom"),
        ("ﬁne Straße 2", "fine strasse 2"),  # compatibility characters and ß fold too
        ("O'Neill", "o neill"),
        ("", ""),
    ],
)
def test_search_key(text: str, key: str) -> None:
    assert search_key(text) == key
