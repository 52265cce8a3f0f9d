"""Discarding a checked collective batch (issue 11): the staged lines go, the same file may be uploaded again,
only the employer's own users (and its adviser) may do it, and only while nothing is applied or running."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from portal.models import AuditEvent, Batch, BatchLine, Scheme
from portal.services import collective
from portal.services.errors import FieldError
from portal.services.principal import NoAccess, acting_for
from tests.services.bulk_files import EFFECTIVE, TODAY, World, fill, salary_template, workbook, world


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    return world(db)


def _file(db: Session, w: World, salary: int = 55000) -> bytes:
    return workbook(fill(salary_template(db, w), {"100001": (salary, None)}))


def _ready(db: Session, w: World, data: bytes) -> Batch:
    effective = EFFECTIVE.isoformat()
    batch = collective.upload(db, w.hr, w.scheme_id, "salary_parttime", "salaris.xlsx", data, effective, today=TODAY)
    db.commit()
    assert collective.run_validation(batch.id or 0, today=TODAY) == "ready"
    db.expire_all()
    found = db.get(Batch, batch.id)
    assert found is not None
    return found


def _staged(db: Session, batch_id: int | None) -> int:
    return int(db.exec(select(func.count()).select_from(BatchLine).where(BatchLine.batch_id == batch_id)).one())


def _discard_events(db: Session) -> int:
    return int(db.exec(select(func.count()).where(AuditEvent.action == "batch.discarded")).one())


def _status(db: Session, batch_id: int | None) -> str:
    db.expire_all()
    found = db.get(Batch, batch_id)
    assert found is not None
    return found.status


def test_discard_deletes_staged_lines_and_the_same_file_can_be_uploaded_again(db: Session, w: World) -> None:
    data = _file(db, w)
    batch = _ready(db, w, data)
    assert _staged(db, batch.id) == 1
    with pytest.raises(FieldError) as refused:  # while it is ready, the same file is a duplicate (BULK-5)
        collective.upload(db, w.hr, w.scheme_id, "salary_parttime", "x.xlsx", data, EFFECTIVE.isoformat(), today=TODAY)
    assert refused.value.key == "file_duplicate"
    db.rollback()

    discarded = collective.discard(db, w.hr, batch.id)
    db.commit()
    assert discarded.status == "discarded" and discarded.finished_at is not None
    assert _status(db, batch.id) == "discarded"
    assert _staged(db, batch.id) == 0
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "batch.discarded")).one()
    assert event.object_id == str(batch.id) and event.employer_id == w.employer_id
    assert json.loads(event.detail)["status_before"] == "ready"
    with pytest.raises(FieldError) as refused:  # a discarded batch cannot be applied
        collective.confirm(db, w.hr, batch.id)
    assert refused.value.key == "batch_not_ready"
    db.rollback()
    row = next(b for b in collective.batches(db, w.hr, w.employer_id) if b.id == batch.id)
    assert row.status == "discarded"

    again = _ready(db, w, data)  # the same file is accepted, checked and can be applied
    assert again.id != batch.id and _staged(db, again.id) == 1
    collective.confirm(db, w.hr, again.id)
    db.commit()
    assert collective.run_apply(again.id or 0, today=TODAY) == "processed"


def test_a_rejected_batch_can_be_discarded_by_the_adviser(db: Session, w: World) -> None:
    bad = collective.upload(
        db, w.hr, w.scheme_id, "salary_parttime", "x.xlsx", b"not a workbook", EFFECTIVE.isoformat(), today=TODAY
    )
    db.commit()
    assert collective.run_validation(bad.id or 0, today=TODAY) == "rejected"
    db.expire_all()
    with pytest.raises(NoAccess):  # not across the portfolio: only while acting for the employer (INT-2)
        collective.discard(db, w.adviser, bad.id)
    collective.discard(db, acting_for(w.adviser, w.employer_id), bad.id)  # an adviser acting for the employer
    db.commit()
    assert _status(db, bad.id) == "discarded"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "batch.discarded")).one()
    assert event.on_behalf_of.startswith("office:")


def test_another_employer_or_finance_cannot_discard(db: Session, w: World) -> None:
    batch = _ready(db, w, _file(db, w))
    for who, bad_id in ((w.other, batch.id), (w.finance, batch.id), (w.other, "abc"), (w.hr, 2**31 + 5)):
        with pytest.raises(NoAccess):
            collective.discard(db, who, bad_id)
        db.rollback()
    with pytest.raises(NoAccess):
        collective.discard(db, None, batch.id)
    db.rollback()
    assert _status(db, batch.id) == "ready"
    assert _staged(db, batch.id) == 1
    assert _discard_events(db) == 0


def test_a_batch_being_applied_or_applied_cannot_be_discarded(db: Session, w: World) -> None:
    batch = _ready(db, w, _file(db, w))
    collective.confirm(db, w.hr, batch.id)
    db.commit()
    with pytest.raises(FieldError) as refused:  # queued: the job will apply it
        collective.discard(db, w.hr, batch.id)
    assert (refused.value.field, refused.value.key) == ("form", "batch_discard_applying")
    db.rollback()
    assert _status(db, batch.id) == "queued" and _staged(db, batch.id) == 1
    assert db.get(Scheme, w.scheme_id).collective_lock_batch == batch.id  # type: ignore[union-attr]

    assert collective.run_apply(batch.id or 0, today=TODAY) == "processed"
    db.expire_all()
    with pytest.raises(FieldError) as refused:
        collective.discard(db, w.hr, batch.id)
    assert refused.value.key == "batch_discard_applied"
    db.rollback()
    assert _status(db, batch.id) == "processed"
    assert _discard_events(db) == 0


def test_a_batch_still_being_checked_or_already_discarded_is_refused(db: Session, w: World) -> None:
    batch = collective.upload(
        db, w.hr, w.scheme_id, "salary_parttime", "x.xlsx", _file(db, w), EFFECTIVE.isoformat(), today=TODAY
    )
    db.commit()
    with pytest.raises(FieldError) as refused:
        collective.discard(db, w.hr, batch.id)
    assert refused.value.key == "batch_discard_checking"
    db.rollback()
    assert collective.run_validation(batch.id or 0, today=TODAY) == "ready"
    db.expire_all()
    collective.discard(db, w.hr, batch.id)
    db.commit()
    with pytest.raises(FieldError) as refused:
        collective.discard(db, w.hr, batch.id)
    assert refused.value.key == "batch_discard_done"
    db.rollback()
