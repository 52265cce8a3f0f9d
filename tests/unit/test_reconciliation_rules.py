"""Reconciliation rules (INT-7): columns (NL/EN), parsing (Dutch decimal commas, dates), matching, each kind of
difference and the tolerance at its boundary, totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.domain import reconciliation as r

NL = ["Polisnummer", "BSN", "Geboortedatum", "Status", "Jaarsalaris", "Deeltijd %", "Jaarpremie", "Naam"]
EN = ["Participant number", "BSN", "Date of birth", "Status", "Annual salary", "Part-time %", "Yearly premium"]


def _row(number="D1", bsn="123456782", birth="01-02-1980", status="actief", salary="50.000,00", pt="80,5",
         premium="4.000,00") -> dict[str, str]:  # fmt: skip
    return dict(zip(NL, [number, bsn, birth, status, salary, pt, premium, "Jansen"], strict=True))


def _portal(pid=1, number="D1", policy="", bsn="123456782", birth=date(1980, 2, 1), active=True,
            salary="50000.00", pt="80.500", premium="4000.00") -> r.PortalRecord:  # fmt: skip
    return r.PortalRecord(
        pid, pid * 10, number, policy, bsn, birth, "Jansen, J.", active,
        Decimal(salary), Decimal(pt), Decimal(premium),
    )  # fmt: skip


def test_columns_recognised_in_dutch_and_english():
    nl = r.recognise_columns(NL)
    assert nl == {
        "number": "Polisnummer", "bsn": "BSN", "birth_date": "Geboortedatum", "status": "Status",
        "salary": "Jaarsalaris", "parttime": "Deeltijd %", "premium": "Jaarpremie", "name": "Naam",
    }  # fmt: skip
    en = r.recognise_columns([*EN, "Remarks"])  # an unknown column is ignored
    assert en["number"] == "Participant number" and en["parttime"] == "Part-time %" and "name" not in en


def test_missing_and_repeated_columns_are_named():
    with pytest.raises(r.ColumnProblem) as err:
        r.recognise_columns(["Polisnummer", "BSN", "Geboortedatum", "Status", "Salaris", "Salary"])
    assert err.value.missing == ("parttime", "premium")
    assert err.value.duplicate == ("salary",)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("52.242,28", "52242.28"), ("52242,28", "52242.28"), ("€ 52.242,28", "52242.28"), ("52,242.28", "52242.28"),
        ("52242.28", "52242.28"), ("1.234.567", "1234567"), ("52242", "52242"), ("80 %", "80"),
    ],
)  # fmt: skip
def test_numbers_with_dutch_and_english_separators(text, value):
    assert r.parse_decimal(text) == Decimal(value)


def test_money_parttime_dates_bsn_status():
    assert r.parse_money("1.000,005") == Decimal("1000.01")
    assert r.parse_parttime("80,5") == Decimal("80.500")
    with pytest.raises(r.ValueProblem, match="parttime"):
        r.parse_parttime("100,5")
    with pytest.raises(r.ValueProblem, match="money"):
        r.parse_money("-5")
    with pytest.raises(r.ValueProblem, match="number"):
        r.parse_money("veel")
    assert r.parse_date("17-05-1980") == r.parse_date("1980-05-17") == r.parse_date("17/05/1980") == date(1980, 5, 17)
    with pytest.raises(r.ValueProblem):
        r.parse_date("31-02-1980")
    assert r.parse_bsn("23456782") == "023456782"  # a spreadsheet dropped the leading zero
    assert r.parse_bsn("85.07.30-033.61") == "85073003361"  # a Belgian national register number
    with pytest.raises(r.ValueProblem):
        r.parse_bsn("12345678901234")
    assert r.parse_status("Actief") == r.ACTIVE and r.parse_status("Uit dienst") == r.ENDED
    with pytest.raises(r.ValueProblem):
        r.parse_status("misschien")


def test_parse_rows_into_typed_records():
    (rec,) = r.parse_rows([_row()])
    assert rec == r.InsurerRecord(
        2, "D1", "123456782", date(1980, 2, 1), r.ACTIVE, Decimal("50000.00"), Decimal("80.500"),
        Decimal("4000.00"), "Jansen",
    )  # fmt: skip


def test_unreadable_cells_and_repeated_numbers_are_listed_with_their_line():
    rows = [_row(), _row(number="D2", salary="abc"), _row(), _row(number="", bsn="")]
    with pytest.raises(r.RowsProblem) as err:
        r.parse_rows(rows)
    keys = [(p.line, p.column, p.key) for p in err.value.problems]
    assert keys == [
        (3, "Jaarsalaris", "reconciliation_value_number"),
        (4, "Polisnummer", "reconciliation_value_repeated"),
        (5, "Polisnummer", "reconciliation_value_identity"),
    ]
    assert err.value.total == 3


def test_matching_by_number_then_policy_then_bsn_and_birth_date():
    portal = [
        _portal(1, "D1"), _portal(2, "D2", policy="POL-2", bsn="111222333"),
        _portal(3, "D3", bsn="999999990", birth=date(1970, 1, 1)),
    ]  # fmt: skip
    records = r.parse_rows([
        _row("D1"), _row("POL-2", bsn="111222333"), _row("X-9", bsn="999999990", birth="1970-01-01"),
        _row("X-10", bsn="999999990", birth="1971-01-01"),
    ])  # fmt: skip
    pairs, loose, rest = r.match(records, portal)
    assert [(i.number, p.participation_id) for i, p in pairs] == [("D1", 1), ("POL-2", 2), ("X-9", 3)]
    assert [i.number for i in loose] == ["X-10"]  # same BSN, other birth date: no match
    assert rest == []


DEFAULT = r.Tolerance()


def _kinds(records, portal, tolerance=DEFAULT):
    return [(d.kind, d.number, d.delta) for d in r.compare(r.parse_rows(records), portal, tolerance).differences]


def test_each_kind_of_difference():
    portal = [
        _portal(1, "D1"), _portal(2, "D2", active=False), _portal(3, "D3"), _portal(4, "D4"), _portal(6, "D6"),
    ]  # fmt: skip
    records = [
        _row("D1", salary="51.000,00", pt="60", premium="4.100,00"),
        _row("D2", bsn="222333444"),  # insured, but exited in the portal
        _row("D4", status="beëindigd"),  # ended at the insurer, active in the portal
        _row("D5", bsn="555666777"),  # insured, unknown in the portal
        _row("D9", bsn="888777666", status="uit dienst"),  # ended and unknown: nothing to do
        _row("D6"),
    ]
    assert _kinds(records, portal) == [
        ("insured_exited", "D2", None),
        ("insured_unknown", "D5", None),
        ("unknown_at_insurer", "D3", None),
        ("ended_at_insurer", "D4", None),
        ("salary", "D1", Decimal("1000.00")),
        ("parttime", "D1", Decimal("-20.500")),
        ("premium", "D1", Decimal("100.00")),
    ]


@pytest.mark.parametrize(
    ("salary", "pt", "premium", "kinds"),
    [
        ("50.001,00", "80,51", "4.001,00", []),  # exactly at the tolerance: no difference
        ("50.001,01", "80,511", "4.001,01", ["salary", "parttime", "premium"]),  # just beyond it
        ("49.998,99", "80,489", "3.998,99", ["salary", "parttime", "premium"]),  # below, too
    ],
)
def test_tolerance_at_its_boundary(salary, pt, premium, kinds):
    found = _kinds([_row(salary=salary, pt=pt, premium=premium)], [_portal()])
    assert [k for k, *_ in found] == kinds


def test_tolerance_is_adjustable_and_checked():
    record = [_row(salary="50.005,00")]
    assert [k for k, *_ in _kinds(record, [_portal()])] == ["salary"]
    assert _kinds(record, [_portal()], r.parse_tolerance("5,00", "")) == []
    assert r.parse_tolerance("", None) == r.Tolerance(Decimal("1.00"), Decimal("0.01"))
    with pytest.raises(r.ValueProblem):
        r.parse_tolerance("-1", "")


def test_totals_count_every_kind_and_sum_the_amounts():
    portal = [_portal(1, "D1"), _portal(2, "D2", premium="1000.00"), _portal(3, "D3")]
    rows = [_row("D1", salary="50.010,00", premium="4.002,00"), _row("D2", salary="49.000,00", premium="1.000,00")]
    outcome = r.reconcile_rows(rows, portal)
    totals = outcome.totals
    assert totals is not None
    assert totals.counts == {
        "insured_exited": 0, "insured_unknown": 0, "unknown_at_insurer": 1, "ended_at_insurer": 0, "salary": 2,
        "parttime": 0, "premium": 1,
    }  # fmt: skip
    assert totals.deltas == {"premium": Decimal("2.00"), "salary": Decimal("-990.00")}
    assert totals.differences == 4 and totals.matched == 2
    assert totals.insurer_premium == Decimal("5002.00") and totals.portal_premium == Decimal("9000.00")


def test_cells_from_a_spreadsheet_become_text_without_float_noise():
    from datetime import datetime

    assert r.cell_text(52242.28) == "52242.28"
    assert r.cell_text(123456782.0) == "123456782"
    assert r.cell_text(datetime(1980, 5, 17)) == "1980-05-17"
    assert r.cell_text(None) == ""
