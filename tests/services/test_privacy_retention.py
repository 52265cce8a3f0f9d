"""Retention (issue 16 part 6) on the demo data: an ended contract leaves the employer's overview six months after
its end date (SPEC EE-1, the Vivium seed; ``PORTAL_RETENTION_ENDED_MONTHS``) — on the day itself, without a job —
a passive (dormant) one stays; audit events older than ``PORTAL_AUDIT_RETENTION_YEARS`` are removed in batches by
the nightly job, each batch audited with its count and cut-off."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from portal.core import clock
from portal.core.config import get_settings
from portal.domain.dates import add_months
from portal.domain.retention import audit_cutoff
from portal.jobs import tasks as jobs
from portal.models import AuditEvent, ParticipantListRow, Participation
from portal.services import participants, privacy
from portal.services.participants import read_table
from portal.services.principal import Principal
from portal.services.privacy import retention
from tests.services.employer_fixtures import audit_of, demo_employer, principal_of, schemes_of


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set PORTAL_ variables for one test (the settings are read again)."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _set_env(env: pytest.MonkeyPatch, name: str, value: str) -> None:
    env.setenv(name, value)
    get_settings.cache_clear()


def _ended(db: Session, number: str, status: str, end: date, today: date) -> Participation:
    """Participation ``number`` of the demo employer's OP scheme ended on ``end`` with ``status`` (as stored by an
    exit and a later transfer of the reserves), its list row computed on ``today``."""
    scheme = schemes_of(db, demo_employer(db).id)["OP"]
    part = db.exec(
        select(Participation).where(Participation.scheme_id == scheme.id, Participation.participant_number == number)
    ).one()
    part.status, part.end_date = status, end
    db.add(part)
    read_table.refresh_list_row(db, [part.id or 0], today)
    db.commit()
    return part


def _listed(db: Session, hr: Principal, part: Participation, as_of: date | None = None) -> list[str]:
    page = participants.list_participants(db, hr, part.scheme_id, search=part.participant_number, as_of=as_of)
    db.commit()
    return [r.status for r in page.rows if r.participation_id == part.id]


def test_an_ended_contract_is_listed_six_months_then_hidden_on_the_day_without_a_job(
    db: Session, demo_data: None
) -> None:
    hr = principal_of(db, "employer.hr")
    today = clock.today()
    end = add_months(today, -6)  # shown through today, hidden from tomorrow
    part = _ended(db, "100010", "terminated", end, today)
    assert _listed(db, hr, part) == ["terminated"]
    all_before = participants.list_participants(db, hr, part.scheme_id).total
    ended_before = participants.list_participants(db, hr, part.scheme_id, status="terminated").total
    db.commit()
    with clock.frozen(today + timedelta(days=1)):
        assert _listed(db, hr, part) == []  # refresh_due hid it: the row's own bound, no job ran
        assert participants.list_participants(db, hr, part.scheme_id).total == all_before - 1
        assert participants.list_participants(db, hr, part.scheme_id, status="terminated").total == ended_before - 1
        db.commit()
    row = db.get(ParticipantListRow, part.id)
    db.refresh(row)
    assert row is not None and row.listed_scheme_id is None  # hidden, not deleted: the data stays (EE-7)
    assert participants.participant_detail(db, hr, part.id).participation_id == part.id  # the detail still opens


@pytest.mark.parametrize("status", ["terminated", "retired"])
def test_long_ended_contracts_are_hidden_also_in_the_view_of_another_day(
    db: Session, demo_data: None, status: str
) -> None:
    hr = principal_of(db, "employer.hr")
    today = clock.today()
    end = date(today.year - 2, 3, 31)
    part = _ended(db, "100011", status, end, today)
    assert _listed(db, hr, part) == []
    assert _listed(db, hr, part, as_of=today - timedelta(days=1)) == []  # a past day's view applies the rule too
    assert _listed(db, hr, part, as_of=end + timedelta(days=40)) == [status]  # within six months of its end
    assert _listed(db, hr, part, as_of=add_months(end, 6)) == [status]  # the last day shown (30 Sep)
    assert _listed(db, hr, part, as_of=add_months(end, 6) + timedelta(days=1)) == []


def test_a_passive_contract_stays_listed_however_long_ago_it_ended(db: Session, demo_data: None) -> None:
    hr = principal_of(db, "employer.hr")
    today = clock.today()
    part = _ended(db, "100012", "dormant", date(today.year - 5, 1, 31), today)
    assert _listed(db, hr, part) == ["dormant"]  # EE-1: passive, reserves remain


def test_the_period_is_a_setting_and_the_job_brings_rows_in_line(
    db: Session, demo_data: None, settings_env: pytest.MonkeyPatch
) -> None:
    hr = principal_of(db, "employer.hr")
    today = clock.today()
    part = _ended(db, "100013", "terminated", add_months(today, -9), today)
    assert _listed(db, hr, part) == []
    _set_env(settings_env, "PORTAL_RETENTION_ENDED_MONTHS", "12")
    assert retention.relist(today) >= 1  # computed under six months: listed again under twelve
    assert _listed(db, hr, part) == ["terminated"]
    assert retention.relist(today) == 0  # in line: nothing more to do
    _set_env(settings_env, "PORTAL_RETENTION_ENDED_MONTHS", "3")
    assert retention.relist(today) >= 1
    assert _listed(db, hr, part) == []


def _old_event(db: Session, at: datetime, action: str = "participant.viewed") -> int:
    event = AuditEvent(action=action, at=at, actor_name="old", object_type="participation", object_id="1")
    db.add(event)
    db.flush()
    return event.id or 0


def test_audit_events_older_than_the_period_are_removed_in_batches_each_audited(db: Session, demo_data: None) -> None:
    today = clock.today()
    cutoff = audit_cutoff(today, 7)  # the default: seven years
    midnight = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    old = [_old_event(db, midnight - timedelta(seconds=1 + i)) for i in range(5)]
    kept = [_old_event(db, midnight), _old_event(db, midnight + timedelta(days=400))]
    db.commit()
    total_before = len(db.exec(select(AuditEvent.id)).all())
    removed, used = retention.purge_audit(today, limit=2)
    assert (removed, used) == (5, cutoff)
    db.expire_all()
    left = set(db.exec(select(AuditEvent.id)).all())
    assert not left & set(old) and set(kept) <= left
    purged = audit_of(db, "audit.purged")
    assert [json.loads(e.detail)["removed"] for e in purged] == [2, 2, 1]  # one record per batch, same transaction
    assert all(json.loads(e.detail)["cutoff"] == cutoff.isoformat() for e in purged)
    assert all(json.loads(e.detail)["years"] == 7 and e.actor_user_id is None for e in purged)
    assert len(left) == total_before - 5 + 3
    assert retention.purge_audit(today) == (0, cutoff)  # nothing more: no new record either
    assert len(audit_of(db, "audit.purged")) == 3


def test_the_audit_period_is_a_setting(db: Session, demo_data: None, settings_env: pytest.MonkeyPatch) -> None:
    today = clock.today()
    now = clock.now()
    three_years = _old_event(db, now - timedelta(days=3 * 366))
    one_year = _old_event(db, now - timedelta(days=366))
    db.commit()
    assert retention.purge_audit(today)[0] == 0  # seven years: both are kept
    _set_env(settings_env, "PORTAL_AUDIT_RETENTION_YEARS", "2")
    removed, cutoff = retention.purge_audit(today)
    assert removed >= 1 and cutoff == add_months(today, -24)
    db.expire_all()
    ids = set(db.exec(select(AuditEvent.id).where(col(AuditEvent.id).in_([three_years, one_year]))).all())
    assert ids == {one_year}


def test_the_nightly_job_runs_the_retention(db: Session, demo_data: None) -> None:
    midnight = datetime.combine(audit_cutoff(clock.today(), 7), datetime.min.time(), tzinfo=UTC)
    _old_event(db, midnight - timedelta(days=1))
    db.commit()
    report = jobs.retention()
    assert isinstance(report, privacy.RetentionReport) and report.audit_removed == 1
    assert jobs.retention_daily.s().validate_datetime(datetime(2026, 12, 2, 2, 45))  # at night
    assert not jobs.retention_daily.s().validate_datetime(datetime(2026, 12, 2, 14, 45))
