"""Benefit statement content (DOC-3): who, which scheme, terms and premium as of 1 January, or why not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from portal.domain.premium import SchemeYearParams, coverage
from portal.domain.statement import StatementFacts, StatementRefused, as_of_day, full_name, make_statement

PARAMS = SchemeYearParams(
    year=2026,
    max_salary=Decimal("137800"),
    franchise=Decimal("18475"),
    bands=((20, 29, Decimal("6.0")), (30, 39, Decimal("8.5")), (40, 49, Decimal("11.7"))),
)
FACTS = StatementFacts(
    year=2026,
    employer_name="Noordkade Logistiek B.V.",
    scheme_kind="OP",
    scheme_name="Pensioenregeling",
    contract_number="ASR-1",
    scheme_number="01",
    participant_number="100001",
    policy_number="P-1",
    initials="G.",
    first_name="Gijs",
    name_prefix="ter",
    last_name="Assob",
    birth_date=date(1986, 4, 17),
    participation_start=date(2021, 3, 1),
    participation_end=None,
    stored_status="active",
    premium_mode="staffel",
    salary=Decimal("52242.28"),
    parttime=Decimal("100.000"),
    language="en",
)


def test_a_statement_describes_1_january_with_the_premium_of_that_day() -> None:
    s = make_statement(FACTS, PARAMS)
    assert s.as_of == as_of_day(2026) == date(2026, 1, 1)
    assert (s.name, s.full_name, s.age, s.language) == ("Assob, G., ter", "Gijs ter Assob", 39, "en")
    assert s.scheme_label == "OP ASR-1-01 Pensioenregeling"
    assert s.coverage == coverage(Decimal("52242.28"), Decimal("100"), PARAMS, 39, "staffel")
    assert s.coverage.pensionable_salary == Decimal("33767.28")
    assert s.coverage.premium_percentage == Decimal("8.5")
    assert s.coverage.yearly_premium == Decimal("2870.22")  # 33,767.28 × 8.5 % = 2,870.2188
    assert isinstance(s.coverage.monthly_premium, Decimal)


def test_age_band_is_taken_on_1_january() -> None:
    born_early_january = replace(FACTS, birth_date=date(1986, 1, 2))  # turns 40 on 2 January 2026
    assert make_statement(born_early_january, PARAMS).age == 39
    assert make_statement(replace(FACTS, birth_date=date(1986, 1, 1)), PARAMS).age == 40


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"participation_start": date(2026, 1, 2)}, "not_active"),  # started after 1 January
        ({"stored_status": "dormant", "participation_end": date(2025, 12, 31)}, "not_active"),
        ({"salary": None}, "no_terms"),
        ({"parttime": None}, "no_terms"),
        ({"premium_mode": "flat"}, "premium.no_flat_percentage"),
        ({"premium_mode": "other"}, "premium.unknown_mode"),
    ],
)
def test_no_statement_without_an_active_participation_terms_or_parameters(change: dict, reason: str) -> None:
    with pytest.raises(StatementRefused) as err:
        make_statement(replace(FACTS, **change), PARAMS)
    assert err.value.reason == reason


def test_no_statement_without_parameters_of_that_year() -> None:
    for params in (None, replace(PARAMS, year=2025)):
        with pytest.raises(StatementRefused) as err:
            make_statement(FACTS, params)
        assert err.value.reason == "no_parameters"


def test_an_exit_on_1_january_still_gets_the_statement() -> None:
    leaving = replace(FACTS, stored_status="dormant", participation_end=date(2026, 1, 1))
    assert make_statement(leaving, PARAMS).coverage.yearly_premium > 0


def test_full_name_and_unknown_language() -> None:
    assert full_name("", "J.W.", "van der", "Berg") == "J.W. van der Berg"
    assert make_statement(replace(FACTS, language="de"), PARAMS).language == "nl"


def test_a_statement_shows_the_stored_facts_and_the_year_parameters() -> None:
    s = make_statement(FACTS, PARAMS)
    assert (s.year, s.birth_date, s.employer_name, s.scheme_kind) == (
        2026,
        date(1986, 4, 17),
        "Noordkade Logistiek B.V.",
        "OP",
    )
    assert (s.participant_number, s.policy_number, s.participation_start) == ("100001", "P-1", date(2021, 3, 1))
    assert (s.salary, s.parttime, s.max_salary, s.franchise) == (
        Decimal("52242.28"),
        Decimal("100.000"),
        Decimal("137800"),
        Decimal("18475"),
    )
    assert make_statement(replace(FACTS, language="nl"), PARAMS).language == "nl"


def test_a_participation_that_starts_on_1_january_gets_the_statement() -> None:
    assert make_statement(replace(FACTS, participation_start=date(2026, 1, 1)), PARAMS).year == 2026


def test_statement_refused_says_its_reason() -> None:
    with pytest.raises(StatementRefused) as err:
        make_statement(replace(FACTS, salary=None), PARAMS)
    assert str(err.value) == "no_terms"


def test_without_a_first_name_the_statement_uses_the_initials() -> None:
    assert make_statement(replace(FACTS, first_name=" "), PARAMS).full_name == "G. ter Assob"
