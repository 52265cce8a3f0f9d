"""Identifiers and name formatting: BSN (eleven-test), Belgian national and BIS numbers and IBAN (all via
python-stdnum), KvK numbers, display names."""

from __future__ import annotations

import unicodedata

from stdnum import iban as _iban
from stdnum.be import bis as _be_bis
from stdnum.be import nn as _be_nn
from stdnum.nl import bsn as _bsn

# make_bsn: counter n -> 8-digit prefix (7-digit block + one free digit of weight 2) + check digit.
_BSN_BLOCK_START = 1_000_000  # first 7-digit block; the first digit of every generated BSN is non-zero
_BSN_PER_BLOCK = 9  # of the 10 choices for the 8th digit at least 9 give a check digit 0..9
BSN_CAPACITY = (10_000_000 - _BSN_BLOCK_START) * _BSN_PER_BLOCK  # how many distinct values make_bsn has
# An affine permutation of 0..BSN_CAPACITY-1 spreads consecutive counters over the whole range, so demo
# BSNs look random. The multiplier is coprime to the capacity (2^6 * 3^4 * 5^6), hence a bijection.
_SPREAD_MUL = 7_777_777
_SPREAD_ADD = 12_345_679


def compact_bsn(value: str) -> str:
    """A BSN without separators, left-padded to 9 digits (an Excel cell may have dropped a leading zero)."""
    return _bsn.compact(value)


def is_valid_bsn(value: str) -> bool:
    """Whether ``value`` is a valid Dutch citizen service number (9 digits, eleven-test, not all zeros)."""
    if not isinstance(value, str):
        return False
    compact = _bsn.compact(value)
    if len(compact) != 9 or not compact.isdigit() or int(compact) == 0:
        return False
    return bool(_bsn.is_valid(compact))


def make_bsn(n: int) -> str:
    """A valid 9-digit BSN for counter ``n`` (deterministic and injective: distinct n give distinct BSNs).

    ``n`` is first spread by a fixed permutation; then the 7-digit block ``1_000_000 + n // 9`` is followed
    by the (n % 9)-th eighth digit for which the eleven-test yields a check digit 0..9 (at most one of the
    ten candidates yields 10, so nine always exist), and by that check digit.
    """
    if not 0 <= n < BSN_CAPACITY:
        raise ValueError(f"BSN counter out of range: {n}")
    n = (n * _SPREAD_MUL + _SPREAD_ADD) % BSN_CAPACITY
    block, wanted = divmod(n, _BSN_PER_BLOCK)
    block += _BSN_BLOCK_START
    weighted, rest = 0, block
    for weight in range(3, 10):  # digits of the block from the right carry weights 3..9
        rest, digit = divmod(rest, 10)
        weighted += digit * weight
    # The eighth digit d has weight 2; d gives check digit 10 when 2d = 10 - weighted (mod 11), i.e.
    # d = 6 * (10 - weighted) mod 11 (6 is the inverse of 2 modulo 11). Skip that one.
    bad = (6 * (10 - weighted)) % 11
    eighth = wanted + 1 if wanted >= bad else wanted
    check = (weighted + 2 * eighth) % 11
    return f"{block}{eighth}{check}"


def is_valid_kvk(value: str) -> bool:
    """Whether ``value`` is a Dutch Chamber of Commerce (KvK) number: exactly 8 digits, no check digit."""
    if not isinstance(value, str):
        return False
    compact = value.replace(" ", "").replace(".", "")
    return len(compact) == 8 and compact.isdigit()


def _stdnum_valid(module: object, value: object) -> bool:
    """``module.is_valid(value)`` for strings only (anything else is invalid, never an exception)."""
    return isinstance(value, str) and bool(module.is_valid(value))  # type: ignore[attr-defined]


def is_valid_be_national_number(value: str) -> bool:
    """Whether ``value`` is a Belgian national register number (rijksregisternummer, 11 digits, mod 97)."""
    return _stdnum_valid(_be_nn, value)


def is_valid_be_bis(value: str) -> bool:
    """Whether ``value`` is a Belgian BIS number (for people not in the national register)."""
    return _stdnum_valid(_be_bis, value)


def is_valid_be_id(value: str) -> bool:
    """Whether ``value`` is a Belgian national number or a BIS number."""
    return is_valid_be_national_number(value) or is_valid_be_bis(value)


def compact_be_id(value: str) -> str:
    """A Belgian national or BIS number as 11 digits (separators removed)."""
    return _be_nn.compact(value)


def is_valid_national_id(value: str, country: str = "NL") -> bool:
    """Whether ``value`` is a valid personal id number of ``country`` (NL: BSN; BE: national or BIS number)."""
    if country == "BE":
        return is_valid_be_id(value)
    if country == "NL":
        return is_valid_bsn(value)
    return False


def is_valid_iban(value: str) -> bool:
    """Whether ``value`` is a valid IBAN (country format and mod-97 check), spaces allowed."""
    return _stdnum_valid(_iban, value)


def compact_iban(value: str) -> str:
    """An IBAN without spaces, upper case: ``"nl91 abna 0417 1643 00"`` -> ``"NL91ABNA0417164300"``."""
    return _iban.compact(value)


def format_iban(value: str) -> str:
    """An IBAN in groups of four: ``NL91 ABNA 0417 1643 00``."""
    return _iban.format(value)


def format_initials(initials: str) -> str:
    """Initials with a full stop after each letter: ``"GH"`` or ``"G.H"`` become ``"G.H."``."""
    raw = initials.strip()
    if not raw:
        return ""
    if "." in raw:
        return raw if raw.endswith(".") else raw + "."
    return "".join(f"{ch.upper()}." for ch in raw if not ch.isspace())


def format_name(last_name: str, initials: str = "", prefix: str = "") -> str:
    """A participant's name as listed in the portals: ``Assob, G., ter`` (prefix after the initials)."""
    parts = [last_name.strip()]
    if formatted := format_initials(initials):
        parts.append(formatted)
    if prefix.strip():
        parts.append(prefix.strip())
    return ", ".join(p for p in parts if p)


def initials_of(first_names: str) -> str:
    """Initials from first names: ``"Jan Willem"`` -> ``"J.W."``."""
    return "".join(f"{name[0].upper()}." for name in first_names.split() if name)


def search_key(text: str) -> str:
    """A name folded for sorting and prefix search: accents removed, case folded, anything that is not a
    letter or digit becomes one space. ``"Çelik-Boër, G."`` -> ``"celik boer g"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in bare).split())
