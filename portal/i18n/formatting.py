"""Numbers, money, percentages and dates in the user's locale (PLT-5), through Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import DateTimePattern, get_timezone
from babel.dates import format_datetime as _format_datetime
from babel.dates import parse_pattern as _date_pattern
from babel.numbers import NumberPattern, format_decimal, get_decimal_symbol
from babel.numbers import parse_pattern as _number_pattern

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "dd/MM/yyyy"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["nl"])


# Babel parses a pattern on every call; a table of 25 rows formats 75 values per event, so the parsed
# patterns are kept (what Babel's format_currency / format_decimal / format_date then do with them).
@lru_cache(maxsize=16)
def _money_pattern(lang: str) -> tuple[NumberPattern, Locale]:
    locale = Locale.parse(_locale(lang))
    return locale.currency_formats["standard"], locale


@lru_cache(maxsize=16)
def _percent_pattern(lang: str) -> tuple[NumberPattern, Locale]:
    return _number_pattern("#,##0.000"), Locale.parse(_locale(lang))


@lru_cache(maxsize=16)
def _day_pattern(lang: str) -> tuple[DateTimePattern, Locale]:
    return _date_pattern(DATE_PATTERNS.get(lang, DATE_PATTERNS["nl"])), Locale.parse(_locale(lang))


def money(amount: Decimal | int | None, lang: str = "nl") -> str:
    """``€ 52.242,28`` in Dutch (a normal space after the sign), ``€52,242.28`` in English."""
    if amount is None:
        return ""
    pattern, locale = _money_pattern(lang)
    return pattern.apply(Decimal(amount), locale, currency="EUR").replace("\xa0", " ")


def as_input(value: Decimal | None, lang: str = "nl") -> str:
    """An amount as a user types it in a field: all its places, no thousands separators, the language's decimal
    sign (``1,00`` in Dutch, ``1.00`` in English); '' for None."""
    if value is None:
        return ""
    return format(value, "f").replace(".", get_decimal_symbol(_locale(lang)))


def number(value: Decimal | int | None, lang: str = "nl") -> str:
    """A count or amount with thousands separators: ``5.000`` in Dutch."""
    return "" if value is None else format_decimal(value, locale=_locale(lang))


@lru_cache(maxsize=4096, typed=True)  # few distinct part-time values; the overview formats 25 per event
def percent(value: Decimal | None, lang: str = "nl") -> str:
    """A part-time or premium percentage with three decimals: ``100,000%``."""
    if value is None:
        return ""
    pattern, locale = _percent_pattern(lang)
    return pattern.apply(Decimal(value), locale) + "%"


@lru_cache(maxsize=4096, typed=True)  # dates in service repeat a lot; the overview formats 25 per event
def day(value: date | None, lang: str = "nl") -> str:
    """A date: ``01-08-2019`` in Dutch, ``01/08/2019`` in English."""
    if value is None:
        return ""
    pattern, locale = _day_pattern(lang)
    return pattern.apply(value, locale)


def moment(value: datetime | None, lang: str = "nl", tz: str = "Europe/Amsterdam") -> str:
    """A moment (stored in UTC) in Dutch local time: ``10-10-2023 14:05``."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    pattern = DATE_PATTERNS.get(lang, DATE_PATTERNS["nl"]) + " HH:mm"
    return _format_datetime(value, pattern, tzinfo=get_timezone(tz), locale=_locale(lang))
