"""Tasks made by events (INT-3, INT-6), in the transaction of the event itself, never twice for one event:
the rules of ``portal.domain.tasks`` say which task an event calls for; this module stores it for the office
whose portfolio holds the employer (the source key is unique per office, and checked before inserting)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import tasks as rules
from portal.i18n import t
from portal.models import Batch, Employer, Mutation, Person, Relation, Task, TaskComment
from portal.services import audit
from portal.services.principal import Principal


def _office_of(db: Session, employer_id: int) -> int | None:
    employer = db.get(Employer, employer_id)
    return employer.office_id if employer is not None else None


def _store(
    db: Session,
    spec: rules.TaskSpec,
    employer_id: int,
    participation_id: int | None = None,
    person_id: int | None = None,
) -> Task | None:
    """Store the task ``spec`` for the office of ``employer_id`` unless that office already has it."""
    office = _office_of(db, employer_id)
    if office is None:
        return None  # an employer outside any office's portfolio: nobody to do it
    there = db.exec(select(Task.id).where(Task.office_id == office, Task.source_key == spec.source_key)).first()
    if there is not None:
        return None
    task = Task(
        office_id=office,
        kind=spec.kind,
        title_key=spec.title_key,
        detail=json.dumps(spec.detail, ensure_ascii=False, default=str),
        employer_id=employer_id,
        participation_id=participation_id,
        person_id=person_id,
        due_date=spec.due,
        needs_check=spec.needs_check,
        source_key=spec.source_key,
    )
    db.add(task)
    db.flush()
    audit.record(
        db, "task.created", object_type="task", object_id=task.id, employer_id=employer_id, kind=spec.kind,
        source=spec.source_key,
    )  # fmt: skip
    return task


def _insurer_data(db: Session, person_id: int) -> rules.InsurerData | None:
    person = db.get(Person, person_id)
    if person is None:
        return None
    partners = db.exec(
        select(Relation.start_date).where(
            Relation.person_id == person_id, Relation.kind == "partner", col(Relation.end_date).is_(None)
        )
    ).all()
    return rules.InsurerData(
        nationality=person.nationality,
        business_email=person.business_email,
        private_email=person.private_email,
        country=person.country,
        foreign_address=person.foreign_address,
        partner_start_dates=tuple(partners),
    )


def on_mutation(db: Session, mutation: Mutation, today: date | None = None) -> list[Task]:
    """The tasks a submitted change calls for (exit advice, review, advice warnings) and, for a processed new
    participant whose data is incomplete for the insurer, a data task. (A processed exit's exit form is recorded
    by the caller after this, ``forms.on_exit``, which names it in the exit advice task.)"""
    assert mutation.id is not None
    day = today if isinstance(today, date) else clock.today()
    warnings = json.loads(mutation.warnings or "[]")
    specs = rules.for_mutation(mutation.id, mutation.kind, mutation.status, warnings, day)
    if mutation.kind == "new_participant" and mutation.status == "processed" and mutation.person_id is not None:
        data = _insurer_data(db, mutation.person_id)
        spec = rules.for_new_participant(mutation.id, data, day) if data is not None else None
        if spec is not None:
            specs.append(spec)
    made = [_store(db, s, mutation.employer_id, mutation.participation_id, mutation.person_id) for s in specs]
    return [t for t in made if t is not None]


def on_uncarried(db: Session, mutation: Mutation, insurer: str, today: date | None = None) -> Task | None:
    """A processed change of a coupled scheme that the coupling does not carry (address, civil status, partner,
    partner-pension participation): a task to pass it on in the insurer's portal (INT-4)."""
    assert mutation.id is not None
    day = today if isinstance(today, date) else clock.today()
    spec = rules.for_uncarried(mutation.id, mutation.kind, insurer, day)
    return _store(db, spec, mutation.employer_id, mutation.participation_id, mutation.person_id)


def _close(db: Session, task: Task, status: str) -> None:
    """Close an open task made by an event (done or cancelled); a completion waiting for its check lapses."""
    if status == rules.CANCELLED:
        task.completed_by = None
    task.status, task.closed_at, task.updated_at = status, clock.now(), clock.now()
    task.lock_version += 1
    db.add(task)


def on_review_done(db: Session, mutation: Mutation, reviewer: Principal, today: date | None = None) -> None:
    """A review by ``reviewer`` is done: its open review task closes (done, audited as ``task.closed`` with the
    reviewer); the tasks the outcome calls for are made now (an approved exit's advice, a processed new
    participant's data task); the tasks it makes moot (a rejected exit's advice, from older data) are cancelled
    with a comment and an audit event."""
    assert mutation.id is not None
    source = rules.review_source(mutation.id)
    for task in db.exec(select(Task).where(Task.source_key == source)).all():
        if rules.is_open(task.status):
            _close(db, task, rules.DONE)
            audit.record(
                db, "task.closed", actor=reviewer, object_type="task", object_id=task.id, employer_id=task.employer_id,
                reason="review_done", mutation_id=mutation.id, review=mutation.status,
            )  # fmt: skip
    moot = rules.moot_after(mutation.id, mutation.kind, mutation.status, json.loads(mutation.warnings or "[]"))
    if moot:
        name = reviewer.display_name or reviewer.username
        text = t("task.comment.moot_rejected", reviewer.language, reason=mutation.review_reason or "—")
        for task in db.exec(select(Task).where(col(Task.source_key).in_(moot))).all():
            if not rules.is_open(task.status):
                continue
            _close(db, task, rules.CANCELLED)
            db.add(TaskComment(task_id=task.id or 0, author_id=reviewer.user_id, author_name=name, text=text))
            audit.record(
                db, "task.cancelled", actor=reviewer, object_type="task", object_id=task.id,
                employer_id=task.employer_id, reason="change_rejected", mutation_id=mutation.id,
            )  # fmt: skip
    on_mutation(db, mutation, today)
    db.flush()


def on_idea(
    db: Session, author: Principal, employer_id: int, subject: str, message: str, today: date | None = None
) -> Task | None:
    """An employer user's idea (EMP-1, checked by the caller) → a task for the office whose portfolio holds the
    employer: the subject as its title, the message as its first comment by the author; None without an office."""
    office = _office_of(db, employer_id)
    if office is None:
        return None
    day = today if isinstance(today, date) else clock.today()
    name = author.display_name or author.username
    task = Task(
        office_id=office,
        kind=rules.EMPLOYER_IDEA,
        title=subject,  # typed by a person: no title_key
        detail=json.dumps({"idea_from": name}, ensure_ascii=False),
        employer_id=employer_id,
        due_date=day + timedelta(days=rules.DUE_DAYS[rules.EMPLOYER_IDEA]),
        needs_check=rules.needs_check(rules.EMPLOYER_IDEA),
        created_by=author.user_id,
    )
    db.add(task)
    db.flush()
    assert task.id is not None
    db.add(TaskComment(task_id=task.id, author_id=author.user_id, author_name=name, text=message))
    audit.record(
        db, "task.created", actor=author, object_type="task", object_id=task.id, employer_id=employer_id,
        kind=rules.EMPLOYER_IDEA, source="service_contact",
    )  # fmt: skip
    db.flush()
    return task


def on_reconciliation(
    db: Session,
    author: Principal,
    difference_id: int,
    employer_id: int,
    title: str,
    participation_id: int | None = None,
    person_id: int | None = None,
    today: date | None = None,
    **detail: object,
) -> Task:
    """A reconciliation difference (INT-7) turned into a task by an adviser (scope checked by the caller): for
    the office whose portfolio holds the employer, titled ``title``, once per difference (the task made before is
    returned when there is one)."""
    day = today if isinstance(today, date) else clock.today()
    spec = rules.for_reconciliation(difference_id, day, **detail)
    office = _office_of(db, employer_id)
    there = db.exec(select(Task).where(Task.office_id == office, Task.source_key == spec.source_key)).first()
    if there is not None:
        return there
    task = Task(
        office_id=office or 0,
        kind=spec.kind,
        title=title[: rules.TITLE_LIMIT],
        detail=json.dumps(spec.detail, ensure_ascii=False, default=str),
        employer_id=employer_id,
        participation_id=participation_id,
        person_id=person_id,
        assignee_id=author.user_id,
        due_date=spec.due,
        needs_check=spec.needs_check,
        source_key=spec.source_key,
        created_by=author.user_id,
    )
    db.add(task)
    db.flush()
    audit.record(
        db, "task.created", actor=author, object_type="task", object_id=task.id, employer_id=employer_id,
        kind=spec.kind, source=spec.source_key,
    )  # fmt: skip
    return task


def on_batch_failed(db: Session, batch: Batch, today: date | None = None) -> Task | None:
    """A collective change failed: a task to sort it out."""
    assert batch.id is not None
    day = today if isinstance(today, date) else clock.today()
    spec = rules.for_failed_batch(batch.id, batch.kind, batch.message, batch.rows_failed, day)
    return _store(db, spec, batch.employer_id)
