"""Premium and coverage maths (MUT-7) with worked examples; every figure comes from the parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.premium import (
    PremiumParameterError,
    SchemeYearParams,
    age_at,
    coverage,
    monthly_premium,
    pensionable_salary,
    premium_percentage,
    yearly_premium,
)

OP_BANDS = ((15, 24, D("4.400")), (25, 44, D("9.600")), (45, 49, D("11.700")), (50, 67, D("17.900")))
OP_2025 = SchemeYearParams(2025, D("137800.00"), D("18475.00"), OP_BANDS, flat_percentage=D("23.500"))
NP_2025 = SchemeYearParams(
    2025, D("137800.00"), D("18475.00"), ((15, 44, D("0.900")), (45, 67, D("1.250"))), accrual_percentage=D("1.225")
)


def test_worked_example_full_time_age_45() -> None:
    # 52,242.28 - 18,475 = 33,767.28; 11.7 % of it = 3,950.77176
    assert pensionable_salary(D("52242.28"), D("100.000"), OP_2025) == D("33767.28")
    assert premium_percentage(OP_2025, 45, "staffel") == D("11.700")
    assert yearly_premium(D("52242.28"), D("100.000"), OP_2025, 45, "staffel") == D("3950.77")
    assert monthly_premium(D("52242.28"), D("100.000"), OP_2025, 45, "staffel") == D("329.23")


def test_salary_above_the_maximum_is_capped_and_rounds_half_up() -> None:
    # min(150,000; 137,800) - 18,475 = 119,325; 11.7 % = 13,961.025 -> 13,961.03 (half up, not half even)
    assert pensionable_salary(D("150000"), D("100"), OP_2025) == D("119325.00")
    assert yearly_premium(D("150000"), D("100"), OP_2025, 47, "staffel") == D("13961.03")
    assert yearly_premium(D("150000"), D("100"), OP_2025, 47, "staffel") == yearly_premium(
        D("137800"), D("100"), OP_2025, 47, "staffel"
    )


def test_spec_example_full_time_salary_half_time() -> None:
    # SPEC MUT-7: full-time 40,000.00, 50 %, franchise 18,475 -> (40,000 - 18,475) x 50 % = 10,762.50
    # (the old rule, franchise after the part-time factor, gave 20,000 - 18,475 = 1,525.00)
    assert pensionable_salary(D("40000.00"), D("50.000"), OP_2025) == D("10762.50")
    cov = coverage(D("40000.00"), D("50.000"), OP_2025, 45, "staffel")
    # 11.7 % of 10,762.50 = 1,259.2125 -> 1,259.21; a twelfth = 104.934375 -> 104.93
    assert (cov.pensionable_salary, cov.yearly_premium, cov.monthly_premium) == (
        D("10762.50"),
        D("1259.21"),
        D("104.93"),
    )


def test_part_time_applies_after_the_franchise() -> None:
    # (52,242.28 - 18,475) x 62.5 % = 21,104.55; 11.7 % = 2,469.23235; a twelfth = 205.7693625
    assert pensionable_salary(D("52242.28"), D("62.500"), OP_2025) == D("21104.55")
    cov = coverage(D("52242.28"), D("62.500"), OP_2025, 45, "staffel")
    assert cov.pensionable_salary == D("21104.55")
    assert cov.yearly_premium == D("2469.23")
    assert cov.monthly_premium == D("205.77")


def test_pension_base_boundaries() -> None:
    # (full-time salary, part-time %) -> pension base with maximum 137,800 and franchise 18,475
    cases = {
        ("18000", "100"): D(0),  # below the franchise
        ("18000", "50"): D(0),
        ("18475", "50"): D(0),  # at the franchise
        ("18475.02", "50"): D("0.01"),  # just above it: the part-time share of what is above
        ("150000", "100"): D("119325"),  # above the maximum: capped, then the franchise
        ("150000", "50"): D("59662.5"),
        ("137800", "62.5"): D("74578.125"),  # at the maximum
        ("40000", "0"): D(0),  # 0 % part-time
        ("150000", "0"): D(0),
        ("40000", "100"): D("21525"),  # 100 % part-time
        ("40000", "33.333"): D("7174.92825"),  # three decimals, unrounded until the end
    }
    found = {k: pensionable_salary(D(k[0]), D(k[1]), OP_2025) for k in cases}
    assert found == cases
    assert yearly_premium(D("18475.02"), D("50"), OP_2025, 45, "staffel") == D("0.00")  # 0.00117 rounds to 0
    # 11.7 % of 59,662.50 = 6,980.5125
    assert yearly_premium(D("150000"), D("50"), OP_2025, 47, "staffel") == D("6980.51")


@pytest.mark.parametrize(("salary", "parttime"), [("18000", "100"), ("18000", "30"), ("0", "100"), ("60000", "0")])
def test_below_the_franchise_clamps_to_zero(salary: str, parttime: str) -> None:
    assert pensionable_salary(D(salary), D(parttime), OP_2025) == 0
    assert yearly_premium(D(salary), D(parttime), OP_2025, 45, "staffel") == D("0.00")


def test_flat_mode_uses_the_flat_percentage_for_every_age() -> None:
    # 2026: franchise 18,945; 52,242.28 - 18,945 = 33,297.28; 24.5 % = 8,157.8336
    op_2026 = SchemeYearParams(2026, D("137800"), D("18945"), OP_BANDS, flat_percentage=D("24.500"))
    for age in (22, 45, 66):
        assert yearly_premium(D("52242.28"), D("100"), op_2026, age, "flat") == D("8157.83")
    assert coverage(D("52242.28"), D("100"), op_2026, 45, "flat").premium_percentage == D("24.500")


def test_flat_percentage_above_thirty_is_refused() -> None:
    with pytest.raises(PremiumParameterError) as err:
        SchemeYearParams(2026, D("137800"), D("18945"), flat_percentage=D("30.001"))
    assert err.value.key == "premium.flat_above_maximum"
    assert SchemeYearParams(2026, D("137800"), D("18945"), flat_percentage=D("30")).flat_percentage == 30


def test_flat_mode_without_a_flat_percentage_and_unknown_modes_are_errors() -> None:
    with pytest.raises(PremiumParameterError):
        premium_percentage(NP_2025, 45, "flat")
    with pytest.raises(PremiumParameterError):
        premium_percentage(OP_2025, 45, "bogus")


@pytest.mark.parametrize(
    "bands",
    [((20, 30, D("5")), (30, 40, D("6"))), ((40, 30, D("5")),), ((20, 30, D("-1")),)],
)
def test_bad_bands_are_refused(bands: tuple) -> None:
    with pytest.raises(PremiumParameterError):
        SchemeYearParams(2025, D("137800"), D("18475"), bands)


def test_ages_outside_every_band_pay_no_premium() -> None:
    assert premium_percentage(OP_2025, 14, "staffel") == 0
    assert premium_percentage(OP_2025, 68, "staffel") == 0
    assert premium_percentage(OP_2025, 24, "staffel") == D("4.400")
    assert premium_percentage(OP_2025, 25, "staffel") == D("9.600")


def test_partner_pension_coverage_is_the_accrual_of_the_pensionable_salary() -> None:
    # 1.225 % of 33,767.28 = 413.64918; risk premium 1.25 % = 422.091
    cov = coverage(D("52242.28"), D("100"), NP_2025, 45, "staffel")
    assert cov.amount_kind == "accrual"
    assert cov.amount == D("413.65")
    assert cov.yearly_premium == D("422.09")


def test_retirement_coverage_is_the_yearly_contribution() -> None:
    cov = coverage(D("52242.28"), D("100"), OP_2025, 45, "staffel")
    assert (cov.amount_kind, cov.amount, cov.yearly_premium) == ("contribution", D("3950.77"), D("3950.77"))
    assert all(isinstance(v, D) for v in (cov.amount, cov.pensionable_salary, cov.monthly_premium))


def test_other_parameters_give_other_figures() -> None:
    other = SchemeYearParams(2024, D("128810"), D("17545"), OP_BANDS)
    assert pensionable_salary(D("52242.28"), D("100"), other) == D("34697.28")
    assert pensionable_salary(D("200000"), D("100"), other) == D("111265")


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(1980, 5, 10), date(2025, 5, 9), 44),
        (date(1980, 5, 10), date(2025, 5, 10), 45),
        (date(1984, 2, 29), date(2025, 2, 28), 40),
        (date(1984, 2, 29), date(2025, 3, 1), 41),
    ],
)
def test_age_at(birth: date, day: date, age: int) -> None:
    assert age_at(birth, day) == age


salaries = st.decimals(min_value=0, max_value=300_000, places=2, allow_nan=False, allow_infinity=False)
parttimes = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)


@given(a=salaries, b=salaries, parttime=parttimes, age=st.integers(15, 67), flat=st.booleans())
def test_premium_is_monotone_in_salary(a: D, b: D, parttime: D, age: int, flat: bool) -> None:
    low, high = sorted((a, b))
    mode = "flat" if flat else "staffel"
    assert yearly_premium(low, parttime, OP_2025, age, mode) <= yearly_premium(high, parttime, OP_2025, age, mode)
    if high >= OP_2025.max_salary:
        capped = yearly_premium(OP_2025.max_salary, parttime, OP_2025, age, mode)
        assert yearly_premium(high, parttime, OP_2025, age, mode) == capped


@given(salary=salaries, parttime=parttimes)
def test_pensionable_salary_stays_within_bounds(salary: D, parttime: D) -> None:
    value = pensionable_salary(salary, parttime, OP_2025)
    assert 0 <= value <= OP_2025.max_salary - OP_2025.franchise


@given(salary=salaries, parttime=parttimes)
def test_pension_base_is_the_full_time_base_times_the_part_time_factor(salary: D, parttime: D) -> None:
    full_time = pensionable_salary(salary, D(100), OP_2025)
    assert pensionable_salary(salary, parttime, OP_2025) == full_time * parttime / 100
