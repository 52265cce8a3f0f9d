"""The advisers' daily task mail (INT-3 reminders): one mail per adviser per day with deep links and no
personal data, only tasks due or to follow up that day, never twice for one day, switchable off per user."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import Session, select

from portal.core.config import get_settings
from portal.models import AuditEvent, JobRun, SentMail, UserAccount
from portal.services import background, tasks
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from tests.services.task_world import TODAY, World, world_fixture  # noqa: F401
from tests.smtp import SmtpCapture, body_of

ANOUK = "anouk.vanleeuwen@"


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
