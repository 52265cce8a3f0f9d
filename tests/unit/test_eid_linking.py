"""The national-id linking rule of the eID sign-in (AUTH-6, ``domain.eid``): a valid BSN or Belgian national
register / BIS number, matched to exactly one human (records sharing number and birth date) with a
participation; everything else refused with its reason."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import eid
from portal.domain.eid import PersonRecord, match_person, national_id_of

BSN = "123456782"
BORN = date(1986, 4, 17)
BE_NN = "85073003328"  # a valid Belgian national register number
BE_BIS = "98472899765"  # a valid BIS number


@pytest.mark.parametrize(
    ("claim", "stored"),
    [
        (BSN, BSN),
        ("1234.56.782", BSN),
        ("12345678", None),  # eight digits: padded to 012345678, which fails the eleven-test
        ("111222333", "111222333"),
        ("85.07.30-033.28", BE_NN),
        (BE_NN, BE_NN),
        (BE_BIS, BE_BIS),
    ],
)
def test_valid_numbers_are_read_in_their_stored_form(claim: str, stored: str | None) -> None:
    assert national_id_of(claim) == stored


@pytest.mark.parametrize(
    "claim",
    ["123456789", "000000000", "85073003327", "8507300332", "12345678901234", "abc", "12345678x", " ", 123456782, None],
)
def test_invalid_numbers_are_refused(claim: object) -> None:
    assert national_id_of(claim) is None


def _rec(pid: int, number: str = BSN, born: date = BORN, parts: int = 1) -> PersonRecord:
    return PersonRecord(pid, number, born, parts)


def test_one_human_at_two_employers_is_one_match_with_both_records() -> None:
    match = match_person(BSN, [_rec(1), _rec(2, parts=0), _rec(3, number="111222333")])
    assert match == eid.Match(person_ids=frozenset({1, 2}))


def test_a_belgian_national_number_matches_like_a_bsn() -> None:
    assert match_person("85.07.30-033.28", [_rec(7, number=BE_NN)]).person_ids == {7}


@pytest.mark.parametrize(("claim", "reason"), [(None, eid.CLAIM_MISSING), ("", eid.CLAIM_MISSING)])
def test_a_missing_claim_is_refused(claim: object, reason: str) -> None:
    assert match_person(claim, [_rec(1)]) == eid.Match(reason=reason)


def test_an_invalid_claim_is_refused_even_when_a_record_carries_it() -> None:
    assert match_person("123456789", [_rec(1, number="123456789")]).reason == eid.CLAIM_INVALID


def test_an_unknown_number_is_refused() -> None:
    assert match_person(BSN, [_rec(1, number="111222333")]).reason == eid.UNKNOWN
    assert match_person(BSN, []).reason == eid.UNKNOWN


def test_records_of_two_humans_are_refused_unless_the_birth_date_claim_settles_it() -> None:
    records = [_rec(1), _rec(2, born=date(1990, 1, 1))]
    assert match_person(BSN, records).reason == eid.AMBIGUOUS
    assert match_person(BSN, records, "1986-04-17").person_ids == {1}
    assert match_person(BSN, records, "1990-01-01").person_ids == {2}


def test_a_birth_date_claim_that_fits_no_record_is_an_unknown_person() -> None:
    assert match_person(BSN, [_rec(1)], "1986-04-18").reason == eid.UNKNOWN


@pytest.mark.parametrize("birth", [None, "", "17-04-1986", "1986-13-01", 19860417])
def test_an_unusable_birth_date_claim_is_ignored(birth: object) -> None:
    assert match_person(BSN, [_rec(1)], birth).person_ids == {1}


def test_a_person_without_any_participation_is_refused() -> None:
    assert match_person(BSN, [_rec(1, parts=0), _rec(2, parts=0)]).reason == eid.NO_PARTICIPATION
    assert match_person(BSN, [_rec(1, parts=0), _rec(2, parts=1)]).person_ids == {1, 2}


def test_every_refusal_reason_the_login_page_accepts_has_a_text_in_dutch_and_english() -> None:
    from portal.i18n import all_messages
    from portal.state.login import EID_REASONS

    reasons = {eid.CLAIM_MISSING, eid.CLAIM_INVALID, eid.UNKNOWN, eid.AMBIGUOUS, eid.NO_PARTICIPATION}
    assert reasons <= set(EID_REASONS)
    for reason in EID_REASONS:
        texts = all_messages()[f"eid.refused.{reason}"]
        assert texts["nl"] and texts["en"] and texts["nl"] != texts["en"]
