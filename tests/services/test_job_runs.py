"""Job runs (PLT-3): every piece of background work is one ``JobRun`` row — who started it, what it works on,
its status, attempts and progress; a run is claimed by one live attempt at a time; the periodic check queues
again only runs that are stale or whose worker is gone; progress is read through the service, within scope;
notification mails are recorded per (job, user) so that a retry never mails anyone twice."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from portal.core import clock
from portal.core.config import get_settings
from portal.jobs import tasks
from portal.jobs.queue import get_huey
from portal.models import JobRun, Scheme, SentMail
from portal.services import background
from portal.services.documents import library, notifications, statement_runs
from portal.services.principal import NoAccess, Principal
from tests.harness import free_port
from tests.services.employer_fixtures import audit_of, demo_employer, foreign_tenant, principal_of, schemes_of
from tests.services.workers import gone_pid, owner
from tests.smtp import SmtpCapture

TODAY = date(2026, 11, 1)
YEAR = 2026
HR_MAIL = "hanna.devries@noordkade-logistiek.example"
FINANCE_MAIL = "frank.bakker@noordkade-logistiek.example"


@dataclass
class Demo:
    db: Session
    employer_id: int
    op: Scheme
    hr: Principal
    finance: Principal


@pytest.fixture
def demo(db: Session, demo_data: None) -> Iterator[Demo]:
    get_huey().flush()
    employer = demo_employer(db)
    op = schemes_of(db, employer.id)["OP"]
    yield Demo(db, employer.id or 0, op, principal_of(db, "employer.hr"), principal_of(db, "employer.finance"))
    get_huey().flush()


def job(d: Demo, **fields: object) -> JobRun:
    """A job-run row as a worker would have left it."""
    values: dict[str, object] = {"kind": "build_export", "subject": "export:1", "employer_id": d.employer_id}
    values.update(fields)
    row = JobRun(**values)
    d.db.add(row)
    d.db.commit()
    return row


def reread(d: Demo, job_id: int | None) -> JobRun:
    d.db.expire_all()
    row = d.db.get(JobRun, job_id)
    assert row is not None
    return row


# ------------------------------------------------------------------------------------- the run's record
def test_a_request_writes_a_queued_run_naming_who_and_what_and_queues_it_after_commit(demo: Demo) -> None:
    huey = get_huey()
    before = huey.pending_count()
    total = statement_runs.request_statements(demo.db, demo.hr, demo.op.id, YEAR, today=TODAY)
    assert huey.pending_count() == before  # the run exists only with the committed request
    demo.db.commit()
    assert huey.pending_count() == before + 1
    (run,) = demo.db.exec(select(JobRun).where(JobRun.kind == "generate_statements")).all()
    assert (run.status, run.subject, run.employer_id, run.started_by) == (
        "queued",
        f"statements:{demo.op.id}:{YEAR}",
        demo.employer_id,
        demo.hr.user_id,
    )
    assert json.loads(run.args) == {"scheme_id": demo.op.id, "year": YEAR, "user_id": demo.hr.user_id}
    assert (run.done, run.total, run.attempts, run.started_at, run.finished_at) == (0, total, 0, None, None)
    # A request that rolls back leaves no run and queues nothing.
    statement_runs.request_statements(demo.db, demo.hr, demo.op.id, YEAR - 1, today=TODAY)
    demo.db.rollback()
    assert huey.pending_count() == before + 1
    assert len(demo.db.exec(select(JobRun)).all()) == 1


def test_a_run_is_done_once_with_its_attempts_progress_and_end_recorded(demo: Demo) -> None:
    statement_runs.request_statements(demo.db, demo.hr, demo.op.id, YEAR, today=TODAY)
    demo.db.commit()
    run = demo.db.exec(select(JobRun)).one()
    result = background.execute(run.id or 0, "generate_statements", statement_runs.statements_job)
    assert result is not None and result.made > 250
    done = reread(demo, run.id)
    assert (done.status, done.attempts, done.done, done.total, done.error) == ("done", 1, done.total, done.total, "")
    assert done.started_at <= done.heartbeat_at <= done.finished_at  # type: ignore[operator]
    assert background.execute(run.id or 0, "generate_statements", statement_runs.statements_job) is None
    assert reread(demo, run.id).attempts == 1  # a second message for a finished run does nothing
    seen = background.job_progress(demo.db, demo.hr, run.id)
    assert (seen.status, seen.percent, seen.started_by) == ("done", 100, demo.hr.user_id)
    assert seen.figures == {"made": result.made, "skipped": result.skipped}
    status = statement_runs.run_status(demo.db, demo.hr, demo.op.id, YEAR)
    assert (status.state, status.made, status.done) == ("done", result.made, done.total)
    # A task of another kind with this run's id does nothing (a message from before the upgrade).
    assert background.execute(run.id or 0, "build_export", lambda _run: 1) is None


def test_a_failing_run_is_queued_again_while_huey_retries_and_failed_after_the_last_try(demo: Demo) -> None:
    row = job(demo)

    def broken(_run: background.Run) -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        background.execute(row.id or 0, "build_export", broken, retries_left=1)
    again = reread(demo, row.id)
    assert (again.status, again.attempts, again.error, again.finished_at) == (
        "queued",
        1,
        "RuntimeError: disk full",
        None,
    )
    with pytest.raises(RuntimeError):
        background.execute(row.id or 0, "build_export", broken, retries_left=0)
    failed = reread(demo, row.id)
    assert (failed.status, failed.attempts) == ("failed", 2) and failed.finished_at is not None
    assert background.job_progress(demo.db, demo.hr, row.id).status == "failed"
    assert background.due() == []  # a failed run is not queued again


def test_a_running_run_is_taken_over_only_when_its_holder_is_gone(demo: Demo) -> None:
    now = clock.now()
    live = job(demo, status="running", owner=owner(os.getppid()), heartbeat_at=now, attempts=1)
    dead = job(demo, status="running", owner=owner(gone_pid()), heartbeat_at=now, attempts=1)
    elsewhere = job(demo, status="running", owner=owner(1, "other-host#1"), heartbeat_at=now, attempts=1)
    silent = job(
        demo, status="running", owner=owner(1, "other-host#1"), heartbeat_at=now - timedelta(minutes=6), attempts=1
    )
    assert background.claim(live.id or 0, "build_export") is None  # a live process on this machine holds it
    assert background.claim(elsewhere.id or 0, "build_export") is None  # another machine, still beating
    for row in (dead, silent):
        run = background.claim(row.id or 0, "build_export")
        assert run is not None and run.attempts == 2
        assert background.claim(row.id or 0, "build_export") is None  # this process holds it now
        assert background.finish(run, "done")
        assert reread(demo, row.id).status == "done"


def test_an_attempt_that_was_taken_over_records_nothing_more(demo: Demo) -> None:
    row = job(demo)
    run = background.claim(row.id or 0, "build_export")
    assert run is not None
    taken = reread(demo, row.id)
    taken.owner = owner(gone_pid())  # another attempt took it over meanwhile
    demo.db.add(taken)
    demo.db.commit()
    with Session(demo.db.get_bind()) as other, pytest.raises(background.LostClaim):
        run.save(other, done=5, cursor=9)
    run.report(7, 10)
    assert background.finish(run, "done") is False
    after = reread(demo, row.id)
    assert (after.status, after.done, after.checkpoint) == ("running", 0, "{}")


def test_the_periodic_check_queues_again_only_stale_runs(demo: Demo) -> None:
    now = clock.now()
    old = now - timedelta(minutes=10)
    fresh_queued = job(demo)
    old_queued = job(demo, created_at=old)
    retried_lately = job(demo, created_at=old, heartbeat_at=now, attempts=1)  # huey retries it in a moment
    live = job(demo, status="running", owner=owner(os.getppid()), heartbeat_at=now, attempts=1)
    dead = job(demo, status="running", owner=owner(gone_pid()), heartbeat_at=now, attempts=1)
    silent = job(demo, status="running", owner=owner(1, "other-host#1"), heartbeat_at=old, attempts=1)
    job(demo, status="done", created_at=old)
    job(demo, status="failed", created_at=old)
    stale = [(r.id, "build_export") for r in (old_queued, dead, silent)]
    assert background.due(stale_minutes=5) == stale
    huey = get_huey()
    before = huey.pending_count()
    assert tasks.recover(stale_minutes=5) == 3
    assert huey.pending_count() == before + 3
    # At a consumer's start every queued run goes on the queue again (its message may be gone with the worker).
    started = [(r.id, "build_export") for r in (fresh_queued, old_queued, retried_lately, dead, silent)]
    assert background.due() == sorted(started)
    assert live.id not in {job_id for job_id, _ in background.due()}


def test_the_apply_progress_is_read_from_the_queue_storage_while_its_transaction_runs(demo: Demo) -> None:
    row = job(demo, kind="apply_batch", subject="batch:7")
    run = background.claim(row.id or 0, "apply_batch")
    assert run is not None
    run.report_volatile(30, 120)
    demo.db.expire_all()
    seen = background.latest(demo.db, demo.hr, "apply_batch", "batch:7")
    assert seen is not None and (seen.status, seen.done, seen.total, seen.percent) == ("running", 30, 120, 25)
    assert background.done_and_total(demo.db, demo.hr, "apply_batch", "batch:7") == (30, 120)
    background.finish(run, "done")
    assert background.done_and_total(demo.db, demo.hr, "apply_batch", "batch:7") is None
    demo.db.expire_all()
    assert background.latest(demo.db, demo.hr, "apply_batch", "batch:7").percent == 100  # type: ignore[union-attr]


def test_progress_of_another_employers_run_or_kind_of_work_is_no_access(demo: Demo) -> None:
    _employer, scheme, foreign = foreign_tenant(demo.db)
    mine = job(demo, kind="generate_statements", subject=f"statements:{demo.op.id}:{YEAR}")
    theirs = job(demo, kind="generate_statements", subject=f"statements:{scheme.id}:{YEAR}", employer_id=_employer.id)
    assert background.job_progress(demo.db, demo.hr, mine.id).status == "queued"
    assert background.job_progress(demo.db, foreign, theirs.id).status == "queued"
    for principal, job_id, reason in (
        (foreign, mine.id, "out_of_scope"),
        (demo.hr, theirs.id, "out_of_scope"),
        (demo.finance, mine.id, "missing_role"),  # finance may not make statements, so not follow them either
        (None, mine.id, "not_signed_in"),
        (demo.hr, 10**9, "not_found"),
        (demo.hr, "1; drop table job_run", "bad_id"),
        (replace(demo.hr, employer_ids=frozenset()), mine.id, "out_of_scope"),
    ):
        with pytest.raises(NoAccess) as refused:
            background.job_progress(demo.db, principal, job_id)
        assert refused.value.reason == reason
    with pytest.raises(NoAccess):
        background.latest(demo.db, foreign, "generate_statements", f"statements:{demo.op.id}:{YEAR}")
    with pytest.raises(NoAccess):
        background.latest(demo.db, demo.hr, "no_such_kind", "x")
    with pytest.raises(NoAccess):
        statement_runs.run_status(demo.db, foreign, demo.op.id, YEAR)


# ------------------------------------------------------------------------------------------ mails once
def _new_document(d: Demo) -> int:
    doc = library.add_document(
        d.db, d.employer_id, d.op.id, "financial", "invoice", "Premiefactuur december 2026", "2026-12", b"%PDF-1.4 x"
    )
    d.db.commit()
    return doc.id or 0


def _notification_run(d: Demo, doc_id: int) -> JobRun:
    run = d.db.exec(select(JobRun).where(JobRun.kind == "notify_documents")).one()
    assert json.loads(run.args) == {"document_ids": [doc_id]} and run.employer_id == d.employer_id
    return run


def _mails(d: Demo, job_id: int | None) -> dict[int, str]:
    d.db.expire_all()
    rows = d.db.exec(select(SentMail).where(SentMail.job_id == job_id)).all()
    return {r.user_id: r.status for r in rows}


def test_a_retried_mail_job_never_mails_anyone_twice(demo: Demo, smtp_server: SmtpCapture) -> None:
    doc_id = _new_document(demo)
    run = _notification_run(demo, doc_id)
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 2
    assert len(smtp_server.messages_to(HR_MAIL)) == len(smtp_server.messages_to(FINANCE_MAIL)) == 1
    assert sorted(_mails(demo, run.id).values()) == ["sent", "sent"]
    message_ids = {str(m["Message-ID"]) for m in smtp_server.messages}
    assert message_ids == {f"<notify.job{run.id}.user{u}@portal.example>" for u in _mails(demo, run.id)}
    # The same run once more (huey's retry, or the run queued again after a kill): nobody gets a second mail.
    again = reread(demo, run.id)
    again.status = "queued"
    demo.db.add(again)
    demo.db.commit()
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 0
    assert len(smtp_server.messages) == 2 and reread(demo, run.id).attempts == 2


def test_a_mail_a_lost_attempt_was_handing_over_is_not_sent_again_and_is_audited(
    demo: Demo, smtp_server: SmtpCapture
) -> None:
    doc_id = _new_document(demo)
    run = _notification_run(demo, doc_id)
    # The lost attempt recorded "sending" for employer.hr and died before it recorded the server's answer.
    demo.db.add(SentMail(job_id=run.id or 0, user_id=demo.hr.user_id, document_ids=f"[{doc_id}]"))
    demo.db.commit()
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 1
    assert smtp_server.messages_to(HR_MAIL) == [] and len(smtp_server.messages_to(FINANCE_MAIL)) == 1
    assert _mails(demo, run.id) == {demo.hr.user_id: "unconfirmed", demo.finance.user_id: "sent"}
    (event,) = audit_of(demo.db, "documents.mail_unconfirmed")
    assert json.loads(event.detail) == {"users": [demo.hr.user_id]} and event.object_id == str(run.id)


def test_an_unreachable_mail_server_leaves_the_mails_for_the_retry(demo: Demo, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_id = _new_document(demo)
    run = _notification_run(demo, doc_id)
    closed = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", closed)) != 0  # nothing listens there
    try:
        monkeypatch.setenv("PORTAL_SMTP_URL", f"smtp://127.0.0.1:{closed}")
        get_settings.cache_clear()
        with pytest.raises(notifications.MailsNotSent):
            background.execute(run.id or 0, "notify_documents", notifications.notification_job, retries_left=1)
        assert (reread(demo, run.id).status, _mails(demo, run.id)) == ("queued", {})
        with SmtpCapture() as server:  # the server is back when huey tries again
            monkeypatch.setenv("PORTAL_SMTP_URL", server.url)
            get_settings.cache_clear()
            assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 2
            assert len(server.messages) == 2
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert reread(demo, run.id).status == "done" and sorted(_mails(demo, run.id).values()) == ["sent", "sent"]


def test_a_refused_address_is_recorded_and_the_other_users_still_get_their_mail(
    demo: Demo, smtp_server: SmtpCapture
) -> None:
    doc_id = _new_document(demo)
    run = _notification_run(demo, doc_id)
    smtp_server.refused = {HR_MAIL}
    # Not left for huey's retries: the run ends done, the refusal on record, the other user mailed.
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job, retries_left=1) == 1
    assert smtp_server.messages_to(HR_MAIL) == [] and len(smtp_server.messages_to(FINANCE_MAIL)) == 1
    assert _mails(demo, run.id) == {demo.hr.user_id: "failed", demo.finance.user_id: "sent"}
    done = reread(demo, run.id)
    assert (done.status, done.attempts, done.done, done.total) == ("done", 1, 2, 2)
    # Queued again (recovered): the refused address is not tried again.
    smtp_server.refused = set()
    done.status = "queued"
    demo.db.add(done)
    demo.db.commit()
    assert background.execute(run.id or 0, "notify_documents", notifications.notification_job) == 0
    assert smtp_server.messages_to(HR_MAIL) == []
