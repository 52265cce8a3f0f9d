"""Service & contact for employers (EMP-1, INT-3): the contacts of the adviser's office and of the insurers of the
employer's contracts, and "Have a good idea?" — its message reaches the employer's office as a task, only from an
employer user of that employer, with every bad field reported and nothing saved."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlmodel import Session, col, select

from portal.domain import tasks as rules
from portal.domain.roles import FrontEnd, Role
from portal.models import AuditEvent, Contract, Employer, Insurer, IntermediaryOffice, Task, TaskComment
from portal.services import contact, tasks
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, Principal
from portal.services.validation import errors_of
from portal.state.intermediary import tasks as tasks_page
from tests.services.task_world import TODAY, World, counts, world_fixture  # noqa: F401


def ideas(db: Session) -> list[Task]:
    return list(db.exec(select(Task).where(Task.kind == rules.EMPLOYER_IDEA).order_by(col(Task.id))).all())


def test_the_contacts_are_the_office_and_the_insurers_of_the_employers_contracts(db: Session, world: World) -> None:
    found = contact.service_contacts(db, world.hr)
    office = db.get(IntermediaryOffice, world.office_id)
    assert office is not None and found.office is not None
    assert (found.office.name, found.office.phone, found.office.email) == (office.name, office.phone, office.email)
    theirs = db.exec(
        select(Insurer)
        .join(Contract, col(Contract.insurer_id) == Insurer.id)
        .where(Contract.employer_id == world.employer_id)
    ).all()
    assert sorted({i.name for i in theirs}) == [c.name for c in found.insurers]  # each insurer once, by name
    assert all(c.phone and c.email and c.website for c in found.insurers)  # the demo insurers' contact data
    other = db.exec(select(Insurer).where(col(Insurer.id).not_in([i.id for i in theirs]))).all()
    assert not {i.name for i in other} & {c.name for c in found.insurers}


def test_an_idea_becomes_a_task_of_the_employers_office(db: Session, world: World) -> None:
    message = "Graag ook een export als CSV.\nDan kan onze salarisadministratie er direct mee verder."
    task_id = contact.submit_idea(db, world.hr, "  Export als CSV ", message, today=TODAY)
    db.commit()
    [task] = ideas(db)
    assert task.id == task_id
    assert (task.office_id, task.employer_id, task.kind, task.title) == (
        world.office_id,
        world.employer_id,
        "employer_idea",
        "Export als CSV",
    )
    assert task.status == "open" and task.created_by == world.hr.user_id and task.source_key is None
    assert task.title_key == "" and task.participation_id is None  # typed by a person, about no participant
    assert task.due_date == TODAY.replace(day=15) and not task.needs_check
    assert json.loads(task.detail) == {"idea_from": world.hr.display_name}
    [comment] = db.exec(select(TaskComment).where(TaskComment.task_id == task_id)).all()
    assert (comment.text, comment.author_id, comment.author_name) == (message, world.hr.user_id, world.hr.display_name)
    [event] = db.exec(select(AuditEvent).where(AuditEvent.action == "task.created")).all()
    assert (event.actor_user_id, event.object_id) == (world.hr.user_id, str(task_id))
    assert event.employer_id == world.employer_id
    assert json.loads(event.detail)["kind"] == "employer_idea"
    # the office's advisers see it on their list, with the message; another office does not
    listed = tasks.list_tasks(db, world.adviser, tasks.filter_of(mine=False, kind="employer_idea"), today=TODAY)
    assert [r.id for r in listed.rows] == [task_id]
    detail = tasks.task_detail(db, world.adviser, task_id)
    assert detail.comments[0].text == message
    assert tasks_page._about(detail.detail, "nl") == (  # what the adviser's task panel says about it
        f"Idee van {world.hr.display_name} via 'Service & contact'; het bericht staat bij de opmerkingen."
    )
    assert tasks.list_tasks(db, world.other, tasks.filter_of(mine=False, status=""), today=TODAY).total == 0


@pytest.mark.parametrize("role", [Role.HR, Role.FINANCE, Role.USER_MANAGEMENT])
def test_every_employer_role_may_send_an_idea(db: Session, world: World, role: str) -> None:
    who = replace(world.hr, roles=frozenset({role}), perms=frozenset())
    contact.submit_idea(db, who, "Idee", "Een bericht", today=TODAY)
    assert contact.service_contacts(db, who).employer_id == world.employer_id
    db.commit()
    assert len(ideas(db)) == 1


def test_a_group_user_sends_for_a_company_of_the_group_only(db: Session, world: World) -> None:
    group = replace(world.hr, employer_ids=frozenset({world.employer_id, world.small_id}))
    contact.submit_idea(db, group, "Idee", "Voor de bakkerij", world.small_id, today=TODAY)
    db.commit()
    [task] = ideas(db)
    assert task.employer_id == world.small_id
    small = db.get(Employer, world.small_id)
    assert small is not None and task.office_id == small.office_id


def test_another_employer_is_refused_and_nothing_is_saved(db: Session, world: World) -> None:
    before = counts(db)
    for employer_id in (world.other_employer_id, world.small_id, "1 OR 1=1", -1, {"id": 1}):
        with pytest.raises(NoAccess):
            contact.submit_idea(db, world.hr, "Idee", "Bericht", employer_id, today=TODAY)
        with pytest.raises(NoAccess):
            contact.service_contacts(db, world.hr, employer_id)
    db.commit()
    assert counts(db) == before and ideas(db) == []


def test_only_an_employer_user_may_send_an_idea(db: Session, world: World) -> None:
    employee = Principal(
        user_id=world.hr.user_id, username="e", display_name="E", front_end=FrontEnd.EMPLOYEE,
        roles=frozenset({Role.EMPLOYEE}), employer_ids=frozenset({world.employer_id}),
    )  # fmt: skip
    acting = replace(world.adviser, acting_employer_id=world.employer_id)
    before = counts(db)
    for who in (None, world.adviser, acting, employee):
        with pytest.raises(NoAccess):
            contact.submit_idea(db, who, "Idee", "Bericht", today=TODAY)
        with pytest.raises(NoAccess):
            contact.service_contacts(db, who)
    db.commit()
    assert counts(db) == before


@pytest.mark.parametrize(
    ("subject", "message", "wanted"),
    [
        ("", "", {"subject": "idea_subject_required", "message": "idea_message_required"}),
        ("   ", "Bericht", {"subject": "idea_subject_required"}),
        ("Idee", " \n ", {"message": "idea_message_required"}),
        ("x" * (rules.IDEA_SUBJECT_LIMIT + 1), "Bericht", {"subject": "text_too_long"}),
        ("Idee", "y" * (rules.IDEA_MESSAGE_LIMIT + 1), {"message": "text_too_long"}),
        ("Twee\nregels", "Bericht", {"subject": "text_invalid"}),
        ("Idee", "Een \x00 teken", {"message": "text_invalid"}),
        ({"not": "text"}, ["a list"], {"subject": "text_invalid", "message": "text_invalid"}),
    ],
)
def test_bad_input_gets_a_message_per_field_and_saves_nothing(
    db: Session, world: World, subject: object, message: object, wanted: dict[str, str]
) -> None:
    before = counts(db)
    with pytest.raises(FieldError) as caught:
        contact.submit_idea(db, world.hr, subject, message, today=TODAY)
    assert {e.field: e.key for e in errors_of(caught.value)} == wanted
    db.commit()
    assert counts(db) == before


def test_the_limits_themselves_are_fine(db: Session, world: World) -> None:
    contact.submit_idea(db, world.hr, "x" * rules.IDEA_SUBJECT_LIMIT, "y" * rules.IDEA_MESSAGE_LIMIT, today=TODAY)
    db.commit()
    assert len(ideas(db)) == 1


def test_an_employer_without_an_office_gets_a_clear_message(db: Session, world: World) -> None:
    loose = Employer(name="Los B.V.", kvk_number="99887766")
    db.add(loose)
    db.commit()
    assert loose.id is not None
    who = replace(world.hr, employer_ids=frozenset({loose.id}))
    assert contact.service_contacts(db, who).office is None
    before = counts(db)
    with pytest.raises(FieldError) as caught:
        contact.submit_idea(db, who, "Idee", "Bericht", today=TODAY)
    assert caught.value.key == "idea_no_office"
    db.rollback()
    assert counts(db) == before
