"""Validation of untrusted input (MUT-4): amounts, part-time, dates, BSN, names, partner rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import validation as v
from portal.domain.errors import RuleError
from portal.i18n import all_messages

TODAY = date(2026, 11, 1)


def key_of(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError) as err:
        fn(*args, **kwargs)
    return err.value.key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("52.242,28", "52242.28"),
        ("52242.28", "52242.28"),
        ("52,242.28", "52242.28"),
        ("52242,28", "52242.28"),
        ("€ 52.242,28", "52242.28"),
        (" 52242 ", "52242.00"),
        ("52.242", "52242.00"),  # Dutch thousands separator
        ("52,242", "52242.00"),  # English thousands separator
        ("1.234.567,5", "1234567.50"),
        ("1,234,567.50", "1234567.50"),
        ("0,01", "0.01"),
        ("9999999.99", "9999999.99"),
        (Decimal("123.4"), "123.40"),
        (52242.28, "52242.28"),
        (1000, "1000.00"),
    ],
)
def test_salary_in_dutch_and_english_notation(text: object, expected: str) -> None:
    value = v.parse_salary(text)
    assert value == Decimal(expected) and str(value) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "salary_required"),
        ("   ", "salary_required"),
        (None, "salary_required"),
        ("0", "salary_not_positive"),
        ("0,00", "salary_not_positive"),
        ("-100", "salary_not_positive"),
        ("-52.242,28", "salary_not_positive"),
        ("52242.281", "salary_invalid"),  # three decimals
        ("abc", "salary_invalid"),
        ("1e5", "salary_invalid"),
        ("NaN", "salary_invalid"),
        ("12,34,567", "salary_invalid"),
        ("1.234,567.89", "salary_invalid"),
        ("--5", "salary_invalid"),
        ("5-", "salary_invalid"),
        (float("nan"), "salary_invalid"),
        (True, "salary_invalid"),
        ({"x": 1}, "salary_invalid"),
        ("10000000", "salary_too_high"),
        ("10.000.000,00", "salary_too_high"),
    ],
)
def test_bad_salaries(text: object, key: str) -> None:
    assert key_of(v.parse_salary, text) == key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100", "100.000"),
        ("100,000", "100.000"),
        ("87,125", "87.125"),
        ("87.125", "87.125"),
        ("0", "0.000"),
        ("80%", "80.000"),
        ("0,001", "0.001"),
        (Decimal("55.5"), "55.500"),
    ],
)
def test_parttime(text: object, expected: str) -> None:
    assert str(v.parse_parttime(text)) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("100,001", "parttime_range"),
        ("101", "parttime_range"),
        ("-1", "parttime_range"),
        ("87,1255", "parttime_decimals"),  # four decimals
        ("100.0000", "parttime_decimals"),
        ("1.000,5", "parttime_range"),  # no thousands separators in a percentage
        ("", "parttime_required"),
        ("abc", "parttime_range"),
    ],
)
def test_bad_parttime(text: str, key: str) -> None:
    assert key_of(v.parse_parttime, text) == key


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999.99"), places=2))
def test_any_amount_written_the_dutch_or_english_way_reads_back(value: Decimal) -> None:
    english = f"{value:,.2f}"
    dutch = english.replace(",", "_").replace(".", ",").replace("_", ".")
    assert v.parse_salary(english) == value
    assert v.parse_salary(dutch) == value
    assert v.parse_salary(f"{value:.2f}") == value


@given(st.decimals(min_value=0, max_value=100, places=3))
def test_any_parttime_with_three_decimals_reads_back(value: Decimal) -> None:
    assert v.parse_parttime(f"{value:.3f}") == value
    assert v.parse_parttime(f"{value:.3f}".replace(".", ",")) == value


def test_dates() -> None:
    assert v.parse_date("2026-11-01", "d") == date(2026, 11, 1)
    assert v.parse_date("01-11-2026", "d") == date(2026, 11, 1)
    assert v.parse_date("1-2-2026", "d") == date(2026, 2, 1)
    assert v.parse_date(date(2026, 1, 1), "d") == date(2026, 1, 1)
    assert v.parse_date("", "d", required=False) is None
    for bad in ("2026-02-30", "31-04-2026", "2026/11/01", "11/01/2026", "tomorrow", "1899-12-31", "20261101", 5):
        assert key_of(v.parse_date, bad, "d") == "date_invalid"
    assert key_of(v.parse_date, "", "d") == "date_required"
    assert key_of(v.require_date, None, "d") == "date_required"


def test_exit_after_hire() -> None:
    v.check_exit(date(2021, 3, 2), date(2021, 3, 1))
    assert key_of(v.check_exit, date(2021, 3, 1), date(2021, 3, 1)) == "exit_before_hire"
    assert key_of(v.check_exit, date(2020, 1, 1), date(2021, 3, 1)) == "exit_before_hire"


def test_bsn() -> None:
    assert v.parse_bsn("111222333") == "111222333"
    assert v.parse_bsn(" 1112.22.333 ") == "111222333"
    assert key_of(v.parse_bsn, "") == "bsn_required"
    assert key_of(v.parse_bsn, None) == "bsn_required"
    for bad in ("000000000", "123456789", "12345678a", 111222333):
        assert key_of(v.parse_bsn, bad) == "bsn_invalid"


@pytest.mark.parametrize("name", ["Ångström", "d'Hondt", "<b>Vries</b>", "<script>alert(1)</script>", "Müller-Łódź"])
def test_names_are_kept_exactly_as_typed(name: str) -> None:
    assert v.clean_last_name(name) == name
    assert v.clean_last_name(f"  {name} ") == name


def test_names_required_and_bounded() -> None:
    assert key_of(v.clean_last_name, "  ") == "last_name_required"
    assert key_of(v.clean_last_name, "x" * 101) == "text_too_long"
    assert key_of(v.clean_last_name, "Jan\x00sen") == "text_invalid"
    assert key_of(v.clean_last_name, 42) == "text_invalid"
    assert v.clean_text(None, "first_name") == ""


def test_gender_email_country_language_postcode() -> None:
    assert v.clean_gender("m") == "M" and v.clean_gender("") == "U" and v.clean_gender("X") == "X"
    assert key_of(v.clean_gender, "Q") == "gender_invalid"
    assert v.clean_email(" Jan@Example.NL ", "e") == "jan@example.nl"
    assert v.clean_email("", "e") == ""
    assert key_of(v.clean_email, "jan@", "e") == "email_invalid"
    assert v.clean_country("be", "c") == "BE" and v.clean_country("", "c") == "NL"
    assert key_of(v.clean_country, "Nederland", "c") == "country_invalid"
    assert v.clean_language("EN") == "en"
    assert key_of(v.clean_language, "xx") == "language_invalid"
    assert v.clean_postcode("3526km", "NL") == "3526 KM"
    assert v.clean_postcode("B-1000", "BE") == "B-1000"
    assert key_of(v.clean_postcode, "35 26", "NL") == "postcode_invalid"


def test_birth_date_not_in_the_future() -> None:
    v.check_birth_date(TODAY, TODAY)
    assert key_of(v.check_birth_date, date(2026, 11, 2), TODAY) == "birth_date_future"


def test_partner_rules() -> None:
    for kind in ("married", "registered", "cohabiting"):
        assert v.check_partner(kind, date(2020, 1, 1), False) == kind
        assert key_of(v.check_partner, kind, None, False) == "relation_start_required"
    assert key_of(v.check_partner, "friends", date(2020, 1, 1), False) == "partner_type_invalid"
    assert key_of(v.check_partner, "married", date(2020, 1, 1), True) == "partner_exists"


def test_every_rule_key_has_a_dutch_and_english_text() -> None:
    import inspect
    import re

    from portal.domain import dates, locks, plausibility
    from portal.services.mutations import drafts, inputs, person_drafts, queries, review, submit

    keys: set[str] = set()
    for module in (v, dates, locks, plausibility, drafts, inputs, person_drafts, queries, review, submit):
        source = inspect.getsource(module)
        keys |= set(re.findall(r'(?:RuleError|FieldError)\(\s*[^,()]+,\s*"([a-z_]+)"', source))
        keys |= set(re.findall(r'Warning\("([a-z_]+)"', source))
    keys |= {"date_too_far_ahead", "date_too_far_back", "participant_dormant", "scheme_collective_lock"}
    keys |= {"last_name_required", "email_invalid", "language_invalid"}
    messages = all_messages()
    missing = sorted(k for k in keys if k not in messages or not messages[k].get("nl") or not messages[k].get("en"))
    assert not missing, missing
    assert len(keys) > 50
