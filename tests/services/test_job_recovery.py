"""Recoverable, exactly-once background work (PLT-3) with real parts: ``portal worker`` processes killed with
SIGKILL in the middle of a statement run and of a mail run, the real database, the real SMTP server
(aiosmtpd). After a restart (the consumer's start-up queues the lost run again) every statement exists once
with one file, and every user got one mail. Also the resume itself, step by step, without a kill."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.config import get_settings
from portal.core.mail import read_mailbox
from portal.jobs.queue import get_huey
from portal.models import Document, JobRun, Participation, RoleGrant, Scheme, SentMail, UserAccount
from portal.services import background, files
from portal.services.documents import library, statement_runs
from portal.services.documents.statement_runs import chunk_size
from portal.services.principal import Principal
from tests.services.employer_fixtures import demo_employer, principal_of, schemes_of
from tests.services.workers import gone_pid, kill, owner, start_worker, stop, wait_until, worker_env
from tests.smtp import SmtpCapture

TODAY = date(2026, 11, 1)
TODAY_YEAR = 2026
JAN1 = date(TODAY_YEAR, 1, 1)
STATEMENT = "benefit_statement"
FINANCE_MAIL = "frank.bakker@noordkade-logistiek.example"


@dataclass
class Demo:
    db: Session
    employer_id: int
    op: Scheme
    hr: Principal
    files_before: set[str]  # the stored files when the test started (the demo's, and under pytest-xdist
    # those of the other backend's demo data too: the folder is per worker process)


@pytest.fixture
def demo(db: Session, demo_data: None) -> Iterator[Demo]:
    get_huey().flush()
    for old in get_settings().mailbox.glob("*.eml"):  # the mailbox folder is shared by this worker's tests
        old.unlink()
    employer = demo_employer(db)
    op = schemes_of(db, employer.id)["OP"]
    yield Demo(db, employer.id or 0, op, principal_of(db, "employer.hr"), on_disk())
    get_huey().flush()


def the_run(d: Demo, kind: str) -> JobRun:
    d.db.expire_all()
    return d.db.exec(select(JobRun).where(JobRun.kind == kind).order_by(col(JobRun.id))).first()  # type: ignore[return-value]


def statements(d: Demo) -> list[Document]:
    d.db.expire_all()
    query = select(Document).where(Document.kind == STATEMENT, Document.scheme_id == d.op.id)
    return list(d.db.exec(query.where(Document.period == str(TODAY_YEAR))).all())


def on_disk() -> set[str]:
    return {p.name for p in files.folder("documents").iterdir()}


def assert_one_statement_and_one_file_each(d: Demo, expected: int) -> None:
    made = statements(d)
    per_participation = Counter(doc.participation_id for doc in made)
    assert len(made) == expected and set(per_participation.values()) == {1}
    held = set(d.db.exec(select(Document.stored_name)).all())
    assert {doc.stored_name for doc in made} <= on_disk()  # every statement has its file
    assert on_disk() - d.files_before == held - d.files_before  # and no file written since is left without one


def in_flight(d: Demo, done_at_least: int) -> list[str]:
    """The files the statement run wrote for its current chunk and has not recorded yet (none while it is
    rendering, or before ``done_at_least`` statements are in)."""
    run = the_run(d, "generate_statements")
    names = json.loads(run.checkpoint).get("files", []) if run.done >= done_at_least else []
    folder = files.folder("documents")
    if not names or not all((folder / name).exists() for name in names):
        return []
    held = set(d.db.exec(select(Document.stored_name).where(col(Document.stored_name).in_(names))).all())
    return [] if held else names


def active_on_jan1(d: Demo) -> int:
    """Independent count: participations started by 1 January and active that day (status rule of MUT-2)."""
    d.db.expire_all()
    rows = d.db.exec(select(Participation).where(Participation.scheme_id == d.op.id, Participation.start_date <= JAN1))
    return sum(1 for p in rows if p.status == "active" or (p.end_date is not None and p.end_date >= JAN1))


# ---------------------------------------------------------------------------------------- statements
def test_a_resumed_statement_run_removes_the_lost_attempts_files_and_carries_on_after_its_checkpoint(
    demo: Demo,
) -> None:
    first = statement_runs.run_statements(demo.op.id, TODAY_YEAR, demo.hr.user_id, today=TODAY)
    before = {doc.participation_id: doc.stored_name for doc in statements(demo)}
    ids = sorted(before)
    cursor = ids[len(ids) // 3]
    # What a worker killed in the middle of its fifth chunk leaves: its checkpoint after the fourth chunk,
    # and the files of the fifth written but not recorded (plus one that a statement does hold).
    orphans = [files.new_stored_name("pdf") for _ in range(3)]
    for name in orphans:
        (files.folder("documents") / name).write_bytes(b"%PDF-1.4 half")
    kept = before[ids[0]]
    point = {"cursor": cursor, "figures": {"made": 111, "skipped": 0}, "files": [*orphans, kept]}
    args = {"scheme_id": demo.op.id, "year": TODAY_YEAR, "user_id": demo.hr.user_id}
    lost = JobRun(
        kind="generate_statements",
        status="running",
        subject=f"statements:{demo.op.id}:{TODAY_YEAR}",
        args=json.dumps(args),
        employer_id=demo.employer_id,
        owner=owner(gone_pid()),
        heartbeat_at=clock.now(),
        attempts=1,
        checkpoint=json.dumps(point),
    )
    demo.db.add(lost)
    demo.db.commit()
    notified_before = {r.id for r in demo.db.exec(select(JobRun).where(JobRun.kind == "notify_documents")).all()}
    assert (lost.id, "generate_statements") in background.due()  # the consumer's start queues it again
    result = background.execute(lost.id or 0, "generate_statements", statement_runs.statements_job)
    assert result is not None
    after = {doc.participation_id: doc.stored_name for doc in statements(demo)}
    assert {p: after[p] for p in ids if p <= cursor} == {p: before[p] for p in ids if p <= cursor}  # not redone
    assert all(after[p] != before[p] for p in ids if p > cursor)  # made by the resumed attempt
    remade = sum(1 for p in ids if p > cursor)
    assert result.made == 111 + remade and first.made == len(ids)
    assert_one_statement_and_one_file_each(demo, len(ids))
    assert (files.folder("documents") / kept).exists()
    done = demo.db.get(JobRun, lost.id)
    assert done is not None and (done.status, done.attempts, done.done, done.total) == ("done", 2, len(ids), len(ids))
    # Every statement of the resumed attempt, and only those, has its notification job.
    new_runs = demo.db.exec(select(JobRun).where(JobRun.kind == "notify_documents")).all()
    notified = [i for r in new_runs if r.id not in notified_before for i in json.loads(r.args)["document_ids"]]
    made_now = {doc.id for doc in statements(demo) if doc.participation_id > cursor}
    assert sorted(notified) == sorted(made_now)


def test_a_worker_killed_in_a_statement_run_leaves_every_statement_made_once_after_a_restart(demo: Demo) -> None:
    total = statement_runs.request_statements(demo.db, demo.hr, demo.op.id, TODAY_YEAR, today=TODAY)
    demo.db.commit()
    run_id = the_run(demo, "generate_statements").id
    size = chunk_size(total)
    worker = start_worker(worker_env(PORTAL_FAULT_JOB_DELAY="0.02"))  # 20 ms a statement: a chunk ≈ 1 s
    try:  # kill it once two chunks are in and the third one's files are written but not yet recorded
        wait_until(lambda: len(in_flight(demo, 2 * size)) > 0, 120, "a third chunk on disk")
    finally:
        kill(worker)
    killed = the_run(demo, "generate_statements")
    assert (killed.status, killed.attempts) == ("running", 1)
    assert 2 * size <= len(statements(demo)) < total  # some chunks are in, the rest is not
    assert in_flight(demo, 2 * size)  # files without a statement, which the restarted worker must remove
    restarted = start_worker(worker_env())
    try:
        wait_until(lambda: the_run(demo, "generate_statements").status == "done", 180, "the resumed run", 0.2)
        wait_until(
            lambda: all(r.status == "done" for r in demo.db.exec(select(JobRun)).all()), 60, "the mail jobs", 0.2
        )
    finally:
        stop(restarted)
    done = demo.db.get(JobRun, run_id)
    assert done is not None and (done.status, done.attempts, done.done, done.total) == ("done", 2, total, total)
    assert done.started_by == demo.hr.user_id
    assert_one_statement_and_one_file_each(demo, active_on_jan1(demo))
    employee = demo.db.exec(select(UserAccount).where(UserAccount.username == "employee")).one()
    mails = [m for m in read_mailbox() if employee.email in str(m["To"])]
    assert len(mails) == 1  # one notification for the employee's one statement


# --------------------------------------------------------------------------------------------- mails
def _finance_users(d: Demo, count: int) -> list[str]:
    """``count`` more active finance users of the demo employer (each gets the invoice mail)."""
    addresses = []
    for n in range(count):
        user = UserAccount(username=f"finance.{n}", email=f"finance.{n}@noordkade-logistiek.example", status="active")
        d.db.add(user)
        d.db.flush()
        d.db.add(RoleGrant(user_id=user.id or 0, role="finance", employer_id=d.employer_id))
        addresses.append(user.email)
    d.db.commit()
    return addresses


def test_a_worker_killed_in_a_mail_run_mails_everyone_exactly_once_after_a_restart(
    demo: Demo, smtp_server: SmtpCapture
) -> None:
    addresses = [*_finance_users(demo, 8), "hanna.devries@noordkade-logistiek.example", FINANCE_MAIL]
    library.add_document(
        demo.db, demo.employer_id, demo.op.id, "financial", "invoice", "Factuur december", "2026-12", b"%PDF-1.4 x"
    )
    demo.db.commit()
    run_id = the_run(demo, "notify_documents").id
    worker = start_worker(worker_env(PORTAL_SMTP_URL=smtp_server.url, PORTAL_FAULT_JOB_DELAY="0.5"))
    try:  # kill it right after its third mail arrived (it pauses half a second after each)
        wait_until(lambda: len(smtp_server.messages) >= 3, 60, "three mails", 0.01)
    finally:
        kill(worker)
    sent_before_kill = len(smtp_server.messages)
    assert 3 <= sent_before_kill < len(addresses)
    assert the_run(demo, "notify_documents").status == "running"
    restarted = start_worker(worker_env(PORTAL_SMTP_URL=smtp_server.url))
    try:
        wait_until(lambda: the_run(demo, "notify_documents").status == "done", 60, "the resumed mail run", 0.1)
    finally:
        stop(restarted)
    received = Counter(to for to in addresses for _ in smtp_server.messages_to(to))
    assert received == Counter(addresses)  # everyone once, nobody twice
    assert len(smtp_server.messages) == len(addresses)
    done = demo.db.get(JobRun, run_id)
    assert done is not None and (done.status, done.attempts) == ("done", 2)
    rows = demo.db.exec(select(SentMail).where(SentMail.job_id == run_id)).all()
    assert len(rows) == len(addresses) and {r.status for r in rows} <= {"sent", "unconfirmed"}
    assert sum(r.status == "unconfirmed" for r in rows) <= 1  # only if the kill hit the one uncertain moment


def test_a_statement_run_of_several_chunks_queues_one_notification_job_for_all_its_statements(demo: Demo) -> None:
    """One mail per employee per run (DOC-4), also for someone whose participations fall in different chunks:
    the run's last transaction queues one notification job for every statement the run made."""
    before = {r.id for r in demo.db.exec(select(JobRun).where(JobRun.kind == "notify_documents")).all()}
    result = statement_runs.run_statements(demo.op.id or 0, TODAY_YEAR, demo.hr.user_id, today=TODAY)
    assert result.made > chunk_size(result.made + result.skipped)  # more than one chunk
    demo.db.expire_all()
    new = [r for r in demo.db.exec(select(JobRun).where(JobRun.kind == "notify_documents")).all() if r.id not in before]
    assert len(new) == 1
    assert sorted(json.loads(new[0].args)["document_ids"]) == sorted(doc.id for doc in statements(demo))
