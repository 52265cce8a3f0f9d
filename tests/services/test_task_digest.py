"""The advisers' daily task mail (INT-3 reminders): one mail per adviser per day with deep links and no
personal data, only tasks due or to follow up that day, never twice for one day (also from two runs for that
day, one after the other or at the same moment), only to active advisers of the task's own office, switchable
off per user; a refused address is recorded and skipped, a mail a killed attempt was handing over is marked
unconfirmed and audited, and the run reports its progress. Real SMTP (aiosmtpd) and the real database."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage

import pytest
from sqlmodel import Session, select

from portal.core.config import get_settings
from portal.jobs.queue import get_huey
from portal.models import AuditEvent, Employer, JobRun, Person, SentMail, Task, UserAccount
from portal.services import background, tasks
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from portal.services.tasks import digest
from tests.services.employer_fixtures import audit_of
from tests.services.task_world import TODAY, World, world_fixture  # noqa: F401
from tests.smtp import SmtpCapture, body_of

ANOUK = "anouk.vanleeuwen@"


@pytest.fixture(autouse=True)
def _empty_queue() -> Iterator[None]:
    get_huey().flush()  # the runs these tests queue are executed here, not by a consumer of a later test
    yield
    get_huey().flush()


def _task(db: Session, w: World, title: str, due: str, follow_up: str = "", assignee: int | None = None, **kw) -> int:  # type: ignore[no-untyped-def]
    who = w.adviser.user_id if assignee is None else assignee
    saved = tasks.create(db, w.adviser, w.employer_id, "general", title, due, follow_up, who, today=TODAY, **kw)
    db.commit()
    return saved.task_id


def _send(db: Session, day: date) -> int | None:
    job = tasks.queue_digest(db, day)
    db.commit()
    assert job is not None and job.id is not None
    return background.execute(job.id, "task_digest", tasks.digest_job)


def _mails(smtp: SmtpCapture, fragment: str) -> list:  # type: ignore[type-arg]
    return [m for m in smtp.messages if fragment in str(m["To"])]


def test_one_mail_per_adviser_with_deep_links_and_no_personal_data(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    due = _task(db, world, "Bel mevrouw Jansen over haar pensioen", "2026-11-01")
    follow = _task(db, world, "Volg op", "2026-11-20", "2026-11-01")
    _task(db, world, "Later", "2026-11-02")  # not today
    done = _task(db, world, "Klaar", "2026-11-01")
    tasks.complete(db, world.adviser, done, 1)
    colleague = _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    db.commit()
    assert _send(db, TODAY) == 2  # the adviser and the colleague
    [mail] = _mails(smtp_server, ANOUK)
    body, base = body_of(mail), get_settings().base_url
    assert mail["Subject"] == "Uw taken van vandaag (2)"
    assert f"{base}/intermediary/tasks?task={due}" in body and f"{base}/intermediary/tasks?task={follow}" in body
    assert f"task={done}" not in body and f"task={colleague}" not in body
    assert "Noordkade Logistiek B.V." in body and "uiterlijk vandaag" in body and "wedervoorlegging vandaag" in body
    assert "Jansen" not in body and "Volg op" not in body and "Anouk" not in body  # no titles, no names
    [theirs] = _mails(smtp_server, "colleague@")
    assert f"task={colleague}" in body_of(theirs)
    rows = db.exec(select(SentMail)).all()
    assert {r.status for r in rows} == {"sent"} and len(rows) == 2
    assert sorted(json.loads(next(r for r in rows if r.user_id == world.adviser.user_id).document_ids)) == [due, follow]


def test_never_twice_for_one_day(db: Session, world: World, smtp_server: SmtpCapture) -> None:
    _task(db, world, "Vandaag", "2026-11-01")
    assert _send(db, TODAY) == 1
    assert tasks.queue_digest(db, TODAY) is None  # the day has its run
    job = db.exec(select(JobRun).where(JobRun.kind == "task_digest")).one()
    job.status = "queued"  # a retried or recovered run mails nobody again
    db.add(job)
    db.commit()
    assert background.execute(job.id or 0, "task_digest", tasks.digest_job) == 0
    assert len(_mails(smtp_server, ANOUK)) == 1


def test_switched_off_per_user(db: Session, world: World, smtp_server: SmtpCapture) -> None:
    _task(db, world, "Vandaag", "2026-11-01")
    _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    assert tasks.digest_setting(db, world.adviser) is True
    assert tasks.set_digest(db, world.adviser, False) is False
    db.commit()
    assert tasks.digest_setting(db, world.adviser) is False
    assert db.exec(select(AuditEvent).where(AuditEvent.action == "account.notify_tasks_changed")).first() is not None
    assert _send(db, TODAY) == 1
    assert _mails(smtp_server, ANOUK) == [] and len(_mails(smtp_server, "colleague@")) == 1


def test_the_setting_is_the_advisers_own(db: Session, world: World) -> None:
    with pytest.raises(FieldError):
        tasks.set_digest(db, world.adviser, "off")
    with pytest.raises(NoAccess):
        tasks.set_digest(db, world.hr, False)
    db.rollback()
    user = db.get(UserAccount, world.adviser.user_id)
    assert user is not None and user.notify_tasks is True


# --------------------------------------------------------------------------------- one mail a day, at most
def _second_run(db: Session, day: date) -> JobRun:
    """A second run for ``day`` that got past ``queue_digest``'s look-up (a doubled schedule, two workers at
    the same moment): nothing but the mails' once-key stands between it and a second mail."""
    job = background.queue(db, digest.KIND, subject=digest.once_key(day), day=day.isoformat())
    db.commit()
    return job


def _rows(db: Session) -> dict[int, str]:
    db.expire_all()
    return {r.user_id: r.status for r in db.exec(select(SentMail)).all()}


def _email(db: Session, user_id: int) -> str:
    user = db.get(UserAccount, user_id)
    assert user is not None
    return user.email


def test_a_second_run_for_the_same_day_mails_nobody_again(db: Session, world: World, smtp_server: SmtpCapture) -> None:
    _task(db, world, "Vandaag", "2026-11-01")
    _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    assert _send(db, TODAY) == 2
    second = _second_run(db, TODAY)
    assert background.execute(second.id or 0, "task_digest", tasks.digest_job) == 0
    assert len(_mails(smtp_server, ANOUK)) == len(_mails(smtp_server, "colleague@")) == 1
    assert len(db.exec(select(SentMail)).all()) == 2  # no rows of the second run either
    db.expire_all()
    assert db.get(JobRun, second.id).status == "done"  # type: ignore[union-attr]
    # The next day is another day.
    _task(db, world, "Morgen", "2026-11-02")
    assert _send(db, date(2026, 11, 2)) == 1 and len(_mails(smtp_server, ANOUK)) == 2


def test_two_runs_for_one_day_at_the_same_moment_mail_each_adviser_once(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    _task(db, world, "Vandaag", "2026-11-01")
    _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    first = tasks.queue_digest(db, TODAY)
    db.commit()
    assert first is not None
    second = _second_run(db, TODAY)
    # Both runs look up what was sent before either writes its row: the server holds each RCPT until the
    # other run's RCPT for that address has arrived too, so only the unique key can stop the second mail.
    smtp_server.pair_rcpts = 10.0
    sent: dict[int, int | None] = {}
    failures: list[BaseException] = []

    def run(job_id: int) -> None:
        try:
            sent[job_id] = background.execute(job_id, "task_digest", tasks.digest_job)
        except BaseException as err:  # reported below
            failures.append(err)

    threads = [threading.Thread(target=run, args=(job.id,)) for job in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == [] and not any(thread.is_alive() for thread in threads)
    assert len(_mails(smtp_server, ANOUK)) == len(_mails(smtp_server, "colleague@")) == 1
    assert len(smtp_server.messages) == 2 and sum(n or 0 for n in sent.values()) == 2
    rows = db.exec(select(SentMail)).all()
    assert len(rows) == 2 and {r.status for r in rows} == {"sent"}
    assert {r.once_key for r in rows} == {"task_digest:2026-11-01"}
    db.expire_all()
    assert {db.get(JobRun, job.id).status for job in (first, second)} == {"done"}  # type: ignore[union-attr]


# ------------------------------------------------------------------------------ refused, stuck, progress
def test_a_refused_address_is_recorded_and_the_others_still_get_their_mail(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    _task(db, world, "Vandaag", "2026-11-01")
    _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    smtp_server.refused = {_email(db, world.adviser.user_id).lower()}
    job = tasks.queue_digest(db, TODAY)
    db.commit()
    assert job is not None
    # Not left for huey's retries: the run ends done, the refusal on record.
    assert background.execute(job.id or 0, "task_digest", tasks.digest_job, retries_left=2) == 1
    assert _mails(smtp_server, ANOUK) == [] and len(_mails(smtp_server, "colleague@")) == 1
    assert _rows(db) == {world.adviser.user_id: "failed", world.colleague.user_id: "sent"}
    (event,) = audit_of(db, "tasks.digest_sent")
    detail = json.loads(event.detail)
    assert (detail["recipients"], detail["failed"]) == ([world.colleague.user_id], [world.adviser.user_id])
    run = db.get(JobRun, job.id)
    assert run is not None and (run.status, run.attempts, run.done, run.total) == ("done", 1, 2, 2)
    # Run again (recovered), with the address accepted now: the refused mail is not tried again that day.
    smtp_server.refused = set()
    run.status = "queued"
    db.add(run)
    db.commit()
    assert background.execute(job.id or 0, "task_digest", tasks.digest_job) == 0
    assert _mails(smtp_server, ANOUK) == [] and len(smtp_server.messages) == 1


def test_a_mail_a_killed_attempt_was_handing_over_is_marked_unconfirmed_audited_and_not_sent_again(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    mine = _task(db, world, "Vandaag", "2026-11-01")
    _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    job = tasks.queue_digest(db, TODAY)
    db.commit()
    assert job is not None
    # The killed attempt recorded "sending" for the adviser and died before it recorded the server's answer.
    stuck = SentMail(
        job_id=job.id or 0, user_id=world.adviser.user_id, once_key=digest.once_key(TODAY), document_ids=f"[{mine}]"
    )
    db.add(stuck)
    db.commit()
    assert background.execute(job.id or 0, "task_digest", tasks.digest_job) == 1
    assert _mails(smtp_server, ANOUK) == [] and len(_mails(smtp_server, "colleague@")) == 1
    assert _rows(db) == {world.adviser.user_id: "unconfirmed", world.colleague.user_id: "sent"}
    (event,) = audit_of(db, "tasks.mail_unconfirmed")
    assert json.loads(event.detail) == {"users": [world.adviser.user_id]} and event.object_id == str(job.id)
    # Another run of the day leaves the unconfirmed mail alone too.
    second = _second_run(db, TODAY)
    assert background.execute(second.id or 0, "task_digest", tasks.digest_job) == 0
    assert _mails(smtp_server, ANOUK) == [] and len(audit_of(db, "tasks.mail_unconfirmed")) == 1


def test_the_run_reports_its_progress(db: Session, world: World, smtp_server: SmtpCapture) -> None:
    for n, who in enumerate((world.adviser, world.colleague)):
        _task(db, world, f"Vandaag {n}", "2026-11-01", assignee=who.user_id)
    job = tasks.queue_digest(db, TODAY)
    db.commit()
    assert job is not None
    seen: list[tuple[int, int]] = []

    def look(_msg: EmailMessage) -> None:  # as each mail arrives at the server: the run's figures then
        with Session(db.get_bind()) as other:
            row = other.get(JobRun, job.id)
            assert row is not None
            seen.append((row.done, row.total))

    smtp_server.on_data = look
    assert background.execute(job.id or 0, "task_digest", tasks.digest_job) == 2
    assert seen == [(0, 2), (1, 2)]
    db.expire_all()
    row = db.get(JobRun, job.id)
    assert row is not None and (row.status, row.done, row.total) == ("done", 2, 2)


# ----------------------------------------------------------------------------------- who gets a mail
def test_only_active_advisers_of_the_tasks_own_office_are_mailed(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    mine = _task(db, world, "Vandaag", "2026-11-01")
    moved = _task(db, world, "Verhuisd", "2026-11-01")
    colleagues = _task(db, world, "Collega", "2026-11-01", assignee=world.colleague.user_id)
    # The task of this office ends up assigned to another office's adviser (an account that moved, or bad data).
    task = db.get(Task, moved)
    assert task is not None
    task.assignee_id = world.other.user_id
    db.add(task)
    assert world.other.office_id is not None and world.other.office_id != world.office_id
    theirs = Task(
        office_id=world.other.office_id,
        kind="general",
        title="Zuid",
        employer_id=world.other_employer_id,
        assignee_id=world.other.user_id,
        due_date=TODAY,
    )
    db.add(theirs)
    colleague = db.get(UserAccount, world.colleague.user_id)
    assert colleague is not None
    colleague.status = "disabled"  # no longer active: no mail
    db.add(colleague)
    db.commit()
    assert _send(db, TODAY) == 2
    [other] = _mails(smtp_server, "other.adviser@")
    body = body_of(other)
    assert f"task={theirs.id}" in body and "Zuidkade Bouw" in body
    assert f"task={moved}" not in body and "Noordkade" not in body  # nothing of the first office
    [own] = _mails(smtp_server, ANOUK)
    assert f"task={mine}" in body_of(own) and f"task={moved}" not in body_of(own)
    assert _mails(smtp_server, "colleague@") == [] and f"task={colleagues}" not in str(smtp_server.messages)
    assert len(smtp_server.messages) == 2


def test_a_task_about_an_employer_that_left_the_portfolio_is_mailed_to_nobody(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    kept = _task(db, world, "Blijft", "2026-11-01")
    other_employer = db.get(Employer, world.other_employer_id)
    assert other_employer is not None and other_employer.office_id != world.office_id
    left = Task(office_id=world.office_id, kind="general", title="Vertrokken", employer_id=world.other_employer_id,
                assignee_id=world.adviser.user_id, due_date=TODAY)  # fmt: skip
    db.add(left)
    db.commit()
    assert _send(db, TODAY) == 1
    [own] = _mails(smtp_server, ANOUK)
    assert f"task={kept}" in body_of(own) and f"task={left.id}" not in body_of(own)


def test_a_task_about_a_participant_names_neither_the_participant_nor_the_bsn(
    db: Session, world: World, smtp_server: SmtpCapture
) -> None:
    person = db.get(Person, world.part.person_id)
    assert person is not None and person.bsn and person.last_name
    title = f"{person.first_name} {person.last_name} ({person.bsn}) bellen"  # an adviser typed it so
    task = _task(db, world, title, "2026-11-01", participation_id=world.part.id)
    assert _send(db, TODAY) == 1
    [mail] = _mails(smtp_server, ANOUK)
    body = body_of(mail) + str(mail["Subject"])
    assert f"task={task}" in body
    for personal in (person.bsn, person.last_name, person.first_name, world.part.participant_number):
        assert personal not in body
