"""Portfolio and employer summary: counts from SQL, and nothing outside the adviser's scope (AUTH-5)."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from portal.demo import seed as demo
from portal.domain.roles import FrontEnd
from portal.models import AuditEvent, Employer, IntermediaryOffice, Participation
from portal.services.organisation import portfolio
from portal.services.principal import NoAccess, Principal
from tests.services.employer_fixtures import principal_of


def _adviser(db: Session, employer_ids: frozenset[int]) -> Principal:
    return Principal(
        user_id=1,
        username="adviser",
        display_name="A",
        front_end=FrontEnd.INTERMEDIARY,
        roles=frozenset({"adviser"}),
        employer_ids=employer_ids,
        office_id=1,
    )


@pytest.mark.usefixtures("demo_data")
def test_portfolio_lists_employers_in_scope_with_counts(db: Session) -> None:
    office = db.exec(select(IntermediaryOffice).where(IntermediaryOffice.name == demo.OFFICE_NAME)).one()
    ids = frozenset(e.id for e in db.exec(select(Employer).where(Employer.office_id == office.id)).all())
    rows = portfolio.portfolio(db, _adviser(db, ids))
    assert [r.name for r in rows] == sorted(r.name for r in rows)
    assert len(rows) == 3 and demo.OTHER_EMPLOYER_NAME not in {r.name for r in rows}
    for row in rows:
        people = {
            p.person_id
            for p in db.exec(
                select(Participation).where(Participation.employer_id == row.id, Participation.status == "active")
            ).all()
        }
        assert row.active == len(people)
    assert sum(r.dormant for r in rows) > 0


@pytest.mark.usefixtures("demo_data")
def test_portfolio_shows_only_the_scope(db: Session) -> None:
    one = db.exec(select(Employer).order_by(Employer.id)).first()
    rows = portfolio.portfolio(db, _adviser(db, frozenset({one.id})))
    assert [r.id for r in rows] == [one.id]


@pytest.mark.usefixtures("demo_data")
def test_employer_summary_refuses_an_employer_outside_the_portfolio(db: Session) -> None:
    other_office = IntermediaryOffice(name="Other office", kvk_number="12345678")
    db.add(other_office)
    db.flush()
    foreign = Employer(name="Foreign B.V.", kvk_number="87654321", office_id=other_office.id)
    db.add(foreign)
    db.commit()
    own_ids = frozenset(e.id for e in db.exec(select(Employer)).all() if e.id != foreign.id)
    adviser = _adviser(db, own_ids)
    summary = portfolio.employer_summary(db, adviser, str(min(own_ids)))
    assert summary.schemes and summary.kvk_number
    for bad in (foreign.id, str(foreign.id), "1 OR 1=1", None, -1):
        with pytest.raises(NoAccess):
            portfolio.employer_summary(db, adviser, bad)
    db.commit()
    viewed = db.exec(select(AuditEvent).where(AuditEvent.action == "employer.viewed")).all()
    assert len(viewed) == 1


@pytest.mark.usefixtures("demo_data")
def test_an_employer_user_has_no_portfolio(db: Session) -> None:
    hr = Principal(
        user_id=2,
        username="hr",
        display_name="H",
        front_end=FrontEnd.EMPLOYER,
        roles=frozenset({"hr"}),
        employer_ids=frozenset({1}),
    )
    with pytest.raises(NoAccess):
        portfolio.portfolio(db, hr)
    with pytest.raises(NoAccess):
        portfolio.employer_summary(db, hr, 1)


@pytest.mark.usefixtures("demo_data")
def test_the_demo_offices_see_only_their_own_portfolio(db: Session) -> None:
    """The demo's two offices, resolved from real sessions: each adviser's portfolio is its office's only."""
    ours = portfolio.portfolio(db, principal_of(db, "adviser"))
    theirs = portfolio.portfolio(db, principal_of(db, "adviser.zuidas"))
    assert {r.name for r in theirs} == {demo.OTHER_EMPLOYER_NAME}
    assert demo.OTHER_EMPLOYER_NAME not in {r.name for r in ours} and len(ours) == 3
    with pytest.raises(NoAccess):
        portfolio.employer_summary(db, principal_of(db, "adviser.zuidas"), ours[0].id)
