"""Scheme-year parameters (MUT-7) that premiums cannot be computed from are refused with a message key and an
English explanation; the limits themselves (0, 30 % flat, adjoining age bands) are allowed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from portal.domain.premium import (
    MAX_FLAT_PERCENTAGE,
    PremiumParameterError,
    SchemeYearParams,
    coverage,
    premium_percentage,
)


def refused(**kwargs: object) -> tuple[str, str]:
    """(key, message) of the PremiumParameterError for scheme-year 2026 parameters with ``kwargs``."""
    args: dict[str, object] = {"year": 2026, "max_salary": D("137800"), "franchise": D("18945"), **kwargs}
    with pytest.raises(PremiumParameterError) as err:
        SchemeYearParams(**args)  # type: ignore[arg-type]
    return err.value.key, str(err.value)


def test_negative_maximum_or_franchise() -> None:
    message = "maximum and franchise must not be negative"
    assert refused(max_salary=D("-0.01")) == ("premium.negative_parameter", message)
    assert refused(franchise=D("-0.01")) == ("premium.negative_parameter", message)
    # zero is a figure a scheme year may have (no franchise, or nothing pensionable)
    assert SchemeYearParams(2026, D(0), D(0)).max_salary == 0
    assert SchemeYearParams(2026, D("0.5"), D("0.5")).franchise == D("0.5")


def test_flat_percentage_from_zero_to_thirty() -> None:
    assert MAX_FLAT_PERCENTAGE == 30
    for pct in (D(0), D("0.5"), D(30)):
        assert SchemeYearParams(2026, D("137800"), D("18945"), flat_percentage=pct).flat_percentage == pct
    assert refused(flat_percentage=D("-0.001")) == (
        "premium.flat_above_maximum",
        "flat premium -0.001 % is outside 0..30 %",
    )
    assert refused(flat_percentage=D("30.5"))[0] == "premium.flat_above_maximum"


def test_accrual_percentage_not_negative() -> None:
    for pct in (D(0), D("0.5")):
        assert SchemeYearParams(2026, D("137800"), D("18945"), accrual_percentage=pct).accrual_percentage == pct
    assert refused(accrual_percentage=D("-0.001")) == (
        "premium.negative_parameter",
        "accrual percentage must not be negative",
    )


def test_age_bands() -> None:
    ok = SchemeYearParams(2026, D("137800"), D("18945"), ((67, 67, D(0)), (20, 20, D("0.5")), (21, 66, D(1))))
    assert premium_percentage(ok, 20, "staffel") == D("0.5")
    assert premium_percentage(ok, 67, "staffel") == 0
    assert refused(bands=((30, 29, D(5)),)) == ("premium.bad_band", "bad age band 30-29: 5 %")
    assert refused(bands=((20, 29, D("-0.1")),)) == ("premium.bad_band", "bad age band 20-29: -0.1 %")
    assert refused(bands=((30, 39, D(6)), (20, 30, D(5)))) == ("premium.bad_band", "age band 30-39 overlaps another")


def test_premium_mode_errors() -> None:
    params = SchemeYearParams(2026, D("137800"), D("18945"))
    with pytest.raises(PremiumParameterError) as err:
        premium_percentage(params, 45, "flat")
    assert (err.value.key, str(err.value)) == ("premium.no_flat_percentage", "scheme year 2026 has no flat premium")
    with pytest.raises(PremiumParameterError) as err:
        premium_percentage(params, 45, "Staffel")
    assert (err.value.key, str(err.value)) == ("premium.unknown_mode", "unknown premium mode 'Staffel'")


def test_coverage_names_its_year_mode_and_age() -> None:
    params = SchemeYearParams(2026, D("137800"), D("18945"), ((15, 67, D("10")),), flat_percentage=D("20"))
    cov = coverage(D("40000"), D("100"), params, 45, "flat")
    assert (cov.year, cov.mode, cov.age, cov.premium_percentage) == (2026, "flat", 45, D("20"))
    # (40,000 - 18,945) x 20 % = 4,211.00; a twelfth = 350.9166.. -> 350.92
    assert (cov.pensionable_salary, cov.yearly_premium, cov.monthly_premium) == (
        D("21055.00"),
        D("4211.00"),
        D("350.92"),
    )
    assert (cov.amount_kind, cov.amount) == ("contribution", D("4211.00"))
