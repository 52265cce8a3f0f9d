"""Sign-in with a national eID (AUTH-6): which person a verified eID assertion is, by its national-id claim.

The claim is a Dutch BSN (9 digits, eleven-test) or a Belgian national register / BIS number (11 digits,
mod 97), checked with python-stdnum. Every employer keeps its own record of a person (migration 0007), so one
number may match several records: they are one human only when they also share the birth date (the rule of
``principal.records_of_same_person``). The eID may send a ``birthdate``; then only records with that birth
date count. The match must come down to exactly one human (one birth date) who has at least one participation
in any of those records; anything else is refused with a reason, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from portal.domain.identifiers import compact_be_id, compact_bsn, is_valid_be_id, is_valid_bsn

# Refusal reasons (also the keys of the texts on the refusal page, ``eid.refused.<reason>``).
CLAIM_MISSING = "claim_missing"
CLAIM_INVALID = "claim_invalid"
UNKNOWN = "unknown_person"
AMBIGUOUS = "ambiguous_person"
NO_PARTICIPATION = "no_participation"


@dataclass(frozen=True)
class PersonRecord:
    """What the linking rule needs of one employer's record of a person."""

    person_id: int
    national_id: str
    birth_date: date
    participations: int  # participations held on this record (any status)


@dataclass(frozen=True)
class Match:
    """The outcome: the person records of one human (``person_ids``), or a refusal ``reason``."""

    person_ids: frozenset[int] = frozenset()
    reason: str = ""


def national_id_of(claim: object) -> str | None:
    """The national id in the claim in its stored form (BSN: 9 digits; Belgian: 11 digits), or None when it
    is no valid BSN, Belgian national register number or BIS number. Separators (spaces, dots, dashes) are
    allowed; anything that is not a string is invalid."""
    if not isinstance(claim, str) or not claim.strip() or len(claim) > 20:
        return None
    digits = "".join(ch for ch in claim if ch not in " .-")
    if not digits.isdigit():
        return None
    if len(digits) <= 9 and is_valid_bsn(digits):
        return compact_bsn(digits)
    if len(digits) == 11 and is_valid_be_id(digits):
        return compact_be_id(digits)
    return None


def birth_date_of(claim: object) -> date | None:
    """The OpenID ``birthdate`` claim (``YYYY-MM-DD``) as a date; None when absent or not a full date."""
    if not isinstance(claim, str) or len(claim) != 10:
        return None
    try:
        return date.fromisoformat(claim)
    except ValueError:
        return None


def match_person(claim: object, records: Iterable[PersonRecord], birth_claim: object = None) -> Match:
    """The one human a national-id claim names among ``records`` (the records carrying that number; others
    are ignored). Refused: no claim, an invalid number, no record, records of more than one human (different
    birth dates) that the ``birthdate`` claim does not settle, or no participation on any of the records."""
    if claim is None or claim == "":
        return Match(reason=CLAIM_MISSING)
    number = national_id_of(claim)
    if number is None:
        return Match(reason=CLAIM_INVALID)
    same_number = [r for r in records if r.national_id == number]
    born = birth_date_of(birth_claim)
    if born is not None:
        same_number = [r for r in same_number if r.birth_date == born]
    if not same_number:
        return Match(reason=UNKNOWN)
    if len({r.birth_date for r in same_number}) > 1:
        return Match(reason=AMBIGUOUS)
    if not any(r.participations > 0 for r in same_number):
        return Match(reason=NO_PARTICIPATION)
    return Match(person_ids=frozenset(r.person_id for r in same_number))
