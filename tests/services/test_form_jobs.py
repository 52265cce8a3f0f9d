"""Signed forms' background work (DOC-5, EE-5, INT-6), on SQLite and PostgreSQL with a real SMTP server: the mail
that a form waits for the employee (after the commit, through the job queue, to the person's known addresses,
a deep link and no personal data, never twice); preparing for many participants as a background job with
progress (checked before it is queued; foreign principals refused); the periodic expiry; the exit form named in
the adviser's exit task."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.config import get_settings
from portal.domain import tasks as task_rules
from portal.jobs import tasks as jobs
from portal.jobs.queue import get_huey
from portal.models import Form, JobRun, Person, Task, UserAccount
from portal.services import background, forms, mutations
from portal.services.errors import FieldError
from portal.services.forms import flow
from portal.services.principal import NoAccess
from tests.services.employer_fixtures import audit_of, foreign_tenant
from tests.services.test_forms import T0, World, _prepare, run_exit_jobs
from tests.services.test_forms import w as w  # the fixture
from tests.smtp import SmtpCapture, body_of


@pytest.fixture(autouse=True)
def _empty_queue() -> Iterator[None]:
    get_huey().flush()  # the runs these tests queue are executed here, not by a consumer of a later test
    yield
    get_huey().flush()


def _runs(db: Session, kind: str) -> list[JobRun]:
    db.expire_all()
    return list(db.exec(select(JobRun).where(JobRun.kind == kind).order_by(col(JobRun.id))).all())


def _mail_all(db: Session) -> int:
    """Execute every form mail run (also those done already: a second attempt must mail nobody)."""
    sent = 0
    for job in _runs(db, "notify_forms"):
        sent += background.execute(job.id or 0, "notify_forms", forms.mail_job) or 0
    return sent


def _known_addresses(w: World) -> set[str]:
    user = w.db.get(UserAccount, w.employee.user_id)
    person = w.db.get(Person, user.person_id)
    return {a.strip().lower() for a in (user.email, person.business_email, user.private_email) if a}


# ---------------------------------------------------------------------------------------------- the mail
def test_a_sent_form_mails_the_employee_a_deep_link_without_personal_data(w: World, smtp_server: SmtpCapture) -> None:
    [fid] = _prepare(w, amount="250").form_ids
    assert smtp_server.messages == []  # nothing mailed by the step itself: the job does it after the commit
    [run] = _runs(w.db, "notify_forms")
    assert json.loads(run.args)["form_ids"] == [fid] and run.employer_id == w.employer_id
    sent = _mail_all(w.db)
    assert sent >= 1
    to = {str(m["To"]).lower() for m in smtp_server.messages}
    assert w.db.get(UserAccount, w.employee.user_id).email.lower() in to
    assert to <= _known_addresses(w)
    base = get_settings().base_url.rstrip("/")
    for message in smtp_server.messages:
        body = body_of(message)
        assert f"{base}/employee/forms/{fid}" in body
        for personal in ("Gijs", "Assob", "250", "100001"):
            assert personal not in body and personal not in str(message["Subject"])
    assert _mail_all(w.db) == 0  # never twice
    assert len(smtp_server.messages) == sent
    [event] = audit_of(w.db, "forms.notified")
    assert json.loads(event.detail)["mails"] == sent


def test_send_and_an_exit_queue_the_mail_and_a_form_no_longer_waiting_is_not_mailed(
    w: World, smtp_server: SmtpCapture
) -> None:
    [fid] = forms.prepare(w.db, w.hr, w.employer_id, "beneficiary", [w.part.id], send=False).form_ids
    assert _runs(w.db, "notify_forms") == []  # prepared, not sent: no mail
    forms.send(w.db, w.hr, fid)
    assert [json.loads(r.args)["form_ids"] for r in _runs(w.db, "notify_forms")] == [[fid]]
    forms.decline(w.db, w.hr, fid, "")  # withdrawn before the job ran
    assert _mail_all(w.db) == 0 and smtp_server.messages == []
    with clock.frozen(T0):
        m = mutations.submit_exit(w.db, w.hr, w.part.id, "2026-10-31", w.part.version, today=T0.date())
        w.db.commit()
    exit_form = w.db.exec(select(Form).where(Form.source_key == forms.exit_source(m.id))).one()
    assert len(_runs(w.db, "notify_forms")) == 1  # the exit's form is mailed by its own job (``exit_forms``)
    assert run_exit_jobs(w.db) == 1 and smtp_server.messages
    assert _mail_all(w.db) == 0
    assert all(f"/employee/forms/{exit_form.id}" in body_of(x) for x in smtp_server.messages)


# ---------------------------------------------------------------------------------------------- many at once
def test_few_participants_are_prepared_in_the_call(w: World) -> None:
    done = forms.start_prepare(w.db, w.hr, w.employer_id, "beneficiary", [w.part.id])
    assert len(done.form_ids) == 1 and done.job_id == 0
    assert _runs(w.db, forms.PREPARE_JOB) == []


def test_many_participants_are_prepared_by_a_job_with_progress(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flow, "DIRECT_MAX", 2)  # the demo employer has fewer than 100 participants
    ids = [w.part.id, *(p.id for p in w.others)]
    queued = forms.start_prepare(w.db, w.adviser, w.employer_id, "join_decision", ids, {"information_shown": "B"})
    assert queued.form_ids == () and queued.job_id > 0
    assert w.db.exec(select(Form)).all() == []  # nothing made yet
    progress = background.job_progress(w.db, w.adviser, queued.job_id)
    assert (progress.status, progress.total) == ("queued", 4)
    made = background.execute(queued.job_id, forms.PREPARE_JOB, forms.prepare_job)
    assert made == 4
    rows = w.db.exec(select(Form).order_by(col(Form.id))).all()
    assert {r.participation_id for r in rows} == set(ids)
    assert {(r.status, r.created_by, r.acting_by[:7]) for r in rows} == {
        ("waiting_for_employee", w.adviser.user_id, "office:")
    }
    w.db.expire_all()
    progress = background.job_progress(w.db, w.hr, queued.job_id)
    assert (progress.status, progress.done, progress.total, progress.percent) == ("done", 4, 4, 100)
    run = w.db.get(JobRun, queued.job_id)
    assert sorted(json.loads(run.checkpoint)["form_ids"]) == sorted(r.id for r in rows)
    prepared = audit_of(w.db, "form.prepared")
    assert len(prepared) == 4 and all(e.on_behalf_of == f"employer:{w.employer_id}" for e in prepared)
    # an attempt after the one that committed makes nothing
    again = background.Run(queued.job_id, forms.PREPARE_JOB, "x", 2, json.loads(run.args), json.loads(run.checkpoint))
    assert forms.prepare_job(again) == 4 and len(w.db.exec(select(Form)).all()) == 4
    assert json.loads(_runs(w.db, "notify_forms")[-1].args)["form_ids"] == sorted(r.id for r in rows)
    _employer, _scheme, foreign = foreign_tenant(w.db)
    with pytest.raises(NoAccess):  # its progress stays the employer's
        background.job_progress(w.db, foreign, queued.job_id)


def test_many_participants_checked_before_anything_is_queued(w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flow, "DIRECT_MAX", 2)
    ids = [w.part.id, *(p.id for p in w.others)]
    _employer, _scheme, foreign = foreign_tenant(w.db)
    for who in (w.finance, w.adviser_plain, w.other_adviser, w.employee, foreign):
        with pytest.raises(NoAccess):
            forms.start_prepare(w.db, who, w.employer_id, "beneficiary", ids)
    with pytest.raises(FieldError):
        forms.start_prepare(w.db, w.hr, w.employer_id, "deferred_compensation", ids, {"amount": "abc"})
    foreign_part = w.db.exec(select(Form.id)).first()  # none
    assert foreign_part is None
    assert _runs(w.db, forms.PREPARE_JOB) == []


# ---------------------------------------------------------------------------------------------- expiry
def test_the_periodic_job_expires_the_forms_past_their_expiry(w: World) -> None:
    [fid] = _prepare(w, "beneficiary").form_ids
    with clock.frozen(T0 + timedelta(days=29)):
        assert jobs.expire_forms() == 0
    with clock.frozen(T0 + timedelta(days=30, seconds=1)):
        assert jobs.expire_forms() == 1
        assert jobs.expire_forms() == 0
    w.db.expire_all()
    assert w.db.get(Form, fid).status == "expired"
    [event] = audit_of(w.db, "form.expired")
    assert event.actor_user_id is None and event.object_id == str(fid)


# ---------------------------------------------------------------------------------------------- exit task
def test_the_exit_form_is_named_in_the_advisers_exit_task(w: World) -> None:
    with clock.frozen(T0):
        m = mutations.submit_exit(w.db, w.hr, w.part.id, "2026-10-31", w.part.version, today=T0.date())
        w.db.commit()
    form = w.db.exec(select(Form).where(Form.source_key == forms.exit_source(m.id))).one()
    [task] = w.db.exec(select(Task).where(Task.source_key == task_rules.exit_source(m.id))).all()
    detail = json.loads(task.detail)
    assert (detail["form_id"], detail["form_kind"]) == (form.id, "exit")
    assert [e.object_id for e in audit_of(w.db, "task.form_linked")] == [str(task.id)]


def test_many_participants_refused_ones_are_said_at_once_and_refused_again_by_the_job(
    w: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A participant with a form of the kind open is refused when the job is queued (not in the job); one that got
    such a form after it was queued is refused by the job itself (locked, checked again): both audited."""
    monkeypatch.setattr(flow, "DIRECT_MAX", 2)
    [first, second, third] = [p.id for p in w.others]
    _prepare(w, "beneficiary", ids=[first])
    queued = forms.start_prepare(w.db, w.hr, w.employer_id, "beneficiary", [w.part.id, first, second, third])
    assert queued.job_id > 0 and queued.refused == ((first, "forms.already_open"),)
    assert background.job_progress(w.db, w.hr, queued.job_id).total == 3
    _prepare(w, "beneficiary", ids=[second])  # meanwhile, before the job runs
    assert background.execute(queued.job_id, forms.PREPARE_JOB, forms.prepare_job) == 2
    w.db.expire_all()
    made = w.db.exec(select(Form.participation_id).where(Form.kind == "beneficiary")).all()
    assert sorted(made) == sorted([first, second, w.part.id, third])  # one each, none twice
    checkpoint = json.loads(w.db.get(JobRun, queued.job_id).checkpoint)
    assert checkpoint["refused"] == {str(second): "forms.already_open"}
    assert background.job_progress(w.db, w.hr, queued.job_id).figures == {"made": 2, "refused": 1}
    refused = audit_of(w.db, "form.prepare_refused")
    assert [e.object_id for e in refused] == [str(first), str(second)]
    # everybody refused: no job at all
    again = forms.start_prepare(w.db, w.hr, w.employer_id, "beneficiary", [w.part.id, first, second])
    assert (again.job_id, again.form_ids, len(again.refused)) == (0, (), 3)
    assert len(_runs(w.db, forms.PREPARE_JOB)) == 1
