"""Task rules (INT-3, INT-6): kinds and their check, status transitions, input checks, event → task rules."""

from __future__ import annotations

from datetime import date

import pytest

from portal.domain import tasks as rules
from portal.domain.errors import RuleError

TODAY = date(2026, 11, 30)


def _key(fn, *args) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with pytest.raises(RuleError) as err:
        fn(*args)
    return err.value.field, err.value.key


# ---------------------------------------------------------------------------------------- kinds, status
def test_advice_kinds_need_a_second_check_and_others_do_not() -> None:
    assert {k for k in rules.KINDS if rules.needs_check(k)} == {"advice_exit", "advice_warning"}


def test_kind_from_input_must_be_known() -> None:
    assert rules.check_kind("general") == "general"
    assert _key(rules.check_kind, "review") == ("kind", "task_kind_invalid")  # not by hand
    assert _key(rules.check_kind, "nonsense") == ("kind", "task_kind_invalid")
    assert _key(rules.check_kind, ["general"]) == ("kind", "task_kind_invalid")


@pytest.mark.parametrize(
    ("old", "new"),
    [("open", "in_progress"), ("open", "waiting"), ("waiting", "open"), ("in_progress", "cancelled"),
     ("done", "open"), ("cancelled", "open"), ("open", "open")],
)  # fmt: skip
def test_allowed_transitions(old: str, new: str) -> None:
    assert rules.check_transition(old, new) == new


@pytest.mark.parametrize(
    ("old", "new"), [("open", "done"), ("waiting", "done"), ("done", "cancelled"), ("cancelled", "waiting")]
)
def test_refused_transitions(old: str, new: str) -> None:
    assert _key(rules.check_transition, old, new) == ("status", "task_status_transition")


def test_unknown_status_is_refused() -> None:
    assert _key(rules.check_transition, "open", "finished") == ("status", "task_status_invalid")
    assert _key(rules.check_transition, "open", None) == ("status", "task_status_invalid")


def test_completable_awaiting_check_and_the_status_a_completion_gives() -> None:
    assert rules.completable("open", None) and rules.completable("in_progress", None)
    assert rules.completable("waiting", None)  # waiting for someone else, not handed in
    assert not rules.completable("waiting", 5)  # handed in for its check
    assert not rules.completable("done", None) and not rules.completable("cancelled", None)
    assert rules.awaiting_check(True, "waiting", 5)
    assert not rules.awaiting_check(False, "waiting", 5) and not rules.awaiting_check(True, "waiting", None)
    assert not rules.awaiting_check(True, "done", 5)
    assert rules.status_on_completion(True) == "waiting" and rules.status_on_completion(False) == "done"


def test_at_most_500_tasks_are_selected_at_once() -> None:
    rules.check_selection(500)
    assert _key(rules.check_selection, 501) == ("tasks", "task_too_many")
    with pytest.raises(RuleError) as err:
        rules.check_selection(501)
    assert err.value.params == {"limit": 500}


def test_overdue_is_an_open_task_due_before_today() -> None:
    assert rules.is_overdue("open", date(2026, 11, 29), TODAY)
    assert rules.is_overdue("waiting", date(2026, 11, 29), TODAY)
    assert not rules.is_overdue("open", TODAY, TODAY)  # due today: not yet overdue
    assert not rules.is_overdue("done", date(2026, 11, 1), TODAY)
    assert not rules.is_overdue("cancelled", date(2026, 11, 1), TODAY)
    assert not rules.is_overdue("open", None, TODAY)


# ---------------------------------------------------------------------------------------------- input
def test_title_is_required_and_at_most_200_characters() -> None:
    assert rules.check_title("  Call the employer  ") == "Call the employer"
    assert rules.check_title("x" * 200) == "x" * 200
    assert _key(rules.check_title, "x" * 201) == ("title", "text_too_long")
    assert _key(rules.check_title, "   ") == ("title", "task_title_required")
    assert _key(rules.check_title, None) == ("title", "task_title_required")
    assert _key(rules.check_title, "a\nb") == ("title", "text_invalid")


def test_follow_up_after_due_date_is_refused_on_the_same_day_allowed() -> None:
    assert rules.check_dates("2026-12-10", "2026-12-10", TODAY).follow_up == date(2026, 12, 10)
    assert _key(rules.check_dates, "2026-12-10", "2026-12-11", TODAY) == ("follow_up_date", "task_follow_up_after_due")


def test_dates_in_the_past_are_allowed_with_a_warning() -> None:
    ok = rules.check_dates("2026-11-30", "2026-11-30", TODAY)
    assert ok.warnings == ()
    past = rules.check_dates("2026-11-29", "29-11-2026", TODAY)
    assert past.due == date(2026, 11, 29) and past.warnings == ("task_due_in_past", "task_follow_up_in_past")
    assert rules.check_dates("", None, TODAY) == rules.TaskDates(None, None, ())
    assert _key(rules.check_dates, "31-02-2026", None, TODAY) == ("due_date", "date_invalid")


def test_comment_at_most_5000_characters_with_line_breaks() -> None:
    assert rules.check_comment("x" * 5000) == "x" * 5000
    assert rules.check_comment(" line 1\nline 2\t ") == "line 1\nline 2"
    assert _key(rules.check_comment, "x" * 5001) == ("comment", "text_too_long")
    assert _key(rules.check_comment, "  ") == ("comment", "task_comment_required")
    assert _key(rules.check_comment, "bell\x07") == ("comment", "text_invalid")
    assert _key(rules.check_comment, 12) == ("comment", "text_invalid")


def test_the_check_is_by_another_adviser() -> None:
    rules.check_checker(3, assignee_id=1, completed_by=2)
    assert _key(rules.check_checker, 1, 1, 2) == ("check", "task_check_by_other")  # the assignee
    assert _key(rules.check_checker, 2, 1, 2) == ("check", "task_check_by_other")  # who handed it in
    rules.check_checker(3, None, None)


# ------------------------------------------------------------------------------------ event → task rules
def test_an_exit_makes_an_exit_advice_task_that_needs_a_check() -> None:
    [spec] = rules.for_mutation(7, "exit", "processed", [], TODAY)
    assert (spec.kind, spec.source_key, spec.title_key) == ("advice_exit", "mutation:7:exit", "task.title.advice_exit")
    assert spec.needs_check and spec.due == date(2026, 12, 14)


def test_a_change_that_needs_review_makes_a_review_task() -> None:
    [spec] = rules.for_mutation(8, "salary_parttime", "needs_review", [], TODAY)
    assert spec.kind == "review" and spec.source_key == rules.review_source(8) == "mutation:8:review"
    assert not spec.needs_check and spec.due == date(2026, 12, 5)
    assert rules.for_mutation(8, "salary_parttime", "processed", [], TODAY) == []


def test_an_exit_waiting_for_review_makes_only_the_review_task() -> None:
    kinds = [s.kind for s in rules.for_mutation(9, "exit", "needs_review", [{"key": "exit_far_back"}], TODAY)]
    assert kinds == ["review"]  # no exit advice before the exit takes effect; exit_far_back is no advice warning


def test_an_exit_approved_in_review_makes_its_exit_advice_then() -> None:
    [spec] = rules.for_mutation(9, "exit", "processed", [{"key": "exit_far_back"}], TODAY)
    assert (spec.kind, spec.source_key) == ("advice_exit", rules.exit_source(9)) == ("advice_exit", "mutation:9:exit")


def test_a_rejected_exit_makes_no_task_and_makes_its_exit_advice_moot() -> None:
    assert rules.for_mutation(9, "exit", "rejected", [{"key": "exit_far_back"}], TODAY) == []
    assert rules.moot_after(9, "exit", "rejected") == ("mutation:9:exit",)
    assert rules.moot_after(9, "exit", "processed") == ()
    assert rules.moot_after(9, "exit", "needs_review") == ()
    assert rules.moot_after(9, "salary_parttime", "rejected") == ()


def test_a_rejected_change_makes_its_advice_warnings_moot_and_makes_none() -> None:
    warnings = [
        {"key": "previous_employer_contract"},
        {"key": "start_far_back"},
        {"key": "illness_premium_waiver_disability"},
    ]
    assert rules.for_mutation(10, "new_participant", "rejected", warnings, TODAY) == []
    assert rules.moot_after(10, "new_participant", "rejected", warnings) == (
        "mutation:10:warning:previous_employer_contract",
        "mutation:10:warning:illness_premium_waiver_disability",
    )
    assert rules.moot_after(10, "exit", "rejected", warnings[:1]) == (
        "mutation:10:exit",
        "mutation:10:warning:previous_employer_contract",
    )
    assert rules.moot_after(10, "new_participant", "processed", warnings) == ()
    assert rules.moot_after(10, "new_participant", "needs_review", warnings) == ()


def test_advice_warnings_make_an_advice_task_with_the_warning() -> None:
    warnings = [{"key": "previous_employer_contract", "params": {}}, {"key": "start_far_back", "params": {"months": 1}},
                {"key": "illness_premium_waiver_disability"}]  # fmt: skip
    specs = rules.for_mutation(10, "new_participant", "needs_review", warnings, TODAY)
    advice = [s for s in specs if s.kind == "advice_warning"]
    assert [s.detail["warning"] for s in advice] == ["previous_employer_contract", "illness_premium_waiver_disability"]
    assert advice[0].source_key == "mutation:10:warning:previous_employer_contract"
    assert all(s.needs_check for s in advice)


def test_a_failed_batch_makes_a_task() -> None:
    spec = rules.for_failed_batch(4, "salary_parttime", "rows_failed", 3, TODAY)
    assert (spec.kind, spec.source_key, spec.due) == ("batch_failed", "batch:4:failed", date(2026, 12, 2))
    assert spec.detail == {"batch_kind": "salary_parttime", "message": "rows_failed", "rows_failed": 3}


COMPLETE = rules.InsurerData("NL", "a@b.example", "", "NL", "", (date(2020, 1, 1),))


def test_complete_insurer_data_makes_no_data_task() -> None:
    assert rules.missing_for_insurer(COMPLETE) == []
    assert rules.for_new_participant(5, COMPLETE, TODAY) is None
    private_only = rules.InsurerData("NL", "", "p@q.example", "BE", "Rue 1, Bruxelles")
    assert rules.missing_for_insurer(private_only) == []


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"nationality": " "}, ["nationality"]),
        ({"business_email": ""}, ["communication_email"]),
        ({"foreign_address": "Rue 1, Bruxelles"}, ["country"]),
        ({"foreign_address": "Rue 1, Bruxelles", "country": ""}, ["country"]),
        ({"partner_start_dates": (None,)}, ["partner_start_date"]),
        ({"nationality": "", "business_email": ""}, ["nationality", "communication_email"]),
    ],
)
def test_incomplete_insurer_data_makes_a_data_task(changes: dict[str, object], missing: list[str]) -> None:
    data = rules.InsurerData(**{**vars(COMPLETE), **changes})  # type: ignore[arg-type]
    assert rules.missing_for_insurer(data) == missing
    spec = rules.for_new_participant(5, data, TODAY)
    assert spec is not None and spec.kind == "data_missing" and spec.detail == {"missing": missing}
    assert spec.source_key == "mutation:5:data"
