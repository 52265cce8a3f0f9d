"""Demo tasks of the first office (INT-3): some fifty tasks of every kind and status, due around the day the demo
is loaded (some overdue, some to follow up today), assigned to its two advisers or to nobody, with comments. The
tasks that events make are built with the same rules as the real events (``portal.domain.tasks``)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from sqlmodel import Session, col, select

from portal.core import clock
from portal.domain import tasks as rules
from portal.models import Participation, Task, TaskComment, UserAccount

TASK_COUNT = 54  # 7 kinds × 5 statuses, then once more for some combinations
GENERAL_TITLES = (
    "Jaarlijks pensioengesprek plannen",
    "Offerte arbeidsongeschiktheidsverzekering opvragen",
    "Werkgever terugbellen over de premienota",
    "Nieuwe regeling 2027 voorbereiden",
    "Vragen over ANW-hiaat beantwoorden",
)
IDEA_TITLES = (  # typed by an employer user in "Service & contact" (EMP-1)
    "Export ook als CSV",
    "Melding bij verjaardag 67 jaar",
    "Deelnemers filteren op afdeling",
)
IDEA_FROM = "Hanna de Vries"  # the demo employer's HR user
COMMENTS = (
    "Werkgever gebeld, terugbelverzoek staat uit.",
    "Stukken ontvangen, ik pak het morgen op.",
    "Verzekeraar om bevestiging gevraagd.",
)
_WARNINGS = tuple(sorted(rules.ADVICE_WARNINGS))


def _spec(kind: str, n: int, today: date) -> rules.TaskSpec:
    """A task of ``kind`` as the event rules would make it (source keys ``demo:<n>…``: never an event's)."""
    if kind in (rules.ADVICE_EXIT, rules.REVIEW):
        exit_or_review = rules.for_mutation(  # an exit that took effect; a change waiting for review
            n, *(("exit", rules.PROCESSED) if kind == rules.ADVICE_EXIT else ("salary", rules.NEEDS_REVIEW)), (), today
        )
        spec = next(s for s in exit_or_review if s.kind == kind)
    elif kind == rules.ADVICE_WARNING:
        warning = {"key": _WARNINGS[n % len(_WARNINGS)], "params": {}}
        spec = rules.for_mutation(n, "salary", "processed", (warning,), today)[0]
    elif kind == rules.BATCH_FAILED:
        spec = rules.for_failed_batch(n, "salary", "", 3 + n % 5, today)
    elif kind == rules.DATA_MISSING:
        data = rules.InsurerData("", "", "", "NL", "", (None,) if n % 2 else ())
        found = rules.for_new_participant(n, data, today)
        assert found is not None
        spec = found
    elif kind == rules.EMPLOYER_IDEA:
        spec = rules.TaskSpec(kind, "", "", today, {"idea_from": IDEA_FROM})
    elif kind == rules.COUPLING_MANUAL:  # a change the coupling does not carry, to pass on by hand (INT-4)
        spec = rules.for_uncarried(n, ("address", "civil_status", "partner")[n % 3], "a.s.r. Levensverzekering", today)
    elif kind == rules.RECONCILIATION:  # a difference with the insurer's list (INT-7): titled by the adviser
        found = rules.for_reconciliation(n, today, difference="salary")
        spec = rules.TaskSpec(kind, "", found.source_key, found.due, found.detail)
    else:
        spec = rules.TaskSpec(kind, "", "", today)
    return rules.TaskSpec(spec.kind, spec.title_key, f"demo:{n}", spec.due, spec.detail)


def _typed_title(kind: str, n: int) -> str:
    """The title a person typed: an adviser's own task, or the subject of an employer's idea ("" otherwise)."""
    if kind == rules.GENERAL:
        return GENERAL_TITLES[n % len(GENERAL_TITLES)]
    if kind == rules.RECONCILIATION:
        return "Salaris wijkt af van de lijst van de verzekeraar"
    return IDEA_TITLES[n % len(IDEA_TITLES)] if kind == rules.EMPLOYER_IDEA else ""


def seed_tasks(db: Session, office_id: int, adviser_ids: tuple[int, int], employer_id: int, today: date) -> int:
    """Add the demo tasks of office ``office_id`` about employer ``employer_id``; returns how many."""
    participations = db.exec(
        select(Participation.id, Participation.person_id)
        .where(Participation.employer_id == employer_id, Participation.status == "active")
        .order_by(col(Participation.id))
        .limit(TASK_COUNT)
    ).all()
    names = {u.id: u.display_name for u in db.exec(select(UserAccount).where(col(UserAccount.id).in_(adviser_ids)))}
    stamp = clock.now()
    for n in range(TASK_COUNT):
        kind = rules.KINDS[n % len(rules.KINDS)]
        status = rules.STATUSES[(n // len(rules.KINDS)) % len(rules.STATUSES)]
        spec = _spec(kind, n, today)
        due = today + timedelta(days=(n * 7) % 45 - 15)  # from 15 days ago to a month ahead
        assignee = None if n % 9 == 4 else adviser_ids[n % 2]
        about_someone = kind not in (rules.BATCH_FAILED, rules.EMPLOYER_IDEA)
        participation = participations[n % len(participations)] if about_someone else None
        closed = status in (rules.DONE, rules.CANCELLED)
        task = Task(
            office_id=office_id,
            kind=kind,
            title=_typed_title(kind, n),
            title_key=spec.title_key,
            detail=json.dumps(spec.detail, ensure_ascii=False, default=str),
            employer_id=employer_id,
            participation_id=participation[0] if participation else None,
            person_id=participation[1] if participation else None,
            assignee_id=assignee,
            due_date=due,
            follow_up_date=min(today, due) if n % 5 == 1 else (due - timedelta(days=3) if n % 3 == 0 else None),
            status=status,
            needs_check=spec.needs_check,
            completed_by=assignee if status == rules.DONE and spec.needs_check else None,
            checked_by=adviser_ids[(n + 1) % 2] if status == rules.DONE and spec.needs_check else None,
            closed_at=stamp if closed else None,
            created_by=adviser_ids[0] if kind == rules.GENERAL else None,
            source_key=spec.source_key,
            created_at=stamp - timedelta(days=20),
            updated_at=stamp,
        )
        db.add(task)
        db.flush()
        for c in range(n % 3):
            author = adviser_ids[c % 2]
            db.add(
                TaskComment(
                    task_id=task.id or 0,
                    author_id=author,
                    author_name=names.get(author, ""),
                    at=stamp - timedelta(days=10 - c),
                    text=COMMENTS[(n + c) % len(COMMENTS)],
                )
            )
    db.flush()
    return TASK_COUNT
