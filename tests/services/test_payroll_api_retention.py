"""Stored idempotent answers of the payroll API (API-1) are kept ``PORTAL_API_IDEMPOTENCY_DAYS`` (default 7): a
nightly job removes older ones, and a request repeating an expired key is a new request (also before the job
has run)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlmodel import Session, col, select, update

from portal.core import clock
from portal.core.config import get_settings
from portal.jobs import tasks
from portal.models import ApiIdempotency, Mutation, ParticipantListRow
from tests.services.payroll_api_world import Api, active_number, make_api


@pytest.fixture
def api(db: Session, demo_data: None) -> Api:
    return make_api(db)


def _change(api: Api, number: str, salary: str, idem: str):  # type: ignore[no-untyped-def]
    return api.post(
        f"/participants/{number}/salary-parttime", {"effective_date": api.today.isoformat(), "salary": salary}, idem
    )


def _raised(db: Session, api: Api, number: str, pct: int) -> str:
    """The participant's salary raised by ``pct`` % (small enough for no plausibility warning)."""
    salary = db.exec(
        select(ParticipantListRow.salary).where(
            ParticipantListRow.participant_number == number, ParticipantListRow.listed_scheme_id == api.op_scheme_id
        )
    ).one()
    assert salary is not None
    return str((salary * (100 + pct) / 100).quantize(Decimal("0.01")))


def _age(db: Session, idem: str, days: float) -> None:
    """Make the answer stored under ``idem`` ``days`` old."""
    db.exec(  # type: ignore[call-overload]
        update(ApiIdempotency)
        .where(col(ApiIdempotency.idem_key) == idem)
        .values(created_at=clock.now() - timedelta(days=days))
    )
    db.commit()


def _kept(db: Session) -> list[str]:
    db.expire_all()
    return sorted(db.exec(select(ApiIdempotency.idem_key)).all())


@pytest.fixture
def three_days(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PORTAL_API_IDEMPOTENCY_DAYS", "3")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_nightly_job_removes_expired_answers_and_keeps_fresh_ones(db: Session, api: Api) -> None:
    for i, idem in enumerate(("old", "fresh", "new")):
        number = active_number(db, api, skip=i)
        assert _change(api, number, _raised(db, api, number, 2), idem).status_code == 201
    _age(db, "old", 7.01)  # the default retention is 7 days
    _age(db, "fresh", 6.9)
    assert get_settings().api_idempotency_days == 7
    assert tasks.purge_api_answers() == 1
    assert _kept(db) == ["fresh", "new"]
    assert tasks.purge_api_answers() == 0


def test_the_retention_is_the_setting(db: Session, api: Api, three_days: None) -> None:
    for i, idem in enumerate(("four", "two")):
        number = active_number(db, api, skip=i)
        assert _change(api, number, _raised(db, api, number, 2), idem).status_code == 201
    _age(db, "four", 4)
    _age(db, "two", 2)
    assert tasks.purge_api_answers() == 1
    assert _kept(db) == ["two"]


def test_a_key_repeated_after_the_purge_is_a_new_request(db: Session, api: Api) -> None:
    number = active_number(db, api)
    first = _change(api, number, _raised(db, api, number, 2), "k-1")
    assert first.status_code == 201
    other = _raised(db, api, number, 3)
    assert _change(api, number, other, "k-1").status_code == 409  # within the retention: another body is 409
    _age(db, "k-1", 8)
    assert tasks.purge_api_answers() == 1
    again = _change(api, number, other, "k-1")
    assert again.status_code == 201, again.text
    assert "Idempotent-Replayed" not in again.headers
    assert again.json()["mutation_id"] != first.json()["mutation_id"]
    replayed = _change(api, number, other, "k-1")  # and its new answer is kept as any other
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert replayed.json() == again.json()
    db.expire_all()
    assert db.get(Mutation, again.json()["mutation_id"]) is not None


def test_an_expired_answer_does_not_count_before_the_purge_has_run(db: Session, api: Api) -> None:
    number = active_number(db, api)
    salary = _raised(db, api, number, 2)
    first = _change(api, number, salary, "k-2")
    assert first.status_code == 201
    _age(db, "k-2", 8)
    again = _change(api, number, salary, "k-2")  # the same request: no replay of the expired answer ...
    assert again.status_code == 422, again.text  # ... but the change itself, now against current data
    assert again.json()["errors"][0]["rule"] == "no_change"
    other = _change(api, number, _raised(db, api, number, 3), "k-2")  # another body: not 409, a new request
    assert other.status_code == 201, other.text
    db.expire_all()
    rows = db.exec(select(ApiIdempotency).where(ApiIdempotency.idem_key == "k-2")).all()
    assert len(rows) == 1 and rows[0].created_at > clock.now() - timedelta(minutes=5)


def test_the_purge_runs_every_night() -> None:
    job = tasks.purge_api_answers_daily
    assert job.s().validate_datetime(datetime(2026, 12, 2, 3, 15))
    assert not job.s().validate_datetime(datetime(2026, 12, 2, 4, 15))
