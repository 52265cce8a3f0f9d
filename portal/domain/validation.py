"""Parsing and validation of untrusted input for mutations (MUT-4). Raises ``RuleError(field, key, params)``.

Numbers come in Dutch or English notation (``52.242,28``, ``52242.28``, ``52,242.28``). Names are data:
accents, prefixes and characters like ``<b>`` are kept exactly as typed (only surrounding blanks go);
escaping is the job of whoever renders them.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from stdnum.nl import postcode as nl_postcode

from portal.domain.auth import email_valid, normalise_email
from portal.domain.errors import RuleError
from portal.domain.identifiers import compact_bsn, is_valid_bsn

SALARY_LIMIT = Decimal("10000000")  # a yearly salary must stay below this
PARTNER_TYPES = ("married", "registered", "cohabiting")  # each needs a relation start date (MUT-4)
GENDERS = ("M", "F", "X", "U")
LANGUAGES = ("nl", "en")
NAME_LIMIT = 100
TEXT_LIMIT = 200

_GROUPED = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")  # 1.234.567 or 1,234,567
_PLAIN = re.compile(r"\d+")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tabs and line breaks are fine
_COUNTRY = re.compile(r"[A-Z]{2}")


def _digits_and_fraction(text: str, grouping: bool, max_decimals: int) -> tuple[str, str] | None:
    """Split a number into integer digits and fraction digits, or None when it is not a number."""
    dots, commas = text.count("."), text.count(",")
    if dots and commas:  # both: the last one is the decimal separator, the other groups thousands
        sep = "." if text.rfind(".") > text.rfind(",") else ","
        head, _, frac = text.rpartition(sep)
        if not grouping or not _GROUPED.fullmatch(head) or (sep in head) or not _PLAIN.fullmatch(frac):
            return None
        return re.sub(r"[.,]", "", head), frac
    sep = "." if dots else "," if commas else ""
    if not sep:
        return (text, "") if _PLAIN.fullmatch(text) else None
    if dots + commas > 1:  # several of one separator: thousands grouping
        return (re.sub(r"[.,]", "", text), "") if grouping and _GROUPED.fullmatch(text) else None
    head, _, frac = text.partition(sep)
    if not _PLAIN.fullmatch(head) or not _PLAIN.fullmatch(frac):
        return None
    if grouping and len(frac) == 3 and len(frac) > max_decimals and len(head) <= 3 and head[0] != "0":
        return head + frac, ""  # 52,242 or 52.242: a thousands separator
    return head, frac


def parse_number(text: object, *, grouping: bool, max_decimals: int, field: str, key: str) -> Decimal:
    """Parse ``text`` in Dutch or English notation; ``RuleError(field, key)`` when it is not a number.

    ``grouping``: thousands separators are allowed (amounts; not percentages). A leading minus sign is
    kept so that callers can say "must be positive" rather than "not a number". More decimals than
    ``max_decimals`` are returned as they are: the caller decides which message fits.
    """
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        value = Decimal(text)
        if not value.is_finite():
            raise RuleError(field, key)
        return value
    if isinstance(text, float) and math.isfinite(text):
        text = str(text)  # a number field may deliver a float; its shortest repr is what was typed
    if not isinstance(text, str):
        raise RuleError(field, key)
    clean = text.strip().replace("€", "").replace("%", "").replace(" ", "").replace("\u00a0", "")
    negative = clean.startswith("-")
    parts = _digits_and_fraction(clean.lstrip("-+"), grouping, max_decimals) if clean.lstrip("-+") else None
    if parts is None or clean[:2] in ("--", "-+", "+-", "++"):
        raise RuleError(field, key)
    try:
        value = Decimal(f"{parts[0]}.{parts[1]}" if parts[1] else parts[0])
    except InvalidOperation:  # pragma: no cover - the patterns admit digits only
        raise RuleError(field, key) from None
    return -value if negative else value


def _decimals(value: Decimal) -> int:
    """Decimals as typed: ``100.0000`` has four."""
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_salary(text: object, field: str = "salary") -> Decimal:
    """A yearly salary: more than 0, below 10,000,000, at most two decimals; returned with two decimals."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RuleError(field, "salary_required")
    value = parse_number(text, grouping=True, max_decimals=2, field=field, key="salary_invalid")
    if value <= 0:
        raise RuleError(field, "salary_not_positive")
    if _decimals(value) > 2:
        raise RuleError(field, "salary_invalid")
    if value >= SALARY_LIMIT:
        raise RuleError(field, "salary_too_high", {"limit": "10.000.000"})
    return value.quantize(Decimal("0.01"))


def parse_parttime(text: object, field: str = "parttime") -> Decimal:
    """A part-time percentage 0..100 with at most three decimals; returned with three decimals."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RuleError(field, "parttime_required")
    value = parse_number(text, grouping=False, max_decimals=3, field=field, key="parttime_range")
    if not Decimal(0) <= value <= Decimal(100):
        raise RuleError(field, "parttime_range")
    if _decimals(value) > 3:
        raise RuleError(field, "parttime_decimals")
    return value.quantize(Decimal("0.001"))


def parse_date(text: object, field: str, *, required: bool = True) -> date | None:
    """A date as ``yyyy-mm-dd`` (what date inputs send) or ``dd-mm-yyyy``; years 1900–2199."""
    if isinstance(text, date):
        return text
    if text is None or (isinstance(text, str) and not text.strip()):
        if required:
            raise RuleError(field, "date_required")
        return None
    if not isinstance(text, str):
        raise RuleError(field, "date_invalid")
    clean = text.strip()
    if m := _ISO.fullmatch(clean):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _DMY.fullmatch(clean):
        d, mo, y = (int(g) for g in m.groups())
    else:
        raise RuleError(field, "date_invalid")
    if not 1900 <= y <= 2199:
        raise RuleError(field, "date_invalid")
    try:
        return date(y, mo, d)
    except ValueError:
        raise RuleError(field, "date_invalid") from None


def require_date(text: object, field: str) -> date:
    """``parse_date`` for a required date (never None)."""
    value = parse_date(text, field, required=True)
    assert value is not None
    return value


def check_exit(exit_date: date, hire_date: date, field: str = "exit_date") -> None:
    """An exit takes effect after the day of hire (MUT-4)."""
    if exit_date <= hire_date:
        raise RuleError(field, "exit_before_hire", {"hire_date": hire_date.isoformat()})


def parse_bsn(text: object, field: str = "bsn") -> str:
    """A citizen service number (required, eleven-test); returned as 9 digits."""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise RuleError(field, "bsn_required")
    if not isinstance(text, str) or not is_valid_bsn(text.strip()):
        raise RuleError(field, "bsn_invalid")
    return compact_bsn(text.strip())


def clean_text(
    text: object, field: str, *, required: bool = False, limit: int = TEXT_LIMIT, key: str = "", lines: bool = False
) -> str:
    """Free text kept as typed (only surrounding blanks removed); control characters refused, except tabs and line
    breaks when ``lines`` (text of several lines, such as a comment)."""
    if text is not None and not isinstance(text, str):
        raise RuleError(field, "text_invalid")
    value = text.strip() if text else ""
    if not value:
        if required:
            raise RuleError(field, key or f"{field}_required")
        return ""
    if len(value) > limit:
        raise RuleError(field, "text_too_long", {"limit": limit})
    if (_CONTROL_IN_LINES if lines else _CONTROL).search(value):
        raise RuleError(field, "text_invalid")
    return value


def clean_last_name(text: object, field: str = "last_name") -> str:
    """A last name: required, kept exactly as typed (accents, apostrophes, ``<`` and ``>`` included)."""
    return clean_text(text, field, required=True, limit=NAME_LIMIT, key="last_name_required")


def clean_gender(text: object, field: str = "gender") -> str:
    """M, F, X or U (unknown; also for an empty choice)."""
    value = text.strip().upper() if isinstance(text, str) else ""
    if not value:
        return "U"
    if value not in GENDERS:
        raise RuleError(field, "gender_invalid")
    return value


def clean_email(text: object, field: str) -> str:
    """An optional e-mail address, lower-case; ``email_invalid`` when it does not look deliverable."""
    value = normalise_email(clean_text(text, field, limit=254))
    if value and not email_valid(value):
        raise RuleError(field, "email_invalid")
    return value


def clean_country(text: object, field: str, default: str = "NL") -> str:
    """An ISO 3166 alpha-2 code (upper-case); ``default`` when empty."""
    value = text.strip().upper() if isinstance(text, str) else ""
    if not value:
        return default
    if not _COUNTRY.fullmatch(value):
        raise RuleError(field, "country_invalid")
    return value


def clean_postcode(text: object, country: str, field: str = "postcode") -> str:
    """A Dutch postcode as ``1234 AB`` when the country is NL; other countries' codes as typed."""
    value = clean_text(text, field, limit=12)
    if not value or country != "NL":
        return value
    if not nl_postcode.is_valid(value):
        raise RuleError(field, "postcode_invalid")
    compact = nl_postcode.compact(value)
    return f"{compact[:4]} {compact[4:]}"


def clean_language(text: object, field: str = "language") -> str:
    """The correspondence language: nl or en (nl when empty)."""
    value = text.strip().lower() if isinstance(text, str) else ""
    if not value:
        return "nl"
    if value not in LANGUAGES:
        raise RuleError(field, "language_invalid")
    return value


def check_birth_date(birth: date, today: date, field: str = "birth_date") -> None:
    """A birth date is not in the future."""
    if birth > today:
        raise RuleError(field, "birth_date_future")


def check_partner(partner_type: object, start_date: date | None, partner_present: bool) -> str:
    """Partner rules (MUT-4): a known relation type with a start date, and one partner at a time."""
    kind = partner_type.strip().lower() if isinstance(partner_type, str) else ""
    if kind not in PARTNER_TYPES:
        raise RuleError("partner_type", "partner_type_invalid")
    if start_date is None:
        raise RuleError("start_date", "relation_start_required")
    if partner_present:
        raise RuleError("partner_type", "partner_exists")
    return kind
