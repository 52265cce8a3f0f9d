"""The collective upload route on an adviser's acting page (INT-2): with ``acting`` in the query the upload
works for that employer only, the id checked against the portfolio; a scheme of another employer, or an
employer outside the portfolio, stores nothing and is audited."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlmodel import Session, col, select
from starlette.testclient import TestClient

from portal.api.routes import SESSION_COOKIE, api
from portal.core import csrf
from portal.core.config import get_settings
from portal.demo.seed import SMALL_NAME
from portal.models import AuditEvent, Batch, Employer
from tests.services.bulk_files import EFFECTIVE, World, world
from tests.services.test_upload_route import _file, _session, _stored

URL = "/api/collective/upload"


@pytest.fixture
def w(db: Session, demo_data: None) -> World:
    return world(db)


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(api, base_url=get_settings().base_url) as c:
        yield c


def _post(client: TestClient, w: World, data: bytes, cookie: str, acting: str | None):
    headers = {
        "Content-Type": "application/octet-stream",
        "X-File-Name": quote("salaris.xlsx"),
        "Origin": csrf.portal_origin(),
        csrf.HEADER: csrf.token_for(cookie),
    }
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, cookie)
    params = {
        "scheme": str(w.scheme_id),
        "kind": "salary_parttime",
        "effective": EFFECTIVE.isoformat(),
    }
    if acting is not None:
        params["acting"] = acting
    return client.post(URL, params=params, content=data, headers=headers)


def _last_denial(db: Session) -> AuditEvent | None:
    db.expire_all()
    newest_first = select(AuditEvent).where(AuditEvent.action == "access.denied").order_by(col(AuditEvent.id).desc())
    return db.exec(newest_first).first()


def test_an_adviser_uploads_for_the_employer_acted_for(db: Session, w: World, client: TestClient) -> None:
    data, cookie = _file(db, w), _session(db, "adviser")
    answer = _post(client, w, data, cookie, str(w.employer_id))
    assert answer.status_code == 201, answer.text
    batch = db.get(Batch, answer.json()["batch"])
    assert batch is not None and batch.employer_id == w.employer_id


@pytest.mark.parametrize("other", ["small", "999999", "abc"])
def test_another_employer_than_the_one_acted_for_stores_nothing_and_is_audited(
    db: Session, w: World, client: TestClient, other: str
) -> None:
    data, cookie = _file(db, w), _session(db, "adviser")
    small = db.exec(select(Employer.id).where(Employer.name == SMALL_NAME)).one()
    acting = str(small) if other == "small" else other
    before = _stored(db)
    answer = _post(client, w, data, cookie, acting)
    assert answer.status_code == 403 and answer.json()["redirect"] == "/no-access"
    assert _stored(db) == before
    denied = _last_denial(db)
    assert denied is not None and denied.actor_name == "adviser"


def test_an_adviser_upload_without_the_employer_acted_for_stores_nothing(
    db: Session, w: World, client: TestClient
) -> None:
    """Without ``acting`` the adviser is not narrowed to one employer, and so may not upload for any (INT-2)."""
    data, cookie = _file(db, w), _session(db, "adviser")
    before = _stored(db)
    answer = _post(client, w, data, cookie, None)
    assert answer.status_code == 403 and answer.json()["redirect"] == "/no-access"
    assert _stored(db) == before
    denied = _last_denial(db)
    assert denied is not None and denied.actor_name == "adviser" and "missing_role" in (denied.detail or "")


def test_an_employer_user_cannot_use_the_acting_parameter(db: Session, w: World, client: TestClient) -> None:
    data, cookie = _file(db, w), _session(db, "employer.hr")
    before = _stored(db)
    answer = _post(client, w, data, cookie, str(w.employer_id))
    assert answer.status_code == 403 and _stored(db) == before
