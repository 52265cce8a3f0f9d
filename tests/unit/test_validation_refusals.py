"""MUT-4 validation, exactly: each refusal names its field, its message key and its parameters, and every limit
holds at the value itself and fails one step past it (a form shows the message at the field it names)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.domain import validation as v
from portal.domain.errors import RuleError


def refusal(fn, *args, **kwargs) -> tuple[str, str, dict]:  # type: ignore[no-untyped-def]
    """(field, key, params) of the RuleError that ``fn`` raises."""
    with pytest.raises(RuleError) as err:
        fn(*args, **kwargs)
    assert str(err.value) == f"{err.value.field}: {err.value.key}"
    return err.value.field, err.value.key, err.value.params


def test_rule_error_keeps_field_key_and_a_copy_of_the_params() -> None:
    params = {"limit": 5}
    err = RuleError("salary", "salary_too_high", params)
    assert (err.field, err.key, err.params, str(err)) == (
        "salary",
        "salary_too_high",
        {"limit": 5},
        "salary: salary_too_high",
    )
    params["limit"] = 6
    assert err.params == {"limit": 5}
    assert RuleError("f", "k").params == {}


# ------------------------------------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "1.00"),  # the smallest whole salary
        ("100.000", "100000.00"),  # three digits before a single separator: still thousands
        ("100,000", "100000.00"),
        ("999.999", "999999.00"),
        ("1 000", "1000.00"),
        ("1\u00a0000,50", "1000.50"),  # a no-break space as typed by a Dutch number format
        ("+52242,28", "52242.28"),
        ("52.242,2", "52242.20"),
        ("9.999.999,99", "9999999.99"),  # the largest salary
        ("1.234.567", "1234567.00"),  # several of one separator: thousands
        ("1,234,567", "1234567.00"),
        (Decimal("9999999.99"), "9999999.99"),
        (Decimal("0.01"), "0.01"),
    ],
)
def test_salary_values_at_their_limits(text: object, expected: str) -> None:
    assert str(v.parse_salary(text)) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1000,000", "salary_invalid"),  # four digits before it: a decimal comma with three decimals
        ("1000.000", "salary_invalid"),
        ("0,125", "salary_invalid"),  # a leading 0 is never a thousands group
        ("0.125", "salary_invalid"),
        ("52,", "salary_invalid"),  # a separator needs digits on both sides
        (",50", "salary_invalid"),
        ("52.", "salary_invalid"),
        ("X5", "salary_invalid"),
        ("-+5", "salary_invalid"),
        ("+-5", "salary_invalid"),
        ("++5", "salary_invalid"),
        ("-", "salary_invalid"),
        ("+", "salary_invalid"),
        ("€", "salary_invalid"),
        ("1,5.000", "salary_invalid"),  # the last separator decides; the rest must be proper thousands
        ("1.234.5", "salary_invalid"),
        ("1,23.45", "salary_invalid"),
        (Decimal("NaN"), "salary_invalid"),
        (Decimal("Infinity"), "salary_invalid"),
        (float("inf"), "salary_invalid"),
        (None, "salary_required"),
        (Decimal("-0.01"), "salary_not_positive"),
        (Decimal("0"), "salary_not_positive"),
        (Decimal("0.001"), "salary_invalid"),
        ("10000000,01", "salary_too_high"),
    ],
)
def test_salary_refusals_name_the_field_and_the_key(text: object, key: str) -> None:
    field, found, _params = refusal(v.parse_salary, text)
    assert (field, found) == ("salary", key)
    assert refusal(v.parse_salary, text, "new_salary")[:2] == ("new_salary", key)


def test_salary_limit_names_the_limit() -> None:
    assert refusal(v.parse_salary, "10.000.000") == ("salary", "salary_too_high", {"limit": "10.000.000"})
    assert refusal(v.parse_salary, "0") == ("salary", "salary_not_positive", {})


def test_parse_number_keeps_a_sign_and_the_decimals_typed() -> None:
    def parse(text: object, grouping: bool = True, max_decimals: int = 2) -> Decimal:
        return v.parse_number(text, grouping=grouping, max_decimals=max_decimals, field="f", key="k")

    assert parse("-1.234,5") == Decimal("-1234.5")
    assert parse("1.234", max_decimals=3) == Decimal("1.234")  # three decimals allowed: a decimal point
    assert parse("1.234", max_decimals=2) == Decimal("1234")
    assert parse("1.234", grouping=False, max_decimals=2) == Decimal("1.234")
    assert parse(7) == Decimal(7)
    assert parse(2.5) == Decimal("2.5")
    assert str(parse("0,50")) == "0.50"
    for bad in ("1.234.567", "1,234.5"):
        assert refusal(parse, bad, grouping=False) == ("f", "k", {})
    for bad in (None, [], "", "1.2.3,4", "12,3456.78"):
        assert refusal(parse, bad) == ("f", "k", {})


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (None, "parttime_required"),
        ("  ", "parttime_required"),
        ("-0,001", "parttime_range"),
        ("100.001", "parttime_range"),
        ("50,0001", "parttime_decimals"),
        ("abc", "parttime_range"),
        ("50,5.0", "parttime_range"),
        (Decimal("NaN"), "parttime_range"),
    ],
)
def test_parttime_refusals_name_the_field_and_the_key(text: object, key: str) -> None:
    assert refusal(v.parse_parttime, text) == ("parttime", key, {})
    assert refusal(v.parse_parttime, text, "new_parttime") == ("new_parttime", key, {})


def test_parttime_limits_themselves_are_allowed() -> None:
    assert str(v.parse_parttime("0")) == "0.000"
    assert str(v.parse_parttime("100")) == "100.000"
    assert str(v.parse_parttime("99,999")) == "99.999"  # a percentage has no thousands separator
    assert str(v.parse_parttime("100.000")) == "100.000"


# ------------------------------------------------------------------------------------------- dates
def test_date_years_from_1900_to_2199() -> None:
    assert v.parse_date("1900-01-01", "d") == date(1900, 1, 1)
    assert v.parse_date("31-12-2199", "d") == date(2199, 12, 31)
    assert v.parse_date("2199-12-31", "d") == date(2199, 12, 31)
    for bad in ("1899-12-31", "31-12-1899", "2200-01-01", "01-01-2200", "0000-01-01"):
        assert refusal(v.parse_date, bad, "birth_date") == ("birth_date", "date_invalid", {})


def test_date_refusals_name_their_field() -> None:
    assert refusal(v.parse_date, None, "start_date") == ("start_date", "date_required", {})
    assert refusal(v.parse_date, " ", "start_date") == ("start_date", "date_required", {})
    assert v.parse_date(None, "start_date", required=False) is None
    assert v.parse_date("  ", "start_date", required=False) is None
    assert refusal(v.parse_date, "2026-13-01", "start_date") == ("start_date", "date_invalid", {})
    assert refusal(v.parse_date, 20261101, "start_date", required=False) == ("start_date", "date_invalid", {})
    assert refusal(v.require_date, "", "exit_date") == ("exit_date", "date_required", {})
    assert v.parse_date(" 2026-11-01 ", "d", required=False) == date(2026, 11, 1)
    assert v.parse_date("9-3-2026", "d") == date(2026, 3, 9)  # day first
    assert v.require_date("2026-03-09", "d") == date(2026, 3, 9)


def test_exit_is_after_the_day_of_hire() -> None:
    hire = date(2021, 3, 1)
    v.check_exit(date(2021, 3, 2), hire)  # the day after hire is the first possible exit
    assert refusal(v.check_exit, hire, hire) == ("exit_date", "exit_before_hire", {"hire_date": "2021-03-01"})
    assert refusal(v.check_exit, hire, hire, "end") == ("end", "exit_before_hire", {"hire_date": "2021-03-01"})


def test_birth_date_today_is_allowed_tomorrow_is_not() -> None:
    today = date(2026, 11, 1)
    v.check_birth_date(today, today)
    assert refusal(v.check_birth_date, date(2026, 11, 2), today) == ("birth_date", "birth_date_future", {})
    assert refusal(v.check_birth_date, date(2027, 1, 1), today, "partner_birth_date")[:2] == (
        "partner_birth_date",
        "birth_date_future",
    )


# ------------------------------------------------------------------------------------------- BSN
def test_bsn_refusals_name_the_field() -> None:
    assert refusal(v.parse_bsn, None) == ("bsn", "bsn_required", {})
    assert refusal(v.parse_bsn, "  ") == ("bsn", "bsn_required", {})
    assert refusal(v.parse_bsn, "123456789") == ("bsn", "bsn_invalid", {})
    assert refusal(v.parse_bsn, 111222333) == ("bsn", "bsn_invalid", {})
    assert refusal(v.parse_bsn, "123456789", "partner_bsn") == ("partner_bsn", "bsn_invalid", {})
    assert refusal(v.parse_bsn, "", "partner_bsn") == ("partner_bsn", "bsn_required", {})
    assert v.parse_bsn(" 10000008 ") == "010000008"  # a leading zero that Excel dropped comes back


# ------------------------------------------------------------------------------------------- text
def test_text_of_several_lines_keeps_tabs_and_line_breaks_and_refuses_other_control_characters() -> None:
    assert refusal(v.clean_text, "a\nb", "street") == ("street", "text_invalid", {})
    assert v.clean_text(" a\r\nb\tc ", "comment", lines=True) == "a\r\nb\tc"
    for bad in ("bell\x07!", "nul\x00!", "esc\x1b!", "del\x7f!", "vt\x0b!", "ff\x0c!"):
        assert refusal(v.clean_text, bad, "comment", lines=True) == ("comment", "text_invalid", {})
        assert refusal(v.clean_text, bad, "street") == ("street", "text_invalid", {})


def test_text_at_its_limit_is_kept_one_more_is_refused() -> None:
    assert v.clean_text("x" * 200, "street") == "x" * 200
    assert refusal(v.clean_text, "x" * 201, "street") == ("street", "text_too_long", {"limit": 200})
    assert v.clean_text("x" * 5, "f", limit=5) == "xxxxx"
    assert refusal(v.clean_text, "x" * 6, "f", limit=5) == ("f", "text_too_long", {"limit": 5})
    assert v.clean_text("  " + "x" * 200 + "  ", "street") == "x" * 200  # blanks around do not count
    assert v.clean_last_name("x" * 100) == "x" * 100
    assert refusal(v.clean_last_name, "x" * 101) == ("last_name", "text_too_long", {"limit": 100})
    assert refusal(v.clean_last_name, "x" * 101, "partner_last_name") == (
        "partner_last_name",
        "text_too_long",
        {"limit": 100},
    )


def test_text_required_and_control_characters() -> None:
    assert refusal(v.clean_text, "", "first_name", required=True) == ("first_name", "first_name_required", {})
    assert refusal(v.clean_text, None, "city", required=True, key="city_missing") == ("city", "city_missing", {})
    assert refusal(v.clean_last_name, None) == ("last_name", "last_name_required", {})
    assert refusal(v.clean_last_name, "", "partner_last_name") == ("partner_last_name", "last_name_required", {})
    assert v.clean_text("", "first_name") == ""
    assert v.clean_text("   ", "first_name") == ""
    for bad in ("a\x00b", "a\tb", "a\nb", "a\x1fb", "a\x7fb"):
        assert refusal(v.clean_text, bad, "street") == ("street", "text_invalid", {})
    assert refusal(v.clean_text, 5, "street") == ("street", "text_invalid", {})
    assert refusal(v.clean_text, b"x", "street", required=True) == ("street", "text_invalid", {})
    assert v.clean_text(" a b~ ", "street") == "a b~"  # space and ~ (0x20, 0x7e) are ordinary characters


# ------------------------------------------------------------------------------------------- choices
def test_gender() -> None:
    assert [v.clean_gender(g) for g in ("m", " f ", "x", "u", "", None, 5)] == ["M", "F", "X", "U", "U", "U", "U"]
    assert refusal(v.clean_gender, "V") == ("gender", "gender_invalid", {})
    assert refusal(v.clean_gender, "male", "partner_gender") == ("partner_gender", "gender_invalid", {})


def test_language() -> None:
    assert [v.clean_language(x) for x in ("nl", " EN ", "", "  ", None, 5)] == ["nl", "en", "nl", "nl", "nl", "nl"]
    assert refusal(v.clean_language, "de") == ("language", "language_invalid", {})
    assert refusal(v.clean_language, "fr", "lang") == ("lang", "language_invalid", {})


def test_country() -> None:
    assert v.clean_country(" de ", "c") == "DE"
    assert v.clean_country(None, "c") == "NL"
    assert v.clean_country(7, "c", default="BE") == "BE"
    assert v.clean_country("  ", "c", default="BE") == "BE"
    for bad in ("N", "NLD", "N1", "é1"):
        assert refusal(v.clean_country, bad, "country") == ("country", "country_invalid", {})


def test_email() -> None:
    address = "a" * 64 + "@" + "b" * 185 + ".nl"  # 253 characters
    assert len(address) == 253
    assert v.clean_email(address + "x", "e") == address + "x"  # 254: the longest address
    assert refusal(v.clean_email, address + "xy", "business_email") == (
        "business_email",
        "text_too_long",
        {"limit": 254},
    )
    assert refusal(v.clean_email, "jan@example", "business_email") == ("business_email", "email_invalid", {})
    assert refusal(v.clean_email, "jan\x00@example.nl", "business_email") == ("business_email", "text_invalid", {})
    assert v.clean_email(None, "e") == ""


def test_postcode() -> None:
    assert v.clean_postcode(" 3526 km ", "NL") == "3526 KM"
    assert v.clean_postcode("3526KM", "NL") == "3526 KM"
    assert v.clean_postcode("", "NL") == ""
    assert v.clean_postcode("3526", "BE") == "3526"
    assert v.clean_postcode("x" * 12, "DE") == "x" * 12
    assert refusal(v.clean_postcode, "x" * 13, "DE") == ("postcode", "text_too_long", {"limit": 12})
    assert refusal(v.clean_postcode, "x" * 13, "DE", "partner_postcode") == (
        "partner_postcode",
        "text_too_long",
        {"limit": 12},
    )
    assert refusal(v.clean_postcode, "0526 KM", "NL") == ("postcode", "postcode_invalid", {})
    assert refusal(v.clean_postcode, "3526", "NL", "pc") == ("pc", "postcode_invalid", {})
    assert refusal(v.clean_postcode, "3526\x00KM", "NL", "pc") == ("pc", "text_invalid", {})


# ------------------------------------------------------------------------------------------- partner
def test_partner_refusals_name_their_field() -> None:
    assert v.check_partner(" Married ", date(2020, 1, 1), False) == "married"
    assert refusal(v.check_partner, None, date(2020, 1, 1), False) == ("partner_type", "partner_type_invalid", {})
    assert refusal(v.check_partner, "", date(2020, 1, 1), False) == ("partner_type", "partner_type_invalid", {})
    assert refusal(v.check_partner, "married", None, False) == ("start_date", "relation_start_required", {})
    assert refusal(v.check_partner, "married", date(2020, 1, 1), True) == ("partner_type", "partner_exists", {})
    # the type is checked first, then the start date, then whether a partner is already there
    assert refusal(v.check_partner, "friends", None, True)[1] == "partner_type_invalid"
    assert refusal(v.check_partner, "cohabiting", None, True)[1] == "relation_start_required"
