"""Reconciliation as a background job, and against the insurer's own records (INT-7) fetched through the reference
adapter from the real test insurer process (``tools/test_insurer.py`` on a loopback port): the insurer knows what
it has received (hires, later salary changes, exits) and the premium it charges; the job compares that with the
scheme exactly as for an uploaded file. An unreachable insurer or a bad answer: the reason on the job, nothing
stored, audited. Foreign principals and forged job ids are refused and audited."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.core.config import get_settings
from portal.domain import coupling
from portal.models import AuditEvent, Contract, CouplingSetting, Employer, JobRun, ReconciliationReport
from portal.services import background, files, reconciliation
from portal.services.errors import FieldError
from portal.services.principal import NoAccess
from portal.state.intermediary.reconciliation import ReconciliationState
from tests.insurer import TestInsurer
from tests.services.employer_fixtures import demo_employer, principal_of, schemes_of, session_token_of

AS_OF = date(2026, 6, 1)


@pytest.fixture
def insurer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestInsurer]:
    """The test insurer process; every insurer's adapter points at it (short timeouts)."""
    with TestInsurer(tmp_path / "insurer.db") as ins:
        monkeypatch.setenv("PORTAL_INSURER_URLS", ins.url)
        monkeypatch.setenv("PORTAL_INSURER_CONNECT_TIMEOUT", "1")
        monkeypatch.setenv("PORTAL_INSURER_READ_TIMEOUT", "2")
        get_settings.cache_clear()
        try:
            yield ins
        finally:
            monkeypatch.undo()
            get_settings.cache_clear()


@pytest.fixture
def coupled(db: Session, demo_data: None, insurer: TestInsurer):
    """The demo employer's OP scheme, its insurer's coupling switched on for the adviser's office."""
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    contract = db.get(Contract, scheme.contract_id)
    assert contract is not None and employer.office_id is not None
    found = db.exec(
        select(CouplingSetting).where(
            CouplingSetting.office_id == employer.office_id,
            CouplingSetting.insurer_id == contract.insurer_id,
            CouplingSetting.scope == f"scheme:{scheme.id}",
        )
    ).first()
    setting = found or CouplingSetting(
        office_id=employer.office_id, insurer_id=contract.insurer_id, scope=f"scheme:{scheme.id}",
        employer_id=employer.id, scheme_id=scheme.id,
    )  # fmt: skip
    setting.enabled = True
    db.add(setting)
    db.commit()
    return employer, scheme


def _send(insurer: TestInsurer, scheme_id: int, kind: str, number: str, values: dict[str, str]) -> None:
    """A message as the delivery job posts it (``Envelope.body``, ``coupling.payload``), to the real process."""
    key = uuid.uuid4().hex
    refs = {"participant_number": number, "policy_number": "", "contract_number": "", "scheme_number": ""}
    body = {
        "message_id": 1, "idempotency_key": key, "kind": kind, "employer": 1, "scheme": scheme_id,
        "participation": f"p-{number}", "payload": json.loads(coupling.payload(kind, AS_OF, values, {}, refs)),
    }  # fmt: skip
    answer = insurer.post(body)
    assert answer.status_code == 201, answer.text


def _insurer_knows(db: Session, insurer: TestInsurer, scheme) -> list:
    """The insurer received a hire for every active participant but the last, a salary change for the first
    (+100), an exit of the second; it charges the portal's premium, the third's + 50."""
    records = [p for p in reconciliation.portal_records(db, scheme, AS_OF) if p.active]
    assert len(records) > 5
    premiums = {}
    for p in records[:-1]:
        hire = {"bsn": p.bsn, "birth_date": p.birth_date.isoformat(), "last_name": p.name, "salary": str(p.salary),
                "parttime": str(p.parttime)}  # fmt: skip
        _send(insurer, scheme.id, "hire", p.number, hire)
        premiums[p.number] = str(p.premium)
    _send(insurer, scheme.id, "salary", records[0].number, {"salary": str(records[0].salary + Decimal(100))})
    _send(insurer, scheme.id, "exit", records[1].number, {"end_date": "2026-05-01", "status": "dormant"})
    premiums[records[2].number] = str(records[2].premium + Decimal(50))
    insurer.control(premiums=premiums)
    return records


def _run(job_id: int) -> None:
    """What the queue's worker does with the job run."""
    background.execute(job_id, "reconcile", reconciliation.reconcile_job)


def _count(db: Session, model) -> int:
    db.expire_all()
    return int(db.exec(select(func.count()).select_from(model)).one())


def test_fetch_from_the_insurer_compares_its_records_like_a_file(db: Session, coupled, insurer: TestInsurer) -> None:
    employer, scheme = coupled
    records = _insurer_knows(db, insurer, scheme)
    adviser = principal_of(db, "adviser")
    choice = next(c for c in reconciliation.schemes(db, adviser) if c.scheme_id == scheme.id)
    assert choice.insurer  # the page offers the fetch for this scheme
    job_id = reconciliation.queue_fetch(db, adviser, employer.id, scheme.id, AS_OF.isoformat(), "1,00", "", "nl")
    db.commit()
    queued = reconciliation.job(db, adviser, job_id)
    assert queued.status == "queued" and queued.running and queued.source == "insurer" and queued.report_id is None
    _run(job_id)
    db.expire_all()
    done = reconciliation.job(db, adviser, job_id)
    assert done.status == "done" and done.percent == 100 and done.report_id is not None and not done.key
    view = reconciliation.report(db, adviser, done.report_id)
    counts = view.totals["counts"]
    assert counts["salary"] == 1 and counts["ended_at_insurer"] == 1 and counts["unknown_at_insurer"] == 1
    assert counts["premium"] == 1 and view.differences == 4  # nothing else: the rest matches
    assert view.insurer_rows == len(records) - 1
    salary = reconciliation.report(db, adviser, done.report_id, kind="salary").rows
    assert [r.number for r in salary] == [records[0].number] and salary[0].delta == Decimal("100.00")
    assert [r.number for r in reconciliation.report(db, adviser, done.report_id, kind="premium").rows] == [
        records[2].number
    ]
    assert view.file_name  # the insurer's name stands where a file name would


@pytest.mark.parametrize(
    ("fault", "says"),
    [
        ({"records_answer": [503, '{"message": "onderhoud"}']}, "onderhoud"),
        ({"records_answer": [200, '"geen lijst"']}, "geen bruikbaar antwoord"),
        ({"records_answer": [200, "<html>"]}, "geen bruikbaar antwoord"),
        ({"records_answer": [200, '{"records": [{"iets": "anders"}]}']}, "kolommen"),
        ({"records_answer": [200, '{"records": []}']}, "kent geen deelnemers"),
        (None, "geen bruikbaar antwoord"),  # the insurer is not running
    ],
)
def test_an_unreachable_insurer_or_a_bad_answer_stores_nothing_and_is_audited(
    db: Session, coupled, insurer: TestInsurer, fault: dict | None, says: str
) -> None:
    employer, scheme = coupled
    _insurer_knows(db, insurer, scheme)
    if fault is None:
        insurer.stop()
    else:
        insurer.control(**fault)
    adviser = principal_of(db, "adviser")
    reports, audits = _count(db, ReconciliationReport), _count(db, AuditEvent)
    job_id = reconciliation.queue_fetch(db, adviser, employer.id, scheme.id, AS_OF.isoformat())
    db.commit()
    _run(job_id)
    db.expire_all()
    view = reconciliation.job(db, adviser, job_id)
    assert view.status == "done" and view.report_id is None and view.at == "fetch"
    from portal.i18n import t

    assert says in t(view.key, "nl", **view.params)
    assert _count(db, ReconciliationReport) == reports
    refused = db.exec(select(AuditEvent).where(AuditEvent.action == "reconciliation.refused")).all()
    assert len(refused) == 1 and json.loads(refused[0].detail)["reason"] == view.key
    assert _count(db, AuditEvent) == audits + 1


def test_a_scheme_without_a_coupled_insurer_cannot_be_fetched(db: Session, coupled, insurer: TestInsurer) -> None:
    employer, scheme = coupled
    for setting in db.exec(select(CouplingSetting).where(CouplingSetting.scope == f"scheme:{scheme.id}")).all():
        setting.enabled = False  # the most specific setting: switched off for this scheme
        db.add(setting)
    db.commit()
    adviser = principal_of(db, "adviser")
    assert reconciliation.fetchable_insurer(db, scheme.id) is None
    assert next(c for c in reconciliation.schemes(db, adviser) if c.scheme_id == scheme.id).insurer == ""
    runs = _count(db, JobRun)
    with pytest.raises(FieldError) as refused:
        reconciliation.queue_fetch(db, adviser, employer.id, scheme.id, AS_OF.isoformat())
    assert refused.value.field == "fetch" and refused.value.key == "reconciliation_no_adapter"
    db.rollback()
    assert _count(db, JobRun) == runs


def test_foreign_advisers_are_refused_before_anything_is_queued_or_read(
    db: Session, coupled, insurer: TestInsurer
) -> None:
    employer, scheme = coupled
    adviser, outsider = principal_of(db, "adviser"), principal_of(db, "adviser.zuidas")
    runs = _count(db, JobRun)
    with pytest.raises(NoAccess):
        reconciliation.queue_fetch(db, outsider, employer.id, scheme.id, AS_OF.isoformat())
    with pytest.raises(NoAccess):
        reconciliation.queue_file(db, outsider, employer.id, scheme.id, AS_OF.isoformat(), "l.csv", b"a;b\n1;2\n")
    db.rollback()
    assert _count(db, JobRun) == runs
    job_id = reconciliation.queue_fetch(db, adviser, employer.id, scheme.id, AS_OF.isoformat())
    db.commit()
    with pytest.raises(NoAccess) as other_office:
        reconciliation.job(db, outsider, job_id)
    assert other_office.value.reason == "other_office"
    with pytest.raises(NoAccess):
        reconciliation.running_job(db, outsider, employer.id, scheme.id)
    assert reconciliation.running_job(db, adviser, employer.id, scheme.id).id == job_id  # type: ignore[union-attr]
    with pytest.raises(NoAccess):  # a job run of another kind is no reconciliation
        other = db.exec(select(JobRun).where(JobRun.kind != "reconcile")).first()
        reconciliation.job(db, adviser, other.id if other else 10**9)


def test_a_job_whose_employer_left_the_office_keeps_nothing(db: Session, coupled, insurer: TestInsurer) -> None:
    employer, scheme = coupled
    _insurer_knows(db, insurer, scheme)
    adviser = principal_of(db, "adviser")
    job_id = reconciliation.queue_fetch(db, adviser, employer.id, scheme.id, AS_OF.isoformat())
    db.commit()
    moved = db.get(Employer, employer.id)
    office = moved.office_id  # type: ignore[union-attr]
    moved.office_id = principal_of(db, "adviser.zuidas").office_id  # type: ignore[union-attr]
    db.add(moved)
    db.commit()
    reports = _count(db, ReconciliationReport)
    _run(job_id)
    assert _count(db, ReconciliationReport) == reports
    job = db.get(JobRun, job_id)
    assert job is not None and json.loads(job.checkpoint)["outcome"]["key"] == "reconciliation_out_of_scope"
    moved = db.get(Employer, employer.id)
    moved.office_id = office  # type: ignore[union-attr]
    db.add(moved)
    db.commit()


# ----------------------------------------------------------------------------------------- the page's state
@pytest.fixture
def signed_in(db: Session, coupled, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    token = session_token_of(db, "adviser")
    monkeypatch.setattr(auth, "session_token", lambda state: token)
    yield


async def _state():
    import reflex as rx

    root = rx.State(_reflex_internal_init=True)
    return await root.get_state(ReconciliationState)


async def test_the_page_fetches_follows_the_job_and_shows_the_report(
    db: Session, coupled, insurer: TestInsurer, signed_in: None
) -> None:
    employer, scheme = coupled
    _insurer_knows(db, insurer, scheme)
    state = await _state()
    state.employer_id, state.scheme_id, state.as_of = str(employer.id), str(scheme.id), AS_OF.isoformat()
    await state.load()
    assert state.fetch_insurer != ""
    event = await state.fetch_records()
    assert event is not None and state.running and state._job_id  # followed while the job runs
    job_id = state._job_id
    _run(job_id)
    await state._refresh_job()
    assert not state.running and state._job_id == 0 and state.report["link"].startswith("/files/")
    assert any(t["kind"] == "salary" and t["count"] == "1" for t in state.totals)


async def test_a_forged_job_id_in_the_upload_answer_is_refused_and_audited(
    db: Session, coupled, insurer: TestInsurer, signed_in: None
) -> None:
    zuidas = principal_of(db, "adviser.zuidas")
    foreign_employer = min(zuidas.employer_ids)
    foreign_scheme = next(iter(schemes_of(db, foreign_employer).values()))
    data = b"Polisnummer;BSN;Geboortedatum;Status;Jaarsalaris;Deeltijd %;Jaarpremie\nX;123456782;01-01-1980;a;1;1;1\n"
    foreign = reconciliation.queue_file(db, zuidas, foreign_employer, foreign_scheme.id, "2026-06-01", "l.csv", data)
    db.commit()
    state = await _state()
    await state.load()
    before = db.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    event = await state.uploaded({"ok": True, "job": foreign})
    assert event is not None and state.report == {}
    db.expire_all()
    denied = db.exec(
        select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id.desc())  # type: ignore[union-attr]
    ).first()
    after = db.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "access.denied")).one()
    assert after == before + 1 and denied is not None and json.loads(denied.detail)["reason"] == "other_office"
    assert state._job_id == 0 and not state.running
    job = db.get(JobRun, foreign)
    assert job is not None and job.status == "queued"  # nothing read or run for the forger
    assert (files.folder("uploads") / json.loads(job.args)["stored_name"]).exists()


def test_a_job_attempted_again_after_its_report_was_kept_keeps_no_second_one(
    db: Session, coupled, insurer: TestInsurer
) -> None:
    """A worker that died after the report's transaction committed but before the run was finished: the run is
    queued again (recovery), and the next attempt finds the outcome in its checkpoint."""
    employer, scheme = coupled
    _insurer_knows(db, insurer, scheme)
    adviser = principal_of(db, "adviser")
    job_id = reconciliation.queue_fetch(db, adviser, employer.id, scheme.id, AS_OF.isoformat())
    db.commit()
    _run(job_id)
    reports = _count(db, ReconciliationReport)
    first = reconciliation.job(db, adviser, job_id).report_id
    run = db.get(JobRun, job_id)
    assert run is not None
    run.status, run.finished_at = "queued", None  # as if the finish had never been recorded
    db.add(run)
    db.commit()
    _run(job_id)
    db.expire_all()
    assert _count(db, ReconciliationReport) == reports
    again = reconciliation.job(db, adviser, job_id)
    assert again.status == "done" and again.report_id == first
