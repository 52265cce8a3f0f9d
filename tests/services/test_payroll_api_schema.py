"""schemathesis against the payroll API's own OpenAPI document (API-1), through the app's HTTP routes with a
valid key: generated requests (valid and invalid) never get a 5xx, and every answer matches the document
(status code, content type, body schema, headers). Bounded: a few examples per operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sqlmodel import Session, func, select

from portal.api.routes import api
from portal.core.config import get_settings
from portal.models import AuditEvent
from portal.services import api_keys
from tests.services.employer_fixtures import principal_of


@pytest.fixture
def payroll_key(db: Session, demo_data: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("PORTAL_API_RATE_LIMIT", "100000")
    get_settings.cache_clear()
    key = api_keys.create_key(db, principal_of(db, "employer.hr"), "schemathesis").plain
    db.commit()
    yield key
    monkeypatch.undo()
    get_settings.cache_clear()


MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


def test_every_answer_matches_the_document_and_none_is_a_server_error(db: Session, payroll_key: str) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", api)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4
    tried: list[str] = []
    for operation in operations:
        for mode in MODES:

            @given(case=operation.as_strategy(mode))
            @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), database=None)
            def call(case: schemathesis.Case) -> None:
                case.call_and_validate(headers={"Authorization": f"Bearer {payroll_key}"}, checks=CHECKS)

            call()
            tried.append(f"{operation.label} {mode.value}")
    assert len(tried) == 8
    db.expire_all()
    calls = db.exec(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "api.request")).one()
    assert calls >= 8 * 5  # the requests did reach the API with the key
