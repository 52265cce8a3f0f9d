"""Locale formatting (PLT-5): the figures the seeds show, through Babel."""

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from portal.i18n import formatting as fmt


def test_money_in_dutch_and_english() -> None:
    assert fmt.money(Decimal("52242.28"), "nl") == "€ 52.242,28"
    assert fmt.money(Decimal("52242.28"), "en") == "€52,242.28"
    assert fmt.money(None) == ""


def test_part_time_percentage_has_three_decimals() -> None:
    assert fmt.percent(Decimal("100"), "nl") == "100,000%"
    assert fmt.percent(Decimal("62.5"), "en") == "62.500%"


def test_dates_and_counts() -> None:
    assert fmt.day(date(2019, 8, 1), "nl") == "01-08-2019"
    assert fmt.day(date(2019, 8, 1), "en") == "01/08/2019"
    assert fmt.number(5000, "nl") == "5.000"
    assert fmt.number(5000, "en") == "5,000"


def test_unknown_language_falls_back_to_dutch() -> None:
    assert fmt.money(Decimal("1"), "xx") == "€ 1,00"


def test_moments_are_shown_in_dutch_local_time() -> None:
    from datetime import UTC, datetime

    assert fmt.moment(datetime(2023, 10, 10, 12, 5, tzinfo=UTC), "nl") == "10-10-2023 14:05"  # CEST
    assert fmt.moment(datetime(2023, 1, 4, 8, 0), "en") == "04/01/2023 09:00"  # naive = UTC, CET


@given(
    st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
    st.decimals(min_value=0, max_value=100, places=3, allow_nan=False),
    st.dates(),
    st.sampled_from(["nl", "en", "de"]),
)
def test_kept_patterns_format_exactly_as_babels_functions(amount, parttime, day, lang) -> None:
    """The formatters keep Babel's parsed patterns (speed); the text is what Babel's own calls give."""
    locale = fmt._locale(lang)
    assert fmt.money(amount, lang) == format_currency(amount, "EUR", locale=locale).replace("\xa0", " ")
    assert fmt.percent(parttime, lang) == format_decimal(parttime, format="#,##0.000", locale=locale) + "%"
    assert fmt.day(day, lang) == format_date(day, fmt.DATE_PATTERNS.get(lang, "dd-MM-yyyy"), locale=locale)


def test_an_amount_as_typed_in_a_field_keeps_its_places_and_the_languages_decimal_sign() -> None:
    assert fmt.as_input(Decimal("1.00"), "nl") == "1,00"
    assert fmt.as_input(Decimal("0.01"), "en") == "0.01"
    assert fmt.as_input(Decimal("52242.28"), "nl") == "52242,28"  # no thousands separator in a field
    assert fmt.as_input(None, "nl") == ""
