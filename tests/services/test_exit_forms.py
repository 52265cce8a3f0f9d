"""The exit form (DOC-5) after the exit, on SQLite and PostgreSQL: the exit's own transaction only records the form
(prepared, its values, no PDF) and one ``exit_forms`` job run; the job renders, stores and sends it (waiting for
the employee, audited with the PDF's SHA-256) and mails the employee, exactly once however often it is tried;
before that the form cannot be opened, filled in, signed or sent and the employee does not see it. One run per
transaction at most, and none while a queued run not attempted yet will take the form anyway."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, select

from portal.core import clock, signing
from portal.core.config import get_settings
from portal.core.db import session_scope
from portal.jobs.queue import get_huey
from portal.models import Form, JobRun, Participation, SentMail
from portal.services import background, files, forms, mutations
from portal.services.errors import FieldError
from portal.services.forms import exits
from portal.services.principal import NoAccess
from tests.harness import free_port
from tests.services.employer_fixtures import audit_of
from tests.services.test_forms import T0, World
from tests.services.test_forms import w as w  # the fixture
from tests.smtp import SmtpCapture, body_of

EXIT_DAY = "2026-10-31"


@pytest.fixture(autouse=True)
def _empty_queue():
    get_huey().flush()  # the runs these tests queue are executed here, not by a consumer of a later test
    yield
    get_huey().flush()


def _runs(db: Session, kind: str = forms.EXIT_JOB) -> list[JobRun]:
    db.expire_all()
    return list(db.exec(select(JobRun).where(JobRun.kind == kind).order_by(col(JobRun.id))).all())


def _exit(db: Session, w: World, part, commit: bool = True) -> int:
    """Submit the exit of ``part`` (its version as now stored); the mutation id."""
    db.refresh(part)
    with clock.frozen(T0):
        m = mutations.submit_exit(db, w.hr, part.id, EXIT_DAY, part.version, today=T0.date())
        if commit:
            db.commit()
    return m.id or 0


def _active(w: World, n: int) -> list[Participation]:
    """``n`` participations of other active participants in the demo employee's scheme (one per person)."""
    rows = w.db.exec(
        select(Participation)
        .where(
            Participation.scheme_id == w.part.scheme_id,
            Participation.person_id != w.part.person_id,
            Participation.status == "active",
            col(Participation.end_date).is_(None),
        )
        .order_by(col(Participation.id))
    ).all()
    persons: dict[int, Participation] = {}
    for row in rows:
        persons.setdefault(row.person_id, row)
    assert len(persons) >= n
    return list(persons.values())[:n]


def _form_of(db: Session, mutation_id: int) -> Form:
    db.expire_all()
    return db.exec(select(Form).where(Form.source_key == forms.exit_source(mutation_id))).one()


def _pdfs() -> set[str]:
    return {p.name for p in files.folder("documents").iterdir()}


def _execute(run_id: int, retries_left: int = 0) -> int | None:
    with clock.frozen(T0 + timedelta(minutes=1)):
        return background.execute(run_id, forms.EXIT_JOB, forms.exit_job, retries_left)


def _counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the job's renders (the real renderer still does the work)."""
    seen: list[int] = []
    real: Callable = exits.render_pdf

    def render(kind, values, header, language):
        seen.append(header.form_id)
        return real(kind, values, header, language)

    monkeypatch.setattr(exits, "render_pdf", render)
    return seen


# ---------------------------------------------------------------------------------------------- after the commit
def test_the_exit_records_the_form_and_the_job_renders_sends_and_mails_it(w: World, smtp_server: SmtpCapture) -> None:
    before = _pdfs()
    mid = _exit(w.db, w, w.part)
    form = _form_of(w.db, mid)
    assert (form.kind, form.status, form.stored_name, form.prepared_sha256) == ("exit", "prepared", "", "")
    assert json.loads(form.field_values) == {"exit_date": EXIT_DAY} and form.sent_at is None
    assert form.expires_at is None and form.created_by == w.hr.user_id
    assert _pdfs() == before  # nothing rendered or written in the exit's transaction
    assert audit_of(w.db, "form.prepared") == [] and audit_of(w.db, "form.sent") == []
    [run] = _runs(w.db)
    assert (run.status, run.total, run.employer_id) == ("queued", 1, None)
    assert _runs(w.db, "notify_forms") == [] and smtp_server.messages == []

    assert _execute(run.id or 0) == 1
    form = _form_of(w.db, mid)
    sent_at = T0 + timedelta(minutes=1)
    assert (form.status, form.sent_at, form.expires_at) == (
        "waiting_for_employee",
        sent_at,
        sent_at + timedelta(days=30),
    )
    pdf = files.stored_path("documents", form.stored_name).read_bytes()
    assert pdf.startswith(b"%PDF") and signing.sha256(pdf) == form.prepared_sha256
    for action, status in (("form.prepared", "prepared"), ("form.sent", "waiting_for_employee")):
        [event] = audit_of(w.db, action)
        detail = json.loads(event.detail)
        assert (event.object_id, event.actor_user_id) == (str(form.id), w.hr.user_id)
        assert (detail["sha256"], detail["status"], detail["source"]) == (
            form.prepared_sha256,
            status,
            f"mutation:{mid}",
        )
    assert smtp_server.messages and all(f"/employee/forms/{form.id}" in body_of(m) for m in smtp_server.messages)
    run = _runs(w.db)[0]
    assert run.status == "done" and json.loads(run.checkpoint)["form_ids"] == [form.id]
    assert [r.id for r in forms.my_forms(w.db, w.employee)] == [form.id]


def test_before_the_job_ran_the_form_cannot_be_opened_filled_signed_or_sent(w: World) -> None:
    mid = _exit(w.db, w, w.part)
    form = _form_of(w.db, mid)
    assert forms.my_forms(w.db, w.employee) == []  # the employee sees it once it is sent
    with pytest.raises(FieldError) as opened:
        forms.pdf_of(w.db, w.employee, form.id)
    assert opened.value.key == "forms.not_ready"
    with pytest.raises(FieldError) as filled:
        forms.fill(w.db, w.employee, form.id, {"option": "value_transfer"})
    assert filled.value.key == "forms.not_ready"
    with w.later(), pytest.raises(FieldError) as signed:
        forms.sign(w.db, w.employee, form.id, w.code(), "0" * 64)
    assert signed.value.key == "forms.not_ready"
    with pytest.raises(FieldError) as sent:
        forms.send(w.db, w.hr, form.id)
    assert sent.value.key == "forms.not_ready"
    with pytest.raises(NoAccess):  # no file to serve through a link either
        forms.flow._served(w.db, w.employee, form.id)
    assert [json.loads(e.detail)["reason"] for e in audit_of(w.db, "form.sign_refused")] == ["forms.not_ready"]
    assert [json.loads(e.detail)["reason"] for e in audit_of(w.db, "form.send_refused")] == ["forms.not_ready"]
    form = _form_of(w.db, mid)
    assert (form.status, form.stored_name, form.signed_sha256) == ("prepared", "", "")
    assert _runs(w.db, "notify_forms") == []


def test_a_form_declined_before_the_job_ran_is_neither_rendered_nor_mailed(w: World, smtp_server: SmtpCapture) -> None:
    mid = _exit(w.db, w, w.part)
    forms.decline(w.db, w.hr, _form_of(w.db, mid).id, "sent on paper")
    before = _pdfs()
    [run] = _runs(w.db)
    assert _execute(run.id or 0) == 0
    assert _pdfs() == before and smtp_server.messages == []
    assert _form_of(w.db, mid).status == "declined" and audit_of(w.db, "form.sent") == []


# ---------------------------------------------------------------------------------------------- exactly once
def test_a_retried_job_renders_nothing_again_and_mails_nobody_twice(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    renders = _counting_renders(monkeypatch)
    mid = _exit(w.db, w, w.part)
    [run] = _runs(w.db)
    closed = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", closed)) != 0  # nothing listens there
    try:
        monkeypatch.setenv("PORTAL_SMTP_URL", f"smtp://127.0.0.1:{closed}")
        get_settings.cache_clear()
        with pytest.raises(background.MailsNotSent):  # sent, but the mail server is gone: huey tries again
            _execute(run.id or 0, retries_left=1)
        form = _form_of(w.db, mid)
        assert form.status == "waiting_for_employee" and renders == [form.id]
        assert _runs(w.db)[0].status == "queued"
        with SmtpCapture() as server:  # the server is back for the retry
            monkeypatch.setenv("PORTAL_SMTP_URL", server.url)
            get_settings.cache_clear()
            assert _execute(run.id or 0) == 0  # nothing sent again ...
            assert renders == [form.id]  # ... nor rendered again
            mailed = len(server.messages)
            assert mailed >= 1
            # a further attempt (a doubled queue message; or after a lost worker) does nothing
            assert _execute(run.id or 0) is None
            again = _runs(w.db)[0]
            attempt = background.Run(again.id or 0, forms.EXIT_JOB, "x", 9, {}, json.loads(again.checkpoint))
            assert forms.exit_job(attempt) == 0
            assert len(server.messages) == mailed and renders == [form.id]
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert len(audit_of(w.db, "form.sent")) == 1 and len(audit_of(w.db, "form.prepared")) == 1
    w.db.expire_all()
    sent = w.db.exec(select(SentMail).where(SentMail.job_id == run.id)).all()
    assert len(sent) == mailed and {m.status for m in sent} == {"sent"}


def test_once_its_mails_began_a_run_takes_no_new_forms(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A retry of a run that began mailing would not mail an employee it reached before (one mail per run and
    address): the form of a later exit waits for a run of its own."""
    first = _exit(w.db, w, w.part)
    [run] = _runs(w.db)
    try:
        monkeypatch.setenv("PORTAL_SMTP_URL", f"smtp://127.0.0.1:{free_port()}")
        get_settings.cache_clear()
        with pytest.raises(background.MailsNotSent):
            _execute(run.id or 0, retries_left=2)
        later = _exit(w.db, w, _active(w, 1)[0])
        assert len(_runs(w.db)) == 2  # the run waiting for its retry was attempted before: not joined
        with pytest.raises(background.MailsNotSent):
            _execute(run.id or 0, retries_left=1)  # its retry (the server is still away)
        assert _form_of(w.db, later).status == "prepared"  # not taken up by that retry
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert _execute(_runs(w.db)[1].id or 0) == 1
    assert {_form_of(w.db, m).status for m in (first, later)} == {"waiting_for_employee"}


# ---------------------------------------------------------------------------------------------- one run
def test_the_exits_of_one_transaction_make_one_run_mailing_each_employee_once(
    w: World, smtp_server: SmtpCapture
) -> None:
    parts = [w.part, *_active(w, 2)]
    mids = [_exit(w.db, w, p, commit=False) for p in parts]
    w.db.commit()
    [run] = _runs(w.db)
    assert run.total == 3 and _runs(w.db, "notify_forms") == []
    assert _execute(run.id or 0) == 3
    assert {_form_of(w.db, m).status for m in mids} == {"waiting_for_employee"}
    # the demo employee (of w.part) has an account: one mail per address of theirs, none twice
    to = [str(m["To"]).lower() for m in smtp_server.messages]
    assert to and len(to) == len(set(to))
    assert all(f"/employee/forms/{_form_of(w.db, mids[0]).id}" in body_of(m) for m in smtp_server.messages)


def test_a_queued_run_takes_the_forms_of_later_exits_and_a_finished_one_does_not(w: World) -> None:
    others = _active(w, 3)
    first = _exit(w.db, w, w.part)
    second = _exit(w.db, w, others[0])
    [run] = _runs(w.db)
    assert (run.status, run.total) == ("queued", 2)  # joined, not a second run
    assert _execute(run.id or 0) == 2
    assert {_form_of(w.db, m).status for m in (first, second)} == {"waiting_for_employee"}
    third = _exit(w.db, w, others[1])  # the run is done: a run of its own
    runs = _runs(w.db)
    assert [r.status for r in runs] == ["done", "queued"]
    # a queued run that was attempted before (waiting for huey's retry) is not joined either
    w.db.exec(update(JobRun).where(col(JobRun.id) == runs[1].id).values(attempts=1))
    w.db.commit()
    fourth = _exit(w.db, w, others[2])
    assert len(_runs(w.db)) == 3
    assert sum(_execute(r.id or 0) or 0 for r in _runs(w.db)[1:]) == 2
    assert {_form_of(w.db, m).status for m in (third, fourth)} == {"waiting_for_employee"}
    assert len(audit_of(w.db, "form.sent")) == 4


def test_a_run_claimed_while_a_joining_exit_is_open_waits_for_it_and_sends_its_form(w: World) -> None:
    """The claim of a run writes the row the joining transaction touched: it waits for that commit (PostgreSQL's
    row lock, SQLite's single writer), so the job sees the joined form."""
    first = _exit(w.db, w, w.part)
    [run] = _runs(w.db)
    [other] = _active(w, 1)
    with session_scope() as db2:
        with clock.frozen(T0):
            joined = mutations.submit_exit(db2, w.hr, other.id, EXIT_DAY, other.version, today=T0.date())
        db2.flush()
        result: list[int | None] = []
        worker = threading.Thread(target=lambda: result.append(_execute(run.id or 0)))
        worker.start()
        time.sleep(0.5)  # the worker reaches its claim (and waits) before the exit commits
        assert worker.is_alive()
    worker.join(60)
    assert result == [2]
    assert {_form_of(w.db, m).status for m in (first, joined.id or 0)} == {"waiting_for_employee"}


def test_forms_left_without_a_run_get_one_from_the_periodic_check(w: World) -> None:
    from portal.jobs import tasks as jobs

    mid = _exit(w.db, w, w.part)
    assert jobs.stranded_exit_forms() is None  # its run is queued: nothing to do
    [run] = _runs(w.db)
    w.db.exec(update(JobRun).where(col(JobRun.id) == run.id).values(status="failed", attempts=3))
    w.db.commit()  # (its retries used up, say)
    again = jobs.stranded_exit_forms()
    assert again is not None and jobs.stranded_exit_forms() is None  # one, not one per check
    assert _execute(again) == 1 and _form_of(w.db, mid).status == "waiting_for_employee"
    assert jobs.stranded_exit_forms() is None  # nothing left
