"""Collective files (BULK) row by row, exactly: every issue names its row, column, key, the participant it is
about and the figures its message shows; the hire and exit day themselves still take a change; a raise of
exactly -50 % or +50 % is allowed; the business e-mail file (BULK-3) follows the same rules."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from portal.domain import bulk as rules
from portal.domain.errors import RuleError

HIRED, LEFT = date(2024, 3, 1), date(2026, 6, 30)


def refusal(fn, *args) -> tuple[str, str, dict]:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError) as err:
        fn(*args)
    return err.value.field, err.value.key, err.value.params


def current(pid: int = 1, status: str = "active", end: date | None = LEFT, salary: str | None = "40000.00"):  # type: ignore[no-untyped-def]
    return rules.Current(pid, pid + 100, status, Decimal(salary) if salary else None, Decimal("80.000"), HIRED, end)


# ------------------------------------------------------------------------------------------- issues, headers
def test_issue_as_dict() -> None:
    issue = rules.Issue(7, "F", "salary_invalid", "100001", {"limit": 3})
    assert issue.as_dict() == {
        "row": 7,
        "column": "F",
        "key": "salary_invalid",
        "ref": "100001",
        "params": {"limit": 3},
    }
    assert rules.Issue(0, "", "file_missing").as_dict() == {
        "row": 0,
        "column": "",
        "key": "file_missing",
        "ref": "",
        "params": {},
    }


def test_column_headers_in_either_language() -> None:
    column = rules.Column("salary", "Salaris", "Salary")
    assert (column.header("en"), column.header("nl"), column.header("de")) == ("Salary", "Salaris", "Salaris")


def test_a_renamed_header_is_reported_with_what_was_expected_and_found() -> None:
    header = [c.nl for c in rules.SALARY_COLUMNS]
    header[3] = "Salaris " + "x" * 80
    issue = rules.check_header(header, rules.SALARY_COLUMNS)
    assert issue is not None
    assert (issue.row, issue.column, issue.key, issue.ref) == (1, "D", "column_renamed", "")
    assert issue.params == {
        "column": "D",
        "expected": "Huidig fulltime salaris",
        "expected_en": "Current full-time salary",
        "found": ("salaris " + "x" * 80)[:60],
    }


def test_a_missing_header_is_reported_as_missing() -> None:
    header: list[object] = [c.en for c in rules.EMAIL_COLUMNS]
    header[1] = None
    issue = rules.check_header(header, rules.EMAIL_COLUMNS)
    assert issue is not None and (issue.row, issue.column, issue.key) == (1, "B", "column_missing")
    assert issue.params["found"] == ""


def test_headers_compare_without_case_and_extra_blanks() -> None:
    header = ["  DEELNEMERSNUMMER ", "naam", "Geboorte \u00a0datum"]
    issue = rules.check_header(header, rules.EMAIL_COLUMNS)
    assert issue is not None and (issue.column, issue.params["found"]) == ("C", "geboorte datum")
    assert rules.check_header(["Deelnemersnummer", "Naam", "Geboortedatum\n"], rules.EMAIL_COLUMNS[:3]) is None
    assert rules.check_header(["Huidig\tfulltime   salaris"], rules.SALARY_COLUMNS[3:4]) is None


# ------------------------------------------------------------------------------------------- cells
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  ", ""),
        (True, "TRUE"),
        (False, "FALSE"),
        (100001.0, "100001"),
        (1.5, "1.5"),
        (42, "42"),
        (datetime(2026, 8, 1, 13, 5), "2026-08-01"),
        (date(2026, 8, 1), "2026-08-01"),
        (" 100001 ", "100001"),
        (Decimal("1.50"), "1.50"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert rules.cell_text(value) == text


def test_number_cells_name_their_column() -> None:
    assert refusal(rules.parse_money_cell, True, "I") == ("I", "not_a_number", {})
    assert refusal(rules.parse_money_cell, "veel", "I") == ("I", "salary_invalid", {})
    assert refusal(rules.parse_money_cell, 0.0, "F") == ("F", "salary_not_positive", {})
    assert refusal(rules.parse_parttime_cell, True, "G") == ("G", "not_a_number", {})
    assert refusal(rules.parse_parttime_cell, date(2026, 1, 1), "J") == ("J", "not_a_number", {})
    assert refusal(rules.parse_parttime_cell, 100.5, "J") == ("J", "parttime_range", {})
    assert rules.parse_parttime_cell(100, "J") == Decimal("100.000")
    assert rules.parse_parttime_cell("62,5", "J") == Decimal("62.500")


def test_a_plain_number_cell_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The common salary cell (up to 50,000 rows a file) is read without the general text parser."""

    def general(*_args: object) -> Decimal:
        raise AssertionError("the general parser was used")

    monkeypatch.setattr(rules.validation, "parse_salary", general)
    assert rules.parse_money_cell(53242.28, "F") == Decimal("53242.28")
    assert rules.parse_money_cell(53242.280000000006, "F") == Decimal("53242.28")  # as Excel shows it
    assert rules.parse_money_cell(0.5, "F") == Decimal("0.50")
    assert rules.parse_money_cell(1.0, "F") == Decimal("1.00")
    assert rules.parse_money_cell(9999999.99, "F") == Decimal("9999999.99")
    with pytest.raises(AssertionError):
        rules.parse_money_cell(1e7, "F")  # the limit: the general rule says why


def test_date_cells_name_their_column() -> None:
    assert rules.parse_date_cell(date(2026, 8, 1), "F") == date(2026, 8, 1)
    assert rules.parse_date_cell("2026-08-01", "F") == date(2026, 8, 1)
    for bad in (45000, 45000.5):  # a number is no date (even though Excel counts days)
        assert refusal(rules.parse_date_cell, bad, "H") == ("H", "date_invalid", {})
    assert refusal(rules.parse_date_cell, True, "H") == ("H", "date_invalid", {})
    assert refusal(rules.parse_date_cell, "32-01-2026", "H") == ("H", "date_invalid", {})


def test_check_effective_is_the_three_month_window() -> None:
    today = date(2026, 11, 1)
    assert rules.check_effective(date(2027, 2, 1), today) is None
    assert rules.check_effective(date(2027, 2, 2), today) == "date_too_far_ahead"


# ------------------------------------------------------------------------------------------- BULK-1 salary file
def salary_file(rows: list[list[object]], known: dict | None = None, effective: date = date(2026, 1, 1)):  # type: ignore[no-untyped-def]
    return rules.check_salary_rows(rows, known if known is not None else {"100001": current()}, effective)


def test_a_changed_row_is_a_line_with_the_old_and_new_terms() -> None:
    checked = salary_file([["100001", "", None, 1, 2, 42000, 90]])
    assert checked.issues == [] and checked.rows == 1
    assert checked.lines == [
        rules.SalaryLine(
            2, "100001", 1, 101, Decimal("42000.00"), Decimal("90.000"), Decimal("40000.00"), Decimal("80.000")
        )
    ]


def test_participant_numbers_typed_as_numbers() -> None:
    checked = salary_file([[100001.0, "", None, 1, 2, 42000], [100002, "", None, 1, 2, 42000]])
    assert [line.number for line in checked.lines] == ["100001"]
    assert [(i.row, i.key, i.ref) for i in checked.issues] == [(3, "unknown_participant", "100002")]


def test_short_rows_change_only_what_they_hold() -> None:
    known = {"1": current(1), "2": current(2), "3": current(3)}
    checked = salary_file([["1", "", None, 1, 2, 42000], ["2", "", None, 1, 2], ["3", "", None, 1, 2, None, 90]], known)
    assert checked.issues == []
    assert [(line.number, line.salary, line.parttime) for line in checked.lines] == [
        ("1", Decimal("42000.00"), None),
        ("3", None, Decimal("90.000")),
    ]


def test_bad_cells_are_reported_at_their_column() -> None:
    checked = salary_file([["100001", "", None, 1, 2, "veel", None]])
    assert [(i.row, i.column, i.key, i.ref) for i in checked.issues] == [(2, "F", "salary_invalid", "100001")]
    checked = salary_file([["100001", "", None, 1, 2, "", "101"]])
    assert [(i.row, i.column, i.key, i.ref) for i in checked.issues] == [(2, "G", "parttime_range", "100001")]


@pytest.mark.parametrize(
    ("effective", "issue"),
    [
        (date(2024, 2, 29), ("date_before_start", {"start_date": "2024-03-01"})),
        (HIRED, None),  # the day of hire takes a change
        (LEFT, None),  # so does the last day in service
        (date(2026, 7, 1), ("date_after_exit", {"end_date": "2026-06-30"})),
    ],
)
def test_the_day_of_hire_and_the_last_day_in_service_take_a_change(effective: date, issue: tuple | None) -> None:
    checked = salary_file([["100001", "", None, 1, 2, 42000, None]], effective=effective)
    if issue is None:
        assert checked.issues == [] and len(checked.lines) == 1
    else:
        assert [(i.row, i.column, i.key, i.ref, dict(i.params)) for i in checked.issues] == [
            (2, "A", *issue[:1], "100001", issue[1])
        ]
        assert checked.lines == []


def test_a_participant_who_has_left_cannot_be_changed() -> None:
    checked = salary_file([["100001", "", None, 1, 2, 42000]], {"100001": current(status="retired")})
    assert [(i.column, i.key, i.ref, dict(i.params)) for i in checked.issues] == [
        ("A", "participant_dormant", "100001", {})
    ]


def test_every_row_after_a_failing_one_is_checked_too() -> None:
    known = {"1": current(1), "2": current(2)}
    rows: list[list[object]] = [
        [None, "x", None, 1, 2, 42000],  # 2: no number
        [],  # 3: empty, skipped
        [None, None, None, None, None, None, None, "a remark beyond G"],  # 4: empty as far as the file goes
        ["1", "", None, 1, 2, 42000],  # 5
        ["1", "", None, 1, 2, 43000],  # 6: twice
        ["9", "", None, 1, 2, 43000],  # 7: unknown
        ["2", "", None, 1, 2, "veel"],  # 8: bad salary
        ["2", "", None, 1, 2, 43000],  # 9: twice (the first time failed, it still counts)
        ["", "y", None, 1, 2],  # 10: a name without a number
    ]
    checked = salary_file(rows, known)
    assert [(i.row, i.column, i.key, i.ref, dict(i.params)) for i in checked.issues] == [
        (2, "A", "number_missing", "", {}),
        (6, "A", "duplicate_row", "1", {"first_row": 5}),
        (7, "A", "unknown_participant", "9", {}),
        (8, "F", "salary_invalid", "2", {}),
        (9, "A", "duplicate_row", "2", {"first_row": 8}),
        (10, "A", "number_missing", "", {}),
    ]
    assert [line.row for line in checked.lines] == [5]
    assert checked.rows == 7


# ------------------------------------------------------------------------------------------- BULK-4 raise
@pytest.mark.parametrize(
    ("text", "pct"),
    [
        ("50", "50"),
        ("-50", "-50"),
        ("50,000", "50.000"),
        ("-49,999", "-49.999"),
        ("2,125", "2.125"),
        ("1.000", "1.000"),
    ],
)
def test_a_raise_from_minus_to_plus_fifty_percent(text: str, pct: str) -> None:
    assert str(rules.parse_raise(text)) == pct
    assert rules.parse_raise(Decimal(pct)) == Decimal(pct)


@pytest.mark.parametrize("text", ["50,001", "-50,001", "50.5", "0", "0,000", "-0"])
def test_a_raise_outside_the_bounds_or_of_nothing(text: str) -> None:
    assert refusal(rules.parse_raise, text) == ("percentage", "percentage_range", {"low": "-50", "high": "50"})


@pytest.mark.parametrize("value", ["2,1255", "1.000,5", "abc", "", None, Decimal("2.1255")])
def test_a_raise_that_is_no_percentage(value: object) -> None:
    assert refusal(rules.parse_raise, value) == ("percentage", "percentage_invalid", {})


def test_raise_lines_only_for_who_is_in_service_on_the_day() -> None:
    effective = date(2026, 1, 1)
    known = {
        "a": current(1),
        "b": current(2, status="dormant"),  # has left
        "c": current(3, salary=None),  # no salary on the day
        "d": rules.Current(4, 104, "active", Decimal(1000), Decimal(100), effective, None),  # hired that day
        "e": rules.Current(5, 105, "active", Decimal(1000), Decimal(100), date(2026, 1, 2), None),  # the day after
        "f": rules.Current(6, 106, "active", Decimal(1000), Decimal(100), HIRED, effective),  # leaves that day
        "g": rules.Current(7, 107, "active", Decimal(1000), Decimal(100), HIRED, date(2025, 12, 31)),  # left before
        "h": rules.Current(8, 108, "active", Decimal("0.01"), Decimal(100), HIRED, None),  # 0.01 * 1.1: no change
        "i": rules.Current(9, 109, "active", Decimal("0.50"), Decimal(50), HIRED, None),  # 0.55: still a salary
    }
    lines = rules.raise_lines(known, Decimal(10), effective)
    assert lines == [
        rules.SalaryLine(0, "a", 1, 101, Decimal("44000.00"), None, Decimal("40000.00"), Decimal("80.000")),
        rules.SalaryLine(0, "d", 4, 104, Decimal("1100.00"), None, Decimal(1000), Decimal(100)),
        rules.SalaryLine(0, "f", 6, 106, Decimal("1100.00"), None, Decimal(1000), Decimal(100)),
        rules.SalaryLine(0, "i", 9, 109, Decimal("0.55"), None, Decimal("0.50"), Decimal(50)),
    ]


def test_a_cut_that_rounds_back_to_the_same_cent_leaves_the_salary() -> None:
    known = {"a": rules.Current(1, 101, "active", Decimal("0.01"), Decimal(100), HIRED, None), "b": current(2)}
    assert [(line.number, line.salary) for line in rules.raise_lines(known, Decimal(-50), date(2026, 1, 1))] == [
        ("b", Decimal("20000.00"))
    ]


def test_raised_rounds_half_up_to_cents() -> None:
    assert rules.raised(Decimal("0.05"), Decimal(50)) == Decimal("0.08")  # 0.075
    assert rules.raised(Decimal("100"), Decimal("-50")) == Decimal("50.00")


# ------------------------------------------------------------------------------------------- BULK-3 e-mail file
EMAIL_KNOWN = {"100001": (11, "old@example.nl"), "100002": (12, ""), "100003": (13, "same@example.nl")}


def test_email_file_lines_and_unchanged_rows() -> None:
    rows: list[list[object]] = [
        ["100001", "A", None, "old@example.nl", " New@Example.NL "],  # 2: a new address (normalised)
        ["100002", "B", None, "", "b@example.nl"],  # 3: a first address
        ["100003", "C", None, "same@example.nl", "SAME@example.nl"],  # 4: the same address: no change
    ]
    checked = rules.check_email_rows(rows, EMAIL_KNOWN)
    assert checked.issues == [] and checked.rows == 3
    assert checked.lines == [
        rules.EmailLine(2, "100001", 11, "new@example.nl", "old@example.nl"),
        rules.EmailLine(3, "100002", 12, "b@example.nl", ""),
    ]


def test_email_file_empty_column_e_changes_nothing() -> None:
    rows: list[list[object]] = [["100001", "A", None, "old@example.nl"], ["100002", "B", None, "", "  "]]
    checked = rules.check_email_rows(rows, EMAIL_KNOWN)
    assert (checked.lines, checked.issues, checked.rows) == ([], [], 2)


def test_email_file_every_problem_at_its_row() -> None:
    rows: list[list[object]] = [
        [None, "A", None, None, "x@example.nl"],  # 2: no number
        [None, None, None, None, None, "a remark beyond E"],  # 3: empty as far as the file goes
        ["999999", "B", None, None, "y@example.nl"],  # 4: unknown
        [100001.0, "C", None, None, "not an address"],  # 5: bad address
        ["100001", "C", None, None, "c@example.nl"],  # 6: twice (the number typed as a number the first time)
        ["100002", "D", None, None, "d" * 250 + "@example.nl"],  # 7: too long
        ["100003", "E", None, None, "e@example.nl"],  # 8: fine
        ["100002"],  # 9: twice
    ]
    checked = rules.check_email_rows(rows, EMAIL_KNOWN)
    assert [(i.row, i.column, i.key, i.ref, dict(i.params)) for i in checked.issues] == [
        (2, "A", "number_missing", "", {}),
        (4, "A", "unknown_participant", "999999", {}),
        (5, "E", "email_invalid", "100001", {}),
        (6, "A", "duplicate_row", "100001", {"first_row": 5}),
        (7, "E", "text_too_long", "100002", {"limit": 254}),
        (9, "A", "duplicate_row", "100002", {"first_row": 7}),
    ]
    assert checked.lines == [rules.EmailLine(8, "100003", 13, "e@example.nl", "same@example.nl")]
    assert checked.rows == 7


# ------------------------------------------------------------------------------------------- BULK-2 new participants
EXAMPLE = list(rules.NEW_EXAMPLE)
ROW = ["123456782", "P.", "Piet", "de", "Nieuw", date(1990, 5, 5), "M", date(2026, 8, 1), 45000, 100, "p@example.nl"]


def new_file(rows: list[list[object]], fail: dict[str, RuleError] | None = None):  # type: ignore[no-untyped-def]
    seen: list[tuple[int, dict[str, object]]] = []

    def check(row: int, values: dict[str, object]) -> None:
        seen.append((row, dict(values)))
        if fail and str(values["last_name"]) in fail:
            raise fail[str(values["last_name"])]

    return rules.new_participant_rows(rows, check), seen


def test_the_example_row_is_refused_only_as_row_two() -> None:
    checked, _seen = new_file([EXAMPLE, ROW])
    assert [(i.row, i.column, i.key, i.ref, dict(i.params)) for i in checked.issues] == [(2, "", "example_row", "", {})]
    assert [line.row for line in checked.lines] == [3] and checked.rows == 2
    checked, _seen = new_file([ROW, EXAMPLE])  # further down it is an ordinary participant
    assert checked.issues == [] and [line.row for line in checked.lines] == [2, 3]


def test_the_example_row_as_a_spreadsheet_may_have_stored_it() -> None:
    as_text = [*EXAMPLE[:8], "40000", "100", EXAMPLE[10]]
    assert rules.example_unchanged(as_text)
    assert rules.example_unchanged([*EXAMPLE[:8], Decimal("40000.0"), 100.0, EXAMPLE[10]])
    assert not rules.example_unchanged([*EXAMPLE[:8], 45000, 100, EXAMPLE[10]])
    assert not rules.example_unchanged([*EXAMPLE[:8], 40000, 99, EXAMPLE[10]])
    assert not rules.example_unchanged([*EXAMPLE[:6], "V", *EXAMPLE[7:]])


def test_the_values_the_individual_rules_get() -> None:
    row = ["12345678.2", " P. ", "Piet", None, "Nieuw", "05-05-1990", "vrouw", "2026-08-01", "45.000", "", ""]
    checked, seen = new_file([row])
    assert checked.rows == 1 and checked.issues == []
    assert seen == [
        (
            2,
            {
                "bsn": "12345678.2",
                "initials": "P.",
                "first_name": "Piet",
                "name_prefix": "",
                "last_name": "Nieuw",
                "birth_date": date(1990, 5, 5),
                "gender": "F",
                "start_date": date(2026, 8, 1),
                "salary": Decimal("45000.00"),
                "parttime": "",
                "business_email": "",
            },
        )
    ]
    assert checked.lines == [rules.NewLine(2, seen[0][1])]


@pytest.mark.parametrize(
    ("typed", "gender"), [("V", "F"), ("vrouw", "F"), ("Man", "M"), ("m", "M"), ("x", "X"), ("", "")]
)
def test_the_dutch_template_says_m_v_x(typed: str, gender: str) -> None:
    _checked, seen = new_file([[*ROW[:6], typed, *ROW[7:]]])
    assert seen[0][1]["gender"] == gender


def test_rows_empty_as_far_as_the_template_goes_are_skipped() -> None:
    checked, seen = new_file([[None] * 11 + ["a remark beyond K"], [], ROW])
    assert (checked.issues, checked.rows, [line.row for line in checked.lines]) == ([], 1, [4])
    assert [row for row, _values in seen] == [4]


def test_empty_dates_and_amounts_are_left_to_the_individual_rules() -> None:
    _checked, seen = new_file([[*ROW[:5], None, "M", " ", None, "", "p@example.nl"]])
    assert [seen[0][1][k] for k in ("birth_date", "start_date", "salary", "parttime")] == ["", "", "", ""]


def test_new_participant_problems_at_their_row_and_column() -> None:
    rows: list[list[object]] = [
        ROW,  # 2
        [*ROW[:5], "1990-02-30", *ROW[6:]],  # 3: birth date (F)
        [None, *ROW[1:]],  # 4: no BSN (A)
        ["123456789", *ROW[1:]],  # 5: bad BSN (A)
        [*ROW[:7], 46000, *ROW[8:]],  # 6: start date as a number (H)
        [*ROW[:9], 101, ROW[10]],  # 7: part-time (J)
        ["111222333", *ROW[1:4], "Fout", *ROW[5:]],  # 8: the individual rules refuse a field
        ["010000008", *ROW[1:4], "Kolom", *ROW[5:]],  # 9: ... or name a column themselves
        ["001112223", *ROW[1:4], "Ander", *ROW[5:]],  # 10: ... or a field with no column
        [*ROW],  # 11: twice
    ]
    fail = {
        "Fout": RuleError("business_email", "email_invalid", {"x": 1}),
        "Kolom": RuleError("AB", "whatever"),
        "Ander": RuleError("partner_type", "partner_exists"),
    }
    checked, _seen = new_file(rows, fail)
    assert [(i.row, i.column, i.key, i.ref, dict(i.params)) for i in checked.issues] == [
        (3, "F", "date_invalid", "123456782", {}),
        (4, "A", "bsn_required", "", {}),
        (5, "A", "bsn_invalid", "123456789", {}),
        (6, "H", "date_invalid", "123456782", {}),
        (7, "J", "parttime_range", "123456782", {}),
        (8, "K", "email_invalid", "111222333", {"x": 1}),
        (9, "AB", "whatever", "010000008", {}),
        (10, "", "partner_exists", "001112223", {}),
        (11, "A", "duplicate_row", "123456782", {"first_row": 2}),
    ]
    assert [line.row for line in checked.lines] == [2] and checked.rows == 10


def test_a_rule_error_on_an_odd_field_name_has_no_column() -> None:
    for field in ("a", "ABC", "", "A1"):
        checked, _seen = new_file([ROW], {"Nieuw": RuleError(field, "k")})
        assert [i.column for i in checked.issues] == [""]


def test_the_example_check_never_fails_on_an_odd_number() -> None:
    assert not rules.example_unchanged([Decimal("sNaN"), *EXAMPLE[1:]])  # a signalling NaN cannot normalise
    assert rules.example_unchanged([111222333, *EXAMPLE[1:]])
