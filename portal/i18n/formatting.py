"""Numbers, money, percentages and dates in the user's locale (PLT-5), through Babel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import get_timezone
from babel.numbers import format_currency, format_decimal

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
DATE_PATTERNS = {"nl": "dd-MM-yyyy", "en": "dd/MM/yyyy"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["nl"])


def money(amount: Decimal | int | None, lang: str = "nl") -> str:
    """``€ 52.242,28`` in Dutch (a normal space after the sign), ``€52,242.28`` in English."""
    if amount is None:
        return ""
    text = format_currency(Decimal(amount), "EUR", locale=_locale(lang))
    return text.replace("\xa0", " ")


def number(value: Decimal | int | None, lang: str = "nl") -> str:
    """A count or amount with thousands separators: ``5.000`` in Dutch."""
    return "" if value is None else format_decimal(value, locale=_locale(lang))


def percent(value: Decimal | None, lang: str = "nl") -> str:
    """A part-time or premium percentage with three decimals: ``100,000%``."""
    return "" if value is None else format_decimal(Decimal(value), format="#,##0.000", locale=_locale(lang)) + "%"


def day(value: date | None, lang: str = "nl") -> str:
    """A date: ``01-08-2019`` in Dutch, ``01/08/2019`` in English."""
    return (
        "" if value is None else _format_date(value, DATE_PATTERNS.get(lang, DATE_PATTERNS["nl"]), locale=_locale(lang))
    )


def moment(value: datetime | None, lang: str = "nl", tz: str = "Europe/Amsterdam") -> str:
    """A moment (stored in UTC) in Dutch local time: ``10-10-2023 14:05``."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    pattern = DATE_PATTERNS.get(lang, DATE_PATTERNS["nl"]) + " HH:mm"
    return _format_datetime(value, pattern, tzinfo=get_timezone(tz), locale=_locale(lang))
