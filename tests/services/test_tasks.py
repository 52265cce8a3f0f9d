"""Tasks by hand (INT-3): create, update with optimistic locking, comment, complete with a second adviser's
check, reassign, the to-do list, board and dashboard counts. Every bad input of issue 12 gives a message at its
field with nothing saved; an adviser of another office, or an employer user, is refused (audited)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from portal.models import Employer, Task
from portal.services import tasks
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from tests.services.task_world import TODAY, World, counts, world_fixture  # noqa: F401


def new(db: Session, w: World, **kw: Any) -> tasks.Saved:
    args: dict[str, Any] = {"employer_id": w.employer_id, "kind": "general", "title": "Call about the raise"}
    args |= {"due_date": "2026-11-20", "follow_up_date": "2026-11-10", "assignee_id": w.adviser.user_id}
    args |= kw
    saved = tasks.create(db, w.adviser, **args, today=TODAY)
    db.commit()
    return saved


def field_error(db: Session, fn: Any, *args: Any, **kw: Any) -> FieldError:
    before = counts(db)
    with pytest.raises(FieldError) as err:
        fn(db, *args, **kw)
    assert counts(db) == before
    db.rollback()
    return err.value


def refused(db: Session, reason: str, fn: Any, *args: Any, **kw: Any) -> NoAccess:
    """``fn`` raises NoAccess for ``reason`` and writes nothing at all (the caller audits the refusal)."""
    before = counts(db)
    with pytest.raises(NoAccess) as err:
        fn(db, *args, **kw)
    assert counts(db) == before
    assert err.value.reason == reason
    db.rollback()
    return err.value


# ---------------------------------------------------------------------------------------------- create
def test_create_by_hand_for_an_employer_and_a_participant(db: Session, world: World) -> None:
    saved = new(db, world, participation_id=world.part.id, kind="advice_exit")
    task = db.get(Task, saved.task_id)
    assert task is not None and saved.warnings == ()
    assert (task.office_id, task.employer_id, task.participation_id) == (
        world.office_id,
        world.employer_id,
        world.part.id,
    )
    assert task.person_id == world.part.person_id and task.needs_check and task.status == "open"
    assert (task.due_date, task.follow_up_date) == (date(2026, 11, 20), date(2026, 11, 10))
    assert task.created_by == world.adviser.user_id and task.source_key is None and task.lock_version == 1


def test_dates_in_the_past_are_saved_with_a_warning(db: Session, world: World) -> None:
    saved = new(db, world, due_date="2026-10-31", follow_up_date="")
    assert saved.warnings == ("task_due_in_past",)
    assert db.get(Task, saved.task_id) is not None


@pytest.mark.parametrize(
    ("changes", "field", "key"),
    [
        ({"title": "  "}, "title", "task_title_required"),
        ({"title": "x" * 201}, "title", "text_too_long"),
        ({"follow_up_date": "2026-11-21"}, "follow_up_date", "task_follow_up_after_due"),
        ({"due_date": "32-13-2026"}, "due_date", "date_invalid"),
        ({"kind": "review"}, "kind", "task_kind_invalid"),
        ({"assignee_id": 999_999}, "assignee", "task_assignee_unknown"),
        ({"assignee_id": "abc"}, "assignee", "task_assignee_unknown"),
    ],
)
def test_bad_input_is_a_message_at_the_field_and_nothing_is_saved(
    db: Session, world: World, changes: dict[str, Any], field: str, key: str
) -> None:
    args = {"employer_id": world.employer_id, "kind": "general", "title": "T", "due_date": "2026-11-20",
            "follow_up_date": "2026-11-10", **changes}  # fmt: skip
    err = field_error(db, tasks.create, world.adviser, **args, today=TODAY)
    assert (err.field, err.key) == (field, key)


def test_an_employer_user_an_employee_id_or_another_offices_employer_is_refused(db: Session, world: World) -> None:
    refused(db, "missing_role", tasks.create, world.hr, world.employer_id, "general", "T")
    refused(db, "other_office", tasks.create, world.other, world.employer_id, "general", "T")
    refused(db, "other_office", tasks.create, world.adviser, world.other_employer_id, "general", "T")
    refused(
        db,
        "out_of_scope",
        tasks.create,
        world.adviser,
        world.small_id,
        "general",
        "T",
        None,
        None,
        None,
        world.part.id,
    )
    refused(db, "bad_id", tasks.create, world.adviser, "1 OR 1=1", "general", "T")


def test_an_assignee_of_another_office_is_refused_and_audited(db: Session, world: World) -> None:
    refused(
        db,
        "other_office",
        tasks.create,
        world.adviser,
        world.employer_id,
        "general",
        "T",
        None,
        None,
        world.other.user_id,
    )


# ---------------------------------------------------------------------------------------------- update
def _update(db: Session, w: World, who: Any, task_id: int, version: object, **kw: Any) -> tasks.Saved:
    args: dict[str, Any] = {
        "title": "New title",
        "due_date": "2026-11-25",
        "follow_up_date": "",
        "status": "in_progress",
    }
    args |= {"assignee_id": w.colleague.user_id} | kw
    return tasks.update_task(db, who, task_id, version, **args, today=TODAY)


def test_update_changes_the_task_and_its_lock_version(db: Session, world: World) -> None:
    saved = new(db, world)
    after = _update(db, world, world.adviser, saved.task_id, saved.lock_version)
    db.commit()
    task = db.get(Task, saved.task_id)
    assert task is not None and after.lock_version == task.lock_version == 2
    assert (task.title, task.status, task.assignee_id) == ("New title", "in_progress", world.colleague.user_id)
    assert (task.due_date, task.follow_up_date) == (date(2026, 11, 25), None)


def test_two_advisers_saving_the_same_version_one_wins_the_other_is_told(db: Session, world: World) -> None:
    saved = new(db, world)
    _update(db, world, world.colleague, saved.task_id, saved.lock_version, title="First")
    db.commit()
    err = field_error(db, _update, world, world.adviser, saved.task_id, saved.lock_version, title="Second")
    assert (err.field, err.key) == ("lock_version", "task_changed_elsewhere")
    assert db.get(Task, saved.task_id).title == "First"  # type: ignore[union-attr]
    for bad in (None, "x", True, 1.0):
        assert field_error(db, _update, world, world.adviser, saved.task_id, bad).key == "task_changed_elsewhere"


def test_done_is_never_set_by_hand_and_an_unknown_status_is_refused(db: Session, world: World) -> None:
    saved = new(db, world)
    assert (
        field_error(db, _update, world, world.adviser, saved.task_id, 1, status="done").key == "task_status_transition"
    )
    assert field_error(db, _update, world, world.adviser, saved.task_id, 1, status="gone").key == "task_status_invalid"
    assert field_error(db, _update, world, world.adviser, saved.task_id, 1, title="").key == "task_title_required"


def test_another_office_cannot_read_or_change_a_task(db: Session, world: World) -> None:
    saved = new(db, world)
    refused(db, "other_office", _update, world, world.other, saved.task_id, 1, assignee_id="")
    refused(db, "other_office", tasks.comment, world.other, saved.task_id, "hello")
    refused(db, "other_office", tasks.complete, world.other, saved.task_id, 1)
    refused(db, "other_office", tasks.check, world.other, saved.task_id, 1, True)
    refused(db, "other_office", tasks.task_detail, world.other, saved.task_id)
    refused(db, "not_found", tasks.task_detail, world.adviser, 999_999)
    assert tasks.list_tasks(db, world.other, tasks.filter_of(mine=False, status="")).total == 0
    assert tasks.task_counts(db, world.other, TODAY)["open"] == 0


# --------------------------------------------------------------------------------------------- comment
def test_comment_with_author_and_time_at_most_5000_characters(db: Session, world: World) -> None:
    saved = new(db, world)
    tasks.comment(db, world.colleague, saved.task_id, "Line 1\nLine 2")
    db.commit()
    [c] = tasks.task_detail(db, world.adviser, saved.task_id, TODAY).comments
    assert (c.author_name, c.text) == ("Bram Colleague", "Line 1\nLine 2") and c.at is not None
    assert field_error(db, tasks.comment, world.adviser, saved.task_id, "x" * 5001).key == "text_too_long"
    assert field_error(db, tasks.comment, world.adviser, saved.task_id, " ").key == "task_comment_required"
    tasks.comment(db, world.adviser, saved.task_id, "y" * 5000)
    db.commit()
    assert len(tasks.task_detail(db, world.adviser, saved.task_id).comments) == 2


# ------------------------------------------------------------------------------------ complete and check
def test_a_task_without_check_is_done_at_once(db: Session, world: World) -> None:
    saved = new(db, world)
    tasks.complete(db, world.adviser, saved.task_id, 1)
    db.commit()
    task = db.get(Task, saved.task_id)
    assert task is not None and task.status == "done" and task.closed_at is not None
    assert field_error(db, tasks.complete, world.adviser, saved.task_id, 2).key == "task_not_completable"


def test_an_advice_task_needs_a_second_advisers_check(db: Session, world: World) -> None:
    saved = new(db, world, kind="advice_exit")
    handed = tasks.complete(db, world.adviser, saved.task_id, 1)
    db.commit()
    row = tasks.task_detail(db, world.adviser, saved.task_id, TODAY).row
    assert row.status == "waiting" and row.awaiting_check
    err = field_error(db, tasks.check, world.adviser, saved.task_id, handed.lock_version, True)  # own task
    assert (err.field, err.key) == ("check", "task_check_by_other")
    assert (
        field_error(db, tasks.check, world.colleague, saved.task_id, handed.lock_version, "yes").key
        == "decision_invalid"
    )
    tasks.check(db, world.colleague, saved.task_id, handed.lock_version, True)
    db.commit()
    task = db.get(Task, saved.task_id)
    assert task is not None and (task.status, task.checked_by, task.completed_by) == (
        "done", world.colleague.user_id, world.adviser.user_id)  # fmt: skip


def test_the_assignee_cannot_check_a_task_another_adviser_handed_in(db: Session, world: World) -> None:
    saved = new(db, world, kind="advice_warning", assignee_id=world.colleague.user_id)
    handed = tasks.complete(db, world.adviser, saved.task_id, 1)
    db.commit()
    assert (
        field_error(db, tasks.check, world.colleague, saved.task_id, handed.lock_version, True).key
        == "task_check_by_other"
    )


def test_a_check_not_approved_opens_the_task_again(db: Session, world: World) -> None:
    saved = new(db, world, kind="advice_exit")
    handed = tasks.complete(db, world.adviser, saved.task_id, 1)
    tasks.check(db, world.colleague, saved.task_id, handed.lock_version, False)
    db.commit()
    task = db.get(Task, saved.task_id)
    assert task is not None and (task.status, task.completed_by, task.checked_by) == ("open", None, None)
    plain = new(db, world)
    assert field_error(db, tasks.check, world.colleague, plain.task_id, 1, True).key == "task_not_awaiting_check"


# -------------------------------------------------------------------------------------------- reassign
def test_reassign_many_at_once(db: Session, world: World) -> None:
    ids = [new(db, world, title=f"T{i}").task_id for i in range(3)]
    assert tasks.reassign(db, world.adviser, [*ids, ids[0]], world.colleague.user_id) == 3
    db.commit()
    for tid in ids:
        task = db.get(Task, tid)
        assert task is not None and task.assignee_id == world.colleague.user_id and task.lock_version == 2
    assert tasks.reassign(db, world.adviser, ids[:1], "") == 1


def test_reassign_with_one_task_of_another_office_changes_nothing(db: Session, world: World) -> None:
    mine = new(db, world).task_id
    theirs = tasks.create(db, world.other, world.other_employer_id, "general", "Theirs", today=TODAY).task_id
    db.commit()
    refused(db, "other_office", tasks.reassign, world.adviser, [mine, theirs], world.colleague.user_id)
    refused(db, "other_office", tasks.reassign, world.adviser, [mine], world.other.user_id)
    assert field_error(db, tasks.reassign, world.adviser, [], world.colleague.user_id).key == "task_none_selected"
    assert field_error(db, tasks.reassign, world.adviser, "1,2", None).key == "task_none_selected"
    too_many = field_error(db, tasks.reassign, world.adviser, list(range(1, 502)), None)
    assert (too_many.field, too_many.key, too_many.params) == ("tasks", "task_too_many", {"limit": 500})
    assert db.get(Task, mine).assignee_id == world.adviser.user_id  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------- list, board, counts
def test_my_list_by_default_filters_paging_and_sort(db: Session, world: World) -> None:
    new(db, world, title="Late", due_date="2026-10-20", follow_up_date="")
    new(db, world, title="Soon", due_date="2026-11-05", follow_up_date="2026-11-01")
    new(db, world, title="Colleague's", assignee_id=world.colleague.user_id)
    new(db, world, title="Small", employer_id=world.small_id, kind="data_missing")
    done = new(db, world, title="Done")
    tasks.complete(db, world.adviser, done.task_id, 1)
    db.commit()
    mine = tasks.list_tasks(db, world.adviser, today=TODAY)
    assert {r.title for r in mine.rows} == {"Late", "Soon", "Small"} and mine.total == 3
    assert mine.rows[0].title == "Late" and mine.rows[0].overdue and not mine.rows[1].overdue
    office = tasks.filter_of(mine=False, status="")
    assert tasks.list_tasks(db, world.adviser, office, today=TODAY).total == 5
    by_colleague = tasks.filter_of(mine=False, assignee_id=world.colleague.user_id)
    assert [r.title for r in tasks.list_tasks(db, world.adviser, by_colleague).rows] == ["Colleague's"]
    small = tasks.filter_of(mine=False, employer_id=world.small_id, kind="data_missing")
    assert [r.title for r in tasks.list_tasks(db, world.adviser, small).rows] == ["Small"]
    late = tasks.filter_of(mine=False, overdue=True)
    assert [r.title for r in tasks.list_tasks(db, world.adviser, late, today=TODAY).rows] == ["Late"]
    assert [r.title for r in tasks.list_tasks(db, world.adviser, tasks.filter_of(mine=False, status="done")).rows] == [
        "Done"
    ]
    page2 = tasks.list_tasks(db, world.adviser, office, sort="created_at", descending=True, page=2, size=10)
    assert page2.total == 5 and page2.rows == []
    first = tasks.list_tasks(db, world.adviser, office, sort="'; DROP TABLE task", size=10**9, today=TODAY)
    assert first.size == 25 and first.total == 5
    assert tasks.filter_of(kind="nonsense", status="nonsense") == tasks.TaskFilter()
    with pytest.raises(NoAccess):
        tasks.filter_of(employer_id="1; DROP")


def test_board_and_dashboard_counts(db: Session, world: World) -> None:
    new(db, world, title="Late", due_date="2026-10-20", follow_up_date="2026-10-10")
    new(
        db, world, title="Colleague late", due_date="2026-10-20", follow_up_date="", assignee_id=world.colleague.user_id
    )
    done = new(db, world, title="Done", due_date="2026-10-20", follow_up_date="")
    tasks.complete(db, world.adviser, done.task_id, 1)
    db.commit()
    board = tasks.board_counts(db, world.adviser)
    assert board == {"open": 2, "in_progress": 0, "waiting": 0, "done": 1, "cancelled": 0}
    assert tasks.task_counts(db, world.adviser, TODAY) == {
        "open": 2, "overdue": 2, "mine_open": 1, "mine_overdue": 1, "follow_up_today": 1}  # fmt: skip
    refused(db, "missing_role", tasks.task_counts, world.hr)


def test_advisers_of_the_office(db: Session, world: World) -> None:
    names = [name for _id, name in tasks.advisers(db, world.adviser)]
    assert "Bram Colleague" in names and "Olga Other" not in names


def test_employers_of_the_office(db: Session, world: World) -> None:
    ids = [i for i, _name in tasks.employers(db, world.adviser)]
    assert world.employer_id in ids and world.small_id in ids and world.other_employer_id not in ids
    assert tasks.employers(db, world.other) == [(world.other_employer_id, "Zuidkade Bouw")]


def test_the_subject_of_a_link_is_checked(db: Session, world: World) -> None:
    part = world.part
    assert tasks.subject_of(db, world.adviser, str(world.employer_id), str(part.id)) == (
        world.employer_id,
        part.id,
        part.participant_number,
    )
    assert tasks.subject_of(db, world.adviser, world.small_id) == (world.small_id, None, "")
    refused(db, "other_office", tasks.subject_of, world.other, world.employer_id, part.id)
    refused(db, "out_of_scope", tasks.subject_of, world.adviser, world.small_id, part.id)


def test_open_tasks_by_assignee(db: Session, world: World) -> None:
    new(db, world, title="A1")
    new(db, world, title="A2")
    new(db, world, title="C1", assignee_id=world.colleague.user_id)
    new(db, world, title="Nobody", assignee_id="")
    done = new(db, world, title="Done")
    tasks.complete(db, world.adviser, done.task_id, 1)
    db.commit()
    adviser = (world.adviser.user_id, world.adviser.display_name, 2)
    assert tasks.counts_by_assignee(db, world.adviser) == [
        adviser,
        (None, "", 1),
        (world.colleague.user_id, "Bram Colleague", 1),
    ]
    assert tasks.counts_by_assignee(db, world.other) == []


# ------------------------------------------------------------------------ an employer leaves the portfolio
def test_tasks_of_an_employer_that_left_the_portfolio_are_neither_listed_opened_nor_changed(
    db: Session, world: World
) -> None:
    mine = new(db, world, title="Mine", employer_id=world.employer_id)
    gone = new(db, world, title="Gone", employer_id=world.small_id, due_date="2026-10-20", follow_up_date="")
    office = tasks.filter_of(mine=False, status="")
    assert tasks.list_tasks(db, world.adviser, office, today=TODAY).total == 2
    employer = db.get(Employer, world.small_id)
    assert employer is not None
    employer.office_id = world.other.office_id  # moved to the other office
    db.add(employer)
    db.commit()
    now = replace(world.adviser, employer_ids=world.adviser.employer_ids - {world.small_id})  # as resolved now
    for who in (world.adviser, now):  # the employer's office is read now, whatever the principal says
        assert [r.title for r in tasks.list_tasks(db, who, office, today=TODAY).rows] == ["Mine"]
        assert tasks.board_counts(db, who, office)["open"] == 1
        assert tasks.task_counts(db, who, TODAY)["open"] == 1 and tasks.task_counts(db, who, TODAY)["overdue"] == 0
        assert sum(n for _id, _name, n in tasks.counts_by_assignee(db, who)) == 1
        refused(db, "out_of_scope", tasks.task_detail, who, gone.task_id)
        refused(db, "out_of_scope", _update, world, who, gone.task_id, 1)
        refused(db, "out_of_scope", tasks.comment, who, gone.task_id, "still mine?")
        refused(db, "out_of_scope", tasks.complete, who, gone.task_id, 1)
        refused(db, "out_of_scope", tasks.reassign, who, [mine.task_id, gone.task_id], world.colleague.user_id)
        refused(db, "other_office", tasks.create, who, world.small_id, "general", "New")  # now theirs
    assert tasks.task_detail(db, now, mine.task_id).row.title == "Mine"
    assert tasks.list_tasks(db, world.other, office, today=TODAY).total == 0  # nor does the new office see them
