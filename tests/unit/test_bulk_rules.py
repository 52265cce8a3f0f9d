"""Rules of collective files (BULK), without a database: headers, cells as Excel stores them, every row
problem named at its row and column, the integral raise, the example row of the new-participants file."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import bulk as rules
from portal.domain.errors import RuleError

EFFECTIVE = date(2026, 12, 1)
HEADER = [c.nl for c in rules.SALARY_COLUMNS]


def _current(pid: int, status: str = "active", end: date | None = None) -> rules.Current:
    return rules.Current(pid, pid + 1000, status, Decimal("52242.28"), Decimal("100.000"), date(2020, 1, 1), end)


KNOWN = {"100001": _current(1), "100002": _current(2), "100003": _current(3, "dormant", date(2026, 5, 31))}


def test_letters() -> None:
    assert [rules.letter(i) for i in (0, 5, 6, 25, 26, 27)] == ["A", "F", "G", "Z", "AA", "AB"]


def test_header_in_either_language_and_renamed_or_missing_columns() -> None:
    assert rules.check_header(HEADER, rules.SALARY_COLUMNS) is None
    assert rules.check_header([c.en.upper() for c in rules.SALARY_COLUMNS], rules.SALARY_COLUMNS) is None
    renamed = rules.check_header([*HEADER[:5], "Salaris", HEADER[6]], rules.SALARY_COLUMNS)
    assert renamed is not None and (renamed.key, renamed.column, renamed.params["found"]) == (
        "column_renamed",
        "F",
        "salaris",
    )
    missing = rules.check_header(HEADER[:6], rules.SALARY_COLUMNS)
    assert missing is not None and (missing.key, missing.column) == ("column_missing", "G")


def test_salary_headers_say_full_time_and_templates_with_the_former_headers_still_upload() -> None:
    """The salary is the full-time salary (MUT-7): the templates say so; a template downloaded before the
    headers were renamed ("Huidig salaris", "Nieuw salaris", "Salaris") still uploads, anything else does not."""
    salary = [(c.header("nl"), c.header("en")) for c in rules.SALARY_COLUMNS if "salary" in c.key]
    assert salary == [
        ("Huidig fulltime salaris", "Current full-time salary"),
        ("Nieuw fulltime salaris", "New full-time salary"),
    ]
    new_salary = rules.NEW_COLUMNS[8]
    assert (new_salary.header("nl"), new_salary.header("en")) == ("Fulltime salaris", "Full-time salary")
    old_salary = ["Deelnemersnummer", "Naam", "Geboortedatum", "Huidig salaris", "Huidig parttimepercentage"]
    assert rules.check_header([*old_salary, "Nieuw salaris", "Nieuw parttimepercentage"], rules.SALARY_COLUMNS) is None
    old_en = ["Participant number", "Name", "Date of birth", "Current salary", "Current part-time %", "New salary"]
    assert rules.check_header([*old_en, "New part-time %"], rules.SALARY_COLUMNS) is None
    old_new = [c.nl for c in rules.NEW_COLUMNS]
    old_new[8] = "Salaris"
    assert rules.check_header(old_new, rules.NEW_COLUMNS) is None
    old_new[8] = "Parttime salaris"
    wrong = rules.check_header(old_new, rules.NEW_COLUMNS)
    assert wrong is not None and (wrong.key, wrong.column, wrong.params["expected"]) == (
        "column_renamed",
        "I",
        "Fulltime salaris",
    )


def test_cells_as_excel_stores_them() -> None:
    assert rules.parse_money_cell(53242.280000000006, "F") == Decimal("53242.28")  # 15 significant digits
    assert rules.parse_money_cell("52.242,28", "F") == Decimal("52242.28")
    assert rules.parse_money_cell(40000, "F") == Decimal("40000.00")
    assert rules.parse_parttime_cell(87.5, "G") == Decimal("87.500")
    assert rules.cell_text(100001.0) == "100001"
    assert rules.parse_date_cell(datetime(2026, 8, 1), "H") == date(2026, 8, 1)
    assert rules.parse_date_cell("01-08-2026", "H") == date(2026, 8, 1)
    for bad, key in ((True, "not_a_number"), (date(2026, 1, 1), "not_a_number"), ("abc", "salary_invalid")):
        with pytest.raises(RuleError) as err:
            rules.parse_money_cell(bad, "F")
        assert (err.value.field, err.value.key) == ("F", key)
    with pytest.raises(RuleError) as err:
        rules.parse_parttime_cell(33.3333, "G")
    assert err.value.key == "parttime_decimals"


def test_salary_rows_every_problem_at_its_row() -> None:
    rows = [
        ["100001", "a", None, 1, 2, 55000, None],  # 2: fine
        ["100002", "b", None, 1, 2, "", 120],  # 3: part-time out of range
        ["100003", "c", None, 1, 2, 55000, None],  # 4: has left
        ["999999", "d", None, 1, 2, 55000, None],  # 5: unknown
        ["100001", "a", None, 1, 2, 56000, None],  # 6: twice
        [None, "e", None, 1, 2, 1, None],  # 7: no number
        [None, None, None, None, None, None, None],  # 8: empty row, skipped
    ]
    checked = rules.check_salary_rows(rows, KNOWN, EFFECTIVE)
    assert [(i.row, i.column, i.key) for i in checked.issues] == [
        (3, "G", "parttime_range"),
        (4, "A", "participant_dormant"),
        (5, "A", "unknown_participant"),
        (6, "A", "duplicate_row"),
        (7, "A", "number_missing"),
    ]
    assert checked.rows == 6
    assert [(line.row, line.salary, line.parttime) for line in checked.lines] == [(2, Decimal("55000.00"), None)]


def test_same_value_as_now_is_no_change() -> None:
    checked = rules.check_salary_rows([["100001", "a", None, 1, 2, 52242.28, 100]], KNOWN, EFFECTIVE)
    assert checked.lines == [] and checked.issues == []


def test_change_before_hire_or_after_exit_is_refused() -> None:
    known = {"1": rules.Current(1, 2, "active", Decimal(1), Decimal(100), date(2027, 1, 1), None)}
    checked = rules.check_salary_rows([["1", "", None, 1, 2, 5, None]], known, EFFECTIVE)
    assert [i.key for i in checked.issues] == ["date_before_start"]


@given(st.decimals(min_value=Decimal("1000"), max_value=Decimal("500000"), places=2))
def test_raise_is_rounded_to_cents(salary: Decimal) -> None:
    new = rules.raised(salary, Decimal("2.5"))
    assert new == (salary * Decimal("1.025")).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert new.as_tuple().exponent == -2


def test_raise_percentage_bounds() -> None:
    assert rules.parse_raise("2,5") == Decimal("2.5")
    for bad in ("0", "51", "-50,5", "abc", "2,1234"):
        with pytest.raises(RuleError):
            rules.parse_raise(bad)
    lines = rules.raise_lines(KNOWN, Decimal("3"), EFFECTIVE)
    assert [(line.number, line.salary) for line in lines] == [
        ("100001", Decimal("53809.55")),
        ("100002", Decimal("53809.55")),
    ]


def test_example_row_of_the_new_participants_file() -> None:
    as_stored = [
        "111222333",
        "J.",
        "Jan",
        "van",
        "Voorbeeld",
        datetime(1990, 1, 1),
        "M",
        datetime(2026, 1, 1),
        40000.0,
        100,
        "jan.voorbeeld@example.com",
    ]
    assert rules.example_unchanged(as_stored)
    assert not rules.example_unchanged(["123456782", *as_stored[1:]])


def test_new_participant_rows_use_the_individual_rules() -> None:
    seen = []

    def check(row: int, values: dict[str, object]) -> None:
        seen.append((row, values["gender"], values["salary"], values["start_date"]))
        if values["last_name"] == "Fout":
            raise RuleError("last_name", "last_name_required")

    rows = [
        ["123456782", "P.", "", "", "Nieuw", date(1990, 5, 5), "V", "01-08-2026", "45.000,00", 100, ""],
        ["123456782", "Q.", "", "", "Dubbel", date(1990, 5, 5), "M", date(2026, 8, 1), 1, 1, ""],
        ["111222333", "R.", "", "", "Fout", date(1990, 5, 5), "X", date(2026, 8, 1), "veel", 1, ""],
        ["010000008", "S.", "", "", "Fout", date(1990, 5, 5), "X", date(2026, 8, 1), 1000, 1, ""],
    ]
    checked = rules.new_participant_rows(rows, check)
    assert [(i.row, i.column, i.key) for i in checked.issues] == [
        (3, "A", "duplicate_row"),
        (4, "I", "salary_invalid"),
        (5, "E", "last_name_required"),
    ]
    assert seen[0] == (2, "F", Decimal("45000.00"), date(2026, 8, 1))
    assert [line.row for line in checked.lines] == [2]


def _general_money(value: float) -> tuple[str, str]:
    """The salary rule for a number cell without the fast path: Excel's 15-digit text, then parse_salary."""
    from portal.domain import validation

    try:
        return "ok", str(validation.parse_salary(rules._number_text(value, "F"), "F"))
    except RuleError as err:
        return "error", err.key


def _fast_money(value: float) -> tuple[str, str]:
    try:
        return "ok", str(rules.parse_money_cell(value, "F"))
    except RuleError as err:
        return "error", err.key


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        -0.0,
        5e-324,
        0.004,
        0.005,
        0.01,
        0.1,
        52.242,
        52.24,
        1.5e-5,
        53242.280000000006,
        40000.0,
        1e7 - 0.01,
        9999999.995,
        1e7,
        1e15,
        1e16,
        123456789012345.6,
        -1.0,
        float("inf"),
        float("-inf"),
        float("nan"),
    ],
)
def test_the_fast_path_for_number_cells_gives_what_the_general_rule_gives(value: float) -> None:
    assert _fast_money(value) == _general_money(value)


@given(st.floats(allow_nan=True, allow_infinity=True) | st.decimals(0, 20_000_000, places=2).map(float))
def test_the_fast_path_agrees_with_the_general_rule_on_any_float(value: float) -> None:
    assert _fast_money(value) == _general_money(value)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_number_cell_that_is_no_number_at_all(value: float) -> None:
    """inf and nan are refused as no number at all (they used to read as the text "Infinity" or "NaN", and to
    be refused as a bad salary or a part-time out of range)."""
    for parse, column in ((rules.parse_money_cell, "F"), (rules.parse_parttime_cell, "G")):
        with pytest.raises(RuleError) as err:
            parse(value, column)
        assert (err.value.field, err.value.key) == (column, "not_a_number")


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity")])
def test_a_raise_given_as_a_decimal_that_is_no_number_is_refused(value: Decimal) -> None:
    """Not a decimal.InvalidOperation from comparing NaN with the bounds (a server error)."""
    with pytest.raises(RuleError) as err:
        rules.parse_raise(value)
    assert (err.value.field, err.value.key) == ("percentage", "percentage_invalid")
