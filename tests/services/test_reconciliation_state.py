"""The reconciliation page's state without a browser: it shows the scheme's latest report again, and forged
event arguments (another office's job id in the upload answer, another office's difference id) are refused by
the services and audited, nothing made."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import reflex as rx
from sqlalchemy import func
from sqlmodel import Session, select

import portal.state.auth as auth
from portal.models import AuditEvent, ReconciliationDifference, Task, UserAccount
from portal.services import accounts, reconciliation
from portal.state.intermediary.reconciliation import ReconciliationState
from tests.services.employer_fixtures import demo_employer, principal_of, schemes_of

ROW = {
    "Polisnummer": "X-1", "BSN": "123456782", "Geboortedatum": "01-02-1980", "Status": "actief",
    "Jaarsalaris": "50.000,00", "Deeltijd %": "100", "Jaarpremie": "4.000,00",
}  # fmt: skip
CSV = ("\n".join((";".join(ROW), ";".join(ROW.values()))) + "\n").encode()


@pytest.fixture
def signed_in(db: Session, demo_data: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    user = db.exec(select(UserAccount).where(UserAccount.username == "adviser")).one()
    redeemed = accounts.redeem_ticket(db, *accounts.create_session(db, user.id or 0))
    assert redeemed is not None
    db.commit()
    monkeypatch.setattr(auth, "session_token", lambda state: redeemed[0])
    yield


async def _state() -> ReconciliationState:
    root = rx.State(_reflex_internal_init=True)
    return await root.get_state(ReconciliationState)


def _denied(db: Session) -> list[dict]:
    db.expire_all()
    rows = db.exec(select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(AuditEvent.id)).all()
    return [json.loads(e.detail) for e in rows]


def _report_of(db: Session, username: str) -> int:
    """A report of the first scheme of ``username``'s first employer (at least the unknown person differs)."""
    adviser = principal_of(db, username)
    employer_id = min(adviser.employer_ids)
    scheme = next(iter(schemes_of(db, employer_id).values()))
    report_id = reconciliation.reconcile_rows(db, adviser, employer_id, scheme.id, "2026-06-01", [ROW])
    db.commit()
    return report_id


async def test_latest_report_shown_again_and_a_task_made(db: Session, signed_in: None) -> None:
    employer = demo_employer(db)
    scheme = schemes_of(db, employer.id)["OP"]
    adviser = principal_of(db, "adviser")
    report_id = reconciliation.reconcile_rows(db, adviser, employer.id, scheme.id, "2026-06-01", [ROW])
    db.commit()
    state = await _state()
    state.employer_id, state.scheme_id = str(employer.id), str(scheme.id)
    await state.load()
    assert (state.money, state.parttime) == ("1,00", "0,01")  # the domain's default tolerances, in Dutch
    assert state.report["link"].startswith("/files/") and state._report_id == report_id
    assert any(t["kind"] == "insured_unknown" and t["count"] == "1" for t in state.totals)
    await state.set_kind("insured_unknown")
    assert [r["number"] for r in state.rows] == ["X-1"]
    await state.make_task(state.rows[0]["id"])
    assert state.rows[0]["task"] != ""
    task = db.get(Task, int(state.rows[0]["task"]))
    assert task is not None and task.kind == "reconciliation" and "X-1" in task.title


async def test_forged_report_and_difference_ids_refused_and_audited(db: Session, signed_in: None) -> None:
    foreign = _report_of(db, "adviser.zuidas")
    state = await _state()
    await state.load()
    before = len(_denied(db))
    adviser = principal_of(db, "adviser.zuidas")
    employer_id = min(adviser.employer_ids)
    scheme = next(iter(schemes_of(db, employer_id).values()))
    foreign_job = reconciliation.queue_file(db, adviser, employer_id, scheme.id, "2026-06-01", "l.csv", CSV)
    db.commit()
    event = await state.uploaded({"ok": True, "job": foreign_job})
    assert event is not None and state.report == {} and state._job_id == 0
    assert _denied(db)[before:] and _denied(db)[-1]["reason"] == "other_office"
    diff = db.exec(select(ReconciliationDifference).where(ReconciliationDifference.report_id == foreign)).first()
    assert diff is not None
    tasks_before = db.exec(select(func.count()).select_from(Task)).one()
    count = len(_denied(db))
    auth._refused_at.clear()  # the same refusal again within seconds is recorded once: this one is another
    event = await state.make_task(str(diff.id))
    assert event is not None and len(_denied(db)) == count + 1
    db.expire_all()
    assert db.exec(select(func.count()).select_from(Task)).one() == tasks_before
    assert db.get(ReconciliationDifference, diff.id).task_id is None  # type: ignore[union-attr]
