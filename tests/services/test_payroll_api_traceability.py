"""A change sent through the payroll API (API-1) is traced to its API key: the mutation and every audit event
of the request name the key (an API principal has no user account), and where an adviser or the employer sees
who asked for a change (the review queue, the latest changes, the participant's history) the key's name shows."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from portal.models import ApiKey, AuditEvent, Mutation
from portal.services import mutations, participants
from portal.state.forms import requested_by
from tests.services.employer_fixtures import principal_of
from tests.services.payroll_api_world import Api, active_number, make_api


@pytest.fixture
def api(db: Session, demo_data: None) -> Api:
    return make_api(db)


def _key(db: Session, api: Api) -> ApiKey:
    return db.exec(select(ApiKey).where(ApiKey.employer_id == api.employer_id, ApiKey.name == "Payroll package")).one()


def _to_review(db: Session, api: Api) -> Mutation:
    """A salary change with an acknowledged plausibility warning: it waits for the adviser (MUT-6)."""
    number = active_number(db, api)
    body = {"effective_date": api.today.isoformat(), "salary": "9000000.00", "acknowledge": ["salary_increase_large"]}
    answer = api.post(f"/participants/{number}/salary-parttime", body, idem="to-review")
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "needs_review"
    db.expire_all()
    mutation = db.get(Mutation, answer.json()["mutation_id"])
    assert mutation is not None
    return mutation


def test_the_mutation_and_its_audit_events_name_the_api_key(db: Session, api: Api) -> None:
    number = active_number(db, api)
    answer = api.post(
        f"/participants/{number}/salary-parttime", {"effective_date": api.today.isoformat(), "salary": "61234.56"}
    )
    assert answer.status_code == 201, answer.text
    key = _key(db, api)
    db.expire_all()
    mutation = db.get(Mutation, answer.json()["mutation_id"])
    assert mutation is not None
    assert (mutation.requested_by, mutation.requested_by_api_key_id) == (None, key.id)
    submitted = db.exec(
        select(AuditEvent).where(AuditEvent.action == "mutation.submitted", AuditEvent.object_id == str(mutation.id))
    ).one()
    assert (submitted.actor_user_id, submitted.actor_api_key_id) == (None, key.id)
    request = db.exec(
        select(AuditEvent).where(AuditEvent.action == "api.request").order_by(col(AuditEvent.id).desc())
    ).first()
    assert request is not None and request.actor_api_key_id == key.id


def test_a_change_in_the_portal_names_no_key(db: Session, api: Api) -> None:
    hr = principal_of(db, "employer.hr")
    number = active_number(db, api, skip=2)
    part = mutations.participation_for(db, hr, api.employer_id, number)
    made = mutations.submit_salary_parttime(db, hr, part.id, api.today, "55555.55", None, part.version)
    db.commit()
    assert made.requested_by == hr.user_id and made.requested_by_api_key_id is None
    event = db.exec(
        select(AuditEvent).where(AuditEvent.action == "mutation.submitted", AuditEvent.object_id == str(made.id))
    ).one()
    assert (event.actor_user_id, event.actor_api_key_id) == (hr.user_id, None)
    history = mutations.history(db, hr, part.id)
    row = next(h for h in history if h.mutation_id == made.id)
    assert row.api_key is None and requested_by(row.requested_by, row.api_key, "en") == made.requested_by_name


def test_the_review_queue_and_the_histories_show_the_keys_name(db: Session, api: Api) -> None:
    mutation = _to_review(db, api)
    key = _key(db, api)
    shown = {
        "en": f"API key ‘Payroll package’ (pk_{key.prefix}_…)",
        "nl": f"API-sleutel ‘Payroll package’ (pk_{key.prefix}_…)",
    }

    queue = mutations.review_queue(db, principal_of(db, "adviser"))
    row = next(r for r in queue if r.mutation_id == mutation.id)
    assert row.api_key is not None and (row.api_key.name, row.api_key.prefix) == ("Payroll package", key.prefix)
    assert {lang: requested_by(row.requested_by, row.api_key, lang) for lang in shown} == shown

    hr = principal_of(db, "employer.hr")
    latest = mutations.latest_changes(db, hr, api.employer_id, status="needs_review", page_size=100)
    change = next(r for r in latest.rows if r.mutation_id == mutation.id)
    assert requested_by(change.requested_by, change.api_key, "en") == shown["en"]

    history = mutations.history(db, hr, mutation.participation_id)
    entry = next(h for h in history if h.mutation_id == mutation.id)
    assert requested_by(entry.requested_by, entry.api_key, "nl") == shown["nl"]

    detail = participants.participant_detail(db, hr, mutation.participation_id)
    seen = next(h for h in detail.history if h.mutation_id == mutation.id)
    assert requested_by(seen.requested_by_name, seen.api_key, "en") == shown["en"]


def test_a_revoked_keys_changes_still_show_its_name(db: Session, api: Api) -> None:
    from portal.services import api_keys

    mutation = _to_review(db, api)
    key = _key(db, api)
    api_keys.revoke_key(db, principal_of(db, "employer.hr"), key.id)
    db.commit()
    row = next(r for r in mutations.review_queue(db, principal_of(db, "adviser")) if r.mutation_id == mutation.id)
    assert row.api_key is not None and row.api_key.name == "Payroll package"
