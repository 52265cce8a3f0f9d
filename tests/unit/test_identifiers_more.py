"""Belgian national and BIS numbers, IBAN, and the BSN examples of issue 3 (python-stdnum underneath)."""

from __future__ import annotations

import pytest

from portal.domain.identifiers import (
    compact_be_id,
    compact_iban,
    format_iban,
    is_valid_be_bis,
    is_valid_be_id,
    is_valid_be_national_number,
    is_valid_bsn,
    is_valid_iban,
    is_valid_kvk,
    is_valid_national_id,
)


@pytest.mark.parametrize(("bsn", "valid"), [("111222333", True), ("123456782", True), ("000000000", False)])
def test_bsn_examples(bsn: str, valid: bool) -> None:
    assert is_valid_bsn(bsn) is valid


@pytest.mark.parametrize("value", ["85073003328", "85.07.30-033.28", "85 07 30 033 28"])
def test_valid_belgian_national_numbers(value: str) -> None:
    assert is_valid_be_national_number(value)
    assert is_valid_be_id(value)
    assert is_valid_national_id(value, "BE")
    assert compact_be_id(value) == "85073003328"


@pytest.mark.parametrize("value", ["85073003329", "8507300332", "abcdefghijk", "", "98472899765"])
def test_invalid_belgian_national_numbers(value: str) -> None:
    assert not is_valid_be_national_number(value)


def test_bis_numbers() -> None:
    assert is_valid_be_bis("98.47.28-997.65")
    assert is_valid_be_id("98472899765")
    assert not is_valid_be_bis("98472899766")
    assert not is_valid_be_bis("85073003328")  # a national number is not a BIS number


def test_national_id_by_country() -> None:
    assert is_valid_national_id("111222333", "NL")
    assert not is_valid_national_id("111222333", "BE")
    assert not is_valid_national_id("85073003328", "NL")
    assert not is_valid_national_id("111222333", "DE")  # no rule for that country: not accepted


@pytest.mark.parametrize("value", ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91abna0417164300"])
def test_valid_ibans(value: str) -> None:
    assert is_valid_iban(value)
    assert compact_iban(value) == "NL91ABNA0417164300"
    assert format_iban(value) == "NL91 ABNA 0417 1643 00"


@pytest.mark.parametrize("value", ["NL91ABNA0417164301", "NL91ABNA041716430", "XX91ABNA0417164300", ""])
def test_invalid_ibans(value: str) -> None:
    assert not is_valid_iban(value)


@pytest.mark.parametrize("value", [None, 85073003328, b"NL91ABNA0417164300", ["x"]])
def test_non_strings_are_invalid(value: object) -> None:
    assert not is_valid_iban(value)  # type: ignore[arg-type]
    assert not is_valid_be_national_number(value)  # type: ignore[arg-type]
    assert not is_valid_be_bis(value)  # type: ignore[arg-type]


def test_kvk_still_eight_digits() -> None:
    assert is_valid_kvk("24345678")
    assert not is_valid_kvk("2434567")


def test_national_id_is_a_bsn_unless_another_country_is_named() -> None:
    assert is_valid_national_id("111222333")
    assert not is_valid_national_id("111222333", "DE")
