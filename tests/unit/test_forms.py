"""The form rules (DOC-5, EE-5): kinds and their fields in both languages, the values' rules (a deferral within
the start year's limits, the start on the first of a month, beneficiaries with a date of birth, a yes/no
decision, the exit form's pre-filled data), who fills what, and the status machine with its refusals (a second
signature, an expired form, a closed form, a PDF changed after signing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest

from portal.domain import forms as f
from portal.domain.errors import RuleError
from portal.i18n import all_messages

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
LIMITS = {
    2026: f.DeferralLimits(2026, D("6000"), D("25")),
    2027: f.DeferralLimits(2027, D("7200"), D("25")),
}
CTX = f.Context(TODAY, LIMITS)
DC = f.FormKind.DEFERRED_COMPENSATION


def refused(key: str, field: str | None = None):
    class _Check:
        def __enter__(self):
            self.raised = pytest.raises(RuleError)
            self.info = self.raised.__enter__()
            return self.info

        def __exit__(self, *exc):
            out = self.raised.__exit__(*exc)
            assert self.info.value.key == key, self.info.value.key
            if field is not None:
                assert self.info.value.field == field
            return out

    return _Check()


# ---------------------------------------------------------------------------------------------- kinds
def test_every_kind_has_title_intro_and_labels_in_both_languages() -> None:
    assert set(f.KINDS) == set(f.FormKind)
    for spec in f.KINDS.values():
        for texts in (spec.title, spec.intro, *(x.label for x in spec.fields)):
            assert texts["nl"] and texts["en"] and texts["nl"] != texts["en"]
        for field in spec.fields:
            for choice in field.choices:
                assert f.CHOICE_LABELS[choice]["nl"] and f.CHOICE_LABELS[choice]["en"]


def test_which_kinds_need_a_countersignature() -> None:
    assert f.needs_countersignature("deferred_compensation") is True
    assert f.needs_countersignature(f.FormKind.BENEFICIARY) is False
    assert f.needs_countersignature("join_decision") is False
    assert f.needs_countersignature("exit") is False


@pytest.mark.parametrize("raw", ["", "loan", None, 3, "EXIT"])
def test_unknown_kind_refused(raw: object) -> None:
    with refused("forms.unknown_kind", "kind"):
        f.kind_of(raw)


def test_every_status_has_label_and_colour() -> None:
    for status in f.FormStatus:
        assert f.STATUS_LABELS[status]["nl"] and f.STATUS_LABELS[status]["en"]
        assert f.STATUS_COLOURS[status]


def test_every_message_key_of_the_rules_exists_in_both_languages() -> None:
    import inspect
    import re

    keys = set(re.findall(r'"(forms\.[a-z_]+)"', inspect.getsource(f)))
    assert len(keys) > 15
    for key in keys:
        assert all_messages()[key]["nl"] and all_messages()[key]["en"], key


# ---------------------------------------------------------------------------------------------- deferral
def test_deferral_within_limit_is_clean_decimal_and_date() -> None:
    values = f.clean_values(DC, {"amount": "500,00", "start_date": "2027-01-01"}, CTX, complete=True)
    assert values == {"amount": D("500.00"), "start_date": date(2027, 1, 1)}
    assert isinstance(values["amount"], D)


def test_deferral_limit_is_the_start_years() -> None:
    # 600 a month = 7,200 a year: above 2026's 6,000, exactly 2027's 7,200
    with refused("forms.amount_above_limit", "amount") as err:
        f.clean_values(DC, {"amount": "600", "start_date": "2026-12-01"}, CTX)
    assert err.value.params == {"limit": D("6000"), "year": 2026}
    assert f.clean_values(DC, {"amount": "600", "start_date": "2027-01-01"}, CTX)["amount"] == D("600.00")
    with refused("forms.amount_above_limit", "amount"):
        f.clean_values(DC, {"amount": "600.01", "start_date": "2027-01-01"}, CTX)
    assert f.clean_values(DC, {"amount": "500", "start_date": "2026-12-01"}, CTX)["amount"] == D("500.00")


def test_deferral_minimum_and_missing_limits() -> None:
    with refused("forms.amount_below_minimum", "amount"):
        f.clean_values(DC, {"amount": "24.99", "start_date": "2027-01-01"}, CTX)
    assert f.clean_values(DC, {"amount": "25", "start_date": "2027-01-01"}, CTX)
    ctx = f.Context(date(2027, 6, 1), LIMITS)
    with refused("forms.no_limits", "amount") as err:
        f.clean_values(DC, {"amount": "25", "start_date": "2028-01-01"}, ctx)
    assert err.value.params == {"year": 2028}


@pytest.mark.parametrize(
    ("start", "key"),
    [
        ("2027-01-02", "forms.start_not_first"),
        ("2026-11-01", "forms.start_in_past"),
        ("2028-01-01", "forms.start_too_far"),
        ("2027-13-01", "forms.date_invalid"),
        ("1-1-2027", "forms.date_invalid"),
    ],
)
def test_deferral_start_date_rules(start: str, key: str) -> None:
    with refused(key, "start_date"):
        f.clean_values(DC, {"amount": "100", "start_date": start}, CTX)


def test_deferral_start_this_month_and_twelve_ahead_allowed() -> None:
    ctx = f.Context(date(2026, 12, 15), {**LIMITS, 2027: f.DeferralLimits(2027, D("7200"))})
    assert f.clean_values(DC, {"amount": "100", "start_date": "2026-12-01"}, ctx)
    assert f.clean_values(DC, {"amount": "100", "start_date": "2027-12-01"}, ctx)


@pytest.mark.parametrize("raw", ["-5", "abc", "1.234", "", " ", True, 1.5, "1e3", "12.3.4"])
def test_bad_amounts_refused(raw: object) -> None:
    with pytest.raises(RuleError) as err:
        f.clean_values(DC, {"amount": raw, "start_date": "2027-01-01"}, CTX, complete=True)
    assert err.value.field == "amount"
    assert err.value.key in {"forms.amount_invalid", "forms.required"}


def test_amount_forms_accepted() -> None:
    assert f.parse_money("amount", "€ 1.250,5".replace(".", "")) == D("1250.50")
    assert f.parse_money("amount", D("100")) == D("100.00")
    assert f.parse_money("amount", 100) == D("100.00")


def test_complete_requires_every_required_field() -> None:
    with refused("forms.required", "amount"):
        f.clean_values(DC, {"start_date": "2027-01-01"}, CTX, complete=True)
    assert f.clean_values(DC, {"start_date": "2027-01-01"}, CTX) == {"start_date": date(2027, 1, 1)}


def test_unknown_field_refused() -> None:
    with refused("forms.unknown_field", "salary"):
        f.clean_values(DC, {"salary": "1"}, CTX)


# ---------------------------------------------------------------------------------------------- beneficiary
def test_beneficiary_persons_with_birth_date() -> None:
    values = f.clean_values(
        "beneficiary",
        {"persons": [{"name": " Anna de Vries ", "birth_date": "1990-04-02", "relation": "partner"}], "remarks": ""},
        CTX,
        complete=True,
    )
    assert values == {"persons": [{"name": "Anna de Vries", "birth_date": date(1990, 4, 2), "relation": "partner"}]}


@pytest.mark.parametrize(
    ("person", "field", "key"),
    [
        ({"name": "", "birth_date": "1990-01-01"}, "persons.0.name", "forms.person_name_missing"),
        ({"name": "A", "birth_date": "2027-01-01"}, "persons.0.birth_date", "forms.birth_date_out_of_range"),
        ({"name": "A", "birth_date": "1899-12-31"}, "persons.0.birth_date", "forms.birth_date_out_of_range"),
        ({"name": "A"}, "persons.0.birth_date", "forms.date_invalid"),
        ({"name": "A", "birth_date": "1990-01-01", "relation": "cousin"}, "persons.0.relation", "forms.choice_invalid"),
        ({"name": "A" * 121, "birth_date": "1990-01-01"}, "persons.0.name", "forms.text_too_long"),
        ("Anna", "persons.0", "forms.persons_invalid"),
    ],
)
def test_beneficiary_person_rules(person: object, field: str, key: str) -> None:
    with refused(key, field):
        f.clean_values("beneficiary", {"persons": [person]}, CTX)


def test_beneficiary_limits() -> None:
    many = [{"name": f"P{i}", "birth_date": "2000-01-01"} for i in range(11)]
    with refused("forms.too_many_persons", "persons"):
        f.clean_values("beneficiary", {"persons": many}, CTX)
    with refused("forms.persons_invalid", "persons"):
        f.clean_values("beneficiary", {"persons": "Anna"}, CTX)
    with refused("forms.required", "persons"):
        f.clean_values("beneficiary", {"persons": []}, CTX, complete=True)
    with refused("forms.text_too_long", "remarks"):
        f.clean_values("beneficiary", {"remarks": "x" * 2001}, CTX)


# ---------------------------------------------------------------------------------------------- decision, exit
def test_join_decision_yes_no_and_who_fills_what() -> None:
    prepared = f.clean_values("join_decision", {"information_shown": "Brochure OP 2027"}, CTX, by=f.FilledBy.PREPARER)
    assert prepared == {"information_shown": "Brochure OP 2027"}
    assert f.clean_values("join_decision", {"decision": "no"}, CTX, by=f.FilledBy.EMPLOYEE) == {"decision": "no"}
    with refused("forms.choice_invalid", "decision"):
        f.clean_values("join_decision", {"decision": "maybe"}, CTX)
    with refused("forms.not_yours", "information_shown"):
        f.clean_values("join_decision", {"information_shown": "other"}, CTX, by=f.FilledBy.EMPLOYEE)


def test_exit_form_prefilled_from_the_exit() -> None:
    values = f.exit_values(date(2026, 10, 31), D("12345.678"))
    assert values == {"exit_date": date(2026, 10, 31), "dormant_rights": D("12345.68")}
    clean = f.clean_values("exit", {**values, "option": "value_transfer"}, CTX, complete=True)
    assert clean["option"] == "value_transfer"
    assert f.exit_values(date(2026, 10, 31)) == {"exit_date": date(2026, 10, 31)}
    assert f.clean_values("exit", {"exit_date": "2026-10-31", "option": "keep_dormant"}, CTX, complete=True)
    with refused("forms.required", "exit_date"):
        f.clean_values("exit", {"option": "keep_dormant"}, CTX, complete=True)
    with refused("forms.not_yours", "dormant_rights"):
        f.clean_values("exit", {"dormant_rights": "99999"}, CTX, by=f.FilledBy.EMPLOYEE)
    with refused("forms.choice_invalid", "option"):
        f.clean_values("exit", {"option": "cash_out"}, CTX)


def test_values_round_trip_through_json() -> None:
    values = {
        "persons": [{"name": "Anna", "birth_date": date(1990, 4, 2), "relation": "partner"}],
        "remarks": "Ééntje",
    }
    assert f.from_json("beneficiary", f.to_json(values)) == values
    dc = {"amount": D("150.50"), "start_date": date(2027, 1, 1)}
    assert f.from_json(DC, f.to_json(dc)) == dc
    assert f.to_json(dc) == '{"amount": "150.50", "start_date": "2027-01-01"}'
    assert f.merge({"amount": D("1")}, {"amount": D("2"), "start_date": date(2027, 1, 1)})["amount"] == D("2")


# ---------------------------------------------------------------------------------------------- statuses
S = f.FormStatus
A = f.Action
LATER = NOW + timedelta(days=30)


def step(kind: str, status: S, action: A, now: datetime = NOW, expires: datetime | None = LATER) -> S:
    return f.next_status(kind, status, action, now=now, expires=expires)


def test_happy_paths() -> None:
    assert step("deferred_compensation", S.PREPARED, A.SEND) is S.WAITING_FOR_EMPLOYEE
    assert step("deferred_compensation", S.WAITING_FOR_EMPLOYEE, A.FILL) is S.WAITING_FOR_EMPLOYEE
    assert step("deferred_compensation", S.WAITING_FOR_EMPLOYEE, A.SIGN) is S.WAITING_FOR_COUNTERSIGNATURE
    assert step("deferred_compensation", S.WAITING_FOR_COUNTERSIGNATURE, A.COUNTERSIGN) is S.COMPLETED
    assert step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.SIGN) is S.COMPLETED
    assert step("exit", S.WAITING_FOR_EMPLOYEE, A.DECLINE) is S.DECLINED
    assert step("exit", S.PREPARED, A.DECLINE) is S.DECLINED
    assert step("deferred_compensation", S.WAITING_FOR_COUNTERSIGNATURE, A.DECLINE) is S.DECLINED


def test_second_signature_refused() -> None:
    with refused("forms.already_signed", "form"):
        step("deferred_compensation", S.WAITING_FOR_COUNTERSIGNATURE, A.SIGN)
    with refused("forms.already_signed"):
        step("beneficiary", S.COMPLETED, A.SIGN)
    with refused("forms.already_countersigned"):
        step("deferred_compensation", S.COMPLETED, A.COUNTERSIGN)


def test_signed_then_changed_refused() -> None:
    with refused("forms.already_signed"):
        step("deferred_compensation", S.WAITING_FOR_COUNTERSIGNATURE, A.FILL)
    with refused("forms.already_signed"):
        step("beneficiary", S.COMPLETED, A.FILL)
    with refused("forms.changed_after_signing", "form"):
        f.check_unchanged("a" * 64, "b" * 64)
    with refused("forms.changed_after_signing"):
        f.check_unchanged("", "")
    f.check_unchanged("a" * 64, "a" * 64)


def test_not_sent_cannot_be_signed_and_countersign_needs_a_signature() -> None:
    with refused("forms.not_allowed"):
        step("beneficiary", S.PREPARED, A.SIGN)
    with refused("forms.not_allowed"):
        step("deferred_compensation", S.WAITING_FOR_EMPLOYEE, A.COUNTERSIGN)
    with refused("forms.closed"):
        step("beneficiary", S.COMPLETED, A.COUNTERSIGN)
    with refused("forms.not_allowed"):
        step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.SEND)


@pytest.mark.parametrize("status", [S.COMPLETED, S.DECLINED])
@pytest.mark.parametrize("action", [A.SEND, A.FILL, A.DECLINE, A.EXPIRE])
def test_closed_forms_refuse(status: S, action: A) -> None:
    with pytest.raises(RuleError) as err:
        step("beneficiary", status, action)
    assert err.value.key in {"forms.closed", "forms.already_signed"}


def test_expiry() -> None:
    expires = f.expires_at(NOW, 14)
    assert expires == NOW + timedelta(days=14)
    with pytest.raises(ValueError):
        f.expires_at(NOW, 0)
    just_before = expires - timedelta(seconds=1)
    assert step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.SIGN, just_before, expires) is S.COMPLETED
    with refused("forms.expired", "form"):
        step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.SIGN, expires, expires)
    with refused("forms.expired"):
        step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.FILL, expires, expires)
    with refused("forms.expired"):
        step("beneficiary", S.EXPIRED, A.SIGN, NOW, expires)
    assert step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.EXPIRE, expires, expires) is S.EXPIRED
    assert step("beneficiary", S.PREPARED, A.EXPIRE, expires, expires) is S.EXPIRED
    with refused("forms.not_expired"):
        step("beneficiary", S.WAITING_FOR_EMPLOYEE, A.EXPIRE, just_before, expires)
    with refused("forms.expired"):
        step("beneficiary", S.EXPIRED, A.EXPIRE, expires, expires)


def test_countersignature_does_not_expire() -> None:
    long_after = LATER + timedelta(days=365)
    assert not f.is_expired(S.WAITING_FOR_COUNTERSIGNATURE, LATER, long_after)
    assert step("deferred_compensation", S.WAITING_FOR_COUNTERSIGNATURE, A.COUNTERSIGN, long_after) is S.COMPLETED
    assert f.is_expired(S.EXPIRED, None, NOW)
    assert not f.is_expired(S.WAITING_FOR_EMPLOYEE, None, long_after)


def test_the_preparer_fills_its_own_fields_and_may_propose_only_a_deferral_never_the_employees_choices() -> None:
    assert f.preparer_fields(f.FormKind.DEFERRED_COMPENSATION) == ("amount", "start_date")
    assert f.preparer_fields(f.FormKind.BENEFICIARY) == ()
    assert f.preparer_fields(f.FormKind.JOIN_DECISION) == ("information_shown",)
    assert f.preparer_fields(f.FormKind.EXIT) == ("exit_date", "dormant_rights")
    for kind, values in (
        (f.FormKind.JOIN_DECISION, {"information_shown": "Folder 2026", "decision": "yes"}),
        (f.FormKind.EXIT, {"exit_date": "2026-12-31", "option": "transfer"}),
        (f.FormKind.BENEFICIARY, {"remarks": "mijn partner"}),
    ):
        with pytest.raises(RuleError) as err:
            f.clean_values(kind, values, CTX, by=f.FilledBy.PREPARER)
        assert err.value.key == "forms.employees_own" and err.value.field in values
    proposed = f.clean_values(
        f.FormKind.DEFERRED_COMPENSATION, {"amount": "100,00"}, CTX, by=f.FilledBy.PREPARER
    )
    assert proposed == {"amount": D("100.00")}
