"""The payroll API (API-1) through the app's own HTTP routes: each endpoint's happy path, the same use cases
and rules as the portal (review, BSN, decimals), idempotency, keys (shown once, stored hashed, scoped to one
employer, revoked), the rate limit and RFC 9457 problems for every refusal, with nothing stored."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from portal.core.config import get_settings
from portal.models import ApiKey, AuditEvent, EmploymentVersion, Mutation, Participation
from portal.services import api_keys
from portal.services.principal import NoAccess
from tests.services.employer_fixtures import foreign_tenant, principal_of
from tests.services.payroll_api_world import VALID_NEW_BSN, Api, active_number, make_api, stored

PROBLEM = "application/problem+json"


@pytest.fixture
def api(db: Session, demo_data: None) -> Api:
    return make_api(db)


def _problem(answer, status: int, field: str, rule: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    body = answer.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("/api/v1/problems/")
    assert {"field": field, "rule": rule} in [{"field": e["field"], "rule": e["rule"]} for e in body["errors"]], body


def _audit(db: Session, action: str) -> list[AuditEvent]:
    db.expire_all()
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def _new_body(api: Api, **kw: object) -> dict[str, object]:
    body = {
        "scheme_id": api.op_scheme_id,
        "bsn": VALID_NEW_BSN,
        "initials": "P.",
        "last_name": "Payroll",
        "birth_date": "1990-02-14",
        "start_date": api.today.isoformat(),
        "salary": "48000.00",
        "parttime": "80.000",
        "business_email": "p.payroll@noordkade-logistiek.example",
    }
    return {**body, **kw}


# ------------------------------------------------------------------------------------------- happy paths
def test_salary_change_is_the_portals_mutation_with_channel_api(db: Session, api: Api) -> None:
    number = active_number(db, api)
    answer = api.post(
        f"/participants/{number}/salary-parttime", {"effective_date": api.today.isoformat(), "salary": "61234.56"}
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["kind"], body["status"], body["participant_number"]) == ("salary_parttime", "processed", number)
    db.expire_all()
    mutation = db.get(Mutation, body["mutation_id"])
    assert mutation is not None and (mutation.channel, mutation.requested_by) == ("api", None)
    assert mutation.requested_by_name == "API: Payroll package"
    assert json.loads(mutation.new_values)["salary"] == "61234.56"
    requests = _audit(db, "api.request")
    assert requests and requests[-1].employer_id == api.employer_id and requests[-1].object_id.startswith("POST ")
    assert _audit(db, "mutation.submitted")[-1].object_id == str(mutation.id)


def test_a_change_far_back_needs_review_as_in_the_portal(db: Session, api: Api) -> None:
    number = active_number(db, api)
    back = (api.today - timedelta(days=400)).isoformat()
    answer = api.post(f"/participants/{number}/salary-parttime", {"effective_date": back, "parttime": "50.000"})
    if answer.status_code == 422:  # employment began later than a year ago: pick the date rule's own answer
        _problem(answer, 422, "effective_date", "date_before_start")
        return
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "needs_review"
    db.expire_all()
    assert db.get(Mutation, answer.json()["mutation_id"]).status == "needs_review"  # type: ignore[union-attr]


def test_exit_and_new_participant(db: Session, api: Api) -> None:
    number = active_number(db, api, skip=3)
    answer = api.post(f"/participants/{number}/exit", {"exit_date": api.today.isoformat()}, idem="exit-1")
    assert answer.status_code == 201, answer.text
    assert answer.json()["kind"] == "exit"
    created = api.post("/participants", _new_body(api), idem="new-1")
    assert created.status_code == 201, created.text
    new_number = created.json()["participant_number"]
    db.expire_all()
    part = db.exec(
        select(Participation).where(
            Participation.participant_number == new_number, Participation.scheme_id == api.op_scheme_id
        )
    ).one()
    assert part.employer_id == api.employer_id


def test_participant_list_as_of_a_date_paged(db: Session, api: Api) -> None:
    client, headers = api.client, api.headers()
    first = client.get("/api/v1/participants?page=1&page_size=5", headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["page"], body["page_size"], len(body["items"]), body["scheme_id"]) == (1, 5, 5, api.op_scheme_id)
    second = client.get("/api/v1/participants?page=2&page_size=5", headers=headers).json()
    assert {i["participant_number"] for i in second["items"]}.isdisjoint(i["participant_number"] for i in body["items"])
    # as of a date before a new participant's start, they are not listed; from it on they are
    start = api.today + timedelta(days=10)
    created = api.post("/participants", _new_body(api, start_date=start.isoformat()), idem="new-later")
    assert created.status_code == 201, created.text
    number = created.json()["participant_number"]

    def numbers(day: str) -> set[str]:
        url = f"/api/v1/participants?as_of={day}&page_size=100&page="
        listed, page = set(), 1
        while True:
            got = client.get(url + str(page), headers=headers).json()
            listed |= {i["participant_number"] for i in got["items"]}
            if page >= got["pages"]:
                return listed
            page += 1

    assert number not in numbers(api.today.isoformat())
    assert number in numbers(start.isoformat())
    assert client.get("/api/v1/participants?as_of=2026-13-01", headers=headers).status_code == 422


# ------------------------------------------------------------------------------------------- idempotency
def test_same_key_same_body_gives_the_same_answer_and_another_body_409(db: Session, api: Api) -> None:
    number = active_number(db, api)
    path = f"/participants/{number}/salary-parttime"
    body = {"effective_date": api.today.isoformat(), "salary": "70000.00"}
    first = api.post(path, body, idem="same")
    assert first.status_code == 201, first.text
    before = stored(db)
    again = api.post(path, dict(reversed(list(body.items()))), idem="same")  # key order does not matter
    assert (again.status_code, again.json()) == (201, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert stored(db) == before  # applied once
    other = api.post(path, {**body, "salary": "71000.00"}, idem="same")
    _problem(other, 409, "Idempotency-Key", "key_reused")
    assert stored(db) == before
    missing = api.client.post(f"/api/v1{path}", json=body, headers=api.headers())
    _problem(missing, 400, "Idempotency-Key", "required")


def test_idempotency_keys_are_per_api_key(db: Session, api: Api) -> None:
    second = api_keys.create_key(db, principal_of(db, "employer.hr"), "Second package").plain
    db.commit()
    number = active_number(db, api)
    path = f"/participants/{number}/salary-parttime"
    assert api.post(path, {"effective_date": api.today.isoformat(), "salary": "70000.00"}, idem="x").status_code == 201
    answer = api.post(path, {"effective_date": api.today.isoformat(), "parttime": "90.000"}, idem="x", key=second)
    assert answer.status_code == 201, answer.text


# ------------------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("body", "field", "rule"),
    [
        ({"effective_date": "{today}", "salary": "50000.00", "bonus": "1"}, "bonus", "extra_forbidden"),
        ({"effective_date": "{today}", "salary": 50000}, "salary", "string_type"),
        ({"effective_date": "{today}", "salary": "50000.123"}, "salary", "string_pattern_mismatch"),
        ({"effective_date": 20261201, "salary": "50000.00"}, "effective_date", "date_type"),
        ({"effective_date": "01-12-2026", "salary": "50000.00"}, "effective_date", "date_from_datetime_parsing"),
        ({"effective_date": "{today}", "salary": "0.00"}, "salary", "salary_not_positive"),
        ({"effective_date": "{far}", "salary": "50000.00"}, "effective_date", "date_too_far_future"),
        ({"effective_date": "{today}"}, "salary", "change_required"),
    ],
)
def test_bad_input_is_a_problem_at_the_field_and_nothing_is_stored(
    db: Session, api: Api, body: dict[str, object], field: str, rule: str
) -> None:
    far = (api.today + timedelta(days=200)).isoformat()
    body = {k: v.format(today=api.today.isoformat(), far=far) if isinstance(v, str) else v for k, v in body.items()}
    number = active_number(db, api)
    before = stored(db)
    answer = api.post(f"/participants/{number}/salary-parttime", body)
    if rule == "date_from_datetime_parsing" or rule == "date_too_far_future":
        assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == field, answer.text
    else:
        _problem(answer, 422, field, rule)
    assert stored(db) == before


def test_a_bsn_failing_the_eleven_test_is_refused_and_nothing_stored(db: Session, api: Api) -> None:
    before = stored(db)
    answer = api.post("/participants", _new_body(api, bsn="123456789"))
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "bsn", answer.text
    assert answer.json()["errors"][0]["message"]
    assert stored(db) == before


def test_a_body_over_one_megabyte_and_malformed_json_are_refused(db: Session, api: Api) -> None:
    before = stored(db)
    big = json.dumps(_new_body(api, last_name="x" * (1024 * 1024)))
    answer = api.client.post(
        "/api/v1/participants", content=big, headers={**api.headers("big"), "Content-Type": "application/json"}
    )
    _problem(answer, 413, "body", "max_size")
    bad = api.client.post(
        "/api/v1/participants", content=b"{not json", headers={**api.headers("bad"), "Content-Type": "application/json"}
    )
    _problem(bad, 400, "body", "json_invalid")
    assert stored(db) == before


# ------------------------------------------------------------------------------------------- keys and scope
def test_another_employers_key_gets_404_and_is_audited(db: Session, api: Api) -> None:
    _, _, elders_admin = foreign_tenant(db)
    foreign_key = api_keys.create_key(db, elders_admin, "Elders payroll").plain
    db.commit()
    number = active_number(db, api)  # the demo employer's participant
    before = stored(db)
    answer = api.post(
        f"/participants/{number}/salary-parttime",
        {"effective_date": api.today.isoformat(), "salary": "1.00"},
        key=foreign_key,
    )
    _problem_404 = answer.status_code == 404 and answer.headers["content-type"].startswith(PROBLEM)
    assert _problem_404, answer.text
    scheme_answer = api.post("/participants", _new_body(api), key=foreign_key, idem="foreign-scheme")  # demo's scheme
    assert scheme_answer.status_code == 404
    listed = api.client.get(f"/api/v1/participants?scheme_id={api.op_scheme_id}", headers=api.headers(key=foreign_key))
    assert listed.status_code == 404
    assert stored(db) == before
    denied = [e for e in _audit(db, "access.denied") if e.actor_name.startswith("api:")]
    assert len(denied) == 3 and all(json.loads(e.detail)["reason"] in ("not_found", "out_of_scope") for e in denied)


def test_a_revoked_or_malformed_key_gets_401(db: Session, api: Api) -> None:
    hr = principal_of(db, "employer.hr")
    number = active_number(db, api)
    body = {"effective_date": api.today.isoformat(), "salary": "65000.00"}
    forged = api.key[:-4] + ("AAAA" if not api.key.endswith("AAAA") else "BBBB")  # right prefix, wrong secret
    before = stored(db)
    url = f"/participants/{number}/salary-parttime"
    _problem(api.post(url, body, key=forged), 401, "Authorization", "key_unknown")
    prefix = api.key.split("_")[1]
    key_id = db.exec(select(ApiKey.id).where(ApiKey.prefix == prefix)).one()
    api_keys.revoke_key(db, hr, key_id)
    db.commit()
    _problem(api.post(url, body), 401, "Authorization", "key_revoked")
    _problem(api.post(url, body, key="pk_nonsense"), 401, "Authorization", "key_malformed")
    _problem(api.post(url, body, key=forged), 401, "Authorization", "key_unknown")
    unknown = "pk_" + "0" * 12 + "_" + "A" * 43
    _problem(
        api.client.get("/api/v1/participants", headers=api.headers(key=unknown)), 401, "Authorization", "key_unknown"
    )
    assert api.client.get("/api/v1/participants").status_code == 401
    assert stored(db) == before
    reasons = [json.loads(e.detail)["reason"] for e in _audit(db, "api.refused")]
    assert reasons == ["unknown", "revoked", "malformed", "unknown", "unknown", "malformed"]


def test_the_key_is_shown_once_and_stored_as_prefix_and_hash(db: Session, demo_data: None) -> None:
    hr = principal_of(db, "employer.hr")
    created = api_keys.create_key(db, hr, "  Loket   payroll ")
    db.commit()
    tag, prefix, secret = created.plain.split("_", 2)
    row = db.exec(select(ApiKey).where(ApiKey.id == created.row.key_id)).one()
    assert (tag, row.prefix, row.name) == ("pk", prefix, "Loket payroll")
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in json.dumps(row.model_dump(), default=str)
    listed = api_keys.list_keys(db, hr)
    assert [k.prefix for k in listed] == [prefix] and not hasattr(listed[0], "plain")
    assert [e.object_id for e in _audit(db, "api_key.created")] == [str(row.id)]


def test_only_user_management_manages_keys_of_its_own_employer(db: Session, demo_data: None) -> None:
    finance = principal_of(db, "employer.finance")
    with pytest.raises(NoAccess):
        api_keys.create_key(db, finance, "Mine")
    _, _, elders_admin = foreign_tenant(db)
    created = api_keys.create_key(db, principal_of(db, "employer.hr"), "Ours")
    db.commit()
    with pytest.raises(NoAccess):
        api_keys.revoke_key(db, elders_admin, created.row.key_id)
    db.rollback()
    assert db.get(ApiKey, created.row.key_id).revoked_at is None  # type: ignore[union-attr]


@pytest.fixture
def low_rate(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "3")
    monkeypatch.setenv("PORTAL_API_RATE_WINDOW_SECONDS", "3600")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_rate_limit_gives_429_with_retry_after(db: Session, api: Api, low_rate: None) -> None:
    for _ in range(3):
        assert api.client.get("/api/v1/participants?page_size=1", headers=api.headers()).status_code == 200
    over = api.client.get("/api/v1/participants?page_size=1", headers=api.headers())
    assert over.status_code == 429 and over.headers["content-type"].startswith(PROBLEM)
    assert 1 <= int(over.headers["retry-after"]) <= 3600
    refused = [e for e in _audit(db, "api.request") if json.loads(e.detail).get("refused") == "rate"]
    assert len(refused) == 1


def test_openapi_document_and_docs_page(api: Api) -> None:
    doc = api.client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert set(doc["paths"]) == {
        "/api/v1/participants",
        "/api/v1/participants/{number}/salary-parttime",
        "/api/v1/participants/{number}/exit",
    }
    assert doc["components"]["schemas"]["NewParticipant"]["additionalProperties"] is False
    page = api.client.get("/api/v1/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "POST /api/v1/participants/{number}/exit" in page.text and "<script" not in page.text
    assert "EmploymentVersion" not in page.text and EmploymentVersion  # no internals in the docs


def test_an_unacknowledged_warning_names_its_key_and_an_acknowledged_one_goes_to_review(db: Session, api: Api) -> None:
    number = active_number(db, api)
    path = f"/participants/{number}/salary-parttime"
    body = {"effective_date": api.today.isoformat(), "salary": "9000000.00"}  # a jump: plausibility warning
    before = stored(db)
    answer = api.post(path, body, idem="warn")
    _problem(answer, 422, "acknowledge", "warnings_unacknowledged")
    keys = answer.json()["errors"][0]["params"]["keys"]
    assert keys == ["salary_increase_large"]
    assert stored(db) == before
    acknowledged = api.post(path, {**body, "acknowledge": keys}, idem="warn")  # a refused request stores no answer
    assert acknowledged.status_code == 201, acknowledged.text
    assert (acknowledged.json()["status"], acknowledged.json()["warnings"]) == ("needs_review", keys)
