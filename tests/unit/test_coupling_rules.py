"""Coupling rules (INT-4): the most specific setting wins, the readiness rules of the a.s.r. coupling, which
mutations the coupling carries and which become a task, and the message of a carried mutation."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from portal.domain import coupling as rules
from portal.domain.errors import RuleError
from portal.domain.tasks import InsurerData


# ------------------------------------------------------------------------------------------ most specific
def test_nothing_set_is_off() -> None:
    assert rules.effective({}, 3, 7) == rules.Effective(False, rules.NONE)


def test_portfolio_holds_without_a_more_specific_setting() -> None:
    assert rules.effective({"portfolio": True}, 3, 7) == rules.Effective(True, "portfolio", "portfolio")
    assert rules.effective({"portfolio": True, "group:4": False}, 3, 7).enabled  # another group's setting


def test_group_beats_portfolio_and_scheme_beats_group() -> None:
    settings = {"portfolio": True, "group:3": False}
    assert rules.effective(settings, 3, 7) == rules.Effective(False, "group", "group:3")
    settings["scheme:7"] = True
    assert rules.effective(settings, 3, 7) == rules.Effective(True, "scheme", "scheme:7")
    assert rules.effective({"portfolio": True, "scheme:7": False}, None, 7) == rules.Effective(
        False, "scheme", "scheme:7"
    )
    assert rules.effective({"group:3": True}, None, 7).enabled is False  # an employer without a group


def test_effective_group() -> None:
    assert rules.effective_group({"portfolio": True}, 3) == rules.Effective(True, "portfolio", "portfolio")
    assert rules.effective_group({"portfolio": True, "group:3": False}, 3).source == "group"
    assert rules.effective_group({}, 3).source == "none"


@pytest.mark.parametrize("text", ["", "group:", "group:x", "scheme:-1", "employer:3", "group:12345678901", None, 3])
def test_a_scope_from_outside_is_checked(text: object) -> None:
    with pytest.raises(RuleError):
        rules.parse_scope(text)


def test_scopes_round_trip() -> None:
    assert rules.parse_scope(rules.scope_of("group", 12)) == ("group", 12)
    assert rules.parse_scope(rules.scope_of("scheme", 5)) == ("scheme", 5)
    assert rules.parse_scope("portfolio") == ("portfolio", None)
    with pytest.raises(RuleError):
        rules.scope_of("scheme", 0)


# ----------------------------------------------------------------------------------------------- readiness
def _scheme(**changes: object) -> rules.SchemeData:
    base: dict[str, object] = {
        "insurer_code": "asr",
        "kvk_number": "12345678",
        "contract_number": "1013301",
        "scheme_number": "01",
        "scheme_kind": "OP",
        "auto_enrol": True,
    }
    base.update(changes)
    return rules.SchemeData(**base)  # type: ignore[arg-type]


def test_a_complete_scheme_is_ready() -> None:
    assert rules.scheme_missing(_scheme()) == []


def test_asr_scheme_number_is_the_contract_numbers_last_two_digits() -> None:
    assert rules.asr_scheme_number("1013376") == "76"
    assert rules.asr_scheme_number("7") == ""
    assert rules.scheme_missing(_scheme(contract_number="1013376", scheme_number="01")) == ["scheme_number_asr"]
    assert rules.scheme_missing(_scheme(contract_number="1013376", scheme_number="76")) == []
    # another insurer, or a.s.r.'s partner-pension scheme under the same contract: any number will do
    assert rules.scheme_missing(_scheme(insurer_code="nn", contract_number="1013376")) == []
    assert rules.scheme_missing(_scheme(scheme_kind="NP", scheme_number="02")) == []


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"kvk_number": ""}, "kvk_number"),
        ({"kvk_number": "1234567"}, "kvk_number"),
        ({"contract_number": " "}, "contract_number"),
        ({"scheme_number": ""}, "scheme_number"),
        ({"auto_enrol": False}, "auto_enrol"),
    ],
)
def test_each_employer_rule(changes: dict[str, object], key: str) -> None:
    assert key in rules.scheme_missing(_scheme(**changes))


def _person(**changes: object) -> InsurerData:
    base: dict[str, object] = {
        "nationality": "NL",
        "business_email": "a@b.example",
        "private_email": "",
        "country": "NL",
        "foreign_address": "",
        "partner_start_dates": (),
    }
    base.update(changes)
    return InsurerData(**base)  # type: ignore[arg-type]


def test_an_insurer_without_an_address_is_not_ready() -> None:
    assert rules.insurer_missing(True) == []
    assert rules.insurer_missing(False) == ["insurer_address"]


def test_a_complete_participant_is_ready() -> None:
    assert rules.participant_missing(rules.ParticipantData("R1", _person())) == []
    private_only = _person(business_email="", private_email="p@q.example", partner_start_dates=(date(2020, 1, 1),))
    assert rules.participant_missing(rules.ParticipantData("R1", private_only)) == []


@pytest.mark.parametrize(
    ("policy", "changes", "key"),
    [
        ("", {}, "policy_number"),
        ("R1", {"nationality": " "}, "nationality"),
        ("R1", {"business_email": "", "private_email": ""}, "communication_email"),
        ("R1", {"foreign_address": "D 2000 Antwerpen", "country": "NL"}, "country"),
        ("R1", {"partner_start_dates": (None,)}, "partner_start_date"),
    ],
)
def test_each_participant_rule(policy: str, changes: dict[str, object], key: str) -> None:
    assert rules.participant_missing(rules.ParticipantData(policy, _person(**changes))) == [key]


def test_a_foreign_address_with_its_country_is_fine() -> None:
    person = _person(foreign_address="Van Cuyckstraat 2, D 2000 Antwerpen", country="BE")
    assert rules.participant_missing(rules.ParticipantData("R1", person)) == []


# ------------------------------------------------------------------------------------- carried or a task
@pytest.mark.parametrize(
    ("kind", "values", "exited", "expected"),
    [
        ("new_participant", {"salary": "1"}, False, "hire"),
        ("exit", {"end_date": "2026-01-01"}, True, "exit"),
        ("salary_parttime", {"salary": "50000.00"}, False, "salary"),
        ("salary_parttime", {"parttime": "80.000"}, False, "parttime"),
        ("salary_parttime", {"salary": "50000.00", "parttime": "80.000"}, False, "salary_parttime"),
        ("salary_parttime", {"salary": "50000.00"}, True, "retro_after_exit"),
        ("salary_parttime", {}, False, None),
        ("partner", {}, False, None),
        ("address", {}, False, None),
        ("business_email", {}, False, None),
        (
            "deferred_compensation",
            {"deferral_amount": "250", "deferral_start": "2027-01-01"},
            False,
            "deferred_compensation",
        ),
        ("deferred_compensation", {}, False, None),
        ("join_decision", {"join_decision": "yes"}, False, None),
    ],
)
def test_which_mutations_the_coupling_carries(kind: str, values: dict[str, str], exited: bool, expected: str) -> None:
    assert rules.outbox_kind(kind, values, exited) == expected


@pytest.mark.parametrize(
    ("kind", "task"),
    [
        ("address", True),
        ("civil_status", True),
        ("partner", True),
        ("partner_pension", True),
        ("child", True),
        ("salary_parttime", False),
        ("exit", False),
        ("new_participant", False),
        ("business_email", False),
        ("join_decision", True),  # the employer's record of the choice: passed on in the insurer's portal
        ("deferred_compensation", False),  # a message: it changes the contribution
    ],
)
def test_which_mutations_become_a_task(kind: str, task: bool) -> None:
    assert rules.becomes_task(kind) is task


def test_the_payload_has_strings_for_decimals_and_dates() -> None:
    text = rules.payload(
        "salary",
        date(2026, 12, 1),
        {"salary": Decimal("52242.28")},
        {"salary": "50000.00"},
        {"policy_number": "R0001", "since": date(2020, 1, 1)},
    )
    assert json.loads(text) == {
        "kind": "salary",
        "effective_date": "2026-12-01",
        "values": {"salary": "52242.28"},
        "previous": {"salary": "50000.00"},
        "policy_number": "R0001",
        "since": "2020-01-01",
    }


def test_a_deferral_message_names_the_amount_per_month_with_two_decimals_and_the_start() -> None:
    values = {"deferral_amount": "250", "deferral_start": "2027-01-01"}
    body = json.loads(rules.payload(rules.DEFERRAL, date(2026, 11, 10), values, {"deferral_amount": "100.5"}))
    assert body["kind"] == "deferred_compensation" and body["effective_date"] == "2026-11-10"
    assert body["values"] == {"deferral_amount": "250.00", "deferral_start": "2027-01-01"}
    assert body["previous"] == {"deferral_amount": "100.5"}
    assert rules.DEFERRAL in rules.CARRIED_KINDS


def test_the_test_insurer_takes_exactly_the_kinds_the_portal_sends() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "tools" / "test_insurer.py"
    spec = importlib.util.spec_from_file_location("test_insurer_tool", path)
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert frozenset(rules.CARRIED_KINDS) == tool.KINDS


def test_the_idempotency_key_is_deterministic_and_per_mutation() -> None:
    assert rules.idempotency_key(12) == rules.idempotency_key(12) == "mutation:12"
    assert rules.idempotency_key(12) != rules.idempotency_key(13)
