"""Shared set-up of the payroll API tests: an API key of the demo employer made by its user-management user,
a client on the app's own HTTP routes, and a snapshot of everything a mutation could write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, func, select
from starlette.testclient import TestClient

from portal.api.routes import api
from portal.core import clock
from portal.models import (
    ApiIdempotency,
    Employment,
    EmploymentVersion,
    Mutation,
    Participation,
    Person,
    Scheme,
)
from portal.services import api_keys
from tests.services.employer_fixtures import demo_employer, principal_of

VALID_NEW_BSN = "123456782"  # passes the eleven-test, not in the demo data


@dataclass
class Api:
    client: TestClient
    key: str
    employer_id: int
    op_scheme_id: int
    today: date

    def headers(self, idem: str | None = None, key: str | None = None) -> dict[str, str]:
        h = {"Authorization": f"Bearer {key or self.key}"}
        if idem is not None:
            h["Idempotency-Key"] = idem
        return h

    def post(self, path: str, body: object, idem: str = "k-1", key: str | None = None):  # type: ignore[no-untyped-def]
        return self.client.post(f"/api/v1{path}", json=body, headers=self.headers(idem, key))


def make_api(db: Session) -> Api:
    hr = principal_of(db, "employer.hr")  # HR and user management of the demo employer
    created = api_keys.create_key(db, hr, "Payroll package")
    db.commit()
    employer = demo_employer(db)
    op = db.exec(select(Scheme).where(Scheme.employer_id == employer.id, Scheme.kind == "OP")).one()
    return Api(TestClient(api, base_url="http://localhost"), created.plain, employer.id or 0, op.id or 0, clock.today())


def stored(db: Session) -> dict[str, object]:
    """Everything a mutation (or its idempotent answer) could write."""
    db.expire_all()
    counts: dict[str, object] = {
        m.__name__: db.exec(select(func.count()).select_from(m)).one()
        for m in (Mutation, EmploymentVersion, Person, Employment, Participation, ApiIdempotency)
    }
    counts["versions"] = db.exec(select(func.sum(Participation.version))).one()
    counts["ended"] = db.exec(
        select(func.count()).select_from(Employment).where(col(Employment.end_date).is_not(None))
    ).one()
    return counts


def active_number(db: Session, api: Api, skip: int = 0) -> str:
    """The number of an active OP participant of the demo employer without an exit."""
    numbers = db.exec(
        select(Participation.participant_number)
        .where(
            Participation.scheme_id == api.op_scheme_id,
            Participation.status == "active",
            col(Participation.end_date).is_(None),
        )
        .order_by(col(Participation.id))
        .offset(skip)
        .limit(1)
    ).all()
    return numbers[0]
