"""The calculators' rules (EE-6): wage tax over brackets (at and around each boundary), the social contribution's
ceiling, the deferral's effect on net pay and pension contribution, its limits, typed amounts (zero, negative,
decimals), and the projection of the retirement capital under three return scenarios."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from portal.domain import calculators as calc
from portal.domain.errors import RuleError

P = calc.CalculatorYearParams(
    year=2026,
    brackets=((D(0), D("10")), (D("40000"), D("40")), (D("80000"), D("50"))),
    social_rate=D("20"),
    social_ceiling=D("40000"),
    deferral_limit=D("6000"),
    retirement_age=67,
    returns=(D("1"), D("3"), D("5")),
)


@pytest.mark.parametrize(
    ("wage", "tax"),
    [
        (D(0), D(0)),
        (D(-100), D(0)),
        (D("39999.99"), D("3999.999")),
        (D("40000"), D("4000")),  # the first bracket's end: nothing at 40 % yet
        (D("40000.01"), D("4000.004")),  # one cent into the second bracket
        (D("80000"), D("20000")),  # 4,000 + 40,000 × 40 %
        (D("80000.01"), D("20000.005")),  # one cent into the top bracket
        (D("100000"), D("30000")),
    ],
)
def test_wage_tax_over_the_brackets(wage: D, tax: D) -> None:
    assert calc.wage_tax(wage, P) == tax


@pytest.mark.parametrize(
    ("wage", "social"), [(D(0), D(0)), (D("30000"), D("6000")), (D("40000"), D("8000")), (D("90000"), D("8000"))]
)
def test_social_contribution_stops_at_its_ceiling(wage: D, social: D) -> None:
    assert calc.social_contribution(wage, P) == social


def test_deferral_below_the_ceiling_saves_the_first_bracket_and_the_social_rate() -> None:
    d = calc.deferral(D("36000"), D("250"), D("2400"), P)
    # 36,000: tax 3,600, social 7,200 → net 25,200 (2,100 a month); 33,000: 3,300 + 6,600 → 23,100 (1,925)
    assert (d.net_monthly_before, d.net_monthly_after, d.net_monthly_change) == (
        D("2100.00"),
        D("1925.00"),
        D("-175.00"),
    )
    assert d.tax_saved_monthly == D("75.00")  # 30 % of 250 (10 % tax + 20 % social)
    assert (d.pension_yearly_before, d.pension_yearly_extra, d.pension_yearly_after) == (
        D("2400.00"),
        D("3000.00"),
        D("5400.00"),
    )


def test_deferral_in_the_top_bracket_saves_half() -> None:
    d = calc.deferral(D("120000"), D("500"), D("9000"), P)
    assert d.net_monthly_change == D("-250.00") and d.tax_saved_monthly == D("250.00")


def test_deferral_across_a_bracket_boundary_is_split() -> None:
    # 40,600 → 40,000: 600 a year out of the 40 % bracket, of which nothing social (above the ceiling)
    d = calc.deferral(D("40600"), D("50"), D(0), P)
    assert d.net_monthly_change == D("-30.00")
    # 40,300 → 39,700: 300 at 40 %, 300 at 10 % + 20 % social → 120 + 90 = 210 a year saved
    d = calc.deferral(D("40300"), D("50"), D(0), P)
    assert d.tax_saved_monthly == D("17.50")


def test_net_results_are_rounded_to_cents_half_up() -> None:
    d = calc.deferral(D("36000.01"), D("0.01"), D(0), P)
    assert d.net_monthly_before == D("2100.00") and d.monthly_amount == D("0.01")


@pytest.mark.parametrize(
    ("wage", "amount", "field", "key"),
    [
        (D(0), D(100), "wage", "calc.wage_not_positive"),
        (D(40000), D(0), "amount", "calc.amount_not_positive"),
        (D(40000), D("500.01"), "amount", "calc.above_limit"),  # 6,000.12 a year > 6,000
        (D(4000), D(400), "amount", "calc.above_wage"),  # 4,800 a year out of 4,000
    ],
)
def test_a_deferral_outside_the_rules_is_refused_at_its_field(wage: D, amount: D, field: str, key: str) -> None:
    with pytest.raises(RuleError) as err:
        calc.check_deferral(wage, amount, P)
    assert (err.value.field, err.value.key) == (field, key)


def test_a_deferral_at_the_limit_is_allowed() -> None:
    calc.check_deferral(D(40000), D(500), P)  # exactly 6,000 a year
    calc.check_deferral(D(6000), D(500), P)  # exactly the whole wage


@pytest.mark.parametrize(
    ("text", "value"),
    [("250", D("250.00")), ("1.250,50", D("1250.50")), ("1,250.50", D("1250.50")), ("€ 12,5", D("12.50")), ("0", D(0))],
)
def test_amounts_in_dutch_or_english_notation(text: str, value: D) -> None:
    assert calc.parse_amount(text, "amount") == value


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "calc.required"),
        ("  ", "calc.required"),
        (None, "calc.required"),
        ("-5", "calc.negative"),
        ("abc", "calc.not_a_number"),
        ("1,234", None),  # a thousands separator: 1234 (no error)
        ("12,345", None),
        ("1.5.5", "calc.not_a_number"),
        ("10,001", None),
        ("0,001", "calc.too_many_decimals"),
        ("10000000", "calc.too_high"),
        ([], "calc.not_a_number"),
    ],
)
def test_bad_amounts_are_refused(text: object, key: str | None) -> None:
    if key is None:
        calc.parse_amount(text, "amount")
        return
    with pytest.raises(RuleError) as err:
        calc.parse_amount(text, "amount")
    assert (err.value.field, err.value.key) == ("amount", key)


def test_an_optional_amount_left_empty_is_zero() -> None:
    assert calc.parse_amount("", "start", required=False) == D(0)


def test_projection_compounds_each_year_then_adds_the_contributions() -> None:
    born = date(1961, 6, 1)  # 65 on 1 November 2026: two years to 67
    p = calc.projection(born, date(2026, 11, 1), D("1000"), D("50"), D("10000"), P)
    assert (p.age, p.years, p.ages) == (65, 2, (65, 66, 67))
    assert p.yearly_contribution == D("1600.00") and p.total_contributed == D("3200.00")
    neutral = p.scenarios[1]
    # 10,000 × 1.03 + 1,600 = 11,900; × 1.03 + 1,600 = 13,857
    assert neutral.capitals == (D("10000.00"), D("11900.00"), D("13857.00")) and neutral.final == D("13857.00")
    assert [s.name for s in p.scenarios] == ["pessimistic", "neutral", "optimistic"]
    assert p.scenarios[0].final < neutral.final < p.scenarios[2].final


def test_projection_from_zero_without_extra() -> None:
    p = calc.projection(date(1960, 1, 1), date(2026, 1, 1), D("1200"), D(0), D(0), P)  # 66: one year
    assert [s.capitals for s in p.scenarios] == [(D(0), D("1200.00"))] * 3


@pytest.mark.parametrize(("birthday", "years"), [(date(1959, 11, 1), 0), (date(1959, 11, 2), 1), (date(1950, 1, 1), 0)])
def test_no_projection_past_the_retirement_age(birthday: date, years: int) -> None:
    p = calc.projection(birthday, date(2026, 11, 1), D("1000"), D(0), D("500"), P)
    assert p.years == years and len(p.scenarios[1].capitals) == years + 1
    assert p.scenarios[1].capitals[0] == D("500.00")


def test_projection_refuses_negative_figures() -> None:
    with pytest.raises(ValueError):
        calc.projection(date(1990, 1, 1), date(2026, 1, 1), D("1000"), D("-1"), D(0), P)


def test_an_extra_contribution_above_the_limit_is_refused() -> None:
    calc.check_within_limit("extra", D(500), P)
    with pytest.raises(RuleError) as err:
        calc.check_within_limit("extra", D("500.01"), P)
    assert (err.value.field, err.value.key, err.value.params) == (
        "extra",
        "calc.above_limit",
        {"limit": D(6000), "year": 2026},
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"brackets": ()},
        {"brackets": ((D(1), D(10)),)},
        {"brackets": ((D(0), D(10)), (D(0), D(20)))},
        {"brackets": ((D(0), D(101)),)},
        {"social_rate": D(-1)},
        {"deferral_limit": D(-1)},
        {"retirement_age": 0},
        {"returns": (D(1), D(2))},
        {"returns": (D(-100), D(2), D(3))},
    ],
)
def test_parameters_nothing_can_be_computed_from_are_refused(changes: dict) -> None:
    values = {f: getattr(P, f) for f in P.__dataclass_fields__} | changes
    with pytest.raises(calc.CalculatorParameterError):
        calc.CalculatorYearParams(**values)
